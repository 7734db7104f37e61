#!/usr/bin/env python3
"""Check that notebooks are committed as the chain runs them: executed top to bottom once with the
default parameters, without an error, and with no absolute path or memory address in them.

    .venv/bin/python tools/check_notebooks.py notebooks/*.ipynb

The pre-commit hook runs it on the notebooks a commit changes; tests/build/test_chain.py runs it on
every notebook. Exit 1 with one line per problem (`make notebooks` fixes most).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

# A path of this machine or a CPython object's address: neither may reach a committed notebook.
MACHINE_DETAIL = re.compile(r"/work/|/tmp/|/root/|/home/|/Users/|[A-Z]:\\\\|0x[0-9a-f]{8,}")


def problems(path: Path) -> list[str]:
    """What keeps the notebook at `path` from being committed as it is; empty if nothing does."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # any reason it cannot be read is the one problem to report
        return [f"{path}: not a readable notebook ({error})"]
    found = []
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if [cell.execution_count for cell in code] != list(range(1, len(code) + 1)):
        found.append("not executed top to bottom once: run `make notebooks`")
    text = nbformat.writes(notebook)
    if '"output_type": "error"' in text:
        found.append("a cell ended in an error")
    if match := MACHINE_DETAIL.search(text):
        found.append(f"a path or memory address of this machine: {match.group()!r}")
    papermill = notebook.metadata.get("papermill", {})
    if papermill.get("parameters") or any(
        "injected-parameters" in cell.metadata.get("tags", []) for cell in notebook.cells
    ):
        found.append("run with parameters other than the defaults: run `make notebooks`")
    if "...</td>" in text:
        found.append("a table cell is cut short")
    return [f"{path}: {problem}" for problem in found]


def main(argv: list[str]) -> int:
    found = [problem for name in argv for problem in problems(Path(name))]
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
