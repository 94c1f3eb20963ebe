"""An option the machine's structure cannot take from where the game stands is not offered;
one the group's policy refuses stays offered, refused with its reason and citation (issue 26).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.classroom.room import ClassError, check_picks
from exsim.cli import main
from exsim.engine import Game, GameError, open_campaign
from exsim.engine.campaign import Campaign
from exsim.engine.presumption import claims_of

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"


@pytest.fixture(scope="module")
def campaign() -> Campaign:
    return open_campaign(SCENARIO)


def play(campaign: Campaign, choices: dict[str, list[str]], until: str) -> Game:
    """A what-if game taking *choices* (else the record's where allowed, else the first
    option allowed), stopped when decision *until* is open."""
    game = Game(campaign, seed=1, mode="what-if")
    while game.current.decision.id != until:
        d = game.current.decision
        allowed = [o.id for o in game.options() if o.allowed]
        wanted = choices.get(d.id) or campaign.record_choices.get(d.id, [])
        game.decide(d.id, wanted if wanted and set(wanted) <= set(allowed) else allowed[:1])
    return game


def test_tightening_a_lifted_quarantine_is_not_offered(campaign):
    game = play(campaign, {"il28s": ["lift_now"]}, "pressure_steps")
    assert game.state["quarantine"] == "lifted"
    offered = [o.id for o in game.options()]
    assert "tighten" not in offered
    assert offered == ["hold_in_reserve", "oas_meeting", "noncompliance", "oas_economic"]
    assert all(o.refusal is None or o.refusal.dimension is None for o in game.options())


def test_taking_an_option_that_does_not_apply_says_why_and_what_is_offered(campaign):
    game = play(campaign, {"il28s": ["lift_now"]}, "pressure_steps")
    with pytest.raises(GameError) as err:
        game.decide("pressure_steps", ["tighten"])
    message = str(err.value)
    assert "'tighten' does not apply now" in message
    assert "not from “Lifted”" in message
    assert "options now: hold_in_reserve, oas_meeting, noncompliance, oas_economic" in message
    assert game.state["quarantine"] == "lifted" and game.current.decision.id == "pressure_steps"


def test_a_recommendation_of_an_option_that_does_not_apply_is_refused(campaign):
    game = play(campaign, {"il28s": ["lift_now"]}, "pressure_steps")
    with pytest.raises(GameError, match="does not apply now"):
        game.decide("pressure_steps", ["hold_in_reserve"], recommendations={"rusk": "tighten"})


def test_a_pledge_the_groups_rule_forbids_stays_listed_refused_with_its_citation(campaign):
    game = play(campaign, {}, "assurance")
    assert game.state["pledge_rule"] == "adopted" and game.state["inspection"] != "agreed"
    formal = next(o for o in game.options() if o.id == "formal_pledge")
    assert formal.refusal is not None and formal.refusal.guard == "inspection_before_pledge"
    assert formal.refusal.cite == ("frus_xi_174#3",)
    assert "inspection" in formal.refusal.reason


def test_an_option_text_is_judged_only_where_the_option_applies(campaign):
    claims = {c.key: c for c in claims_of(campaign)}
    phases = [p.id for p in campaign.scenario.phases]
    p = phases.index("nov13")
    d = [x.id for x in campaign.scenario.phases[p].decisions].index("pressure_steps")
    options = [o.id for o in campaign.scenario.phases[p].decisions[d].options]
    key = ("phases", p, "decisions", d, "options", options.index("tighten"))
    claim = claims.get(key) or claims[(*key, "asserts")]
    assert {"quarantine": ["in_force"]} in claim.shown


def test_a_decision_with_no_option_that_applies_is_passed_over_with_its_note(campaign):
    """No decision of the bundled file loses every option, so one is made: the 13 November
    pressure steps offered with only 'Tighten', in a game that lifted the quarantine."""
    game = play(campaign, {"il28s": ["lift_now"]}, "pressure_steps")
    decision = game.current.decision
    only_tighten = decision.model_copy(
        update={"options": [o for o in decision.options if o.id == "tighten"]}
    )
    assert campaign.offered(only_tighten, game.state) == []
    step = game.current
    made = type(step)(step.phase, decision=only_tighten, when=step.when)
    assert campaign.on_agenda(step, game.state)
    assert not campaign.on_agenda(made, game.state)


def test_describe_says_where_an_option_is_offered():
    out = CliRunner().invoke(main, ["describe", str(SCENARIO)]).output
    tighten = out.index("Tighten the quarantine  → tighten_quarantine")
    assert out[tighten:].splitlines()[1].strip() == ("(offered only where quarantine in_force)")
    lift = out.index("Lift the quarantine now to help the talks  → lift_quarantine")
    assert "offered only" not in out[lift:].splitlines()[1]


def test_simulate_counts_a_choice_that_does_not_apply_as_a_fallback_saying_so(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("mode: what-if\ndecisions:\n  il28s: lift_now\n  pressure_steps: [tighten]\n")
    out = (
        CliRunner()
        .invoke(main, ["simulate", str(SCENARIO), "--policy", str(policy), "--runs", "50"])
        .output
    )
    assert "50 game(s) fell back to another option where this policy's choice did not" in out
    assert "apply or the policy machine refused it" in " ".join(out.split())


def test_the_class_refuses_a_pick_of_an_option_that_does_not_apply(campaign):
    game = play(campaign, {"il28s": ["lift_now"]}, "pressure_steps")
    decision = game.current.decision
    with pytest.raises(ClassError, match="'tighten' is not an option you can choose now"):
        check_picks(game, decision, ["tighten"])
    check_picks(game, decision, ["oas_meeting"])  # an option that applies is taken
