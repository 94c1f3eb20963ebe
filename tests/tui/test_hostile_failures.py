"""When saving fails or the program itself fails: the game goes on, or says where the report is.

A full disk during a game: a message in the app, the game goes on, and every move is saved
once there is room. An unhandled error: exit status 1 and one line on stderr naming the log.
"""

from __future__ import annotations

import sqlite3
from functools import partialmethod

from click.testing import CliRunner
from textual.app import App
from tui_steps import MINI, choose, next_, run, screen_name, set_up

from exsim.cli import main
from exsim.tui.app import ExsimApp, run_game
from exsim.tui.start_screens import StartScreen


def disk_full(store) -> None:
    """From now on, every new row of the store fails as SQLite fails on a full disk."""
    execute = store.conn.execute

    def full(sql, *args):
        if sql.startswith("INSERT"):
            error = sqlite3.OperationalError("database or disk is full")
            error.sqlite_errorname = "SQLITE_FULL"
            raise error
        return execute(sql, *args)

    store.conn.execute = full  # an instance attribute: `del store.conn.execute` makes room again


def test_a_full_disk_during_a_game_keeps_the_game_and_saves_it_later(make_app, store):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        disk_full(store)
        await choose(pilot, ["withhold"])  # the decision is taken; saving it fails
        assert screen_name(pilot) == "ConsequencesScreen" and app.is_running
        messages = [n.message for n in app._notifications]
        assert any("the disk is full, so nothing could be saved" in m for m in messages)
        assert any("The game goes on: every move is kept" in m for m in messages)
        assert store.list()[0].decisions == []  # not saved yet
        del store.conn.execute  # room again
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["wait"])
        assert [e.step for e in store.list()[0].decisions] == ["pledge", "pressure"]

    run(app, steps)
    assert not app.return_code and app.crash is None


def broken(self) -> None:
    raise RuntimeError("boom [/] \x1b]0;title")


def test_an_unhandled_error_exits_1_and_names_the_log(store, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("EXSIM_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(StartScreen, "on_mount", broken)
    status = run_game(ExsimApp(store, scenario=MINI), headless=True)
    assert status == 1
    err = capsys.readouterr().err
    log = tmp_path / "logs" / "exsim.log"
    assert err == (
        "error: exsim stopped on an unexpected error (RuntimeError: boom [/] \\x1b]0;title); "
        f"the full report is in {log}\n"
    )
    report = log.read_text()
    assert "Traceback (most recent call last)" in report and "in broken" in report


def test_exsim_play_exits_1_after_an_unhandled_error(store, monkeypatch, tmp_path):
    monkeypatch.setenv("EXSIM_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(StartScreen, "on_mount", broken)
    monkeypatch.setattr(ExsimApp, "run", partialmethod(App.run, headless=True))
    result = CliRunner().invoke(main, ["play", str(MINI)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: exsim stopped on an unexpected error (RuntimeError")
    assert str(tmp_path / "logs" / "exsim.log") in result.stderr
    assert "Traceback" not in result.stderr
