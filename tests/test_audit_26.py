"""The auditor's findings of issue 26 (notes/s21/audit-26.md): texts that stated the record's
facts in a what-if game that does not have them. Each test plays the what-if path the auditor
played and reads what the players are shown there."""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.campaign import Campaign
from exsim.report import debrief

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"

AUDITED = {
    "verify_removal": ["count_on_ground"],
    "photographs": ["release"],
    "overflights": ["suspend"],
    "commitment_terms": ["commit_now"],
    "il28s": ["lift_now"],
    "pressure_steps": ["oas_economic"],
    "overflights_nov20": ["stop_flights"],
}
"""The auditor's first game (G1): no count at sea, the flights suspended, a formal pledge on
5 November, the quarantine lifted on 13 November."""


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return open_campaign(SCENARIO)


def shown_texts(campaign: Campaign, forced: dict[str, str] | None = None) -> list[str]:
    """Every option (label and description) and advisor's position shown at each decision of
    the audited game, and every cable it received."""
    game = Game(campaign, seed=1, mode="what-if", forced=forced)
    texts: list[str] = []
    while not game.finished:
        d = game.current.decision
        offered = {o.id for o in game.options()}
        texts += [f"{o.label} {o.description}" for o in d.options if o.id in offered]
        texts += [a.position for a in (d.record.advocates if d.record else ())]
        allowed = [o.id for o in game.options() if o.allowed]
        wanted = AUDITED.get(d.id) or campaign.record_choices.get(d.id, [])
        game.decide(d.id, wanted if wanted and set(wanted) <= set(allowed) else allowed[:1])
    assert game.state["overflights"] == "suspended" and game.state["quarantine"] == "lifted"
    responses = {r.id: r for r in campaign.scenario.responses}
    for entry in game.log:
        if entry.kind == "response":
            outcome = next(o for o in responses[entry.step].outcomes if o.id == entry.chosen[0])
            texts += [outcome.text, outcome.rationale or ""]
    return texts


@pytest.mark.parametrize(
    "false_there",
    [
        "while the flights go on",  # G1-3
        "the count of the missiles is under way",  # G1-3
        "on the Soviet count alone",  # G1-5
        "The U-2s keep watching Cuba",  # G1-12
        "the same watch from the air",  # G1-17
        "judged to need study",  # G1-18
        "the lever already in hand",  # G1-19
        "not disposed to go as far",  # G1-22 (the record's verdict, before the decision)
        "the bombers and the count",  # G1-22
        "as Khrushchev asks",  # G1-27
        "stopping the flights for months",  # G1-27
        "steps held in reserve",  # G1-31
        "keep only the flights",  # G1-30
        "Khrushchev asked for the flights to stop",  # G1-32
        "it must go on",  # G1-32
        "counts what it can see from the air",  # G1-10
        "kept its word on the missiles",  # G1-28
        "rely on its own means of information",  # G1-33
        "rely on its own flights",  # G1-4
        "US flights over Cuba go on",  # G1-7
        "He kept the record of action",  # G1-9 (the meeting's record of action, before it)
        "later that same evening",  # G1-13 (what happens after the game's moment)
        "On 5 November he wanted thought given",  # G1-15 (against the player's own 5 Nov)
        "then the quarantine ends",  # G1-19 (the quarantine was lifted that morning)
        "An OAS meeting convened in your game",  # G1-29 (none was convened)
        "keep flying",  # G1-32
    ],
)
def test_the_audited_game_shows_no_record_fact_it_does_not_have(campaign, false_there):
    texts = shown_texts(campaign, forced={"castro_inspection": "refuses"})
    assert not [t for t in texts if false_there in " ".join(t.split())]


def test_the_presidents_13_november_briefing_does_not_rest_the_pledge_on_a_refused_count(
    campaign,
):
    game = Game(campaign, seed=1, mode="what-if")
    while game.current.decision.id != "il28s":
        d = game.current.decision
        game.decide(d.id, AUDITED.get(d.id) or campaign.record_choices[d.id])
    nov13 = next(p for p in campaign.scenario.phases if p.id == "nov13")
    said = " ".join(
        " ".join(b.text.split())
        for b in campaign.briefings("president", nov13, game.phase_state(nov13))
    )
    assert "insisted on counting the missiles on the ground" in said  # G1-16
    assert "Soviet count" not in said
    assert "formally and with no inspection on the ground" in said


def test_an_item_the_game_never_reached_is_not_called_the_only_option_open(campaign):
    # G1-35: the debrief said "not reached" and "only this option was open" of the same item.
    game = Game(campaign, seed=1, mode="what-if", forced={"castro_inspection": "refuses"})
    while not game.finished:
        d = game.current.decision
        allowed = [o.id for o in game.options() if o.allowed]
        wanted = AUDITED.get(d.id) or campaign.record_choices.get(d.id, [])
        game.decide(d.id, wanted if wanted and set(wanted) <= set(allowed) else allowed[:1])
    rows = debrief.build(game).decisions
    skipped = [r for r in rows if r.status == "not reached"]
    assert {r.id for r in skipped} >= {"pledge_rule", "assurance"}
    assert not [r.id for r in skipped if r.only_option]


def test_the_presidents_15_november_briefing_tells_what_the_group_did_without_him(campaign):
    # G1-25, G2-6, G3-7: the President was absent on 13 November; his next briefing said
    # nothing of what the group decided there.
    forced = {"mccloy_kuznetsov": "meeting_held", "khrushchev_offer": "months_on_new_terms"}
    game = Game(campaign, seed=1, mode="what-if", forced=forced)
    choices = {
        "il28s": ["lift_now"],
        "pressure_steps": ["oas_meeting", "noncompliance", "oas_economic"],
        "pledge_rule": ["assurance_now"],
        "mccone_proposals": ["adopt"],
    }
    while game.current.decision.id != "answer_offer":
        d = game.current.decision
        game.decide(d.id, choices.get(d.id) or campaign.record_choices[d.id])
    talks = next(p for p in campaign.scenario.phases if p.id == "talks")
    said = " ".join(
        " ".join(b.text.split())
        for b in campaign.briefings("president", talks, game.phase_state(talks))
    )
    for done in (
        "lifted the quarantine",
        "called a meeting of the OAS",
        "put out the statement that the Soviets have not complied",
        "asked the OAS for economic measures",
        "offered Moscow an informal, conditional assurance",
        "made McCone's line on Castro its policy",
    ):
        assert done in said


def test_the_last_cables_and_lines_do_not_presume_a_bargain_this_game_did_not_strike(campaign):
    # G2-16: "invites Moscow to slow down" once the bombers are removed; G3-3: "what more the
    # US will give" after a final position that gave nothing; G2-15: the departure's rationale.
    texts = " ".join(
        " ".join(t.split())
        for t in [
            *(a.position for d in campaign.decisions.values() for a in d.record.advocates),
            *(o.text for r in campaign.scenario.responses for o in r.outcomes),
            *(o.rationale or "" for r in campaign.scenario.responses for o in r.outcomes),
        ]
    )
    assert "invites Moscow to slow down" not in texts
    assert "asks what more the US will give" not in texts
    assert "since the documents listed stop before it" not in texts


def test_a_formal_commitment_given_on_13_november_is_called_given_and_the_ending_says_record(
    campaign,
):
    # G5-3: "Offer ... in return for the bombers" gave the commitment at once; G5-6: the
    # ending denied what this game's 13 November group did; G5-1: the Florida offer vanished.
    label = next(
        o.label for o in campaign.decisions["pledge_rule"].options if o.id == "commit_for_bombers"
    )
    assert label.startswith("Give the formal commitment now")
    ending = next(e for e in campaign.scenario.endings if e.id == "pledge_without_inspection")
    assert "in the record the group of 13 November" in " ".join(ending.text.split())
    channel = next(r for r in campaign.scenario.responses if r.id == "mccloy_channel")
    silent = next(o for o in channel.outcomes if o.id == "mccloy_without_answers")
    assert "will not say what it offers" not in " ".join(silent.text.split())
