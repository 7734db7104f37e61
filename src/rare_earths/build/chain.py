"""The notebook chain: which notebooks run, and how.

`CHAIN` is the one list of the chain's steps, in order: each a notebook, with the notebooks whose
outputs it needs. A `NotebookRun` is one notebook with one set of parameter values, into one
folder; the one planner (`out_of_date`, then `execute_runs` on `rare_earths.build.scheduling`)
brings any list of them up to date. `run` gives it the chain's steps with one set of values (the
chain is a sweep of one scenario); `rare_earths.build.sweep` gives it a grid's runs.

- **Incremental.** Beside each executed notebook, `NAME.inputs.json` records what it was made
  from (its code, the parameters it declares, the lock, and the data files and project modules
  its kernel used, observed as it ran) and what it made; a step whose record still holds is skipped.
- **Parallel.** Each notebook is a `Task` for an executor (`rare_earths.build.executors`): local
  processes, one notebook each, or a Dask cluster. A kernel that fails to start is retried; a
  notebook past its time limit is interrupted; a dead kernel is reported with its cell.
- **Fault-tolerant.** A failing notebook keeps its executed copy under `failed/` and stops only
  the steps that need it; the others run on. Every output is moved into place whole.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import atomic
from rare_earths.build import executors
from rare_earths.build.execution import (
    KERNEL,
    TIMEOUT_SECONDS,
    code_hash,
    declared_parameters,
    portable_path,
    write_notebook,
)
from rare_earths.build.observation import CODE_INPUTS, EVERYTHING, SHARED_INPUTS, recorded_use
from rare_earths.build.params import ParameterError
from rare_earths.build.runner import files_used, fingerprint, manifest_path, read_once, remember, unchanged
from rare_earths.build.scheduling import JOBS, RETRIES, Job, Outcome, Task, capacity, run_all
from rare_earths.project import LAYOUT, Project, enclosing_root, relative


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


class ChainFailed(RuntimeError):
    """One or more notebooks failed (and the steps needing them did not run)."""

    def __init__(self, outcomes: list[Outcome]):
        self.outcomes = outcomes
        failed = [outcome for outcome in outcomes if outcome.status == "failed"]
        blocked = [outcome.notebook for outcome in outcomes if outcome.status == "blocked"]
        # Runs that failed alike before any cell (a lost cluster) are one line, not one each.
        alike: dict[str, list[str]] = {}
        for outcome in failed:
            if outcome.cell is None and not outcome.kept:
                alike.setdefault(outcome.error, []).append(outcome.notebook)
        lines = [outcome.failure_line() for outcome in failed if outcome.cell is not None or outcome.kept]
        lines += [f"{', '.join(names)} did not finish: {error}" for error, names in alike.items()]
        if blocked:
            lines.append(f"not run, as they need a failed notebook: {', '.join(blocked)}")
        super().__init__("\n".join(lines))


def inputs_of(
    step: Step,
    values: dict[str, Any],
    notebooks_dir: Path,
    used: Iterable[str] = EVERYTHING,
) -> dict[str, Any]:
    """Everything a step's output depends on, as content hashes and parameter values: its code, the
    parameters it declares, the lock, and the files it `used` (project modules and data, observed)."""
    notebook = notebooks_dir / step.notebook
    root = enclosing_root(notebooks_dir) or notebooks_dir  # the project the notebook runs in
    parameters = {name: values.get(name, default) for name, default in declared_parameters(notebook).items()}
    return {
        "notebook": code_hash(notebook),
        "needs": list(step.needs),
        **fingerprint((*SHARED_INPUTS, *used), parameters, root),
    }


def is_current(step: Step, inputs: dict[str, Any], output_dir: Path) -> bool:
    """Is the executed copy there, and were its recorded inputs exactly these?"""
    return unchanged(manifest_path(output_dir, step.notebook), inputs, [output_dir / step.notebook])


def vouched(step: Step, project: Project) -> bool:
    """Does the project's executed copy of `step` still hold: is it exactly what was made, from
    exactly the inputs its manifest records (at the parameter values it records)? A copy made by
    an earlier run, with other values, holds as long as nothing it was made from changed."""
    manifest = manifest_path(project.executed, step.notebook)
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))["inputs"]["parameters"]
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return False
    if not isinstance(recorded, dict):
        return False
    return NotebookRun(step, recorded, project.executed, step.notebook).is_current_in(
        project.executed, project.notebooks
    )


def vouched_for(project: Project) -> tuple[str, ...]:
    """The chain's notebooks whose executed copies still hold (`vouched`), decided together."""
    with read_once():
        return tuple(step.notebook for step in CHAIN if vouched(step, project))


def check_parameters(given: Iterable[str], steps: tuple[Step, ...], notebooks_dir: Path | None = None) -> None:
    """Before anything runs: every notebook of the run declares its parameters, and every parameter
    given on the command line is declared by a notebook of the run (else it would change nothing)."""
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    declared = {name for step in steps for name in declared_parameters(notebooks_dir / step.notebook)}
    unused = sorted(set(given) - declared)
    if unused:
        raise ParameterError(
            f"parameter {', '.join(unused)}: no notebook of this run declares it "
            f"({', '.join(step.notebook for step in steps)}); it would change nothing"
        )


def check_declarations(declared_in_file: Iterable[str], notebooks_dir: Path, steps: tuple[Step, ...] = CHAIN) -> None:
    """Before anything runs: the notebooks and params.yaml declare the same parameters. A notebook's
    parameter that params.yaml lacks would run unchecked at its notebook's default; one of
    params.yaml that no notebook declares would change nothing."""
    from_file = set(declared_in_file)
    by_notebook = {step.notebook: set(declared_parameters(notebooks_dir / step.notebook)) for step in steps}
    problems = [
        f"{notebook} declares {name}, which params.yaml does not: declare it there (default, type, description)"
        for notebook, names in by_notebook.items()
        for name in sorted(names - from_file)
    ]
    problems += [
        f"params.yaml declares {name}, which no notebook of the chain declares: it would change nothing"
        for name in sorted(from_file - set().union(*by_notebook.values()))
    ]
    if problems:
        raise ParameterError("\n".join(problems))


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


# --- the one planner: the chain's steps and a sweep's runs alike ----------------------------------


@dataclass(frozen=True, eq=False)
class NotebookRun:
    """One notebook with one set of parameter values, executed into one folder: a step of the chain
    (into reports/executed/) or one run of a sweep (into its scenario's folder). The chain is a
    sweep of one scenario."""

    step: Step
    values: dict[str, Any]
    folder: Path
    label: str
    needs: tuple[str, ...] = ()  # the labels of the runs it needs

    def inputs(self, notebooks_dir: Path, used: Iterable[str]) -> dict[str, Any]:
        return inputs_of(self.step, self.values, notebooks_dir, used=used)

    def is_current_in(self, folder: Path, notebooks_dir: Path) -> bool:
        """Does `folder` hold this run up to date: same notebook code, declared parameters, data and
        modules it used?"""
        used = files_used(manifest_path(folder, self.step.notebook))
        return is_current(self.step, self.inputs(notebooks_dir, used), folder)


def out_of_date(
    runs: Iterable[NotebookRun],
    notebooks_dir: Path,
    *,
    force: bool = False,
    reuse: Path | None = None,
    accept: Callable[[NotebookRun], bool] = lambda run: True,
) -> tuple[dict[str, Outcome], list[NotebookRun]]:
    """The runs that are up to date (skipped: each manifest still holds, and `accept` can use what
    it made) and those to run. A run that `reuse` (a folder of executed notebooks, such as the
    chain's) holds up to date is copied from there and recorded as its own, rather than run again."""
    runs = list(runs)
    for folder in dict.fromkeys(run_.folder for run_ in runs):
        atomic.no_links(folder).mkdir(parents=True, exist_ok=True)  # never read or written through a link
        for stale in folder.glob(".*.running.ipynb"):  # left by an interrupted run
            stale.unlink()
        atomic.remove_leftovers(folder)
        atomic.remove_stale_staging(folder)  # the fences of killed runs
    skipped: dict[str, Outcome] = {}
    pending: list[NotebookRun] = []
    with read_once():  # the inputs the runs share (code, data) hashed once for all of them
        for run_ in runs:
            if not force and (run_.is_current_in(run_.folder, notebooks_dir) or _copied(run_, notebooks_dir, reuse)):
                if accept(run_):
                    skipped[run_.label] = Outcome(run_.label, "skipped", "unchanged")
                    continue
            pending.append(run_)
    return skipped, pending


def _copied(run_: NotebookRun, notebooks_dir: Path, reuse: Path | None) -> bool:
    """Copy the run from `reuse` if that folder holds it up to date, and record it as this run's own."""
    if reuse is None or Path(reuse) == run_.folder:
        return False
    inputs = run_.inputs(notebooks_dir, files_used(manifest_path(reuse, run_.step.notebook)))
    if not is_current(run_.step, inputs, Path(reuse)):
        return False
    import nbformat  # here: only a run that copies pays for it

    executed = run_.folder / run_.step.notebook
    notebook = nbformat.read(Path(reuse) / run_.step.notebook, as_version=4)
    # It says where it is, as the same run made here says: copied or run, the same bytes.
    notebook.metadata.setdefault("papermill", {})["output_path"] = portable_path(executed)
    write_notebook(notebook, executed)
    remember(manifest_path(run_.folder, run_.step.notebook), inputs, [executed])
    return True


def execute_runs(
    runs: list[NotebookRun],
    notebooks_dir: Path,
    *,
    ok: Iterable[str] = (),
    check: Callable[[NotebookRun, Outcome], Outcome] = lambda run, outcome: outcome,
    recorded: Callable[[NotebookRun], None] = lambda run: None,
    started: Callable[[], None] = lambda: None,
    done: int = 0,
    jobs: int = JOBS,
    timeout: float = TIMEOUT_SECONDS,
    retries: int = RETRIES,
    kernel: str = KERNEL,
    scheduler: str | None = None,
    workers: executors.Workers | None = None,
    echo: Callable[[str], None] = print,
) -> dict[str, Outcome]:
    """Run `runs` on an executor (`executors.open_executor`: local processes, or a Dask cluster given
    a `scheduler`; or the command's `workers`, whose jobs and scheduler are its own), each once the
    runs it needs are done or `ok` (`scheduling.run_all`). What a
    run's worker wrote is moved into place; a run that ended ok is checked by `check` (which may
    find it failed after all), then recorded with its manifest (what it used, observed as it ran),
    then given to `recorded`. `started`: called once
    the executor is up."""
    by_label = {run_.label: run_ for run_ in runs}
    # Each run's fence: a folder of its own beside the outputs, which its workers write into and
    # which is removed when this run ends, so a worker that outlives it (a lost scheduler's orphan)
    # can publish nothing. An executed copy is moved into place only here, under the run's lock.
    fences = {folder: atomic.staging(folder) for folder in dict.fromkeys(run_.folder for run_ in runs)}
    root = enclosing_root(notebooks_dir)
    expected = None if root is None else fingerprint((*CODE_INPUTS, LAYOUT.processed.as_posix()), {}, root)["files"]

    def record(job: Job, outcome: Outcome) -> Outcome:
        run_ = by_label[job.label]
        outcome = _moved_into_place(run_, fences[run_.folder], outcome)
        if outcome.status != "ok":
            return outcome
        outcome = check(run_, outcome)
        if outcome.status == "ok":
            executed = run_.folder / run_.step.notebook
            inputs = run_.inputs(notebooks_dir, recorded_use(executed))  # as it ran
            remember(manifest_path(run_.folder, run_.step.notebook), inputs, [executed])
            recorded(run_)
        return outcome

    def task(run_: NotebookRun) -> Task:
        return Task(
            run_.step.notebook,
            run_.values,
            str(run_.folder),
            str(notebooks_dir),
            kernel,
            timeout,
            retries,
            fence=str(fences[run_.folder]),
            expected=expected,
        )

    tasks = [Job(run_.label, task(run_), run_.needs) for run_ in runs]
    own = workers is None
    workers = workers or executors.Workers(jobs, scheduler, kernel)
    try:
        pool = workers.pool()
        started()
        return run_all(tasks, pool, slots=capacity(pool, workers.jobs), ok=ok, finished=record, echo=echo, done=done)
    finally:
        if own:
            workers.close()
        for fence in fences.values():
            shutil.rmtree(fence, ignore_errors=True)


def _moved_into_place(run_: NotebookRun, fence: Path, outcome: Outcome) -> Outcome:
    """Move what a run's worker wrote in its fence into the run's folder: the executed copy (and
    the failed copy it replaces goes), or a failed run's copy into failed/."""
    name = run_.step.notebook
    failed_copy = fence / "failed" / name
    if failed_copy.is_file():
        kept = atomic.no_links(run_.folder / "failed")
        kept.mkdir(exist_ok=True)
        os.replace(failed_copy, kept / name)
        outcome.kept = relative(kept / name)
    if outcome.status == "ok":
        if not (fence / name).is_file():
            return Outcome(
                outcome.notebook, "run", "failed", outcome.seconds, error="its worker wrote no executed copy"
            )
        atomic.confirm_lock()
        os.replace(fence / name, run_.folder / name)
        (run_.folder / "failed" / name).unlink(missing_ok=True)
    return outcome


# --- the chain -----------------------------------------------------------------------------------


def run(
    values: dict[str, Any],
    output_dir: Path | None = None,
    steps: tuple[Step, ...] = CHAIN,
    *,
    notebooks_dir: Path | None = None,
    force: bool = False,
    echo: Callable[[str], None] = print,
    **execution: Any,
) -> list[Outcome]:
    """Execute the steps that are out of date, with these parameter values, into `output_dir`, a
    step once the steps it needs are done; returns every step's outcome. Raises ChainFailed after
    every step that could run has run, if any failed. `execution`: as `execute_runs` takes them
    (jobs, timeout, retries, kernel, scheduler)."""
    output_dir = Path(output_dir or Project.here().executed)
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    runs = [NotebookRun(step, values, output_dir, step.notebook, step.needs) for step in steps]
    outcomes, pending = out_of_date(runs, notebooks_dir, force=force)
    if not pending:
        echo(f"every notebook is up to date ({len(steps)} skipped)")
    else:
        outcomes.update(execute_runs(pending, notebooks_dir, ok=outcomes, echo=echo, **execution))
    ordered = [outcomes[step.notebook] for step in steps]
    if any(outcome.status == "failed" for outcome in ordered):
        raise ChainFailed(ordered)
    return ordered
