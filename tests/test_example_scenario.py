"""The documented example (examples/november-16.yaml, written from docs/scenario-format.md)
validates, explores and plays: an exclusive multi-select, a contingency phase with `when`, a
statement whose use is decided later, and a constructed sitting whose decision is a record gap.
It is faithful to the record sheet's 16–17 November entry: no record choice beyond it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from exsim.cli import main
from exsim.engine import open_campaign
from exsim.engine.explore import explore
from exsim.engine.script import play_script, read_script
from exsim.report.debrief import build
from exsim.report.render import markdown

EXAMPLES = Path(__file__).parent.parent / "examples"
EXAMPLE = EXAMPLES / "november-16.yaml"
SCRIPT = EXAMPLES / "november-16.play.yaml"


def exsim(*args) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_it_validates():
    code, out = exsim("validate", EXAMPLE)
    assert (code, out) == (0, f"{EXAMPLE}: ok (november_16 1.0, 6 steps)\n")


def test_it_explores_without_a_violation():
    code, out = exsim("explore", EXAMPLE)
    assert code == 0, out
    assert "november_16 1.0: every path walked" in out
    assert "Violations: none" in out
    assert "Unreachable options: none" in out
    report = explore(open_campaign(EXAMPLE))
    assert set(report.endings) == {"watched_and_held", "after_the_fire", "said_in_public", "other"}


def test_it_plays_from_a_script():
    code, out = exsim("run", EXAMPLE, "--script", SCRIPT, "--json")
    assert code == 0, out
    game = json.loads(out)
    steps = [(e["step"], e["kind"], e["chosen"]) for e in game["log"]]
    assert steps == [
        ("recon", "decision", ["low_17", "no_low_18"]),
        ("statement", "decision", ["prepare"]),
        ("threat", "decision", ["tell_mccloy"]),
        ("castro_guns", "response", ["fires"]),
        ("answer_fire", "decision", ["protest"]),
        ("channel", "decision", ["keep_holding"]),
    ]
    assert game["ending"] == "after_the_fire" and game["ending_simulated"]
    rows = {r["decision"]: r for r in game["comparison"]["decisions"]}
    assert rows["channel"]["record"] is None and "no meeting on 19" in rows["channel"]["gap"]
    assert game["comparison"]["record_stops"] == "channel"


def test_the_record_path_stops_at_the_gap():
    code, out = exsim("run", EXAMPLE, "--record")
    assert code == 0, out
    assert "answer_fire: not on the agenda" in out  # no plane fired on: the contingency is skipped
    assert "The record stops at 'channel' (1962-11-19): the record does not say" in out


def test_the_exclusive_choice_and_the_games_own_guard(tmp_path):
    code, out = exsim("run", EXAMPLE, "--script", _script(tmp_path, "[low_17, no_low_17]"))
    assert code == 1
    assert (
        "recon: 'No low-level passes on the 17th' (no_low_17) and 'Low-level passes on the 17th' "
        "(low_17) exclude each other; choose one of them"
    ) in out
    code, out = exsim("run", EXAMPLE, "--script", _script(tmp_path, "[low_17]", channel="press"))
    assert code == 1
    assert "channel: refused: With a US plane fired on, a statement about the bombers" in out
    assert "(simulated: the game's own rule, not the record's)" in out


def test_describe_shows_the_new_parts():
    code, out = exsim("describe", EXAMPLE)
    assert code == 0
    assert "incident         1962-11-18  A US plane fired on  (only if incident fired)" in out
    assert "at most one of: no_low_17, low_17" in out
    assert "nov19            1962-11-19  On the eve of the press conference" in out
    assert "statement_overtaken    only if incident none  (simulated: the game's own rule)" in out


def _script(folder: Path, recon: str, channel: str = "keep_holding") -> Path:
    text = SCRIPT.read_text()
    text = text.replace("[low_17, no_low_18]", recon)
    text = text.replace("choose: keep_holding", f"choose: {channel}")
    path = folder / "play.yaml"
    path.write_text(text)
    return path


def test_the_debrief_says_the_record_does_not_say():
    game = play_script(open_campaign(EXAMPLE), read_script(SCRIPT))
    debrief = build(game)
    assert debrief.outcome.record is None and debrief.outcome.same is None
    assert debrief.outcome.record_stops == "What is said on the 20th"
    text = markdown(debrief)
    assert (
        "The record's choices lead to:** not known: the record does not say what was decided at "
        "What is said on the 20th"
    ) in text
    assert "**The record does not say:** The sheet records no meeting on 19 November" in text


def test_it_is_faithful_to_the_record_sheet():
    """Every record choice rests on the sheet's 16–17 November entry; the sitting of the 19th
    is marked constructed and records no choice; the one advisor's case is a reconstruction."""
    campaign = open_campaign(EXAMPLE)
    for d in campaign.decisions.values():
        if d.record.says:
            assert d.record.cite == ["sheet_nov16"], d.id
        assert all(a.reconstructed for a in d.record.advocates), d.id
    nov19 = next(p for p in campaign.scenario.phases if p.id == "nov19")
    assert nov19.constructed and not any(d.record.says for d in nov19.decisions)
    assert all(p.chair is None for p in campaign.scenario.phases)  # the sheet names no chair
    text = EXAMPLE.read_text()
    assert "shared/" not in text and "/work" not in text
