"""A checked scenario, indexed for play: the agenda in order and lookups by id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from pydantic import BaseModel

from exsim.engine.policy import PolicyMachines, holds
from exsim.scenario.loader import ScenarioFile
from exsim.scenario.model import (
    Advocacy,
    Decision,
    Ending,
    Option,
    Phase,
    Response,
    Scenario,
)
from exsim.scenario.sourcetext import SourceText, SourceTextError, read_source_text

if TYPE_CHECKING:
    from exsim.engine.presumption import Claim


@dataclass(frozen=True)
class Step:
    """One item of the campaign's agenda: a decision, or a counterpart response.

    *when* is what must hold for it to be on the agenda when its turn comes: its phase's
    condition and, for a decision, its own.
    """

    phase: Phase
    decision: Decision | None = None
    response: Response | None = None
    when: dict | None = None

    @property
    def id(self) -> str:
        if self.decision is not None:
            return self.decision.id
        assert self.response is not None  # a step is one or the other
        return self.response.id


def both(first: dict | None, second: dict | None) -> dict | None:
    """Two conditions as one that holds when both do."""
    if not first or not second:
        return first or second
    out = dict(first)
    for dim, wanted in second.items():
        if dim in out:
            mine = [out[dim]] if isinstance(out[dim], str) else out[dim]
            out[dim] = [x for x in mine if x in ([wanted] if isinstance(wanted, str) else wanted)]
        else:
            out[dim] = wanted
    return out


class Campaign:
    """A scenario ready to play: every check passed, machine names verified."""

    def __init__(self, loaded: ScenarioFile):
        self.file = loaded
        self.scenario: Scenario = loaded.scenario
        s = self.scenario
        self.steps: list[Step] = []
        for phase in s.phases:
            self.steps += [
                Step(phase, decision=d, when=both(phase.when, d.when)) for d in phase.decisions
            ]
            self.steps += [
                Step(phase, response=r, when=phase.when) for r in s.responses if r.after == phase.id
            ]
        self.decisions: dict[str, Decision] = {
            st.decision.id: st.decision for st in self.steps if st.decision
        }
        self.phase_of: dict[str, Phase] = {st.id: st.phase for st in self.steps}
        self.phase_start: dict[str, int] = {}  # phase id → agenda position where it opens
        position = 0
        for phase in s.phases:
            self.phase_start[phase.id] = position
            while position < len(self.steps) and self.steps[position].phase is phase:
                position += 1
        self.roles = {r.id: r for r in s.roles}
        self.actors = {a.id: a for a in s.actors}
        self.sources = {src.id: src for src in s.sources}
        self._texts: dict[str, SourceText | None] = {}
        self.triggers = {t.id: t for t in s.machine.triggers}
        self.machines = PolicyMachines(s)  # shared by this campaign's games
        self._applies: dict[int, dict[str, list[str]] | None] = {}
        self.pressure_labels = {
            (d.id, st.id): st.pressure
            for d in s.machine.dimensions
            for st in d.states
            if st.pressure
        }

    @property
    def id(self) -> str:
        return self.scenario.id

    @cached_property
    def claims(self) -> list[Claim]:
        """Every text shown in play, with where it is shown and what it presumes
        (`presumption.claims_of`)."""
        from exsim.engine.presumption import claims_of

        return claims_of(self)

    def applies_from(self, option: Option) -> dict[str, list[str]] | None:
        """The states *option*'s moves can start from by the machine's structure alone (its
        guards aside): where the option applies and is offered. None: nowhere."""
        key = id(option)
        if key not in self._applies:
            self._applies[key] = self._starts(option)
        return self._applies[key]

    def _starts(self, option: Option) -> dict[str, list[str]] | None:
        need: dict[str, list[str]] = {}
        reached: dict[str, str] = {}
        for trigger in (self.triggers[t] for t in option.triggers):
            dim = trigger.dimension
            if dim in reached and reached[dim] not in trigger.source:
                return None
            need.setdefault(dim, list(trigger.source))
            reached[dim] = trigger.dest
        return need

    def offered(self, decision: Decision, state: dict[str, str]) -> list[Option]:
        """The options of *decision* that apply in *state*: an option whose moves the
        machine's structure cannot take from there (tighten a lifted quarantine) is not
        offered; one the group's policy refuses (a guard) is offered, refused with its
        reason."""
        return [o for o in decision.options if self.applies(o, state)]

    def applies(self, option: Option, state: dict[str, str]) -> bool:
        """Whether *option* applies in *state* (`applies_from`)."""
        starts = self.applies_from(option)
        return starts is not None and holds(starts, state)

    def on_agenda(self, step: Step, state: dict[str, str]) -> bool:
        """Whether *step* comes up in *state*: its condition holds and, for a decision, some
        option applies (else it is passed over with a note, as when its condition fails)."""
        if not holds(step.when, state):
            return False
        return step.decision is None or bool(self.offered(step.decision, state))

    def briefings(self, role: str, phase: Phase, state: dict[str, str]) -> tuple:
        """*role*'s briefings for *phase* that fit *state* (the state the phase opened in)."""
        return tuple(
            b for b in self.roles[role].briefings if b.phase == phase.id and holds(b.when, state)
        )

    @property
    def version(self) -> str:
        return self.scenario.version

    @property
    def content_hash(self) -> str:
        return self.file.content_hash

    def decider(self, decision: Decision) -> str | None:
        """The role that takes *decision*, or None when the group decides."""
        return decision.decides or self.phase_of[decision.id].chair

    def recommenders(self, decision: Decision) -> list[str]:
        if decision.recommenders is not None:
            return list(decision.recommenders)
        return list(self.phase_of[decision.id].present)

    def ending_for(self, state: dict[str, str]) -> Ending | None:
        return next((e for e in self.scenario.endings if holds(e.when, state)), None)

    @cached_property
    def record_choices(self) -> dict[str, list[str]]:
        """Decision id → the options ExComm chose, for decisions the record covers."""
        return {
            d.id: list(d.record.chosen or ())
            for d in self.decisions.values()
            if d.record and d.record.says
        }

    def record_gap(self, decision: Decision) -> str | None:
        """Why the record does not say what was decided at *decision*, or None if it does."""
        record = decision.record
        if record is None:
            return "the scenario gives no record for it"
        return None if record.says else record.gap

    def told_on(self, cite: str) -> dt.date:
        """The date of what *cite* tells: its paragraph's event, else its document's date."""
        source_id, _, para = cite.partition("#")
        source = self.sources[source_id]
        return source.events.get(para, source.date)

    def recorded_on(self, advocacy: Advocacy) -> dt.date:
        """The day a position was recorded: the latest day its citations tell."""
        return max(self.told_on(c) for c in advocacy.cite)

    def counted_positions(self, decision: Decision) -> dict[str, Advocacy]:
        """Per role, the recorded position on *decision* that a recommendation is set against:
        one backing options, recorded on the decision's own day (a view of another day is
        shown, dated, but not counted), and never a reconstruction."""
        day = self.phase_of[decision.id].date
        advocates = decision.record.advocates if decision.record else []
        return {
            a.role: a
            for a in reversed(advocates)
            if a.options and not a.reconstructed and self.recorded_on(a) == day
        }

    def position_note(self, advocacy: Advocacy, day: dt.date) -> str:
        """What a position is, said beside it wherever it is shown on *day* (its decision's):
        the game's reconstruction, or a view recorded on another day; '' for the day's own."""
        if advocacy.reconstructed:
            return "the game's reconstruction, from views recorded elsewhere; not record"
        on = self.recorded_on(advocacy)
        return "" if on == day else f"recorded on {on.day} {on:%B}, not counted for this day"

    def cite_text(self, cite: str) -> str:
        """A citation as readers see it: ``FRUS XI, 143 ¶3``."""
        source_id, _, para = cite.partition("#")
        short = self.sources[source_id].short
        return f"{short} ¶{para}" if para else short

    def cites_text(self, cites) -> str:
        """Citations in brackets after a claim: `` [FRUS XI, 143 ¶3; FRUS XI, 174 ¶1]``, or ''."""
        shown = "; ".join(self.cite_text(c) for c in cites)
        return f" [{shown}]" if shown else ""

    def known_on(self, cite: str) -> dt.date | None:
        """The day what *cite* tells was known at the table: its paragraph's event, else its
        document's date; None for a document known only in hindsight."""
        source_id, _, para = cite.partition("#")
        source = self.sources[source_id]
        return None if source.hindsight else source.events.get(para, source.date)

    def known_by(self, cites: Iterable[str], day: dt.date) -> bool:
        """Whether everything *cites* tell was known at the table on *day*."""
        for cite in cites:
            known = self.known_on(cite)
            if known is None or known > day:
                return False
        return True

    @cached_property
    def dimension_known_from(self) -> dict[str, dt.date]:
        """Dimension id → the day it is known in the game: its declared `known_from`, else
        the day its citations tell, else the first meeting whose decisions move it, else the
        game's first day. Before it, play shows neither the dimension nor its state."""
        moved: dict[str, dt.date] = {}
        for step in self.steps:
            for option in step.decision.options if step.decision else ():
                for trigger in option.triggers:
                    moved.setdefault(self.triggers[trigger].dimension, step.phase.date)
        start = self.scenario.phases[0].date
        out: dict[str, dt.date] = {}
        for dim in self.scenario.machine.dimensions:
            told = [self.known_on(c) for c in dim.cite]
            cited = None if not told else max(d or dt.date.max for d in told)
            out[dim.id] = dim.known_from or cited or moved.get(dim.id, start)
        return out

    def dimension_known(self, dimension: str, day: dt.date | None) -> bool:
        """Whether *dimension* is known on *day* (None: after the game, all is)."""
        return day is None or self.dimension_known_from[dimension] <= day

    @cached_property
    def meeting_paragraphs(self) -> dict[str, int]:
        """Paragraph citation → the agenda position from which it opens, for the records of
        the meetings played: a document dated on a phase's day whose decisions' records cite
        it. While that meeting is on, a paragraph of it opens when a text shown to the whole
        table (situation, question, context, option; not a private briefing, nor the decisions'
        records and the positions recorded on them) first cites it; the rest, which tells what
        the meeting decided, opens once its decisions are taken. A paragraph telling an earlier
        event (`events`) is not the meeting's."""
        out: dict[str, int] = {}
        for phase in self.scenario.phases:
            start = self.phase_start[phase.id]
            steps = [st for st in self.steps if st.phase is phase]
            end = start + len(steps)
            records = {
                c.partition("#")[0]
                for st in steps
                if st.decision and st.decision.record
                for c in st.decision.record.cite
            }
            minutes = [
                self.sources[s] for s in sorted(records) if self.sources[s].date == phase.date
            ]
            if not minutes:
                continue
            opened: dict[str, int] = {}
            for cite in cites_in(phase.situation):
                opened.setdefault(cite, start)
            for n, st in enumerate(steps, start):
                if st.decision:
                    shown = st.decision.model_copy(update={"record": None})
                    for cite in cites_in(shown):
                        opened.setdefault(cite, n)
            for source in minutes:
                for label in source.paragraphs:
                    if label in source.events:
                        continue
                    key = f"{source.id}#{label}"
                    out[key] = opened.get(key, opened.get(source.id, end))
        return out

    def known_at(self, cite: str, day: dt.date, position: int) -> bool:
        """Whether *cite* may be shown on *day* at agenda *position*: known by then
        (`known_by`) and, for a paragraph of the record of the meeting being played, opened
        (`meeting_paragraphs`). A whole document so restricted is known only in part."""
        if not self.known_by([cite], day):
            return False
        source_id, _, label = cite.partition("#")
        if label:
            return self.meeting_paragraphs.get(cite, 0) <= position
        return all(
            self.meeting_paragraphs.get(f"{source_id}#{p}", 0) <= position
            for p in self.sources[source_id].paragraphs
        )

    def passage(self, cite: str) -> str | None:
        """The words of the paragraph *cite* names, when its source's text is at hand."""
        source_id, _, label = cite.partition("#")
        document = self.source_text(source_id) if label else None
        return document.paragraph(label).text if document else None

    def source_text(self, source_id: str) -> SourceText | None:
        """The text of a source as labelled paragraphs, or None when it is not at hand (no
        `file`, or a scenario read from a saved game rather than from its folder)."""
        if source_id not in self._texts:
            source = self.sources[source_id]
            try:
                text = read_source_text(self.file.path, source) if source.file else None
            except SourceTextError:
                text = None
            self._texts[source_id] = text
        return self._texts[source_id]


def cites_in(value: object) -> Iterator[str]:
    """Every citation in *value* (a model, or lists of them), in order."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            field = getattr(value, name)
            if name == "cite" and isinstance(field, list):
                yield from field
            else:
                yield from cites_in(field)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from cites_in(item)


def in_play(phase: Phase, state: dict[str, str]) -> list:
    """*phase*'s situation as shown during play, in the variant that fits *state*: none of an
    outcome phase's (the record after the game, and hindsight: the debrief shows them,
    labelled), and never a hindsight passage."""
    if phase.kind == "outcome":
        return []
    return [p for p in shown(phase.situation, state) if not p.hindsight]


def shown(passages, state: dict[str, str]) -> list:
    """The passages (or briefings) whose `when` holds in *state*: the variants to show."""
    return [p for p in passages if holds(p.when, state)]
