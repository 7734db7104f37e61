"""The chain on a Dask distributed cluster: a scheduler and two workers on 127.0.0.1, started from
the project's venv, give outputs byte-identical to a local run."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from rare_earths import paths

# A scheduler and two workers start: `make test` runs the slow tests last.
pytestmark = pytest.mark.slow

DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_line(process: subprocess.Popen, words: str) -> None:
    """Read the process's log until it says `words` (it exits, or says so, before the test goes on)."""
    for line in process.stderr:
        if words in line:
            # Keep reading what it logs from here on, so a full pipe never blocks it.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return
    raise AssertionError(f"{process.args[:3]} ended without saying {words!r}")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    address = f"tcp://127.0.0.1:{free_port()}"
    options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True, "cwd": paths.ROOT}
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        **options,
    )
    workers = []
    try:
        wait_for_line(scheduler, "Scheduler at:")
        for _ in range(2):
            worker = subprocess.Popen(
                [str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"], **options
            )
            workers.append(worker)
            wait_for_line(worker, "Registered to:")
        yield address
    finally:
        for process in [*workers, scheduler]:
            process.terminate()
        for process in [*workers, scheduler]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def outputs() -> dict[str, bytes]:
    found = [*paths.EXECUTED.glob("*.ipynb"), *paths.HTML.glob("*.html"), *paths.PROCESSED.glob("*.csv")]
    return {paths.relative(path): path.read_bytes() for path in sorted(found)}


def run(*arguments: str) -> subprocess.CompletedProcess:
    # Without the sensitivity sweep: what is compared is the chain's own work (tests/build/test_sweep.py
    # runs a sweep on a cluster).
    return subprocess.run(
        [sys.executable, "-m", "rare_earths", "run", "--no-sweep", *arguments],
        capture_output=True,
        text=True,
        cwd=paths.ROOT,
    )


@pytest.fixture(autouse=True)
def left_as_make_reports_leaves_it():
    """The test runs the chain in this checkout: afterwards, a default run with the sweep, so the
    site is again what `make reports` makes (CI publishes it after the tests)."""
    yield
    subprocess.run([sys.executable, "-m", "rare_earths", "run"], check=True, capture_output=True, cwd=paths.ROOT)


def test_the_chain_on_a_dask_cluster_gives_what_a_local_run_gives(cluster):
    local = run()  # after `make test`'s run, only the site is made again (it says the sweep was skipped)
    assert local.returncode == 0, local.stderr[-2000:]
    expected = outputs()
    distributed = run("--force", "--scheduler", cluster)
    assert distributed.returncode == 0, distributed.stderr[-2000:]
    assert outputs() == expected
    # A Dask worker records what it imported like a local one: the manifests are the same, so a
    # local run finds everything up to date.
    again = run()
    assert again.returncode == 0 and outputs() == expected
    assert "every notebook is up to date" in again.stdout and "reports/html/ is up to date" in again.stdout, (
        again.stdout
    )
