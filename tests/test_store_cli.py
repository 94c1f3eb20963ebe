"""`exsim locate`, `exsim sessions …`, `exsim debrief` as a user meets them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.cli import main
from exsim.engine import open_campaign
from exsim.store import SessionStore

MINI = Path(__file__).parent / "data" / "mini.yaml"


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data folder with the mini scenario among the user's scenarios."""
    folder = tmp_path / "data"
    (folder / "scenarios").mkdir(parents=True)
    shutil.copy(MINI, folder / "scenarios" / "mini.yaml")
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(folder))
    return folder


def exsim(*args, input=None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(a) for a in args], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def play(folder: Path, group: str | None, choices: list, recs: dict | None = None) -> str:
    campaign = open_campaign(folder / "scenarios" / "mini.yaml")
    with SessionStore.open(folder) as store:
        sid = store.create(campaign, group, {"president": "Ana", "rusk": "Ben"})
        game = store.resume(sid, campaign)
        store.save(sid, game)
        for chosen in choices:
            step = game.current.id
            game.decide(step, chosen, recommendations=(recs or {}).get(step))
            store.save(sid, game)
    return sid


def test_locate_names_every_place(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "env"))
    monkeypatch.delenv(paths.LOG_DIR_ENV)
    code, out, _ = exsim("--data-dir", tmp_path / "x", "locate")
    assert code == 0
    assert f"data folder        {tmp_path / 'x'}\n" in out
    assert f"session store      {tmp_path / 'x' / 'sessions.sqlite3'} (not created yet)" in out
    assert f"your scenarios     {tmp_path / 'x' / 'scenarios'}" in out
    assert f"bundled scenarios  {paths.BUNDLED_SCENARIOS}" in out
    assert f"error reports      {tmp_path / 'x' / 'log' / 'exsim.log'}\n" in out  # with the data


def test_sessions_lists_group_scenario_players_progress_and_time(data):
    code, out, _ = exsim("sessions")
    assert code == 0 and "No saved games in" in out
    a = play(data, "Group A", ["withhold", ["wait"], "lift"])
    b = play(data, "Group B", ["withhold"])
    code, out, _ = exsim("sessions")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "GROUP", "SCENARIO", "PLAYERS", "PROGRESS", "LAST", "PLAYED"]
    assert lines[1].startswith(b) and "Group B" in lines[1] and "1 decision, open" in lines[1]
    assert lines[2].startswith(a) and "3 decisions, finished" in lines[2]
    assert "  mini  " in lines[2] and "Ana (The President), Ben (Dean Rusk)" in lines[2]
    assert "president" not in out  # the people's names, never the scenario's role ids
    assert exsim("sessions", "list") == (0, out, "")  # the README's form
    code, out, _ = exsim("sessions", "--json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [b, a] and rows[1]["finished"] is True
    assert exsim("sessions", "list", "--json") == (0, out, "")


def test_the_default_group_name_is_the_next_free_number(data):
    def group_of(sid: str) -> str:
        with SessionStore.open(data) as store:
            return store.get(sid).group

    assert group_of(play(data, None, [])) == "Group 1"
    play(data, "Group 3", [])
    assert group_of(play(data, None, [])) == "Group 2"
    assert group_of(play(data, None, [])) == "Group 4"


def test_rename_and_delete(data):
    sid = play(data, "Group A", [])
    other = play(data, "Group B", [])
    with SessionStore.open(data) as store:
        played = store.get(sid).updated
    code, out, _ = exsim("sessions", "rename", sid, "Blue team")
    assert code == 0 and out == f"renamed {sid}: Group A → Blue team\n"
    with SessionStore.open(data) as store:
        assert store.get(sid).updated == played  # a new name is not play
    code, _, err = exsim("sessions", "rename", other, "blue TEAM")
    assert code == 1 and err == (
        f"error: another saved game (id {sid}) is already called 'blue TEAM': choose a name no "
        "other game has, so that the name finds one game\n"
    )
    exsim("sessions", "delete", other, "--yes")
    code, out, err = exsim("sessions", "delete", "blue team", input="n\n")
    assert code == 1 and "Delete" in out and "Aborted" in err
    code, out, _ = exsim("sessions", "delete", "blue team", "--yes")
    assert code == 0 and out == f"deleted {sid} (Blue team)\n"
    code, _, err = exsim("sessions", "delete", sid, "--yes")
    assert code == 1 and err.startswith(f"error: no session '{sid}' in ")


def test_export_then_import_elsewhere(data, tmp_path, monkeypatch):
    sid = play(data, "Group A", ["withhold"], {"pledge": {"rusk": "withhold"}})
    monkeypatch.chdir(tmp_path)
    code, _, err = exsim("sessions", "export", sid)
    name = f"exsim-{sid}-group-a.json"
    assert code == 0 and err == f"wrote {name}\n"
    code, _, err = exsim("sessions", "export", sid)
    assert code == 1 and err == f"error: {name}: exists; use --force to overwrite it\n"
    code, out, err = exsim("--data-dir", tmp_path / "other", "sessions", "import", name)
    assert code == 0 and out == f"imported {sid} (Group A) from {name}\n"
    code, out, err = exsim("--data-dir", tmp_path / "other", "sessions", "import", name)
    assert code == 1
    assert f"error: {name}: session {sid} (Group A) is already in" in err
    assert err.endswith("error: 1 of 1 file(s) not imported\n")


def test_import_of_bad_files(data, tmp_path):
    (tmp_path / "bad.json").write_text("[1, 2")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    code, _, err = exsim(
        "sessions", "import", tmp_path / "bad.json", tmp_path / "bin.json", tmp_path / "no.json"
    )
    assert code == 1
    assert f"error: {tmp_path / 'bad.json'}: not JSON (Expecting ',' delimiter at line 1)" in err
    assert f"error: {tmp_path / 'bin.json'}: cannot read (not UTF-8 text (" in err
    assert f"error: {tmp_path / 'no.json'}: cannot read (No such file or directory)" in err
    assert "error: 3 of 3 file(s) not imported" in err


def test_damaged_store_is_named_and_exit_1(data):
    (data / "sessions.sqlite3").write_bytes(b"not a database at all" * 20)
    for args in (["sessions"], ["debrief", "x"], ["class-report", "--all"]):
        code, _, err = exsim(*args)
        assert code == 1
        assert err.startswith(f"error: {data / 'sessions.sqlite3'}: not an exsim session store")
    assert (data / "sessions.sqlite3").read_bytes() == b"not a database at all" * 20


def change_scenario(folder: Path) -> None:
    path = folder / "scenarios" / "mini.yaml"
    path.write_text(path.read_text().replace('version: "1"', 'version: "2"'))


def test_resume_of_a_changed_scenario_offers_the_choice(data):
    sid = play(data, "Group A", ["withhold"])
    change_scenario(data)
    code, _, err = exsim("sessions", "resume", sid)
    assert code == 1
    assert f"error: session {sid} (Group A) was played on mini version 1" in err
    assert "the scenario file now holds version 2" in err
    assert f"Run `exsim sessions resume {sid} --replay` or `--read-only`." in err
    code, out, _ = exsim("sessions", "resume", sid, "--read-only")
    assert code == 0 and "# Debrief: Group A — Mini crisis" in out
    assert "scenario mini version 1" in out
    with SessionStore.open(data) as store:
        assert store.get(sid).version == "1"


def test_debrief_of_a_changed_scenario_is_shown_as_played(data):
    sid = play(data, "Group A", ["withhold"])
    change_scenario(data)
    code, out, err = exsim("debrief", sid)
    assert code == 0 and "scenario mini version 1" in out
    assert f"note: {sid} (Group A) is shown as played on mini version 1" in err
    code, out, err = exsim("debrief", sid, "--replay")
    assert code == 0 and "scenario mini version 2" in out and err == ""


def test_resume_needs_one_choice(data):
    sid = play(data, "G", [])
    code, _, err = exsim("sessions", "resume", sid, "--replay", "--read-only")
    assert code == 1 and err == "error: choose one of --replay and --read-only\n"


def test_debrief_formats_and_output_file(data, tmp_path):
    sid = play(data, "Group A", ["withhold", ["tighten"]], {"pledge": {"rusk": "give"}})
    code, md, _ = exsim("debrief", sid)
    assert code == 0 and md.startswith("# Debrief: Group A — Mini crisis")
    code, out, _ = exsim("debrief", sid, "--format", "json")
    data_ = json.loads(out)
    assert data_["format"] == "exsim-debrief" and data_["session"] == sid
    target = tmp_path / "d.html"
    code, out, err = exsim("debrief", sid, "--format", "html", "-o", target)
    assert code == 0 and out == "" and err == f"wrote {target}\n"
    assert target.read_text().startswith("<!DOCTYPE html>")
    code, _, err = exsim("debrief", sid, "-o", tmp_path / "missing" / "d.md")
    assert (
        code == 1
        and err
        == f"error: {tmp_path / 'missing' / 'd.md'}: cannot write (No such file or directory)\n"
    )


def test_debrief_of_unknown_session(data):
    code, _, err = exsim("debrief", "nope")
    assert code == 1 and err.startswith("error: no session 'nope' in ")
    assert err.endswith("(see `exsim sessions`)\n")


def test_class_report_arguments(data):
    code, _, err = exsim("class-report")
    assert code == 1 and err == "error: give session ids or group names, or --all\n"
    code, _, err = exsim("class-report", "--all", "--scenario", "mini")
    assert code == 1 and err == "error: no session of mini to compare\n"
    a = play(data, "Group A", ["withhold", ["wait"], "lift"])
    play(data, "Group B", ["withhold", ["tighten"], "keep"])
    code, out, _ = exsim("class-report", a, "group b")
    assert code == 0 and "2 group(s) · scenario mini version 1 · 2 finished" in out
    change_scenario(data)
    code, _, err = exsim("class-report", "--all")
    assert code == 1
    assert err == (
        "error: no session of mini to compare (2 left out: played on other content; "
        "--replay moves them)\n"
    )
    code, out, err = exsim("class-report", "--all", "--replay")
    assert code == 0 and "2 group(s) · scenario mini version 2" in out and err == ""
