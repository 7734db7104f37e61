"""Where the chain's notebooks run: a `concurrent.futures` executor, local or on a Dask cluster.

Locally, a pool of processes (one per core by default) that live for the run: each keeps a kernel
factory warm (`rare_earths.build.kernels`), started as the pool opens, so a notebook's kernel is
forked with its heavy imports done rather than started from nothing. Every notebook still runs in
a kernel of its own; on Linux a worker dies with the chain's process, however that dies, and its
factory and kernels with it. Given a scheduler address (`--scheduler tcp://HOST:PORT`,
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
import re
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


class MissingExtra(RuntimeError):
    """A feature asked for whose optional dependencies (an extra of pyproject.toml) are not installed."""


class ClusterUnavailable(RuntimeError):
    """The scheduler asked for cannot serve the run: its address is malformed, nothing answers
    there, or what answers is no Dask scheduler, or it has no worker. One sentence saying which."""


# What a Dask scheduler's address looks like: tcp (the one protocol this project configures: TLS
# would need certificates it does not give), a host (a name, an IPv4 address, or an IPv6 one in
# brackets) and a port.
_ADDRESS = re.compile(r"(?P<scheme>tcp)://(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>\d{1,5})")

CONNECT_SECONDS = 10.0  # for the scheduler to accept a connection and say what it is
WATCH_SECONDS = 2.0  # how often a run on a cluster asks the scheduler what it has
SHUTDOWN_SECONDS = 10.0  # for an idle local worker to end when the pool shuts down (it takes well under one)
WORKERLESS_SECONDS = 10.0  # how long a cluster may have no worker (a restarting one comes back) before the run ends


def check_address(address: str) -> str:
    """A scheduler address as given, refused before anything runs unless it is tcp://HOST:PORT with a
    port from 1 to 65535."""
    match = _ADDRESS.fullmatch(address.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ClusterUnavailable(
            f"scheduler address {address!r} is not one Dask can reach: give tcp://HOST:PORT, "
            f"e.g. tcp://127.0.0.1:8786 (from --scheduler or {SCHEDULER_VARIABLE})"
        )
    return address.strip()


def require_dask(scheduler: str | None = None) -> None:
    """Refuse, before anything runs, a malformed scheduler address, or one given in an environment
    without Dask distributed (the `dask` extra): Dask is imported only where a scheduler is asked for."""
    address = scheduler_address(scheduler)
    if address:
        check_address(address)
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
def open_executor(
    jobs: int, scheduler: str | None = None, kernel: str | None = None, *, warm: int = 0
) -> Iterator[Executor]:
    """An executor for the chain's tasks, shut down (and its workers gone) when the block ends.
    `kernel`: the kernel the tasks will ask for, whose factory each local worker starts at once.
    A local worker starts when a task finds none idle, up to `jobs` (one notebook to run starts
    one); `warm` of them start now (at most `jobs`), for tasks that are sure to come."""
    address = scheduler_address(scheduler)
    if address:
        require_dask(address)
        with _cluster(address) as pool:
            yield pool
        return
    pool = ProcessPoolExecutor(
        max_workers=max(1, jobs),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker,
        initargs=(kernel,),
    )
    try:
        for _ in range(min(warm, max(1, jobs))):  # each warming its factory while this process goes on
            pool.submit(os.getpid)
        yield pool
    finally:
        _shut_down(pool)


def _shut_down(pool: ProcessPoolExecutor) -> None:
    """Shut the local pool down without waiting for ever on a worker that cannot answer (stopped,
    frozen, or running a run the scheduler gave up as overdue): each has SHUTDOWN_SECONDS to end
    once told to, then is killed (its kernel factory and kernels end with it)."""
    processes = list(pool._processes.values())  # the pool's own record of its workers; it has no public one
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + SHUTDOWN_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
    pool.shutdown(wait=True)  # its own thread, which ends once its workers have


class Workers:
    """The executor of one command, opened when first needed and kept for all its runs (the chain,
    notebooks run again, the default sweep), so its workers and their kernel factories start once;
    shut down when the command ends. A command with nothing to run starts no process."""

    def __init__(self, jobs: int, scheduler: str | None = None, kernel: str | None = None):
        self.jobs, self.scheduler, self.kernel = jobs, scheduler, kernel
        self._stack = contextlib.ExitStack()
        self._pool: Executor | None = None

    def pool(self, *, warm: int = 0) -> Executor:
        """The executor, opened now if it is not yet; opened again if a local worker died and broke
        it. `warm`: how many local workers to start now (`open_executor`)."""
        if self._pool is not None and getattr(self._pool, "_broken", False):
            self.close()
        if self._pool is None:
            self._pool = self._stack.enter_context(open_executor(self.jobs, self.scheduler, self.kernel, warm=warm))
        return self._pool

    def warm(self, notebooks: int) -> None:
        """A worker for each of `notebooks` (up to `jobs`) started now, warming its kernel factory
        while this process goes on: when the data step is to run, the chosen notebooks follow it."""
        self.pool(warm=notebooks)

    def close(self) -> None:
        self._pool = None
        self._stack.close()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exception) -> None:
        self.close()


@contextlib.contextmanager
def _cluster(address: str) -> Iterator[Executor]:
    from distributed import Client  # here: distributed costs about 0.4 s, which a local run never pays

    identity = identify(address)
    client = Client(address, set_as_default=False, timeout=f"{CONNECT_SECONDS:g}s")
    executor = client.get_executor(pure=False)
    # Asked by the scheduler of runs (`scheduling.run_all`) every WATCH_SECONDS while it waits.
    executor.lost = Watch(client, address, set(identity.get("workers", {}))).lost
    executor.watch_seconds = WATCH_SECONDS
    try:
        yield executor
    finally:
        executor.shutdown(wait=False)
        with contextlib.suppress(Exception):  # a lost scheduler: nothing to say goodbye to
            client.close(timeout=CONNECT_SECONDS)


def identify(address: str, seconds: float = CONNECT_SECONDS) -> dict:
    """Ask what answers at `address`, within `seconds`: a Dask scheduler with at least one worker,
    or ClusterUnavailable saying what answered instead (nothing, something silent, something else)."""
    import asyncio
    import socket

    from distributed.core import rpc

    where = _ADDRESS.fullmatch(check_address(address))
    try:  # first whether anything listens: a closed port is said at once, not after Dask's retries
        socket.create_connection((where["host"].strip("[]"), int(where["port"])), timeout=seconds).close()
    except OSError as error:
        raise ClusterUnavailable(f"{address}: nothing answers there ({error.strerror or error})") from None

    async def ask() -> dict:
        async with rpc(address, timeout=seconds) as remote:
            return await remote.identity()

    try:
        identity = asyncio.run(asyncio.wait_for(ask(), seconds))
    except TimeoutError:
        raise ClusterUnavailable(
            f"{address}: something accepts connections there but did not answer as a Dask scheduler "
            f"within {seconds:g} s"
        ) from None
    except OSError as error:
        raise ClusterUnavailable(f"{address}: no Dask scheduler answered within {seconds:g} s ({error})") from None
    except Exception as error:  # it answered, in a protocol that is not Dask's
        raise ClusterUnavailable(
            f"{address}: what answers there is not a Dask scheduler ({type(error).__name__})"
        ) from None
    kind = identity.get("type") if isinstance(identity, dict) else None
    if kind != "Scheduler":
        raise ClusterUnavailable(f"{address}: a Dask {kind or 'service'} answered, not a scheduler")
    if not identity.get("workers"):
        raise ClusterUnavailable(f"{address}: the Dask scheduler has no worker; start one (dask worker {address})")
    return identity


class Watch:
    """What a run on a cluster has lost, asked of the scheduler every WATCH_SECONDS while runs are
    going: the scheduler itself, or every worker for WORKERLESS_SECONDS (a worker that leaves while
    others remain is not a loss: Dask runs its task again on another)."""

    def __init__(self, client, address: str, workers: set[str]):
        self.client, self.address, self.seen, self.workerless_since = client, address, set(workers), None

    def lost(self) -> str:
        """One line naming what was lost, or "" while the cluster can still serve the run."""
        if self.client.status != "running":
            return f"the Dask scheduler at {self.address} was lost (the client is {self.client.status})"
        try:
            identity = self.client.sync(self.client.scheduler.identity, callback_timeout=WATCH_SECONDS * 2)
        except Exception as error:
            return f"the Dask scheduler at {self.address} was lost ({type(error).__name__}: {error})"
        workers = set(identity.get("workers", {}))
        self.seen |= workers
        if workers:
            self.workerless_since = None
            return ""
        self.workerless_since = self.workerless_since or time.monotonic()
        if time.monotonic() - self.workerless_since < WORKERLESS_SECONDS:
            return ""
        return (
            f"the cluster at {self.address} lost its workers ({', '.join(sorted(self.seen))}) and none "
            f"joined within {WORKERLESS_SECONDS:g} s"
        )


def start_worker(kernel: str | None) -> None:
    """A local worker's start: tied to the chain's process, its kernel factory warming."""
    die_with_parent()
    if kernel:  # here, not in a thread: one importing jupyter_client beside a task's import broke both
        from rare_earths.build import kernels  # here: the chain's own process never forks a kernel

        kernels.warm(kernel)


def die_with_parent() -> None:
    """In a local worker, before it starts: on Linux, be killed when the chain's process dies, however
    it dies, rather than run on as an orphan (its kernel then exits too: ipykernel watches its parent)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
