"""The scenario format: pydantic models that validate a scenario file's shape.

Cross-references (a trigger naming a dimension, a citation naming a source, …) are
checked afterwards by :mod:`exsim.scenario.checks`, which has the whole scenario at hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

FORMAT_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
]
"""An identifier: lower-case letters, digits and _, starting with a letter."""
Citation = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*(#[a-z0-9]+)?$", max_length=80),
    Field(
        description="A source id, then # and a paragraph label where the source has them: "
        "`frus_xi_143#3`."
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
MAX_WEIGHT = 1_000_000
Weight = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_WEIGHT, le=MAX_WEIGHT)]
"""A finite number, at most a million either way: weights are relative, so no more is needed."""
Condition = Annotated[
    dict[Id, Id | list[Id]],
    Field(
        description="State that must hold: dimension → state, or a list of states (any of them)."
    ),
]


class Strict(BaseModel):
    """Base for every part of the format: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A document the scenario is built from."""

    id: Id
    short: str = Field(description="Short form used in the game, e.g. 'FRUS XI, 143'.")
    title: str
    reference: str = Field(description="The full bibliographic reference.")
    date: dt.date
    file: (
        Annotated[
            str,
            StringConstraints(
                pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$",
                max_length=200,
            ),
        ]
        | None
    ) = Field(
        None,
        description="The document's text, as a path relative to the scenario file's folder "
        "(`sources/doc.txt`): one paragraph per line. Players open cited paragraphs in it, and "
        "the paragraph labels are checked against it.",
    )
    paragraphs: dict[str, str] = Field(
        default_factory=dict,
        description="Paragraph label → the paragraph's opening words. Citations of this "
        "source must then name one of these labels.",
    )


class Passage(Strict):
    """A piece of narrative: either record (with citations) or simulated (with a rationale)."""

    text: Text
    cite: list[Citation] = Field(default_factory=list)
    simulated: bool = False
    rationale: str | None = Field(
        None, description="For simulated text: what in the record suggests it."
    )
    quote: str | None = Field(
        None, description="Exact words from the cited source, shown in quotation marks."
    )
    hindsight: bool = Field(
        False,
        description="Record text that the people at the table could not know at the time; "
        "allowed only in an outcome phase, and shown as hindsight.",
    )


class Briefing(Strict):
    """What a role knew as of a phase."""

    phase: Id
    text: Text
    cite: list[Citation] = Field(min_length=1)


class Role(Strict):
    """A member of ExComm whom a player can take, or an advisor voices."""

    id: Id
    name: str
    office: str
    playable: bool = True
    briefings: list[Briefing] = Field(default_factory=list)


class Actor(Strict):
    """A counterpart outside ExComm: Soviet, Cuban, UN, OAS or other."""

    id: Id
    name: str
    side: Literal["soviet", "cuban", "un", "oas", "us", "other"]


class StateDef(Strict):
    """One state of a policy dimension."""

    id: Id
    label: str
    short: str | None = Field(
        None, description="A shorter label for the status line always on screen."
    )
    pressure: str | None = Field(
        None, description="If entering this state is a pressure measure, its name."
    )


class Dimension(Strict):
    """A named part of the policy state (quarantine, il28, …): its own state machine."""

    id: Id
    label: str
    short: str | None = Field(
        None, description="A shorter label for the status line always on screen."
    )
    states: list[StateDef] = Field(min_length=1)
    initial: Id


class Guard(Strict):
    """A policy rule that forbids a trigger unless a condition holds."""

    id: Id
    when: Condition
    reason: Text
    cite: list[Citation] = Field(min_length=1)


class Trigger(Strict):
    """A move in one dimension: from some states to one state, if its guards allow."""

    id: Id
    label: str
    dimension: Id
    source: list[Id] = Field(min_length=1, description="States the move can start from.")
    dest: Id
    guards: list[Id] = Field(default_factory=list)


class Invariant(Strict):
    """A combination of states that must never occur."""

    id: Id
    never: Condition
    reason: Text
    cite: list[Citation] = Field(default_factory=list)


class Machine(Strict):
    """The policy state machine."""

    dimensions: list[Dimension] = Field(min_length=1)
    guards: list[Guard] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    invariants: list[Invariant] = Field(default_factory=list)


class Option(Strict):
    """One choice at a decision point."""

    id: Id
    label: str
    description: str = ""
    triggers: list[Id] = Field(default_factory=list, description="Moves fired, in order.")


class Advocacy(Strict):
    """Who argued for what, according to the record."""

    role: Id
    options: list[Id] = Field(default_factory=list, description="Options this position supports.")
    position: Text
    cite: list[Citation] = Field(min_length=1)
    quote: str | None = None


class DecisionRecord(Strict):
    """What ExComm actually decided, and who advocated what."""

    chosen: list[Id] = Field(min_length=1)
    summary: Text
    cite: list[Citation] = Field(min_length=1)
    advocates: list[Advocacy] = Field(default_factory=list)
    gap: str | None = Field(None, description="Where the record is incomplete, what is missing.")


class Decision(Strict):
    """A decision point on a meeting's agenda."""

    id: Id
    title: str
    question: Text
    decides: Id | None = Field(
        None, description="Role that decides; default the phase's chair, else the group votes."
    )
    recommenders: list[Id] | None = Field(
        None, description="Roles asked to recommend; default everyone present."
    )
    select: Literal["one", "many"] = "one"
    when: Condition | None = Field(None, description="Put on the agenda only if this holds.")
    context: list[Passage] = Field(default_factory=list)
    options: list[Option] = Field(min_length=1)
    record: DecisionRecord | None = None
    discussion: list[str] = Field(
        default_factory=list, description="Questions for discussion where play leaves the record."
    )


class Phase(Strict):
    """A meeting or a stretch of events, in campaign order."""

    id: Id
    title: str
    kind: Literal["meeting", "inject", "negotiation", "outcome"] = "meeting"
    date: dt.date
    time: str | None = None
    place: str | None = None
    chair: Id | None = None
    present: list[Id] = Field(default_factory=list)
    absent: list[Id] = Field(default_factory=list)
    situation: list[Passage] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)


class Modifier(Strict):
    """Adds to an outcome's weight while a condition holds."""

    when: Condition = Field(default_factory=dict)
    per_pressure: Weight = Field(0.0, description="Added once per pressure measure taken.")
    add: Weight = 0.0
    rationale: Text


class Outcome(Strict):
    """One way a counterpart may answer."""

    id: Id
    text: Text
    when: Condition = Field(default_factory=dict)
    triggers: list[Id] = Field(default_factory=list)
    cite: list[Citation] = Field(
        default_factory=list, description="Citations if this is what happened."
    )
    simulated: bool = False
    rationale: str | None = None
    weight: Weight = Field(1.0, ge=0)
    modifiers: list[Modifier] = Field(default_factory=list)


class Response(Strict):
    """A counterpart move after a phase: the record's answer or simulated alternatives."""

    id: Id
    after: Id = Field(description="Phase after whose decisions this happens.")
    date: dt.date
    actor: Id
    title: str
    outcomes: list[Outcome] = Field(min_length=1)


class Ending(Strict):
    """How a game can end: the first ending whose condition holds is the outcome."""

    id: Id
    title: str
    when: Condition = Field(default_factory=dict)
    text: Text
    cite: list[Citation] = Field(default_factory=list)
    simulated: bool = False


class MeasureRecord(Strict):
    """What the record says a measure came to, with its source."""

    value: dt.date | bool | int | str | None = Field(
        description="first_date: a date, or null for never; final_state: a state id; "
        "pressure_count: a number; flag: true or false."
    )
    cite: list[Citation] = Field(min_length=1)
    note: str | None = Field(None, description="What the game's value cannot show, if anything.")


class Measure(Strict):
    """An outcome measure computed at the end of every game and shown beside the record."""

    id: Id
    label: str
    kind: Literal["first_date", "final_state", "pressure_count", "flag"] = Field(
        description="first_date: the date `dimension` first entered one of `states` (or never); "
        "final_state: the state of `dimension` at the end; pressure_count: how many pressure "
        "measures were taken; flag: whether `when` holds at the end."
    )
    dimension: Id | None = Field(None, description="For first_date and final_state.")
    states: list[Id] = Field(default_factory=list, description="For first_date.")
    when: Condition | None = Field(None, description="For flag.")
    record: MeasureRecord | None = None
    rationale: Text = Field(description="Why this measure matters, in the record's terms.")


class Scenario(Strict):
    """A whole scenario file."""

    format: Literal[1] = Field(description="Format version of this file; currently 1.")
    id: Id
    title: str
    version: str
    summary: Text
    sources: list[Source] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    actors: list[Actor] = Field(default_factory=list)
    machine: Machine
    phases: list[Phase] = Field(min_length=1)
    responses: list[Response] = Field(default_factory=list)
    endings: list[Ending] = Field(min_length=1)
    measures: list[Measure] = Field(
        default_factory=list, description="Outcome measures computed at the end of every game."
    )
