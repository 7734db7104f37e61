"""Dask is optional (the `dask` extra): imported only where a scheduler is asked for, and its absence
then refused in one line naming the extra, before anything runs."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from rare_earths import __main__ as cli
from rare_earths.build import executors


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
