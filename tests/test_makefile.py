"""What a user passes to make (PARAMS, FORCE, ARGS, LAB_ARGS, LOCK_ARGS) reaches its program as
words, never as shell code or make functions: the Makefile is run against a stand-in venv whose
tools record the arguments they were given."""

from __future__ import annotations

import os
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


def make(folder: Path, target: str, **variables: str) -> list[str]:
    """Run `make target` in `folder` with the stand-in venv; the recorded calls, one line each."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PYTEST_ADDOPTS")
    }
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
    assert len(starts) == 2, "the fast tests, then the slow ones"
    for start, selected in zip(starts, ("not slow", "slow"), strict=True):
        pytest_call = calls[start : start + 13]
        assert pytest_call[:11] == [
            "python",
            "[-m]",
            "[pytest]",
            "[--nbval]",
            "[--nbval-current-env]",
            "[-n]",
            "[auto]",
            "[--dist]",
            "[loadscope]",
            "[-m]",
            f"[{selected}]",
        ]
        assert pytest_call[11] == "PYTEST_ADDOPTS=-k 'units or params' ; touch injected7 $(shell touch injected8) "


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
