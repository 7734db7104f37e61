"""The one scheduler of notebook runs, for the chain and for sweeps alike: each run a `Task` sent to
an executor (`rare_earths.build.executors`: local processes, or a Dask cluster), submitted once
the runs it needs are done, its `Outcome` recorded as it finishes. A worker that fails comes back
as a failed Outcome, so nothing a worker meets can leave a run waiting.
"""

from __future__ import annotations

import math
import os
import time
from argparse import ArgumentTypeError
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths import paths
from rare_earths.build.execution import NotebookFailed, execute, skip_slow_imports

JOBS = os.cpu_count() or 1

RETRIES = 1  # extra attempts for a worker whose kernel did not start


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
