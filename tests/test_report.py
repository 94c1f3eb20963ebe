"""The debrief packet: one structure, three documents, simulated items labelled everywhere."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from markdown_it import MarkdownIt

from exsim import paths
from exsim.engine import Game, open_campaign
from exsim.engine.compare import play_record
from exsim.report import debrief
from exsim.report.render import document, esc
from exsim.report.schema import SCHEMAS, schema_text
from exsim.store import SessionStore


@pytest.fixture
def stored(tmp_path, mini):
    """A game where the group leaves the record at 'pressure' and meets a simulated answer."""
    with SessionStore.open(tmp_path) as store:
        sid = store.create(mini, "Group *A*", {"president": "Ana", "rusk": "Ben | Bo"}, rule="vote")
        game = Game(mini, forced={"answer": "stalls"})
        store.conn.execute("UPDATE session SET forced=? WHERE id=?", ('{"answer": "stalls"}', sid))
        game.decide("pledge", "withhold", recommendations={"rusk": "withhold"})
        store.save(sid, game)
        game.decide("pressure", ["wait", "tighten"], recommendations={"rusk": ["tighten"]})
        store.save(sid, game)
        yield store.get(sid), store.resume(sid, mini)


def test_debrief_sets_each_decision_beside_the_record(stored):
    session, game = stored
    d = debrief.build(game, session)
    assert (d.session, d.group, d.rule, d.finished) == (session.id, "Group *A*", "vote", True)
    assert [p.player for p in d.players] == ["Ana", "Ben | Bo"]
    pledge, pressure, lift = d.decisions
    assert (pledge.status, pressure.status, lift.status) == ("same", "different", "not reached")
    assert pledge.record_cites[0].text == "Doc A ¶2"
    # 'give' is refused, so withholding was not a free choice: it is not scored
    assert pledge.only_option and pledge.recommendations[0].aligned is None
    assert pledge.positions[0].cites[0].text == "Doc A ¶1"
    assert pressure.chosen.labels == ["Wait for the talks", "Tighten the quarantine"]
    assert pledge.discussion == [] and pressure.discussion == []
    assert d.responses[0].simulated and d.responses[0].forced
    assert d.outcome.ending.id == "standoff" and d.outcome.ending.simulated
    assert d.outcome.record.id == "deal" and d.outcome.same is False
    # Ben recommended tightening where Rusk argued for waiting
    assert [(a.role, a.aligned, a.counted, a.score) for a in d.alignment] == [("rusk", 0, 1, 0.0)]
    assert (d.decisions_compared, d.decisions_same) == (2, 1)
    assert [s.cited for s in d.sources] == [True, True]


def test_markdown_carries_every_part(stored):
    session, game = stored
    md = document(debrief.build(game, session), "md")
    assert md.startswith("# Debrief: Group \\*A\\* — Mini crisis\n")
    for part in (
        "## The group",
        "| Dean Rusk | Secretary of State | Ben \\| Bo |",
        "### 1. The pledge",
        "*The meeting, 13 November 1962.* Give the no-invasion pledge now?",
        "**The group's choice:** Withhold it (decided by Ana as The President) — "
        "**✓ same as the record**",
        "**In the record:** Withhold it. No pledge without inspection. [[Doc A ¶2](#sources)]",
        "| Ben \\| Bo (Dean Rusk) | Withhold it | Withhold it | · only option open |",
        "- *Only this option was open in this game: not a free choice, so not scored.*",
        "| Ben \\| Bo (Dean Rusk) | Tighten the quarantine | Wait for the talks | ✗ differs |",
        "- Dean Rusk: Inspection first. [[Doc A ¶1](#sources)]",
        "**✗ differs from the record**",
        "**The group's choice:** – not reached in this game",
        "He stalls. **(simulated — not what happened)** (set by the instructor)",
        "**This game:** Standoff. Nothing settled. **(simulated — not what happened)**",
        "**The record's choices lead to:** The deal holds.",
        "✗ a different outcome",
        "| Dean Rusk | Ben \\| Bo | 0% | 0 of 1 |",
        "## Sources",
        "- **Doc A**: A memorandum, for tests (13 November 1962)",
    ):
        assert part in md, part


def test_discussion_questions_where_play_left_the_record(mini, variant):
    game = play_record(mini)
    assert "For discussion" not in document(debrief.build(game), "md")
    path, _ = variant(
        "{id: give, label: Give it, triggers: [give_pledge]}", "{id: give, label: Give it}"
    )
    other = Game(open_campaign(path))
    other.decide("pledge", "give")
    d = debrief.build(other)
    assert d.decisions[0].discussion == ["Why give a pledge with nothing verified?"]
    md = document(d, "md")
    assert "## For discussion: where play left the record\n\n1. *The pledge:* Why give" in md


def test_html_is_one_printable_page_without_network(stored):
    session, game = stored
    page = document(debrief.build(game, session), "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "@media print" in page
    assert not re.search(r'src\s*=|href\s*=\s*"(?!#)|@import|url\(|<script', page, re.I)
    assert "✓ same as the record" in page and "✗ differs from the record" in page
    assert "simulated — not what happened" in page
    assert "<table>" in page and '<h3 id="1-the-pledge">1. The pledge</h3>' in page
    assert "<title>Debrief: Group *A* — Mini crisis</title>" in page


def test_scenario_text_cannot_inject_markup(mini):
    assert esc("<script>alert(1)</script> | *x*") == (
        "\\<script\\>alert(1)\\</script\\> \\| \\*x\\*"
    )
    html = MarkdownIt("commonmark", {"html": False}).render(esc("<b>bold</b>"))
    assert "<b>" not in html


def test_json_follows_the_published_schema(stored):
    session, game = stored
    data = json.loads(document(debrief.build(game, session), "json"))
    jsonschema.validate(data, json.loads(schema_text("debrief.schema.json")))
    assert data["format"] == "exsim-debrief" and data["format_version"] == 1
    assert data["responses"][0]["simulated"] is True
    assert data["outcome"]["ending"]["simulated"] is True


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_published_schemas_are_in_sync(name):
    published = paths.SCHEMA_FILE.parent / name
    assert published.read_text() == schema_text(name), (
        f"src/exsim/schema/{name} is stale: run `python -m exsim.report.schema`"
    )


def test_unfinished_game_says_so(mini):
    game = Game(mini)
    game.decide("pledge", "withhold")
    d = debrief.build(game)
    md = document(d, "md")
    assert "not finished: the debrief covers play so far" in md
    assert "**This game:** not finished yet" in md
    assert d.outcome.same is None


def test_record_game_matches_everywhere(mini):
    d = debrief.build(play_record(mini))
    assert {r.status for r in d.decisions} == {"same"}
    assert d.divergence == 0 and d.outcome.same


@pytest.mark.parametrize(
    "path", sorted(paths.BUNDLED_SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem
)
def test_debrief_of_each_bundled_scenario(path):
    campaign = open_campaign(path)
    d = debrief.build(play_record(campaign))
    assert d.divergence == 0 and {r.status for r in d.decisions} <= {
        "same",
        "no record",
        "not reached",
    }
    for fmt in ("md", "html"):
        assert campaign.sources[campaign.scenario.sources[0].id].short in document(d, fmt)
    schema = json.loads(schema_text("debrief.schema.json"))
    jsonschema.validate(json.loads(document(d, "json")), schema)


def test_html_citations_link_to_the_cited_paragraphs_in_their_own_words():
    campaign = open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    d = debrief.build(play_record(campaign))
    page = document(d, "html")
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', page)
    ids = set(re.findall(r' id="([^"]+)"', page))
    assert links and {target for target, _ in links} <= ids  # no link leads nowhere
    assert not re.search(r'href="(?!#)', page)  # and none leaves the page
    by_cite = dict((shown, target) for target, shown in links)
    assert by_cite["FRUS XI, 143 ¶3"] == "frus-xi-143-3"
    assert by_cite["FRUS XI, 129"] == "register-frus-xi-129"  # its register entry
    register = page[page.index('<h2 id="document-register">') :]
    assert '<h3 id="register-frus-xi-129">Register: FRUS XI, 129</h3>' in register
    assert "Castro refuses UN inspection on Cuban soil" in register
    passages = page[page.index('<h2 id="the-cited-passages">') :]
    rusk = campaign.source_text("frus_xi_143").paragraph("3").text
    assert rusk.startswith("Secretary Rusk reported on the McCloy/Kuznetsov conversation")
    at = passages.index('<h4 id="frus-xi-143-3">FRUS XI, 143 ¶3</h4>')
    assert passages[at:].split("<p>", 1)[1].startswith(rusk.replace("'", "&#x27;")[:200])
    cited = {c.key for row in d.decisions for c in row.record_cites if c.passage}
    assert cited <= {p.key for p in d.passages}
    assert all(p.words == campaign.passage(p.key) for p in d.passages)
    md = document(d, "md")  # the same links and passages in Markdown
    assert "[FRUS XI, 143 ¶3](#frus-xi-143-3)" in md and "#### FRUS XI, 143 ¶3\n\n" in md
