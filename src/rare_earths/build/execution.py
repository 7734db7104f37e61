"""One notebook, run and read: its parameters cell, its execution with papermill in a kernel of its
own (a time limit, a dead kernel reported with its cell, a failed copy kept under `failed/`), and
the scrubbing that leaves an executed copy byte-identical between identical runs.

Executed copies keep papermill's parameters and lose only what changes between identical runs.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import atomic
from rare_earths.build.observation import kernel_observed
from rare_earths.errors import InputError, Problem
from rare_earths.project import Project, relative

# The project's kernel, registered inside .venv/ by `make venv` (ipykernel install --sys-prefix), and
# again by `ensure_kernel` wherever it is missing (a conda environment, a venv made by hand).
KERNEL = "rare-earths"
KERNEL_DISPLAY_NAME = "Python (rare-earths)"
# What registers it, as a reader would type it (the Makefile's $(STAMP) recipe runs the same).
REGISTER_COMMAND = f'python -m ipykernel install --sys-prefix --name {KERNEL} --display-name "{KERNEL_DISPLAY_NAME}"'

TIMEOUT_SECONDS = 600.0  # per notebook; the slowest takes about 3 s


def skip_slow_imports() -> None:
    """Keep jsonschema from importing rfc3987_syntax, which builds a grammar at import (0.8 s here).

    nbformat imports jsonschema, which imports rfc3987_syntax, if it is installed, only to check
    the "iri" string format. No notebook schema uses that format. jupyterlab installs the package,
    and every worker would pay for it.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # None in sys.modules: the import fails, jsonschema skips it


@dataclass(frozen=True)
class Result:
    notebook: str
    seconds: float
    output: Path


class KernelMissing(RuntimeError):
    """No Jupyter kernel of that name is registered, and it could not be registered here: says how."""


def ensure_kernel(name: str = KERNEL, *, prefix: str | Path | None = None, echo=print) -> None:
    """Make sure the kernel `name` is registered before a notebook asks for it, rather than meet
    jupyter_client's NoSuchKernel traceback. The project's kernel, if missing, is registered into
    this Python's environment (`prefix`, sys.prefix by default: where `make venv` puts it), said in
    one line; any other missing kernel, or one that cannot be written, is a KernelMissing naming the fix.
    """
    from jupyter_client.kernelspec import KernelSpecManager  # here: as KernelManager, never paid for nothing

    if name in KernelSpecManager().find_kernel_specs():
        return
    if name != KERNEL:
        raise KernelMissing(
            f"no Jupyter kernel named {name!r} is registered; register it with "
            f"`python -m ipykernel install --sys-prefix --name {name}` in the environment that should run it"
        )
    specs = Path(prefix if prefix is not None else sys.prefix) / "share" / "jupyter" / "kernels"
    try:
        made = register_kernel(specs)
    except OSError as error:
        raise KernelMissing(
            f"the Jupyter kernel {KERNEL!r} is not registered, and registering it in {specs} failed "
            f"({error.strerror or error}); run `make venv`, or in the environment that runs the notebooks: {REGISTER_COMMAND}"
        ) from None
    if made:
        echo(f"registered the missing Jupyter kernel {KERNEL!r} (this Python) in {specs}")


def register_kernel(kernels: Path) -> bool:
    """Write the project's kernel spec (this Python, as `ipykernel install` writes it) into the folder
    `kernels`; False if another process got there first. Written beside it and renamed into place, so
    notebooks started at once, each finding it missing, never see half a spec nor remove another's."""
    from ipykernel.kernelspec import install  # here: ipykernel's import is paid only when a spec is missing

    kernels.mkdir(parents=True, exist_ok=True)
    target = kernels / KERNEL
    with tempfile.TemporaryDirectory(prefix=f".{KERNEL}-", dir=kernels) as staging:
        made = install(kernel_name=KERNEL, display_name=KERNEL_DISPLAY_NAME, prefix=staging)
        try:
            os.rename(made, target)
        except OSError:
            if (target / "kernel.json").is_file():
                return False
            raise
    return True


class NotebookFailed(RuntimeError):
    """A notebook raised: names the notebook and the cell, and where its executed copy is."""

    def __init__(self, notebook: str, cell: int | None, error: str, kept: Path | None):
        self.notebook, self.cell, self.error, self.kept = notebook, cell, error, kept
        where = f"cell {cell}" if cell is not None else "before any cell ran"
        kept_text = f"\n  the executed copy is kept for debugging: {relative(kept)}" if kept else ""
        super().__init__(f"{notebook} failed in {where}: {error}{kept_text}")


def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The names and literal defaults of a notebook's `parameters` cell (read without papermill).

    A notebook that cannot be read, has no cell tagged `parameters` (papermill would then drop every
    override without a word), or gives a default that is not a literal is an InputError naming it.
    """
    where = relative(notebook)
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
        name, value = _assignment(statement)
        if name is None:  # papermill would keep it, and no override could reach what it sets
            raise InputError(
                [
                    Problem(
                        where,
                        f"its parameters cell holds {type(statement).__name__.lower()} code at cell line "
                        f"{statement.lineno}; it may only assign each parameter its literal default (name = value)",
                    )
                ]
            )
        try:
            found[name] = ast.literal_eval(value)
        except ValueError:
            raise InputError(
                [
                    Problem(
                        where,
                        f"parameter {name}: its default is not a literal "
                        f"(cell line {statement.lineno}); write the value itself",
                    )
                ]
            ) from None
    return found


def _assignment(statement: ast.stmt) -> tuple[str | None, ast.expr | None]:
    """(name, value) of `name = value` or `name: type = value`; (None, None) for anything else."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None:
        return statement.target.id, statement.value
    return None, None


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return source if isinstance(source, str) else "".join(source)


def write_parameter_lines(notebook: Path, line_of) -> bool:
    """Rewrite each assignment of a notebook's parameters cell as `line_of(name)` gives it (its
    declaration from params.yaml: type, default, meaning), leaving its comments and any name
    `line_of` does not know (None) as they are. The notebook is replaced whole; True if it changed."""
    text = Path(notebook).read_text(encoding="utf-8")
    cells = json.loads(text)["cells"]
    declared = declared_parameters(notebook)  # a located InputError for a cell that is not assignments
    cell = next(cell for cell in cells if "parameters" in cell.get("metadata", {}).get("tags", []))
    lines = _source(cell).splitlines()
    for index, line in enumerate(lines):
        name = _assigned(line)
        if name in declared and line_of(name) is not None:
            lines[index] = line_of(name)
    source = "\n".join(lines)
    if source == _source(cell):
        return False
    import nbformat  # here: only a refresh rewrites a notebook

    document = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    parameters = document.cells[parameters_cells(document)[0]]
    parameters.source = source
    atomic.write_text(notebook, nbformat.writes(document) + "\n")
    return True


def _assigned(line: str) -> str | None:
    """The name a line of a parameters cell assigns, if it is a whole assignment by itself."""
    try:
        body = ast.parse(line).body
    except SyntaxError:  # a line of a statement written over several
        return None
    return _assignment(body[0])[0] if len(body) == 1 else None


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
            kept["input_path"] = portable_path(source)
        if output is not None:
            kept["output_path"] = portable_path(output)
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
        if "outputs" in cell:
            cell["outputs"] = joined_streams(cell["outputs"])
    return notebook


def joined_streams(outputs: list) -> list:
    """Consecutive outputs of one stream (stdout, stderr) as one: how a kernel's writes are split
    into messages depends on timing, so two identical runs may split the same text differently."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            output.get("output_type") == "stream"
            and previous is not None
            and previous.get("output_type") == "stream"
            and previous.get("name") == output.get("name")
        ):
            previous["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def portable_path(path: Path) -> str:
    """A path as an executed notebook records it: relative to the repository, or its name if outside."""
    shown = relative(path)
    return shown if not Path(shown).is_absolute() else Path(path).name


def write_notebook(notebook, path: Path, *, create: bool = True) -> None:
    """Write atomically, so a reader never sees half a notebook. `create`: as `atomic.write_text`."""
    import nbformat  # here: nbformat costs 0.1 s, which a run with nothing to do never pays

    atomic.write_text(path, nbformat.writes(notebook) + "\n", create=create)


def execute(
    name: str,
    values: dict[str, Any],
    output_dir: Path,
    *,
    notebooks_dir: Path | None = None,
    kernel: str = KERNEL,
    timeout: float | None = None,
    fence: Path | None = None,
) -> Result:
    """Run one notebook with papermill, in this process; raise NotebookFailed naming the cell.

    papermill writes the executed notebook to a temporary file as the run ends. On success that is
    scrubbed and moved into place; on failure it is kept under `failed/` for debugging, and the
    previous executed copy, if any, is left as it was.

    `fence`: the folder of the run this notebook belongs to (`chain.execute_runs`), which the
    executed copy is written into instead, for the run to move into `output_dir`. It is never
    created here: once its run has ended and removed it, a late worker (an orphan of a lost
    scheduler) can write nothing.
    """
    from jupyter_client.manager import KernelManager  # here: 0.07 s, which a run with nothing to do never pays

    from rare_earths.build import kernels

    notebook = (notebooks_dir or Project.here().notebooks) / name
    ensure_kernel(kernel)
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
    kernels.provision(kernel_manager)  # forked from this worker's warm factory where it can be
    try:
        kernel_manager.start_kernel(cwd=str(notebook.parent))
        try:
            return _execute(name, values, output_dir, notebook, kernel_manager, timeout, fence)
        finally:
            kernel_manager.shutdown_kernel(now=True)  # its outputs are in; no need to wait for a goodbye
    finally:
        shutil.rmtree(sockets, ignore_errors=True)


def _execute(
    name: str,
    values: dict[str, Any],
    output_dir: Path,
    notebook: Path,
    kernel_manager,
    timeout: float | None,
    fence: Path | None = None,
) -> Result:
    # here: papermill and nbformat cost about 0.4 s, which a run with nothing to do never pays
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from rare_earths.build import engine

    output = output_dir / name  # where it is published, as the executed copy records it
    written_in = atomic.no_links(fence if fence is not None else output_dir)
    if fence is None:  # a run's fence is never made here: once its run removed it, nothing is written
        written_in.mkdir(parents=True, exist_ok=True)
    defaults = declared_parameters(notebook)
    overrides = {key: values[key] for key in defaults if key in values and values[key] != defaults[key]}
    # A copy committed from an earlier run with overrides would carry their injected cell: drop it.
    source_notebook = nbformat.read(notebook, as_version=4)
    source_notebook.cells = [
        cell for cell in source_notebook.cells if "injected-parameters" not in cell.metadata.get("tags", [])
    ]
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".running.ipynb", dir=written_in)
    os.close(handle)
    started = time.perf_counter()
    limit = None
    if timeout:  # started once the kernel answers: the time limit is the notebook's, not its kernel's start
        limit = TimeLimit(
            timeout, kernel_manager.interrupt_kernel, lambda: kernel_manager.signal_kernel(signal.SIGKILL)
        )
    try:
        papermill.execute_notebook(
            source_notebook,
            temporary,
            parameters=overrides or None,
            engine_name=engine.NAME,
            kernel_name=kernel_manager.kernel_name,
            km=kernel_manager,
            on_notebook_start=None if limit is None else lambda notebook: limit.start(),
            cwd=str(notebook.parent),
            progress_bar=False,
            log_output=False,
        )
    except PapermillExecutionError as error:
        kept = _keep_failed(temporary, written_in, name)
        # The interrupt of the time limit, as the cell reports it; or, on a busy machine, with the
        # cell's error output lost, as papermill then reports any failed cell: a nameless error.
        interrupted = error.ename == "KeyboardInterrupt" or (error.ename == "CellExecutionError" and not error.evalue)
        if limit is not None and limit.expired.is_set() and interrupted:
            raise NotebookFailed(
                name, error.exec_count, f"timed out after {timeout:g} s (the time limit per notebook)", kept
            ) from None
        raise NotebookFailed(name, error.exec_count, f"{error.ename}: {error.evalue}", kept) from None
    except Exception as error:
        cell = _running_cell(Path(temporary))
        if cell is None:  # no cell ran: let the caller retry a kernel that did not start
            Path(temporary).unlink(missing_ok=True)
            raise
        if limit is not None and limit.killed.is_set():
            message = (
                f"timed out after {timeout:g} s (the time limit per notebook); it ignored the interrupt and was killed"
            )
        elif type(error).__name__ == "DeadKernelError":
            message = f"the kernel died ({type(error).__name__}: {error})"
        else:
            message = f"{type(error).__name__}: {error}"
        raise NotebookFailed(name, cell, message, _keep_failed(temporary, written_in, name)) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    finally:
        if limit is not None:
            limit.stop()
    executed = nbformat.read(temporary, as_version=4)
    Path(temporary).unlink()
    # What it used of the project, modules and data: its reruns follow changes to these, and no others.
    executed.metadata["rare_earths"] = {"used": kernel_observed(kernel_manager)}
    if fence is None:
        write_notebook(scrub(executed, notebook, output, overrides), output)
        (output_dir / "failed" / name).unlink(missing_ok=True)
        return Result(name, time.perf_counter() - started, output)
    write_notebook(scrub(executed, notebook, output, overrides), fence / name, create=False)
    return Result(name, time.perf_counter() - started, fence / name)


class TimeLimit:
    """A notebook's time limit, counted from when its kernel is ready. Once it passes, the kernel is
    interrupted (the running cell ends with an error papermill reports), and again every second, as
    an interrupt that lands between two cells is lost; a kernel still running GRACE_SECONDS later
    (one that ignores interrupts) is killed."""

    GRACE_SECONDS = 10.0

    def __init__(self, seconds: float, interrupt, kill):
        self.seconds, self.interrupt, self.kill = seconds, interrupt, kill
        self.ended, self.expired, self.killed = threading.Event(), threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.ended.set()

    def _watch(self) -> None:
        if self.ended.wait(self.seconds):
            return
        self.expired.set()
        deadline = time.monotonic() + self.GRACE_SECONDS
        while not self.ended.is_set():
            if time.monotonic() >= deadline:
                self.killed.set()
                self.kill()
                return
            self.interrupt()
            self.ended.wait(1.0)


def _keep_failed(temporary: str, output_dir: Path, name: str) -> Path:
    """Keep a failed run's executed copy under failed/, for debugging; the previous good copy stays."""
    kept = output_dir / "failed" / name
    atomic.no_links(kept.parent).mkdir(exist_ok=True)  # never its parent: a run's fence is not made anew
    os.chmod(temporary, 0o644)  # made private by mkstemp; readable like every other output
    os.replace(temporary, kept)
    return kept


def _running_cell(executed: Path) -> int | None:
    """The cell that was running when a notebook stopped (the execution count it would have had), from
    the copy papermill writes as the run ends, however it ends: the last code cell papermill started;
    None if none had."""
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


def code_hash(notebook: Path) -> str:
    """The hash of a notebook's cells without their outputs: re-executing it changes nothing here."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [
        (cell["cell_type"], _source(cell))
        for cell in cells
        if "injected-parameters" not in cell.get("metadata", {}).get("tags", [])
    ]
    return hashlib.sha256(json.dumps(code, ensure_ascii=False).encode("utf-8")).hexdigest()
