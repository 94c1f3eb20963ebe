"""Diagrams of the policy machine, from transitions' own diagram support."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import graphviz
from transitions import State
from transitions.extensions import GraphMachine

from exsim.engine.policy import machine_config
from exsim.scenario.model import Guard, Scenario

Format = Literal["mermaid", "dot"]


class _Model:
    """A model for drawing one dimension (transitions binds its `get_graph`)."""

    get_graph: Callable[[], Any]


class _LabelledState(State):
    """A state drawn under a label other than its name."""

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.label = label


class _Drawing(GraphMachine):
    state_cls = _LabelledState


def _label(guard: Guard):
    def check() -> bool:
        return True

    check.__name__ = guard.id
    return check


def diagrams(
    scenario: Scenario, fmt: Format = "mermaid", state: dict[str, str] | None = None
) -> dict[str, str]:
    """Dimension id → diagram source, the current *state* (if given) marked."""
    return {dim: _graph(scenario, fmt, dim, state).source for dim in _dimension_ids(scenario)}


def render(scenario: Scenario, fmt: Format = "mermaid", state: dict[str, str] | None = None) -> str:
    """All dimensions in one text: Markdown with a mermaid block each, or one DOT graph.

    In the DOT graph each dimension is a cluster, its nodes named ``dimension-state``.
    """
    if fmt == "mermaid":
        parts = diagrams(scenario, fmt, state)
        return "\n".join(f"```mermaid\n{src.strip()}\n```\n" for src in parts.values())
    combined = graphviz.Digraph(scenario.id, graph_attr={"label": scenario.title, "rankdir": "LR"})
    for dim in _dimension_ids(scenario):
        cluster = _graph(scenario, fmt, dim, state, prefix=True)
        cluster.name = f"cluster_{dim}"
        combined.subgraph(cluster)
    return combined.source


def _dimension_ids(scenario: Scenario) -> list[str]:
    return [d.id for d in scenario.machine.dimensions]


def _graph(
    scenario: Scenario, fmt: Format, dim_id: str, state: dict[str, str] | None, prefix=False
):
    """transitions' graph of one dimension; with *prefix*, node names are ``dimension-state``."""
    engine: Literal["mermaid", "graphviz"] = "mermaid" if fmt == "mermaid" else "graphviz"
    dim, kwargs, moves = next(c for c in machine_config(scenario, _label) if c[0].id == dim_id)

    def name(state_id: str) -> str:
        return f"{dim.id}-{state_id}" if prefix else state_id

    kwargs["states"] = [{"name": name(s), "label": s} for s in kwargs["states"]]
    kwargs["initial"] = name(kwargs["initial"])
    model = _Model()
    machine = _Drawing(
        model=model, title=dim.label, graph_engine=engine, show_conditions=True, **kwargs
    )
    for move in moves:
        machine.add_transition(
            **{**move, "source": [name(s) for s in move["source"]], "dest": name(move["dest"])}
        )
    if state is not None:
        machine.set_state(name(state[dim.id]), model=model)
    return model.get_graph()
