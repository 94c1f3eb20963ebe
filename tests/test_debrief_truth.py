"""The debrief's outcome table tells this game's truth (issue 26; audit G1-36, G2-17, G3-12):
how Cuba was watched follows the flights, a value the group's own decision set is not marked
simulated, and an OAS meeting never convened is not reported as one stood down."""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.campaign import Campaign
from exsim.engine.compare import play_record
from exsim.engine.measures import MeasureRow, debrief
from exsim.report import debrief as report
from exsim.report.render import markdown
from games import play

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return open_campaign(SCENARIO)


def rows(game: Game) -> dict[str, MeasureRow]:
    return {r.id: r for r in debrief(game)}


def test_a_group_that_flew_all_game_is_told_its_flights_watched_cuba(campaign):
    # G2-17: "How Cuba was watched: None arranged" after flights every day.
    game = play(campaign, {"verify_removal": ["count_on_ground"], "pledge_rule": []})
    assert game.state["overflights"] == "continuing"
    flights = rows(game)["flights_at_end"]
    assert (flights.shown, flights.record_shown, flights.value == flights.record) == (
        "yes",
        "yes",
        True,
    )
    assert "None arranged" not in markdown(report.build(game))


def test_suspended_flights_are_not_called_a_watch(campaign):
    game = play(campaign, {"overflights": ["suspend"], "overflights_nov20": ["stop_flights"]})
    assert game.state["overflights"] == "suspended"
    assert rows(game)["flights_at_end"].shown == "no"


def test_a_value_the_groups_own_decision_set_is_not_marked_simulated(campaign):
    # G1-36: the quarantine lifted by the group on 13 November and a formal pledge given on
    # 5 November were marked "came through a SIMULATED answer".
    game = play(
        campaign,
        {"overflights": ["suspend"], "commitment_terms": ["commit_now"], "il28s": ["lift_now"]},
        forced={"castro_inspection": "refuses"},
    )
    assert any(e.simulated for e in game.log)  # the game did draw simulated answers
    got = rows(game)
    assert got["quarantine_lifted"].shown == "13 Nov 1962"
    assert not got["quarantine_lifted"].simulated
    assert got["assurance"].value == "given" and not got["assurance"].simulated
    assert not got["pressure"].simulated


def test_the_soviet_agreement_drawn_by_a_simulated_answer_is_marked(campaign):
    forced = {"mccloy_kuznetsov": "early_commitment"}
    game = play(campaign, {"pressure_steps": ["oas_meeting", "tighten"]}, forced=forced)
    got = rows(game)
    assert got["removal_agreed"].shown == "13 Nov 1962" and got["removal_agreed"].simulated
    assert not got["pressure"].simulated  # the steps were the group's own decision
    assert not got["quarantine_lifted"].simulated  # lifted by the group on 20 November


def test_the_record_path_marks_nothing(campaign):
    assert not any(r.simulated for r in debrief(play_record(campaign)))


def test_an_oas_meeting_never_convened_is_reported_as_never_convened(campaign):
    # G3-12: "OAS …: Stood down (record: Stood down)" for a meeting never convened.
    record = rows(play_record(campaign))["oas_meeting"]
    assert (record.shown, record.record_shown, record.value == record.record) == (
        "never",
        "never",
        True,
    )
    game = play(campaign, {"pressure_steps": ["oas_meeting"]})
    convened = rows(game)["oas_meeting"]
    assert convened.shown == "13 Nov 1962" and convened.value != convened.record
    assert "Stood down" not in markdown(report.build(game))


def test_the_pressure_steps_of_a_group_without_the_president_say_what_it_can_do(campaign):
    # G1-21, G2-4: the group in Ball's office "made" a presidential statement and "imposed" OAS
    # sanctions; it can agree on the one and ask the OAS for the other.
    steps = ["oas_meeting", "noncompliance", "oas_economic"]
    game = play(campaign, {"pressure_steps": steps})
    dims = {d.id: {s.id: s.label for s in d.states} for d in campaign.scenario.machine.dimensions}
    taken = next(e for e in game.log if e.step == "pressure_steps")
    assert "president" not in campaign.phase_of["pressure_steps"].present
    shown = {c.dimension: dims[c.dimension][c.dest] for c in taken.changes}
    assert shown == {
        "oas_meeting": "Called for by the US",
        "statement": "Agreed on, for the President to make",
        "oas_economic": "Sought from the OAS",
    }


def test_a_never_no_answer_could_change_is_not_marked(campaign):
    # "never" for an OAS meeting only the group could call is not set by a simulated answer,
    # even in a game that drew some.
    game = play(campaign, {"il28s": ["lift_now"]}, forced={"castro_inspection": "refuses"})
    assert any(e.simulated for e in game.log)
    oas = rows(game)["oas_meeting"]
    assert oas.shown == "never" and not oas.simulated
