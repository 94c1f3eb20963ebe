"""Safe YAML loading that remembers where every value sits in the file.

Uses the C safe loader when PyYAML was built with libyaml, else the pure-Python one.
Refuses oversized files, alias bombs and deep nesting before constructing anything,
and repeated keys (YAML would silently keep the last).
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path as FilePath

import yaml

from exsim import files
from exsim.scenario.problems import Problem, ScenarioError, dotted
from exsim.terminal import CONTROL

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    _Base = yaml.SafeLoader


class SafeLoader(_Base):
    """The safe loader, reading a date that does not exist (1962-11-31) as the text written,
    so that the format's check names it at its key instead of a traceback."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return node.value


SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def impossible_date(written: object) -> str | None:
    """What is wrong with a YYYY-MM-DD date that names no day (1962-11-31), or None."""
    if not isinstance(written, str) or (found := DATE.fullmatch(written.strip())) is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return (
            f"{written.strip()} names month {month}: a date is written YYYY-MM-DD "
            "(year, month 01-12, day), e.g. 1962-11-16"
        )
    name, days = calendar.month_name[month], calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"there is no {day} {name} {year}: {name} has {days} days"
    return None


MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_DIGITS = 100  # far above any number a scenario needs; Python refuses 4,300 with a traceback
INT_TAG = "tag:yaml.org,2002:int"

Path = tuple  # a key path: ("phases", 0, "decisions", 1, "id")


class Located:
    """A document's data, and the (line, column) of each key path, 1-based.

    Only problems need positions, so those of a file that showed none while it was read are
    worked out from its *text* when first asked (composing it again), not on every read.
    """

    def __init__(
        self,
        data: object,
        positions: dict[Path, tuple[int, int]] | None = None,
        text: str | bytes = "",
    ):
        self.data = data
        self._positions = positions
        self._text = text

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        if self._positions is None:
            loader = SafeLoader(self._text)
            try:
                self._positions = {}
                _record_positions(loader.get_single_node(), (), self._positions, [], "")
            finally:
                loader.dispose()
        return self._positions

    def line(self, number: int) -> str:
        """The text of line *number* (1-based) of the file, or '' past its end."""
        text = (
            self._text.decode("utf-8", "replace") if isinstance(self._text, bytes) else self._text
        )
        lines = text.splitlines()
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def where(self, path: Path) -> tuple[int, int]:
        """Position of the longest prefix of *path* that is in the file."""
        positions = self.positions
        path = tuple(path)
        while path:
            # YAML keys are recorded as written; data keys may be numbers (paragraphs: {1: …}).
            for candidate in (path, path[:-1] + (str(path[-1]),)):
                if candidate in positions:
                    return positions[candidate]
            path = path[:-1]
        return positions.get((), (1, 1))


def read_text(path: str | FilePath) -> str:
    """A file's text, refusing special, oversized, unreadable and non-UTF-8 files with a Problem."""
    try:
        return files.read_text(path, MAX_BYTES)
    except OSError as exc:
        raise ScenarioError(
            [Problem(str(path), 1, 1, "", f"cannot read: {exc.strerror}")]
        ) from None


def load_text(text: str | bytes, filename: str) -> Located:
    """Parse one YAML document safely; raise ScenarioError with file:line:col on failure."""
    try:
        size = len(text.encode() if isinstance(text, str) else text)
    except UnicodeEncodeError as exc:
        line, col = _line_col(str(text), exc.start)
        raise ScenarioError(
            [Problem(filename, line, col, "", f"not UTF-8 text ({exc.reason})")]
        ) from None
    if size > MAX_BYTES:
        raise ScenarioError(
            [Problem(filename, 1, 1, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        )
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Problem(filename, 1, 1, "", "the file is empty")])
        positions: dict | None = None
        if _check_expansion(node, filename) or _may_hold_control(text):
            # Before construction, which folds merge keys (<<) into the mappings.
            positions = {}
            repeated: list = []
            _record_positions(node, (), positions, repeated, filename)
            if repeated:
                raise ScenarioError(repeated)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise ScenarioError([_syntax_problem(exc, filename, text)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position) if isinstance(text, str) else (1, 1)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"YAML: character U+{code:04X} is not allowed ({exc.reason})"
        raise ScenarioError([Problem(filename, line, col, "", message)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(filename, 1, 1, "", f"YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return Located(data, positions, text)


def _may_hold_control(text: str | bytes) -> bool:
    """Whether a value of *text* may hold a control character: only an escape (after a
    backslash) or the character itself can put one there."""
    return not isinstance(text, str) or "\\" in text or CONTROL.search(text) is not None


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, filename: str, text: str | bytes = "") -> Problem:
    """A YAML syntax error placed where it was found, naming where the construct began."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if "tab" in str(exc.problem) or _char_at(text, line, col) == "\t":
        line, col = _first_tab(text, line) or (line, col)
        return Problem(
            filename,
            line,
            col,
            "",
            "YAML: tabs are not allowed in YAML indentation; use spaces "
            "(set your editor to insert spaces for Tab)",
        )
    if exc.problem and exc.problem.startswith("mapping values are not allowed"):
        return _colon_problem(filename, text, line, col)
    if exc.problem == "could not find expected ':'" and exc.context_mark is not None:
        return _missing_colon(filename, _lines(text), exc.context_mark.line + 1)
    message = exc.problem or exc.context or "syntax error"
    start = exc.context_mark
    if exc.context and exc.problem:
        if (
            start is not None
            and mark is not None
            and (start.line, start.column) != (mark.line, mark.column)
        ):
            where = f" that began at line {start.line + 1}, column {start.column + 1}"
        else:
            where = ""
        message = f"{exc.problem} ({exc.context}{where})"
    return Problem(filename, line, col, "", f"YAML: {message}")


def _colon_problem(filename: str, text: str | bytes, line: int, col: int) -> Problem:
    """YAML found a ': ' where no key can start: either text holding ': ' on a line that
    already has its key, or a key without its colon on a line above (YAML joined the lines)."""
    lines = _lines(text)
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    key, sep, value = here.partition(": ")
    if sep and len(key) + 1 < col - 1:
        quoted = value.replace('"', '\\"')
        return Problem(
            filename,
            line,
            col,
            "",
            "YAML: a ': ' (colon and space) inside unquoted text starts a new key; put the "
            f'text in quotes: {key.strip().removeprefix("- ")}: "{quoted}" (or write it after '
            ">- on the next lines, indented)",
        )
    above = line - 1
    while above > 1 and not lines[above - 1].strip():
        above -= 1
    return _missing_colon(filename, lines, above)


def _lines(text: str | bytes) -> list[str]:
    return (text.decode("utf-8", "replace") if isinstance(text, bytes) else text).splitlines()


def _missing_colon(filename: str, lines: list[str], above: int) -> Problem:
    """Line *above* holds a key without its ':' (YAML read it as text going on below)."""
    written = lines[above - 1] if 0 < above <= len(lines) else ""
    words = written.strip().removeprefix("- ")
    start = len(written) - len(written.lstrip(" -")) + 1
    name, _, rest = words.partition(" ")
    return Problem(
        filename,
        above,
        start,
        "",
        f"YAML: a key needs a ':' after it: write {name}: {rest.strip()}".rstrip()
        + " (without it YAML joins this line to the next one)",
    )


def _char_at(text: str | bytes, line: int, col: int) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = text.splitlines()
    return lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""


def _first_tab(text: str | bytes, up_to: int) -> tuple[int, int] | None:
    """The first tab in the indentation of lines 1 … *up_to* (1-based), as (line, column)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines()[:up_to], 1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return number, indent.index("\t") + 1
    return None


def _check_expansion(root: yaml.Node, filename: str) -> bool:
    """Refuse aliases expanding beyond MAX_NODES values, deep nesting, and overlong integers;
    return whether some mapping may repeat a key (has one twice, or one that is not text).

    Walks the tree as construction would see it, aliases expanded, and stops at the first
    value over either bound, so alias bombs and self-referring aliases are refused quickly.
    """
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    count = 0
    repeats = False
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            _refuse(node, filename, _too_many_values(root))
        if depth > MAX_DEPTH:
            _refuse(node, filename, f"values are nested more than {MAX_DEPTH} levels deep")
        if node.tag == INT_TAG and len(node.value) > MAX_DIGITS:
            digits = f"a number of {len(node.value):,} characters"
            _refuse(node, filename, f"{digits}; numbers may have at most {MAX_DIGITS} digits")
        if isinstance(node, yaml.MappingNode):
            keys = set()
            for key, value in node.value:
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
                if isinstance(key, yaml.ScalarNode):
                    keys.add(key.value)
                else:
                    repeats = True
            repeats = repeats or len(keys) < len(node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return repeats


def _too_many_values(root: yaml.Node) -> str:
    """Why a file of over MAX_NODES values is refused: its own values, or its aliases'."""
    seen: set[int] = set()
    stack = [root]
    while stack and len(seen) <= MAX_NODES:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    if len(seen) > MAX_NODES:
        return f"the file holds more than {MAX_NODES:,} values (a scenario needs far fewer)"
    return f"aliases expand to more than {MAX_NODES:,} values"


def _refuse(node: yaml.Node, filename: str, why: str) -> None:
    mark = node.start_mark
    raise ScenarioError([Problem(filename, mark.line + 1, mark.column + 1, "", f"{why}; refused")])


def _record_positions(
    node: yaml.Node, path: Path, out: dict, repeated: list[Problem], filename: str
) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    _check_characters(node, path, repeated, filename)
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = path + (key.value,)
                _check_characters(key, child, repeated, filename)
                where = (key.start_mark.line + 1, key.start_mark.column + 1)
                if key.value in seen:
                    message = f"key {key.value!r} appears twice here; keep one"
                    repeated.append(Problem(filename, *where, dotted(child), message))
                seen.add(key.value)
                out[child] = where
                _record_positions_value(value, child, out, repeated, filename)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, path + (index,), out, repeated, filename)


def _record_positions_value(
    node: yaml.Node, path: Path, out: dict, repeated: list[Problem], filename: str
) -> None:
    """Record a mapping value's children; the key's own position is kept for the path."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        saved = out.pop(path)
        _record_positions(node, path, out, repeated, filename)
        out[path] = saved
    else:
        _check_characters(node, path, repeated, filename)


def _check_characters(node: yaml.Node, path: Path, problems: list[Problem], filename: str) -> None:
    """A scalar written with an escape for a control character (`"\\e"`, `"\\x9b"`) is refused:
    text is shown as written, and a terminal would act on it."""
    if isinstance(node, yaml.ScalarNode) and (found := CONTROL.search(node.value)):
        mark = node.start_mark
        message = (
            f"holds a control character ({ascii(found.group())[1:-1]}); text is shown as "
            "written, so remove it (newlines and tabs are fine)"
        )
        problems.append(Problem(filename, mark.line + 1, mark.column + 1, dotted(path), message))
