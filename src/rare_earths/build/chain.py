"""The notebook chain: which notebooks run, and how.

`CHAIN` is the one list of the chain's steps, in order: each a notebook, with the notebooks whose
outputs it needs. `run` executes the steps that are out of date (`rare_earths.build.scheduling`):

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

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import atomic
from rare_earths.build.execution import KERNEL, TIMEOUT_SECONDS, code_hash, declared_parameters
from rare_earths.build.observation import EVERYTHING, SHARED_INPUTS, recorded_use
from rare_earths.build.runner import files_used, fingerprint, manifest_path, remember, unchanged
from rare_earths.build.scheduling import JOBS, RETRIES, Job, Outcome, Task, capacity, run_all
from rare_earths.project import Project, enclosing_root


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
        lines = [outcome.failure_line() for outcome in failed]
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


def check_parameters(given: Iterable[str], steps: tuple[Step, ...], notebooks_dir: Path | None = None) -> None:
    """Before anything runs: every notebook of the run declares its parameters, and every parameter
    given on the command line is declared by a notebook of the run (else it would change nothing)."""
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
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
    processes, or a Dask cluster given a `scheduler`), a step once the steps it needs are done
    (`scheduling.run_all`); returns every step's outcome. Raises ChainFailed after every step that
    could run has run, if any failed.
    """
    from rare_earths.build import executors

    output_dir = Path(output_dir or Project.here().executed)
    notebooks_dir = Path(notebooks_dir or Project.here().notebooks)
    output_dir.mkdir(parents=True, exist_ok=True)
    for stale in output_dir.glob(".*.running.ipynb"):  # left by an interrupted run
        stale.unlink()
    atomic.remove_leftovers(output_dir)
    outcomes: dict[str, Outcome] = {}
    pending: list[Step] = []
    for step in steps:
        inputs = inputs_of(step, values, notebooks_dir, used=files_used(manifest_path(output_dir, step.notebook)))
        if not force and is_current(step, inputs, output_dir):
            outcomes[step.notebook] = Outcome(step.notebook, "skipped", "unchanged")
        else:
            pending.append(step)
    if not pending:
        echo(f"every notebook is up to date ({len(steps)} skipped)")
        return [outcomes[step.notebook] for step in steps]
    by_name = {step.notebook: step for step in steps}

    def finished(job: Job, outcome: Outcome) -> Outcome:
        executed = output_dir / job.label
        inputs = inputs_of(by_name[job.label], values, notebooks_dir, used=recorded_use(executed))  # as it ran
        remember(manifest_path(output_dir, job.label), inputs, [executed])
        return outcome

    jobs_ = [
        Job(
            step.notebook,
            Task(step.notebook, values, str(output_dir), str(notebooks_dir), kernel, timeout, retries),
            step.needs,
        )
        for step in pending
    ]
    with executors.open_executor(jobs, scheduler) as pool:
        outcomes.update(run_all(jobs_, pool, slots=capacity(pool, jobs), ok=outcomes, finished=finished, echo=echo))
    ordered = [outcomes[step.notebook] for step in steps]
    if any(outcome.status == "failed" for outcome in ordered):
        raise ChainFailed(ordered)
    return ordered
