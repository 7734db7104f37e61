"""The one scheduler of notebook runs, for the chain and for sweeps alike: each run a `Task` sent to
an executor (`rare_earths.build.executors`: local processes, or a Dask cluster), submitted once
the runs it needs are done, its `Outcome` recorded as it finishes. A worker that fails comes back
as a failed Outcome, so nothing a worker meets can leave a run waiting; a run the scheduler hears
nothing of for longer than any run can take (its worker stopped, frozen, or lost without its
executor noticing) is given up as failed (`overdue_after`).
"""

from __future__ import annotations

import math
import os
import time
from argparse import ArgumentTypeError
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rare_earths.build.execution import NotebookFailed, TimeLimit, execute, skip_slow_imports
from rare_earths.build.runner import fingerprint
from rare_earths.project import enclosing_root, relative

JOBS = os.cpu_count() or 1

RETRIES = 1  # extra attempts for a worker whose kernel did not start

# For the start of a worker, its kernel factory and a kernel, on a loaded machine (nbclient waits
# 60 s for a kernel to answer).
STARTING_SECONDS = 60.0


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
    fence: str = ""  # the run's own folder, written into instead of output_dir; gone once the run ended
    expected: dict[str, str] | None = None  # the client's code and data, by content hash (`worker_differs`)


def worker_differs(expected: dict[str, str] | None, notebooks_dir: Path) -> str:
    """What this worker has that differs from what the client that sent the task has: its code
    (the package, the lock) and the project's processed data, by content hash; "" if nothing. A
    worker started in another checkout, or seeing another copy of the project, must not serve a run."""
    if expected is None:
        return ""
    root = enclosing_root(notebooks_dir)
    if root is None:
        return f"it has no project at {notebooks_dir.parent.as_posix()}"
    here = fingerprint(expected, {}, root)["files"]
    differing = sorted(name for name in set(expected) | set(here) if expected.get(name) != here.get(name))
    if not differing:
        return ""
    return f"its {differing[0]} differs from the client's" + (
        f" (and {len(differing) - 1} more files)" if len(differing) > 1 else ""
    )


def run_task(task: Task) -> Outcome:
    """A worker's job: run one notebook; retry if its kernel did not start; return what happened.
    Every failure comes back as an Outcome, so nothing a worker meets can leave the chain waiting.
    A worker whose code or data differ from the client's refuses the task."""
    skip_slow_imports()
    started = time.perf_counter()
    if task.fence and not Path(task.fence).is_dir():  # its run has ended (and the write would fail anyway)
        return Outcome(task.notebook, "run", "failed", error="not run: the run it belongs to has ended")
    differs = worker_differs(task.expected, Path(task.notebooks_dir))
    if differs:
        return Outcome(task.notebook, "run", "failed", error=f"refused by its worker: {differs}")
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
                fence=Path(task.fence) if task.fence else None,
            )
            return Outcome(task.notebook, "run", "ok", time.perf_counter() - started, attempts=attempt)
        except NotebookFailed as failure:
            kept = relative(failure.kept) if failure.kept else ""
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


def summary(outcomes: list[Outcome], heading: str = "notebook") -> str:
    """The table printed at the end of a run or a sweep: each run, run or skipped, seconds, status."""
    width = max([36, *(len(outcome.notebook) + 2 for outcome in outcomes)])
    lines = [f"{heading:<{width}}{'action':<9}{'seconds':>8}  status"]
    for outcome in outcomes:
        seconds = f"{outcome.seconds:.1f}" if outcome.action == "run" else "-"
        status = outcome.status + (f" (attempts: {outcome.attempts})" if outcome.attempts > 1 else "")
        lines.append(f"{outcome.notebook:<{width}}{outcome.action:<9}{seconds:>8}  {status}")
    ran = [outcome.seconds for outcome in outcomes if outcome.action == "run"]
    lines.append(f"{'total':<{width}}{f'{len(ran)} run':<9}{sum(ran):>8.1f}")
    return "\n".join(lines)


# --- the scheduler -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One notebook run for the scheduler: its label as printed, the task a worker runs, and the
    labels of the runs it needs (they must finish ok first)."""

    label: str
    task: Task
    needs: tuple[str, ...] = ()


def overdue_after(task: Task) -> float:
    """Seconds after its submission by which a run has ended, however it went: it may wait for the
    run ahead of it (one run more than the workers is submitted), then each attempt starts and
    meets its time limit and the grace after it. Past this its worker is stopped, frozen or lost."""
    attempt = STARTING_SECONDS + task.timeout + TimeLimit.GRACE_SECONDS
    return attempt * (2 + task.retries)


def capacity(pool, jobs: int) -> int:
    """How many runs a pool runs at once: the local pool's size, or the cluster's worker threads."""
    client = getattr(pool, "_client", None)  # a Dask executor keeps its client
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # an older or different client: fall back to the local count
            return max(1, jobs)
    return max(1, jobs)


def progress(done: int, running: int, left: int, started: float, ran: int) -> str:
    """'[3/15 done, 2 running, 10 left; about 40 s to go]': the estimate from the mean time per run so far."""
    total = done + running + left
    text = f"[{done}/{total} done, {running} running, {left} left"
    if ran and running + left:
        seconds = (time.perf_counter() - started) / ran * (running + left)
        text += f"; about {seconds:.0f} s to go" if seconds < 120 else f"; about {seconds / 60:.0f} min to go"
    return text + "]"


class _Schedule:
    """The state of one call of `run_all`: what waits, what runs, what is done."""

    def __init__(self, jobs, pool, slots, ok, finished, echo, done):
        self.waiting, self.pool, self.slots, self.ok = list(jobs), pool, slots, set(ok)
        self.finished, self.echo, self.done = finished, echo, done
        self.running: dict[Future, Job] = {}
        self.deadlines: dict[Future, float] = {}  # when each run is overdue (`overdue_after`)
        self.outcomes: dict[str, Outcome] = {}
        self.started, self.ran = time.perf_counter(), 0
        self.lost = ""  # what the cluster lost, once it has

    def fill(self) -> None:
        # One run more than there are slots: the next is queued, so a worker that frees up (a local
        # one is replaced by a new process) starts it without waiting for this process.
        while len(self.running) <= self.slots and not self.lost:
            job = next((job for job in self.waiting if set(job.needs) <= self.ok), None)
            if job is None:
                return
            self.waiting.remove(job)
            try:
                future = self.pool.submit(run_task, job.task)
            except Exception as error:  # the executor is broken (a local worker was killed) or the cluster is gone
                self.record(job, Outcome(job.label, "run", "failed", error=f"not run: {worker_trouble(error)}"))
                continue
            self.running[future] = job
            self.deadlines[future] = time.monotonic() + overdue_after(job.task)
            self.echo(f"submitted {job.label}")

    def record(self, job: Job, outcome: Outcome) -> None:
        outcome.notebook = job.label
        outcome = self.finished(job, outcome)
        self.outcomes[job.label] = outcome
        self.done += 1
        if outcome.status == "ok":
            self.ok.add(job.label)
            said = f"ok in {outcome.seconds:.1f} s"
        else:
            said = outcome.failure_line().removeprefix(job.label + " ")
            self.block(job.label)
        in_flight = min(self.slots, len(self.running))
        left = len(self.running) - in_flight + len(self.waiting)
        self.echo(f"{progress(self.done, in_flight, left, self.started, self.ran)} {job.label} {said}")

    def abandon(self, problem: str) -> None:
        """The cluster can serve no run: every run going or waiting fails, saying what was lost."""
        self.lost = problem
        for future, job in sorted(self.running.items(), key=lambda item: item[1].label):
            future.cancel()
            self.record(job, Outcome(job.label, "run", "failed", error=problem))
        self.running.clear()
        for job in list(self.waiting):
            self.waiting.remove(job)
            self.record(job, Outcome(job.label, "run", "failed", error=problem))

    def give_up_overdue(self) -> bool:
        """Record each run past its deadline as failed and stop waiting for it (its worker, stopped or
        frozen, is killed when the executor is shut down); True if there was one."""
        now = time.monotonic()
        overdue = sorted((job.label, future) for future, job in self.running.items() if self.deadlines[future] <= now)
        for _, future in overdue:
            job = self.running.pop(future)
            future.cancel()
            seconds = overdue_after(job.task)
            problem = f"its worker did not answer within {seconds:g} s (stopped, frozen or lost): given up"
            self.record(job, Outcome(job.label, "run", "failed", error=problem))
        return bool(overdue)

    def block(self, failed: str) -> None:
        """Every waiting run that needs `failed`, directly or through another run, is not run."""
        blocked = {failed}
        while True:
            found = [job for job in self.waiting if blocked & set(job.needs)]
            if not found:
                return
            for job in found:
                self.waiting.remove(job)
                self.outcomes[job.label] = Outcome(job.label, "skipped", "blocked")
                self.done += 1
                blocked.add(job.label)

    def wait(self) -> None:
        # A cluster's executor says what it lost (`executors.Watch`): asked while nothing ends, so a
        # lost scheduler or the last worker gone ends the run in bounded time, not never.
        lost = getattr(self.pool, "lost", None)
        every = getattr(self.pool, "watch_seconds", None)
        while True:
            until_overdue = max(0.0, min(self.deadlines[future] for future in self.running) - time.monotonic())
            timeout = min(every, until_overdue) if lost else until_overdue
            ended, _ = wait(self.running, timeout=timeout, return_when=FIRST_COMPLETED)
            if ended:
                break
            problem = lost() if lost else ""
            if problem:
                self.abandon(problem)
                return
            if self.give_up_overdue():
                self.fill()
                return
        if lost and any(future.cancelled() or future.exception() for future in ended):
            problem = lost()  # a run ended by its cluster's loss (a lost scheduler cancels it): say what was lost
            if problem:
                self.abandon(problem)
                return
        ended = [(future, self.running.pop(future)) for future in sorted(ended, key=lambda f: self.running[f].label)]
        self.fill()  # keep the workers busy while the finished runs are recorded
        for future, job in ended:
            self.ran += 1
            try:
                outcome = future.result()
            except (
                BaseException
            ) as error:  # the worker itself failed (it died, or the cluster lost it), or was cancelled
                outcome = Outcome(job.label, "run", "failed", error=f"its worker failed: {worker_trouble(error)}")
            self.record(job, outcome)
        self.fill()


def worker_trouble(error: BaseException) -> str:
    """A worker's failure as the pages and the command line say it. A local worker that died
    (killed, or out of memory) breaks its pool, whose error names only the pool's machinery."""
    if isinstance(error, BrokenProcessPool):
        return "a local worker process ended without finishing (killed, or out of memory)"
    return f"{type(error).__name__}: {error}"


def run_all(
    jobs: Iterable[Job],
    pool,
    *,
    slots: int,
    ok: Iterable[str] = (),
    finished: Callable[[Job, Outcome], Outcome] = lambda job, outcome: outcome,
    echo: Callable[[str], None] = print,
    done: int = 0,
) -> dict[str, Outcome]:
    """Run every job on `pool`, each once the jobs it needs are ok (or are already, `ok`: up to date),
    keeping `slots` runs going; `finished` records a run that ended (it may find one that ended ok
    failed after all). A run that fails stops only the runs that need it; a run whose needs are neither ok nor in
    this call is not run ("blocked"). `done`: runs already counted as done in the progress lines.
    Returns each job's outcome by label."""
    schedule = _Schedule(jobs, pool, slots, ok, finished, echo, done)
    schedule.fill()
    while schedule.running:
        schedule.wait()
    for job in schedule.waiting:  # what is left needs a run that is not in this call and not up to date
        schedule.outcomes[job.label] = Outcome(job.label, "skipped", "blocked")
    return schedule.outcomes


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
