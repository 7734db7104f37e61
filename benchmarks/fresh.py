"""`make reports` and `make test` as a newcomer meets them: in a fresh clone, installs included.

    .venv/bin/python -m benchmarks.fresh

A `git clone` of this checkout's HEAD into a temporary folder (its uncommitted changes are not in
it; the clone itself is not timed), then, timed once each, in order:

- **fresh_reports**: `make reports`: the venv made and the lock installed, then the chain, cold;
- **fresh_test**: `make test` after it: the dev extras and the npm packages installed, the linters,
  the chain (up to date), every test;
- **warm_test**: `make test` again, with everything installed.

The download caches (uv's, pip's, npm's) are left as they are: warm if this machine installed the
same packages before, as this checkout's own venv was. Each command's output goes to a log, whose
end is printed if it fails; a failed command is reported as such, with its time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import targets
from rare_earths.project import Project

# The project this checkout is: what the benchmarks clone.
PROJECT = Project(Path(__file__).resolve().parents[1])

COMMANDS = (
    ("fresh_reports", ["make", "reports"]),
    ("fresh_test", ["make", "test"]),
    ("warm_test", ["make", "test"]),
)

# What `make bench` would pass on to a make in the clone (its flags, its command line's variables,
# the variables its Makefile exports) and an activated venv: none of it is a newcomer's.
NOT_PASSED = {
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEOVERRIDES",
    "ARGS",
    "PARAMS",
    "GRID",
    "FORCE",
    "LAB_ARGS",
    "LOCK_ARGS",
    "PYTEST_ADDOPTS",
    "VIRTUAL_ENV",
    "PYTHONPYCACHEPREFIX",  # `make bench` sets it for its own processes (the Makefile's PY)
}


def environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name not in NOT_PASSED}


def git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], check=True, capture_output=True, text=True, cwd=PROJECT.root
    ).stdout.strip()


def described() -> str:
    """What the fresh clone was: which commit, and what it lacks."""
    commit = git("rev-parse", "--short", "HEAD")
    uncommitted = "; the checkout's uncommitted changes are not in it" if git("status", "--porcelain") else ""
    return (
        f"A fresh `git clone` of this checkout's HEAD ({commit}{uncommitted}) into a temporary folder, "
        "each command timed once, installs included; the uv, pip and npm download caches as found "
        "(warm if this machine installed the same packages before, as this checkout's venv was)."
    )


def measure() -> tuple[dict[str, float], dict[str, str]]:
    """The seconds of each command in a fresh clone, by name, and those that failed with how. After
    a failed `make reports`, nothing more is timed."""
    seconds: dict[str, float] = {}
    failed: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="rare-earths-fresh-", ignore_cleanup_errors=True) as directory:
        clone = Path(directory) / "clone"
        git("clone", "--quiet", str(PROJECT.root), str(clone))
        if git("-C", str(clone), "rev-parse", "HEAD") != git("rev-parse", "HEAD"):
            raise RuntimeError("the fresh clone is not at this checkout's HEAD (is HEAD detached?)")
        for name, command in COMMANDS:
            log = Path(directory) / f"{name}.log"
            started = time.perf_counter()
            with log.open("w", encoding="utf-8") as output:
                ended = subprocess.run(command, cwd=clone, env=environment(), stdout=output, stderr=subprocess.STDOUT)
            seconds[name] = time.perf_counter() - started
            if ended.returncode:
                failed[name] = f"`{' '.join(command)}` exited {ended.returncode}"
                tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-40:]
                print(f"{failed[name]} in the fresh clone; its output ended:\n" + "\n".join(tail), file=sys.stderr)
                if name == "fresh_reports":
                    break
    return seconds, failed


def main() -> int:
    seconds, failed = measure()
    print(f"{described()}\n\n{targets.table(seconds, failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
