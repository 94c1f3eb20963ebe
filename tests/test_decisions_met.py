"""Decisions the players meet later (issue 26, audit G3-1/G3-4, G3-10): UN flights sought on
5 November bring U Thant's simulated answer and a line in the President's briefing; flights
resumed after accepting Khrushchev's conditions bring his simulated protest."""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.campaign import Campaign
from games import play

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return open_campaign(SCENARIO)


def cables(game: Game) -> dict[str, str]:
    """Each response answered in *game*: its id → the outcome drawn."""
    return {e.step: e.chosen[0] for e in game.log if e.kind == "response" and e.chosen}


def test_un_flights_sought_are_answered_and_told_to_the_president(campaign):
    game = play(campaign, {"overflights": ["seek_un_flights"]}, until="il28s")
    assert game.state["un_flights"] == "sought" and game.state["overflights"] == "continuing"
    assert cables(game)["un_flights_answer"] == "un_flights_refused"
    entry = next(e for e in game.log if e.step == "un_flights_answer")
    assert entry.simulated
    nov13 = next(p for p in campaign.scenario.phases if p.id == "nov13")
    said = " ".join(
        " ".join(b.text.split())
        for b in campaign.briefings("president", nov13, game.phase_state(nov13))
    )
    assert "the group sought UN reconnaissance flights over Cuba" in said


def test_on_the_record_course_no_un_answer_comes(campaign):
    game = play(campaign, {}, until="il28s")
    assert "un_flights_answer" not in cables(game)


def test_flights_resumed_after_accepting_khrushchevs_conditions_draw_a_protest(campaign):
    forced = {"mccloy_kuznetsov": "meeting_held", "khrushchev_offer": "two_three_months"}
    choices = {"answer_offer": ["accept_months"], "overflights_nov20": ["high_level_watch"]}
    game = play(campaign, choices, forced=forced)
    assert game.state["soviet_terms"] == "accepted"
    assert cables(game).get("terms_broken") == "protest_flights_resumed"
    kept = play(campaign, {**choices, "overflights_nov20": ["stop_flights"]}, forced=forced)
    assert "terms_broken" not in cables(kept)


def test_aerial_surveillance_already_the_policy_is_not_offered_as_new(campaign):
    # G3-6: "Accept aerial surveillance as enough" offered on 13 November to a group that chose
    # it on 5 November; the rule of inspection first reverses it without a word.
    from exsim.engine.campaign import shown

    game = play(campaign, {"commitment_terms": ["rely_on_aerial"]}, until="pledge_rule")
    assert game.state["inspection"] == "aerial_only"
    offered = [o.id for o in game.options()]
    assert "aerial_enough" not in offered and "inspection_first" in offered
    context = " ".join(
        " ".join(p.text.split()) for p in shown(game.current.decision.context, game.state)
    )
    assert "chose to rely on US aerial surveillance, which is its policy now" in context
    record = play(campaign, {}, until="pledge_rule")
    assert "aerial_enough" in [o.id for o in record.options()]


def test_rusks_13_november_briefing_tells_what_the_group_did_on_5_november(campaign):
    # G3-5: only the President's briefing followed the game; Rusk was not told that the group
    # dropped ground inspection or sent McCloy the final position.
    choices = {
        "overflights": ["seek_un_flights"],
        "commitment_terms": ["rely_on_aerial"],
        "mccloy_instructions": ["full_position"],
    }
    game = play(campaign, choices, until="il28s")
    assert game.state["mccloy_brief"] == "final"
    nov13 = next(p for p in campaign.scenario.phases if p.id == "nov13")
    said = " ".join(
        " ".join(b.text.split()) for b in campaign.briefings("rusk", nov13, game.phase_state(nov13))
    )
    assert "dropped ground inspection and chose to rely on US aerial surveillance" in said
    assert "McCloy has had the final US position on assurances since 5 November" in said
    assert "sought UN reconnaissance flights" in said
    record = play(campaign, {}, until="il28s")
    plain = " ".join(
        " ".join(b.text.split())
        for b in campaign.briefings("rusk", nov13, record.phase_state(nov13))
    )
    assert "Your game has left the record" not in plain


def test_the_offer_of_months_names_its_conditions_on_every_path(campaign):
    # G1-24: with the quarantine lifted, the flights stopped and a formal pledge given, the
    # cable asked the US "to grant the rest of what he wants", which was nothing left.
    choices = {
        "overflights": ["suspend"],
        "commitment_terms": ["commit_now"],
        "il28s": ["lift_now"],
    }
    forced = {"mccloy_kuznetsov": "meeting_held", "khrushchev_offer": "months_on_new_terms"}
    game = play(campaign, choices, until="answer_offer", forced=forced)
    offer = next(r for r in campaign.scenario.responses if r.id == "khrushchev_offer")
    text = " ".join(next(o for o in offer.outcomes if o.id == "months_on_new_terms").text.split())
    assert cables(game)["khrushchev_offer"] == "months_on_new_terms"
    assert "the rest of what he wants" not in text
    assert "no quarantine, and no US flights over Cuba" in text


def test_the_12_november_situation_says_the_game_has_left_the_record(campaign):
    # G1-14: the recorded message was shown unlabelled after a formal commitment on 5 November.
    from exsim.engine.campaign import shown

    game = play(campaign, {"commitment_terms": ["commit_now"]}, until="khrushchev_message")
    phase = campaign.phase_of["khrushchev_message"]
    said = " ".join(" ".join(p.text.split()) for p in shown(phase.situation, game.state))
    assert "Moscow has had a formal US commitment not to invade since 5 November" in said
    record = play(campaign, {}, until="khrushchev_message")
    plain = " ".join(" ".join(p.text.split()) for p in shown(phase.situation, record.state))
    assert "Your game has left the record" not in plain
