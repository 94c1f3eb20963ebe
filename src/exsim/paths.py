"""Where exsim keeps and finds things: bundled scenarios and schemas (package data), the user's
scenarios, the data folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "exsim"
DATA_DIR_ENV = "EXSIM_DATA_DIR"
CACHE_DIR_ENV = "EXSIM_CACHE_DIR"
LOG_DIR_ENV = "EXSIM_LOG_DIR"
PACKAGE = Path(__file__).resolve().parent
BUNDLED_SCENARIOS = PACKAGE / "bundled"
"""The bundled scenarios, with their source texts in `sources/`: the top-level `scenarios/` folder,
linked here (`src/exsim/bundled`) so that every install, a wheel included, carries it."""
SCHEMA_DIR = PACKAGE / "schema"
"""The published JSON Schemas (scenario, debrief, class report), shipped inside the package."""
SCHEMA_FILE = SCHEMA_DIR / "scenario.schema.json"
DEFAULT_SCENARIO = "november_1962"


def data_dir(override: str | Path | None = None) -> Path:
    """The user data folder: *override*, else $EXSIM_DATA_DIR, else the platform's."""
    chosen = override or os.environ.get(DATA_DIR_ENV)
    return Path(chosen) if chosen else platformdirs.user_data_path(APP)


def cache_dir() -> Path:
    """Files exsim can always rebuild: $EXSIM_CACHE_DIR, else the platform's cache folder."""
    chosen = os.environ.get(CACHE_DIR_ENV)
    return Path(chosen) if chosen else platformdirs.user_cache_path(APP)


def log_file() -> Path:
    """Where the game writes the full report of an unexpected error.

    $EXSIM_LOG_DIR; else, when a data folder was chosen (--data-dir, $EXSIM_DATA_DIR), its
    `log` folder, kept with the data; else the platform's log folder (~/.local/state/exsim/log
    on Linux).
    """
    chosen = os.environ.get(LOG_DIR_ENV)
    if chosen:
        return Path(chosen) / "exsim.log"
    if os.environ.get(DATA_DIR_ENV):
        return data_dir() / "log" / "exsim.log"
    return platformdirs.user_log_path(APP) / "exsim.log"


def walked_marker(content_hash: str, version: str) -> Path:
    """Marks a scenario text whose every path this version of exsim has walked without fault."""
    return cache_dir() / "walked" / f"{content_hash}-{version}"


def store_file(override: str | Path | None = None) -> Path:
    """The session store: one SQLite database in the data folder."""
    return data_dir(override) / "sessions.sqlite3"


def class_key_file(code: str, override: str | Path | None = None) -> Path:
    """Where the facilitator's key of class *code* is kept (readable by its owner only)."""
    return data_dir(override) / "classes" / f"{code}.key"


def class_url_file(code: str, override: str | Path | None = None) -> Path:
    """Where the address students open for class *code* is kept (`facilitate --url`)."""
    return data_dir(override) / "classes" / f"{code}.url"


def seat_secret_file(override: str | Path | None = None) -> Path:
    """The class server's secret that signs the seats it gives browsers (its owner's only)."""
    return data_dir(override) / "classes" / "seats.secret"


def documents_dir() -> Path:
    """Where the console saves debriefs and class comparisons: the user's downloads folder
    when it exists, else `documents` in the data folder (created)."""
    downloads = platformdirs.user_downloads_path()
    if downloads.is_dir():
        return downloads
    folder = data_dir() / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def user_scenarios_dir(override: str | Path | None = None) -> Path:
    """Where a user's own scenario files go."""
    return data_dir(override) / "scenarios"


def scenario_files(override: str | Path | None = None) -> list[Path]:
    """Bundled scenarios, then the user's own, each sorted by name: regular files only.

    A named pipe, device or folder named *.yaml in the scenarios folder is passed over (reading
    it would block or never end).
    """
    found: list[Path] = []
    for folder in (BUNDLED_SCENARIOS, user_scenarios_dir(override)):
        try:
            entries = sorted(folder.iterdir()) if folder.is_dir() else []
        except OSError:
            continue  # an unreadable folder holds no scenarios we can open
        found += [p for p in entries if p.suffix in {".yaml", ".yml"} and p.is_file()]
    return found


def resolve_scenario(name: str, override: str | Path | None = None) -> Path:
    """A scenario file from a path, a file name without .yaml, or an id with - or _."""
    as_path = Path(name)
    if as_path.is_file():
        return as_path
    return named_scenario(name, override)


def scenario_name(scenario_id: str) -> str:
    """The name a person knows a scenario by: its file's name (november-1962), not its id."""
    return scenario_id.replace("_", "-")


def named_scenario(name: str, override: str | Path | None = None) -> Path:
    """A scenario file by name only (its file name without .yaml, - or _), never as a path.

    For names that come from data, such as a saved session's scenario id.
    """
    wanted = name.replace("-", "_")
    for path in scenario_files(override):
        if path.stem.replace("-", "_") == wanted:
            return path
    known = ", ".join(p.stem for p in scenario_files(override)) or "none"
    raise LookupError(f"no scenario file or name {name!r} (known: {known})")
