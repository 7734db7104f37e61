"""What a sweep's machinery costs per run, against running one notebook alone.

    .venv/bin/python -m benchmarks.sweep [--repeats N] [--runs N]

A sweep of `--runs` runs (30) of a fixture notebook that records one result
(tests/fixtures/notebooks/08-records-years.ipynb, over `years` = 1 ... 30), timed:

- **single run**: `scheduling.run_task` of the notebook in a fresh Python process, as a local worker
  runs it (a spawned process, its imports, its kernel); the median of `--repeats`; and, for
  reference, `scheduling.run_task` alone in a process that has already run it once (the notebook's own
  time: its kernel and papermill, no start-up);
- **local sweep, 1 at a time**: the sweep's own cost alone, nothing in parallel;
- **local sweep, 2 at a time**: local worker processes (`--jobs 2`);
- **Dask sweep**: a scheduler and 2 single-thread workers on 127.0.0.1.

Seconds per run is the sweep's time × runs at a time / runs; the overhead is that against the
single run, as a fraction of it (target: under 10%). On a machine with 2 cores, 2 at a time also
shares them between the workers and their kernels.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rare_earths.build import chain, sweep
from rare_earths.project import Project

# The project this checkout is: what the benchmarks build and time.
PROJECT = Project(Path(__file__).resolve().parents[1])

PYTHON = sys.executable
DASK = Path(PYTHON).with_name("dask")
FIXTURES = PROJECT.root / "tests" / "fixtures" / "notebooks"
PARAMS = FIXTURES / "sweep-params.yaml"
NOTEBOOK = "08-records-years.ipynb"
TARGET = 0.10  # overhead per run, as a fraction of a single run
ONE_RUN = (
    "import sys; from rare_earths.build import execution, scheduling; "
    f"scheduling.run_task(scheduling.Task({NOTEBOOK!r}, {{}}, sys.argv[1], sys.argv[2], execution.KERNEL, 600.0, 1))"
)
WARM_RUNS = (
    "import sys, time; from rare_earths.build import execution, scheduling\n"
    "task = scheduling.Task({notebook!r}, {{}}, sys.argv[1], sys.argv[2], execution.KERNEL, 600.0, 1)\n"
    "scheduling.run_task(task)\n"
    "for _ in range(int(sys.argv[3])):\n"
    "    started = time.perf_counter(); scheduling.run_task(task); print(time.perf_counter() - started)\n"
)


def single(repeats: int) -> tuple[float, float]:
    """One run as a local worker makes it (a fresh process running `scheduling.run_task`), and
    `scheduling.run_task` alone in a process that has run it once already: medians of `repeats`."""
    fresh = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as directory:
            started = time.perf_counter()
            subprocess.run([PYTHON, "-c", ONE_RUN, directory, str(FIXTURES)], check=True, cwd=PROJECT.root)
            fresh.append(time.perf_counter() - started)
    with tempfile.TemporaryDirectory() as directory:
        printed = subprocess.run(
            [PYTHON, "-c", WARM_RUNS.format(notebook=NOTEBOOK), directory, str(FIXTURES), str(repeats)],
            check=True,
            cwd=PROJECT.root,
            capture_output=True,
            text=True,
        ).stdout
    return statistics.median(fresh), statistics.median(float(line) for line in printed.split())


def swept(runs: int, jobs: int, scheduler: str | None = None) -> float:
    """The wall time of a fresh sweep of `runs` runs."""
    steps = (chain.Step(NOTEBOOK),)
    grid = sweep.parse_grid(
        [f"years={','.join(str(year) for year in range(1, runs + 1))}"],
        steps,
        notebooks_dir=FIXTURES,
        params_path=PARAMS,
    )
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        sweep.run(
            grid,
            Path(directory),
            steps,
            notebooks_dir=FIXTURES,
            params_path=PARAMS,
            jobs=jobs,
            scheduler=scheduler,
            echo=lambda _: None,
        )
        return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _started(process: subprocess.Popen, words: str) -> None:
    for line in process.stderr:
        if words in line:
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return
    raise RuntimeError(f"{process.args[:2]} ended without saying {words!r}")


def on_dask(runs: int, workers: int = 2) -> float:
    """A sweep on a loopback cluster: a scheduler and `workers` single-thread workers (their start not timed)."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True, "cwd": PROJECT.root}
    processes = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
            **options,
        )
    ]
    try:
        _started(processes[0], "Scheduler at:")
        for _ in range(workers):
            processes.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"],
                    **options,
                )
            )
            _started(processes[-1], "Registered to:")
        return swept(runs, workers, address)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def measure(repeats: int, runs: int) -> tuple[tuple[float, float], list[tuple[str, float, int]]]:
    one = single(repeats)
    return one, [
        ("local sweep, 1 at a time", swept(runs, 1), 1),
        ("local sweep, 2 at a time (`--jobs 2`)", swept(runs, 2), 2),
        ("Dask sweep, scheduler and 2 workers on 127.0.0.1", on_dask(runs), 2),
    ]


def table(single_run: tuple[float, float], rows: list[tuple[str, float, int]], runs: int, repeats: int) -> str:
    one, warm = single_run
    lines = [
        f"A sweep of {runs} runs of `{NOTEBOOK}` (a fixture recording one result); single runs: medians of {repeats}. "
        "Seconds per run: the sweep's time × runs at a time / runs.",
        "",
        "| measurement | seconds | seconds per run | against a single run | against `run_task` alone |",
        "|---|---:|---:|---:|---:|",
        f"| single run: `scheduling.run_task` in a fresh process, as a local worker runs it | {one:.2f} | {one:.2f} | (the base) | "
        f"{(one - warm) / warm:+.1%} |",
        f"| `scheduling.run_task` alone, in a process that has run it before | {warm:.2f} | {warm:.2f} | {(warm - one) / one:+.1%} | (the base) |",
    ]
    for name, seconds, at_once in rows:
        per_run = seconds * at_once / runs
        lines.append(
            f"| {name} | {seconds:.2f} | {per_run:.2f} | {(per_run - one) / one:+.1%} | {(per_run - warm) / warm:+.1%} |"
        )
    serial = rows[0][1] / runs
    lines += [
        "",
        f"Target, the sweep's machinery under {TARGET:.0%} of a single run, per run (1 at a time): "
        f"{'met' if (serial - one) / one < TARGET else 'not met'} ({(serial - one) / one:+.1%}).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--output", type=Path, help="Also write the table to this file.")
    args = parser.parse_args(argv)
    one, rows = measure(args.repeats, args.runs)
    result = table(one, rows, args.runs, args.repeats)
    print(result)
    if args.output:
        args.output.write_text(result + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
