"""Many what-if games under a fixed policy: the spread of outcomes a policy leads to.

A policy file names the option(s) taken at each decision; a decision it leaves out takes the
record's choice. A `family` section gives alternatives for some decisions, and every
combination is played as its own policy. Whenever a policy's choice does not apply in some
game, or the policy machine refuses it, that game takes the record's choice, else the first
allowed option, and counts a fallback. Games run in chunks with their own seeded random
streams, so a run gives the same counts whatever the number of processes.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Literal

from pydantic import Field

from exsim.engine.campaign import Campaign
from exsim.engine.fastplay import Allowed, FastPlay, Result
from exsim.engine.game import GameError, Mode, option_sets
from exsim.engine.measures import record_value, show
from exsim.scenario.loader import validate_located
from exsim.scenario.model import Decision, Id, Strict
from exsim.scenario.problems import Problem, ScenarioError
from exsim.scenario.yamlsafe import Located, load_text, read_text

CHUNK = 2_000
MAX_POLICIES = 64
Choice = Id | list[Id]


class PolicySpec(Strict):
    """A policy file."""

    scenario: Id | None = Field(None, description="If given, must match the scenario's id.")
    label: str | None = Field(None, description="A name for the policy in reports.")
    mode: Literal["what-if", "historical"] = Field(
        "what-if",
        description="what-if: every response is drawn; historical: the recorded response "
        "where it can happen, else drawn.",
    )
    decisions: dict[Id, Choice] = Field(
        default_factory=dict,
        description="Decision id → the option (or options, for a choose-many decision) taken. "
        "Decisions left out take the record's choice.",
    )
    family: dict[Id, list[Choice]] = Field(
        default_factory=dict,
        description="Decision id → alternatives; every combination is played as a policy.",
    )


@dataclass(frozen=True)
class Plan:
    """One complete policy: the options taken at every decision of the scenario."""

    label: str
    choices: dict[str, tuple[str, ...]]
    mode: Mode = "what-if"

    def choose(self, decision: Decision, allowed: Allowed) -> tuple[tuple[str, ...], bool]:
        """The plan's choice if allowed, else the record's, else the first allowed."""
        wanted = self.choices[decision.id]
        if allowed(wanted):
            return wanted, False
        record = (
            [tuple(decision.record.chosen or ())]
            if decision.record and decision.record.says
            else []
        )
        for alternative in record + option_sets(decision):
            if allowed(alternative):
                return alternative, True
        raise GameError(f"{decision.id}: no option can be taken")  # explore rules this out


def record_plan(campaign: Campaign, mode: Mode = "what-if") -> Plan:
    """The record's choices, where the record has them, else each decision's first option."""
    silent = [d for d in campaign.decisions if d not in campaign.record_choices]
    label = "the record's choices"
    if silent:
        label += f" (the record does not say at {', '.join(silent)}: first option taken)"
    return Plan(label, _complete(campaign, {}), mode)


def read_policy(path: str | Path, campaign: Campaign) -> list[Plan]:
    """The plans of a policy file; ScenarioError with file:line:col for every problem."""
    name = str(path)
    located = load_text(read_text(path), name)
    spec = validate_located(PolicySpec, located, name)
    problems = _check(spec, located, name, campaign)
    if problems:
        raise ScenarioError(problems)
    return plans(spec, campaign)


def plans(spec: PolicySpec, campaign: Campaign) -> list[Plan]:
    """Every policy *spec* describes: one, or one per combination of its family."""
    base = {d: _as_tuple(c) for d, c in spec.decisions.items()}
    family = [[(d, _as_tuple(c)) for c in alts] for d, alts in spec.family.items()]
    out = []
    for combo in product(*family):
        varied = dict(combo)
        label = ", ".join(f"{d}={'+'.join(c)}" for d, c in combo)
        label = " · ".join(x for x in (spec.label, label) if x) or "policy"
        out.append(Plan(label, _complete(campaign, {**base, **varied}), spec.mode))
    return out


def _as_tuple(choice: Choice) -> tuple[str, ...]:
    return (choice,) if isinstance(choice, str) else tuple(choice)


def _complete(campaign: Campaign, given: dict[str, tuple[str, ...]]) -> dict:
    record = campaign.record_choices
    return {
        d.id: given.get(d.id) or tuple(record.get(d.id) or (d.options[0].id,))
        for d in campaign.decisions.values()
    }


def _check(spec: PolicySpec, located: Located, name: str, campaign: Campaign) -> list[Problem]:
    def problem(path: tuple, message: str) -> Problem:
        line, col = located.where(path)
        return Problem(name, line, col, ".".join(str(p) for p in path), message)

    problems = []
    if spec.scenario is not None and spec.scenario != campaign.id:
        problems.append(
            problem(("scenario",), f"the policy is for {spec.scenario!r}, not {campaign.id!r}")
        )
    known = ", ".join(campaign.decisions)
    entries: list[tuple[tuple, str, str | list[str]]] = [
        (("decisions", d), d, c) for d, c in spec.decisions.items()
    ]
    for d, alts in spec.family.items():
        if d in spec.decisions:
            problems.append(
                problem(("family", d), f"{d!r} is under both decisions and family; keep one")
            )
        if not alts:
            problems.append(problem(("family", d), "list at least one alternative"))
        entries += [(("family", d, i), d, c) for i, c in enumerate(alts)]
    unknown = {d for _, d, _ in entries if d not in campaign.decisions}
    for section, d in dict.fromkeys((path[0], d) for path, d, _ in entries if d in unknown):
        problems.append(problem((section, d), f"no decision {d!r} (decisions: {known})"))
    for path, d, choice in entries:
        decision = campaign.decisions.get(d)
        if decision is None:
            continue
        chosen = _as_tuple(choice)
        offered = [o.id for o in decision.options]
        for o in chosen:
            if o not in offered:
                listed = ", ".join(offered)
                problems.append(problem(path, f"{d}: no option {o!r} (options: {listed})"))
        if not chosen or len(set(chosen)) != len(chosen):
            problems.append(problem(path, f"{d}: choose one or more different options"))
        elif decision.select == "one" and len(chosen) != 1:
            problems.append(problem(path, f"{d}: takes exactly one option"))
    count = 1
    for alts in spec.family.values():
        count *= max(len(alts), 1)
    if count > MAX_POLICIES:
        problems.append(
            problem(("family",), f"the family has {count:,} policies; the limit is {MAX_POLICIES}")
        )
    return problems


# -- playing -----------------------------------------------------------------------------------


def chunk_random(seed: int, chunk: int) -> random.Random:
    """The random stream of one chunk of games."""
    return random.Random(f"exsim:{seed}:{chunk}")


@dataclass
class Distribution:
    """The outcomes of many simulated games under one plan."""

    campaign: Campaign
    plan: Plan
    runs: int
    seed: int
    counts: Counter[Result] = field(default_factory=Counter)

    def endings(self) -> Counter[str | None]:
        out: Counter[str | None] = Counter()
        for r, n in self.counts.items():
            out[r.ending] += n
        return out

    def measure(self, measure_id: str) -> Counter:
        out: Counter = Counter()
        for r, n in self.counts.items():
            out[dict(r.measures)[measure_id]] += n
        return out

    def fallbacks(self) -> int:
        return sum(n for r, n in self.counts.items() if r.fallbacks)

    def rows(self) -> list[dict]:
        """One row per ending and per measure value, with counts, shares and the record."""
        c = self.campaign
        endings = {e.id: e for e in c.scenario.endings}
        record_ending = _record_ending(c)
        rows = []
        for ending_id, n in sorted_counts(self.endings()):
            e = endings.get(ending_id)
            rows.append(
                self._row(
                    "ending",
                    "ending",
                    "Outcome",
                    ending_id,
                    e.title if e else "no ending",
                    n,
                    record_ending,
                    list(e.cite) if e else [],
                )
            )
        for m in c.scenario.measures:
            rec = record_value(m)
            for v, n in sorted_counts(self.measure(m.id)):
                cite = list(m.record.cite) if m.record else []
                rows.append(
                    self._row(
                        "measure", m.id, m.label, v, show(c, m, v), n, rec if m.record else None
                    )
                    | {"record_shown": show(c, m, rec) if m.record else None, "record_cite": cite}
                )
        return rows

    def _row(self, kind, id_, label, v, shown, n, record, cite=None) -> dict:
        return {
            "policy": self.plan.label,
            "kind": kind,
            "id": id_,
            "label": label,
            "value": v,
            "shown": shown,
            "games": n,
            "share": n / self.runs if self.runs else 0.0,
            "record": record,
            "is_record": record is not None and v == record,
            **({"cite": cite} if cite is not None else {}),
            "simulated": True,
        }

    def to_dict(self) -> dict:
        return {
            "scenario": self.campaign.id,
            "version": self.campaign.version,
            "policy": self.plan.label,
            "choices": {d: list(c) for d, c in self.plan.choices.items()},
            "mode": self.plan.mode,
            "runs": self.runs,
            "seed": self.seed,
            "simulated": True,
            "games_with_fallback": self.fallbacks(),
            "rows": self.rows(),
        }


def sorted_counts(counts: Counter) -> list:
    return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))


def _record_ending(campaign: Campaign) -> str | None:
    from exsim.engine.compare import play_record

    ending = play_record(campaign).ending
    return ending.id if ending else None


def simulate(
    campaign: Campaign,
    plan: Plan,
    runs: int,
    seed: int = 0,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Distribution:
    """Play *runs* games under *plan*; the counts depend on *seed* only, not on *jobs*."""
    chunks = [(i, min(CHUNK, runs - start)) for i, start in enumerate(range(0, runs, CHUNK))]
    dist = Distribution(campaign, plan, runs, seed)
    if jobs <= 1 or len(chunks) <= 1:
        play = FastPlay(campaign, plan.choose, plan.mode)
        for i, games in chunks:
            dist.counts.update(play.results(play.run(games, chunk_random(seed, i).random)))
            if progress:
                progress(games)
        return dist
    with ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_start_worker,
        initargs=(campaign, plan),
    ) as pool:
        futures = {pool.submit(_run_chunk, seed, i, games): games for i, games in chunks}
        for future in as_completed(futures):
            dist.counts.update(future.result())
            if progress:
                progress(futures[future])
    return dist


def distribution(
    campaign: Campaign,
    choices: Mapping[str, Sequence[str] | str],
    runs: int = 10_000,
    seed: int = 0,
    mode: Mode = "what-if",
) -> Distribution:
    """The spread of outcomes of *choices* (decision → options; missing: the record's)."""
    given = {d: (c,) if isinstance(c, str) else tuple(c) for d, c in choices.items()}
    plan = Plan("your choices", _complete(campaign, given), mode)
    return simulate(campaign, plan, runs, seed)


_worker: FastPlay | None = None


def _start_worker(campaign: Campaign, plan: Plan) -> None:
    global _worker
    _worker = FastPlay(campaign, plan.choose, plan.mode)


def _run_chunk(seed: int, chunk: int, games: int) -> Counter[Result]:
    assert _worker is not None, "a worker process starts with _start_worker"
    return _worker.results(_worker.run(games, chunk_random(seed, chunk).random))
