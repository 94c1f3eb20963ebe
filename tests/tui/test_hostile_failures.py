"""When saving fails or the program itself fails: the game goes on, or says where the report is.

A full disk during a game: a message in the app, the game goes on, and every move is saved
once there is room. An unhandled error: exit status 1 and one line on stderr naming the log.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from functools import partialmethod
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.app import App
from tui_steps import MINI, choose, next_, run, screen_name, set_up

from exsim.cli import main
from exsim.engine import open_campaign
from exsim.store import SessionHeld, SessionStore
from exsim.tui.app import ExsimApp, run_game
from exsim.tui.start_screens import StartScreen
from waiting import text_of, until


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
        rescue = app.sitting.rescue
        assert any(f"Every move of this game is kept in {rescue}" in m for m in messages)
        assert store.list()[0].decisions == []  # not saved yet
        assert '"step": "pledge"' in rescue.read_text()  # but kept
        del store.conn.execute  # room again
        await next_(pilot, "MeetingScreen")
        await next_(pilot, "DecideScreen")
        await choose(pilot, ["wait"])
        assert [e.step for e in store.list()[0].decisions] == ["pledge", "pressure"]
        assert not rescue.exists() and app.sitting.unsaved is None  # saved: no copy left

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


def test_a_game_open_in_another_window_is_refused_up_front(make_app, store, tmp_path):
    """Two windows on one game would each save moves the other never sees: the second is
    refused, saying so, until the first has ended."""
    sid = store.create(open_campaign(MINI), "Group A", {"president": "Ana"})
    other = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path), sid],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline() == "held\n"
        with pytest.raises(SessionHeld, match=f"open in another window \\(process {other.pid}"):
            store.hold(sid)
        app = make_app(resume=sid)

        async def refused(pilot):
            await until(pilot, lambda: app._notifications, "a message")
            messages = [n.message for n in app._notifications]
            assert any("is open in another window" in m for m in messages), messages
            assert app.sitting is None

        run(app, refused)
    finally:
        other.communicate("\n", timeout=30)
    app = make_app(resume=sid)  # the other window has ended: its hold is taken over

    async def resumed(pilot):
        await until(pilot, lambda: app.sitting is not None, "the game resumed")

    run(app, resumed)


def test_a_store_deleted_underneath_keeps_the_moves_and_asks_before_quitting(
    make_app, store, tmp_path, monkeypatch
):
    app = make_app()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        await next_(pilot, "DecideScreen")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store.path}{suffix}").unlink(missing_ok=True)
        await choose(pilot, ["withhold"])
        assert screen_name(pilot) == "ConsequencesScreen"
        rescue = app.sitting.rescue
        messages = "\n".join(n.message for n in app._notifications)
        assert "was deleted or replaced while this game was open" in messages
        assert f"exsim sessions import {rescue}" in messages
        assert "saved with the next" not in messages
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen_name(pilot) == "QuitScreen", "the question")
        assert f"kept in {rescue}" in text_of(app)
        await pilot.press("escape")  # back to the game
        await until(pilot, lambda: screen_name(pilot) == "ConsequencesScreen", "the game")
        assert app.is_running
        await pilot.press("ctrl+q")
        await until(pilot, lambda: screen_name(pilot) == "QuitScreen", "the question")
        await pilot.click("#quit")

    run(app, steps)
    assert app.return_code in (0, None)
    rescued = next((tmp_path / "unsaved").glob("*.json"))
    code = CliRunner().invoke(
        main, ["--data-dir", str(tmp_path / "elsewhere"), "sessions", "import", str(rescued)]
    )
    assert code.exit_code == 0, code.output
    with SessionStore.open(tmp_path / "elsewhere") as elsewhere:
        assert [e.step for e in elsewhere.list()[0].decisions] == ["pledge"]


HOLDER = """
import sys
from exsim.store import SessionStore
store = SessionStore.open(sys.argv[1])
store.hold(sys.argv[2])
print("held", flush=True)
input()
"""
