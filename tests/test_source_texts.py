"""Source texts beside a scenario: read safely, labelled by their opening words, or an error."""

from __future__ import annotations

import os

import pytest

from exsim.engine import ScenarioError, open_campaign
from exsim.scenario.sourcetext import MAX_BYTES

WITH_FILE = '    date: 1962-11-13\n    file: sources/doc-a.txt\n    paragraphs:\n      "1": It was'
TEXT = "Doc A\n\nIt was agreed that the bombers go.\n\nIf they are not removed, more pressure.\n"


def problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        open_campaign(path)
    return [str(p) for p in info.value.problems]


@pytest.fixture
def with_text(variant):
    """The mini scenario naming sources/doc-a.txt for doc_a; returns (path, line of `file:`)."""
    path, line = variant('    date: 1962-11-13\n    paragraphs:\n      "1": It was', WITH_FILE)
    (path.parent / "sources").mkdir()
    return path, line + 1


def test_a_scenario_opens_with_its_paragraphs_labelled(with_text):
    path, _ = with_text
    (path.parent / "sources" / "doc-a.txt").write_text(TEXT)
    text = open_campaign(path).source_text("doc_a")
    assert [(p.label, p.text[:12]) for p in text.paragraphs] == [
        (None, "Doc A"),
        ("1", "It was agree"),
        ("2", "If they are "),
    ]
    assert open_campaign(path).source_text("doc_b") is None  # cited whole, no text at hand


def test_a_missing_text_is_a_problem_at_its_file_key(with_text):
    path, line = with_text
    (msg,) = problems(path)
    assert msg == (
        f"{path}:{line}:5: sources[0].file: "
        "cannot read sources/doc-a.txt beside the scenario: No such file or directory"
    )


def test_an_opening_not_found_in_order_names_the_label(with_text):
    path, line = with_text
    (path.parent / "sources" / "doc-a.txt").write_text("If they are not removed.\nIt was agreed.\n")
    (msg,) = problems(path)
    assert msg == (
        f"{path}:{line}:5: sources[0].file: paragraph '2': no paragraph of "
        "sources/doc-a.txt after paragraph '1' begins 'If they are not removed'"
    )


def test_a_path_leaving_the_scenario_folder_is_refused(variant):
    path, line = variant(
        '    date: 1962-11-13\n    paragraphs:\n      "1": It was',
        WITH_FILE.replace("sources/", "../"),
    )
    (msg,) = problems(path)
    assert msg == (
        f"{path}:{line + 1}:5: sources[0].file: '../doc-a.txt': a source's file is a path "
        "inside the scenario's folder, such as sources/doc.txt (no .., no leading /)"
    )


@pytest.mark.parametrize("kind", ["directory", "fifo", "large", "binary"])
def test_a_text_that_is_not_a_small_regular_utf8_file_is_refused(with_text, kind):
    path, _ = with_text
    target = path.parent / "sources" / "doc-a.txt"
    if kind == "directory":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "large":
        target.write_text(TEXT + "x" * MAX_BYTES)
    else:
        target.write_bytes(b"It was \xff agreed\n")
    (msg,) = problems(path)
    expected = {
        "directory": "sources/doc-a.txt is not a regular file",
        "fifo": "sources/doc-a.txt is not a regular file",
        "large": f"sources/doc-a.txt is larger than the limit of {MAX_BYTES:,} bytes",
        "binary": "sources/doc-a.txt is not UTF-8 text (invalid start byte)",
    }[kind]
    assert msg.endswith(f"sources[0].file: {expected}")
