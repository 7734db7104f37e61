"""How fast the chain is, measured in one run on this machine, in this working tree.

    .venv/bin/python -m benchmarks.chain [--repeats N]

- **floor**: the cleaning step, then the notebooks' code as plain Python scripts (no kernel, no
  papermill), as many at a time as the chain runs notebooks (like for like: what the chain cannot
  beat); without the sweep, and with the sweep's other runs (the other values of the default
  sensitivity sweep that `run` also makes); and the same scripts one after another;
- **cold chain**: `python -m rare_earths run --force --no-sweep`, and `run --force`, with nothing up to
  date, each alternated with its floor (so a machine that slows down slows both);
- **warm no-op**: `run` again: nothing to do;
- **one parameter changed**: `run --set consumption_base_year=2023` after a run with the defaults;
- **site-only edit**: `run` after a comment is added to the site's stylesheet, which only the site
  reads (checked: no notebook runs); the stylesheet is restored byte for byte afterwards;
- **nbval**: `pytest --nbval --nbval-current-env notebooks` on the committed notebooks;
- **fixed cost of a notebook**: a worker running a one-cell fixture notebook.

Each is timed `--repeats` times (median). The chain rewrites data/processed/ and reports/ and leaves
them as a run with the defaults makes them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks import targets
from rare_earths.build import chain, params, scheduling, sweep
from rare_earths.project import Project
from rare_earths.site.layout import TEMPLATES

# The project this checkout is: what the benchmarks build and time.
PROJECT = Project(Path(__file__).resolve().parents[1])

PYTHON = sys.executable
# Read by the site alone: an edit to it rebuilds the pages and runs no notebook.
STYLESHEET = TEMPLATES / "site" / "site.css"


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


@contextlib.contextmanager
def appended(path: Path, text: str):
    """`path` with `text` appended, then restored byte for byte (and its times) whatever happens: an
    error, Ctrl-C, or a SIGTERM, which is made to unwind as an exit does."""
    original, status = path.read_bytes(), path.stat()
    previous = signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    try:
        path.write_bytes(original + text.encode("utf-8"))
        yield
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))
        signal.signal(signal.SIGTERM, previous)


def site_only(run: list[str]) -> float:
    """`run` after an edit that only the site reads (a comment added to its stylesheet), from a run
    with the defaults; then the stylesheet restored and the site rebuilt from it, untimed. Checks that
    no notebook ran: else the edit was not site-only, and the time would be something else's."""
    with appended(STYLESHEET, "\n/* an edit only the site reads */\n"):
        started = time.perf_counter()
        said = subprocess.run(run, check=True, capture_output=True, text=True, cwd=PROJECT.root).stdout
        seconds = time.perf_counter() - started
    if "every notebook is up to date" not in said or "pages to" not in said:
        raise RuntimeError(f"editing {STYLESHEET.name} did more than rebuild the site:\n{said}")
    timed(run)
    return seconds


def measure(repeats: int) -> dict[str, float]:
    """Every measurement of the chain, in seconds, by name (`targets.TARGETS` names those with a
    target). The cold chains are alternated with their floors; the others start from a run with the
    defaults, and end with one."""
    run = [PYTHON, "-m", "rare_earths", "run"]
    seconds = {}
    with tempfile.TemporaryDirectory() as directory:
        seconds["floor_no_sweep"], seconds["cold_no_sweep"] = alternated(
            lambda: floor(Path(directory), scheduling.JOBS, sweep_runs=False),
            lambda: timed([*run, "--force", "--no-sweep"]),
            repeats,
        )
        seconds["floor"], seconds["cold"] = alternated(
            lambda: floor(Path(directory), scheduling.JOBS),
            lambda: timed([*run, "--force"]),
            repeats,
        )
        seconds["serial_floor"] = median(lambda: floor(Path(directory), 1), repeats)
    timed(run)  # the floor rewrote data/processed/: back to a run with the defaults, untimed
    seconds["warm"] = median(lambda: timed(run), repeats)

    def one_parameter() -> float:
        changed = timed([*run, "--set", "consumption_base_year=2023"])
        timed(run)  # back to the defaults, untimed
        return changed

    seconds["one_parameter"] = median(one_parameter, repeats)
    seconds["site_only"] = median(lambda: site_only(run), repeats)
    with tempfile.TemporaryDirectory() as directory:
        one_cell = (
            "import sys; from rare_earths.build import execution, scheduling; "
            "scheduling.run_task(scheduling.Task('01-greets.ipynb', {}, sys.argv[1], sys.argv[2], execution.KERNEL, 600.0, 1))"
        )
        seconds["fixed"] = median(
            lambda: timed([PYTHON, "-c", one_cell, directory, str(PROJECT.root / "tests" / "fixtures" / "notebooks")]),
            repeats,
        )
    seconds["nbval"] = median(
        lambda: timed(
            [PYTHON, "-m", "pytest", "--nbval", "--nbval-current-env", "-q", "-p", "no:cacheprovider", "notebooks"]
        ),
        repeats,
    )
    return seconds


def details(seconds: dict[str, float]) -> str:
    """The measurements behind the targets' ratios, and the others, in a table."""
    jobs = scheduling.JOBS
    rows = [
        (
            f"floor without the sweep: the cleaning step + the six notebooks' code as plain scripts, {jobs} at a time",
            "floor_no_sweep",
            "",
        ),
        (f"floor: the same + the sweep's other runs as scripts, {jobs} at a time", "floor", ""),
        (
            "the same scripts, one after another",
            "serial_floor",
            f"cold chain is {seconds['cold'] / seconds['serial_floor']:.2f} × this",
        ),
        ("nbval on the committed notebooks", "nbval", f"{seconds['nbval'] / seconds['cold']:.2f} × the cold chain"),
        (
            "fixed cost of a notebook: a worker running a one-cell notebook",
            "fixed",
            f"{len(chain.CHAIN)} notebooks: {len(chain.CHAIN) * seconds['fixed'] / jobs:.1f} s of the cold chain at {jobs} at a time",
        ),
    ]
    lines = ["| measurement | seconds | note |", "|---|---:|---|"]
    lines += [f"| {name} | {seconds[key]:.2f} | {note} |" for name, key, note in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    seconds = measure(args.repeats)
    print(f"{targets.table(seconds)}\n\n{details(seconds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
