#!/usr/bin/env python3
"""Set up exsim in a local virtual environment and run it: `python3 dev.py play` or `test`.

Needs only Python 3.10+. The first run creates .venv and installs exsim with its test tools;
later runs reinstall only when pyproject.toml changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def setup() -> None:
    """Create .venv and install exsim (editable, with test tools) if needed."""
    if STAMP.exists() and STAMP.stat().st_mtime >= (ROOT / "pyproject.toml").stat().st_mtime:
        return
    if not (BIN / "python").exists() and not (BIN / "python.exe").exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing exsim and its dependencies into .venv …", flush=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.touch()


def run(*cmd: str) -> int:
    return subprocess.run([str(BIN / cmd[0]), *cmd[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    task, rest = (argv[0], argv[1:]) if argv else ("play", [])
    setup()
    if task == "play":
        return run("exsim", *rest)
    if task == "test":
        for step in (
            ("ruff", "check", "src", "tests", "bench", "dev.py"),
            ("ruff", "format", "--check", "src", "tests", "bench", "dev.py"),
            ("mypy",),  # src/, as configured in pyproject.toml
            ("pytest", *rest),
        ):
            code = run(*step)
            if code:
                return code
        return 0
    if task == "exsim":
        return run("exsim", *rest)
    print(f"usage: python3 dev.py [play|test|exsim] [args…]  (unknown task {task!r})")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
