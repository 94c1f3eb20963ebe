"""An author's preview: `exsim play FILE --from PHASE` opens the game at that phase, in the
record path's state or one given, in a store of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_steps import choose, next_, run, screen_name, screen_text, set_up

from exsim.cli import main
from exsim.engine import GameError, open_campaign
from exsim.engine.preview import opened_at, parse_state
from exsim.tui.app import ExsimApp


def test_a_phase_opens_in_the_record_paths_state(mini):
    game = opened_at(mini, "after")
    assert game.current.id == "lift" and game.log == []
    assert game.state["il28"] == "removed"  # the record's answer came before the phase
    assert game.first == 3 and game.phase_state(mini.scenario.phases[1]) == game.state


def test_a_phase_opens_in_a_state_given(mini):
    game = opened_at(mini, "meeting", parse_state("quarantine=tightened, pledge=none"))
    assert game.current.id == "pledge"
    assert game.state["quarantine"] == "tightened"
    assert game.pressure == ["tightened quarantine"]


@pytest.mark.parametrize(
    ("phase", "state", "message"),
    [
        ("nope", None, "no phase 'nope' in this scenario (phases: meeting, after)"),
        ("after", "il28=gone", "il28: no state 'gone' (states: in_cuba, removal_agreed, removed)"),
        ("after", "bombers=gone", "no dimension 'bombers' (dimensions: quarantine, il28, "),
        (
            "after",
            "il28",
            "'il28': write the state as DIMENSION=STATE, separated by commas "
            "(il28=removed,quarantine=lifted)",
        ),
    ],
)
def test_a_preview_that_cannot_open_says_why(mini, phase, state, message):
    result = CliRunner().invoke(
        main, ["play", str(mini.file.path), "--from", phase, *(["--state", state] if state else [])]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}"), result.stderr


def test_a_state_where_the_phase_is_not_played(variant):
    path, _ = variant(
        "    kind: outcome\n", "    kind: outcome\n    when: {quarantine: tightened}\n"
    )
    with pytest.raises(GameError, match="phase 'after' is played only where"):
        opened_at(open_campaign(path), "after")


def test_the_preview_is_played_from_the_phase_to_the_debrief(store, mini):
    app = ExsimApp(store, scenario=Path(mini.file.path), opening=("after", None))

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        assert screen_name(pilot) == "MeetingScreen"
        text = screen_text(pilot)
        assert "Afterwards" in text and "IL-28 bombers: Removed" in text
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["lift"])
        await next_(pilot, "DebriefScreen")
        assert "Your outcome: The deal holds" in screen_text(pilot)

    run(app, steps)
    (session,) = store.list()
    assert session.finished and [e.step for e in session.decisions] == ["lift"]


def test_a_preview_does_not_count_the_decisions_before_its_phase_as_departures(mini):
    """Decisions on the agenda before the phase a preview opens at were not the player's to
    take: a preview played as the record goes has no divergence."""
    from exsim.engine.compare import compare

    game = opened_at(mini, "after")
    game.decide("lift", ["lift"])
    assert game.finished
    comparison = compare(game)
    before = [r for r in comparison.decisions if r.decision in ("pledge", "pressure")]
    assert [r.chosen for r in before] == [None, None]
    assert comparison.divergence == 0
