"""What `make test`'s --color=no is for: nbval's report of a notebook whose output differs is
coloured ("\x1b[94m...") under pytest's default --color, even into a pipe, and plain with --color=no."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat


def nbval_report(folder: Path, *options: str) -> str:
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2\n")]  # not what it prints
    notebook.cells = [cell]
    nbformat.write(notebook, folder / "differs.ipynb")
    env = {key: value for key, value in os.environ.items() if key not in ("PYTEST_ADDOPTS", "NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", "-p", "no:xdist"]
        + ["--nbval", "--nbval-current-env", "-o", "addopts=", "--rootdir", str(folder), *options, "differs.ipynb"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr  # the cell's output differs
    return result.stdout


def test_nbval_writes_colour_codes_into_a_pipe_unless_color_is_no(tmp_path):
    assert "\x1b[" in nbval_report(tmp_path)
    plain = nbval_report(tmp_path, "--color=no")
    assert "\x1b[" not in plain and "differs.ipynb" in plain
