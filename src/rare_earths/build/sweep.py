"""Sweeps: every notebook run once per combination of the grid's values of the parameters it declares.

    python -m rare_earths sweep --grid usd_inr=80,84.57,90 --grid consumption_base_year=2020,2022,2024

A notebook that declares `usd_inr` alone runs three times for that grid, one declaring neither
once; every other parameter keeps its default from params.yaml. The runs are the chain's tasks
(`scheduling.Task`, `scheduling.run_task`) on the chain's executors (local processes, or a Dask cluster given
a scheduler address), and each lands in its scenario's folder:

    DIR/usd_inr=80/01-sources-and-units.ipynb         the executed notebook
    DIR/usd_inr=80/01-sources-and-units.inputs.json   what it was made from (the chain's manifest)
    DIR/none/06-audit.ipynb                           a notebook that declares no parameter of the grid
    DIR/results.csv                                   every result of every finished run, with its parameters

- **Checked first.** A grid naming an unknown parameter, a value the parameter does not allow, no
  value, a value twice or a parameter twice is refused before anything runs or is written.
- **Resumable.** A finished run keeps its executed notebook and manifest; the same sweep again
  skips it, unless its notebook, the data or code it used, or the environment changed. results.csv
  is rewritten (whole, atomically) after every run, so a sweep stopped at any point leaves the
  results of what finished.
- **Deterministic.** The same grid gives byte-identical executed notebooks and results.csv.
"""

from __future__ import annotations

import itertools
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import atomic
from rare_earths.build import chain, execution, observation, params, runner, scheduling
from rare_earths.build.params import ParameterError
from rare_earths.errors import InputError, Problem
from rare_earths.project import Project, relative

RESULTS_NAME = "results.csv"
NO_PARAMETER = "none"  # the folder of the runs of notebooks that declare no parameter of the grid


class SweepFailed(chain.ChainFailed):
    """One or more runs of a sweep failed; the others ran, and results.csv holds what finished."""


@dataclass(frozen=True)
class Run:
    """One notebook with one combination of the values of the grid's parameters it declares."""

    notebook: str
    scenario: tuple[tuple[str, Any], ...]  # (parameter, value), in the grid's order

    @property
    def key(self) -> str:
        """Its folder: 'usd_inr=80', 'consumption_base_year=2020,usd_inr=80' (by name), or 'none'."""
        if not self.scenario:
            return NO_PARAMETER
        from rare_earths.build.results import parameter_text

        return ",".join(
            f"{name}={urllib.parse.quote(parameter_text(value), safe='')}" for name, value in sorted(self.scenario)
        )

    @property
    def label(self) -> str:
        return f"{self.notebook} [{self.key}]"


# --- the grid ------------------------------------------------------------------------------------


def parse_grid(
    assignments: Iterable[str],
    steps: tuple[chain.Step, ...] = chain.CHAIN,
    *,
    notebooks_dir: Path | None = None,
    params_path: Path | None = None,
) -> dict[str, list[Any]]:
    """["usd_inr=80,84.57,90", ...] -> {"usd_inr": [80.0, 84.57, 90.0], ...}, every value checked
    against params.yaml. One ParameterError naming each bad parameter and what it allows: a parameter
    unknown, given twice, or declared by no notebook of the run; no value; a value it does not allow,
    or given twice."""
    assignments = list(assignments)
    if not assignments:
        raise ParameterError(
            "give the grid: one --grid NAME=V1,V2,... per parameter to vary, e.g. --grid usd_inr=80,84.57,90"
        )
    given = params.parse_assignments(assignments)  # a parameter given twice is refused here
    declared = params.specs(params_path)
    problems = []
    unknown = [name for name in given if name not in declared]
    if unknown:
        problems.append(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    grid: dict[str, list[Any]] = {}
    for name, text in given.items():
        if name in unknown:
            continue
        items = [item.strip() for item in text.split(",")]
        example = f"{name}={declared[name]['default']}"
        if not text.strip():
            problems.append(f"parameter {name}: the grid gives it no value; give one or more, e.g. {example}")
            continue
        if "" in items:
            problems.append(
                f"parameter {name}: an empty value in {text!r}; separate values with single commas, e.g. {example}"
            )
            continue
        values = []
        for item in items:
            try:
                value = params.resolve({name: item}, params_path)[name]
            except ParameterError as error:
                problems.append(str(error) + _allowed(declared[name]))
                continue
            if value in values:
                problems.append(f"parameter {name}: {item} is given twice in the grid; give each value once")
                continue
            values.append(value)
        grid[name] = values
    if not problems:
        try:
            chain.check_parameters(grid, steps, notebooks_dir)
        except ParameterError as error:
            problems.append(str(error))
    if problems:
        raise ParameterError(
            "\n".join(problems)
            if len(problems) == 1
            else "the grid is refused; nothing ran:\n  " + "\n  ".join(problems)
        )
    return grid


def _allowed(spec: Mapping[str, Any]) -> str:
    """What a parameter allows, where its error does not say: its type, and its default as an example."""
    return f" (a {spec['type']}; its default is {spec['default']})"


def plan(
    grid: Mapping[str, list[Any]], steps: tuple[chain.Step, ...] = chain.CHAIN, *, notebooks_dir: Path | None = None
) -> list[Run]:
    """Every run of the sweep, in chain order, then in the order of the grid's values: each notebook
    once per combination of the values of the grid's parameters it declares (once, if none)."""
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    needing = [step.notebook for step in steps if step.needs]
    if needing:
        raise InputError(
            [
                Problem(
                    relative(notebooks_dir / name),
                    "needs another notebook's outputs, which a sweep does not "
                    "run per scenario; sweep the notebooks it needs with it in one chain run instead",
                )
                for name in needing
            ]
        )
    runs = []
    for step in steps:
        declared = execution.declared_parameters(notebooks_dir / step.notebook)
        varied = [name for name in grid if name in declared]
        for values in itertools.product(*(grid[name] for name in varied)):
            runs.append(Run(step.notebook, tuple(zip(varied, values, strict=True))))
    return runs


def counts(runs: Iterable[Run]) -> dict[str, int]:
    """How many times each notebook runs."""
    found: dict[str, int] = {}
    for run_ in runs:
        found[run_.notebook] = found.get(run_.notebook, 0) + 1
    return found


# --- running it ----------------------------------------------------------------------------------


@dataclass
class Finished:
    """What a sweep did: each run's outcome (its `notebook` is the run's label), and the results table."""

    outcomes: list[scheduling.Outcome]
    results: Path
    rows: int


def run(
    grid: Mapping[str, list[Any]],
    out_dir: Path | None = None,
    steps: tuple[chain.Step, ...] = chain.CHAIN,
    *,
    notebooks_dir: Path | None = None,
    params_path: Path | None = None,
    force: bool = False,
    jobs: int = scheduling.JOBS,
    timeout: float = execution.TIMEOUT_SECONDS,
    retries: int = scheduling.RETRIES,
    kernel: str = execution.KERNEL,
    scheduler: str | None = None,
    echo: Callable[[str], None] = print,
    reuse: Path | None = None,
) -> Finished:
    """Run the sweep of `grid` (as `parse_grid` returns it) into `out_dir`: every run not up to
    date, on an executor (`executors.open_executor`); results.csv after each run and at the end.
    A run that `reuse` (a folder of executed notebooks, such as the chain's) already holds up to
    date, with the same parameters and inputs, is copied rather than run again.
    Raises SweepFailed, after every run that could run has run, if any failed."""
    from rare_earths.build import results

    out_dir = Path(out_dir or Project.here().sweep)
    params_path = params_path or Project.here().params_yaml
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    runs = plan(grid, steps, notebooks_dir=notebooks_dir)
    defaults = params.resolve({}, params_path)
    by_name = {step.notebook: step for step in steps}
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic.remove_leftovers(out_dir)
    for folder in sorted({out_dir / run_.key for run_ in runs}):
        if folder.is_dir():
            for stale in folder.glob(".*.running.ipynb"):  # left by a sweep that was stopped
                stale.unlink()
            atomic.remove_leftovers(folder)

    def values_of(run_: Run) -> dict[str, Any]:
        return {**defaults, **dict(run_.scenario)}

    table_rows: dict[Run, list[dict]] = {}  # the results of every finished run
    outcomes: dict[Run, scheduling.Outcome] = {}
    pending: list[Run] = []
    for run_ in runs:
        folder = out_dir / run_.key
        manifest = runner.manifest_path(folder, run_.notebook)
        if not force and manifest.is_file() and (folder / run_.notebook).is_file():
            inputs = chain.inputs_of(
                by_name[run_.notebook], values_of(run_), notebooks_dir, used=runner.files_used(manifest)
            )
            if chain.is_current(by_name[run_.notebook], inputs, folder):
                try:
                    table_rows[run_] = results.rows(
                        results.collect(folder / run_.notebook), run_.notebook, dict(run_.scenario)
                    )
                except InputError:  # its results cannot be read: run it again, and say why
                    pending.append(run_)
                    continue
                outcomes[run_] = scheduling.Outcome(run_.label, "skipped", "unchanged")
                continue
        if reuse is not None and _reused(
            run_, by_name[run_.notebook], values_of(run_), notebooks_dir, Path(reuse), folder
        ):
            table_rows[run_] = results.rows(results.collect(folder / run_.notebook), run_.notebook, dict(run_.scenario))
            outcomes[run_] = scheduling.Outcome(run_.label, "skipped", "unchanged")
            continue
        pending.append(run_)
    parameters = list(grid)
    results_csv = out_dir / RESULTS_NAME

    manifest = out_dir / ".results.inputs.json"

    def made_from() -> dict[str, Any]:  # the finished runs' executed notebooks, and the grid's parameters
        executed = [out_dir / run_.key / run_.notebook for run_ in runs if run_ in table_rows]
        return runner.fingerprint(executed, {"parameters": parameters}, out_dir)

    def write_results() -> int:
        found = [row for run_ in runs if run_ in table_rows for row in table_rows[run_]]
        results.write(results.frame(found, parameters), results_csv)
        runner.remember(manifest, made_from(), [results_csv])
        return len(found)

    skipped = len(runs) - len(pending)
    if skipped:
        echo(f"{skipped} of {len(runs)} runs up to date, skipped")
    if not pending and runner.unchanged(manifest, made_from(), [results_csv]):  # nothing ran and the table is as made
        rows = sum(len(table_rows[run_]) for run_ in runs if run_ in table_rows)
    else:
        rows = 0 if pending else write_results()  # else written once the first runs are under way
    if pending:
        echo(f"{len(pending)} runs to go: " + ", ".join(f"{name} × {count}" for name, count in counts(pending).items()))
        rows = _execute(
            pending,
            outcomes,
            table_rows,
            write_results,
            skipped,
            out_dir,
            values_of,
            by_name,
            notebooks_dir,
            jobs=jobs,
            timeout=timeout,
            retries=retries,
            kernel=kernel,
            scheduler=scheduler,
            echo=echo,
        )
    ordered = [outcomes[run_] for run_ in runs]
    echo(f"{relative(results_csv)}: {rows} results of {sum(o.status in ('ok', 'unchanged') for o in ordered)} runs")
    if any(outcome.status == "failed" for outcome in ordered):
        raise SweepFailed(ordered)
    return Finished(ordered, results_csv, rows)


def _reused(
    run_: Run, step: chain.Step, values: dict[str, Any], notebooks_dir: Path, reuse: Path, folder: Path
) -> bool:
    """Copy the run from `reuse` if it holds it up to date (same code, data, modules and the same
    values of the parameters the notebook declares); then record it as this sweep's own run."""
    inputs = chain.inputs_of(
        step, values, notebooks_dir, used=runner.files_used(runner.manifest_path(reuse, run_.notebook))
    )
    if not chain.is_current(step, inputs, reuse):
        return False
    executed = folder / run_.notebook
    atomic.write_text(executed, (reuse / run_.notebook).read_text(encoding="utf-8"))
    runner.remember(runner.manifest_path(folder, run_.notebook), inputs, [executed])
    return True


def _execute(
    pending: list[Run],
    outcomes: dict,
    table_rows: dict,
    write_results: Callable[[], int],
    skipped: int,
    out_dir: Path,
    values_of: Callable[[Run], dict],
    by_name: dict,
    notebooks_dir: Path,
    *,
    jobs: int,
    timeout: float,
    retries: int,
    kernel: str,
    scheduler: str | None,
    echo: Callable[[str], None],
) -> int:
    """Run the pending runs on the one scheduler (`scheduling.run_all`); record each as it finishes:
    its manifest, its results, and results.csv rewritten."""
    from rare_earths.build import executors, results

    by_label = {run_.label: run_ for run_ in pending}
    rows = 0

    def finished(job: scheduling.Job, outcome: scheduling.Outcome) -> scheduling.Outcome:
        nonlocal rows
        run_ = by_label[job.label]
        folder = out_dir / run_.key
        executed = folder / run_.notebook
        try:
            table_rows[run_] = results.rows(results.collect(executed), run_.notebook, dict(run_.scenario))
        except results.ResultRepeated as error:  # the run ran, but its results cannot be told apart
            outcome.status, outcome.cell = "failed", error.cell
            outcome.error, outcome.kept = error.problems[0].message, relative(executed)
            return outcome
        step = by_name[run_.notebook]
        inputs = chain.inputs_of(step, values_of(run_), notebooks_dir, used=observation.recorded_use(executed))
        runner.remember(runner.manifest_path(folder, run_.notebook), inputs, [executed])
        rows = write_results()
        return outcome

    jobs_ = [
        scheduling.Job(
            run_.label,
            scheduling.Task(
                run_.notebook, values_of(run_), str(out_dir / run_.key), str(notebooks_dir), kernel, timeout, retries
            ),
        )
        for run_ in pending
    ]
    with executors.open_executor(jobs, scheduler) as pool:
        rows = write_results()  # the runs up to date, while the first runs start
        found = scheduling.run_all(
            jobs_, pool, slots=scheduling.capacity(pool, jobs), finished=finished, echo=echo, done=skipped
        )
    outcomes.update({by_label[label]: outcome for label, outcome in found.items()})
    return rows


def summary(finished: Finished | list[scheduling.Outcome]) -> str:
    """The table printed at the end of a sweep: each run, run or skipped, seconds, status."""
    return scheduling.summary(finished.outcomes if isinstance(finished, Finished) else finished, heading="run")
