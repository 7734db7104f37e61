"""Where the chain's notebooks run: a `concurrent.futures` executor, local or on a Dask cluster.

Locally, a pool of processes (one per core by default), each running one notebook and then
replaced, so no kernel or import leaks from one notebook into the next; on Linux a worker dies with
the chain's process, however that dies. Given a scheduler address (`--scheduler tcp://HOST:PORT`,
or `DASK_SCHEDULER_ADDRESS`), the same tasks go to a Dask distributed cluster through its
`concurrent.futures` interface; its workers need the project at the same path (a shared
filesystem) and the same environment.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


class MissingExtra(RuntimeError):
    """A feature asked for whose optional dependencies (an extra of pyproject.toml) are not installed."""


def require_dask(scheduler: str | None = None) -> None:
    """Refuse, before anything runs, a scheduler address in an environment without Dask distributed
    (the `dask` extra): Dask is imported only where a scheduler is asked for."""
    address = scheduler_address(scheduler)
    if address and importlib.util.find_spec("distributed") is None:
        raise MissingExtra(
            f"running on the Dask scheduler {address} needs Dask distributed, which is not installed: install "
            "the project's dask extra (pip install -e '.[dask]'; `make test` and `make venv` install it), or run "
            f"locally without --scheduler and with {SCHEDULER_VARIABLE} unset"
        )


def scheduler_address(given: str | None = None) -> str | None:
    """The Dask scheduler to use: the one given, else DASK_SCHEDULER_ADDRESS, else none (run locally)."""
    return given or os.environ.get(SCHEDULER_VARIABLE) or None


@contextlib.contextmanager
def open_executor(jobs: int, scheduler: str | None = None) -> Iterator[Executor]:
    """An executor for the chain's tasks, shut down (and its workers gone) when the block ends."""
    address = scheduler_address(scheduler)
    if address:
        require_dask(address)
        from distributed import Client  # here: distributed costs about 0.4 s, which a local run never pays

        with Client(address, set_as_default=False, timeout="30s") as client:
            executor = client.get_executor(pure=False)
            try:
                yield executor
            finally:
                executor.shutdown(wait=False)
        return
    pool = ProcessPoolExecutor(
        max_workers=max(1, jobs),
        mp_context=multiprocessing.get_context("spawn"),
        max_tasks_per_child=1,
        initializer=die_with_parent,
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def die_with_parent() -> None:
    """In a local worker, before it starts: on Linux, be killed when the chain's process dies, however
    it dies, rather than run on as an orphan (its kernel then exits too: ipykernel watches its parent)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
