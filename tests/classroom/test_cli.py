"""`exsim serve`, `facilitate` and `join` from the command line: the user's error messages."""

from __future__ import annotations

from click.testing import CliRunner

from exsim.classroom.web import ClassServer, student_command
from exsim.cli import main


def test_facilitate_an_unknown_class_says_so(data_dir):
    result = CliRunner().invoke(main, ["facilitate", "--code", "zzzzz"])
    assert result.exit_code == 1
    assert "error: no class with code 'ZZZZZ'" in result.output


def test_facilitate_without_the_key_says_where_it_looked(made, data_dir):
    code, _, _ = made  # created by the fixture: no key file was kept
    result = CliRunner().invoke(main, ["facilitate", "--code", code])
    assert result.exit_code == 1
    assert f"no facilitator key for class {code}" in result.output
    assert "give it with --key" in result.output
    wrong = CliRunner().invoke(main, ["facilitate", "--code", code, "--key", "guess"])
    assert wrong.exit_code == 1 and f"wrong facilitator key for class {code}" in wrong.output


def test_facilitate_an_unknown_scenario_says_so(data_dir):
    result = CliRunner().invoke(main, ["facilitate", "no-such-scenario"])
    assert result.exit_code == 1 and "no scenario file or name 'no-such-scenario'" in result.output


def test_the_served_page_runs_only_the_students_app():
    """No route or command leads a browser to the facilitator's console."""
    assert student_command().endswith("-m exsim join")
    server = ClassServer(port=0)
    assert server.command == student_command()
    join_help = CliRunner().invoke(main, ["join", "--help"]).output
    assert "--code" not in join_help and "--key" not in join_help


def test_join_in_a_terminal_asks_the_code_and_the_name_until_let_in(made, monkeypatch):
    """`exsim join` without a browser's seat asks what the join form asks, with its rules."""
    from exsim.tui.classroom.student_app import StudentApp

    code, _, room = made
    room.join(code, room.groups(code)[0].session.id, "rusk", "Ana", "seat-ana")
    monkeypatch.delenv("EXSIM_SEAT", raising=False)
    shown: list[tuple[str, str] | None] = []
    monkeypatch.setattr(
        StudentApp, "run", lambda self: shown.append(self.room.admission(self.seat))
    )
    typed = f"nope\nBen\n{code.lower()}\nana\n{code}\nBen\n"
    result = CliRunner().invoke(main, ["join"], input=typed)
    assert result.exit_code == 0, result.output
    assert "No class with code 'NOPE': check the code on the board." in result.output
    assert "A student of this class is already called 'ana'" in result.output
    assert shown == [(code, "Ben")]  # let in: the app opens on the role choice
