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

import hashlib
import itertools
import math
import shutil
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import atomic
from rare_earths.build import chain, execution, params, results, runner, scheduling
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
        return ",".join(
            f"{name}={urllib.parse.quote(results.parameter_text(value), safe='')}"
            for name, value in sorted(self.scenario)
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


# A sweep of more runs than this is refused unless confirmed (--runs): a typo in a grid (a range
# of 1,000 values, three parameters crossed) would otherwise occupy the machine for hours.
MOST_RUNS = 200


def size(
    grid: Mapping[str, list[Any]], steps: tuple[chain.Step, ...] = chain.CHAIN, *, notebooks_dir: Path | None = None
) -> int:
    """How many runs the grid makes, counted without listing them (a huge grid is refused, not built)."""
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    return sum(
        math.prod(
            len(grid[name]) for name in grid if name in execution.declared_parameters(notebooks_dir / step.notebook)
        )
        for step in steps
    )


def check_size(count: int, allowed: int | None) -> None:
    """ParameterError if the grid makes more runs than allowed (MOST_RUNS, or as confirmed with --runs)."""
    limit = MOST_RUNS if allowed is None else allowed
    if count > limit:
        raise ParameterError(
            f"the grid makes {count} runs, more than {limit}; nothing ran. Give fewer values, or confirm "
            f"the size with --runs {count}"
        )


def folder_name(grid: Mapping[str, list[Any]]) -> str:
    """A sweep's own folder, named by its grid: 'usd_inr=80,84.57,90+reference_edition=MCS2024,MCS2025'
    (a grid too long for a file name is cut, and told apart by its hash)."""
    joined = "+".join(
        f"{name}=" + ",".join(urllib.parse.quote(results.parameter_text(value), safe="") for value in values)
        for name, values in grid.items()
    )
    if len(joined) <= 120:
        return joined
    return f"{joined[:100]}-{hashlib.sha256(joined.encode('utf-8')).hexdigest()[:12]}"


def _prune(out_dir: Path, keys: set[str], echo: Callable[[str], None]) -> None:
    """Remove the scenario folders of an earlier grid from a sweep's folder: they are no part of
    this sweep, and its results.csv would not list them."""
    stale = sorted(
        path
        for path in out_dir.iterdir()
        if path.is_dir()
        and not path.is_symlink()
        and path.name not in keys
        and ("=" in path.name or path.name == NO_PARAMETER)
    )
    for path in stale:
        shutil.rmtree(path)
    if stale:
        echo(
            f"removed {len(stale)} scenarios of an earlier grid from {relative(out_dir)}/: {', '.join(p.name for p in stale)}"
        )


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
    echo: Callable[[str], None] = print,
    reuse: Path | None = None,
    **execution: Any,
) -> Finished:
    """Run the sweep of `grid` (as `parse_grid` returns it) into `out_dir`: every run not up to
    date, with the chain's planner (`chain.out_of_date`, `chain.execute_runs`); results.csv after
    each run and at the end. A run that `reuse` (a folder of executed notebooks, such as the
    chain's) already holds up to date is copied rather than run again. `execution`: jobs, timeout,
    retries, kernel, scheduler. Raises SweepFailed, after every run that could run has run, if any
    failed."""
    out_dir = Path(out_dir or Project.here().sweep)
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    defaults = params.resolve({}, params_path or Project.here().params_yaml)
    by_name = {step.notebook: step for step in steps}
    scenarios = {run_.label: run_ for run_ in plan(grid, steps, notebooks_dir=notebooks_dir)}
    runs = {
        label: chain.NotebookRun(by_name[run_.notebook], {**defaults, **dict(run_.scenario)}, out_dir / run_.key, label)
        for label, run_ in scenarios.items()
    }
    atomic.no_links(out_dir).mkdir(parents=True, exist_ok=True)
    atomic.remove_leftovers(out_dir)
    _prune(out_dir, {run_.key for run_ in scenarios.values()}, echo)
    table = _ResultsTable(out_dir, list(grid), list(scenarios.values()))

    def readable(notebook_run: chain.NotebookRun) -> bool:  # an up-to-date run whose results can be read
        try:
            table.add(scenarios[notebook_run.label])
        except InputError:  # run it again, and say why
            return False
        return True

    def check(notebook_run: chain.NotebookRun, outcome: scheduling.Outcome) -> scheduling.Outcome:
        try:
            table.add(scenarios[notebook_run.label])
        except results.ResultRepeated as error:  # the run ran, but its results cannot be told apart
            outcome.status, outcome.cell = "failed", error.cell
            outcome.error, outcome.kept = (
                error.problems[0].message,
                relative(notebook_run.folder / notebook_run.step.notebook),
            )
        return outcome

    outcomes, pending = chain.out_of_date(runs.values(), notebooks_dir, force=force, reuse=reuse, accept=readable)
    if outcomes:
        echo(f"{len(outcomes)} of {len(runs)} runs up to date, skipped")
    if not pending:
        table.write_unless_current()
    else:
        echo(
            f"{len(pending)} runs to go: "
            + ", ".join(f"{name} × {count}" for name, count in counts(scenarios[r.label] for r in pending).items())
        )
        outcomes.update(
            chain.execute_runs(
                pending,
                notebooks_dir,
                check=check,
                recorded=lambda notebook_run: table.write(),
                started=table.write,
                done=len(outcomes),
                echo=echo,
                **execution,
            )
        )
    ordered = [outcomes[label] for label in runs]
    ran = sum(outcome.status in ("ok", "unchanged") for outcome in ordered)
    echo(f"{relative(table.path)}: {table.rows} results of {ran} runs")
    if any(outcome.status == "failed" for outcome in ordered):
        raise SweepFailed(ordered)
    return Finished(ordered, table.path, table.rows)


class _ResultsTable:
    """A sweep's results.csv: every result of every finished run, with its parameters, rewritten
    whole after each run; its manifest vouches for the executed notebooks it was made from."""

    def __init__(self, out_dir: Path, parameters: list[str], runs: list[Run]):
        self.out_dir, self.parameters, self.runs = out_dir, parameters, runs
        self.path = out_dir / RESULTS_NAME
        self.manifest = out_dir / ".results.inputs.json"
        self.found: dict[Run, list[dict]] = {}  # the results of every finished run
        self.rows = 0

    def add(self, run_: Run) -> None:
        executed = self.out_dir / run_.key / run_.notebook
        self.found[run_] = results.rows(results.collect(executed), run_.notebook, dict(run_.scenario))

    def made_from(self) -> dict[str, Any]:  # the finished runs' executed notebooks, and the grid's parameters
        executed = [self.out_dir / run_.key / run_.notebook for run_ in self.runs if run_ in self.found]
        return runner.fingerprint(executed, {"parameters": self.parameters}, self.out_dir)

    def write(self) -> None:
        rows = [row for run_ in self.runs if run_ in self.found for row in self.found[run_]]
        results.write(results.frame(rows, self.parameters), self.path)
        runner.remember(self.manifest, self.made_from(), [self.path])
        self.rows = len(rows)

    def write_unless_current(self) -> None:
        """Nothing ran: rewrite the table only if it is not exactly what the runs give."""
        if runner.unchanged(self.manifest, self.made_from(), [self.path]):
            self.rows = sum(len(rows) for rows in self.found.values())
        else:
            self.write()


def summary(finished: Finished | list[scheduling.Outcome]) -> str:
    """The table printed at the end of a sweep: each run, run or skipped, seconds, status."""
    return scheduling.summary(finished.outcomes if isinstance(finished, Finished) else finished, heading="run")
