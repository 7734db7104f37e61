"""Kernels ready before they are needed: a notebook's kernel forked from a process that has already
imported the heavy third-party libraries, instead of started from nothing.

A fresh kernel spends about a second starting Python, ipykernel and their imports, then the
notebook imports pandas, pint, matplotlib and seaborn: a second more, every notebook. Here each
worker keeps one *kernel factory*: a Python started like the project's kernel (the same
interpreter and flags) that imports ipykernel's application and those libraries, and nothing of
the project, then waits. Asked for a kernel, it forks: the child takes the kernel's environment,
working folder and command line, and starts ipykernel exactly as `python -m ipykernel_launcher`
would. Its user namespace is made by ipykernel then, so it is as empty as a fresh kernel's, and
no project module is loaded before the notebook imports it: what the notebook reads is observed
exactly as in a fresh kernel (tests/build/test_kernels.py runs the chain's notebooks both ways and
compares the executed copies byte for byte). Each forked kernel draws random numbers of its own, as
a fresh one does. Two differences stay. Before the notebook imports them, the libraries are
already in sys.modules, with what their import left in the interpreter (pint's adds two finders to
sys.meta_path): a notebook that looks there first sees them sooner, not otherwise. And the kernels
of one factory share its seed for hashing strings, chosen as an interpreter starts, so a set of
strings is iterated in the same order in each; a fresh kernel's order changes from kernel to
kernel. Output that depends on that order is not reproducible in either, and the chain's outputs
are compared run against run.

jupyter_client manages the forked kernel as it does any local kernel: `ForkedProvisioner` is its
local provisioner with the launch replaced, so interrupts, kills and shutdowns reach the same
process. Only a Python kernel spec that runs `-m ipykernel_launcher` is forked, on Linux; any other
kernel (or a factory that cannot start) is started the ordinary way.
"""

from __future__ import annotations

import atexit
import importlib.machinery
import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

# What the factory imports before it forks: what the chain's notebooks import, whose import costs
# most (about 1.1 s of a kernel's start, 0.55 s of it pyplot, seaborn and pandera). Never the
# project: its modules are observed as a notebook imports them. pyplot may be: it chooses its
# backend only when the first figure is made, in the kernel, so the inline backend's display of
# figures is set up there as in a fresh kernel (tests/build/test_kernels.py compares both).
WARM_IMPORTS = (
    "ipykernel.kernelapp",
    "numpy",
    "pandas",
    "pint",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "pandera.pandas",
    "filelock",
)

LAUNCHER = ("-m", "ipykernel_launcher")

# The factory's program, run with `python -c` so that importing it imports nothing of the project.
# It reads requests (one JSON line each: argv, env, cwd) on the pipe whose fd is its first argument;
# the child it forks answers on the pipe of its second argument with its pid once it leads a session of its own, as a kernel jupyter_client starts does.
_FACTORY = r"""
import json, os, signal, sys, ctypes
from pathlib import Path
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel sets it
if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
    del sys.path[0]  # as ipykernel_launcher does before its imports
import importlib
class LookedFor:  # last on sys.meta_path: asked only for what no finder found (an optional import)
    names = set()
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if path is None:
            cls.names.add(name)
sys.meta_path.append(LookedFor)
for name in IMPORTS:
    try:
        importlib.import_module(name)
    except BaseException as error:  # said in one line to the worker, which starts its kernels the ordinary way
        try:
            said = f"{type(error).__name__}: {error}"
        except BaseException:  # an exception that cannot say what it is
            said = type(error).__name__
        said = f"failed to import {name}: " + " ".join(said.split())
        os.write(int(sys.argv[2]), (said + "\n").encode("utf-8", "backslashreplace"))
        os._exit(1)
sys.meta_path.remove(LookedFor)  # its kernels find modules as a fresh kernel does
libc = ctypes.CDLL(None, use_errno=True)
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # its kernels are reaped by the system
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # its worker gone mid-answer: end quietly, no traceback
requests, answers = os.fdopen(int(sys.argv[1]), "r"), int(sys.argv[2])
# What it loaded, and what its libraries looked for and did not find, by top-level name: a module of
# a kernel's folder named as one of these would be imported by a fresh kernel there (its folder
# comes first on sys.path), not by a forked one.
names = {name.split(".")[0] for name in sys.modules} | LookedFor.names
del LookedFor
os.write(answers, ("ready " + json.dumps(sorted(names)) + "\n").encode())
for line in requests:  # until the worker that asked for it is gone, and its end of the pipe with it
    request = json.loads(line)
    if os.fork():
        continue
    try:
        os.setsid()
        if sys.platform.startswith("linux"):
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: gone with the factory
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.write(answers, f"{os.getpid()}\n".encode())
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # as Python sets it for any program
        requests.close()
        os.close(answers)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        if request["quiet"]:  # its errors discarded, as the kernel's starter asked (nbval does)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 2)
            os.close(null)
        # Draws of its own, as a fresh kernel's imports make: Python reseeds `random` in a forked
        # child, but numpy's global generator would repeat the factory's in every kernel.
        if "numpy" in sys.modules:
            importlib.import_module("numpy.random").seed()
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.argv = request["argv"]
        from ipykernel import kernelapp
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        import traceback
        traceback.print_exc()
        code = 1
    finally:
        import atexit
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
"""


READY_SECONDS = 120.0  # for the factory's imports (about a second; far more on a loaded machine)
FORK_SECONDS = 30.0  # for a forked kernel to say its pid (a few milliseconds)

# Set (to anything but empty) to start every kernel the ordinary way, e.g. to compare with forked ones.
FRESH_VARIABLE = "RARE_EARTHS_FRESH_KERNELS"


class FactoryFailed(RuntimeError):
    """The kernel factory could not start or stopped answering: kernels are then started fresh."""


class CannotImport(FactoryFailed):
    """One of the factory's imports failed: it would fail again, so no factory is started again."""


class KernelFactory:
    """A process that forks kernels on request (see the module's docstring). Thread-safe: a Dask
    worker runs several notebooks at once."""

    def __init__(self, prefix: list[str], env: dict[str, str]):
        self.prefix, self.env = list(prefix), dict(env)
        requests_read, self._requests = os.pipe()
        self._answers, answers_write = os.pipe()
        self.lock = threading.Lock()
        program = _FACTORY.replace("IMPORTS", repr(WARM_IMPORTS))
        try:
            self.process = subprocess.Popen(
                [*prefix, "-c", program, str(requests_read), str(answers_write)],
                stdin=subprocess.DEVNULL,
                env=env,
                # In a folder without a configuration of its own: matplotlib reads ./matplotlibrc as
                # it is imported, and a kernel forked from here would keep it. The kernel's own
                # folder is looked at before each fork (`shadowing`).
                cwd="/",
                pass_fds=(requests_read, answers_write),
                start_new_session=True,  # a Ctrl-C at the terminal is the run's to handle, not the factory's
            )
        finally:
            os.close(requests_read)
            os.close(answers_write)
        self._reader = os.fdopen(self._answers, "r")
        ready = self._answer(READY_SECONDS)
        if not ready.startswith("ready "):
            self.close()
            if ready.startswith("failed "):
                raise CannotImport(f"the kernel factory {ready}")
            if self.process.returncode != -signal.SIGKILL:  # it ended by itself, before close() killed it
                raise FactoryFailed(f"the kernel factory stopped as it started (exit {self.process.returncode})")
            raise FactoryFailed(f"the kernel factory was not ready within {READY_SECONDS:g} s")
        self.modules = frozenset(json.loads(ready.removeprefix("ready ")))

    def fork(self, argv: list[str], env: dict[str, str], cwd: str, quiet: bool = False) -> int:
        """Start a kernel running `argv` (the kernel's command, the interpreter's part left out) in
        `cwd` with `env`; return its pid."""
        request = json.dumps({"argv": argv, "env": env, "cwd": cwd, "quiet": quiet}) + "\n"
        with self.lock:
            if self.process.poll() is not None:
                raise FactoryFailed(f"the kernel factory has stopped (exit {self.process.returncode})")
            os.write(self._requests, request.encode())
            answer = self._answer(FORK_SECONDS)
        if not answer.isdigit():
            self.close()  # the next notebook gets a new factory
            raise FactoryFailed(f"the kernel factory did not fork a kernel within {FORK_SECONDS:g} s")
        return int(answer)

    def _answer(self, seconds: float) -> str:
        """The factory's next line, or "" if none comes within `seconds` (a factory stopped or
        frozen must not hang its worker)."""
        ready, _, _ = select.select([self._answers], [], [], seconds)
        return self._reader.readline().strip() if ready else ""

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        if not self._reader.closed:
            os.close(self._requests)
            self._reader.close()


_factories: dict[tuple[str, ...], KernelFactory] = {}
_factories_lock = threading.Lock()
# The kernels (interpreter and environment) whose factory could not import in this process: started
# the ordinary way from then on, said once, not a factory's imports paid again for every notebook.
# A factory that failed otherwise (too slow on a busy machine, a fork refused) is tried again.
_given_up: set[tuple[tuple[str, ...], frozenset[tuple[str, str]]]] = set()


def factory_for(prefix: list[str], env: dict[str, str]) -> KernelFactory | None:
    """This process's kernel factory for kernels started with `prefix` (the interpreter and its
    flags) in the environment `env`, started the first time it is asked for (and again if the
    environment changed: what the libraries read of it as they are imported must be the kernel's);
    None where kernels cannot be forked, or its factory could not start (or could not import: then
    for good in this process, said once on stderr)."""
    if not sys.platform.startswith("linux") or os.environ.get(FRESH_VARIABLE):
        return None
    key = (tuple(prefix), frozenset(env.items()))
    with _factories_lock:
        if key in _given_up:
            return None
        factory = _factories.get(tuple(prefix))
        if factory is None or factory.env != env or factory.process.poll() is not None:
            if factory is not None:
                factory.close()
            try:
                factory = _factories[tuple(prefix)] = KernelFactory(prefix, env)
            except CannotImport as error:
                _factories.pop(tuple(prefix), None)
                _given_up.add(key)
                print(f"note: kernels start the ordinary way in this process, more slowly: {error}", file=sys.stderr)
                return None
            except (OSError, FactoryFailed):
                _factories.pop(tuple(prefix), None)
                return None
        return factory


def kernel_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a kernel this process starts runs in: jupyter_client's launcher adds the
    pid of the process that started it, which ipykernel watches (and reads as it is imported)."""
    return {**(os.environ if env is None else env), "JPY_PARENT_PID": str(os.getpid())}


@atexit.register
def _close_factories() -> None:
    for factory in _factories.values():
        factory.close()


def split_command(argv: list[str]) -> tuple[list[str], list[str]] | None:
    """A kernel command as (interpreter and flags, the launcher and its arguments) if it is
    `python [flags] -m ipykernel_launcher ...`; None for any other kernel."""
    for index in range(1, len(argv) - 1):
        if tuple(argv[index : index + 2]) == LAUNCHER:
            return argv[:index], argv[index:]
    return None


def warm(kernel: str) -> bool:
    """Start this process's factory for the kernel named `kernel` now, while other work runs, so
    that its first notebook does not wait for the imports. False if that kernel is not forked here."""
    split = split_command(kernel_spec_argv(kernel))
    return split is not None and factory_for(split[0], kernel_environment()) is not None


def kernel_spec_argv(kernel: str) -> list[str]:
    """The command of the kernel named `kernel`; [] if there is none (its first notebook says so)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(kernel).argv
    except NoSuchKernel:
        return []


class ForkedProcess:
    """The part of `subprocess.Popen` jupyter_client uses, for a kernel forked by a factory (which
    is its parent, so it is asked by signal rather than waited for)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid, self.returncode = pid, None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # its status went to its parent, the factory
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching the kernel from the worker's factory."""

    factory: KernelFactory | None = None

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        prefix, launcher = split_command(cmd)
        env = kernel_environment(kwargs.get("env"))
        if self.factory.env != env:  # the environment changed since the factory started: a new one
            self.factory = factory_for(prefix, env) or _failed("the kernel factory could not be restarted")
        cwd = str(kwargs.get("cwd") or os.getcwd())
        if shadowing(cwd, self.factory.modules):  # a fresh kernel would import those: so must this one
            return await super().launch_kernel(cmd, **kwargs)
        # sys.argv as `python -m ipykernel_launcher` gives it: the launcher's file, then its arguments.
        argv = [_launcher_file(), *launcher[2:]]
        # Its stderr is the factory's, unless the starter sent the kernel's to /dev/null (as nbval does).
        quiet = getattr(kwargs.get("stderr"), "name", None) == os.devnull
        pid = self.factory.fork(argv, env, cwd, quiet)
        self.process = ForkedProcess(pid)
        self.pid, self.pgid, self.cwd = pid, pid, Path(cwd)
        return self.connection_info


# The files of its working folder that a library the factory imports reads as it is imported.
READ_AS_IMPORTED = frozenset({"matplotlibrc"})


def shadowing(folder: str, modules: frozenset[str]) -> list[str]:
    """The files of `folder` that a fresh kernel working there would import in place of a module
    the factory has loaded or looked for in vain (a module, or a folder, named as one: pint's
    import of an optional `uncertainties` would find either), or would read
    as it imports one (READ_AS_IMPORTED): a kernel forked with that module already loaded would
    not, so it is started fresh instead."""
    suffixes = importlib.machinery.all_suffixes()
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in READ_AS_IMPORTED and entry.is_file():
                found.append(entry.name)
                continue
            if entry.is_dir():  # with an __init__ or without: a namespace package is imported too
                name = entry.name
            else:
                name = next((entry.name[: -len(suffix)] for suffix in suffixes if entry.name.endswith(suffix)), "")
            if name in modules:
                found.append(entry.name)
    return sorted(found)


def _failed(message: str):
    raise FactoryFailed(message)


def _launcher_file() -> str:
    import importlib.util

    return importlib.util.find_spec("ipykernel_launcher").origin


def provision(kernel_manager) -> bool:
    """Give `kernel_manager` (not started yet) a forked kernel when it starts, if its kernel can be
    forked here; False (started the ordinary way) otherwise."""
    split = split_command(kernel_manager.kernel_spec.argv)
    factory = factory_for(split[0], kernel_environment()) if split else None
    if factory is None:
        return False
    import uuid

    kernel_manager.kernel_id = kernel_manager.kernel_id or str(uuid.uuid4())
    provisioner = ForkedProvisioner(
        kernel_id=kernel_manager.kernel_id, kernel_spec=kernel_manager.kernel_spec, parent=kernel_manager
    )
    provisioner.factory = factory
    kernel_manager.provisioner = provisioner
    return True
