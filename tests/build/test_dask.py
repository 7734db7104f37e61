"""The chain and a sweep on a Dask distributed cluster: a scheduler and two workers on 127.0.0.1,
started from the project's venv, give outputs byte-identical to a local run. One cluster serves
both (each start costs about 10 CPU-seconds); the tests that kill a worker or the scheduler start
their own."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import CHECKOUT, Said, command_here, make_project
from test_sweep import local, sweep_fixtures, tree  # noqa: F401  (`local`: the fixtures' sweep, run locally)

from rare_earths.atomic import STAGING_PREFIX
from rare_earths.build import execution
from rare_earths.project import Project, relative

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
    with started_cluster(workers=2) as (address, _, _):
        yield address


@contextlib.contextmanager
def started_cluster(workers: int) -> Iterator[tuple[str, subprocess.Popen, list[subprocess.Popen]]]:
    """A scheduler and `workers` workers on 127.0.0.1, killed when the block ends."""
    count = workers
    address = f"tcp://127.0.0.1:{free_port()}"
    options = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True, "cwd": CHECKOUT.root}
    scheduler = subprocess.Popen(
        [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
        **options,
    )
    workers = []
    try:
        wait_for_line(scheduler, "Scheduler at:")
        for _ in range(count):
            worker = subprocess.Popen(
                [
                    str(DASK),
                    "worker",
                    address,
                    "--nthreads",
                    "1",
                    "--no-nanny",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                ],
                **options,
            )
            workers.append(worker)
            wait_for_line(worker, "Registered to:")
        yield address, scheduler, workers
    finally:
        # Killed, not asked to stop: the cluster is the test's own and nothing is asserted of its
        # shutdown, and a worker whose scheduler is gone spent up to 30 s trying to close cleanly.
        for process in [*workers, scheduler]:
            process.kill()
        for process in [*workers, scheduler]:
            process.wait()


def outputs(project: Project) -> dict[str, bytes]:
    found = [*project.executed.glob("*.ipynb"), *project.html.glob("*.html"), *project.processed.glob("*.csv")]
    return {relative(path): path.read_bytes() for path in sorted(found)}


def run(project: Project, *arguments: str) -> subprocess.CompletedProcess:
    # Without the sensitivity sweep: what is compared is the chain's own work (tests/build/test_sweep.py
    # runs a sweep on a cluster).
    return subprocess.run(
        [sys.executable, "-m", "rare_earths", "--project", str(project.root), "run", "--no-sweep", *arguments],
        capture_output=True,
        text=True,
    )


def run_here(project: Project, workers) -> Said:
    """A local run without the sweep, in this process on the test run's workers (conftest's `command_here`)."""
    return command_here(workers, "--project", str(project.root), "run", "--no-sweep")


def test_the_chain_on_a_dask_cluster_gives_what_a_local_run_gives(cluster, tmp_path, workers):
    project = make_project(tmp_path, built=True)
    here = run_here(project, workers)  # a copy of what `make test` built: only the site is made again (no sweep)
    assert here.returncode == 0, here.stderr[-2000:]
    expected = outputs(project)
    distributed = run(project, "--force", "--scheduler", cluster)  # as a researcher runs it: a process of its own
    assert distributed.returncode == 0, distributed.stderr[-2000:]
    assert outputs(project) == expected
    # A Dask worker records what it imported like a local one: the manifests are the same, so a
    # local run finds everything up to date.
    again = run_here(project, workers)
    assert again.returncode == 0 and outputs(project) == expected
    assert "every notebook is up to date" in again.stdout and "reports/html/ is up to date" in again.stdout, (
        again.stdout
    )


def test_a_sweep_on_a_dask_cluster_gives_the_local_sweeps_bytes(local, cluster, tmp_path):  # noqa: F811
    out, _ = local
    sweep_fixtures(tmp_path, scheduler=cluster)
    assert tree(tmp_path) == tree(out)
    assert (tmp_path / "results.csv").read_bytes() == (out / "results.csv").read_bytes()


# The command line with the time a cluster may stay without a worker set first (`python -m
# rare_earths` otherwise): a test of the run that lost its only worker waits that long, not the 10 s
# a worker restarting on a real cluster is given.
WITH_WORKERLESS_SECONDS = """
import sys
from rare_earths.build import executors
executors.WORKERLESS_SECONDS = float(sys.argv[1])
from rare_earths.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


def running_in_a_worker(project: Project) -> bool:
    """Has a worker begun a notebook? It has made the file its executed copy is written to
    (`execution.execute`) in the run's fence (`chain.execute_runs`), the one folder it writes into,
    until the run removes it."""
    return any(project.executed.glob(f"{STAGING_PREFIX}*/.*.running.ipynb"))


def run_until_running(project: Project, address: str, workerless_seconds: float | None = None) -> subprocess.Popen:
    """The chain started on the cluster, returned once a worker has begun its first notebook (not
    only once it was sent: a kill before then leaves the worker nothing to write); with
    `workerless_seconds`, the time it gives a cluster without a worker is that."""
    if workerless_seconds is None:
        start = [sys.executable, "-m", "rare_earths"]
    else:
        start = [sys.executable, "-c", WITH_WORKERLESS_SECONDS, str(workerless_seconds)]
    process = subprocess.Popen(
        # Notebooks to run without the data step first: those that declare usd_inr, with another value.
        [*start, "--project", str(project.root), "run", "--no-sweep", "--set", "usd_inr=86", "--scheduler", address],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("submitted"):
            threading.Thread(target=process.stdout.read, daemon=True).start()
            break
    else:
        raise AssertionError(f"the chain ended before it submitted a notebook: {process.stderr.read()[-2000:]}")
    given_up = time.monotonic() + 120  # as long as the test waits for the chain to end
    while not running_in_a_worker(project):
        assert process.poll() is None, f"the chain ended before a worker began: {process.stderr.read()[-2000:]}"
        if time.monotonic() > given_up:
            process.kill()
            raise AssertionError("no worker began a notebook within 120 s of its submission")
        time.sleep(0.05)
    return process


def snapshot(project: Project) -> dict[str, bytes]:
    return {relative(path): path.read_bytes() for path in sorted(project.reports.rglob("*")) if path.is_file()}


def killed_mid_run(
    project: Project, address: str, victim: subprocess.Popen, workerless_seconds: float | None = None
) -> tuple[int, str, float]:
    """Kill `victim` (a worker or the scheduler) once a worker is running a notebook; the chain's
    exit code, what it printed on stderr, and the seconds from the kill to its end."""
    process = run_until_running(project, address, workerless_seconds)
    victim.kill()
    killed = time.monotonic()
    process.wait(timeout=120)
    return process.returncode, process.stderr.read(), time.monotonic() - killed


def test_the_only_worker_killed_ends_the_run_in_bounded_time_in_one_line(tmp_path):
    """The case: the only worker killed gave silence for over 150 s, until a new worker appeared,
    and the finished notebook was run again and rewritten."""
    project = make_project(tmp_path, built=True)
    with started_cluster(workers=1) as (address, _, (worker,)):
        code, err, took = killed_mid_run(project, address, worker, workerless_seconds=1.5)
    assert code == 1
    lines = [line for line in err.splitlines() if "lost its workers" in line]
    assert len(lines) == 1 and "and none joined within 1.5 s" in lines[0], err[-2000:]
    print(f"\nthe only worker killed: reported in {took:.1f} s")


def slowed(project: Project, seconds: float) -> None:
    """Each notebook of `project` that the runs below run (those declaring usd_inr) made to take
    `seconds` more, in a last cell: its worker is still running it when its run has ended."""
    for notebook in project.notebooks.glob("*.ipynb"):
        if "usd_inr" in execution.declared_parameters(notebook):
            content = json.loads(notebook.read_text(encoding="utf-8"))
            content["cells"].append(nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})", id="slowed"))
            notebook.write_text(json.dumps(content), encoding="utf-8")


def test_a_dead_scheduler_ends_the_run_and_its_orphaned_worker_writes_nothing(tmp_path):
    """The case: the scheduler killed, the run ended in 2 s saying nothing changed, and 9 s later
    the orphaned worker wrote an executed notebook outside the lock. Here the notebook outlasts its
    run, so the orphan finishes it after the run has ended, as in the case."""
    project = make_project(tmp_path, built=True)
    slowed(project, seconds=8)
    with started_cluster(workers=1) as (address, scheduler, (worker,)):
        code, err, took = killed_mid_run(project, address, scheduler)
        ended = snapshot(project)
        # A worker that lost its scheduler closes, and a closing worker lets its running task finish
        # first: once its process has ended, the orphan has finished its notebook and tried to write it.
        worker.wait(timeout=120)
        assert snapshot(project) == ended, "a task wrote after its run had ended"
    lines = [line for line in err.splitlines() if "was lost" in line]
    assert code == 1 and len(lines) == 1, err[-2000:]
    print(f"\na dead scheduler: reported in {took:.1f} s")
