"""What one student may see now: their own briefing and recommendation, what is revealed."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from exsim.classroom.room import ClassState, Group, Student
from exsim.engine.game import Entry
from exsim.scenario.model import Briefing


@dataclass(frozen=True)
class SeatView:
    """A student's screen as data. Other roles' recommendations (and their reasons) are removed
    from `group` unless this student is the chair now deciding; other roles' briefings are
    never in it."""

    state: ClassState
    role: str
    name: str
    group: Group
    briefings: tuple[Briefing, ...]
    own: tuple[str, ...] | None  # this role's recommendation on the open item, if sent
    asked: bool  # this role is asked to recommend on the open item
    deciding: bool  # this student takes the open decision now
    shown: tuple[Entry, ...]  # this round's decision and the cables released so far

    @classmethod
    def build(cls, student: Student) -> SeatView:
        room = student.room
        state, group = room.state(student.code), student.group()
        role, decision = student.role, group.decision
        deciding = (
            state.stage in ("deciding", "decided") and not group.decided and group.decider() == role
        )
        pending = group.session.pending
        if decision is not None:
            recs = pending.get(decision.id, {})
            keep = recs if deciding else {r: p for r, p in recs.items() if r == role}
            pending = {decision.id: keep} if keep else {}
            own = recs.get(role)
            asked = role in group.asked()
            phase = group.game.current.phase
            briefings = group.campaign.briefings(role, phase, group.game.phase_state(phase))
        else:
            pending, own, asked, briefings = {}, None, False, ()
        open_id = decision.id if decision else None
        reasons = {
            (d, r): why
            for (d, r), why in group.reasons.items()
            if d != open_id or deciding or r == role
        }
        private = dataclasses.replace(
            group, session=dataclasses.replace(group.session, pending=pending), reasons=reasons
        )
        shown: tuple[Entry, ...] = ()
        if state.stage in ("deciding", "decided") and group.decided:
            released, out = state.released, []
            for entry in group.round_entries():
                if entry.kind == "response":
                    if released == 0:
                        continue
                    released -= 1
                out.append(entry)
            shown = tuple(out)
        return cls(
            state,
            role,
            group.claims.get(role, ""),
            private,
            briefings,
            own,
            asked,
            deciding,
            shown,
        )

    @property
    def paused(self) -> bool:
        """The class, or this student's group alone, is paused by the facilitator."""
        return self.state.paused or self.group.paused

    @property
    def person(self) -> str:
        """'Dean Rusk, Secretary of State'."""
        r = self.group.campaign.roles[self.role]
        return f"{r.name}, {r.office}"
