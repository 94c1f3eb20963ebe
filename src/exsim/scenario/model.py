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
# Bounds on every collection of the format (docs/scenario-format.md, "Limits"): far above what
# a campaign needs, low enough that no file can make exsim draw or walk without end.
MAX_SOURCES = 200
MAX_PARAGRAPHS = 2_000  # paragraph labels (and dated events) of one source
MAX_ROLES = 40
MAX_BRIEFINGS = 100  # of one role
MAX_ACTORS = 40
MAX_DIMENSIONS = 100
MAX_STATES = 1_000  # of one dimension
MAX_GUARDS = 1_000
MAX_TRIGGERS = 2_000
MAX_INVARIANTS = 500
MAX_PHASES = 100
MAX_DECISIONS = 100  # of one phase
MAX_OPTIONS = 30  # of one decision
MAX_PASSAGES = 100  # a phase's situation, a decision's context
MAX_RESPONSES = 500
MAX_OUTCOMES = 30  # of one response
MAX_MODIFIERS = 20  # of one outcome
MAX_ENDINGS = 100
MAX_MEASURES = 100
MAX_NAMED = 40  # ids, citations or questions listed in one entry: cite, triggers, present, …

States = Annotated[list[Id], Field(max_length=MAX_STATES)]
Condition = Annotated[
    dict[Id, Id | States],
    Field(
        max_length=MAX_DIMENSIONS,
        description="State that must hold: dimension → state, or a list of states (any of them).",
    ),
]


class Strict(BaseModel):
    """Base for every part of the format: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A document the scenario is built from."""

    id: Id = Field(description="The source's id, used in citations: `frus_xi_143#3`.")
    short: str = Field(description="Short form used in the game, e.g. 'FRUS XI, 143'.")
    title: str = Field(description="The document's title.")
    reference: str = Field(
        description="The full bibliographic reference. For a document known only through "
        "another's paraphrase, say so here (e.g. 'as summarised in …')."
    )
    date: dt.date = Field(
        description="The document's date, YYYY-MM-DD. A briefing may not cite a source dated "
        "after its phase."
    )
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
        max_length=MAX_PARAGRAPHS,
        default_factory=dict,
        description="Paragraph label → the paragraph's opening words. Citations of this "
        "source must then name one of these labels.",
    )
    events: dict[str, dt.date] = Field(
        max_length=MAX_PARAGRAPHS,
        default_factory=dict,
        description="Paragraph label → the date of the earlier event it tells, where that is "
        "not the document's date (a memorandum recounting yesterday's meeting). Texts shown "
        "on that date may cite the paragraph.",
    )
    heading: str | None = Field(
        None, description="The document's heading as its edition prints it, where known."
    )
    time: str | None = Field(None, description="The time of day the document gives, if any.")
    participants: list[str] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="Who wrote, met or spoke, as far as known.",
    )
    gist: Text | None = Field(
        None,
        description="The document register's entry for a document whose text is not shipped: "
        "what it records, in the scenario's own words. Every cited source needs a `file` or "
        "a `gist`, so that players can open what a citation rests on.",
    )
    gist_from: str | None = Field(
        None, description="Where the gist comes from (a record sheet's entry, …)."
    )
    hindsight: bool = Field(
        False,
        description="True for a document no one at the table could know (opened decades "
        "later): only hindsight text, shown after the game, may cite it.",
    )


Asserts = Annotated[
    Condition | None,
    Field(
        description="The game state this text presumes (dimension → state or states); "
        "`{}`: it holds whatever was decided. Left out, the text presumes the record so far "
        "(the state the record path has where the text is shown). The walk proves the text "
        "is shown only where its presumption holds; where it may not, the file is refused "
        "at this key (or the text's), with the decisions that lead there."
    ),
]
Shown = Annotated[
    Condition | None,
    Field(description="Shown only while this holds: one variant of a text per game state."),
]


class Passage(Strict):
    """A piece of narrative: either record (with citations) or simulated (with a rationale)."""

    text: Text = Field(description="The passage, in the scenario's own words.")
    when: Shown = None
    asserts: Asserts = None
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="Record text: the sources it rests on.",
    )
    simulated: bool = Field(False, description="True for text invented for play.")
    rationale: str | None = Field(
        None, description="For simulated text: what in the record suggests it."
    )
    quote: str | None = Field(
        None, description="Exact words from the cited source, shown in quotation marks."
    )
    hindsight: bool = Field(
        False,
        description="Record text that the people at the table could not know at the time "
        "(it may cite later documents); shown labelled as hindsight.",
    )


class Briefing(Strict):
    """What a role knew as of a phase."""

    phase: Id = Field(description="The phase this briefing is read before.")
    text: Text = Field(description="What the person knew then (nothing later).")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED, min_length=1, description="Sources, none dated after the phase."
    )
    when: Shown = None
    asserts: Asserts = None


class Role(Strict):
    """A member of ExComm whom a player can take, or an advisor voices."""

    id: Id = Field(description="The role's id, used by phases, decisions and advocates.")
    name: str = Field(description="The person.")
    office: str = Field(description="Their office at the time.")
    playable: bool = Field(
        True, description="False for an advisor whose views are voiced but whom no player takes."
    )
    advisor_because: str | None = Field(
        None,
        description="For an advisor (playable: false): why no player takes this person, shown "
        "where players choose their roles.",
    )
    briefings: list[Briefing] = Field(
        max_length=MAX_BRIEFINGS,
        default_factory=list,
        description="What this person knew before each phase.",
    )


class Actor(Strict):
    """A counterpart outside ExComm: Soviet, Cuban, UN, OAS or other."""

    id: Id = Field(description="The actor's id, named by responses.")
    name: str = Field(description="The counterpart's name.")


class StateDef(Strict):
    """One state of a policy dimension."""

    id: Id = Field(description="The state's id, used in conditions and triggers.")
    label: str = Field(description="Shown to players.")
    short: str | None = Field(
        None, description="A shorter label for the status panel always on screen."
    )
    pressure: str | None = Field(
        None, description="If entering this state is a pressure measure, its name."
    )
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="What the state rests on; during play it is shown only from the date of "
        "its latest citation on (or while the game is in it).",
    )
    asserts: Asserts = Field(
        None,
        description="What the label presumes beyond the state itself (left out: nothing more); "
        "the walk proves it wherever the game is in this state.",
    )


class Dimension(Strict):
    """A named part of the policy state (quarantine, il28, …): its own state machine."""

    id: Id = Field(description="The dimension's id, used in conditions and triggers.")
    label: str = Field(description="Shown to players.")
    short: str | None = Field(
        None, description="A shorter label for the status panel always on screen."
    )
    states: list[StateDef] = Field(
        max_length=MAX_STATES, min_length=1, description="The states it can be in."
    )
    initial: Id = Field(description="The state a game starts in.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="What the dimension rests on; it is known in the game from the date of its "
        "latest citation on (see `known_from`).",
    )
    known_from: dt.date | None = Field(
        None,
        description="The day the dimension was known at the table, for one known before any "
        "citation or decision of the scenario shows it (the quarantine, in force since 24 "
        "October). Without it: the day its citations tell, else the first meeting whose "
        "decisions move it, else the game's first day. Until then play shows it as '—'.",
    )


class Guard(Strict):
    """A policy rule that forbids a trigger unless a condition holds: the record's rule (with
    `cite`), or the game's own (`simulated: true` with a `rationale`)."""

    id: Id = Field(description="The guard's id, named in triggers' `guards`.")
    when: Condition | None = Field(
        None, description="The trigger is allowed only while this holds (or give `unless`)."
    )
    unless: Condition | None = Field(
        None, description="The trigger is refused while this holds (or give `when`)."
    )
    reason: Text = Field(description="Shown to players when the guard refuses a move.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="The record's policy this guard states.",
    )
    asserts: Asserts = None
    simulated: bool = Field(
        False, description="True for a rule that is the game's own, not the record's."
    )
    rationale: str | None = Field(
        None, description="For a simulated guard: why the game has this rule."
    )


class Trigger(Strict):
    """A move in one dimension: from some states to one state, if its guards allow."""

    id: Id = Field(description="The trigger's id, fired by options and outcomes.")
    label: str = Field(description="Shown to players ('Lift the quarantine').")
    dimension: Id = Field(description="The dimension it moves.")
    source: list[Id] = Field(
        max_length=MAX_STATES, min_length=1, description="States the move can start from."
    )
    dest: Id = Field(description="The state it moves to.")
    guards: list[Id] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="Guards that must all allow the move.",
    )
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="What the move rests on (a counterpart's recorded offer); during play the "
        "policy machine shows it only from the date of its latest citation on.",
    )


class NextMove(Strict):
    """The group's policy: while a condition holds, a move is what the policy does next."""

    id: Id = Field(description="The rule's id.")
    when: Condition = Field(description="While this holds, `move` is the policy's next move.")
    move: Id = Field(description="The trigger the policy calls for.")
    reason: Text = Field(description="The policy, in the record's words, shown with the move.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED, min_length=1, description="Where the record states the policy."
    )


class Invariant(Strict):
    """A combination of states that must never occur."""

    id: Id = Field(description="The invariant's id, named when a path breaks it.")
    never: Condition = Field(description="A combination no game may ever reach.")
    reason: Text = Field(description="Why it must never happen.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED, default_factory=list, description="Sources for the rule."
    )


class Machine(Strict):
    """The policy state machine."""

    dimensions: list[Dimension] = Field(
        max_length=MAX_DIMENSIONS,
        min_length=1,
        description="The independent parts of the policy state.",
    )
    guards: list[Guard] = Field(
        max_length=MAX_GUARDS, default_factory=list, description="Rules that forbid moves."
    )
    triggers: list[Trigger] = Field(
        max_length=MAX_TRIGGERS, default_factory=list, description="The moves."
    )
    invariants: list[Invariant] = Field(
        max_length=MAX_INVARIANTS,
        default_factory=list,
        description="Combinations that must never occur.",
    )
    next_moves: list[NextMove] = Field(
        max_length=MAX_TRIGGERS,
        default_factory=list,
        description="The group's adopted policy: the move it calls for next in a given state.",
    )


class Option(Strict):
    """One choice at a decision point."""

    id: Id = Field(description="The option's id, used by the record, scripts and saved games.")
    label: str = Field(description="Shown to players.")
    description: str = Field("", description="A longer explanation shown with the option.")
    triggers: list[Id] = Field(
        max_length=MAX_NAMED, default_factory=list, description="Moves fired, in order."
    )
    alone: bool = Field(
        False,
        description="For `select: many`: taken only by itself, e.g. holding every step in "
        "reserve; choosing it with another option is refused.",
    )
    asserts: Asserts = None


class Advocacy(Strict):
    """Who argued for what: according to the record, or, marked `reconstructed`, the case the
    game puts for a person the record leaves silent on this item."""

    role: Id = Field(description="The role who argued.")
    options: list[Id] = Field(
        max_length=MAX_OPTIONS, default_factory=list, description="Options this position supports."
    )
    position: Text = Field(description="What they argued, in the scenario's words.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        min_length=1,
        description="Where the record says so; for a reconstruction, the recorded views it is "
        "built from.",
    )
    quote: str | None = Field(None, description="Their exact words, if they matter.")
    reconstructed: bool = Field(
        False,
        description="True for a case the record does not give on this item: the game's "
        "argument, grounded in the person's recorded views elsewhere (cited). Shown as the "
        "game's reconstruction, never as record, and never counted as their position.",
    )
    asserts: Asserts = None


class DecisionRecord(Strict):
    """What the record shows was decided (`chosen`, `summary`), or that it does not say
    (`gap` without `chosen`); who advocated what."""

    chosen: list[Id] | None = Field(
        None,
        max_length=MAX_OPTIONS,
        min_length=1,
        description="The options ExComm took. Leave out, with a `gap`, when the record does "
        "not say.",
    )
    summary: Text | None = Field(None, description="What was decided; needed with `chosen`.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        min_length=1,
        description="Where the record says it, or, for a gap, the sources that leave it open.",
    )
    advocates: list[Advocacy] = Field(
        max_length=MAX_ROLES,
        default_factory=list,
        description="Who argued for what, according to the record.",
    )
    gap: str | None = Field(
        None,
        description="With `chosen`: where the record is incomplete. Without it: why the "
        "sources do not say what was decided (the record does not say).",
    )

    @property
    def says(self) -> bool:
        """Whether the record says what was decided (False: a gap)."""
        return self.chosen is not None


def _record_required(schema: dict) -> None:
    """The schema asks for a decision's `record`; the model lets it be missing so that
    `validate` can say what to write instead of "required key"."""
    schema["required"] = [*schema.get("required", []), "record"]


class Decision(Strict):
    """A decision point on a meeting's agenda."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_record_required)

    id: Id = Field(description="Unique across the file; scripts and saved games use it.")
    title: str = Field(description="A short title.")
    question: Text = Field(description="The question put to the table.")
    decides: Id | None = Field(
        None, description="Role that decides; default the phase's chair, else the group votes."
    )
    recommenders: list[Id] | None = Field(
        None,
        max_length=MAX_ROLES,
        description="Roles asked to recommend; default everyone present.",
    )
    select: Literal["one", "many"] = Field(
        "one", description="`one` option, or `many` that may be taken together."
    )
    exclusive: list[Annotated[list[Id], Field(max_length=MAX_OPTIONS)]] = Field(
        max_length=MAX_OPTIONS,
        default_factory=list,
        description="For `select: many`: groups of options of which at most one may be "
        "taken together, e.g. [[high_level, low_level]].",
    )
    when: Condition | None = Field(None, description="Put on the agenda only if this holds.")
    asserts: Asserts = None
    context: list[Passage] = Field(
        max_length=MAX_PASSAGES,
        default_factory=list,
        description="Passages shown with the question.",
    )
    options: list[Option] = Field(max_length=MAX_OPTIONS, min_length=1, description="The choices.")
    record: DecisionRecord | None = Field(
        None,
        description="What was decided, or a `gap` where the record does not say. Every "
        "decision needs one.",
    )
    discussion: list[str] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="Questions for discussion where play leaves the record.",
    )
    discussion_item: bool = Field(
        False,
        description="True for a decision played for discussion only: no option changes the "
        "game, and players are told so on screen and in the debrief. A decision none of whose "
        "options changes anything is otherwise warned about.",
    )


class Phase(Strict):
    """A meeting or a stretch of events, in campaign order."""

    id: Id = Field(description="The phase's id, named by briefings and responses.")
    title: str = Field(description="Shown in the phase's heading.")
    kind: Literal["meeting", "inject", "negotiation", "outcome"] = Field(
        "meeting",
        description="meeting: the table decides; inject: events put to the table; "
        "negotiation: talks with a counterpart; outcome: how things ended (hindsight allowed).",
    )
    constructed: bool = Field(
        False,
        description="A sitting the game convenes where no recorded meeting took place; "
        "shown as such to players.",
    )
    date: dt.date = Field(description="YYYY-MM-DD; dates its decisions. Phases are in date order.")
    when: Condition | None = Field(
        None,
        description="Played only if this holds when its turn comes (its decisions and the "
        "responses after it are passed over otherwise).",
    )
    time: str | None = Field(None, description='Shown in the heading; quote it ("11:00").')
    place: str | None = Field(None, description="Shown in the heading.")
    chair: Id | None = Field(
        None, description="The role in the chair, who takes its decisions; none: the group votes."
    )
    present: list[Id] = Field(
        max_length=MAX_ROLES,
        default_factory=list,
        description="Roles present; they are asked to recommend.",
    )
    absent: list[Id] = Field(
        max_length=MAX_ROLES, default_factory=list, description="Roles absent."
    )
    situation: list[Passage] = Field(
        max_length=MAX_PASSAGES, default_factory=list, description="Scene-setting passages."
    )
    asserts: Asserts = None
    decisions: list[Decision] = Field(
        max_length=MAX_DECISIONS, default_factory=list, description="The decision points, in order."
    )


class Modifier(Strict):
    """Adds to an outcome's weight while a condition holds."""

    when: Condition = Field(default_factory=dict, description="While this holds (default always).")
    per_pressure: Weight = Field(0.0, description="Added once per pressure measure taken.")
    add: Weight = Field(0.0, description="Added once.")
    rationale: Text = Field(description="Why the weight changes, in the record's terms.")


class Outcome(Strict):
    """One way a counterpart may answer."""

    id: Id = Field(description="The outcome's id; scripts can force it.")
    text: Text = Field(description="What the counterpart does.")
    when: Condition = Field(
        default_factory=dict, description="Only possible while this holds (default always)."
    )
    triggers: list[Id] = Field(
        max_length=MAX_NAMED, default_factory=list, description="Moves it makes, in order."
    )
    cite: list[Citation] = Field(
        max_length=MAX_NAMED,
        default_factory=list,
        description="Citations if this is what happened.",
    )
    simulated: bool = Field(False, description="True for an answer invented for play.")
    rationale: str | None = Field(
        None, description="For a simulated outcome: what in the record makes it plausible."
    )
    weight: float = Field(
        1.0, ge=0, le=MAX_WEIGHT, allow_inf_nan=False, description="Drawing weight (default 1)."
    )
    modifiers: list[Modifier] = Field(
        max_length=MAX_MODIFIERS,
        default_factory=list,
        description="Changes to the weight while conditions hold.",
    )
    asserts: Asserts = None


class Response(Strict):
    """A counterpart move after a phase: the record's answer or simulated alternatives."""

    id: Id = Field(description="The response's id; scripts force its outcome by it.")
    after: Id = Field(description="Phase after whose decisions this happens.")
    date: dt.date = Field(
        description="YYYY-MM-DD; not before the phase it follows, nor after the next phase."
    )
    actor: Id = Field(description="The actor who answers.")
    title: str = Field(description="Shown to players.")
    outcomes: list[Outcome] = Field(
        max_length=MAX_OUTCOMES, min_length=1, description="The possible answers."
    )


class Ending(Strict):
    """How a game can end: the first ending whose condition holds is the outcome."""

    id: Id = Field(description="The ending's id.")
    title: str = Field(description="Shown at the end.")
    when: Condition = Field(
        default_factory=dict, description="Holds at the end of the game (default always)."
    )
    text: Text = Field(description="What the ending means.")
    cite: list[Citation] = Field(
        max_length=MAX_NAMED, default_factory=list, description="If it is what happened."
    )
    simulated: bool = Field(False, description="True for an ending that did not happen.")
    asserts: Asserts = None


class MeasureRecord(Strict):
    """What the record says a measure came to, with its source."""

    value: dt.date | bool | int | str | None = Field(
        description="first_date: a date, or null for never; final_state: a state id; "
        "pressure_count: a number; flag: true or false."
    )
    cite: list[Citation] = Field(
        max_length=MAX_NAMED, min_length=1, description="Where the record gives the value."
    )
    note: str | None = Field(None, description="What the game's value cannot show, if anything.")


class Measure(Strict):
    """An outcome measure computed at the end of every game and shown beside the record."""

    id: Id = Field(description="The measure's id.")
    label: str = Field(description="Shown beside the record.")
    kind: Literal["first_date", "final_state", "pressure_count", "flag"] = Field(
        description="first_date: the date `dimension` first entered one of `states` (or never); "
        "final_state: the state of `dimension` at the end; pressure_count: how many pressure "
        "measures were taken; flag: whether `when` holds at the end."
    )
    dimension: Id | None = Field(None, description="For first_date and final_state.")
    states: list[Id] = Field(
        max_length=MAX_STATES, default_factory=list, description="For first_date."
    )
    when: Condition | None = Field(None, description="For flag.")
    record: MeasureRecord | None = Field(None, description="The record's value, cited.")
    rationale: Text = Field(description="Why this measure matters, in the record's terms.")


class Scenario(Strict):
    """A whole scenario file."""

    format: Literal[1] = Field(description="Format version of this file; currently 1.")
    id: Id = Field(description="The scenario's id; saved games and scripts name it.")
    title: str = Field(description="Shown on the start screen.")
    version: str = Field(description='Your version of the file, quoted ("1.0").')
    summary: Text = Field(description="A short paragraph for the start screen.")
    sources: list[Source] = Field(
        max_length=MAX_SOURCES, min_length=1, description="The documents it is built from."
    )
    roles: list[Role] = Field(
        max_length=MAX_ROLES, min_length=1, description="The people at the table."
    )
    actors: list[Actor] = Field(
        max_length=MAX_ACTORS, default_factory=list, description="Counterparts outside the table."
    )
    machine: Machine = Field(description="The policy state and the moves that change it.")
    phases: list[Phase] = Field(
        max_length=MAX_PHASES,
        min_length=1,
        description="Meetings and stretches of events, in date order.",
    )
    responses: list[Response] = Field(
        max_length=MAX_RESPONSES,
        default_factory=list,
        description="The counterparts' answers between phases.",
    )
    endings: list[Ending] = Field(
        max_length=MAX_ENDINGS,
        min_length=1,
        description="How a game can end; the first that holds is the outcome.",
    )
    measures: list[Measure] = Field(
        max_length=MAX_MEASURES,
        default_factory=list,
        description="Outcome measures computed at the end of every game.",
    )
