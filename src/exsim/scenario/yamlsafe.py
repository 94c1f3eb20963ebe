"""Safe YAML loading that remembers where every value sits in the file.

Uses the C safe loader when PyYAML was built with libyaml, else the pure-Python one.
Refuses oversized files and alias bombs before constructing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path as FilePath

import yaml

from exsim.scenario.problems import Problem, ScenarioError

try:
    SafeLoader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml
    SafeLoader = yaml.SafeLoader

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000

Path = tuple  # a key path: ("phases", 0, "decisions", 1, "id")


@dataclass(frozen=True)
class Located:
    """A document's data, and the (line, column) of each key path, 1-based."""

    data: object
    positions: dict[Path, tuple[int, int]]

    def where(self, path: Path) -> tuple[int, int]:
        """Position of the longest prefix of *path* that is in the file."""
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
        return self.positions.get(path, (1, 1))


def read_text(path: str | FilePath) -> str:
    """A file's text, refusing oversized, unreadable and non-UTF-8 files with a Problem."""
    name = str(path)
    try:
        size = FilePath(path).stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(
                [Problem(name, 1, 1, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
            )
        raw = FilePath(path).read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, 1, 1, "", f"cannot read: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(name, 1, 1, "", f"not UTF-8 text ({exc.reason})")]) from None


def load_text(text: str | bytes, filename: str) -> Located:
    """Parse one YAML document safely; raise ScenarioError with file:line:col on failure."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_BYTES:
        raise ScenarioError(
            [Problem(filename, 1, 1, "", f"file is {size:,} bytes; the limit is {MAX_BYTES:,}")]
        )
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Problem(filename, 1, 1, "", "the file is empty")])
        _check_expansion(node, filename)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ScenarioError([Problem(filename, line, col, "", f"YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(filename, 1, 1, "", f"YAML: {exc}")]) from None
    finally:
        loader.dispose()
    positions: dict[Path, tuple[int, int]] = {}
    _record_positions(node, (), positions)
    return Located(data, positions)


def _check_expansion(root: yaml.Node, filename: str) -> None:
    """Refuse documents whose aliases would expand beyond MAX_NODES nodes."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        kids = _children(node)
        if children_done or not kids:
            sizes[id(node)] = 1 + sum(sizes[id(k)] for k in kids)
            if sizes[id(node)] > MAX_NODES:
                mark = node.start_mark
                raise ScenarioError(
                    [
                        Problem(
                            filename,
                            mark.line + 1,
                            mark.column + 1,
                            "",
                            f"aliases expand to more than {MAX_NODES:,} values; refused",
                        )
                    ]
                )
        else:
            stack.append((node, True))
            stack.extend((k, False) for k in kids if id(k) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _record_positions(node: yaml.Node, path: Path, out: dict) -> None:
    out[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = path + (key.value,)
                out[child] = (key.start_mark.line + 1, key.start_mark.column + 1)
                _record_positions_value(value, child, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_positions(item, path + (index,), out)


def _record_positions_value(node: yaml.Node, path: Path, out: dict) -> None:
    """Record a mapping value's children; the key's own position is kept for the path."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        saved = out.pop(path)
        _record_positions(node, path, out)
        out[path] = saved
