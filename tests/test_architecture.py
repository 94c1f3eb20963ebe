"""Layering rules: the engine and scenario packages never import Textual."""

from __future__ import annotations

import subprocess
import sys


def test_engine_imports_no_textual():
    code = (
        "import sys, exsim.engine, exsim.engine.compare, exsim.engine.explore, "
        "exsim.engine.diagram, exsim.engine.script, exsim.scenario.loader, exsim.cli; "
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
