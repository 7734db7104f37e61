"""How fast the chain is, as ratios measured in one run on this machine.

    .venv/bin/python -m benchmarks.chain [--repeats N]

- **floor**: the cleaning step, then the notebooks' code as plain Python scripts (no kernel, no
  papermill), with the defaults and with the other values of the default sensitivity sweep that
  `run` also makes, as many at a time as the chain runs notebooks (like for like: what the chain
  cannot beat); and the same scripts one after another;
- **cold chain**: `python -m rare_earths run --force` with nothing up to date;
- **warm no-op**: the same command again without --force: nothing to do;
- **one parameter changed**: `--set consumption_base_year=2023` after a run with the defaults;
- **nbval**: `pytest --nbval --nbval-current-env notebooks` on the committed notebooks.

Each is timed `--repeats` times (median). The chain runs in this working tree: it rewrites
data/processed/ and reports/ and leaves them as a run with the defaults makes them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rare_earths.build import chain, params, scheduling, sweep
from rare_earths.project import Project

# The project this checkout is: what the benchmarks build and time.
PROJECT = Project(Path(__file__).resolve().parents[1])

PYTHON = sys.executable
# The cold chain against the same code as plain scripts run as many at a time (like for like).
TARGET_RATIO = 1.25


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=PROJECT.root, **kwargs
    )
    return time.perf_counter() - started


def scripts(directory: Path, sweep_runs: bool = True) -> list[Path]:
    """Each notebook's code cells, in order, as one plain Python script: once with the defaults,
    and once more per run of the default sensitivity sweep that `run` makes (those with other
    values), with the values set after its parameters cell, as papermill injects them."""
    defaults = params.resolve()
    runs = [(step.notebook, {}) for step in chain.CHAIN]
    runs += (
        []
        if not sweep_runs
        else [
            (run.notebook, dict(run.scenario))
            for run in sweep.plan(params.default_grid())
            if any(defaults[name] != value for name, value in run.scenario)
        ]
    )
    written = []
    for number, (notebook, values) in enumerate(runs):
        cells = [
            cell
            for cell in json.loads((PROJECT.notebooks / notebook).read_text(encoding="utf-8"))["cells"]
            if cell["cell_type"] == "code"
        ]
        injected = "\n".join(f"{name} = {value!r}" for name, value in values.items())
        code = "\n\n".join(
            "".join(cell["source"])
            + ("\n" + injected if "parameters" in cell["metadata"].get("tags", []) and injected else "")
            for cell in cells
        )
        script = directory / f"{number:02d}-{notebook.removesuffix('.ipynb')}.py"
        script.write_text(code + "\n", encoding="utf-8")
        written.append(script)
    return written


def floor(directory: Path, jobs: int, sweep_runs: bool = True) -> float:
    """The cleaning step, then the scripts (the sweep's too, unless `sweep_runs` is False), `jobs` at a time."""
    environment = {**os.environ, "MPLBACKEND": "Agg"}  # no display; the chain's kernels draw inline
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "rare_earths", "data", "--force"], check=True, stdout=subprocess.DEVNULL, cwd=PROJECT.root
    )
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(lambda script: timed([PYTHON, str(script)], env=environment), scripts(directory, sweep_runs)))
    return time.perf_counter() - started


def median(function, repeats: int) -> float:
    return statistics.median(function() for _ in range(repeats))


def alternated(first, second, repeats: int) -> tuple[float, float]:
    """Medians of `first` and `second`, timed one after the other `repeats` times (so a machine that
    slows down slows both)."""
    pairs = [(first(), second()) for _ in range(repeats)]
    return statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)


def measure(repeats: int) -> list[tuple[str, float, str]]:
    run = [PYTHON, "-m", "rare_earths", "run"]
    with tempfile.TemporaryDirectory() as directory:
        floor_alone, cold_alone = alternated(
            lambda: floor(Path(directory), scheduling.JOBS, sweep_runs=False),
            lambda: timed([*run, "--force", "--no-sweep"]),
            repeats,
        )
    with tempfile.TemporaryDirectory() as directory:
        floor_seconds = median(lambda: floor(Path(directory), 1), repeats)
        parallel_floor = median(lambda: floor(Path(directory), scheduling.JOBS), repeats)
    cold = median(lambda: timed([*run, "--force"]), repeats)
    warm = median(lambda: timed(run), repeats)

    def one_parameter() -> float:
        seconds = timed([*run, "--set", "consumption_base_year=2023"])
        timed(run)  # back to the defaults, untimed
        return seconds

    changed = median(one_parameter, repeats)
    with tempfile.TemporaryDirectory() as directory:
        one_cell = (
            "import sys; from rare_earths.build import execution, scheduling; "
            "scheduling.run_task(scheduling.Task('01-greets.ipynb', {}, sys.argv[1], sys.argv[2], execution.KERNEL, 600.0, 1))"
        )
        fixed = median(
            lambda: timed([PYTHON, "-c", one_cell, directory, str(PROJECT.root / "tests" / "fixtures" / "notebooks")]),
            repeats,
        )
    nbval = median(
        lambda: timed(
            [PYTHON, "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider", "notebooks"]
        ),
        repeats,
    )
    return [
        (
            f"floor without the sweep: cleaning step + the six notebooks' code as plain scripts, {scheduling.JOBS} at a time",
            floor_alone,
            "1.00 (the floor)",
        ),
        (
            "cold chain without the sweep (`run --force --no-sweep`), alternated with that floor",
            cold_alone,
            f"{cold_alone / floor_alone:.2f} × floor (target ≤ {TARGET_RATIO})",
        ),
        (
            f"floor: cleaning step + notebooks' code as plain scripts, {scheduling.JOBS} at a time (like for like)",
            parallel_floor,
            "1.00 (the floor)",
        ),
        ("cold chain (`run --force`)", cold, f"{cold / parallel_floor:.2f} × floor (target ≤ {TARGET_RATIO})"),
        ("the same scripts, one after another", floor_seconds, f"cold chain is {cold / floor_seconds:.2f} × this"),
        ("warm no-op (`run`, nothing changed)", warm, f"{warm / cold:.3f} × cold"),
        ("one parameter changed (`--set consumption_base_year=2023`)", changed, f"{changed / cold:.2f} × cold"),
        ("nbval on the committed notebooks", nbval, f"{nbval / cold:.2f} × cold"),
        (
            "fixed cost of a notebook: a worker running a one-cell notebook",
            fixed,
            f"{len(chain.CHAIN)} notebooks: {len(chain.CHAIN) * fixed / scheduling.JOBS:.1f} s of the cold chain at {scheduling.JOBS} at a time",
        ),
    ]


def table(rows: list[tuple[str, float, str]], repeats: int) -> str:
    lines = [
        f"Median of {repeats} runs, {scheduling.JOBS} notebooks at a time.",
        "",
        "| measurement | seconds | ratio |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | {seconds:.2f} | {ratio} |" for name, seconds, ratio in rows]
    alone, floor_alone = rows[1][1], rows[0][1]
    cold, floor_seconds = rows[3][1], rows[2][1]
    lines += [
        "",
        f"Target, cold chain without the sweep within {TARGET_RATIO}× its like-for-like floor: "
        f"{'met' if alone / floor_alone <= TARGET_RATIO else 'not met'} ({alone / floor_alone:.2f}×); "
        f"with the sweep: {cold / floor_seconds:.2f}×.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, help="Also write the table to this file.")
    args = parser.parse_args(argv)
    result = table(measure(args.repeats), args.repeats)
    print(result)
    if args.output:
        args.output.write_text(result + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
