"""Dask is optional (the `dask` extra): imported only where a scheduler is asked for, and its absence
then refused in one line naming the extra, before anything runs. A cluster that misbehaves (a
malformed address, a port that is no scheduler, a lost scheduler or worker, a worker of another
checkout, a task outliving its run) is reported in bounded time, in one line, and writes nothing."""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future

import pytest

from rare_earths import __main__ as cli
from rare_earths.build import executors, scheduling


def test_the_command_line_and_the_chain_import_no_dask():
    code = (
        "import sys\n"
        "from rare_earths import __main__ as cli\n"
        "from rare_earths.build import chain, executors, sweep\n"
        "with executors.open_executor(1) as pool: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


@pytest.fixture
def without_dask(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *rest: None if name == "distributed" else real(name, *rest)
    )


@pytest.mark.parametrize("command", ["run", "notebooks", "sweep"])
def test_a_scheduler_without_dask_is_refused_in_one_line_naming_the_extra(
    command, without_dask, project, monkeypatch, capsys
):
    from rare_earths.build import steps

    def must_not_run(*args, **kwargs):
        raise AssertionError("a step ran although the scheduler cannot be reached without Dask")

    monkeypatch.setattr(steps, "build_data", must_not_run)
    grid = ["--grid", "usd_inr=80,90"] if command == "sweep" else []
    assert cli.main(["--project", str(project.root), command, *grid, "--scheduler", "tcp://127.0.0.1:8786"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: running on the Dask scheduler tcp://127.0.0.1:8786")
    assert "dask extra" in err and "pip install -e '.[dask]'" in err


def test_the_scheduler_variable_alone_asks_for_dask(without_dask, monkeypatch):
    monkeypatch.setenv(executors.SCHEDULER_VARIABLE, "tcp://10.0.0.5:8786")
    with pytest.raises(executors.MissingExtra, match=r"tcp://10\.0\.0\.5:8786.*dask extra"):
        executors.require_dask()
    monkeypatch.delenv(executors.SCHEDULER_VARIABLE)
    executors.require_dask()  # no scheduler: nothing to refuse


def test_a_command_without_a_scheduler_option_ignores_the_variable(without_dask, project, monkeypatch, capsys):
    monkeypatch.setenv(executors.SCHEDULER_VARIABLE, "tcp://10.0.0.5:8786")
    assert cli.main(["--project", str(project.root), "docs"]) == 0, capsys.readouterr().err


# --- a cluster that misbehaves: reported in bounded time, in one line ----------------------------


needs_dask = pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="the dask extra")


@pytest.mark.parametrize("address", ["garbage", "http://127.0.0.1:8786", "tcp://127.0.0.1:99999", "tcp://:8786"])
def test_a_malformed_scheduler_address_is_refused_before_anything_runs(address, project, monkeypatch, capsys):
    """The case: DASK_SCHEDULER_ADDRESS=garbage gave a raw traceback after the data step."""
    from rare_earths.build import steps

    monkeypatch.setattr(steps, "build_data", lambda *a, **k: pytest.fail("the data step ran"))
    monkeypatch.setenv(executors.SCHEDULER_VARIABLE, address)
    assert cli.main(["--project", str(project.root), "run"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not one Dask can reach: give tcp://HOST:PORT" in err
    assert not project.processed.exists() and not project.run_lock.exists()


def listening(reply: bytes | None) -> str:
    """A port on 127.0.0.1 that accepts connections and then says `reply` (or nothing, ever)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held = []

    def serve():
        while True:
            connection, _ = server.accept()
            held.append(connection)
            if reply is not None:
                connection.sendall(reply)

    threading.Thread(target=serve, daemon=True).start()
    return f"tcp://127.0.0.1:{server.getsockname()[1]}"


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{probe.getsockname()[1]}"


@needs_dask
@pytest.mark.parametrize(
    ("address", "says"),
    [
        (lambda: listening(None), "did not answer as a Dask scheduler within 1 s"),
        (lambda: listening(b"HTTP/1.1 200 OK\r\n\r\n" * 64), "is not a Dask scheduler"),
        (closed_port, "nothing answers there"),
    ],
    ids=["a-silent-port", "a-port-speaking-http", "nothing-listening"],
)
def test_a_port_that_is_no_scheduler_is_named_in_bounded_time(address, says):
    """The case: a port that answers but is no scheduler gave silence for 556 s."""
    started = time.monotonic()
    with pytest.raises(executors.ClusterUnavailable, match=says):
        executors.identify(address(), seconds=1)
    assert time.monotonic() - started < 30  # bounded by the connect timeout, not by the test's patience


class FakeClient:
    def __init__(self, status="running", workers=("tcp://127.0.0.1:1",)):
        self.status, self.workers, self.scheduler = status, list(workers), type("S", (), {"identity": None})()

    def sync(self, function, callback_timeout=None):
        return {"type": "Scheduler", "workers": {address: {} for address in self.workers}}


def test_a_lost_scheduler_is_named_at_the_next_watch():
    client = FakeClient()
    watch = executors.Watch(client, "tcp://127.0.0.1:8786", {"tcp://127.0.0.1:1"})
    assert watch.lost() == ""
    client.status = "connecting"
    assert watch.lost() == "the Dask scheduler at tcp://127.0.0.1:8786 was lost (the client is connecting)"


def test_the_last_worker_lost_is_named_once_none_joined_in_time(monkeypatch):
    """The case: the only worker killed gave silence for over 150 s, until a new worker appeared."""
    client = FakeClient()
    watch = executors.Watch(client, "tcp://127.0.0.1:8786", {"tcp://127.0.0.1:1"})
    client.workers = []
    clock = [1000.0]
    monkeypatch.setattr(executors.time, "monotonic", lambda: clock[0])
    assert watch.lost() == "", "a worker that restarts may come back"
    clock[0] += executors.WORKERLESS_SECONDS
    assert "lost its workers (tcp://127.0.0.1:1) and none joined within" in watch.lost()


def test_the_scheduler_of_runs_ends_every_run_when_the_cluster_is_lost():
    class Stalled:
        """A cluster whose runs never end: the futures stay pending, as they do on a lost worker."""

        watch_seconds = 0.01

        def __init__(self):
            self.asked = 0

        def submit(self, *_):
            return Future()

        def lost(self):
            self.asked += 1
            return "the Dask scheduler at tcp://127.0.0.1:8786 was lost" if self.asked > 2 else ""

    task = scheduling.Task("x.ipynb", {}, "out", "notebooks", "k", 1.0, 0)
    jobs = [scheduling.Job(label, task) for label in ("a", "b", "c")]
    outcomes = scheduling.run_all(jobs, Stalled(), slots=1, echo=lambda line: None)
    assert {label: outcome.status for label, outcome in outcomes.items()} == dict.fromkeys("abc", "failed")
    assert {outcome.error for outcome in outcomes.values()} == {"the Dask scheduler at tcp://127.0.0.1:8786 was lost"}


def test_a_local_worker_that_died_is_said_in_plain_words():
    """A killed local worker breaks its pool: the run it held, and a run submitted to the broken
    pool, fail saying a worker process ended, not the pool's "BrokenProcessPool: A process in the
    process pool was terminated abruptly while the future was running or pending." (the pages show it)."""
    from concurrent.futures.process import BrokenProcessPool

    broken = BrokenProcessPool("A process in the process pool was terminated abruptly")

    class Died:
        def __init__(self):
            self.submitted = 0

        def submit(self, *_):
            self.submitted += 1
            if self.submitted > 1:
                raise broken
            future = Future()
            future.set_exception(broken)
            return future

    task = scheduling.Task("x.ipynb", {}, "out", "notebooks", "k", 1.0, 0)
    jobs = [scheduling.Job(label, task) for label in ("a", "b")]
    outcomes = scheduling.run_all(jobs, Died(), slots=1, echo=lambda line: None)
    ended = "a local worker process ended without finishing (killed, or out of memory)"
    assert {label: outcome.error for label, outcome in outcomes.items()} == {
        "a": f"its worker failed: {ended}",
        "b": f"not run: {ended}",
    }


def test_a_worker_whose_code_or_data_differ_from_the_clients_is_refused(project, tmp_path):
    """The case: a worker started in another checkout served the run with that checkout's data."""
    from rare_earths.build.runner import fingerprint

    project.processed.mkdir(parents=True, exist_ok=True)
    (project.processed / "claims.csv").write_text("claim_id\na000-01\n", encoding="utf-8")
    expected = fingerprint(("src/rare_earths", "data/processed"), {}, project.root)["files"]
    assert scheduling.worker_differs(expected, project.notebooks) == ""
    (project.processed / "claims.csv").write_text("claim_id\nOTHER\n", encoding="utf-8")
    assert (
        scheduling.worker_differs(expected, project.notebooks)
        == "its data/processed/claims.csv differs from the client's"
    )
    out = tmp_path / "out"
    task = scheduling.Task("01-x.ipynb", {}, str(out), str(project.notebooks), "k", 1.0, 0, expected=expected)
    outcome = scheduling.run_task(task)
    assert outcome.status == "failed" and outcome.error.startswith(
        "refused by its worker: its data/processed/claims.csv"
    )
    assert not out.exists()


def test_a_task_whose_run_has_ended_writes_nothing(fixtures, tmp_path):
    """The case: 9 s after a lost scheduler ended the run, an orphaned worker wrote an executed
    notebook outside the lock. A task writes only into its run's fence, never made anew."""
    fence = tmp_path / "out" / ".staging-ended"  # removed when its run ended
    task = scheduling.Task(
        "01-greets.ipynb",
        {},
        str(tmp_path / "out"),
        str(fixtures / "notebooks"),
        "rare-earths",
        60.0,
        0,
        fence=str(fence),
    )
    (tmp_path / "out").mkdir()
    outcome = scheduling.run_task(task)
    assert outcome.status == "failed"
    assert [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")] == ["out"]


def test_a_run_whose_worker_never_answers_is_given_up_once_overdue_and_the_others_run(monkeypatch):
    """A worker stopped (SIGSTOP) or frozen mid-run, local or on a cluster that still lists it: its
    run fails once no run could still be going, naming why; the runs after it are run."""
    monkeypatch.setattr(scheduling, "STARTING_SECONDS", 0.0)
    monkeypatch.setattr(scheduling.TimeLimit, "GRACE_SECONDS", 0.0)

    class OneWorkerStopped:
        """Runs end at once, but for "stuck", whose future stays pending, as a stopped worker's does."""

        def submit(self, function, task):
            future = Future()
            if task.notebook != "stuck.ipynb":
                future.set_result(scheduling.Outcome(task.notebook, "run", "ok"))
            return future

    def job(label):
        return scheduling.Job(label, scheduling.Task(f"{label}.ipynb", {}, "out", "notebooks", "k", 0.05, 0))

    outcomes = scheduling.run_all(
        [job("stuck"), job("a"), job("b")], OneWorkerStopped(), slots=1, echo=lambda line: None
    )
    assert {label: outcome.status for label, outcome in outcomes.items()} == {"stuck": "failed", "a": "ok", "b": "ok"}
    assert outcomes["stuck"].error == "its worker did not answer within 0.1 s (stopped, frozen or lost): given up"
    # The limit, with its real margins: a run waits for one ahead of it, then meets its own limit.
    monkeypatch.undo()
    task = scheduling.Task("x.ipynb", {}, "out", "notebooks", "k", 20.0, 1)
    assert scheduling.overdue_after(task) == 3 * (
        scheduling.STARTING_SECONDS + 20.0 + scheduling.TimeLimit.GRACE_SECONDS
    )


def test_a_stopped_local_worker_is_killed_when_the_pool_shuts_down(monkeypatch):
    """Shutting the pool down waits for a worker only so long, then kills it: a stopped worker (or
    one still in a run given up as overdue) never holds the command, or the run lock, for ever."""
    import os
    import signal

    monkeypatch.setattr(executors, "SHUTDOWN_SECONDS", 0.5)
    with executors.open_executor(1) as pool:
        pid = pool.submit(os.getpid).result()
        os.kill(pid, signal.SIGSTOP)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped


@pytest.mark.parametrize(("warm", "started"), [(0, 0), (1, 1), (2, 2), (6, 2)])
def test_a_local_pool_starts_workers_as_warmed_then_one_per_task_it_has(warm, started):
    """Warmed before the data step, a worker for each notebook chosen, up to `jobs`; otherwise one
    notebook to run (one parameter changed) starts one worker and its kernel factory, not `jobs`."""
    import os

    with executors.open_executor(2, warm=warm) as pool:
        assert len(pool._processes) == started  # the pool's own record of its workers
        if not warm:
            pool.submit(os.getpid).result()
            assert len(pool._processes) == 1
