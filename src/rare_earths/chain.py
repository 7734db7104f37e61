"""The notebook chain: which notebooks run, in what order, with which parameters, and how.

`NOTEBOOKS` is the one list of the chain's notebooks, in run order. Each is executed by papermill
into reports/executed/, with only the parameters it declares in its `parameters` cell, and only
those that differ from the defaults injected (so a run with defaults injects nothing). The
executed copy is scrubbed of what changes from run to run (papermill's timings, absolute paths)
before it is written.
"""

from __future__ import annotations

import ast
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from . import atomic, paths

NOTEBOOKS = (
    "01-sources-and-units.ipynb",
    "02-reserves-and-production.ipynb",
    "03-trade.ipynb",
    "04-demand.ipynb",
    "05-capacity-and-policy.ipynb",
    "06-audit.ipynb",
)

KERNEL = "python3"


class NotebookFailed(RuntimeError):
    """A notebook raised: names the notebook and the cell, and where its executed copy is."""

    def __init__(self, notebook: str, cell: int | None, error: str, kept: Path):
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"cell {cell}" if cell is not None else "before any cell ran"
        super().__init__(f"{notebook} failed in {where}: {error}\n  the executed copy is kept for debugging: {paths.relative(kept)}")


@dataclass(frozen=True)
class Result:
    notebook: str
    seconds: float
    output: Path


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names and literal defaults of a notebook's `parameters` cell."""
    import papermill  # imported on use: it costs a second, and most commands never run a notebook

    # papermill reports each default as the source text of its literal ("'MCS2025'", "84.57").
    return {name: ast.literal_eval(spec["default"]) for name, spec in papermill.inspect_notebook(str(notebook)).items()}


def parameters_cells(notebook: nbformat.NotebookNode) -> list[int]:
    return [index for index, cell in enumerate(notebook.cells) if "parameters" in cell.get("metadata", {}).get("tags", [])]


def scrub(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove what differs between two runs of the same notebook: timings, paths, versions."""
    notebook.metadata.pop("papermill", None)
    notebook.metadata.get("language_info", {}).pop("version", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    return notebook


def write_notebook(notebook: nbformat.NotebookNode, path: Path) -> None:
    """Write atomically, so a reader never sees half a notebook."""
    atomic.write_text(path, nbformat.writes(notebook) + "\n")


def execute(name: str, values: dict[str, Any], output_dir: Path, *, notebooks_dir: Path | None = None) -> Result:
    """Run one notebook with papermill; raise NotebookFailed naming the cell if it fails.

    papermill writes the executed notebook to a temporary file as it goes. On success that is
    scrubbed and moved into place; on failure it is kept under `failed/` for debugging, and the
    previous executed copy, if any, is left as it was.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    notebook = (notebooks_dir or paths.NOTEBOOKS) / name
    output = output_dir / name
    output.parent.mkdir(parents=True, exist_ok=True)
    defaults = declared_parameters(notebook)
    overrides = {key: values[key] for key in defaults if key in values and values[key] != defaults[key]}
    # A copy committed from an earlier run with overrides would carry their injected cell: drop it.
    source_notebook = nbformat.read(notebook, as_version=4)
    source_notebook.cells = [cell for cell in source_notebook.cells if "injected-parameters" not in cell.metadata.get("tags", [])]
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".running.ipynb", dir=output_dir)
    os.close(handle)
    started = time.perf_counter()
    try:
        papermill.execute_notebook(
            source_notebook, temporary, parameters=overrides or None, kernel_name=KERNEL, cwd=str(notebook.parent),
            progress_bar=False, log_output=False,
        )
    except PapermillExecutionError as error:
        kept = output_dir / "failed" / name
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, kept)
        raise NotebookFailed(name, error.exec_count, f"{error.ename}: {error.evalue}", kept) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    executed = nbformat.read(temporary, as_version=4)
    Path(temporary).unlink()
    write_notebook(scrub(executed), output)
    (output_dir / "failed" / name).unlink(missing_ok=True)
    return Result(name, time.perf_counter() - started, output)


def run(values: dict[str, Any], output_dir: Path | None = None, names: tuple[str, ...] = NOTEBOOKS,
        *, notebooks_dir: Path | None = None, echo=print) -> list[Result]:
    """Execute the chain in order; stop at the first failing notebook."""
    output_dir = output_dir or paths.EXECUTED
    results = []
    for index, name in enumerate(names, start=1):
        echo(f"[{index}/{len(names)}] {name} ...")
        result = execute(name, values, output_dir, notebooks_dir=notebooks_dir)
        echo(f"[{index}/{len(names)}] {name} done in {result.seconds:.1f} s")
        results.append(result)
    return results
