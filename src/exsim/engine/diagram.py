"""Diagrams of the policy machine, from transitions' own diagram support."""

from __future__ import annotations

from typing import Literal

import graphviz
from transitions import State
from transitions.extensions import GraphMachine

from exsim.engine.policy import machine_config
from exsim.scenario.model import Guard, Scenario

Format = Literal["mermaid", "dot"]


class _Model:
    """A model for drawing one dimension."""


class _LabelledState(State):
    """A state drawn under a label other than its name."""

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.label = label


class _Drawing(GraphMachine):
    """transitions' drawing of a machine, each move drawn under its label, not its id."""

    state_cls = _LabelledState

    def __init__(self, *args, move_labels: dict[str, str], **kwargs):
        self.move_labels = move_labels
        super().__init__(*args, **kwargs)

    def _init_graphviz_engine(self, graph_engine):
        drawn = super()._init_graphviz_engine(graph_engine)
        labels = self.move_labels

        class Labelled(drawn):
            def _transition_label(self, tran):
                return super()._transition_label({**tran, "label": labels[tran["trigger"]]})

        return Labelled


def _label(guard: Guard):
    return _named(guard.id)


def _named(name: str):
    """A condition drawn as *name* in the edge's brackets."""

    def check() -> bool:
        return True

    check.__name__ = name
    return check


def _next_move_labels(scenario: Scenario, move: dict, dim_id: str) -> list[tuple[list[str], str]]:
    """(the sources it starts from, its label) for each next move of the group's policy that
    calls for *move* from some of its sources: drawn on those edges as ``policy next: id``."""
    out = []
    for rule in scenario.machine.next_moves:
        if rule.move != move["trigger"]:
            continue
        wanted = rule.when.get(dim_id)
        wanted = [wanted] if isinstance(wanted, str) else wanted
        sources = [s for s in move["source"] if wanted is None or s in wanted]
        if sources:
            out.append((sources, f"policy next: {rule.id}"))
    return out


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
    engine = "mermaid" if fmt == "mermaid" else "graphviz"
    dim, kwargs, moves = next(c for c in machine_config(scenario, _label) if c[0].id == dim_id)

    def name(state_id: str) -> str:
        return f"{dim.id}-{state_id}" if prefix else state_id

    labels = {s.id: s.label for s in dim.states}
    kwargs["states"] = [{"name": name(s), "label": labels[s]} for s in kwargs["states"]]
    kwargs["initial"] = name(kwargs["initial"])
    model = _Model()
    machine = _Drawing(
        model=model,
        title=dim.label,
        graph_engine=engine,
        show_conditions=True,
        move_labels={t.id: t.label for t in scenario.machine.triggers},
        **kwargs,
    )
    for move in moves:
        marked = _next_move_labels(scenario, move, dim.id)
        plain = [s for s in move["source"] if not any(s in sources for sources, _ in marked)]
        groups = [(plain, [])] + [(sources, [label]) for sources, label in marked]
        for sources, labels in groups:
            if sources:
                machine.add_transition(
                    **{
                        **move,
                        "source": [name(s) for s in sources],
                        "dest": name(move["dest"]),
                        "conditions": move["conditions"] + [_named(x) for x in labels],
                    }
                )
    if state is not None:
        machine.set_state(name(state[dim.id]), model=model)
    return model.get_graph()
