"""Control characters in scenario text, names and keys never reach the terminal raw.

The scenario's title and an option label carry ESC sequences (window title, clear screen,
an OSC 8 link); every command shows them escaped (`\\x1b`), through one helper.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from exsim.terminal import printable

from .conftest import TITLE_ESCAPE, exsim, refused

LINK = "\\e]8;;http://evil.ex\\e\\\\Withhold\\e]8;;\\e\\\\"


def test_printable_escapes_controls_and_keeps_newlines_and_tabs():
    assert printable("a\x1b]0;x\x07b\tc\nd") == "a\\x1b]0;x\\x07b\tc\nd"
    assert printable("\x9b2J \x7f \r \u202eevil") == "\\x9b2J \\x7f \\r \\u202eevil"
    assert printable("Ana — [bold]ok[/]") == "Ana — [bold]ok[/]"


@pytest.fixture
def hostile(scenario):
    return scenario(
        ("title: Mini crisis", f'title: "{TITLE_ESCAPE}Mini"'),
        ("{id: withhold, label: Withhold it}", f'{{id: withhold, label: "{LINK}"}}'),
    )


@pytest.mark.parametrize(
    "args",
    [
        ("describe",),
        ("run", "--record"),
        ("graph",),
        ("explore",),
        ("simulate", "--runs", "20"),
        ("validate",),
    ],
)
def test_scenario_text_with_control_characters_is_refused_and_shown_escaped(hostile, args):
    err = refused(args[0], hostile, *args[1:])  # refused() asserts no raw ESC or BEL
    assert f"{hostile}:4:8: title: holds a control character (\\x1b); text is shown as" in err
    assert "phases[0].decisions[0].options[0].label: holds a control character" in err


def test_validate_escapes_the_key_path_column(scenario):
    path = scenario(("summary: Two", '"\\e]0;PWNED\\a": 1\nsummary: Two'))
    err = refused("validate", path)
    assert f"{path}:6:1: \\x1b]0;PWNED\\x07: holds a control character (\\x1b)" in err


@pytest.fixture
def stored(data, export_file):
    """A store whose session has a group and a player name full of ESC sequences.

    Names like these can no longer be typed or imported; a store written before may hold them.
    """
    exsim("sessions", "import", export_file())
    conn = sqlite3.connect(data / "sessions.sqlite3")
    players = json.dumps({"president": "\x1b[31mAna"})
    conn.execute("UPDATE session SET grp=?, players=?", ("\x1b]0;PWNED\x07\x1b[2JEve", players))
    conn.commit()
    conn.close()
    return json.loads(exsim("sessions", "--json")[1])[0]["id"]


@pytest.mark.parametrize(
    "args",
    [
        ("sessions",),
        ("debrief", "{id}"),
        ("class-report", "--all"),
        ("sessions", "resume", "{id}", "--read-only"),
        ("sessions", "delete", "{id}", "--yes"),
    ],
)
def test_store_commands_escape_stored_names(stored, args):
    code, out, err = exsim(*(a.format(id=stored) for a in args))
    assert code == 0, err
    assert "\\x1b" in out + err and "PWNED" in out + err  # shown, escaped


def test_rename_echo_escapes_the_old_name_and_refuses_a_new_one_with_controls(stored):
    assert "a group name cannot hold control characters" in refused(
        "sessions", "rename", stored, "\x1b]0;PWNED\x07"
    )
    code, out, _ = exsim("sessions", "rename", stored, "Zed")
    assert code == 0 and out == f"renamed {stored}: \\x1b]0;PWNED\\x07\\x1b[2JEve → Zed\n"


def test_import_refuses_names_with_controls(data, export_file):
    path = export_file(lambda d: d.update(group="\x1b]0;PWNED\x07Eve"))
    assert "group: a group name cannot hold control characters" in refused(
        "sessions", "import", path
    )


def test_every_command_prints_through_the_one_helper():
    """`exsim.cli.echo` escapes control characters; a bare click.echo would not.

    The two prints that add their own colours (a bold heading, plotext's chart) make their
    text printable first and say so on the line. The class server's commands are checked
    with the class server.
    """
    cli = Path(__file__).parents[2] / "src" / "exsim" / "cli"
    bare = [
        f"{path.name}:{n}"
        for path in sorted(cli.glob("*.py"))
        if path.name not in {"__init__.py", "serve_command.py"}
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"click\.s?echo\(", line) and "printable" not in line
    ]
    assert not bare, f"print with exsim.cli.echo: {bare}"
