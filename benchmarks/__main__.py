"""Every benchmark in one command (`make bench`), results to benchmarks/RESULTS.md.

The project's targets, each with what this run measured (the chain, then `make reports` and
`make test` in a fresh clone), the chain's other measurements, the cleaning step's scaling and the
sweeps, with the machine they ran on.

    .venv/bin/python -m benchmarks [--repeats N] [--skip-fresh]

--skip-fresh leaves out the fresh clone (minutes of installs and tests), for a quicker run; the
results then say so.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import chain, fresh, targets
from rare_earths import atomic
from rare_earths.build import scheduling
from rare_earths.project import Project, relative

# The project this checkout is: what the benchmarks build and time.
PROJECT = Project(Path(__file__).resolve().parents[1])

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine() -> str:
    """What the numbers were measured on: CPU, cores, memory, OS, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as info:
            kilobytes = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
            memory = f", {kilobytes / 1024 / 1024:.1f} GB memory"
    except (OSError, StopIteration):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def run_benchmark(module: str, arguments: list[str]) -> str | None:
    """Its table; None if it failed (its error is on the terminal), so what the other benchmarks
    measured in this run is still written."""
    with tempfile.TemporaryDirectory() as directory:
        output = Path(directory) / "result.md"
        done = subprocess.run([sys.executable, "-m", module, *arguments, "--output", str(output)], cwd=PROJECT.root)
        return output.read_text(encoding="utf-8").strip() if done.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="Times each of the chain's measurements is taken.")
    parser.add_argument(
        "--skip-fresh", action="store_true", help="Leave out `make reports` and `make test` in a fresh clone."
    )
    args = parser.parse_args(argv)
    seconds = chain.measure(args.repeats)
    failed: dict[str, str] = {}
    if args.skip_fresh:
        how_fresh = "The fresh clone's targets were skipped in this run (`--skip-fresh`): not measured."
    else:
        how_fresh = fresh.described()
        fresh_seconds, failed = fresh.measure()
        seconds.update(fresh_seconds)
    tables = {
        module: run_benchmark(module, arguments)
        for module, arguments in (("benchmarks.scaling", []), ("benchmarks.sweep", ["--repeats", str(args.repeats)]))
    }
    broken = [module for module, table in tables.items() if table is None]
    scaling_table, sweep_table = (
        table or f"Not measured: `python -m {module}` failed in this run." for module, table in tables.items()
    )
    text = "\n".join(
        [
            "# Benchmark results",
            "",
            "Written by `make bench` (`.venv/bin/python -m benchmarks`); the latest run is committed.",
            "",
            f"Machine: {machine()}.",
            "",
            "## Targets",
            "",
            f"Measured in this run: the chain's rows are medians of {args.repeats}, "
            f"{scheduling.JOBS} notebooks at a time; a ratio is against a time of the same run, so "
            "ratios hold better across machines than seconds do. " + how_fresh,
            "",
            targets.table(seconds, failed),
            "",
            "## The chain's other measurements",
            "",
            chain.details(seconds),
            "",
            "## Scaling of the cleaning step and the audit",
            "",
            scaling_table,
            "",
            "## Sweeps",
            "",
            sweep_table,
            "",
        ]
    )
    atomic.write_text(RESULTS, text)
    print(f"\nwrote {relative(RESULTS)}")
    return 1 if failed or broken else 0


if __name__ == "__main__":
    sys.exit(main())
