"""Issue 26's examples: texts written for the record path no longer contradict a what-if game.

Each test plays the bundled campaign off the record as the issue describes and reads what the
players are shown there: briefings, options, cables and their reasons, the debrief.
"""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.campaign import Campaign, shown
from exsim.engine.policy import holds
from exsim.report import debrief
from games import play

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return open_campaign(SCENARIO)


def briefing(campaign: Campaign, game: Game, role: str, phase_id: str) -> str:
    phase = next(p for p in campaign.scenario.phases if p.id == phase_id)
    return " ".join(b.text for b in campaign.briefings(role, phase, game.phase_state(phase)))


def labels(game: Game) -> list[str]:
    return [o.label for o in game.options()]


def cable(campaign: Campaign, game: Game, response_id: str):
    """The outcome *response_id* gave in *game*."""
    entry = next(e for e in game.log if e.step == response_id)
    response = next(r for r in campaign.scenario.responses if r.id == response_id)
    return next(o for o in response.outcomes if o.id == entry.chosen[0]), entry


def test_the_presidents_13_november_briefing_follows_a_night_answer_and_refused_observers(
    campaign,
):
    game = play(
        campaign, {"khrushchev_message": ["answer_tonight"], "reciprocity": ["refuse"]}, "il28s"
    )
    text = briefing(campaign, game, "president", "nov13")
    assert "the group noted it and set this meeting" not in text
    assert "kept open the question of UN observers" not in text
    assert "sent Khrushchev an answer the same night" in text
    assert "refused any UN observers on US soil" in text


def test_the_presidents_13_november_briefing_mentions_a_formal_pledge(campaign):
    game = play(campaign, {"commitment_terms": ["commit_now"]}, "il28s")
    assert game.state["pledge"] == "given"
    text = briefing(campaign, game, "president", "nov13")
    assert "committed the US not to invade Cuba, formally" in text


def test_15_november_offers_no_lifting_of_a_quarantine_already_lifted(campaign):
    game = play(
        campaign,
        {"il28s": ["lift_now"]},
        "answer_offer",
        forced={"khrushchev_offer": "months_on_new_terms"},
    )
    assert game.state["quarantine"] == "lifted"
    assert not any("lift the quarantine" in label for label in labels(game))


def test_20_november_flights_options_fit_flights_suspended_since_5_november(campaign):
    game = play(campaign, {"overflights": ["suspend"]}, "overflights_nov20")
    assert game.state["overflights"] == "suspended"
    shown_labels = labels(game)
    assert not any("go on" in label or "as Khrushchev asked" in label for label in shown_labels)
    game.decide("overflights_nov20", ["stop_flights"])
    while not game.finished:
        allowed = [o.id for o in game.options() if o.allowed]
        game.decide(game.current.decision.id, allowed[:1])
    chosen = next(r for r in debrief.build(game).decisions if r.id == "overflights_nov20")
    assert chosen.chosen is not None
    assert not any("Khrushchev asked" in label for label in chosen.chosen.labels)


def test_cables_after_pressure_and_an_early_commitment_claim_no_timetable(campaign):
    steps = ["oas_meeting", "noncompliance", "oas_economic", "tighten"]
    game = play(
        campaign,
        {"pressure_steps": steps, "quarantine_nov20": ["keep_until_gone"]},
        forced={"mccloy_kuznetsov": "early_commitment"},
    )
    assert len(game.pressure) == 4
    agreed, _ = cable(campaign, game, "khrushchev_agreement")
    assert "agreed schedule" not in agreed.text and "Soviet terms" not in (agreed.rationale or "")
    shipped, _ = cable(campaign, game, "bombers_shipped")
    assert "Khrushchev agreed to remove them within a month" not in (shipped.rationale or "")
    assert shipped.simulated


def test_the_oas_options_fit_whether_a_meeting_was_convened(campaign):
    never = play(campaign, {}, "measures_nov20")
    assert never.state["oas_meeting"] == "none"
    assert not any(label.startswith("Call off") for label in labels(never))
    convened = play(campaign, {"pressure_steps": ["oas_meeting"]}, "measures_nov20")
    assert convened.state["oas_meeting"] == "convened"
    assert not any(label.startswith("Convene") for label in labels(convened))


def test_a_demand_to_count_on_the_ground_has_its_own_labelled_consequences(campaign):
    game = play(campaign, {"verify_removal": ["count_on_ground"]}, "il28s")
    outcome, entry = cable(campaign, game, "ships_counted")
    assert entry.simulated and outcome.rationale
    assert "count alongside" not in outcome.text.replace("cost the count alongside", "")
    nov12 = next(p for p in campaign.scenario.phases if p.id == "nov12")
    situation = " ".join(p.text for p in shown(nov12.situation, game.phase_state(nov12)))
    assert "US aircraft counted them alongside" not in situation
    text = briefing(campaign, game, "president", "nov13")
    assert "counted leaving with the missiles" not in text
    assert "insisted on counting the missiles on the ground" in text
    assert "counted the missiles on deck" not in briefing(campaign, game, "mcnamara", "nov13")


@pytest.mark.parametrize(
    ("decision", "option", "response", "outcome"),
    [
        ("verify_removal", "count_on_ground", "ships_counted", "ground_count_refused"),
        ("reciprocity", "offer", "mccloy_channel", "observers_taken_up"),
        ("reciprocity", "refuse", "mccloy_channel", "observers_refusal_used"),
        ("mccloy_instructions", "wait_for_havana", "mccloy_channel", "mccloy_without_answers"),
        ("mccloy_instructions", "full_position", "mccloy_channel", "final_position_pocketed"),
        ("khrushchev_message", "answer_tonight", "night_reply", "reply_read_as_eagerness"),
    ],
)
def test_a_decision_that_once_changed_nothing_is_met_later(
    campaign, decision, option, response, outcome
):
    # In the record's mode too: the recorded answer no longer fits, so a simulated one comes.
    game = Game(campaign, seed=3)
    while not game.finished:
        d = game.current.decision
        picks = [option] if d.id == decision else campaign.record_choices[d.id]
        allowed = {o.id for o in game.options() if o.allowed}
        game.decide(d.id, picks if set(picks) <= allowed else [sorted(allowed)[0]])
    found, entry = cable(campaign, game, response)
    assert found.id == outcome and entry.simulated and found.rationale


def test_every_text_shown_in_a_what_if_game_holds_what_it_presumes(campaign):
    # The walk proves it for every path; here one game reads it as the players do.
    game = play(
        campaign,
        {
            "overflights": ["suspend"],
            "reciprocity": ["offer"],
            "il28s": ["lift_now"],
            "pressure_steps": ["oas_meeting", "noncompliance"],
        },
    )
    checked = 0
    for claim in campaign.claims:
        if claim.position >= len(game.states):
            continue
        state = game.states[claim.position]
        if all(holds(c, state) for c in claim.shown) and not any(
            holds(c, state) for c in claim.unless
        ):
            checked += 1
            assert claim.asserts is not None and holds(claim.asserts, state), claim.key
    assert checked > 60
