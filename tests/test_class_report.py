"""The class comparison with one group and with two hundred."""

from __future__ import annotations

import json
import random
import re

import jsonschema
import pytest

from exsim import paths
from exsim.engine import open_campaign
from exsim.report import classes, debrief
from exsim.report.render import document
from exsim.report.schema import schema_text
from exsim.store import SessionStore
from test_store_transfer import random_session


def played(store, mini, choices: list) -> str:
    sid = store.create(mini, f"Group {len(store.list()) + 1}", {"president": "Ana", "rusk": "Ben"})
    game = store.resume(sid, mini)
    for chosen, rec in choices:
        game.decide(game.current.id, chosen, recommendations={"rusk": rec} if rec else None)
        store.save(sid, game)
    return sid


def test_one_group(tmp_path, mini):
    with SessionStore.open(tmp_path) as store:
        played(store, mini, [("withhold", "withhold"), (["wait"], "wait"), ("lift", None)])
        report = classes.from_store(store, mini)
    assert (report.groups, report.finished, report.departures) == (1, 1, [])
    pledge = report.decisions[0]
    assert (pledge.reached, pledge.same, pledge.record) == (1, 1, ["withhold"])
    assert [(o.id, o.groups, o.chosen_by, o.record) for o in pledge.options] == [
        ("withhold", 1, ["Group 1"], True),
        ("give", 0, [], False),
    ]
    assert [(e.id, e.groups, e.record) for e in report.endings] == [
        ("deal", 1, True),
        ("standoff", 0, False),
    ]
    assert [(a.role, a.groups, a.mean) for a in report.alignment] == [("rusk", 1, 1.0)]
    md = document(report, "md")
    assert "1 group(s) · scenario mini version 1 · 1 finished" in md
    assert "| Withhold it | 1 | ████████████████████ | Group 1 | ✓ the record's choice |" in md
    assert "Where groups left the record" not in md


def test_departures_are_ranked_and_counted(tmp_path, mini):
    with SessionStore.open(tmp_path) as store:
        played(store, mini, [("withhold", None), (["tighten"], None), ("keep", None)])
        played(store, mini, [("withhold", None), (["tighten"], None), ("lift", None)])
        played(store, mini, [("withhold", None), (["wait"], None), ("lift", None)])
        report = classes.from_store(store, mini)
    assert [(p.decision, p.left, p.reached) for p in report.departures] == [
        ("pressure", 2, 3),
        ("lift", 1, 3),
    ]
    md = document(report, "md")
    assert "- **Pressure**: 2 of 3 group(s) (67%) chose otherwise than ExComm" in md
    tally = report.decisions[1]
    assert [(o.id, o.groups) for o in tally.options] == [("wait", 1), ("tighten", 2)]


def test_two_hundred_groups(tmp_path, mini):
    rng = random.Random(200)
    with SessionStore.open(tmp_path) as store:
        ids = [random_session(store, mini, rng, finish=rng.random() < 0.9) for _ in range(200)]
        report = classes.from_store(store, mini)
        chosen = classes.from_store(store, mini, ids[:10])
    assert report.groups == 200 and chosen.groups == 10
    assert sum(e.groups for e in report.endings) == report.finished
    for d in report.decisions:
        assert d.same + d.different == d.reached <= 200
        assert all(o.groups <= d.reached for o in d.options)
    answer = report.responses[0]
    assert sum(o.groups for o in answer.outcomes) > 0
    assert [p.share for p in report.departures] == sorted(
        (p.share for p in report.departures), reverse=True
    )
    data = json.loads(document(report, "json"))
    jsonschema.validate(data, json.loads(schema_text("class-report.schema.json")))
    page = document(report, "html")
    assert not re.search(r'src\s*=|href\s*=\s*"(?!#)|url\(|<script', page, re.I)
    assert page.count("<tr>") > 200  # every group listed


def test_sessions_on_other_content_are_left_out_by_name(tmp_path, mini, variant):
    path, _ = variant('version: "1"', 'version: "2"')
    newer = open_campaign(path)
    with SessionStore.open(tmp_path) as store:
        old = played(store, mini, [("withhold", None)])
        played(store, newer, [("withhold", None)])
        report = classes.from_store(store, newer)
    assert report.groups == 1
    assert [(x.session, x.reason) for x in report.left_out] == [
        (old, f"played on version 1 (content {mini.content_hash[:12]})")
    ]
    md = document(report, "md")
    assert f"- {old} (Group 1): played on version 1" in md


def test_no_groups_gives_an_empty_but_valid_report(mini):
    report = classes.build(mini, [])
    assert report.groups == 0 and all(d.reached == 0 for d in report.decisions)
    assert "0 group(s)" in document(report, "md")


def test_outcome_measures_beside_the_record(tmp_path, mini):
    with SessionStore.open(tmp_path) as store:
        played(store, mini, [("withhold", None), (["wait"], None), ("lift", None)])
        played(store, mini, [("withhold", None), (["wait"], None), ("keep", None)])
        played(store, mini, [("withhold", None)])
        report = classes.from_store(store, mini)
        first = debrief.build(store.resume(store.list()[-1].id, mini))
    rows = {m.id: m for m in first.outcome.measures}
    lifted = rows["quarantine_lifted"]
    assert (lifted.shown, lifted.record_shown, lifted.same, lifted.cites[0].text) == (
        "21 Nov 1962",
        "20 Nov 1962",
        False,
        "Doc B",
    )
    assert rows["bombers_out"].same is True
    md = document(first, "md")
    assert "| Quarantine lifted | 21 Nov 1962 | 20 Nov 1962 [[Doc B](#sources)] | ✗ differs |" in md
    assert "- *Quarantine lifted:* The game's last meeting is dated the next day." in md
    tally = next(t for t in report.measures if t.id == "quarantine_lifted")
    assert [(v.shown, v.groups, v.record) for v in tally.values] == [
        ("21 Nov 1962", 1, False),
        ("never", 1, False),
        ("20 Nov 1962", 0, True),
    ]
    md = document(report, "md")
    assert "**Quarantine lifted** — the record: 20 Nov 1962 [[Doc B](#sources)]" in md
    assert "- 21 Nov 1962: 1 group(s) ██████████\n" in md
    assert "- 20 Nov 1962: 0 group(s) · ✓ the record's" in md


@pytest.mark.parametrize(
    "path", sorted(paths.BUNDLED_SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem
)
def test_class_report_of_each_bundled_scenario(tmp_path, path):
    campaign = open_campaign(path)
    rng = random.Random(11)
    with SessionStore.open(tmp_path) as store:
        for _ in range(12):
            random_session(store, campaign, rng, finish=rng.random() < 0.8)
        report = classes.from_store(store, campaign)
    assert report.groups == 12 and report.left_out == []
    assert sum(e.groups for e in report.endings) == report.finished
    assert any(e.record for e in report.endings)
    schema = json.loads(schema_text("class-report.schema.json"))
    jsonschema.validate(json.loads(document(report, "json")), schema)
    assert "FRUS" in document(report, "html") or campaign.id != "november_1962"
