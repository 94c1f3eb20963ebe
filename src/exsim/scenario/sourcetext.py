"""The texts of a scenario's source documents: read safely, split into labelled paragraphs.

A source's `file` is a path relative to the scenario file's folder (`sources/doc.txt`). The
text has one paragraph per non-blank line; the scenario's `paragraphs:` give each label the
opening words of its paragraph, in order, and the labels are found by those words.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exsim.scenario.problems import Problem

if TYPE_CHECKING:
    from exsim.scenario.loader import ScenarioFile
    from exsim.scenario.model import Source

MAX_BYTES = 1024 * 1024


class SourceTextError(Exception):
    """A source text that cannot be read, or whose labels do not match it."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a source text, with its label if the scenario gives it one."""

    label: str | None
    text: str


@dataclass(frozen=True)
class SourceText:
    """A source document's text as labelled paragraphs."""

    source_id: str
    paragraphs: tuple[Paragraph, ...]

    def paragraph(self, label: str) -> Paragraph:
        return next(p for p in self.paragraphs if p.label == label)


def source_path(scenario_path: str | Path, source: Source) -> Path:
    """Where *source*'s text lies: its `file`, relative to the scenario file's folder."""
    assert source.file is not None, f"source {source.id!r} has no text file"
    return Path(scenario_path).parent / source.file


def read_source_text(scenario_path: str | Path, source: Source) -> SourceText:
    """*source*'s text split into paragraphs and labelled; SourceTextError says what is wrong."""
    text = _read(source_path(scenario_path, source), str(source.file))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found: dict[int, str] = {}
    at = -1
    for label, opening in source.paragraphs.items():
        index = next((i for i in range(at + 1, len(lines)) if lines[i].startswith(opening)), None)
        if index is None:
            raise SourceTextError(
                f"paragraph {label!r}: no paragraph of {source.file} after "
                f"{_after(found, at)} begins {opening!r}"
            )
        found[index] = label
        at = index
    return SourceText(source.id, tuple(Paragraph(found.get(i), t) for i, t in enumerate(lines)))


def check_source_texts(loaded: ScenarioFile) -> list[Problem]:
    """A problem for each source whose text cannot be read or does not match its labels."""
    problems = []
    for i, source in enumerate(loaded.scenario.sources):
        if source.file is None:
            continue
        try:
            read_source_text(loaded.path, source)
        except SourceTextError as exc:
            problems.append(loaded.problem(("sources", i, "file"), str(exc)))
    return problems


def _after(found: dict[int, str], at: int) -> str:
    return f"paragraph {found[at]!r}" if at in found else "the start"


def _read(path: Path, name: str) -> str:
    """A regular file's UTF-8 text, at most MAX_BYTES (a FIFO or device is never waited on)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceTextError(f"cannot read {name} beside the scenario: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SourceTextError(f"{name} is not a regular file")
        raw = os.read(fd, MAX_BYTES + 1)
    finally:
        os.close(fd)
    if len(raw) > MAX_BYTES:
        raise SourceTextError(f"{name} is larger than the limit of {MAX_BYTES:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceTextError(f"{name} is not UTF-8 text ({exc.reason})") from None
