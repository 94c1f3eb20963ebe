"""A class's gradebook: one row per student, for the teacher's records (CSV and JSON).

Built from the groups' debriefs (who recommended and decided what, credited by name), the
roles each student held and when, and their page loads (attendance). Students are told apart
by the name they joined with (the class refuses look-alike names).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from exsim.report.debrief import Debrief, Model


@dataclass(frozen=True)
class Tenure:
    """A role a student held: in which group, from when until when (None: still)."""

    name: str
    group: str
    role: str
    start: str
    end: str | None


@dataclass(frozen=True)
class Visits:
    """A student's page loads: how many, the first and the last."""

    name: str
    loads: int
    first: str
    last: str


class HeldRole(Model):
    group: str
    role: str
    role_name: str
    start: str = Field(description="When the student took the role (UTC, ISO 8601).")
    end: str | None = Field(description="When it was freed or the student moved; null: held.")


class GradedRecommendation(Model):
    group: str
    decision: str
    title: str
    role_name: str
    recommended: list[str] = Field(description="The options' labels.")
    reason: str | None
    aligned_with_person: bool | None = Field(description="As the person played argued.")
    same_as_record: bool | None = Field(description="The same as ExComm's choice.")


class GradedDecision(Model):
    group: str
    decision: str
    title: str
    role_name: str
    chosen: list[str] = Field(description="The options' labels.")
    same_as_record: bool | None


class Attendance(Model):
    page_loads: int
    first_seen: str | None
    last_seen: str | None


class StudentRow(Model):
    student: str
    groups: list[str]
    roles: list[HeldRole]
    recommendations: list[GradedRecommendation]
    decisions: list[GradedDecision]
    aligned_with_person: int = Field(description="Recommendations as the person argued.")
    compared_with_person: int = Field(description="Recommendations the record lets compare.")
    same_as_record: int = Field(description="Recommendations and decisions as ExComm chose.")
    compared_with_record: int
    attendance: Attendance


class Gradebook(Model):
    """Every student of a class (exsim-gradebook format, version 1)."""

    format: Literal["exsim-gradebook"] = "exsim-gradebook"
    format_version: Literal[1] = 1
    code: str
    scenario: str
    scenario_title: str
    students: list[StudentRow]


def build(
    code: str,
    debriefs: Sequence[Debrief],
    tenures: Iterable[Tenure],
    visits: Iterable[Visits],
) -> Gradebook:
    """The gradebook of class *code* from its groups' *debriefs*, the roles held, the visits."""
    tenures, seen = list(tenures), {v.name: v for v in visits}
    names = {r.role: r.role_name for d in debriefs for r in d.players}
    rows: dict[str, dict] = {}

    def row(name: str) -> dict:
        return rows.setdefault(name, {"roles": [], "recommendations": [], "decisions": []})

    for t in sorted(tenures, key=lambda t: t.start):
        row(t.name)["roles"].append(
            HeldRole(
                group=t.group,
                role=t.role,
                role_name=names.get(t.role, t.role),
                start=t.start,
                end=t.end,
            )
        )
    for d in debriefs:
        for item in d.decisions:
            for r in item.recommendations:
                if r.player:
                    row(r.player)["recommendations"].append(
                        GradedRecommendation(
                            group=d.group,
                            decision=item.id,
                            title=item.title,
                            role_name=r.role_name,
                            recommended=r.recommended.labels,
                            reason=r.reason,
                            aligned_with_person=r.aligned,
                            same_as_record=r.same_as_record_choice,
                        )
                    )
            if item.decided_by_player and item.chosen:
                row(item.decided_by_player)["decisions"].append(
                    GradedDecision(
                        group=d.group,
                        decision=item.id,
                        title=item.title,
                        role_name=item.decided_by_name or "",
                        chosen=item.chosen.labels,
                        same_as_record={"same": True, "different": False}.get(item.status),
                    )
                )
    students = []
    for name in sorted(rows, key=str.casefold):
        r = rows[name]
        recs: list[GradedRecommendation] = r["recommendations"]
        decided: list[GradedDecision] = r["decisions"]
        acts = (*recs, *decided)
        against_record = [x.same_as_record for x in acts if x.same_as_record is not None]
        against_person = [x.aligned_with_person for x in recs if x.aligned_with_person is not None]
        v = seen.get(name)
        students.append(
            StudentRow(
                student=name,
                groups=list(dict.fromkeys(h.group for h in r["roles"])),
                roles=r["roles"],
                recommendations=recs,
                decisions=decided,
                aligned_with_person=sum(against_person),
                compared_with_person=len(against_person),
                same_as_record=sum(against_record),
                compared_with_record=len(against_record),
                attendance=Attendance(
                    page_loads=v.loads if v else 0,
                    first_seen=v.first if v else None,
                    last_seen=v.last if v else None,
                ),
            )
        )
    first = debriefs[0] if debriefs else None
    return Gradebook(
        code=code,
        scenario=first.scenario if first else "",
        scenario_title=first.scenario_title if first else "",
        students=students,
    )


CSV_COLUMNS = (
    "student",
    "groups",
    "roles held (UTC)",
    "recommendations",
    "with a reason",
    "as the person played argued",
    "compared with the person",
    "as ExComm chose",
    "compared with the record",
    "decisions taken",
    "page loads",
    "first seen (UTC)",
    "last seen (UTC)",
    "recommendations and reasons",
)


def as_csv(book: Gradebook) -> str:
    """One line per student, for a spreadsheet; the details are in the JSON."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for s in book.students:
        held = "; ".join(
            f"{h.group}: {h.role_name} {h.start[11:16]}–{h.end[11:16] if h.end else ''}"
            for h in s.roles
        )
        said = "; ".join(
            f"{r.title}: {', '.join(r.recommended)}" + (f" ({r.reason})" if r.reason else "")
            for r in s.recommendations
        )
        writer.writerow(
            [
                cell(s.student),
                cell(", ".join(s.groups)),
                cell(held),
                len(s.recommendations),
                sum(1 for r in s.recommendations if r.reason),
                s.aligned_with_person,
                s.compared_with_person,
                s.same_as_record,
                s.compared_with_record,
                len(s.decisions),
                s.attendance.page_loads,
                s.attendance.first_seen or "",
                s.attendance.last_seen or "",
                cell(said),
            ]
        )
    return out.getvalue()


def cell(text: str) -> str:
    """A student's text as a spreadsheet cell that is never read as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_json(book: Gradebook) -> str:
    return json.dumps(book.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
