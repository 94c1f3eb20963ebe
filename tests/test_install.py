"""exsim installed as users install Python tools: a wheel in a fresh environment, run from
outside the source tree, has its bundled scenario, source texts and schemas.

The wheel is built from a copy of the tree (so no stale `build/` can hide a missing file) and
installed without its dependencies, which the new environment borrows from this one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "exsim"


def run(*cmd: str | Path, cwd: Path, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    tree = work / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for folder in ("src", "scenarios"):  # src/exsim/bundled stays a link to scenarios/
        shutil.copytree(ROOT / folder, tree / folder, ignore=ignore, symlinks=True)
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", work, tree, cwd=work)
    return next(work.glob("exsim-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """A fresh venv with the wheel installed: (its bin folder, the environment to run it in)."""
    work = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(work / "venv")
    bin_dir = work / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    site = Path(
        run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=work
        ).strip()
    )
    (site / "exsim-test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "-q",
        wheel,
        cwd=work,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {"EXSIM_DATA_DIR": str(work / "data"), "EXSIM_CACHE_DIR": str(work / "cache")}
    return bin_dir, env


def test_the_wheel_holds_every_file_of_the_package(wheel):
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    in_tree = {
        p.relative_to(PACKAGE.parent).as_posix()
        for p in PACKAGE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert in_tree - in_wheel == set()
    assert "exsim/bundled/november-1962.yaml" in in_wheel
    assert "exsim/bundled/sources/README.md" in in_wheel


def test_the_top_of_the_tree_has_the_design_cards_layout():
    """pyproject.toml, README.md, src/exsim/, scenarios/, tests/, docs/ at the top; the package's
    bundled folder is a link to scenarios/, not a second copy."""
    for name in ("pyproject.toml", "README.md", "src/exsim", "scenarios", "tests", "docs"):
        assert (ROOT / name).exists(), name
    assert (PACKAGE / "bundled").is_symlink()
    assert (PACKAGE / "bundled").resolve() == (ROOT / "scenarios").resolve()
    assert sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")) == ["november-1962.yaml"]


def test_an_installed_exsim_describes_and_validates_the_bundled_scenario(installed, tmp_path):
    bin_dir, env = installed
    where = run(
        bin_dir / "python",
        "-c",
        "import exsim.paths as p; print(p.BUNDLED_SCENARIOS)",
        cwd=tmp_path,
        env=env,
    )
    bundled = Path(where.strip())
    assert bundled.is_relative_to(bin_dir.parent), bundled  # the installed copy, not the tree
    out = run(bin_dir / "exsim", "describe", "november-1962", cwd=tmp_path, env=env)
    assert out.startswith("November 1962: the bombers, the quarantine and the pledge")
    scenario = bundled / "november-1962.yaml"
    out = run(bin_dir / "exsim", "validate", scenario, cwd=tmp_path, env=env)
    assert out.startswith(f"{scenario}: ok (november_1962")
    schema = run(bin_dir / "exsim", "schema", cwd=tmp_path, env=env)
    assert schema == (bundled.parent / "schema" / "scenario.schema.json").read_text()
    locate = run(bin_dir / "exsim", "locate", cwd=tmp_path, env=env)
    assert f"bundled scenarios  {bundled}" in locate
