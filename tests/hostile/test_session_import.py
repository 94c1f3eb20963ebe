"""`exsim sessions import` checks everything before it stores anything: one line per file."""

from __future__ import annotations

import json
import re

import pytest

from exsim.store import SessionStore

from .conftest import exsim, refused


def first_decision(data: dict) -> dict:
    return next(e for e in data["entries"] if e["kind"] == "decision")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d.update(updated="yesterday"),
            "updated: not a date and time (ISO 8601",
        ),
        (
            lambda d: d.update(updated="[a](//evil.ex)x"),
            "updated: not a date and time",
        ),
        (
            lambda d: d["entries"][0].update(at="soon"),
            "entries.0.at: not a date and time",
        ),
        (
            lambda d: d["scenario"].update(id="/etc/passwd", text=None),
            "scenario.id: string should match pattern",
        ),
        (
            lambda d: d["scenario"].update(text=None, id="nowhere"),
            "no scenario 'nowhere' here to replay it on; not imported",
        ),
        (
            lambda d: d["entries"].append(d["entries"][0]),
            "entries: entry 4 repeats step 'pledge'; each step comes once",
        ),
        (lambda d: d.update(seed=10**30), "seed: input should be less than 9223372036854775808"),
        (
            lambda d: d.update(group="G" * 20_000),
            "group: string should have at most 10000 characters",
        ),
        (
            lambda d: d.update(group="G" * 61),
            "group: a group name has 61 characters; at most 60 are allowed",
        ),
        (lambda d: d.update(group="   "), "group: a session needs a group name"),
        (
            lambda d: d.update(players={"president": ""}),
            "players.president: a player's name cannot be blank",
        ),
        (
            lambda d: d.update(forced={"answer": "nonsense"}),
            "cannot be replayed, so not imported: ",
        ),
        (
            lambda d: d.update(pending={"pledge": {"president": ["withhold"]}}),
            "a recommendation waits for 'pledge', which is not open",
        ),
        (
            lambda d: d.update(players={"nobody": "Ana"}),
            "cannot be replayed, so not imported: no role 'nobody' in mini",
        ),
        (
            lambda d: first_decision(d).update(chosen=["give"]),
            "cannot be replayed, so not imported: session ",
        ),
        (
            lambda d: (d["scenario"].update(text=None), first_decision(d).update(chosen=["x"])),
            "cannot be replayed, so not imported: session ",
        ),
    ],
)
def test_bad_exports_are_refused_before_anything_is_stored(data, export_file, change, message):
    err = refused("sessions", "import", export_file(change))
    assert message in err
    assert len(err) < 1000  # one clear line, never the value itself
    with SessionStore.open(data) as store:
        assert store.list() == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("[" * 100_000 + "]" * 100_000, "not a session export (JSON nested too deep)"),
        ('{"seed": ' + "9" * 5000 + "}", "not a session export (a number of over 4,300 digits)"),
    ],
    ids=["deep", "long-number"],
)
def test_hostile_json_is_refused(data, export_file, text, message):
    assert message in refused("sessions", "import", export_file(text=text))


def test_a_huge_file_is_refused_while_reading(data, export_file):
    path = export_file(lambda d: d.update(group="G" * 9_000_000))
    assert "cannot read (too large: the limit is 8,388,608 bytes)" in refused(
        "sessions", "import", path
    )


def test_an_export_without_its_scenario_text_replays_on_the_scenario_here(data, export_file):
    code, out, _ = exsim(
        "sessions", "import", export_file(lambda d: d["scenario"].update(text=None))
    )
    assert code == 0 and out.startswith("imported ")
    sid = json.loads(exsim("sessions", "--json")[1])[0]["id"]
    assert exsim("debrief", sid)[0] == 0


def test_html_debriefs_show_imported_text_as_text(data, export_file):
    path = export_file(lambda d: d.update(group="[a](//evil.ex)x <http://evil.ex>"))
    assert exsim("sessions", "import", path)[0] == 0
    sid = json.loads(exsim("sessions", "--json")[1])[0]["id"]
    code, page, _ = exsim("debrief", sid, "--format", "html")
    # the only links are the citations', to anchors within the page
    assert code == 0 and 'href="#' in page and not re.search(r'href="(?!#)', page)
    assert "[a](//evil.ex)x &lt;http://evil.ex&gt;" in page


def test_a_store_with_a_bad_time_from_an_older_exsim_still_lists(data, export_file):
    import sqlite3

    assert exsim("sessions", "import", export_file())[0] == 0
    conn = sqlite3.connect(data / "sessions.sqlite3")
    conn.execute("UPDATE session SET updated='yesterday'")
    conn.commit()
    conn.close()
    code, out, _ = exsim("sessions")
    assert code == 0 and "Group A" in out and "yesterday" in out
