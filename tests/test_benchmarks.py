"""The benchmarks run what they say and report what they measured: the floor scripts are the
notebooks' code, the table states every target with its measurement, a site-only edit is undone,
and the results name the machine. (Speed itself is measured by `make bench`, never asserted in a
test.)"""

from __future__ import annotations

import json
import signal

import pytest
from conftest import CHECKOUT

from benchmarks import __main__ as bench
from benchmarks import chain as chain_bench
from benchmarks import fresh, targets
from rare_earths.build import chain


def test_the_floor_scripts_are_every_notebooks_code_and_the_sweeps_other_runs_and_compile(tmp_path):
    from rare_earths.build import params, sweep

    scripts = chain_bench.scripts(tmp_path)
    defaults = params.resolve()
    others = [
        run for run in sweep.plan(params.default_grid()) if any(defaults[name] != value for name, value in run.scenario)
    ]
    expected = [*chain.NOTEBOOKS, *(run.notebook for run in others)]
    assert [script.stem[3:] for script in scripts] == [name.removesuffix(".ipynb") for name in expected]
    for script, name in zip(scripts, expected, strict=True):
        code = script.read_text(encoding="utf-8")
        compile(code, str(script), "exec")
        cells = json.loads((CHECKOUT.notebooks / name).read_text(encoding="utf-8"))["cells"]
        last = "".join(next(cell for cell in reversed(cells) if cell["cell_type"] == "code")["source"])
        assert last in code
    for script, run in zip(scripts[len(chain.NOTEBOOKS) :], others, strict=True):
        for parameter, value in run.scenario:
            assert f"\n{parameter} = {value!r}\n" in script.read_text(encoding="utf-8"), (
                f"{script.name} does not set {parameter}"
            )


def test_the_floor_without_the_sweep_is_the_chains_notebooks_alone(tmp_path):
    scripts = chain_bench.scripts(tmp_path, sweep_runs=False)
    assert [script.stem[3:] for script in scripts] == [name.removesuffix(".ipynb") for name in chain.NOTEBOOKS]


# One run's measurements, chosen so that each target's verdict is known: the cold chain 1.2 × its
# floor (met), warm 0.6 s (not met), make reports 59 s (met), make test 200 s (not met).
SECONDS = {
    "floor_no_sweep": 10.0,
    "cold_no_sweep": 12.0,
    "floor": 15.0,
    "cold": 30.0,
    "warm": 0.6,
    "one_parameter": 6.0,
    "site_only": 3.0,
    "fresh_reports": 59.0,
    "fresh_test": 200.0,
    "warm_test": 100.0,
}


def rows(text: str) -> dict[str, list[str]]:
    """The table's rows by their first cell, each as its other cells."""
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in text.splitlines()[2:]]
    return {row[0]: row[1:] for row in cells}


def test_every_target_is_declared_once_and_measured_against_a_measurement():
    names = [target.measurement for target in targets.TARGETS]
    assert len(names) == len(set(names))
    assert all(target.base in targets.BASES for target in targets.TARGETS)
    assert set(names) | set(targets.BASES) == set(SECONDS)


def test_the_table_states_each_target_with_its_measurement_ratio_and_verdict():
    table = rows(targets.table(SECONDS))
    assert len(table) == len(targets.TARGETS)
    by_name = {target.measurement: table[target.what] for target in targets.TARGETS}
    assert by_name["cold_no_sweep"] == ["12.00", "1.2 × its floor", "≤ 1.25 × its floor", "met"]
    assert by_name["cold"] == ["30.00", "2 × its floor", "none (reported)", "reported"]
    assert by_name["warm"] == ["0.60", "0.02 × the cold chain", "< 0.5 s", "not met"]
    assert by_name["site_only"][-1] == "reported"
    assert by_name["fresh_reports"][-2:] == ["< 60 s", "met"]
    assert by_name["fresh_test"][-2:] == ["< 180 s", "not met"]
    assert by_name["warm_test"][-2:] == ["< 120 s", "met"]


def test_a_target_at_its_limit_is_met_on_a_ratio_but_not_on_seconds():
    at_limit = {**SECONDS, "cold_no_sweep": 12.5, "warm": 0.5}
    verdicts = {target.measurement: targets.result(target, at_limit, {}) for target in targets.TARGETS}
    assert verdicts["cold_no_sweep"] == "met"
    assert verdicts["warm"] == "not met"


def test_skipped_and_failed_measurements_are_said_and_meet_no_target():
    chain_only = {name: value for name, value in SECONDS.items() if not name.endswith(("_reports", "_test"))}
    table = targets.table(
        {**chain_only, "fresh_reports": 50.0}, {"fresh_reports": "`make reports` exited 2", "fresh_test": "x"}
    )
    by_name = {target.measurement: rows(table)[target.what] for target in targets.TARGETS}
    assert by_name["fresh_reports"][0] == "50.00"
    assert by_name["fresh_reports"][-1] == "failed (`make reports` exited 2)"
    assert by_name["warm_test"] == ["-", "-", "< 120 s", "not measured"]


def test_a_target_on_seconds_needs_no_base_measured():
    alone = {"fresh_reports": 59.0, "warm_test": 130.0}
    by_name = {target.measurement: rows(targets.table(alone))[target.what] for target in targets.TARGETS}
    assert by_name["fresh_reports"] == ["59.00", "-", "< 60 s", "met"]
    assert by_name["warm_test"][-1] == "not met"
    assert by_name["cold_no_sweep"][-1] == "not measured"


def test_the_site_only_edit_is_undone_byte_for_byte_even_when_the_run_fails(tmp_path):
    stylesheet = tmp_path / "site.css"
    stylesheet.write_bytes(b"body { margin: 0 }\r\n\xe2\x80\x94")
    before = stylesheet.stat()
    handler = signal.getsignal(signal.SIGTERM)
    with pytest.raises(RuntimeError), chain_bench.appended(stylesheet, "/* edit */"):
        assert stylesheet.read_bytes().endswith(b"/* edit */")
        raise RuntimeError("the run failed")
    assert stylesheet.read_bytes() == b"body { margin: 0 }\r\n\xe2\x80\x94"
    assert stylesheet.stat().st_mtime_ns == before.st_mtime_ns
    assert signal.getsignal(signal.SIGTERM) is handler


def test_the_fresh_clone_gets_none_of_make_benchs_flags_or_variables(monkeypatch):
    monkeypatch.setenv("MAKEFLAGS", "-j4 -- PARAMS=usd_inr=90")
    monkeypatch.setenv("ARGS", "-k units")
    monkeypatch.setenv("HOME", "/home/someone")
    passed = fresh.environment()
    assert "MAKEFLAGS" not in passed and "ARGS" not in passed
    assert passed["HOME"] == "/home/someone"


def test_results_name_the_machine():
    described = bench.machine()
    assert "cores" in described and "Python 3." in described
