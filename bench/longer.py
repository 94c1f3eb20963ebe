"""A campaign several times longer than a given one, for benchmarks and the walk's tests.

`repeated(text, rounds)` plays the scenario's phases *rounds* times in a row: round k has
its phases, decisions, responses, policy dimensions, guards, triggers, invariants and next
moves under fresh ids (suffix `_r<k>`) and its dates shifted by k × 40 days; the endings judge
the last round's policy state (the record's endings, those with a `cite`, every round's, since
a game ends as the record did only if every round went as the record), or with `every_round`
all endings every round's (an ending holds when its condition holds in each round; it then
presumes only what its condition says, since the endings above it, judged over the rounds, no
longer exclude what they did in one round). Sources, roles, actors and measures are shared
(measures read round 0). A text of a later round that presumes the record (no `asserts`)
presumes its own round's: the rounds' records are not one record, so it is given
`asserts: {}` there.
"""

from __future__ import annotations

import datetime as dt

import yaml

SHIFT_DAYS = 40


def repeated(text: str, rounds: int = 3, every_round: bool = False) -> str:
    """The scenario *text* with its phases played *rounds* times, as YAML text."""
    data = yaml.safe_load(text)
    machine = data["machine"]
    base_phases, base_responses = data["phases"], data.get("responses", [])
    base_machine = {key: machine.get(key, []) for key in machine}
    for key in machine:
        machine[key] = []
    data["phases"], data["responses"] = [], []
    for k in range(rounds):
        ids = _Renamer(k, base_machine, base_phases, base_responses)
        for key, items in base_machine.items():
            machine[key] += [ids.machine_item(key, item) for item in items]
        data["phases"] += [ids.phase(p) for p in base_phases]
        data["responses"] += [ids.response(r) for r in base_responses]
    endings = []
    for ending in data["endings"]:
        told = "cite" in ending  # the record's ending follows the record in every round
        judged = range(rounds) if every_round or told else [rounds - 1]
        renamers = [_Renamer(k, base_machine, base_phases, base_responses) for k in judged]
        copies = [r.shown(ending) for r in renamers]
        ending = dict(copies[-1])
        if "when" in ending:  # it presumes what its condition says (rounds judged apart)
            ending["when"] = {d: v for copy in copies for d, v in copy["when"].items()}
            ending["asserts"] = ending["when"]
        endings.append(ending)
    data["endings"] = endings
    data["id"] = f"{data['id']}_x{rounds}"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


class _Renamer:
    """Fresh ids and shifted dates for round *k*."""

    def __init__(self, k: int, machine: dict, phases: list, responses: list):
        self.k = k
        self.dims = {d["id"] for d in machine["dimensions"]}
        self.renamed = self.dims | {x["id"] for key in ("guards", "triggers") for x in machine[key]}
        self.renamed |= {
            x["id"] for key in ("invariants", "next_moves") for x in machine.get(key, [])
        }
        self.renamed |= {p["id"] for p in phases} | {r["id"] for r in responses}
        self.renamed |= {d["id"] for p in phases for d in p.get("decisions", [])}

    def id(self, name: str) -> str:
        return name if self.k == 0 or name not in self.renamed else f"{name}_r{self.k}"

    def date(self, day: dt.date) -> dt.date:
        return day + dt.timedelta(days=SHIFT_DAYS * self.k)

    def condition(self, cond: dict) -> dict:
        return {self.id(dim): states for dim, states in cond.items()}

    def machine_item(self, key: str, item: dict) -> dict:
        item = dict(item, id=self.id(item["id"]))
        if key == "triggers":
            item["dimension"] = self.id(item["dimension"])
            item["guards"] = [self.id(g) for g in item.get("guards", [])]
        if key == "next_moves":
            item["move"] = self.id(item["move"])
        for cond in ("when", "unless", "never", "asserts"):
            if cond in item:
                item[cond] = self.condition(item[cond])
        if key == "dimensions":
            item["states"] = [
                dict(st, asserts=self.condition(st["asserts"])) if "asserts" in st else st
                for st in item["states"]
            ]
        return item

    def phase(self, phase: dict) -> dict:
        phase = self.shown(dict(phase, id=self.id(phase["id"]), date=self.date(phase["date"])))
        phase["situation"] = [self.shown(x) for x in phase.get("situation", [])]
        phase["decisions"] = [self.decision(d) for d in phase.get("decisions", [])]
        return phase

    def decision(self, decision: dict) -> dict:
        decision = dict(decision, id=self.id(decision["id"]))
        decision = self.shown(decision)
        decision["context"] = [self.shown(x) for x in decision.get("context", [])]
        decision["options"] = [
            self.shown(dict(o, triggers=[self.id(t) for t in o.get("triggers", [])]))
            for o in decision["options"]
        ]
        if "record" in decision:
            record = decision["record"]
            advocates = [self.shown(a) for a in record.get("advocates", [])]
            decision["record"] = dict(record, advocates=advocates)
        return decision

    def shown(self, item: dict) -> dict:
        """A text (or decision) with its `when` and `asserts` renamed to this round."""
        item = dict(item)
        if self.k and "asserts" not in item:
            item["asserts"] = {}
        for cond in ("when", "asserts"):
            if cond in item:
                item[cond] = self.condition(item[cond])
        return item

    def response(self, response: dict) -> dict:
        response = dict(
            response,
            id=self.id(response["id"]),
            after=self.id(response["after"]),
            date=self.date(response["date"]),
        )
        outcomes = []
        for o in response["outcomes"]:
            o = self.shown(dict(o, triggers=[self.id(t) for t in o.get("triggers", [])]))
            o["modifiers"] = [
                dict(m, when=self.condition(m.get("when", {}))) for m in o.get("modifiers", [])
            ]
            outcomes.append(o)
        response["outcomes"] = outcomes
        return response
