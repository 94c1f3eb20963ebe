"""`exsim play`: bad input gives a one-line error, not a traceback or a blank screen."""

from __future__ import annotations

from click.testing import CliRunner

from exsim.cli import main


def test_unknown_scenario_is_named(store):
    result = CliRunner().invoke(main, ["play", "no-such-scenario"])
    assert result.exit_code == 1
    assert "error: no scenario file or name 'no-such-scenario'" in result.output


def test_unknown_saved_game_is_named(store):
    result = CliRunner().invoke(main, ["play", "--resume", "zzzzzz"])
    assert result.exit_code == 1
    assert "error: no session 'zzzzzz'" in result.output
