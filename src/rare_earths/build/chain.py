"""The notebook chain: which notebooks run, and how.

`CHAIN` is the one list of the chain's steps, in order: each a notebook, with the notebooks whose
outputs it needs. `run` executes the steps that are out of date on an executor:

- **Incremental.** Beside each executed notebook, `NAME.inputs.json` records what it was made
  from (its code, the parameters it declares, the lock, and the data files and project modules
  its kernel used, observed as it ran) and what it made; a step whose record still holds is skipped.
- **Parallel.** Each notebook is a `Task` for an executor (`rare_earths.build.executors`): local
  processes, one notebook each, or a Dask cluster. A kernel that fails to start is retried; a
  notebook past its time limit is interrupted; a dead kernel is reported with its cell.
- **Fault-tolerant.** A failing notebook keeps its executed copy under `failed/` and stops only
  the steps that need it; the others run on. Every output is moved into place whole.

Executed copies keep papermill's parameters and lose only what changes between identical runs.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
import os
import shutil
import sys
import tempfile
import threading
import time
from argparse import ArgumentTypeError
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import atomic, paths
from rare_earths.errors import InputError, Problem

# The project's kernel, registered inside .venv/ by `make venv` (ipykernel install --sys-prefix).
KERNEL = "rare-earths"
JOBS = os.cpu_count() or 1
TIMEOUT_SECONDS = 600.0  # per notebook; the slowest takes about 3 s
RETRIES = 1  # extra attempts for a worker whose kernel did not start


@dataclass(frozen=True)
class Step:
    """One notebook of the chain, and the notebooks whose outputs it needs (none today). What it
    reads is not declared: it is observed as it runs (`rare_earths.observed`)."""

    notebook: str
    needs: tuple[str, ...] = ()


CHAIN = (
    Step("01-sources-and-units.ipynb"),
    Step("02-reserves-and-production.ipynb"),
    Step("03-trade.ipynb"),
    Step("04-demand.ipynb"),
    Step("05-capacity-and-policy.ipynb"),
    Step("06-audit.ipynb"),
)
NOTEBOOKS = tuple(step.notebook for step in CHAIN)
# What every step depends on besides its own reads: the locked environment, and the project's
# modules it imported when it last ran (observed, so an edit to the site's code reruns no notebook).
LIBRARY = "src/rare_earths"
SHARED_INPUTS = ("requirements.lock",)
# What a step that has not run yet may depend on: the whole library and all the data.
EVERYTHING = (LIBRARY, "data")
# Run in a notebook's kernel after its cells: the project modules it imported and the data it read.
_OBSERVED_CODE = (
    "import json as _json, sys as _sys\n"
    "_seen = _sys.modules.get('rare_earths.observed')\n"
    "print(_json.dumps(sorted([getattr(_m, '__file__', None) or '' for _n, _m in list(_sys.modules.items())"
    " if _n == 'rare_earths' or _n.startswith('rare_earths.')] + sorted(_seen.READS if _seen else []))))"
)


class NotebookFailed(RuntimeError):
    """A notebook raised: names the notebook and the cell, and where its executed copy is."""

    def __init__(self, notebook: str, cell: int | None, error: str, kept: Path | None):
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"cell {cell}" if cell is not None else "before any cell ran"
        kept_text = f"\n  the executed copy is kept for debugging: {paths.relative(kept)}" if kept else ""
        super().__init__(f"{notebook} failed in {where}: {error}{kept_text}")


class ChainFailed(RuntimeError):
    """One or more notebooks failed (and the steps needing them did not run)."""

    def __init__(self, outcomes: list[Outcome]):
        self.outcomes = outcomes
        failed = [outcome for outcome in outcomes if outcome.status == "failed"]
        blocked = [outcome.notebook for outcome in outcomes if outcome.status == "blocked"]
        lines = [outcome.failure_line() for outcome in failed]
        if blocked:
            lines.append(f"not run, as they need a failed notebook: {', '.join(blocked)}")
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Result:
    notebook: str
    seconds: float
    output: Path


@dataclass
class Outcome:
    """What happened to one step in a run: `action` run or skipped; `status` ok, unchanged,
    failed or blocked (a notebook it needs failed)."""

    notebook: str
    action: str
    status: str
    seconds: float = 0.0
    cell: int | None = None
    error: str = ""
    kept: str = ""
    attempts: int = 0

    def failure_line(self) -> str:
        where = f"cell {self.cell}" if self.cell is not None else "before any cell ran"
        kept = f" (executed copy: {self.kept})" if self.kept else ""
        return f"{self.notebook} failed in {where}: {self.error}{kept}"


def skip_slow_imports() -> None:
    """Keep jsonschema from importing rfc3987_syntax, which builds a grammar at import (0.8 s here).

    nbformat imports jsonschema, which imports rfc3987_syntax, if it is installed, only to check
    the "iri" string format. No notebook schema uses that format. jupyterlab installs the package,
    and every worker would pay for it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: the import fails, jsonschema skips it


# --- the command line's options of a run ---------------------------------------------------------


def time_limit(text: str) -> float:
    """A time limit: a finite number of seconds above 0 (nan or inf would leave a worker unwatched)."""
    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise ArgumentTypeError(f"{text!r}: a time limit must be a finite number of seconds above 0")
    return value


def job_count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise ArgumentTypeError(f"{text!r}: at least 1 notebook must run at a time")
    return value


# --- notebooks -----------------------------------------------------------------------------------


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names and literal defaults of a notebook's `parameters` cell (read without papermill).

    A notebook that cannot be read, has no cell tagged `parameters` (papermill would then drop every
    override without a word), or gives a default that is not a literal is an InputError naming it.
    """
    where = paths.relative(notebook)
    try:
        cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    except json.JSONDecodeError as error:
        raise InputError(
            [Problem(where, f"is not a readable notebook: {error.msg} at column {error.colno}", error.lineno)]
        ) from None
    except (OSError, UnicodeDecodeError, KeyError, TypeError) as error:
        raise InputError([Problem(where, f"is not a readable notebook: {error}")]) from None
    tagged = [
        cell for cell in cells if isinstance(cell, dict) and "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    if not tagged:
        raise InputError(
            [
                Problem(
                    where,
                    "has no cell tagged 'parameters'; tag the cell that assigns its defaults "
                    "(an empty one, if it uses none), or overrides would be dropped",
                )
            ]
        )
    source = _source(tagged[0])
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise InputError(
            [Problem(where, f"its parameters cell is not Python: {error.msg} (cell line {error.lineno})")]
        ) from None
    found = {}
    for statement in tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            try:
                found[statement.targets[0].id] = ast.literal_eval(statement.value)
            except ValueError:
                raise InputError(
                    [
                        Problem(
                            where,
                            f"parameter {statement.targets[0].id}: its default is not a literal "
                            f"(cell line {statement.lineno}); write the value itself",
                        )
                    ]
                ) from None
    return found


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def parameters_cells(notebook) -> list[int]:
    return [
        index for index, cell in enumerate(notebook.cells) if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]


# papermill's record of a run that stays: what it ran with. Times, durations and the environment go.
PAPERMILL_KEPT = ("parameters", "default_parameters", "version")
INJECTED_CELL_ID = "injected-parameters"


def scrub(notebook, source: Path | None = None, output: Path | None = None, overrides: dict[str, Any] | None = None):
    """Remove only what differs between two identical runs: times, durations, absolute paths, the
    Python patch version, the injected cell's random id. papermill's record of the run stays, with
    `default_parameters` (the notebook's own) and `parameters` (the overrides it ran with), so tools
    that read an executed notebook's parameters find them."""
    record = notebook.metadata.get("papermill")
    if record is not None:
        kept = {key: record[key] for key in PAPERMILL_KEPT if key in record}
        if source is not None:
            kept["default_parameters"] = declared_parameters(source)
            kept["input_path"] = _portable(source)
        if output is not None:
            kept["output_path"] = _portable(output)
        if overrides is not None:
            kept["parameters"] = dict(sorted(overrides.items()))
        notebook.metadata["papermill"] = dict(sorted(kept.items()))
    notebook.metadata.get("language_info", {}).pop("version", None)
    for cell in notebook.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if INJECTED_CELL_ID in cell.metadata.get("tags", []):
            cell["id"] = (
                INJECTED_CELL_ID  # papermill gives it a random one; nbformat wants ids unique, and there is one
            )
    return notebook


def _portable(path: Path) -> str:
    """A path as an executed notebook records it: relative to the repository, or its name if outside."""
    relative = paths.relative(path)
    return relative if not Path(relative).is_absolute() else Path(path).name


def ran_with(notebook) -> dict[str, Any]:
    """The parameters an executed notebook ran with: its defaults, overridden as papermill recorded."""
    record = notebook.metadata.get("papermill", {})
    return {**record.get("default_parameters", {}), **(record.get("parameters") or {})}


def write_notebook(notebook, path: Path) -> None:
    """Write atomically, so a reader never sees half a notebook."""
    import nbformat

    atomic.write_text(path, nbformat.writes(notebook) + "\n")


def execute(
    name: str,
    values: dict[str, Any],
    output_dir: Path,
    *,
    notebooks_dir: Path | None = None,
    kernel: str = KERNEL,
    timeout: float | None = None,
) -> Result:
    """Run one notebook with papermill, in this process; raise NotebookFailed naming the cell.

    papermill writes the executed notebook to a temporary file as it goes. On success that is
    scrubbed and moved into place; on failure it is kept under `failed/` for debugging, and the
    previous executed copy, if any, is left as it was.
    """
    from jupyter_client.manager import KernelManager

    notebook = (notebooks_dir or paths.NOTEBOOKS) / name
    # The kernel boots in its own process while this one imports papermill (0.3 s saved a notebook).
    # An asynchronous client, so nbclient's check that the kernel is alive runs while a cell waits
    # (a blocking client stalls that check, and a dead kernel was noticed only at the time limit).
    # Over local sockets in a private folder: the kernel is this machine's, so nothing listens on a
    # TCP port (and ipykernel has no unencrypted-TCP warning to print for every notebook).
    sockets = tempfile.mkdtemp(prefix="rare-earths-kernel-")
    kernel_manager = KernelManager(
        kernel_name=kernel,
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
        transport="ipc",
        ip=os.path.join(sockets, "kernel"),
    )
    try:
        kernel_manager.start_kernel(cwd=str(notebook.parent))
        try:
            return _execute(name, values, output_dir, notebook, kernel_manager, timeout)
        finally:
            kernel_manager.shutdown_kernel(now=True)  # its outputs are in; no need to wait for a goodbye
    finally:
        shutil.rmtree(sockets, ignore_errors=True)


def _execute(
    name: str, values: dict[str, Any], output_dir: Path, notebook: Path, kernel_manager, timeout: float | None
) -> Result:
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    output = output_dir / name
    output.parent.mkdir(parents=True, exist_ok=True)
    defaults = declared_parameters(notebook)
    overrides = {key: values[key] for key in defaults if key in values and values[key] != defaults[key]}
    # A copy committed from an earlier run with overrides would carry their injected cell: drop it.
    source_notebook = nbformat.read(notebook, as_version=4)
    source_notebook.cells = [
        cell for cell in source_notebook.cells if "injected-parameters" not in cell.metadata.get("tags", [])
    ]
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".running.ipynb", dir=output_dir)
    os.close(handle)
    started = time.perf_counter()
    # The time limit is the notebook's: when it passes, the kernel is interrupted, which ends the
    # running cell with an error papermill reports like any other (and the run goes on, elsewhere).
    limit = threading.Timer(timeout, kernel_manager.interrupt_kernel) if timeout else None
    if limit is not None:
        limit.daemon = True
        limit.start()
    try:
        papermill.execute_notebook(
            source_notebook,
            temporary,
            parameters=overrides or None,
            kernel_name=kernel_manager.kernel_name,
            km=kernel_manager,
            cwd=str(notebook.parent),
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as error:
        kept = _keep_failed(temporary, output_dir, name)
        if limit is not None and limit.finished.is_set() and error.ename == "KeyboardInterrupt":
            raise NotebookFailed(
                name, error.exec_count, f"timed out after {timeout:g} s (the time limit per notebook)", kept
            ) from None
        raise NotebookFailed(name, error.exec_count, f"{error.ename}: {error.evalue}", kept) from None
    except Exception as error:
        cell = _running_cell(Path(temporary))
        if cell is None:  # no cell ran: let the caller retry a kernel that did not start
            Path(temporary).unlink(missing_ok=True)
            raise
        message = (
            f"the kernel died ({type(error).__name__}: {error})"
            if type(error).__name__ == "DeadKernelError"
            else f"{type(error).__name__}: {error}"
        )
        raise NotebookFailed(name, cell, message, _keep_failed(temporary, output_dir, name)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        if limit is not None:
            limit.cancel()
    executed = nbformat.read(temporary, as_version=4)
    Path(temporary).unlink()
    # What it used of the project, modules and data: its reruns follow changes to these, and no others.
    executed.metadata["rare_earths"] = {"used": kernel_observed(kernel_manager)}
    write_notebook(scrub(executed, notebook, output, overrides), output)
    (output_dir / "failed" / name).unlink(missing_ok=True)
    return Result(name, time.perf_counter() - started, output)


def _keep_failed(temporary: str, output_dir: Path, name: str) -> Path:
    """Keep a failed run's executed copy under failed/, for debugging; the previous good copy stays."""
    kept = output_dir / "failed" / name
    kept.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temporary, kept)
    return kept


def _running_cell(executed: Path) -> int | None:
    """The cell that was running when a notebook stopped (the execution count it would have had), from
    the copy papermill saves as it goes: the last code cell papermill started; None if none had."""
    try:
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None
    code = [cell for cell in cells if cell.get("cell_type") == "code"]
    started = [
        position
        for position, cell in enumerate(code, start=1)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    return started[-1] if started else None


# --- inputs and their hashes ---------------------------------------------------------------------


def _files(relative: str, root: Path) -> list[Path]:
    path = root / relative
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        )
    return [path]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def code_hash(notebook: Path) -> str:
    """The hash of a notebook's cells without their outputs: re-executing it changes nothing here."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [
        (cell["cell_type"], _source(cell))
        for cell in cells
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", [])
    ]
    return hashlib.sha256(json.dumps(code, ensure_ascii=False).encode("utf-8")).hexdigest()


def inputs_of(
    step: Step, values: dict[str, Any], notebooks_dir: Path, root: Path = paths.ROOT, used: Iterable[str] = EVERYTHING
) -> dict[str, Any]:
    """Everything a step's output depends on, as content hashes and parameter values: its code, the
    parameters it declares, the lock, and the files it `used` (project modules and data, observed)."""
    notebook = notebooks_dir / step.notebook
    parameters = {name: values.get(name, default) for name, default in declared_parameters(notebook).items()}
    return {
        "notebook": code_hash(notebook),
        "needs": list(step.needs),
        **fingerprint((*SHARED_INPUTS, *used), parameters, root),
    }


def files_used(manifest: Path, default: Iterable[str] = EVERYTHING) -> list[str]:
    """The files a step used when it last ran, as its manifest records them; `default` if it has no
    manifest (it then runs anyway)."""
    try:
        return list(json.loads(Path(manifest).read_text(encoding="utf-8"))["inputs"]["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return list(default)


def used_here(outputs: Path | None = None) -> list[str]:
    """The project modules this process imported and the data files it read, as repository paths;
    not what it read of its own `outputs` folder (a step checks what it wrote, which is no input)."""
    from rare_earths import observed

    reads = [Path(read) for read in observed.READS]
    if outputs is not None:
        reads = [read for read in reads if not read.is_relative_to(Path(outputs).resolve())]
    return sorted({*imported_modules(), *(paths.relative(read) for read in reads)})


def imported_modules() -> list[str]:
    """The project's modules this process has imported, as repository paths."""
    files = [
        getattr(module, "__file__", None)
        for name, module in list(sys.modules.items())
        if name == "rare_earths" or name.startswith("rare_earths.")
    ]
    main = getattr(
        sys.modules.get("__main__"), "__file__", None
    )  # `python -m rare_earths` runs __main__.py as __main__
    relative = {paths.relative(Path(file)) for file in [*files, main] if file}
    return sorted(name for name in relative if name.startswith(LIBRARY + "/"))


def kernel_observed(kernel_manager) -> list[str]:
    """The project modules a notebook's kernel imported and the data files it read, asked of the
    kernel once its cells have run."""
    from jupyter_client.blocking import BlockingKernelClient

    client = BlockingKernelClient()
    client.load_connection_info(kernel_manager.get_connection_info())
    client.start_channels()
    printed: list[str] = []

    def keep(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"].get("text", ""))

    try:
        client.wait_for_ready(timeout=60)
        client.execute_interactive(_OBSERVED_CODE, store_history=False, timeout=60, output_hook=keep)
    finally:
        client.stop_channels()
    return sorted(paths.relative(Path(file)) for file in json.loads("".join(printed) or "[]") if file)


def recorded_use(executed: Path) -> list[str]:
    """The project modules and data files an executed notebook used, as it records them."""
    metadata = json.loads(Path(executed).read_text(encoding="utf-8")).get("metadata", {})
    return list(metadata.get("rare_earths", {}).get("used", EVERYTHING))


def fingerprint(relatives: Iterable[str | Path], values: dict[str, Any], root: Path = paths.ROOT) -> dict[str, Any]:
    """Content hashes of files (or folders) and parameter values: the inputs of a step that is not a notebook."""
    files = {paths.relative(path): _sha256(path) for relative in relatives for path in _files(relative, root)}
    return {"parameters": dict(sorted(values.items())), "files": dict(sorted(files.items()))}


def unchanged(manifest: Path, inputs: dict[str, Any], outputs: Iterable[Path]) -> bool:
    """Were `outputs` made from exactly these `inputs`, and are they still exactly what was made?
    The manifest records both, so an output changed, lost or left half-replaced since is made again."""
    try:
        recorded = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return recorded == manifest_of(inputs, outputs)


def manifest_of(inputs: dict[str, Any], outputs: Iterable[Path], into: Path | None = None) -> dict[str, Any]:
    """What a manifest records: the inputs, and each output's content hash; outputs hashed where they
    are now and named as files of `into` if given (staged, to be moved there with the manifest)."""
    outputs = sorted(map(Path, outputs))
    return {
        "inputs": inputs,
        "outputs": {paths.relative((into / output.name) if into else output): _sha256(output) for output in outputs},
    }


def manifest_text(inputs: dict[str, Any], outputs: Iterable[Path], into: Path | None = None) -> str:
    """The manifest as written."""
    return json.dumps(manifest_of(inputs, outputs, into), indent=1, sort_keys=True) + "\n"


def remember(manifest: Path, inputs: dict[str, Any], outputs: Iterable[Path]) -> None:
    """Record the inputs an output was made from and what it is; written after the output, so a run
    killed in between leaves an output without its record, which the next run simply makes again."""
    atomic.write_text(manifest, manifest_text(inputs, outputs))


def manifest_path(output_dir: Path, name: str) -> Path:
    return output_dir / f"{Path(name).stem}.inputs.json"


def is_current(step: Step, inputs: dict[str, Any], output_dir: Path) -> bool:
    """Is the executed copy there, and were its recorded inputs exactly these?"""
    return unchanged(manifest_path(output_dir, step.notebook), inputs, [output_dir / step.notebook])


# --- running the chain ---------------------------------------------------------------------------


def _dependents(steps: Iterable[Step], failed: str) -> set[str]:
    """Every step that needs `failed`, directly or through another step."""
    found, changed = set(), True
    while changed:
        changed = False
        for step in steps:
            if step.notebook not in found and ({failed} | found) & set(step.needs):
                found.add(step.notebook)
                changed = True
    return found


def check_parameters(given: Iterable[str], steps: tuple[Step, ...], notebooks_dir: Path | None = None) -> None:
    """Before anything runs: every notebook of the run declares its parameters, and every parameter
    given on the command line is declared by a notebook of the run (else it would change nothing)."""
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS)
    declared = {name for step in steps for name in declared_parameters(notebooks_dir / step.notebook)}
    unused = sorted(set(given) - declared)
    if unused:
        from rare_earths.build.params import ParameterError

        raise ParameterError(
            f"parameter {', '.join(unused)}: no notebook of this run declares it "
            f"({', '.join(step.notebook for step in steps)}); it would change nothing"
        )


def with_needs(names: Iterable[str], steps: tuple[Step, ...] = CHAIN) -> tuple[Step, ...]:
    """The steps named and every step they need, in chain order."""
    by_name = {step.notebook: step for step in steps}
    unknown = sorted(set(names) - set(by_name))
    if unknown:
        raise KeyError(f"no notebook {', '.join(unknown)} in the chain; known: {', '.join(by_name)}")
    wanted, pending = set(), list(names)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending += by_name[name].needs
    return tuple(step for step in steps if step.notebook in wanted)


@dataclass(frozen=True)
class Task:
    """One notebook to run, as sent to a worker (plain values: it may cross to another machine)."""

    notebook: str
    values: dict[str, Any]
    output_dir: str
    notebooks_dir: str
    kernel: str
    timeout: float
    retries: int


def run_task(task: Task) -> Outcome:
    """A worker's job: run one notebook; retry if its kernel did not start; return what happened.
    Every failure comes back as an Outcome, so nothing a worker meets can leave the chain waiting."""
    skip_slow_imports()
    started = time.perf_counter()
    outcome = None
    for attempt in range(1, task.retries + 2):
        try:
            execute(
                task.notebook,
                task.values,
                Path(task.output_dir),
                notebooks_dir=Path(task.notebooks_dir),
                kernel=task.kernel,
                timeout=task.timeout,
            )
            return Outcome(task.notebook, "run", "ok", time.perf_counter() - started, attempts=attempt)
        except NotebookFailed as failure:
            kept = paths.relative(failure.kept) if failure.kept else ""
            return Outcome(
                task.notebook,
                "run",
                "failed",
                time.perf_counter() - started,
                failure.cell,
                failure.error,
                kept,
                attempt,
            )
        except Exception as error:  # no cell ran: the kernel did not start (retried), or the notebook could not be read
            outcome = Outcome(
                task.notebook,
                "run",
                "failed",
                time.perf_counter() - started,
                error=f"{type(error).__name__}: {error}",
                attempts=attempt,
            )
    return outcome


def run(
    values: dict[str, Any],
    output_dir: Path | None = None,
    steps: tuple[Step, ...] = CHAIN,
    *,
    notebooks_dir: Path | None = None,
    force: bool = False,
    jobs: int = JOBS,
    timeout: float = TIMEOUT_SECONDS,
    retries: int = RETRIES,
    kernel: str = KERNEL,
    scheduler: str | None = None,
    echo: Callable[[str], None] = print,
) -> list[Outcome]:
    """Execute the steps that are out of date on an executor (`executors.open_executor`: local
    processes, or a Dask cluster given a `scheduler`), a step once the steps it needs are done;
    returns every step's outcome. Raises ChainFailed after every step that could run has run, if any failed.
    """
    from rare_earths.build import executors

    output_dir = Path(output_dir or paths.EXECUTED)
    notebooks_dir = Path(notebooks_dir or paths.NOTEBOOKS)
    output_dir.mkdir(parents=True, exist_ok=True)
    for stale in output_dir.glob(".*.running.ipynb"):  # left by an interrupted run
        stale.unlink()
    atomic.remove_leftovers(output_dir)
    outcomes: dict[str, Outcome] = {}
    pending: list[tuple[Step, dict[str, Any]]] = []
    for step in steps:
        inputs = inputs_of(step, values, notebooks_dir, used=files_used(manifest_path(output_dir, step.notebook)))
        if not force and is_current(step, inputs, output_dir):
            outcomes[step.notebook] = Outcome(step.notebook, "skipped", "unchanged")
        else:
            pending.append((step, inputs))
    if not pending:
        echo(f"every notebook is up to date ({len(steps)} skipped)")
        return [outcomes[step.notebook] for step in steps]
    total, done = len(pending), 0
    ok = {name for name, outcome in outcomes.items() if outcome.status == "unchanged"}
    with executors.open_executor(jobs, scheduler) as pool:
        running: dict[Future, Step] = {}
        while pending or running:
            for step, inputs in list(pending):  # submit what is ready: the steps it needs are done
                if set(step.needs) <= ok:
                    pending.remove((step, inputs))
                    task = Task(step.notebook, values, str(output_dir), str(notebooks_dir), kernel, timeout, retries)
                    running[pool.submit(run_task, task)] = step
                    echo(f"[{done}/{total} done] submitted {step.notebook}")
            if not running:  # what is left needs a step that is not in this run and not up to date
                for step, _ in pending:
                    outcomes[step.notebook] = Outcome(step.notebook, "skipped", "blocked")
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: running[f].notebook):
                step = running.pop(future)
                done += 1
                try:
                    outcome = future.result()
                except Exception as error:  # the worker itself failed (it died, or the cluster lost it)
                    outcome = Outcome(
                        step.notebook, "run", "failed", error=f"its worker failed: {type(error).__name__}: {error}"
                    )
                outcomes[step.notebook] = outcome
                if outcome.status == "ok":
                    ok.add(step.notebook)
                    executed = output_dir / step.notebook
                    inputs = inputs_of(step, values, notebooks_dir, used=recorded_use(executed))  # as it ran
                    remember(manifest_path(output_dir, step.notebook), inputs, [executed])
                    echo(f"[{done}/{total} done] {step.notebook} ok in {outcome.seconds:.1f} s")
                else:
                    echo(f"[{done}/{total} done] {outcome.failure_line()}")
                    blocked = _dependents(steps, step.notebook)
                    for item in [item for item in pending if item[0].notebook in blocked]:
                        pending.remove(item)
                        outcomes[item[0].notebook] = Outcome(item[0].notebook, "skipped", "blocked")
                        done += 1
    ordered = [outcomes[step.notebook] for step in steps]
    if any(outcome.status == "failed" for outcome in ordered):
        raise ChainFailed(ordered)
    return ordered


def summary(outcomes: list[Outcome]) -> str:
    """The table printed at the end of a run: notebook, run or skipped, seconds, status."""
    lines = [f"{'notebook':<36}{'action':<9}{'seconds':>8}  status"]
    for outcome in outcomes:
        seconds = f"{outcome.seconds:.1f}" if outcome.action == "run" else "-"
        status = outcome.status + (f" (attempts: {outcome.attempts})" if outcome.attempts > 1 else "")
        lines.append(f"{outcome.notebook:<36}{outcome.action:<9}{seconds:>8}  {status}")
    ran = [outcome.seconds for outcome in outcomes if outcome.action == "run"]
    lines.append(f"{'total':<36}{f'{len(ran)} run':<9}{sum(ran):>8.1f}")
    return "\n".join(lines)
