"""A guard's reason is a shown text: it states what it presumes, and the walk proves it holds
wherever the guard refuses a move on screen (issue 26)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exsim import paths
from exsim.engine import ScenarioError, open_campaign

BUNDLED = paths.BUNDLED_SCENARIOS / "november-1962.yaml"
STATED = "      cite: [frus_xi_143#3]\n      asserts: {overflights: suspended}\n"


def changed(tmp_path: Path, new: str) -> tuple[Path, int]:
    """The bundled scenario, with its sources, with the flights guard's `asserts` replaced by
    *new*; and the line of the change."""
    shutil.copytree(BUNDLED.parent / "sources", tmp_path / "sources")
    text = BUNDLED.read_text()
    assert text.count(STATED) == 1
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(STATED, "      cite: [frus_xi_143#3]\n" + new))
    return path, text[: text.index(STATED)].count("\n") + 2


def test_a_guard_reason_stating_something_false_where_it_refuses_is_refused_at_its_line(
    tmp_path,
):
    path, line = changed(tmp_path, "      asserts: {overflights: continuing}\n")
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    message = str(info.value)
    assert f"bad.yaml:{line}:" in message
    assert "machine.guards[1].asserts: this text states overflights: continuing" in message
    assert "but is shown where overflights: suspended, after: " in message
    assert "overflights=suspend" in message


def test_a_guard_reason_that_states_nothing_presumes_the_record_and_is_refused(tmp_path):
    path, _ = changed(tmp_path, "")
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    message = str(info.value)
    assert "machine.guards[1]: this text states no `asserts`" in message
    assert "it is shown where overflights: suspended" in message


def test_every_guard_reason_is_checked_where_it_refuses():
    campaign = open_campaign(BUNDLED)
    keys = {c.key[:3] for c in campaign.claims if c.key[:2] == ("machine", "guards")}
    assert keys == {("machine", "guards", i) for i in range(3)}


REMOVED = "        - {id: removed, label: Removed}\n"


def test_a_state_label_that_presumes_more_than_its_state_is_proved_where_the_game_is_in_it(
    variant,
):
    lifted = "        - {id: removed, label: Removed and the quarantine lifted, "
    path, line = variant(REMOVED, lifted + "asserts: {quarantine: lifted}}\n")
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    message = str(info.value)
    assert f"bad.yaml:{line}:" in message
    assert "machine.dimensions[1].states[2].asserts: this text states quarantine: lifted" in message
    assert "but is shown where quarantine: in_force" in message


def test_a_state_label_that_states_nothing_more_needs_no_proof(variant, mini):
    path, _ = variant(REMOVED, "        - {id: removed, label: Removed, asserts: {}}\n")
    campaign = open_campaign(path)
    labels = [c for c in campaign.claims if c.key[:2] == ("machine", "dimensions")]
    assert len(labels) == len(campaign.steps) and all(c.asserts == {} for c in labels)
    assert not [c for c in mini.claims if c.key[:2] == ("machine", "dimensions")]
