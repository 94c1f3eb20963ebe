"""Read a scenario file: safe YAML, then the format's shape, then its cross-references."""

from __future__ import annotations

import copy
import difflib
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from exsim.scenario.checks import check_references
from exsim.scenario.model import Scenario
from exsim.scenario.problems import Problem, ScenarioError, dotted
from exsim.scenario.sourcetext import check_source_texts
from exsim.scenario.yamlsafe import Located, impossible_date, load_text, read_text

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario that passed the shape and reference checks, with where it came from."""

    scenario: Scenario
    path: str
    located: Located
    content_hash: str

    def problem(self, key_path: tuple, message: str) -> Problem:
        """A problem placed at *key_path* of this file."""
        line, col = self.located.where(key_path)
        return Problem(self.path, line, col, dotted(key_path), message)


def read_scenario(path: str | Path) -> ScenarioFile:
    """Load and check a scenario file, and the source texts beside it; raise ScenarioError
    listing every problem in file order."""
    loaded = parse_scenario(read_text(path), str(path))
    problems = check_source_texts(loaded)
    if problems:
        raise ScenarioError(problems)
    return loaded


def parse_scenario(text: str, filename: str) -> ScenarioFile:
    """Check scenario *text*, naming *filename* in problems."""
    located = load_text(text, filename)
    digest = hashlib.sha256(text.encode()).hexdigest()
    try:
        scenario = validate_located(Scenario, located, filename)
    except ScenarioError as exc:
        found = exc.problems + _references_past_key_slips(located, filename, digest)
        raise ScenarioError(sorted(found, key=lambda p: (p.line, p.column))) from None
    loaded = ScenarioFile(scenario, filename, located, digest)
    problems = check_references(loaded)
    if problems:
        raise ScenarioError(problems)
    return loaded


def _references_past_key_slips(located: Located, filename: str, digest: str) -> list[Problem]:
    """The reference problems of a file whose only shape problems are unknown keys: checked as
    if each were spelt as the missing key it is close to, or absent, so that one reading
    reports both kinds. Nothing when any other shape problem stands in the way."""
    try:
        Scenario.model_validate(located.data)
    except ValidationError as exc:
        repaired = _without_key_slips(located, exc.errors())
    else:
        return []
    if repaired is None:
        return []
    try:
        scenario = Scenario.model_validate(repaired.data)
    except ValidationError:
        return []
    return check_references(ScenarioFile(scenario, filename, repaired, digest))


def _without_key_slips(located: Located, errors: list) -> Located | None:
    data = copy.deepcopy(located.data)
    positions = dict(located.positions)
    locs = [(tuple(p for p in e["loc"] if not _is_tag(p)), e["type"]) for e in errors]
    missing = {loc for loc, kind in locs if kind == "missing"}
    for loc, kind in locs:
        if kind == "missing":
            continue  # a rename below may supply it; validating again tells
        if kind != "extra_forbidden" or not loc:
            return None
        try:
            parent: Any = data
            for part in loc[:-1]:
                parent = parent[part]
            value = parent.pop(loc[-1])
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        model = _model_at(Scenario, loc[:-1])
        known = list(model.model_fields) if model else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close and loc[:-1] + (close[0],) in missing and close[0] not in parent:
            parent[close[0]] = value
            renamed = loc[:-1] + (close[0],)
            for path, where in located.positions.items():
                if path[: len(loc)] == loc:
                    positions[renamed + path[len(loc) :]] = where
    return Located(data, positions)


def validate_located(model: type[M], located: Located, filename: str) -> M:
    """Validate parsed YAML against *model*; problems carry file positions and hints."""
    if not isinstance(located.data, dict):
        raise ScenarioError([Problem(filename, 1, 1, "", "expected a mapping of keys at the top")])
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors()
        slips = _key_slips(model, errors)
        raise ScenarioError(
            [
                _shape_problem(model, err, located, filename, slips)
                for err in errors
                if _location(err) not in slips.values()
            ]
        ) from None


def _location(err: Mapping[str, Any]) -> tuple:
    return tuple(p for p in err["loc"] if not _is_tag(p))


def _key_slips(model: type[BaseModel], errors: list) -> dict[tuple, tuple]:
    """Unknown key → the missing required key it is close to (a misspelling): reported once,
    as the misspelling, not also as a missing key."""
    missing = {_location(e) for e in errors if e["type"] == "missing"}
    slips = {}
    for err in errors:
        loc = _location(err)
        if err["type"] != "extra_forbidden" or not loc:
            continue
        found = _model_at(model, loc[:-1])
        known = list(found.model_fields) if found else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if close and loc[:-1] + (close[0],) in missing:
            slips[loc] = loc[:-1] + (close[0],)
    return slips


def _shape_problem(
    model: type[BaseModel],
    err: Mapping[str, Any],
    located: Located,
    filename: str,
    slips: dict,
) -> Problem:
    loc = _location(err)
    kind = err["type"]
    given = err.get("input")
    if loc[-1:] == ("[key]",):
        loc = loc[:-1]
    line, col = located.where(loc)
    if err["loc"][-1:] == ("[key]",) and kind == "string_type":
        message = f'a key here must be text: write it in quotes ("{err["input"]}")'
    elif kind == "extra_forbidden" and (split := _comma_split(located, loc)):
        message = split
    elif loc in slips:
        message = (
            f"unknown key {loc[-1]!r}; did you mean {slips[loc][-1]!r}? (a key required here, "
            "and missing)"
        )
    elif kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}" + _did_you_mean(model, loc)
    elif kind == "missing":
        message = f"required key {loc[-1]!r} is missing"
    elif kind == "string_pattern_mismatch" and "#" in err["ctx"]["pattern"]:
        message = "a citation is a source id, optionally with #paragraph (e.g. frus_xi_143#3)"
    elif kind == "string_pattern_mismatch" and loc[-1] == "file":
        message = (
            f"{err['input']!r}: a source's file is a path inside the scenario's folder, "
            "such as sources/doc.txt (no .., no leading /)"
        )
    elif kind == "string_pattern_mismatch":
        message = "an id uses lower-case letters, digits and _, starting with a letter"
    elif kind == "string_type" and isinstance(err.get("input"), int) and loc[-1] == "time":
        message = 'put times in quotes ("10:00"): unquoted, YAML reads 10:00 as a number'
    elif kind.startswith("date_") and (wrong := impossible_date(given)):
        message = wrong
    elif kind == "string_type" and isinstance(given, bool):
        written = _written(located, loc, str(given).lower())
        message = (
            f"YAML read {written} as {str(given).lower()} (a yes/no value), but text belongs "
            f'here: put it in quotes, "{written}"'
        )
    elif kind == "string_type" and isinstance(given, int | float):
        written = _written(located, loc, str(given))
        message = (
            f'YAML read {written} as a number, but text belongs here: put it in quotes, "{written}"'
        )
    elif kind == "too_short" and isinstance(given, list | dict) and not given:
        message = "this list is empty: give at least one item"
    elif kind.startswith("date_"):
        message = (
            f"a date is written YYYY-MM-DD, e.g. 1962-11-16 (quoted or not), "
            f"not {err.get('input')!r}"
        )
    elif kind == "list_type" and isinstance(err.get("input"), str):
        items = [part.strip() for part in err["input"].split(",") if part.strip()]
        message = (
            f"a list belongs here: write [{', '.join(items)}], or one item per line "
            "starting with '- '"
        )
    else:
        message = err["msg"][0].lower() + err["msg"][1:]
    return Problem(filename, line, col, dotted(loc), message)


def _written(located: Located, loc: tuple, default: str) -> str:
    """A scalar value as written in the file (`No`, `0.10`), from the line *loc* is on."""
    line, col = located.where(loc)
    rest = located.line(line)[col - 1 :]
    if loc and isinstance(loc[-1], str) and rest.startswith(loc[-1]):
        rest = rest[len(loc[-1]) :].lstrip().removeprefix(":")
    value = rest.split(" #")[0].strip()
    for end in ",]}":
        value = value.split(end)[0].strip()
    return value or default


def _comma_split(located: Located, loc: tuple) -> str | None:
    """For a key with no value that follows another in the same mapping: the text of that
    key's value was probably cut at an unquoted comma in a `{…}` mapping."""
    parent: Any = located.data
    try:
        for part in loc[:-1]:
            parent = parent[part]
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(parent, dict) or parent.get(loc[-1], "") is not None:
        return None
    keys = list(parent)
    at = keys.index(loc[-1])
    if at == 0 or not isinstance(parent[keys[at - 1]], str):
        return None
    before = keys[at - 1]
    joined = f"{parent[before]}, {loc[-1]}".replace('"', '\\"')
    return (
        f"{loc[-1]!r} is read as a key: in a {{…}} mapping a comma ends a value, so text "
        f'that contains a comma must be quoted: {before}: "{joined}"'
    )


def _is_tag(part: object) -> bool:
    """Whether a part of a pydantic error location names a union member, not a key."""
    return isinstance(part, str) and (
        part.startswith(("list[", "function-", "constrained-str")) or part in {"str", "dict"}
    )


def _did_you_mean(root: type[BaseModel], loc: tuple) -> str:
    model = _model_at(root, loc[:-1])
    if model is None:
        return ""
    known = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"{hint} (keys here: {', '.join(known)})"


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that describes the mapping at *loc*."""
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return None
        inner = _model_in(field.annotation)
        if inner is None:
            return None
        model = inner
    return model


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
