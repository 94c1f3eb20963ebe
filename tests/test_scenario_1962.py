"""The bundled November 1962 scenario: valid, faithful to its sources, and fully playable."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from exsim import paths
from exsim.cli import main
from exsim.engine import Game, GameError, ScenarioError, open_campaign
from exsim.engine.compare import compare, play, play_record
from exsim.engine.explore import explore
from exsim.engine.measures import debrief
from exsim.engine.policy import holds
from exsim.report.debrief import build as debrief_build
from exsim.report.render import document as render_document
from exsim.scenario.loader import read_scenario
from exsim.scenario.sourcetext import read_source_text

SCENARIO = paths.BUNDLED_SCENARIOS / "november-1962.yaml"
EXAMPLE = Path(__file__).parent.parent / "examples" / "november-16.yaml"
SIX = ["president", "rusk", "mcnamara", "mccone", "bundy", "vice_president"]


@pytest.fixture(scope="module")
def campaign():
    return open_campaign(SCENARIO)


@pytest.fixture(scope="module")
def walk(campaign):
    return explore(campaign)


# -- every record claim, gathered -----------------------------------------------------------


def record_claims(s) -> Iterator[tuple[str, list[str]]]:
    """(where, cites) for every part of the scenario that states what happened."""
    for role in s.roles:
        for b in role.briefings:
            yield f"briefing {role.id}/{b.phase}", b.cite
    for g in s.machine.guards:
        yield f"guard {g.id}", g.cite
    for inv in s.machine.invariants:
        yield f"invariant {inv.id}", inv.cite
    for p in s.phases:
        for i, passage in enumerate(p.situation):
            if not passage.simulated:
                yield f"{p.id} situation {i}", passage.cite
        for d in p.decisions:
            for i, passage in enumerate(d.context):
                if not passage.simulated:
                    yield f"{d.id} context {i}", passage.cite
            if d.record:
                yield f"{d.id} record", d.record.cite
                for a in d.record.advocates:
                    yield f"{d.id} advocate {a.role}", a.cite
    for r in s.responses:
        for o in r.outcomes:
            if not o.simulated:
                yield f"{r.id}/{o.id}", o.cite
    for e in s.endings:
        if not e.simulated:
            yield f"ending {e.id}", e.cite
    for m in s.measures:
        if m.record:
            yield f"measure {m.id}", m.record.cite


def all_text(s) -> str:
    """Every player-facing text of the scenario, joined."""
    parts = [s.summary]
    parts += [b.text for r in s.roles for b in r.briefings]
    for p in s.phases:
        parts += [x.text for x in p.situation]
        for d in p.decisions:
            parts += [d.question, *(x.text for x in d.context)]
            parts += [o.label + " " + o.description for o in d.options]
            if d.record:
                parts += [d.record.summary, *(a.position for a in d.record.advocates)]
    parts += [o.text for r in s.responses for o in r.outcomes]
    parts += [e.text for e in s.endings]
    return "\n".join(parts)


def resolves(s, cite: str) -> bool:
    sources = {src.id: src for src in s.sources}
    source_id, _, para = cite.partition("#")
    source = sources.get(source_id)
    if source is None:
        return False
    return para in source.paragraphs if source.paragraphs else not para


# -- acceptance: validate, record, walk -------------------------------------------------------


def test_validates_through_the_cli():
    result = CliRunner().invoke(main, ["validate", str(SCENARIO)])
    assert result.exit_code == 0, result.output
    assert "ok (november_1962" in result.output


def test_the_record_is_reproduced_with_zero_divergence(campaign):
    game = play_record(campaign)
    result = compare(game)
    assert result.divergence == 0
    assert result.simulated_responses == []
    assert result.ending == result.record_ending == "record_settlement"
    assert all(row.matches in (True, None) for row in result.decisions)
    assert not any(e.simulated for e in game.log)
    assert game.state == {
        "quarantine": "lifted",
        "il28": "removal_agreed",
        "inspection": "aerial_only",
        "pledge": "conditional",
        "oas_meeting": "called_off",
        "statement": "none",
        "oas_economic": "none",
        "overflights": "continuing",
        "course": "record",
        "cuba_line": "standard",
        "missile_count": "at_sea",
        "un_observers": "open",
        "mccloy_brief": "answers",
        "reply_12nov": "studied",
        "quarantine_rule": "adopted",
        "pledge_rule": "adopted",
    }
    assert game.pressure == []  # none of the four steps was taken


def test_the_record_path_gives_every_measure_its_recorded_value(campaign):
    rows = debrief(play_record(campaign))
    assert {r.id for r in rows} == {m.id for m in campaign.scenario.measures}
    for row in rows:
        assert row.value == row.record and not row.simulated, row.id


def test_run_record_via_the_cli():
    result = CliRunner().invoke(main, ["run", "november-1962", "--record"])
    assert result.exit_code == 0, result.output
    assert "Divergence from the record: 0" in result.output
    assert "Record's outcome: The settlement of November 1962" in result.output
    assert "record_settlement" not in result.output
    changes = [line for line in result.output.splitlines() if " → " in line]
    assert changes and all(a != b for a, b in (c.split(": ")[-1].split(" → ") for c in changes))


def campaign_decisions() -> list[str]:
    return [d.id for p in read_scenario(SCENARIO).scenario.phases for d in p.decisions]


def test_describe_via_the_cli():
    result = CliRunner().invoke(main, ["describe", "november-1962"])
    assert result.exit_code == 0, result.output
    assert "give_formal" in result.output and "flights_continue" in result.output
    # arguments per decision: recorded and reconstructed cases, and the options they back
    assert (
        "      arguments: 2 recorded, 3 reconstructed (the game's); sides: keep_flying, "
        "seek_un_flights" in result.output
    )
    assert result.output.count("      arguments: ") == len(campaign_decisions())
    assert "Arguments: 19 decisions argued on two sides or more\n" in result.output


def test_exhaustive_walk_has_no_problems_and_every_path_ends(campaign, walk):
    assert not walk.problems and not walk.truncated
    assert walk.paths == sum(walk.endings.values()) > 0
    assert walk.decisions_reached == set(campaign.decisions)
    for dim in campaign.scenario.machine.dimensions:
        assert walk.reachable[dim.id] == {st.id for st in dim.states}, dim.id


def test_a_pledge_without_inspection_can_be_given_and_meets_simulated_answers(campaign, walk):
    choices = dict(campaign.record_choices)
    choices["commitment_terms"] = ["commit_now"]
    game = Game(campaign, seed=1, mode="what-if")
    while not game.finished:
        d = game.current.decision
        game.decide(d.id, choices[d.id] if d.id in choices else [d.options[0].id])
    assert game.state["pledge"] == "given" and game.state["inspection"] != "agreed"
    assert game.ending.id == "pledge_without_inspection" and game.ending.simulated
    assert {m.id: m.value for m in debrief(game)}["pledge_unverified"] is True
    simulated = [e.step for e in game.log if e.kind == "response" and e.simulated]
    assert "khrushchev_offer" in simulated  # the recorded offer answered no pledge
    assert walk.endings["pledge_without_inspection"] > 0 and walk.endings["formal_pledge"] > 0


def test_only_refusals_that_teach_remain(campaign, walk):
    # Every option can be taken on some path; three rules still refuse, each with its source.
    assert walk.unreachable_options(campaign) == []
    assert {g.id for g in campaign.scenario.machine.guards} == {
        "bombers_still_there",
        "flights_continue",
        "inspection_before_pledge",
    }
    game = Game(campaign)
    for decision, choice in campaign.record_choices.items():
        if decision == "quarantine_nov20":
            break
        if game.current.id == decision:
            game.decide(decision, choice)
    refusal = {o.id: o for o in game.options()}["tighten"].refusal
    assert refusal.guard == "bombers_still_there" and refusal.cite == ("frus_xi_174#3",)


def test_lifting_the_quarantine_is_reachable_once_the_bombers_are_gone(campaign):
    choices = dict(campaign.record_choices)
    choices["quarantine_nov20"] = ["keep_until_gone"]
    choices["quarantine_late"] = ["lift"]
    game = play(campaign, choices)
    assert game.state["il28"] == "removed"
    assert game.state["quarantine"] == "lifted"
    assert [e.step for e in game.log if e.simulated] == ["bombers_shipped"]
    result = compare(game)
    assert result.ending == "settled_after_pressure"
    assert result.divergence == 2  # quarantine_nov20 differs; bombers_shipped is simulated


def test_lifting_the_quarantine_early_is_allowed_and_simulated(campaign):
    choices = dict(campaign.record_choices)
    choices["il28s"] = ["lift_now"]
    game = play(campaign, choices, seed=2, mode="what-if")
    offer = next(e for e in game.log if e.step == "khrushchev_offer")
    assert offer.simulated  # the recorded offer answered a quarantine in force
    assert game.ending.simulated


def test_pressure_leaves_the_record_and_meets_simulated_answers(campaign):
    choices = dict(campaign.record_choices)
    choices["pressure_steps"] = ["oas_meeting", "tighten"]
    game = play(campaign, choices, seed=3)
    result = compare(game)
    assert "khrushchev_offer" in result.simulated_responses
    assert game.pressure == ["an OAS meeting to restate policy", "a tightened quarantine"]
    row = next(r for r in result.decisions if r.decision == "pressure_steps")
    assert row.matches is False and row.discussion
    assert result.ending != "record_settlement"


def test_accepting_khrushchevs_months_is_a_simulated_ending(campaign):
    choices = dict(campaign.record_choices)
    choices["answer_offer"] = ["accept_months"]
    choices["overflights_nov20"] = ["stop_flights"]
    game = Game(campaign)
    status = None
    for decision, choice in choices.items():
        if game.finished:
            break
        if game.current.id != decision:
            continue
        if decision == "assurance":
            status = {o.id: o for o in game.options()}
            choice = ["no_assurance"]
        game.decide(decision, choice)
    assert status["conditional_assurance"].refusal.guard == "flights_continue"
    assert compare(game).ending == "slow_removal_unwatched"
    assert game.ending.simulated


# -- fidelity -------------------------------------------------------------------------------


def test_every_record_claim_has_a_citation_that_resolves(campaign):
    s = campaign.scenario
    claims = list(record_claims(s))
    assert len(claims) > 80
    for where, cites in claims:
        assert cites, f"{where}: a record claim without a citation"
        for cite in cites:
            assert resolves(s, cite), f"{where}: {cite!r} does not resolve to a listed source"


def cited_sources(s) -> set[str]:
    """The ids of every source cited anywhere in scenario *s*."""
    cited = {c.partition("#")[0] for _, cites in record_claims(s) for c in cites}
    for p in s.phases:
        cited |= {c.partition("#")[0] for x in p.situation for c in x.cite}
    return cited


@pytest.mark.parametrize("path", [SCENARIO, EXAMPLE], ids=["november-1962", "november-16"])
def test_every_cited_document_can_be_opened_its_text_or_its_register_entry(path):
    campaign = open_campaign(path)
    s = campaign.scenario
    for source_id in sorted(cited_sources(s)):
        source = campaign.sources[source_id]
        has_text = campaign.source_text(source_id) is not None
        assert has_text or (source.gist or "").strip(), (
            f"{path.name}: {source_id} is cited but has neither its text (`file`) nor a "
            "register entry (`gist`)"
        )
        assert has_text or source.gist_from, f"{source_id}: say where the register entry comes from"


def test_the_record_sheet_behind_the_register_ships_with_the_scenario(campaign):
    sheet = SCENARIO.parent / "sources" / "record-sheet.md"
    assert sheet.is_file()
    for s in campaign.scenario.sources:
        if s.gist_from:
            assert "sources/record-sheet.md" in s.gist_from, s.id


def test_nothing_simulated_carries_a_citation_and_each_has_a_rationale(campaign):
    s = campaign.scenario
    simulated = [o for r in s.responses for o in r.outcomes if o.simulated]
    assert len(simulated) >= 8
    for o in simulated:
        assert not o.cite and (o.rationale or "").strip(), o.id
        assert all(m.rationale.strip() for m in o.modifiers), o.id
    for e in s.endings:
        assert e.simulated != bool(e.cite), e.id
    record_endings = [e.id for e in s.endings if not e.simulated]
    assert record_endings == ["record_settlement"]


def test_every_decision_has_a_record_with_the_chosen_options(campaign):
    for d in campaign.decisions.values():
        assert d.record is not None, d.id
        assert set(d.record.chosen) <= {o.id for o in d.options}
        assert d.discussion, f"{d.id}: no discussion question for the debrief"


def test_gaps_in_the_record_are_stated(campaign):
    gaps = {d.id: d.record.gap for d in campaign.decisions.values() if d.record.gap}
    assert {"il28s", "pressure_steps", "mccone_proposals", "answer_offer"} <= set(gaps)
    text = all_text(campaign.scenario)
    assert "no firm policy position was developed" in text
    assert "were not attached" in text and "never attached" not in text
    assert "The notes were not attached." in [
        x.quote for p in campaign.scenario.phases for x in p.situation
    ]


def test_who_decides(campaign):
    for d in campaign.scenario.phases[0].decisions:
        assert campaign.decider(d) == "president"
    nov13 = next(p for p in campaign.scenario.phases if p.id == "nov13")
    assert nov13.chair is None and nov13.absent == ["president"]
    assert all(campaign.decider(d) is None for d in nov13.decisions)  # the group decides


def test_roles_and_dated_briefings(campaign):
    s = campaign.scenario
    roles = {r.id: r for r in s.roles}
    phase_date = {p.id: p.date for p in s.phases}
    sources = {src.id: src for src in s.sources}
    for role_id in SIX:
        role = roles[role_id]
        assert role.playable
        assert {"nov5", "nov13"} <= {b.phase for b in role.briefings}, role_id
    for role in s.roles:
        for b in role.briefings:
            for cite in b.cite:
                source = sources[cite.partition("#")[0]]
                assert source.date <= phase_date[b.phase], (role.id, b.phase, cite)
                assert source.id != "wilson_khrushchev_mikoyan"


def test_advisors_argue_only_what_was_recorded_by_then(campaign):
    s = campaign.scenario
    sources = {src.id: src for src in s.sources}
    for p in s.phases:
        for d in p.decisions:
            for a in d.record.advocates:
                for cite in a.cite:
                    # 174 ¶6 is the record, written on 13 November, of the meeting of the 12th.
                    later = sources[cite.partition("#")[0]].date > p.date
                    assert not later or cite == "frus_xi_174#6", (d.id, a.role, cite)
    mccone = next(d for d in campaign.decisions.values() if d.id == "mccone_proposals")
    recorded = {a.role for a in mccone.record.advocates if not a.reconstructed}
    assert recorded == {"mccone", "vice_president", "rusk"}


def test_hindsight_appears_only_as_hindsight(campaign):
    s = campaign.scenario
    for p in s.phases:
        passages = list(p.situation) + [x for d in p.decisions for x in d.context]
        for x in passages:
            if "wilson_khrushchev_mikoyan" in x.cite:
                assert x.hindsight and p.kind == "outcome"
    citing = [where for where, cites in record_claims(s) if "wilson_khrushchev_mikoyan" in cites]
    assert citing == ["aftermath situation 2"]
    assert s.phases[-1].situation[2].hindsight


def test_uncertain_items_are_said_to_be_uncertain(campaign):
    text = all_text(campaign.scenario)
    for sentence in re.split(r"(?<=\.)\s", text):
        if "last one left" in sentence or "20 December" in sentence:
            assert "uncertain" in sentence, sentence
    assert "the date the last one left is uncertain" in text


def test_the_documents_figures_and_questions_are_covered(campaign):
    s = campaign.scenario
    text = all_text(s)
    for figure in ("42 missiles", "estimated 48", "33 of which", "two U-2", "five more U-2"):
        assert figure in text, figure
    four = next(x for x in s.phases[0].situation if "frus_xi_143#q4" in x.cite)
    assert {"frus_xi_143#q1", "frus_xi_143#q2", "frus_xi_143#q3"} <= set(four.cite)
    for words in ("submarine base", "IL-28 bombers out", "refugee camps", "reconnaissance"):
        assert words in four.text, words
    labels = [st.pressure for d in s.machine.dimensions for st in d.states if st.pressure]
    assert sorted(labels) == sorted(
        [
            "an OAS meeting to restate policy",
            "a presidential statement of Soviet non-compliance",
            "OAS economic measures",
            "a tightened quarantine",
        ]
    )
    steps = campaign.decisions["pressure_steps"]
    assert steps.select == "many" and sum(bool(o.triggers) for o in steps.options) == 4
    for words in ("Zorin", "Red Cross", "atom-free", "UN presence", "Mikoyan", "pictures", "Ball"):
        assert words.lower() in text.lower(), words


def test_every_paragraph_of_the_two_documents_is_cited(campaign):
    s = campaign.scenario
    cited = {c for _, cites in record_claims(s) for c in cites}
    cited |= {c for p in s.phases for x in p.situation for c in x.cite}
    for source in s.sources:
        for label in source.paragraphs:
            assert f"{source.id}#{label}" in cited, f"{source.id}#{label} is never cited"


def test_paragraph_labels_match_the_shipped_source_texts(campaign):
    shipped = sorted(p.name for p in (SCENARIO.parent / "sources").glob("*.txt"))
    assert shipped == sorted(Path(s.file).name for s in campaign.scenario.sources if s.file)
    for source in campaign.scenario.sources:
        if source.file is None:
            assert not source.paragraphs, source.id
            continue
        text = read_source_text(SCENARIO, source)
        labelled = [p.label for p in text.paragraphs if p.label]
        assert labelled == list(source.paragraphs), source.id
        for label, opening in source.paragraphs.items():
            assert text.paragraph(label).text.startswith(opening), f"{source.id}#{label}"


def test_quotations_are_exact_words_of_the_cited_paragraphs(campaign):
    texts = {
        src.id: read_source_text(SCENARIO, src) for src in campaign.scenario.sources if src.file
    }
    quotes = [
        (x.quote, x.cite) for p in campaign.scenario.phases for x in p.situation if x.quote
    ] + [
        (a.quote, a.cite)
        for d in campaign.decisions.values()
        for a in d.record.advocates
        if a.quote
    ]
    checked = 0
    for quote, cites in quotes:
        cited = [
            texts[source].paragraph(label).text
            for source, _, label in (c.partition("#") for c in cites)
            if source in texts
        ]
        if cited:
            flat = " ".join(quote.split())
            assert any(flat in " ".join(t.split()) for t in cited), quote
            checked += 1
    assert checked >= 2


# -- the format extensions this scenario needed ----------------------------------------------


def test_a_situation_citing_a_later_document_must_be_hindsight(variant):
    later = "      - text: The bombers are still in Cuba.\n        cite: [doc_b]"
    path, line = variant(
        "      - text: The bombers are still in Cuba.\n        cite: [doc_a#1]", later
    )
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert "but this text is shown during play at 'meeting' (1962-11-13)" in str(info.value)
    assert "hindsight belongs in the outcome phase (`kind: outcome`)" in str(info.value)
    assert f"bad.yaml:{line + 1}:" in str(info.value)
    path, line = variant(
        "      - text: The bombers are still in Cuba.\n        cite: [doc_a#1]",
        later + "\n        hindsight: true",
    )
    with pytest.raises(ScenarioError) as info:  # hindsight only in an outcome phase
        read_scenario(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:{line + 2}:9: phases[0].situation[0].hindsight: hindsight is allowed only in "
        "an outcome phase, and this is a meeting phase: move the passage to the phase with "
        "`kind: outcome`, or remove `hindsight: true` and cite only what was known by this "
        "phase's date"
    ]


def test_briefing_citing_a_later_document_is_refused(variant):
    path, line = variant(
        "        text: You want inspection first.\n        cite: [doc_a#1]",
        "        text: You want inspection first.\n        cite: [doc_b]",
    )
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    message = str(info.value)
    assert f"bad.yaml:{line + 1}:" in message
    assert "'doc_b' is dated 1962-11-20, but this text is shown during play at 'meeting'" in message
    assert "a briefing holds only what was known then" in message


def test_scenario_is_found_by_name():
    assert paths.resolve_scenario("november-1962") == SCENARIO
    assert Path(SCENARIO).is_file()


# -- the game tells one story -----------------------------------------------------------------

MONTHS = {"October": 10, "November": 11, "December": 12}
DAY_MONTH = re.compile(r"\b(\d{1,2})(?:[–-](\d{1,2}))? (October|November|December)\b")


RULES_ADOPTED = dt.date(1962, 11, 13)


def shown_texts(s) -> Iterator[tuple[str, object, str, list[str]]]:
    """(where, date shown, text, cites) for every text players see during play."""
    guards = {g.id: g for g in s.machine.guards}
    triggers = {t.id: t for t in s.machine.triggers}
    phases = {p.id: p for p in s.phases}
    for role in s.roles:
        for b in role.briefings:
            yield f"briefing {role.id}/{b.phase}", phases[b.phase].date, b.text, b.cite
    for p in s.phases:
        for i, x in enumerate(p.situation):
            if not x.hindsight:
                yield f"{p.id} situation {i}", p.date, x.text, x.cite
        for d in p.decisions:
            yield f"{d.id} question", p.date, d.question, []
            for x in d.context:
                yield f"{d.id} context", p.date, x.text, x.cite
            for o in d.options:
                yield f"{d.id}.{o.id}", p.date, f"{o.label} {o.description}", []
                for t in o.triggers:
                    for g in triggers[t].guards:
                        guard = guards[g]
                        if guard.unless is not None and p.date < RULES_ADOPTED:
                            continue  # refuses nothing before it is adopted (validate checks it)
                        yield f"{d.id}.{o.id} refusal", p.date, guard.reason, guard.cite
            for a in d.record.advocates if d.record else ():
                yield f"{d.id} advocate {a.role}", p.date, a.position, a.cite


def test_no_text_shown_at_a_date_tells_a_later_event_unless_marked_hindsight(campaign):
    # Dates named in the text, and the documents cited, are no later than the day it is shown.
    s = campaign.scenario
    told = {src.id: src for src in s.sources}
    checked = 0
    for where, day, text, cites in shown_texts(s):
        for m in DAY_MONTH.finditer(text):
            last = int(m.group(2) or m.group(1))
            named = day.replace(month=MONTHS[m.group(3)], day=last)
            assert named <= day, f"{where} (shown {day}) tells of {m.group(0)}: {text}"
            checked += 1
        for cite in cites:
            source_id, _, para = cite.partition("#")
            source = told[source_id]
            assert source.events.get(para, source.date) <= day, (where, cite)
    assert checked > 20
    hindsight = [x for p in s.phases for x in p.situation if x.hindsight]
    assert [x.cite for x in hindsight] == [["wilson_khrushchev_mikoyan"]]


def test_every_text_after_the_first_meeting_declares_what_it_asserts(campaign):
    # Play can change the state from the first decision on: later texts say what they assert,
    # and the walk (which opening the file runs) proves each is shown only where that holds.
    s = campaign.scenario
    first = s.phases[0].id
    for role in s.roles:
        for b in role.briefings:
            assert b.phase == first or b.asserts is not None, (role.id, b.phase, b.text[:40])
    for p in s.phases[1:]:
        for x in p.situation:
            assert x.asserts is not None, (p.id, x.text[:40])
        for d in p.decisions:
            assert d.asserts is not None, d.id
    assert len(campaign.claims) >= 15


def test_a_what_if_games_briefings_follow_its_state(campaign):
    # Tighten the quarantine on 13 November: on the 21st the President is not told that
    # ExComm lifted it, and every briefing he reads matches the state.
    choices = dict(campaign.record_choices)
    choices["pressure_steps"] = ["tighten"]
    choices["quarantine_nov20"] = ["keep_until_gone"]
    for seed in range(6):
        game = Game(campaign, seed=seed, mode="what-if")
        while not game.finished:
            d = game.current.decision
            allowed = [o.id for o in game.options() if o.allowed]
            wanted = choices.get(d.id, [])
            game.decide(d.id, wanted if set(wanted) <= set(allowed) else allowed[:1])
        nov21 = next(p for p in campaign.scenario.phases if p.id == "nov21")
        state = game.phase_state(nov21)
        texts = [b.text for b in campaign.briefings("president", nov21, state)]
        assert texts, seed
        assert not any("lifted the quarantine" in t for t in texts) or state["quarantine"] == (
            "lifted"
        )
        for b in campaign.briefings("president", nov21, state):
            assert holds(b.asserts, state), (seed, b.text[:50], state)
    status = StatusPanel_text(game)
    assert "Answers: Some simulated" in status and "As in the record" not in status


def StatusPanel_text(game) -> str:
    from exsim.tui.widgets import status_cells

    return " │ ".join(cell.content.plain for cell in status_cells(game))


def test_the_record_paths_aftermath_is_in_the_debrief(campaign):
    from exsim.report import debrief as debriefs

    game = play_record(campaign)
    assert [e.kind for e in game.log if e.step == "quarantine_late"] == ["skipped"]
    after = debriefs.build(game).aftermath
    text = " ".join(a.text for a in after)
    assert "23 November" in text and "29 November" in text and "Where the documents stop" in text
    assert [a.hindsight for a in after] == [False, False, True, False]
    assert {c.text for a in after for c in a.cites} >= {"FRUS XI, 207", "FRUS XI, 216"}


def test_constructed_sittings_are_marked(campaign):
    constructed = [p.id for p in campaign.scenario.phases if p.constructed]
    assert constructed == ["talks", "nov21", "aftermath"]
    assert "Rusk's terms stood" not in all_text(campaign.scenario)


def test_mccones_memorandum_is_at_the_table_whole_and_in_the_debrief(campaign):
    # Every paragraph of the memorandum is cited in text all players see (not only in
    # McCone's briefing) and in the recorded positions the debrief prints.
    s = campaign.scenario
    public = {c for p in s.phases for x in p.situation for c in x.cite}
    public |= {c for d in campaign.decisions.values() for x in d.context for c in x.cite}
    positions = {c for d in campaign.decisions.values() for a in d.record.advocates for c in a.cite}
    memo = {f"frus_xi_174#m{i}" for i in range(1, 8)}
    assert memo <= public
    assert memo - {"frus_xi_174#m2"} <= positions
    text = all_text(s)
    for words in ("Latin American states", "caves", "MRBMs and IRBMs", "northern tier", "violent"):
        assert words in text, words
    assert "overthrow neighbouring governments" in text


def test_at_least_two_recorded_voices_where_the_sources_give_them(campaign):
    # Items where the documents give fewer voices say so (a gap, or one person's record).
    voices = {
        d.id: {a.role for a in d.record.advocates if not a.reconstructed}
        for d in campaign.decisions.values()
    }
    fewer = {d for d, roles in voices.items() if len(roles) < 2}
    assert fewer == {
        "photographs",  # only the President, 143 ¶12
        "zorin_protocol",  # only the President, 143 ¶4
        "khrushchev_message",  # only Bundy, 174 ¶6
        "pressure_steps",  # no one: 'no firm policy position', the notes not attached
        "answer_offer",  # only Robert Kennedy's terms, 173
        "pressure_again",  # the documents do not cover 14–20 November
        "quarantine_nov20",  # 197 gives the decision, not who argued it
        "measures_nov20",
        "quarantine_late",  # off the record path
    }
    for d in fewer:
        record = campaign.decisions[d].record
        assert record.gap or len(voices[d]) == 1, d


def test_a_refusal_citing_a_later_document_is_refused(variant):
    path, _ = variant(
        "      reason: No pledge without inspection agreed by the Soviets and Castro.\n"
        "      cite: [doc_a#2]",
        "      reason: No pledge without inspection agreed by the Soviets and Castro.\n"
        "      cite: [doc_b]",
    )
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    message = str(info.value)
    assert "guard 'inspection_first' may refuse this on 1962-11-13 citing 'doc_b'" in message
    assert "dated 1962-11-20: a rule shown then cites only what was known" in message


def test_a_move_refused_by_where_its_dimension_stands_is_a_sentence_saying_since_when():
    """'Tighten the quarantine' once the quarantine is lifted is not offered; taken anyway (a
    script, a saved move), it is refused with the states by their labels, and the step of this
    game that lifted it, never ids."""
    game = play_to(
        "pressure_steps",
        {
            "verify_removal": "count_on_ground",
            "photographs": "release",
            "overflights": "keep_flying",
            "commitment_terms": "rely_on_aerial",
            "reciprocity": "offer",
            "zorin_protocol": "decline",
            "mccloy_instructions": "wait_for_havana",
            "khrushchev_message": "answer_tonight",
            "il28s": "lift_now",
        },
    )
    assert "Tighten the quarantine" not in [o.label for o in game.options()]
    with pytest.raises(GameError) as err:
        game.decide("pressure_steps", ["tighten"])
    assert (
        "“Tighten the quarantine” moves Naval quarantine only from “In force”, "
        "not from “Lifted”, where it stands now; it has stood there since this game's decision "
        "on “The IL-28s” (13 November 1962)"
    ) in str(err.value)


def play_to(decision: str, choices: dict[str, str]) -> Game:
    game = Game(open_campaign(SCENARIO), seed=0, mode="what-if")
    while game.current.decision.id != decision:
        game.decide(game.current.decision.id, [choices[game.current.decision.id]])
    return game


def test_an_unfinished_game_does_not_count_the_decisions_it_has_not_reached_yet():
    campaign = open_campaign(SCENARIO)
    game = Game(campaign)
    first = game.current.decision.id
    game.decide(first, campaign.record_choices[first])
    assert compare(game).divergence == 0


def test_the_debrief_says_what_the_points_that_left_the_record_are():
    from exsim.report.debrief import build

    campaign = open_campaign(SCENARIO)
    game = Game(campaign, seed=0, mode="what-if")
    while not game.finished:
        decision = game.current.decision.id
        allowed = [o.id for o in game.options() if o.allowed]
        record = [o for o in campaign.record_choices.get(decision, []) if o in allowed]
        game.decide(decision, ["lift_now"] if decision == "il28s" else record or allowed[:1])
    debrief = build(game, None)
    said = debrief.left_the_record()
    assert said.startswith(f"{debrief.divergence} (1 decision(s) unlike the record's"), said


def test_alignment_counts_a_position_only_on_the_day_it_was_recorded(campaign):
    """Rusk's views of 5 November are shown on 13 and 20 November, dated, but a recommendation
    there is not scored against them: his recorded positions count on 5 November only."""
    game = Game(campaign)
    while not game.finished:
        d = game.current.decision
        game.decide(d.id, d.record.chosen, recommendations={"rusk": list(d.record.chosen)})
    counted = [d for d in campaign.decisions.values() if "rusk" in campaign.counted_positions(d)]
    assert counted and {campaign.phase_of[d.id].id for d in counted} == {"nov5"}
    shown_later = {
        d.id
        for d in campaign.decisions.values()
        if campaign.phase_of[d.id].id != "nov5"
        and any(a.role == "rusk" and not a.reconstructed for a in d.record.advocates)
    }
    assert {"pledge_rule", "overflights_nov20"} <= shown_later
    d = debrief_build(game)
    (rusk,) = [a for a in d.alignment if a.role == "rusk"]
    scored = {
        r.id for r in d.decisions for x in r.recommendations if x.role == "rusk" and x.aligned
    }
    assert scored and scored <= {x.id for x in counted}
    assert rusk.counted == len(scored)
    pledge = next(r for r in d.decisions if r.id == "pledge_rule")
    (view,) = [p for p in pledge.positions if p.role == "rusk"]
    assert view.note == "recorded on 5 November, not counted for this day"


def test_every_decision_is_argued_on_two_sides_by_every_member_no_player_takes(campaign):
    """Each role at the table puts a case: recorded, or the game's reconstruction from views
    recorded by then (cited); only a role with no recorded view by that date stays silent."""
    said_by = {
        r: min(
            (
                campaign.recorded_on(a)
                for d in campaign.decisions.values()
                for a in d.record.advocates
                if a.role == r and not a.reconstructed
            ),
            default=dt.date.max,
        )
        for r in campaign.roles
        if r != "president"
    }
    for d in campaign.decisions.values():
        phase = campaign.phase_of[d.id]
        sides = {o for a in d.record.advocates for o in a.options}
        assert len(sides) >= 2, f"{d.id}: argued on one side only"
        cases = {a.role for a in d.record.advocates}
        for role in phase.present:
            if role == campaign.decider(d) or role in cases:
                continue
            assert said_by.get(role, phase.date) > phase.date, f"{d.id}: no case from {role}"
        for a in d.record.advocates:
            if a.reconstructed:
                assert all(campaign.told_on(c) <= phase.date for c in a.cite), (d.id, a.role)
    mcnamara = [
        a for d in campaign.decisions.values() for a in d.record.advocates if a.role == "mcnamara"
    ]
    assert len(mcnamara) >= 15 and all(a.reconstructed for a in mcnamara)


def test_reconstructed_cases_are_labelled_and_never_counted(campaign):
    game = play_record(campaign)
    d = debrief_build(game)
    made = [p for row in d.decisions for p in row.positions if p.reconstructed]
    assert len(made) > 60
    assert all(p.note.startswith("the game's reconstruction") for p in made)
    assert all(p.recorded_on is None for p in made)
    md = render_document(d, "md")
    assert md.count("*(the game\\'s reconstruction") == 0  # esc leaves apostrophes alone
    assert md.count("(the game's reconstruction, from views recorded elsewhere; not record)") >= 60
    for row in d.decisions:
        counted = campaign.counted_positions(campaign.decisions[row.id])
        assert not any(a.reconstructed for a in counted.values())
