"""The class comparison: many groups' games of one scenario, beside each other and the record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from exsim.engine.campaign import Campaign
from exsim.engine.compare import play_record
from exsim.report import debrief as debriefs
from exsim.report.debrief import Cite, Debrief, Model, SourceRow
from exsim.store import ScenarioChanged, SessionStore, StoreError


class GroupRow(Model):
    session: str | None
    group: str
    finished: bool
    decisions: int
    same: int
    divergence: int
    ending: str | None
    ending_simulated: bool


class OptionTally(Model):
    id: str
    label: str
    groups: int = Field(description="Groups whose choice included this option.")
    chosen_by: list[str] = Field(description="Those groups' names, in the report's order.")
    record: bool = Field(description="Part of ExComm's choice.")


class ReasonRow(Model):
    """A recommendation a player gave a reason for, in one group."""

    group: str
    player: str | None
    role_name: str
    recommended: list[str] = Field(description="The options' labels.")
    reason: str


class DecisionTally(Model):
    number: int
    id: str
    title: str
    reached: int = Field(description="Groups that took this decision.")
    same: int
    different: int
    record: list[str]
    record_cites: list[Cite]
    options: list[OptionTally]
    discussion: list[str]
    reasons: list[ReasonRow] = Field([], description="Recommendations given with a reason.")


class Departure(Model):
    """A decision where groups left the record."""

    decision: str
    title: str
    reached: int
    left: int
    share: float
    discussion: list[str]


class EndingTally(Model):
    id: str
    title: str
    simulated: bool
    record: bool = Field(description="The outcome ExComm's choices lead to.")
    groups: int


class OutcomeTally(Model):
    id: str
    text: str
    simulated: bool
    cites: list[Cite]
    groups: int


class ResponseTally(Model):
    id: str
    title: str
    actor: str
    outcomes: list[OutcomeTally]


class ValueTally(Model):
    shown: str
    groups: int
    record: bool = Field(description="The record's value.")


class MeasureTally(Model):
    """One outcome measure across the finished games, beside the record's value."""

    id: str
    label: str
    record_shown: str | None
    cites: list[Cite]
    values: list[ValueTally] = Field(description="Most frequent first.")


class RoleAlignment(Model):
    role: str
    role_name: str
    groups: int = Field(description="Groups where this role's alignment could be counted.")
    mean: float | None
    low: float | None
    high: float | None


class LeftOut(Model):
    session: str
    group: str
    reason: str


class ClassReport(Model):
    """Groups compared (exsim-class-report format, version 1)."""

    format: Literal["exsim-class-report"] = "exsim-class-report"
    format_version: Literal[1] = 1
    scenario: str
    scenario_title: str
    version: str
    content_hash: str
    groups: int
    finished: int
    sessions: list[GroupRow]
    departures: list[Departure] = Field(description="Decisions groups left, most-left first.")
    decisions: list[DecisionTally]
    endings: list[EndingTally]
    measures: list[MeasureTally]
    responses: list[ResponseTally]
    alignment: list[RoleAlignment]
    left_out: list[LeftOut]
    sources: list[SourceRow]


def build(
    campaign: Campaign, games: Iterable[Debrief], left_out: Iterable[LeftOut] = ()
) -> ClassReport:
    """Compare the debriefs *games* (all of *campaign*'s current content)."""
    games = list(games)
    scenario = campaign.scenario
    record_game = play_record(campaign)
    record_ending = record_game.ending.id if record_game.ending else None
    decisions = []
    for n, decision in enumerate(campaign.decisions.values(), 1):
        rows = [(g, r) for g in games for r in g.decisions if r.id == decision.id]
        reached = [r for _, r in rows if r.chosen is not None]
        picked = Counter(o for r in reached for o in r.chosen.options)
        by: dict[str, list[str]] = {}
        for g, r in rows:
            for o in r.chosen.options if r.chosen else ():
                by.setdefault(o, []).append(g.group or g.session or "?")
        record = list(campaign.record_choices.get(decision.id, []))
        decisions.append(
            DecisionTally(
                number=n,
                id=decision.id,
                title=decision.title,
                reached=len(reached),
                same=sum(1 for r in reached if r.status == "same"),
                different=sum(1 for r in reached if r.status == "different"),
                record=record,
                record_cites=[Cite(key=c, text=campaign.cite_text(c)) for c in decision.record.cite]
                if decision.record
                else [],
                options=[
                    OptionTally(
                        id=o.id,
                        label=o.label,
                        groups=picked[o.id],
                        chosen_by=by.get(o.id, []),
                        record=o.id in record,
                    )
                    for o in decision.options
                ],
                discussion=list(decision.discussion),
                reasons=[
                    ReasonRow(
                        group=g.group or g.session or "?",
                        player=rec.player,
                        role_name=rec.role_name,
                        recommended=rec.recommended.labels,
                        reason=rec.reason,
                    )
                    for g, r in rows
                    for rec in r.recommendations
                    if rec.reason
                ],
            )
        )
    departures = sorted(
        (
            Departure(
                decision=d.id,
                title=d.title,
                reached=d.reached,
                left=d.different,
                share=d.different / d.reached,
                discussion=d.discussion,
            )
            for d in decisions
            if d.different
        ),
        key=lambda p: (-p.share, -p.left, p.title),
    )
    ended = Counter(g.outcome.ending.id for g in games if g.outcome.ending)
    drawn = Counter((r.id, r.outcome) for g in games for r in g.responses)
    roles: dict[str, list[float]] = {}
    for g in games:
        for a in g.alignment:
            if a.score is not None:
                roles.setdefault(a.role, []).append(a.score)
    responses = [
        ResponseTally(
            id=r.id,
            title=r.title,
            actor=campaign.actors[r.actor].name if r.actor in campaign.actors else r.actor,
            outcomes=[
                OutcomeTally(
                    id=o.id,
                    text=o.text,
                    simulated=o.simulated,
                    cites=[Cite(key=c, text=campaign.cite_text(c)) for c in o.cite],
                    groups=drawn[(r.id, o.id)],
                )
                for o in r.outcomes
            ],
        )
        for r in scenario.responses
    ]
    cited = {
        c.key.partition("#")[0]
        for part in (*decisions, *(o for r in responses for o in r.outcomes))
        for c in (part.record_cites if isinstance(part, DecisionTally) else part.cites)
    }
    measured: dict[str, Counter] = {}
    for g in games:
        for m in g.outcome.measures:
            measured.setdefault(m.id, Counter())[m.shown] += 1
    sample = next((g for g in games if g.outcome.measures), None)
    tallies = []
    for m in sample.outcome.measures if sample else []:
        seen = measured[m.id]
        shown = sorted(seen, key=lambda v: (-seen[v], v))
        if m.record_shown is not None and m.record_shown not in seen:
            shown.append(m.record_shown)
        tallies.append(
            MeasureTally(
                id=m.id,
                label=m.label,
                record_shown=m.record_shown,
                cites=m.cites,
                values=[
                    ValueTally(shown=v, groups=seen[v], record=v == m.record_shown) for v in shown
                ],
            )
        )
    return ClassReport(
        scenario=campaign.id,
        scenario_title=scenario.title,
        version=campaign.version,
        content_hash=campaign.content_hash,
        groups=len(games),
        finished=sum(1 for g in games if g.finished),
        sessions=[
            GroupRow(
                session=g.session,
                group=g.group,
                finished=g.finished,
                decisions=sum(1 for d in g.decisions if d.chosen is not None),
                same=g.decisions_same,
                divergence=g.divergence,
                ending=g.outcome.ending.title if g.outcome.ending else None,
                ending_simulated=bool(g.outcome.ending and g.outcome.ending.simulated),
            )
            for g in games
        ],
        departures=departures,
        decisions=decisions,
        endings=[
            EndingTally(
                id=e.id,
                title=e.title,
                simulated=e.simulated,
                record=e.id == record_ending,
                groups=ended[e.id],
            )
            for e in scenario.endings
        ],
        measures=tallies,
        responses=responses,
        alignment=[
            RoleAlignment(
                role=role,
                role_name=campaign.roles[role].name,
                groups=len(roles.get(role, [])),
                mean=sum(roles[role]) / len(roles[role]) if roles.get(role) else None,
                low=min(roles[role]) if roles.get(role) else None,
                high=max(roles[role]) if roles.get(role) else None,
            )
            for role in campaign.roles
            if role in roles
        ],
        left_out=list(left_out),
        sources=debriefs.source_rows(campaign, cited),
    )


def from_store(
    store: SessionStore,
    campaign: Campaign,
    keys: Iterable[str] | None = None,
    replay: bool = False,
) -> ClassReport:
    """Compare the stored sessions *keys* (default: every session of *campaign*).

    Sessions played on other content of the scenario are left out, or with *replay* moved to
    the current content first (left out if their decisions no longer fit).
    """
    if keys is None:
        chosen = [s for s in store.list() if s.scenario_id == campaign.id]
    else:
        chosen = [store.get(k) for k in keys]
    games, left = [], []
    for session in sorted(chosen, key=lambda s: (s.created, s.id)):
        try:
            game = store.resume(session.id, campaign)
        except ScenarioChanged:
            if not replay:
                reason = _changed(session)
                left.append(LeftOut(session=session.id, group=session.group, reason=reason))
                continue
            try:
                game = store.replay_on(session.id, campaign)
            except StoreError as exc:
                left.append(LeftOut(session=session.id, group=session.group, reason=str(exc)))
                continue
            session = store.get(session.id)
        except StoreError as exc:
            left.append(LeftOut(session=session.id, group=session.group, reason=str(exc)))
            continue
        games.append(debriefs.build(game, session))
    return build(campaign, games, left)


def _changed(session) -> str:
    return f"played on version {session.version} (content {session.content_hash[:12]})"
