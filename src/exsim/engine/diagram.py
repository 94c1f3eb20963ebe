"""Diagrams of the policy machine, from transitions' own diagram support."""

from __future__ import annotations

from typing import Literal

from transitions.extensions import GraphMachine

from exsim.engine.policy import machine_config
from exsim.scenario.model import Guard, Scenario

Format = Literal["mermaid", "dot"]


class _Model:
    """A model for drawing one dimension."""


def _label(guard: Guard):
    def check() -> bool:
        return True

    check.__name__ = guard.id
    return check


def diagrams(
    scenario: Scenario, fmt: Format = "mermaid", state: dict[str, str] | None = None
) -> dict[str, str]:
    """Dimension id → diagram source, the current *state* (if given) marked."""
    engine = "mermaid" if fmt == "mermaid" else "graphviz"
    out: dict[str, str] = {}
    for dim, kwargs, moves in machine_config(scenario, _label):
        model = _Model()
        machine = GraphMachine(
            model=model, title=dim.label, graph_engine=engine, show_conditions=True, **kwargs
        )
        for move in moves:
            machine.add_transition(**move)
        if state is not None:
            machine.set_state(state[dim.id], model=model)
        out[dim.id] = model.get_graph().source
    return out


def render(scenario: Scenario, fmt: Format = "mermaid", state: dict[str, str] | None = None) -> str:
    """All dimensions in one text: Markdown with a mermaid block each, or one DOT file."""
    parts = diagrams(scenario, fmt, state)
    if fmt == "mermaid":
        return "\n".join(f"```mermaid\n{src.strip()}\n```\n" for src in parts.values())
    return "\n".join(parts.values())
