"""What a user passes to make (PARAMS, FORCE, ARGS, LAB_ARGS, LOCK_ARGS) reaches its program as
words, never as shell code or make functions: the Makefile is run against a stand-in venv whose
tools record the arguments they were given."""

from __future__ import annotations

import os
import pty
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import CHECKOUT

# Each of these would create a file named `injected...` if make or the shell ran it.
HOSTILE = "usd_inr=86;touch${IFS}injected1 $(shell touch injected2) `touch injected3` $$(touch injected4) it's|touch injected5"

RECORDER = """#!/bin/sh
{ printf '%s\\n' "$(basename "$0")"; for argument in "$@"; do printf '[%s]\\n' "$argument"; done
  printf 'PYTEST_ADDOPTS=%s\\n' "${PYTEST_ADDOPTS:-}"; } >> calls.txt
"""


@pytest.fixture
def stand_in(tmp_path: Path) -> Path:
    """A folder where the Makefile's every prerequisite is up to date and every tool records its call."""
    assert shutil.which("make"), "GNU make is required"
    for name in ("requirements.lock", "pyproject.toml", "package.json", "package-lock.json"):
        (tmp_path / name).touch()
        os.utime(tmp_path / name, (0, 0))
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    uv_version = next(
        line.split(":=")[1].strip()
        for line in (CHECKOUT.root / "Makefile").read_text().splitlines()
        if line.startswith("UV_VERSION :=")
    )
    # Oldest first: the inputs, then the uv stamp, then what depends on it.
    for age, stamp in (
        (2000, venv / f".uv-{uv_version}"),
        (1000, venv / ".installed"),
        (500, venv / ".installed-dev"),
        (500, venv / ".installed-lab"),
        (1000, tmp_path / "node_modules" / ".installed"),
    ):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
        os.utime(stamp, (time.time() - age, time.time() - age))
    for tool in ("python", "jupyter", "uv", "ruff", "nbqa", "node"):
        (venv / "bin" / tool).write_text(RECORDER, encoding="utf-8")
        (venv / "bin" / tool).chmod(0o755)
    return tmp_path


# What the `make test` running these tests puts in their environment, which the make they run would
# take as given: its flags, and the variables the Makefile exports (`make test ARGS=--durations=0`).
OUTER_MAKE = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTEST_ADDOPTS", "ARGS", "LAB_ARGS", "LOCK_ARGS")


def make(folder: Path, target: str, **variables: str) -> list[str]:
    """Run `make target` in `folder` with the stand-in venv; the recorded calls, one line each."""
    env = {key: value for key, value in os.environ.items() if key not in OUTER_MAKE}
    command = [
        "make",
        "-s",
        "-f",
        str(CHECKOUT.root / "Makefile"),
        target,
        "VENV=venv",
        "CHROMIUM=/bin/sh",
        "NODE=venv/bin/node",
        *(f"{name}={value}" for name, value in variables.items()),
    ]
    subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True, text=True, timeout=60)
    assert not list(folder.glob("injected*")), "make or the shell ran a command given as a value"
    return (folder / "calls.txt").read_text(encoding="utf-8").splitlines()


def test_params_reach_the_command_line_as_words_and_run_nothing(stand_in):
    calls = make(stand_in, "reports", PARAMS=HOSTILE, FORCE="$(shell touch injected6)")
    words = HOSTILE.split()
    assert calls == [
        "python",
        "[-m]",
        "[rare_earths]",
        "[run]",
        *(line for word in words for line in ("[--set]", f"[{word}]")),
        "[--force]",
        "PYTEST_ADDOPTS=",
    ]


def test_ordinary_params_are_passed_as_before(stand_in):
    calls = make(stand_in, "reports", PARAMS="usd_inr=86.0  consumption_base_year=2020")
    assert calls[:8] == [
        "python",
        "[-m]",
        "[rare_earths]",
        "[run]",
        "[--set]",
        "[usd_inr=86.0]",
        "[--set]",
        "[consumption_base_year=2020]",
    ]
    assert calls[8] == "PYTEST_ADDOPTS="


def test_args_reach_pytest_through_its_own_option_variable(stand_in):
    calls = make(stand_in, "test", ARGS="-k 'units or params' ; touch injected7 $(shell touch injected8)")
    starts = [index - 2 for index, call in enumerate(calls) if call == "[pytest]"]
    assert len(starts) == 1, "one pass: every test, the longest modules first"
    for start in starts:
        pytest_call = calls[start : start + 11]
        assert pytest_call[:10] == [
            "python",
            "[-m]",
            "[pytest]",
            "[--nbval]",
            "[--nbval-current-env]",
            "[-n]",
            "[auto]",
            "[--dist]",
            "[loadscope]",
            "[--no-loadscope-reorder]",
        ]
        # make's output is captured here, not a terminal: no colour (see the tests below)
        assert pytest_call[10] == (
            "PYTEST_ADDOPTS=--color=no -k 'units or params' ; touch injected7 $(shell touch injected8) "
        )


def test_lab_and_lock_arguments_are_words_only(stand_in):
    calls = make(
        stand_in, "lab", LAB_ARGS="--port=8899 ;touch injected9 `touch injected10` * $(shell touch injected11)"
    )
    assert calls[calls.index("[--port=8899]") :] == [
        "[--port=8899]",
        "[;touch]",
        "[injected9]",
        "[`touch]",
        "[injected10`]",
        "[*]",
        "[$(shell]",
        "[touch]",
        "[injected11)]",
        "PYTEST_ADDOPTS=",
    ]
    (stand_in / "calls.txt").unlink()
    calls = make(stand_in, "lock", LOCK_ARGS="--upgrade;touch${IFS}injected12")
    assert calls[0] == "uv" and "[--upgrade;touch${IFS}injected12]" in calls


def test_a_sweeps_grid_reaches_the_command_line_as_words_and_runs_nothing(stand_in):
    calls = make(
        stand_in,
        "sweep",
        GRID="usd_inr=80,84.57 consumption_base_year=2020;touch$${IFS}injected12 $(shell touch injected13)",
    )
    assert calls[:8] == [
        "python",
        "[-m]",
        "[rare_earths]",
        "[sweep]",
        "[--grid]",
        "[usd_inr=80,84.57]",
        "[--grid]",
        "[consumption_base_year=2020;touch$${IFS}injected12]",
    ]
    assert calls[8:10] == ["[--grid]", "[$(shell]"]


# --- what `make test` prints ----------------------------------------------------------------------


def pytest_options(folder: Path, *, terminal: bool, **environment: str) -> list[str]:
    """The PYTEST_ADDOPTS each pytest of `make test` got, make's output a terminal or a pipe."""
    env = {key: value for key, value in os.environ.items() if key not in (*OUTER_MAKE, "NO_COLOR")}
    env.update(environment)
    command = ["make", "-s", "-f", str(CHECKOUT.root / "Makefile"), "test", "VENV=venv", "CHROMIUM=/bin/sh"]
    command.append("NODE=venv/bin/node")
    if terminal:
        controller, terminal_end = pty.openpty()
        try:
            subprocess.run(
                command, cwd=folder, env=env, check=True, stdout=terminal_end, stderr=terminal_end, timeout=60
            )
        finally:
            os.close(terminal_end)
            os.close(controller)
    else:
        subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True, timeout=60)
    calls = (folder / "calls.txt").read_text(encoding="utf-8").splitlines()
    (folder / "calls.txt").unlink()
    return [
        call for index, call in enumerate(calls) if call.startswith("PYTEST_ADDOPTS=") and "[pytest]" in calls[:index]
    ][-2:]


def test_make_test_turns_colour_off_unless_its_output_is_a_terminal(stand_in):
    # nbval writes colour codes ("\x1b[94mTraceback:") whenever pytest's --color is not "no"
    assert pytest_options(stand_in, terminal=False) == ["PYTEST_ADDOPTS=--color=no  "]
    assert pytest_options(stand_in, terminal=True) == ["PYTEST_ADDOPTS=  "]
    assert pytest_options(stand_in, terminal=True, NO_COLOR="1") == ["PYTEST_ADDOPTS=--color=no  "]
    assert pytest_options(stand_in, terminal=False, ARGS="--color=yes") == ["PYTEST_ADDOPTS=--color=no --color=yes "]


def test_installs_wait_for_the_package_lock_and_say_what_they_install(tmp_path):
    """Dry runs (make -n) of the Chromium and npm installs, as on a machine with neither."""
    (tmp_path / "package.json").touch()
    (tmp_path / "package-lock.json").touch()
    missing = tmp_path / "no-chromium"
    printed = subprocess.run(
        [
            "make",
            "-n",
            "-f",
            str(CHECKOUT.root / "Makefile"),
            f"CHROMIUM={missing}",
            str(missing),
            "node_modules/.installed",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert not re.search(r"apt-get\s+(update|install)", printed), "an apt-get that does not wait for the lock"
    assert len(re.findall(r"apt-get -o DPkg::Lock::Timeout=600 (update|install) ", printed)) == 4
    lines = printed.splitlines()
    first_apt = next(index for index, line in enumerate(lines) if "apt-get -o" in line)
    assert lines[first_apt - 1].startswith('echo "Installing Chromium')
    assert 'echo "Installing node and npm' in printed
    npm_ci = next(index for index, line in enumerate(lines) if line.startswith("npm ci"))
    assert lines[npm_ci - 1].startswith('echo "Installing the browser test')


def test_every_python_the_targets_start_reads_bytecode_under_the_venv(stand_in, monkeypatch):
    """Each command (and pytest) runs with the venv's bytecode cache, whatever PYTHONDONTWRITEBYTECODE
    the caller set: the project's modules are compiled once, not at every start of every process."""
    python = stand_in / "venv" / "bin" / "python"
    python.write_text(
        '#!/bin/sh\nprintf \'%s %s [%s] [%s]\\n\' "$1" "$2" "${PYTHONPYCACHEPREFIX-unset}" '
        '"${PYTHONDONTWRITEBYTECODE-unset}" >> calls.txt\n',
        encoding="utf-8",
    )
    cache = f"[{(stand_in / 'venv' / 'pycache').resolve()}] []"
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # as this machine's shell may set it
    for target, started in [
        ("data", "-m rare_earths"),
        ("reports", "-m rare_earths"),
        ("notebooks", "-m rare_earths"),
        ("sweep", "-m rare_earths"),
        ("clean", "-m rare_earths"),
        ("bench", "-m benchmarks"),
    ]:
        (stand_in / "calls.txt").unlink(missing_ok=True)
        assert make(stand_in, target) == [f"{started} {cache}"], target
    (stand_in / "calls.txt").unlink()
    assert f"-m pytest {cache}" in make(stand_in, "test")


def test_every_install_links_its_compiled_modules_where_the_targets_read_them():
    """tests/test_environment.py runs the linking tool itself: here, that each install runs it."""
    makefile = (CHECKOUT.root / "Makefile").read_text(encoding="utf-8")
    for stamp in ("$(STAMP): ", "$(DEV_STAMP): ", "$(LAB_STAMP): "):
        recipe = makefile.split(f"\n{stamp}", 1)[1].split("\n\n", 1)[0]
        assert "\t$(LINK_BYTECODE)\n" in recipe, stamp
    assert "LINK_BYTECODE = $(VENV)/bin/python tools/link_bytecode.py $(PYCACHE) " in makefile


def test_an_install_compiles_beside_the_sources_whatever_cache_the_caller_set(stand_in, monkeypatch):
    """uv's --compile-bytecode heeds PYTHONPYCACHEPREFIX: set by the caller (as `make bench` sets it
    for the fresh clone it times), the install's bytecode went there, and tools/link_bytecode.py,
    which links it from beside the sources, found none."""
    uv = stand_in / "venv" / "bin" / "uv"
    uv.write_text("#!/bin/sh\nprintf 'uv [%s]\\n' \"${PYTHONPYCACHEPREFIX-unset}\" >> calls.txt\n", encoding="utf-8")
    os.utime(stand_in / "requirements.lock")  # newer than the install: it runs again
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(stand_in / "elsewhere"))
    installs = [line for line in make(stand_in, "data") if line.startswith("uv ")]
    assert installs == ["uv []", "uv []"]  # the locked dependencies, then the project itself
