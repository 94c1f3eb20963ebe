"""Layering rules: no module outside tui/ and cli/ imports Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import exsim
from exsim import paths

SCREENS = ("exsim.tui", "exsim.cli", "exsim.__main__")  # the layers that may use Textual


def below_the_screens() -> list[str]:
    """Every module of exsim outside tui/ and cli/ (each of their packages included)."""
    return sorted(
        info.name
        for info in pkgutil.walk_packages(exsim.__path__, "exsim.")
        if not info.name.startswith(SCREENS)
    )


def test_the_layering_covers_every_package():
    found = {name.split(".")[1] for name in below_the_screens() if name.count(".") >= 1}
    assert {"scenario", "engine", "store", "report", "classroom"} <= found


def test_no_module_below_the_screens_imports_textual():
    modules = below_the_screens()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "    if bad:\n"
        "        print(name, 'imports', bad[0]); sys.exit(1)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_cli_starts_without_textual():
    """`exsim` commands other than the game's never load Textual (the game loads it itself)."""
    code = (
        "import sys, exsim.cli\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running *code*."""
    show = "\nimport sys; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code + show], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def loaded(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages or m.startswith(packages))


def test_the_first_screen_imports_only_what_it_draws():
    """`exsim` paints its start screen with click and Textual alone: the scenario model, engine,
    store and reports (pydantic, YAML, SQLite, Markdown) load after the first paint."""
    modules = imported_after("import exsim.cli.play_command, exsim.tui.app")
    later = ("exsim.scenario", "exsim.engine", "exsim.store", "exsim.report", "exsim.classroom")
    assert loaded(modules, *later) == []
    assert loaded(modules, "pydantic", "yaml", "sqlite3", "markdown_it", "transitions") == []


def test_commands_other_than_the_game_never_load_textual():
    """`exsim --help`, `describe` and `validate` do not pay for Textual."""
    bundled = str(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    for args in (["--help"], ["describe", "november-1962"], ["validate", bundled]):
        code = (
            "from exsim.cli import main\n"
            f"try:\n    main({args!r}, standalone_mode=False)\n"
            "except SystemExit:\n    pass\n"
        )
        assert loaded(imported_after(code), "textual") == [], args
