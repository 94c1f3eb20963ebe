"""The debrief of one game as data: the group, each decision beside the record, the outcome.

One structure, shown by the game and rendered as Markdown, HTML and JSON (`exsim.report.render`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from exsim.engine import measures
from exsim.engine.campaign import Campaign, shown
from exsim.engine.compare import Comparison, DecisionComparison, compare
from exsim.engine.game import Entry, Game
from exsim.scenario.model import Phase
from exsim.store.session import Session

Status = Literal["same", "different", "not reached", "no record"]


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Cite(Model):
    """A citation: the scenario's key and how readers see it."""

    key: str = Field(description="source_id#paragraph, as in the scenario file.")
    text: str = Field(description="As shown to readers, e.g. 'FRUS XI, 143 ¶3'.")
    passage: bool = Field(
        False, description="The cited paragraph's own words are in the debrief's `passages`."
    )
    in_register: bool = Field(
        False,
        description="The cited document's text is not shipped; its register entry (`gist`) "
        "is in the debrief's `sources`.",
    )


class Passage(Model):
    """A cited paragraph of a source whose text ships with the scenario, in its own words."""

    key: str = Field(description="source_id#paragraph, as in the scenario file.")
    text: str = Field(description="As shown to readers, e.g. 'FRUS XI, 143 ¶3'.")
    source: str = Field(description="The source's id.")
    words: str = Field(description="The paragraph as the source text has it.")


class Choice(Model):
    """Options chosen or argued: ids and their labels, in the scenario's order."""

    options: list[str]
    labels: list[str]


class Player(Model):
    role: str
    role_name: str
    office: str
    player: str | None = Field(description="The player's name; null if no one played the role.")


class Recommendation(Model):
    """One player's recommendation beside what that person argued in the record."""

    role: str
    role_name: str
    player: str | None
    recommended: Choice
    argued: Choice | None = Field(
        description="What the person argued, if the record gives it for the decision's day."
    )
    aligned: bool | None = Field(description="Shares an option with what the person argued.")
    same_as_record_choice: bool | None
    reason: str | None = Field(None, description="Why, in the player's words (a class's).")


class Position(Model):
    """What a member of ExComm argued, according to the record, or the game's reconstruction
    of their case where the record is silent on the item."""

    role: str
    role_name: str
    argued: Choice
    position: str
    quote: str | None
    cites: list[Cite]
    recorded_on: str | None = Field(
        description="The day the position was recorded (YYYY-MM-DD); null for a reconstruction."
    )
    reconstructed: bool = Field(
        description="The game's reconstruction, built from the person's views elsewhere: "
        "not record, and not counted in alignment."
    )
    note: str = Field(
        description="Said beside the position: the game's reconstruction, or the other day "
        "it was recorded on; empty for a position recorded on the decision's day."
    )


DISCUSSION_ITEM = (
    "For discussion: the scenario plays this decision for the argument only; no choice here "
    "changes the rest of the game."
)


class DecisionRow(Model):
    """One decision: the group's choice beside ExComm's."""

    number: int
    id: str
    title: str
    question: str
    phase: str
    date: str
    status: Status
    chosen: Choice | None = Field(description="Null if the decision was not on this game's agenda.")
    decided_by: str | None = Field(description="Role id that decided, or 'group'.")
    decided_by_name: str | None
    decided_by_player: str | None = Field(
        None, description="The player who took the decision as its chair; null for a vote."
    )
    record: Choice | None
    record_summary: str | None
    record_cites: list[Cite]
    record_gap: str | None
    recommendations: list[Recommendation]
    positions: list[Position]
    discussion: list[str] = Field(description="Questions, given where play left the record.")
    only_option: bool = Field(
        False,
        description="Only one option was open in this game: not a free choice, so no "
        "recommendation on it is set against what the person argued.",
    )
    discussion_item: bool = Field(
        False,
        description="A decision the scenario plays for discussion only: no choice here "
        "changes the rest of the game.",
    )


class MessageRow(Model):
    """What the facilitator told the group (or the whole class) during play."""

    round: int = Field(description="The class's round when it was sent (0: before the first).")
    at: str = Field(description="When it was sent (UTC, ISO 8601).")
    text: str
    to_all: bool = Field(description="Sent to the whole class, not to this group alone.")


class AftermathRow(Model):
    """What the record says came after (an outcome phase's situation), or hindsight."""

    phase: str
    date: str
    text: str
    quote: str | None
    hindsight: bool = Field(description="Not known to anyone at the table at the time.")
    simulated: bool
    cites: list[Cite]


class ResponseRow(Model):
    """A counterpart's answer in this game: the record's, or simulated."""

    id: str
    title: str
    actor: str
    date: str
    outcome: str
    text: str
    simulated: bool
    rationale: str | None
    cites: list[Cite]
    forced: bool


class EndingRow(Model):
    id: str
    title: str
    text: str
    simulated: bool
    cites: list[Cite]


class MeasureRow(Model):
    """One outcome measure of the game beside the record's value."""

    id: str
    label: str
    value: str | int | bool | None = Field(
        description="ISO date (or null: never), state, count or flag."
    )
    shown: str
    record: str | int | bool | None
    record_shown: str | None = Field(description="Null if the record gives no value.")
    same: bool | None
    cites: list[Cite]
    note: str | None
    simulated: bool = Field(description="A simulated answer set this value.")


class Outcome(Model):
    """How this game ended beside how the record's choices end."""

    ending: EndingRow | None = Field(description="Null while the game is not finished.")
    record: EndingRow | None
    same: bool | None
    measures: list[MeasureRow] = Field(description="Empty while the game is not finished.")
    record_stops: str | None = Field(
        None,
        description="The title of the decision where the record's path stops because the "
        "record does not say what was decided there; `record` and `same` are then null.",
    )


class Alignment(Model):
    """Per role: how often the player's recommendations matched what that person argued."""

    role: str
    role_name: str
    player: str | None
    score: float | None = Field(description="Share 0..1 of counted recommendations that align.")
    aligned: int
    counted: int


class SourceRow(Model):
    id: str
    short: str
    title: str
    reference: str
    date: str
    time: str | None = None
    heading: str | None = Field(None, description="The edition's heading, where checked.")
    participants: list[str] = Field(default_factory=list)
    gist: str | None = Field(
        None, description="The register entry, in the scenario's words, where no text ships."
    )
    gist_from: str | None = Field(None, description="Where the register entry comes from.")
    cited: bool = Field(description="Cited somewhere in this debrief.")


def source_rows(campaign: Campaign, cited: set[str]) -> list[SourceRow]:
    """The scenario's sources, each marked if *cited* names it."""
    return [
        SourceRow(
            id=s.id,
            short=s.short,
            title=s.title,
            reference=s.reference,
            date=s.date.isoformat(),
            time=s.time,
            heading=s.heading,
            participants=list(s.participants),
            gist=s.gist,
            gist_from=s.gist_from,
            cited=s.id in cited,
        )
        for s in campaign.scenario.sources
    ]


class Debrief(Model):
    """A game's debrief (exsim-debrief format, version 1)."""

    format: Literal["exsim-debrief"] = "exsim-debrief"
    format_version: Literal[1] = 1
    session: str | None
    group: str
    scenario: str
    scenario_title: str
    version: str
    content_hash: str
    mode: str
    rule: str | None
    seed: int
    created: str | None
    updated: str | None
    finished: bool
    players: list[Player]
    decisions: list[DecisionRow]
    responses: list[ResponseRow]
    outcome: Outcome
    divergence: int = Field(description="Decisions that left the record plus simulated answers.")
    decisions_compared: int
    decisions_same: int
    alignment: list[Alignment]
    events: list[AftermathRow] = Field(
        default_factory=list,
        description="The situation of each phase with no decision to take (a press "
        "conference, an event the group only learns of) that the game reached, in the variant "
        "that fits its state; outcome phases are in `aftermath`.",
    )
    aftermath: list[AftermathRow] = Field(
        description="The record after the game's last decision and where the documents stop "
        "(the situation of the outcome phases); empty while the game is not finished."
    )
    sources: list[SourceRow]
    messages: list[MessageRow] = Field(
        [], description="The facilitator's messages to the group during play, oldest first."
    )
    passages: list[Passage] = Field(
        description="Every paragraph cited in this debrief whose source text is at hand, by "
        "source in the scenario's order, then in the document's order."
    )

    def left_the_record(self) -> str:
        """The points where the game left the record, counted by kind, as a sentence part:
        '17 (12 decisions unlike the record's, 2 decisions …, 3 simulated answers)'."""
        differ = sum(1 for d in self.decisions if d.status == "different")
        simulated = sum(1 for r in self.responses if r.simulated)
        missed = self.divergence - differ - simulated
        parts = [
            (differ, "decision(s) unlike the record's"),
            (missed, "decision(s) the record took that your game's road never reached"),
            (simulated, "simulated answer(s)"),
        ]
        said = ", ".join(f"{n} {what}" for n, what in parts if n)
        return f"{self.divergence} ({said})" if said else "0"


def cited_passages(campaign: Campaign, keys: set[str]) -> list[Passage]:
    """The paragraphs *keys* cite, in their own words: by source, in the document's order."""
    out = []
    for source in campaign.scenario.sources:
        document = campaign.source_text(source.id)
        for paragraph in document.paragraphs if document else ():
            key = f"{source.id}#{paragraph.label}"
            if paragraph.label and key in keys:
                out.append(
                    Passage(
                        key=key,
                        text=campaign.cite_text(key),
                        source=source.id,
                        words=paragraph.text,
                    )
                )
    return out


@dataclass(frozen=True)
class Credit:
    """Who did what in a class, where that is not who plays the role now (a role freed and
    taken by another student): (decision id, role) → the name of who sent a recommendation,
    and its reason; decision id → the name of who took it as its chair; and the facilitator's
    messages."""

    senders: Mapping[tuple[str, str], str] = field(default_factory=dict)
    reasons: Mapping[tuple[str, str], str] = field(default_factory=dict)
    deciders: Mapping[str, str] = field(default_factory=dict)
    messages: Sequence[MessageRow] = ()


class Cites:
    """Makes the debrief's citations, noting the sources they name and the paragraphs whose
    words are at hand (the debrief's `sources` and `passages`)."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.sources: set[str] = set()
        self.quoted: set[str] = set()

    def __call__(self, keys: Iterable[str]) -> list[Cite]:
        keys = list(keys)
        self.sources.update(k.partition("#")[0] for k in keys)
        self.quoted.update(k for k in keys if self.campaign.passage(k) is not None)
        sources = self.campaign.sources
        return [
            Cite(
                key=k,
                text=self.campaign.cite_text(k),
                passage=k in self.quoted,
                in_register=k not in self.quoted and bool(sources[k.partition("#")[0]].gist),
            )
            for k in keys
        ]


def build(game: Game, session: Session | None = None, credit: Credit | None = None) -> Debrief:
    """The debrief of *game* (finished or not), with the group and players of *session*, each
    act credited as *credit* says (else to who plays the role)."""
    campaign = game.campaign
    comparison = compare(game)
    players = dict(session.players) if session else {}
    credit = credit or Credit()
    cites = Cites(campaign)
    rows = decision_rows(game, comparison, players, credit, cites)
    compared = [d for d in rows if d.status in ("same", "different")]
    return Debrief(
        session=session.id if session else None,
        group=session.group if session else "",
        scenario=campaign.id,
        scenario_title=campaign.scenario.title,
        version=campaign.version,
        content_hash=campaign.content_hash,
        mode=game.mode,
        rule=session.rule if session else None,
        seed=game.seed,
        created=session.created if session else None,
        updated=session.updated if session else None,
        finished=game.finished,
        players=player_rows(game, players, credit),
        decisions=rows,
        responses=response_rows(game, cites),
        outcome=outcome_of(game, comparison, cites),
        divergence=comparison.divergence,
        decisions_compared=len(compared),
        decisions_same=sum(1 for d in compared if d.status == "same"),
        alignment=alignment_rows(campaign, comparison, rows, players),
        events=event_rows(game, cites),
        aftermath=aftermath_rows(game, cites),
        sources=source_rows(campaign, cites.sources),
        messages=list(credit.messages),
        passages=cited_passages(campaign, cites.quoted),
    )


def decision_rows(
    game: Game,
    comparison: Comparison,
    players: Mapping[str, str],
    credit: Credit,
    cites: Cites,
) -> list[DecisionRow]:
    """Each decision of the agenda: the group's choice beside the record's."""
    campaign = game.campaign
    taken = {e.step: e for e in game.log if e.kind == "decision"}
    rows = []
    for n, row in enumerate(comparison.decisions, 1):
        decision = campaign.decisions[row.decision]
        record = decision.record
        entry = taken.get(row.decision)
        rows.append(
            DecisionRow(
                number=n,
                id=row.decision,
                title=row.title,
                question=decision.question,
                phase=campaign.phase_of[row.decision].title,
                date=campaign.phase_of[row.decision].date.isoformat(),
                status=_status(row.matches, row.record, row.chosen),
                chosen=_choice(campaign, row.decision, row.chosen) if row.chosen else None,
                decided_by=entry.by if entry else None,
                decided_by_name=_who(campaign, entry) if entry else None,
                decided_by_player=credit.deciders.get(row.decision, players.get(entry.by or ""))
                if entry and entry.by in campaign.roles
                else None,
                record=_choice(campaign, row.decision, row.record) if row.record else None,
                record_summary=record.summary if record else None,
                record_cites=cites(row.cite),
                record_gap=record.gap if record else None,
                recommendations=recommendations(campaign, row, players, credit),
                positions=[
                    Position(
                        role=a.role,
                        role_name=campaign.roles[a.role].name,
                        argued=_choice(campaign, row.decision, a.options),
                        position=a.position,
                        quote=a.quote,
                        cites=cites(a.cite),
                        recorded_on=None
                        if a.reconstructed
                        else campaign.recorded_on(a).isoformat(),
                        reconstructed=a.reconstructed,
                        note=campaign.position_note(a, campaign.phase_of[decision.id].date),
                    )
                    for a in (record.advocates if record else [])
                ],
                discussion=list(row.discussion),
                only_option=row.only_option,
                discussion_item=decision.discussion_item,
            )
        )
    return rows


def recommendations(
    campaign: Campaign,
    row: DecisionComparison,
    players: Mapping[str, str],
    credit: Credit,
) -> list[Recommendation]:
    """The players' recommendations on one decision, in the order of the roles, each beside
    what that person argued in the record."""
    argued = campaign.counted_positions(campaign.decisions[row.decision])
    seat = {role: n for n, role in enumerate(campaign.roles)}
    return [
        Recommendation(
            role=role,
            role_name=campaign.roles[role].name,
            player=credit.senders.get((row.decision, role), players.get(role)),
            recommended=_choice(campaign, row.decision, picks),
            argued=_choice(campaign, row.decision, argued[role].options)
            if role in argued
            else None,
            aligned=bool(set(picks) & set(argued[role].options))
            if role in argued and not row.only_option
            else None,
            same_as_record_choice=set(picks) == set(row.record) if row.record else None,
            reason=credit.reasons.get((row.decision, role)),
        )
        for role, picks in sorted(row.recommendations.items(), key=lambda rp: seat[rp[0]])
    ]


def response_rows(game: Game, cites: Cites) -> list[ResponseRow]:
    """The counterparts' answers, in the order they came."""
    campaign = game.campaign
    responses = {r.id: r for r in campaign.scenario.responses}
    answered = []
    for e in game.log:
        if e.kind != "response":
            continue
        response = responses[e.step]
        outcome = next(o for o in response.outcomes if o.id == e.chosen[0])
        answered.append(
            ResponseRow(
                id=response.id,
                title=response.title,
                actor=campaign.actors[response.actor].name
                if response.actor in campaign.actors
                else response.actor,
                date=e.date,
                outcome=outcome.id,
                text=outcome.text,
                simulated=outcome.simulated,
                rationale=outcome.rationale,
                cites=cites(outcome.cite),
                forced=e.forced,
            )
        )
    return answered


def outcome_of(game: Game, comparison: Comparison, cites: Cites) -> Outcome:
    """The game's ending and measures beside the record's."""
    campaign = game.campaign
    endings = {e.id: e for e in campaign.scenario.endings}

    def ending_row(eid: str | None) -> EndingRow | None:
        if eid is None:
            return None
        e = endings[eid]
        return EndingRow(
            id=e.id, title=e.title, text=e.text, simulated=e.simulated, cites=cites(e.cite)
        )

    return Outcome(
        ending=ending_row(comparison.ending),
        record=ending_row(comparison.record_ending),
        same=comparison.ending == comparison.record_ending
        if comparison.ending and not comparison.record_stops
        else None,
        record_stops=campaign.decisions[comparison.record_stops].title
        if comparison.record_stops
        else None,
        measures=[
            MeasureRow(
                id=m.id,
                label=m.label,
                value=m.value,
                shown=m.shown,
                record=m.record,
                record_shown=m.record_shown,
                same=m.value == m.record if m.record_shown is not None else None,
                cites=cites(m.cite),
                note=m.note,
                simulated=m.simulated,
            )
            for m in (measures.debrief(game) if game.finished else [])
        ],
    )


def alignment_rows(
    campaign: Campaign,
    comparison: Comparison,
    rows: list[DecisionRow],
    players: Mapping[str, str],
) -> list[Alignment]:
    """How often each role's recommendations shared an option with what the person argued:
    one row per student who played the role."""
    alignment = []
    for role, score in comparison.alignment.items():
        counted = [
            r for d in rows for r in d.recommendations if r.role == role and r.aligned is not None
        ]
        by_player: dict[str | None, list[Recommendation]] = {}
        for r in counted:
            by_player.setdefault(r.player, []).append(r)
        if len(by_player) < 2:
            by_player = {next(iter(by_player), players.get(role)): counted}
        for player, mine in by_player.items():
            aligned = sum(1 for r in mine if r.aligned)
            alignment.append(
                Alignment(
                    role=role,
                    role_name=campaign.roles[role].name,
                    player=player,
                    score=score if len(by_player) == 1 else aligned / len(mine),
                    aligned=aligned,
                    counted=len(mine),
                )
            )
    return alignment


def player_rows(game: Game, players: Mapping[str, str], credit: Credit) -> list[Player]:
    """Who played each role: earlier students (who sent a recommendation or took a decision
    as its chair) first."""
    campaign = game.campaign
    taken = {e.step: e for e in game.log if e.kind == "decision"}
    order = {d: n for n, d in enumerate(campaign.decisions)}
    seated: dict[str, list[str]] = {r: [] for r in campaign.roles}  # earlier students first
    acts: list[tuple[str, str | None, str]] = [
        (d, r, name) for (d, r), name in credit.senders.items()
    ]
    acts += [(d, taken[d].by, name) for d, name in credit.deciders.items() if d in taken]
    for _, role, name in sorted(acts, key=lambda act: order.get(act[0], 0)):
        if role in seated and name not in seated[role] and name != players.get(role):
            seated[role].append(name)
    for role, name in players.items():
        seated.setdefault(role, []).append(name)
    return [
        Player(role=r.id, role_name=r.name, office=r.office, player=name)
        for r in campaign.scenario.roles
        for name in seated[r.id]
    ]


def situation_rows(game: Game, phases: Iterable[Phase], cites: Cites) -> list[AftermathRow]:
    """Each of *phases*' situation passages, in the variant that fits the game's state there."""
    return [
        AftermathRow(
            phase=phase.title,
            date=phase.date.isoformat(),
            text=p.text,
            quote=p.quote,
            hindsight=p.hindsight,
            simulated=p.simulated,
            cites=cites(p.cite),
        )
        for phase in phases
        for p in shown(phase.situation, game.phase_state(phase) or game.state)
    ]


def aftermath_rows(game: Game, cites: Cites) -> list[AftermathRow]:
    """The record after the game's last decision (the outcome phases' situation), once the
    game is finished."""
    if not game.finished:
        return []
    phases = game.campaign.scenario.phases
    return situation_rows(game, (ph for ph in phases if ph.kind == "outcome"), cites)


def event_rows(game: Game, cites: Cites) -> list[AftermathRow]:
    """The phases the game went past with no decision of their own (an event the group only
    learns of), outcome phases aside, each with its situation in the variant that fits."""
    passed = game.phases_passed()
    return situation_rows(
        game, (ph for ph in passed if not ph.decisions and ph.kind != "outcome"), cites
    )


def decided_by(row: DecisionRow) -> str:
    """'Ana as John F. Kennedy', or the role's name ('the group') when no player is known."""
    if row.decided_by_player:
        return f"{row.decided_by_player} as {row.decided_by_name}"
    return row.decided_by_name or ""


def _choice(campaign: Campaign, decision_id: str, options) -> Choice:
    """*options* in the decision's order, with labels."""
    decision = campaign.decisions[decision_id]
    wanted = set(options)
    picked = [o for o in decision.options if o.id in wanted]
    return Choice(options=[o.id for o in picked], labels=[o.label for o in picked])


def _status(matches: bool | None, record, chosen) -> Status:
    if record is None:
        return "no record"
    if chosen is None:
        return "not reached"
    return "same" if matches else "different"


def _who(campaign: Campaign, entry: Entry) -> str:
    """Who took a decision: its chair, the group's vote (the recommendations counted), or the
    group together (no one attended)."""
    if entry.by in campaign.roles:
        return campaign.roles[entry.by].name
    return "the group's vote" if entry.recommendations else "the group"
