"""Every class of bad scenario file gives file:line:col: key.path: message, never a traceback."""

from __future__ import annotations

import pytest

from exsim import paths
from exsim.engine import ScenarioError, open_campaign
from exsim.scenario.yamlsafe import load_text


def problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    return [str(p) for p in info.value.problems]


def test_yaml_syntax_error(variant):
    path, _line = variant("title: Mini crisis", "title: [Mini crisis")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:")
    assert "YAML:" in msg


def test_unknown_key_with_hint(variant):
    path, line = variant("    office: Secretary of State", "    ofice: Secretary of State")
    msgs = problems(path)
    assert any(
        m.startswith(
            f"{path}:{line}:5: roles[1].ofice: unknown key 'ofice'; did you mean 'office'?"
        )
        for m in msgs
    ), msgs


def test_missing_required_key(variant):
    path, _line = variant("    office: Secretary of State\n", "")
    (msg,) = problems(path)
    assert "roles[1].office: required key 'office' is missing" in msg


def test_wrong_type(variant):
    path, line = variant("    weight: 0.5", "    weight: lots")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:")
    assert "responses[0].outcomes[1].weight: input should be a valid number" in msg


def test_unquoted_time_gets_a_hint(variant):
    path, line = variant('time: "11:00"', "time: 11:00")
    (msg,) = problems(path)
    assert f":{line}:" in msg and "put times in quotes" in msg


def test_option_naming_unknown_trigger(variant):
    path, line = variant("triggers: [give_pledge]}", "triggers: [give_pledges]}")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:")
    assert "options[1].triggers[0]: unknown trigger 'give_pledges'" in msg


def test_citation_naming_unknown_source(variant):
    path, line = variant("        cite: [doc_a#1]\n\nactors", "        cite: [doc_z#1]\n\nactors")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:")
    assert "roles[1].briefings[0].cite[0]: unknown source 'doc_z'" in msg


def test_citation_naming_unknown_paragraph(variant):
    path, _line = variant("        cite: [doc_a#1]\n\nactors", "        cite: [doc_a#9]\n\nactors")
    (msg,) = problems(path)
    assert "source 'doc_a' has no paragraph '9' (paragraphs: 1, 2)" in msg


def test_guard_naming_unknown_condition(variant):
    path, line = variant("guards: [bombers_out]", "guards: [bombers_gone]")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:")
    assert "machine.triggers[1].guards[0]: unknown guard 'bombers_gone'" in msg


def test_unknown_role(variant):
    path, line = variant("    chair: president", "    chair: presidnet")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:")
    assert "phases[0].chair: unknown role 'presidnet'" in msg


def test_unreachable_state(variant):
    path, _line = variant(
        "        - {id: given, label: Given}",
        "        - {id: given, label: Given}\n        - {id: withdrawn, label: Withdrawn}",
    )
    (msg,) = problems(path)
    assert "state 'withdrawn' cannot be reached from 'none' by any trigger" in msg


def test_path_that_reaches_no_ending(variant):
    path, _ = variant(
        "  - id: standoff\n    title: Standoff\n",
        "  - id: standoff\n    title: Standoff\n    when: {pledge: given}\n",
    )
    (msg,) = problems(path)
    assert "endings: the path" in msg and "matches no ending" in msg
    # the state shown is what the endings read as the game ends: a dimension nothing reads at
    # the end is left out (the pledge is read by the walk's check of a guard's reason)
    assert "ends in {'quarantine': 'in_force', 'il28': 'removed', 'pledge': 'none'}, " in msg


def test_several_errors_reported_in_file_order(variant, tmp_path):
    path, _ = variant("    chair: president", "    chair: nobody")
    text = path.read_text().replace("guards: [bombers_out]", "guards: [nothing]")
    text = text.replace("    actor: khrushchev", "    actor: nobody")
    path.write_text(text)
    msgs = problems(path)
    lines = [int(m.split(":")[1]) for m in msgs]
    assert len(msgs) == 3 and lines == sorted(lines)


def test_object_construction_is_refused(variant):
    path, line = variant("title: Mini crisis", "title: !!python/object/apply:os.system [echo hi]")
    (msg,) = problems(path)
    assert f":{line}:" in msg and "YAML:" in msg


def test_alias_bomb_is_refused_quickly(tmp_path):
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        rows.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(rows) + "\n")
    (msg,) = problems(path)
    assert "aliases expand to more than" in msg


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * (3 * 1024 * 1024))
    (msg,) = problems(path)
    assert "the limit is" in msg


def test_missing_file(tmp_path):
    (msg,) = problems(tmp_path / "nope.yaml")
    assert "cannot read" in msg


def test_reserved_trigger_name(variant):
    path, _ = variant(
        "{id: tighten, label: Tighten the quarantine, dimension",
        "{id: trigger, label: Tighten the quarantine, dimension",
    )
    msgs = problems(path)
    assert any("'trigger' is reserved" in m for m in msgs)


def test_dotted_path_callback_names_cannot_reach_transitions(variant):
    path, _ = variant("guards: [bombers_out]", "guards: [os.system]")
    (msg,) = problems(path)
    assert "an id uses lower-case letters" in msg


def test_misspelt_keys_and_dangling_references_are_reported_together(variant):
    path, _ = variant("    office: Secretary of State", "    ofice: Secretary of State")
    text = path.read_text()
    text = text.replace("triggers: [give_pledge]", "triggers: [give_pledgx]")
    text = text.replace(
        "      reason: The pledge needs inspection.\n",
        "      reson: The pledge needs inspection.\n",
    )
    path.write_text(text)
    msgs = problems(path)
    lines = [int(m.split(":")[1]) for m in msgs]
    assert lines == sorted(lines)  # in file order
    assert any("roles[1].ofice: unknown key 'ofice'; did you mean 'office'?" in m for m in msgs)
    assert any("invariants[0].reson: unknown key 'reson'" in m for m in msgs)
    # checked as if the keys were spelt right, so the reference problem shows in the same reading
    assert any("unknown trigger 'give_pledgx'" in m for m in msgs), msgs


def test_a_wrong_type_still_hides_reference_problems(variant):
    path, _ = variant("    date: 1962-11-13\n    time:", "    date: soon\n    time:")
    text = path.read_text().replace("triggers: [give_pledge]", "triggers: [give_pledgx]")
    path.write_text(text)
    msgs = problems(path)
    assert not any("give_pledgx" in m for m in msgs)  # references need a well-shaped file
    assert any("date" in m for m in msgs), msgs


# -- positions are worked out when a problem needs them, the same as while reading -----------


def test_positions_worked_out_later_are_the_ones_read():
    text = (paths.BUNDLED_SCENARIOS / "november-1962.yaml").read_text()
    later = load_text(text, "x.yaml")  # a clean file: nothing recorded while reading
    # a backslash anywhere (here in a comment) makes the reader look at every value
    read = load_text(text + "# C:\\folder\n", "x.yaml")
    assert later.positions == read.positions
    assert len(later.positions) > 2_000
    assert later.where(("phases", 1, "decisions", 0, "id")) == read.where(
        ("phases", 1, "decisions", 0, "id")
    )


def test_a_key_written_twice_in_two_ways_is_refused(variant):
    path, line = variant("    office: President\n", '    office: President\n    "office": Again\n')
    (msg,) = problems(path)
    assert msg == f"{path}:{line + 1}:5: roles[0].office: key 'office' appears twice here; keep one"


def test_a_control_character_written_as_itself_is_refused(variant):
    path, line = variant("title: Mini crisis", "title: Mini \u202ecrisis")
    (msg,) = problems(path)
    assert msg.startswith(f"{path}:{line}:8: title: holds a control character (\\u202e)")
