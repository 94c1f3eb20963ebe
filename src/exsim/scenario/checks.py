"""Checks that need the whole scenario: unique ids, references, citations, reachable states."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from exsim.scenario.problems import Problem

if TYPE_CHECKING:
    from exsim.scenario.loader import ScenarioFile

# Names transitions binds on the model, or that the engine's model already uses.
RESERVED = {"trigger", "may_trigger", "get_graph", "state", "machine", "models"}
RESERVED_PREFIXES = ("is_", "may_", "to_", "on_enter_", "on_exit_", "_")


def check_references(loaded: ScenarioFile) -> list[Problem]:
    """Every problem that the pydantic shape check cannot see."""
    return list(_Checker(loaded).run())


class _Checker:
    def __init__(self, loaded: ScenarioFile):
        self.loaded = loaded
        self.s = loaded.scenario
        self.sources = {src.id: src for src in self.s.sources}
        self.roles = {r.id for r in self.s.roles}
        self.actors = {a.id for a in self.s.actors}
        self.dims = {d.id: {st.id for st in d.states} for d in self.s.machine.dimensions}
        self.guards = {g.id: g for g in self.s.machine.guards}
        self.triggers = {t.id: t for t in self.s.machine.triggers}
        self.phases = {p.id for p in self.s.phases}

    def problem(self, path: tuple, message: str) -> Problem:
        return self.loaded.problem(path, message)

    def run(self) -> Iterator[Problem]:
        s = self.s
        yield from self.unique(("sources",), s.sources)
        yield from self.unique(("roles",), s.roles)
        yield from self.unique(("actors",), s.actors)
        yield from self.unique(("phases",), s.phases)
        yield from self.unique(("responses",), s.responses)
        yield from self.unique(("endings",), s.endings)
        yield from self.check_sources()
        yield from self.check_roles()
        yield from self.check_machine()
        yield from self.check_phases()
        yield from self.check_responses()
        for i, ending in enumerate(s.endings):
            at = ("endings", i)
            yield from self.condition(at + ("when",), ending.when)
            yield from self.cites(at + ("cite",), ending.cite)
            yield from self.record_or_simulated(at, ending.cite, ending.simulated)
        yield from self.unique(("measures",), s.measures)
        for i, measure in enumerate(s.measures):
            yield from self.check_measure(("measures", i), measure)

    # -- helpers -----------------------------------------------------------------------------

    def unique(self, at: tuple, items: Iterable) -> Iterator[Problem]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                yield self.problem(at + (i, "id"), f"id {item.id!r} is used twice")
            seen.add(item.id)

    def ref(
        self, at: tuple, name: str | None, known: Iterable[str], what: str
    ) -> Iterator[Problem]:
        if name is not None and name not in known:
            offered = ", ".join(sorted(known)) or "none defined"
            yield self.problem(at, f"unknown {what} {name!r} (known: {offered})")

    def refs(self, at: tuple, names: Iterable[str], known: Iterable[str], what: str):
        for i, name in enumerate(names):
            yield from self.ref(at + (i,), name, known, what)

    def cites(self, at: tuple, cites: Iterable[str]) -> Iterator[Problem]:
        for i, cite in enumerate(cites):
            source_id, _, para = cite.partition("#")
            source = self.sources.get(source_id)
            if source is None:
                yield from self.ref(at + (i,), source_id, self.sources, "source")
            elif para and para not in source.paragraphs:
                labels = ", ".join(source.paragraphs) or "none: cite the document alone"
                yield self.problem(
                    at + (i,),
                    f"source {source_id!r} has no paragraph {para!r} (paragraphs: {labels})",
                )
            elif not para and source.paragraphs:
                example = f"{source_id}#{next(iter(source.paragraphs))}"
                yield self.problem(at + (i,), f"cite a paragraph of {source_id!r}, e.g. {example}")

    def condition(self, at: tuple, cond: dict | None) -> Iterator[Problem]:
        for dim, states in (cond or {}).items():
            if dim not in self.dims:
                yield from self.ref(at + (dim,), dim, self.dims, "dimension")
                continue
            states = [states] if isinstance(states, str) else states
            yield from self.refs(at + (dim,), states, self.dims[dim], f"state of {dim!r}")

    def record_or_simulated(self, at: tuple, cite: list, simulated: bool, rationale=None):
        if cite and simulated:
            yield self.problem(at, "either record (with cite) or simulated, not both")
        elif not cite and not simulated:
            yield self.problem(at, "record text needs a cite; mark invented text 'simulated: true'")
        elif simulated and rationale is not None and not rationale.strip():
            yield self.problem(at + ("rationale",), "a simulated part needs its rationale")

    def passages(self, at: tuple, passages, phase) -> Iterator[Problem]:
        for i, p in enumerate(passages):
            yield from self.cites(at + (i, "cite"), p.cite)
            yield from self.record_or_simulated(at + (i,), p.cite, p.simulated)
            yield from self.condition(at + (i, "when"), p.when)
            yield from self.condition(at + (i, "asserts"), p.asserts)
            if p.quote is not None and not p.cite:
                yield self.problem(at + (i, "quote"), "a quotation needs a cite")
            if p.hindsight and phase.kind != "outcome":
                yield self.problem(
                    at + (i, "hindsight"),
                    f"hindsight is allowed only in an outcome phase, and this is a {phase.kind} "
                    "phase: move the passage to the phase with `kind: outcome`, or remove "
                    "`hindsight: true` and cite only what was known by this phase's date",
                )
            if p.hindsight and p.simulated:
                yield self.problem(
                    at + (i, "hindsight"), "hindsight is record text: it needs a cite"
                )
            if not p.hindsight:
                fix = (
                    "mark it 'hindsight: true'"
                    if phase.kind == "outcome"
                    else "cite what was known by then; hindsight belongs in the outcome phase "
                    "(`kind: outcome`), marked 'hindsight: true'"
                )
                yield from self.not_later(at + (i, "cite"), p.cite, phase, fix)

    def later_cites(self, cites, day: dt.date) -> Iterator[tuple[int, str, str]]:
        """(index, citation, why it was not known) for each of *cites* not known on *day*:
        dated after it, or from a document known only in hindsight."""
        for i, cite in enumerate(cites):
            source = self.sources.get(cite.partition("#")[0])
            told = self.told_on(cite)
            if source is not None and source.hindsight:
                yield i, cite, "known only in hindsight (its source says `hindsight: true`)"
            elif told and told > day:
                yield i, cite, f"dated {told}"

    def not_later(self, at: tuple, cites, shown, fix: str) -> Iterator[Problem]:
        """Text shown during play at *shown* (a phase or a response: its id and date) may cite
        nothing not known by then (*fix* says what to do)."""
        for i, cite, why in self.later_cites(cites, shown.date):
            yield self.problem(
                at + (i,),
                f"{cite!r} is {why}, but this text is shown during play at {shown.id!r} "
                f"({shown.date}): {fix}",
            )

    # -- sections ----------------------------------------------------------------------------

    def check_sources(self) -> Iterator[Problem]:
        for i, source in enumerate(self.s.sources):
            for label in source.events:
                if label not in source.paragraphs:
                    labels = ", ".join(source.paragraphs) or "none"
                    yield self.problem(
                        ("sources", i, "events", label),
                        f"{source.id!r} has no paragraph {label!r} (paragraphs: {labels})",
                    )
                elif source.events[label] > source.date:
                    yield self.problem(
                        ("sources", i, "events", label),
                        "an event a document tells cannot come after the document",
                    )

    def check_roles(self) -> Iterator[Problem]:
        phases = {p.id: p for p in self.s.phases}
        for i, role in enumerate(self.s.roles):
            for j, b in enumerate(role.briefings):
                at = ("roles", i, "briefings", j)
                yield from self.ref(at + ("phase",), b.phase, self.phases, "phase")
                yield from self.cites(at + ("cite",), b.cite)
                yield from self.condition(at + ("when",), b.when)
                yield from self.condition(at + ("asserts",), b.asserts)
                if b.phase in phases:
                    yield from self.not_later(
                        at + ("cite",),
                        b.cite,
                        phases[b.phase],
                        "a briefing holds only what was known then",
                    )

    def check_machine(self) -> Iterator[Problem]:
        m = self.s.machine
        yield from self.unique(("machine", "dimensions"), m.dimensions)
        yield from self.unique(("machine", "guards"), m.guards)
        yield from self.unique(("machine", "triggers"), m.triggers)
        yield from self.unique(("machine", "invariants"), m.invariants)
        for i, d in enumerate(m.dimensions):
            at = ("machine", "dimensions", i)
            yield from self.reserved(at + ("id",), d.id)
            yield from self.unique(at + ("states",), d.states)
            yield from self.ref(at + ("initial",), d.initial, self.dims[d.id], f"state of {d.id!r}")
        for i, d in enumerate(m.dimensions):
            at = ("machine", "dimensions", i)
            yield from self.cites(at + ("cite",), d.cite)
            for j, st in enumerate(d.states):
                yield from self.cites(at + ("states", j, "cite"), st.cite)
                yield from self.condition(at + ("states", j, "asserts"), st.asserts)
        for i, g in enumerate(m.guards):
            at = ("machine", "guards", i)
            if (g.when is None) == (g.unless is None):
                yield self.problem(
                    at,
                    "a guard gives `when` (the move is allowed only while it holds) or `unless` "
                    "(the move is refused while it holds): one of them",
                )
            key = "when" if g.unless is None else "unless"
            yield from self.condition(at + (key,), g.when or g.unless)
            yield from self.condition(at + ("asserts",), g.asserts)
            yield from self.cites(at + ("cite",), g.cite)
            if g.cite and g.simulated:
                yield self.problem(at, "either the record's rule (cite) or simulated, not both")
            elif not g.cite and not g.simulated:
                yield self.problem(
                    at,
                    "a guard states the record's policy with a `cite`; for a rule that is the "
                    "game's own, write `simulated: true` and a `rationale` instead",
                )
            elif g.simulated and not (g.rationale or "").strip():
                yield self.problem(at, "a simulated guard needs a `rationale`: why the game has it")
            named = {gid for t in m.triggers for gid in t.guards}
            if g.id not in named and named <= set(self.guards):  # (a misspelt name aside)
                yield self.problem(
                    at + ("id",),
                    f"guard {g.id!r} is used by no trigger, so it never refuses anything: name "
                    f"it in the `guards` of the triggers it governs (guards: [{g.id}]), or "
                    "remove it",
                )
            for dim, wanted in (g.when or g.unless or {}).items():
                if isinstance(wanted, list) and not wanted:
                    yield self.problem(
                        at + (key, dim), "an empty list of states never holds: name a state"
                    )
        for i, t in enumerate(m.triggers):
            at = ("machine", "triggers", i)
            yield from self.reserved(at + ("id",), t.id)
            if t.id in self.dims:
                yield self.problem(at + ("id",), f"{t.id!r} names a dimension; pick another id")
            if t.dimension not in self.dims:
                yield from self.ref(at + ("dimension",), t.dimension, self.dims, "dimension")
                continue
            states = self.dims[t.dimension]
            yield from self.refs(at + ("source",), t.source, states, f"state of {t.dimension!r}")
            yield from self.ref(at + ("dest",), t.dest, states, f"state of {t.dimension!r}")
            yield from self.refs(at + ("guards",), t.guards, self.guards, "guard")
            yield from self.cites(at + ("cite",), t.cite)
            yield from self.guards_that_cannot_pass(at, t)
        yield from self.unique(("machine", "next_moves"), m.next_moves)
        for i, n in enumerate(m.next_moves):
            at = ("machine", "next_moves", i)
            yield from self.condition(at + ("when",), n.when)
            yield from self.ref(at + ("move",), n.move, self.triggers, "trigger")
            yield from self.cites(at + ("cite",), n.cite)
        for i, inv in enumerate(m.invariants):
            yield from self.condition(("machine", "invariants", i, "never"), inv.never)
            yield from self.cites(("machine", "invariants", i, "cite"), inv.cite)
        yield from self.unreachable_states()

    def guards_that_cannot_pass(self, at: tuple, trigger) -> Iterator[Problem]:
        """A guard reads the state before the move: one that wants the trigger's own dimension
        in a state the trigger does not start from never lets it through."""
        guards = {g.id: g for g in self.s.machine.guards}
        for k, gid in enumerate(trigger.guards):
            guard = guards.get(gid)
            wanted = (guard.when or {}).get(trigger.dimension) if guard else None
            if wanted is None:
                continue
            wanted = [wanted] if isinstance(wanted, str) else wanted
            if not set(wanted) & set(trigger.source):
                yield self.problem(
                    at + ("guards", k),
                    f"guard {gid!r} can never pass here: it wants {trigger.dimension} "
                    f"{' or '.join(wanted)}, but {trigger.id!r} starts only from "
                    f"{', '.join(trigger.source)} (a guard reads the state before the move); "
                    "fix the guard's `when` or the trigger's `source`",
                )

    def moves_in_turn(self, at: tuple, triggers: list[str], what: str) -> Iterator[Problem]:
        """Moves are made in order, all or none: a move of a dimension an earlier move of the
        list has already taken to a state it does not start from refuses the whole list."""
        reached: dict[str, tuple[str, str]] = {}  # dimension → (state, the trigger that set it)
        for k, tid in enumerate(triggers):
            t = self.triggers.get(tid)
            if t is None:
                continue
            state, by = reached.get(t.dimension, (None, ""))
            if state is not None and state not in t.source:
                again = "again " if by == tid else ""
                yield self.problem(
                    at + (k,),
                    f"this {what} can never happen: {by!r} moves {t.dimension} to {state}, and "
                    f"{tid!r} cannot then {again}start from there (it starts from "
                    f"{', '.join(t.source)}); remove one of the two, or change the triggers",
                )
                return
            reached[t.dimension] = (t.dest, tid)

    def reserved(self, at: tuple, name: str) -> Iterator[Problem]:
        if name in RESERVED or name.startswith(RESERVED_PREFIXES):
            yield self.problem(at, f"{name!r} is reserved; pick another id")

    def unreachable_states(self) -> Iterator[Problem]:
        m = self.s.machine
        leads_to: dict[tuple[str, str], list[str]] = {}  # (dimension, state) → next states
        for t in m.triggers:
            for source in t.source:
                leads_to.setdefault((t.dimension, source), []).append(t.dest)
        for i, d in enumerate(m.dimensions):
            reached, frontier = {d.initial}, [d.initial]
            while frontier:
                for dest in leads_to.get((d.id, frontier.pop()), ()):
                    if dest not in reached:
                        reached.add(dest)
                        frontier.append(dest)
            for j, st in enumerate(d.states):
                if st.id not in reached:
                    yield self.problem(
                        ("machine", "dimensions", i, "states", j),
                        f"state {st.id!r} cannot be reached from {d.initial!r} by any trigger",
                    )

    def check_phases(self) -> Iterator[Problem]:
        seen_decisions: set[str] = set()
        yield from self.dates_in_order()
        moves = {t.id: t.dimension for t in self.s.machine.triggers}
        for i, p in enumerate(self.s.phases):
            at = ("phases", i)
            yield from self.condition(at + ("when",), p.when)
            yield from self.phase_condition_kept(at, p, moves)
            yield from self.ref(at + ("chair",), p.chair, self.roles, "role")
            yield from self.refs(at + ("present",), p.present, self.roles, "role")
            yield from self.refs(at + ("absent",), p.absent, self.roles, "role")
            yield from self.passages(at + ("situation",), p.situation, p)
            for j, d in enumerate(p.decisions):
                dat = at + ("decisions", j)
                if d.id in seen_decisions:
                    yield self.problem(dat + ("id",), f"decision id {d.id!r} is used twice")
                seen_decisions.add(d.id)
                yield from self.check_decision(dat, d, p)

    def phase_condition_kept(self, at: tuple, p, moves: dict[str, str]) -> Iterator[Problem]:
        """A phase's `when` is asked at each of its steps: a decision that changes what it
        reads, with more of the phase after it, would end the phase half-way."""
        later = len(p.decisions) + sum(1 for r in self.s.responses if r.after == p.id)
        for d in p.decisions:
            later -= 1
            moved = {moves[t] for o in d.options for t in o.triggers if t in moves} & set(
                p.when or {}
            )
            if moved and later:
                yield self.problem(
                    at + ("when",),
                    f"decision {d.id!r} moves {', '.join(sorted(moved))}, which this phase's "
                    "`when` reads, and more of the phase follows it: the rest of the phase "
                    "would be passed over; put the condition on the decisions that need it, "
                    f"or make {d.id!r} the phase's last step",
                )

    def dates_in_order(self) -> Iterator[Problem]:
        """Phases in date order, and each response dated within the phases around it."""
        phases = self.s.phases
        for i in range(1, len(phases)):
            before, p = phases[i - 1], phases[i]
            if p.date < before.date:
                yield self.problem(
                    ("phases", i, "date"),
                    f"phase {p.id!r} is dated {p.date}, before {before.id!r} ({before.date}) "
                    "which comes first: phases are played in the order written, so move this "
                    "phase up or correct its date (YYYY-MM-DD)",
                )
        index = {p.id: i for i, p in enumerate(phases)}
        for i, r in enumerate(self.s.responses):
            if r.after not in index:
                continue
            after = phases[index[r.after]]
            following = phases[index[r.after] + 1] if index[r.after] + 1 < len(phases) else None
            if r.date < after.date:
                yield self.problem(
                    ("responses", i, "date"),
                    f"response {r.id!r} is dated {r.date}, before phase {after.id!r} "
                    f"({after.date}) that it follows: correct its date, or set `after` to an "
                    "earlier phase",
                )
            elif following is not None and r.date > following.date:
                fits = [p.id for p in phases if p.date <= r.date][-1]
                yield self.problem(
                    ("responses", i, "date"),
                    f"response {r.id!r} is dated {r.date}, but it happens after {after.id!r} "
                    f"and before {following.id!r} ({following.date}): the log would run "
                    f"backwards; set `after: {fits}` or correct its date",
                )

    def check_decision(self, at: tuple, d, phase) -> Iterator[Problem]:
        yield from self.ref(at + ("decides",), d.decides, self.roles, "role")
        yield from self.refs(at + ("recommenders",), d.recommenders or [], self.roles, "role")
        yield from self.condition(at + ("when",), d.when)
        yield from self.condition(at + ("asserts",), d.asserts)
        yield from self.passages(at + ("context",), d.context, phase)
        yield from self.unique(at + ("options",), d.options)
        options = {o.id for o in d.options}
        for k, o in enumerate(d.options):
            yield from self.refs(
                at + ("options", k, "triggers"), o.triggers, self.triggers, "trigger"
            )
            yield from self.refusals_known_then(at + ("options", k, "triggers"), o, phase)
            yield from self.moves_in_turn(at + ("options", k, "triggers"), o.triggers, "option")
        yield from self.check_exclusive(at, d, options)
        if d.record is None:
            yield self.problem(
                at,
                f"decision {d.id!r} has no record: add `record:` with the options `chosen`, a "
                "`summary` and a `cite`; where the sources do not say what was decided, "
                "write `record: {gap: why the sources are silent, cite: [...]}`",
            )
            return
        rec = at + ("record",)
        if d.record.chosen is None:
            if not (d.record.gap or "").strip():
                yield self.problem(
                    rec,
                    "a record without `chosen` is a gap: say in `gap:` why the sources do "
                    "not tell what was decided, or name the options `chosen`",
                )
        else:
            yield from self.refs(rec + ("chosen",), d.record.chosen, options, "option")
            if d.record.summary is None:
                yield self.problem(rec, "a record with `chosen` needs a `summary` of the decision")
            if d.select == "one" and len(d.record.chosen) != 1:
                yield self.problem(
                    rec + ("chosen",), "this decision takes one option; the record names several"
                )
            for group in d.exclusive:
                clash = [o for o in d.record.chosen if o in group]
                if len(clash) > 1:
                    yield self.problem(
                        rec + ("chosen",),
                        f"{' and '.join(clash)} exclude each other (`exclusive`); "
                        "the record can name only one of them",
                    )
        yield from self.cites(rec + ("cite",), d.record.cite)
        for k, adv in enumerate(d.record.advocates):
            aat = rec + ("advocates", k)
            yield from self.ref(aat + ("role",), adv.role, self.roles, "role")
            yield from self.refs(aat + ("options",), adv.options, options, "option")
            yield from self.cites(aat + ("cite",), adv.cite)
            yield from self.not_later(
                aat + ("cite",), adv.cite, phase, "advisors voice only what was said by then"
            )

    def refusals_known_then(self, at: tuple, option, phase) -> Iterator[Problem]:
        """A guard that may refuse *option* is shown with its reason at *phase*: the rule
        must not cite what came later."""
        triggers, guards = self.triggers, self.guards
        for k, tid in enumerate(option.triggers):
            for gid in triggers[tid].guards if tid in triggers else ():
                cites = guards[gid].cite if gid in guards else ()
                if not self.may_refuse_by(gid, phase):
                    continue
                for _, cite, why in self.later_cites(cites, phase.date):
                    yield self.problem(
                        at + (k,),
                        f"guard {gid!r} may refuse this on {phase.date} citing {cite!r}, "
                        f"{why}: a rule shown then cites only what was known",
                    )

    def may_refuse_by(self, gid: str, phase) -> bool:
        """Whether guard *gid* may refuse a move at *phase*: an `unless` guard only once every
        dimension it reads can be in a state it names, by moves of the steps before."""
        guard = self.guards.get(gid)
        if guard is None or guard.unless is None:
            return True
        reached = self.reached_before(phase)
        return all(
            {wanted} & reached[dim] if isinstance(wanted, str) else set(wanted) & reached[dim]
            for dim, wanted in guard.unless.items()
            if dim in reached
        )

    def reached_before(self, phase) -> dict[str, set[str]]:
        """The states each dimension may be in at *phase*: its initial state and those the
        moves of earlier phases and their responses lead to, and of *phase*'s own decisions."""
        m = self.s.machine
        reached = {d.id: {d.initial} for d in m.dimensions}
        order = [p.id for p in self.s.phases]
        upto = order.index(phase.id)
        fired = [
            t
            for p in self.s.phases[: upto + 1]
            for d in p.decisions
            for o in d.options
            for t in o.triggers
        ]
        fired += [
            t
            for r in self.s.responses
            if r.after in order[:upto]
            for o in r.outcomes
            for t in o.triggers
        ]
        grew = True
        while grew:
            grew = False
            for tid in fired:
                t = self.triggers.get(tid)
                if t is None or t.dimension not in reached or t.dest in reached[t.dimension]:
                    continue
                if set(t.source) & reached[t.dimension]:
                    reached[t.dimension].add(t.dest)
                    grew = True
        return reached

    def told_on(self, cite: str) -> dt.date | None:
        """The date of what *cite* tells: its paragraph's event, else its document's date."""
        source_id, _, para = cite.partition("#")
        source = self.sources.get(source_id)
        if source is None:
            return None
        return source.events.get(para, source.date)

    def check_exclusive(self, at: tuple, d, options: set[str]) -> Iterator[Problem]:
        if d.exclusive and d.select != "many":
            yield self.problem(
                at + ("exclusive",),
                "`exclusive` groups options of a `select: many` decision; "
                "a `select: one` decision takes one option anyway",
            )
        seen: set[str] = set()
        for k, group in enumerate(d.exclusive):
            yield from self.refs(at + ("exclusive", k), group, options, "option")
            if len(group) < 2:
                yield self.problem(
                    at + ("exclusive", k), "an exclusive group lists two or more options: [a, b]"
                )
            for o in set(group) & seen:
                yield self.problem(
                    at + ("exclusive", k),
                    f"option {o!r} is in two exclusive groups; merge the groups",
                )
            seen |= set(group)

    def check_responses(self) -> Iterator[Problem]:
        for i, r in enumerate(self.s.responses):
            at = ("responses", i)
            yield from self.ref(at + ("after",), r.after, self.phases, "phase")
            yield from self.ref(at + ("actor",), r.actor, self.actors, "actor")
            yield from self.unique(at + ("outcomes",), r.outcomes)
            for j, o in enumerate(r.outcomes):
                oat = at + ("outcomes", j)
                yield from self.condition(oat + ("when",), o.when)
                yield from self.refs(oat + ("triggers",), o.triggers, self.triggers, "trigger")
                yield from self.moves_in_turn(oat + ("triggers",), o.triggers, "outcome")
                yield from self.cites(oat + ("cite",), o.cite)
                yield from self.not_later(
                    oat + ("cite",), o.cite, r, "a cable tells only what was known that day"
                )
                yield from self.record_or_simulated(oat, o.cite, o.simulated)
                if o.simulated and not (o.rationale or "").strip():
                    yield self.problem(oat, "a simulated outcome needs its rationale")
                for k, mod in enumerate(o.modifiers):
                    yield from self.condition(oat + ("modifiers", k, "when"), mod.when)

    def check_measure(self, at: tuple, m) -> Iterator[Problem]:
        needs = {
            "first_date": ("dimension", "states"),
            "final_state": ("dimension",),
            "pressure_count": (),
            "flag": ("when",),
        }[m.kind]
        for key in ("dimension", "states", "when"):
            given = getattr(m, key) not in (None, [])
            if key in needs and not given:
                yield self.problem(at + ("kind",), f"a {m.kind} measure needs {key!r}")
            elif given and key not in needs:
                yield self.problem(at + (key,), f"{key!r} has no meaning for a {m.kind} measure")
        states = self.dims.get(m.dimension, set())
        if m.dimension is not None:
            yield from self.ref(at + ("dimension",), m.dimension, self.dims, "dimension")
            what = f"state of {m.dimension!r}"
            yield from self.refs(at + ("states",), m.states, states, what)
            initial = next(
                (d.initial for d in self.s.machine.dimensions if d.id == m.dimension), ""
            )
            if m.kind == "first_date" and initial in m.states:
                yield self.problem(
                    at + ("states",), f"{m.dimension!r} starts in {initial!r}; it cannot enter it"
                )
        yield from self.condition(at + ("when",), m.when)
        if m.record is None:
            return
        yield from self.cites(at + ("record", "cite"), m.record.cite)
        value = m.record.value
        expected = {
            "first_date": (dt.date, type(None)),
            "final_state": (str,),
            "pressure_count": (int,),
            "flag": (bool,),
        }[m.kind]
        wrong_int = m.kind == "pressure_count" and isinstance(value, bool)
        if not isinstance(value, expected) or wrong_int:
            hint = {
                "first_date": "a date such as 1962-11-20 (unquoted), or null for never",
                "final_state": f"a state of {m.dimension!r}",
                "pressure_count": "a whole number",
                "flag": "true or false",
            }[m.kind]
            yield self.problem(at + ("record", "value"), f"a {m.kind} value is {hint}")
        elif m.kind == "final_state" and m.dimension in self.dims:
            what = f"state of {m.dimension!r}"
            yield from self.ref(at + ("record", "value"), str(value), states, what)
