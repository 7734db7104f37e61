"""Sweeps: the plan (each notebook once per combination of the parameters it declares), the grid
checked before anything runs, results.csv, skipping what is up to date, keeping what finished when
a sweep is stopped (tests/build/test_dask.py runs the same sweep on a Dask cluster)."""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CHECKOUT

from rare_earths import __main__ as cli
from rare_earths import atomic, commands
from rare_earths.build import chain, execution, params, reader, results, steps, sweep
from rare_earths.build.params import ParameterError
from rare_earths.project import MARKERS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
PARAMS = FIXTURES / "sweep-params.yaml"
GROWTH, CONSTANT, YEARS = (
    chain.Step(name) for name in ("06-records-growth.ipynb", "07-records-constant.ipynb", "08-records-years.ipynb")
)
STEPS = (GROWTH, CONSTANT, YEARS)
GRID = ["rate=0.05,0.1", "years=5,10"]


def grid_of(assignments, steps=STEPS, notebooks_dir=FIXTURES):
    return sweep.parse_grid(assignments, steps, notebooks_dir=notebooks_dir, params_path=PARAMS)


def sweep_fixtures(out, assignments=GRID, steps=STEPS, notebooks_dir=FIXTURES, **options):
    lines: list[str] = []
    finished = sweep.run(
        grid_of(assignments, steps, notebooks_dir),
        out,
        steps,
        notebooks_dir=notebooks_dir,
        params_path=PARAMS,
        echo=lines.append,
        **options,
    )
    return finished, lines


@pytest.fixture(scope="session")
def local(tmp_path_factory, workers) -> tuple[Path, list[str]]:
    """The fixtures' sweep of GRID, run locally two at a time (seven runs), and what it printed:
    made once per test run, by the first test process to ask while a file lock holds the others,
    for this module's tests and tests/build/test_dask.py's, which compares a Dask sweep with it.
    Tests read it; none writes into it."""
    from conftest import shared_folder
    from filelock import FileLock

    shared = shared_folder(tmp_path_factory)
    out, said = shared / "local-sweep", shared / "local-sweep.said"
    with FileLock(shared / "local-sweep.lock"):
        if not said.is_file():
            shutil.rmtree(out, ignore_errors=True)  # what a test process stopped mid-way left
            _, lines = sweep_fixtures(out, workers=workers)
            atomic.write_text(said, json.dumps(lines))  # whole or not at all: its presence says the sweep is done
    return out, json.loads(said.read_text(encoding="utf-8"))


def tree(out: Path) -> dict[str, bytes]:
    """Every executed notebook and the results, by path in the sweep's folder."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted([*out.glob("*/*.ipynb"), out / "results.csv"])
    }


# --- the plan ------------------------------------------------------------------------------------


def test_each_notebook_runs_once_per_combination_of_the_parameters_it_declares():
    runs = sweep.plan(grid_of(["rate=0.05,0.1,0.2", "years=5,10"]), STEPS, notebooks_dir=FIXTURES)
    assert sweep.counts(runs) == {
        "06-records-growth.ipynb": 6,
        "07-records-constant.ipynb": 1,
        "08-records-years.ipynb": 2,
    }
    assert [run.key for run in runs if run.notebook == "08-records-years.ipynb"] == ["years=5", "years=10"]
    assert [run.key for run in runs][:2] == ["rate=0.05,years=5", "rate=0.05,years=10"], "chain order, then the grid's"
    assert next(run.key for run in runs if run.notebook == "07-records-constant.ipynb") == "none"


def test_the_real_notebooks_plan_follows_their_declarations():
    assignments = ["usd_inr=80,84.57,90", "consumption_base_year=2020,2022,2024", "reference_edition=MCS2024,MCS2025"]
    grid = sweep.parse_grid(assignments)
    expected = {}
    for step in chain.CHAIN:
        declared = execution.declared_parameters(CHECKOUT.notebooks / step.notebook)
        expected[step.notebook] = math.prod(len(values) for name, values in grid.items() if name in declared)
    assert sweep.counts(sweep.plan(grid)) == expected
    assert grid == {
        "usd_inr": [80.0, 84.57, 90.0],
        "consumption_base_year": [2020, 2022, 2024],
        "reference_edition": ["MCS2024", "MCS2025"],
    }


def test_a_scenarios_folder_is_readable_and_safe():
    assert sweep.Run("n.ipynb", (("usd_inr", 80.0),)).key == "usd_inr=80"
    assert (
        sweep.Run("n.ipynb", (("usd_inr", 84.57), ("consumption_base_year", 2020))).key
        == "consumption_base_year=2020,usd_inr=84.57"
    )
    assert sweep.Run("n.ipynb", (("label", "a/b c"),)).key == "label=a%2Fb%20c"
    assert sweep.Run("n.ipynb", ()).key == "none"


# --- a bad grid ----------------------------------------------------------------------------------


def command(*arguments: str) -> argparse.Namespace:
    return cli.parser().parse_args(["sweep", *arguments])


@pytest.mark.parametrize(
    ("grid", "words"),
    [
        (["usd_in=80,90"], "unknown parameter usd_in; known: usd_inr, consumption_base_year, reference_edition"),
        (
            ["reference_edition=MCS2024,MCS2023"],
            "parameter reference_edition: 'MCS2023' is not one of MCS2024, MCS2025",
        ),
        (
            ["usd_inr=80,-1"],
            "parameter usd_inr: must be at least 1 (the rupee has never been worth a US dollar or more), got '-1'",
        ),
        (["usd_inr=80,eighty"], "parameter usd_inr: 'eighty' is not a float"),
        (["consumption_base_year=2020,2040"], "parameter consumption_base_year: must be less than 2032"),
        (["usd_inr="], "parameter usd_inr: the grid gives it no value; give one or more, e.g. usd_inr=84.57"),
        (["usd_inr=80,,90"], "parameter usd_inr: an empty value in '80,,90'"),
        (["usd_inr=80,90,80.0"], "parameter usd_inr: 80.0 is given twice in the grid"),
        (["usd_inr=80", "usd_inr=90"], "parameter usd_inr is given twice (usd_inr=80 and usd_inr=90)"),
        (["usd_inr 80"], "write parameters as name=value"),
    ],
)
def test_a_bad_grid_is_refused_before_anything_runs_or_is_written(grid, words, project, monkeypatch):
    out = project.reports / "my-sweep"
    arguments = [argument for assignment in grid for argument in ("--grid", assignment)]

    def prepare(*args, **kwargs) -> None:
        raise AssertionError("nothing may run before the grid is checked")

    monkeypatch.setattr(steps, "build_data", prepare)
    with pytest.raises(ParameterError) as refused:
        commands.sweep_grid(command(*arguments, "--out", str(out)), project)
    assert words in str(refused.value)
    assert not out.exists()


def test_every_problem_of_a_grid_is_named_at_once():
    with pytest.raises(ParameterError) as refused:
        sweep.parse_grid(["usd_inr=0", "reference_edition=MCS1999"])
    message = str(refused.value)
    assert (
        message.startswith("the grid is refused; nothing ran:")
        and "usd_inr" in message
        and "reference_edition" in message
    )


def test_a_parameter_no_notebook_of_the_sweep_declares_is_refused():
    with pytest.raises(ParameterError, match="parameter rate: no notebook of this run declares it"):
        grid_of(["rate=0.1,0.2"], (CONSTANT, YEARS))


# --- running ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_results_csv_has_a_row_per_scenario_and_result_with_every_grid_parameter(local):
    out, _ = local
    table = results.read(out / "results.csv")
    assert list(table.columns) == [*results.COLUMNS, "rate", "years"]
    assert len(table) == 4 * 2 + 1 + 2
    growth = table[table.notebook == "06-records-growth.ipynb"]
    assert list(zip(growth.name, growth.rate, growth.years, strict=True))[:4] == [
        ("total_growth", "0.05", "5"),
        ("rate_band", "0.05", "5"),
        ("total_growth", "0.05", "10"),
        ("rate_band", "0.05", "10"),
    ]
    row = growth[(growth.name == "total_growth") & (growth.rate == "0.1") & (growth.years == "10")].iloc[0]
    assert row.value == pytest.approx(100 * (1.1**10 - 1)) and row.unit == "%" and row.claims == "a000-01"
    constant = table[table.notebook == "07-records-constant.ipynb"].iloc[0]
    assert (constant["name"], constant.rate, constant.years) == ("element_count", "", "")
    assert list(table[table.notebook == "08-records-years.ipynb"].value) == [5.0, 10.0]
    for folder in ("rate=0.05,years=5", "rate=0.1,years=10", "none", "years=5"):
        assert any((out / folder).glob("*.ipynb")) and any((out / folder).glob("*.inputs.json"))
    executed = out / "years=5" / "08-records-years.ipynb"
    assert reader.ran_with(__import__("nbformat").read(executed, as_version=4)) == {"years": 5}


@pytest.mark.slow
def test_progress_says_what_is_done_running_and_left_with_an_estimate(local):
    _, lines = local
    assert (
        lines[0]
        == "7 runs to go: 06-records-growth.ipynb × 4, 07-records-constant.ipynb × 1, 08-records-years.ipynb × 2"
    )
    progress = [line for line in lines if line.startswith("[")]
    assert len(progress) == 7 and progress[0].startswith("[1/7 done, 2 running, 4 left; about ")
    assert " s to go] " in progress[0] and progress[-1].startswith("[7/7 done, 0 running, 0 left] ")
    assert lines[-1].endswith("results.csv: 11 results of 7 runs")


def test_a_sweep_again_skips_what_is_up_to_date_and_reruns_a_changed_notebook(tmp_path, workers):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(FIXTURES, notebooks)
    out = tmp_path / "sweep"
    steps, grid = (CONSTANT, YEARS), ["years=5,10"]
    first, _ = sweep_fixtures(out, grid, steps, notebooks, workers=workers)
    assert [outcome.action for outcome in first.outcomes] == ["run"] * 3
    before = tree(out)
    again, lines = sweep_fixtures(out, grid, steps, notebooks, workers=workers)
    assert [outcome.status for outcome in again.outcomes] == ["unchanged"] * 3 and lines[
        0
    ] == "3 of 3 runs up to date, skipped"
    assert tree(out) == before, "nothing is rewritten"
    edited = notebooks / "08-records-years.ipynb"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("The years looked ahead.", "The years ahead."), encoding="utf-8"
    )
    changed, _ = sweep_fixtures(out, grid, steps, notebooks, workers=workers)
    assert [outcome.action for outcome in changed.outcomes] == ["skipped", "run", "run"]
    assert "The years ahead." in (out / "results.csv").read_text(encoding="utf-8")


def test_a_failing_scenario_leaves_the_finished_ones_and_their_results(tmp_path, workers):
    with pytest.raises(sweep.SweepFailed) as failed:
        sweep_fixtures(tmp_path, ["rate=0.05,2"], (GROWTH,), workers=workers)
    assert "06-records-growth.ipynb [rate=2] failed in cell 4: ValueError" in str(failed.value)
    assert [outcome.status for outcome in failed.value.outcomes] == ["ok", "failed"]
    table = results.read(tmp_path / "results.csv")
    assert set(table.rate) == {"0.05"} and len(table) == 2
    assert (tmp_path / "rate=2" / "failed" / "06-records-growth.ipynb").is_file(), "the failed copy is kept to debug"
    with pytest.raises(sweep.SweepFailed) as again:
        sweep_fixtures(tmp_path, ["rate=0.05,2"], (GROWTH,), workers=workers)
    assert [outcome.action for outcome in again.value.outcomes] == ["skipped", "run"]


STOPPED_SWEEP = """
import sys
from pathlib import Path
from rare_earths.build import chain, sweep
fixtures, out = Path(sys.argv[1]), Path(sys.argv[2])
steps = (chain.Step("08-records-years.ipynb"),)
grid = sweep.parse_grid(["years=1,2,3,4,5"], steps, notebooks_dir=fixtures, params_path=fixtures / "sweep-params.yaml")
sweep.run(grid, out, steps, notebooks_dir=fixtures, params_path=fixtures / "sweep-params.yaml", jobs=1)
"""


def written_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


@pytest.mark.slow
def test_a_killed_sweep_keeps_every_finished_run_and_the_next_one_skips_them(tmp_path, workers):
    process = subprocess.Popen(
        [sys.executable, "-c", STOPPED_SWEEP, str(FIXTURES), str(tmp_path)],
        cwd=CHECKOUT.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while (
            time.monotonic() < deadline and process.poll() is None and len(written_lines(tmp_path / "results.csv")) < 2
        ):
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    kept = sorted(path.parent.name for path in tmp_path.glob("*/*.inputs.json"))
    assert kept and len(kept) < 5, "stopped after the first run finished and before the last"
    # Each finished run is whole; results.csv holds what finished (a run's manifest is written first,
    # so the run being recorded at the kill may have its manifest and not yet its rows).
    in_results = set(results.read(tmp_path / "results.csv").years)
    assert (
        in_results and in_results <= {name.removeprefix("years=") for name in kept} and len(kept) - len(in_results) <= 1
    )
    for folder in kept:
        results.collect(tmp_path / folder / "08-records-years.ipynb")
    # Under the run lock, as every command runs: the killed run's folders (its fence, where a
    # notebook it was running left its copy in progress) are removed only by a run that holds it.
    with atomic.one_run_at_a_time(tmp_path / ".run.lock"):
        finished, _ = sweep_fixtures(tmp_path, ["years=1,2,3,4,5"], (YEARS,), workers=workers)
    skipped = [outcome.notebook for outcome in finished.outcomes if outcome.action == "skipped"]
    assert skipped == [
        f"08-records-years.ipynb [{folder}]" for folder in sorted(kept, key=lambda name: int(name.split("=")[1]))
    ]
    assert list(results.read(tmp_path / "results.csv").years) == ["1", "2", "3", "4", "5"]
    assert not list(tmp_path.rglob(".*.tmp")) and not list(tmp_path.rglob(".*.running.ipynb")), (
        "what the killed sweep left is cleared"
    )


def test_the_defaults_of_parameters_outside_the_grid_are_params_yamls():
    grid = grid_of(["years=5"], (GROWTH,))
    assert grid == {"years": [5]}
    assert params.resolve({}, PARAMS) == {"rate": 0.05, "years": 10}


def test_the_benchmark_reports_the_overhead_per_run():
    from benchmarks import sweep as sweep_bench

    text = sweep_bench.table(
        (2.0, 1.5), [("local sweep, 1 at a time", 63.0, 1), ("local sweep, 2 at a time", 33.0, 2)], 30, 3
    )
    assert "| local sweep, 1 at a time | 63.00 | 2.10 | +5.0% | +40.0% |" in text
    assert text.endswith("met (+5.0%).")


def test_a_run_recording_a_result_twice_fails_naming_the_cell(tmp_path, workers):
    import nbformat

    notebooks = tmp_path / "notebooks"
    shutil.copytree(FIXTURES, notebooks)
    twice = nbformat.read(notebooks / "07-records-constant.ipynb", as_version=4)
    twice.cells.append(nbformat.v4.new_code_cell(twice.cells[-1].source, id="again"))
    nbformat.write(twice, notebooks / "09-records-twice.ipynb")
    with pytest.raises(sweep.SweepFailed) as failed:
        sweep_fixtures(
            tmp_path / "sweep", ["years=5"], (YEARS, chain.Step("09-records-twice.ipynb")), notebooks, workers=workers
        )
    assert "09-records-twice.ipynb [none] failed in cell 4: result element_count is recorded twice" in str(failed.value)
    assert list(results.read(tmp_path / "sweep" / "results.csv").name) == ["horizon"]


def test_runs_an_executor_refuses_are_reported_not_waited_for(tmp_path, monkeypatch):
    import contextlib

    from rare_earths.build import executors

    class Gone:
        def submit(self, *_):
            raise RuntimeError("the cluster is gone")

    monkeypatch.setattr(
        executors, "open_executor", lambda jobs, scheduler=None, kernel=None, warm=0: contextlib.nullcontext(Gone())
    )
    with pytest.raises(sweep.SweepFailed) as failed:
        sweep_fixtures(tmp_path, ["years=5,10"], (YEARS,))
    # One line for what failed alike, not one per run.
    assert str(failed.value) == (
        "08-records-years.ipynb [years=5], 08-records-years.ipynb [years=10] did not finish: "
        "not run: RuntimeError: the cluster is gone"
    )
    assert results.read(tmp_path / "results.csv").empty


def test_a_run_the_chain_already_made_with_the_same_parameters_is_copied_not_run(tmp_path, workers):
    """Copied, it is the bytes the same run made in the sweep's folder would be: inside a project,
    where it records its own path (`output_path`), not the chain's."""
    for marker in MARKERS:  # tmp_path made a project's root
        (tmp_path / marker).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / marker).touch()
    executed = tmp_path / "executed"
    chain.run({"years": 10}, executed, (YEARS,), notebooks_dir=FIXTURES, echo=lambda line: None, workers=workers)
    finished, _ = sweep_fixtures(tmp_path / "sweep", ["years=5,10"], (YEARS,), workers=workers, reuse=executed)
    actions = {outcome.notebook: outcome.action for outcome in finished.outcomes}
    assert sorted(actions.values()) == ["run", "skipped"], actions
    copied = tmp_path / "sweep" / "years=10" / YEARS.notebook
    sweep_fixtures(tmp_path / "run", ["years=10"], (YEARS,), workers=workers)
    made_there = (tmp_path / "run" / "years=10" / YEARS.notebook).read_text(encoding="utf-8")
    assert copied.read_text(encoding="utf-8") == made_there.replace('"run/years=10/', '"sweep/years=10/')
    assert '"output_path": "sweep/years=10/08-records-years.ipynb"' in copied.read_text(encoding="utf-8")
    again, lines = sweep_fixtures(tmp_path / "sweep", ["years=5,10"], (YEARS,), workers=workers, reuse=executed)
    assert [outcome.status for outcome in again.outcomes] == ["unchanged"] * 2


@pytest.mark.parametrize("out", ["reports", "reports/html", "reports/executed/x", "data/processed", "."])
def test_a_sweep_never_writes_into_the_chains_outputs(project, out, monkeypatch, capsys):
    def must_not_run(*args, **kwargs):
        raise AssertionError("a sweep ran into the chain's outputs")

    monkeypatch.setattr(steps, "build_data", must_not_run)
    arguments = ["--project", str(project.root), "sweep", "--grid", "usd_inr=80,90", "--out", str(project.root / out)]
    assert cli.main(arguments) == 1
    assert "give a folder of the sweep's own inside reports/, apart from the chain's outputs" in capsys.readouterr().err


def test_a_grid_of_more_runs_than_allowed_is_refused_before_anything_runs(project, monkeypatch, capsys):
    monkeypatch.setattr(steps, "build_data", lambda *a, **k: pytest.fail("the data step ran"))
    values = ",".join(str(80 + index / 100) for index in range(201))
    assert cli.main(["--project", str(project.root), "sweep", "--grid", f"usd_inr={values}"]) == 1
    err = capsys.readouterr().err
    users = sum("usd_inr" in execution.declared_parameters(project.notebooks / name) for name in chain.NOTEBOOKS)
    runs = 201 * users + (len(chain.NOTEBOOKS) - users)  # a notebook without usd_inr runs once
    assert err.count("\n") == 1 and f"the grid makes {runs} runs, more than {sweep.MOST_RUNS}" in err
    assert f"--runs {runs}" in err and not project.run_lock.exists()


def test_a_sweep_asked_for_has_a_folder_named_by_its_grid_apart_from_the_default_sweep(project):
    """The case: `make sweep` and `make reports` shared reports/sweep/ (a sweep's 24 results became 44)."""
    grid = {"usd_inr": [80.0, 84.57], "reference_edition": ["MCS2024"]}
    assert sweep.folder_name(grid) == "usd_inr=80,84.57+reference_edition=MCS2024"
    long = sweep.folder_name({"usd_inr": [80 + index / 100 for index in range(100)]})
    assert len(long) <= 120 and long != sweep.folder_name({"usd_inr": [80 + index / 100 for index in range(99)]})
    out = commands._sweep_folder(project.sweeps / sweep.folder_name(grid), project)
    assert out.parent == project.sweeps
    with pytest.raises(ParameterError, match="apart from the chain's outputs"):
        commands._sweep_folder(project.sweep, project)


def test_scenarios_of_an_earlier_grid_are_removed_from_a_sweeps_folder(tmp_path, workers):
    sweep_fixtures(tmp_path, ["years=5,10"], (YEARS,), workers=workers)
    finished, lines = sweep_fixtures(tmp_path, ["years=10"], (YEARS,), workers=workers)
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_dir()) == ["years=10"]
    assert any("removed 1 scenarios of an earlier grid" in line and "years=5" in line for line in lines)
