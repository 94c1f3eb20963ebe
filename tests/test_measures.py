"""Outcome measures: values from a finished game, the debrief rows, and format errors."""

from __future__ import annotations

import pytest

from exsim.engine import ScenarioError, open_campaign
from exsim.engine.compare import play, play_record
from exsim.engine.measures import debrief, trace_of, values


def test_record_play_measures(mini):
    game = play_record(mini)
    assert values(mini, trace_of(game)) == {
        "bombers_out": "1962-11-20",
        "quarantine_lifted": "1962-11-21",
        "inspection": "none",
        "unverified_pledge": False,
        "pressure": 0,
    }


def test_stalled_game_never_sees_the_bombers_leave(mini):
    game = play(
        mini, {"pledge": ["withhold"], "pressure": ["tighten"]}, forced={"answer": "stalls"}
    )
    got = values(mini, trace_of(game))
    assert got["bombers_out"] is None
    assert got["quarantine_lifted"] is None
    assert got["pressure"] == 1


def test_debrief_sets_each_value_beside_the_cited_record(mini):
    game = play(mini, {"pledge": ["withhold"], "pressure": ["wait"]}, forced={"answer": "stalls"})
    rows = {r.id: r for r in debrief(game)}
    assert rows["bombers_out"].shown == "never"
    assert rows["bombers_out"].record_shown == "20 Nov 1962"
    assert rows["bombers_out"].cite == ("doc_b",)
    assert rows["bombers_out"].simulated  # the game drew a simulated answer
    assert rows["inspection"].shown == "None" and rows["inspection"].record == "none"
    assert rows["unverified_pledge"].shown == "no"
    assert rows["quarantine_lifted"].note == "The game's last meeting is dated the next day."
    assert not any(r.simulated for r in debrief(play_record(mini)))


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "    kind: first_date\n    dimension: il28\n",
            "    kind: first_date\n    dimension: il29\n",
            "unknown dimension 'il29'",
        ),
        ("    states: [removed]\n", "    states: [gone]\n", "unknown state of 'il28' 'gone'"),
        ("    states: [removed]\n", "    states: [in_cuba]\n", "'il28' starts in 'in_cuba'"),
        (
            "    kind: final_state\n    dimension: inspection\n",
            "    kind: final_state\n",
            "a final_state measure needs 'dimension'",
        ),
        ("    when: {pledge: given, inspection: none}\n", "", "a flag measure needs 'when'"),
        (
            "    kind: pressure_count\n",
            "    kind: pressure_count\n    dimension: il28\n",
            "'dimension' has no meaning for a pressure_count measure",
        ),
        (
            "record: {value: 0, cite:",
            "record: {value: lots, cite:",
            "a pressure_count value is a whole number",
        ),
        (
            "record: {value: none, cite:",
            "record: {value: partial, cite:",
            "unknown state of 'inspection' 'partial'",
        ),
        (
            "record: {value: false, cite:",
            "record: {value: 1962-11-20, cite:",
            "a flag value is true or false",
        ),
        (
            "record: {value: 1962-11-20, cite: [doc_b]}",
            'record: {value: "20 Nov", cite: [doc_b]}',
            "a first_date value is a date such as 1962-11-20",
        ),
        ("    kind: pressure_count\n", "    kind: escalation\n", "input should be"),
        ("  - id: pressure\n    label: Pressure", "  - id: inspection\n    label: P", "used twice"),
    ],
)
def test_measure_errors_name_file_line_column(variant, old, new, message):
    path, _ = variant(old, new)
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    text = str(info.value)
    assert message in text
    assert f"{path}:" in text
    where = text.split(f"{path}:")[1].split(":")[:2]
    assert all(part.isdigit() for part in where)
    line = int(where[0])
    assert path.read_text().splitlines()[line - 1].strip()  # points at a real line
