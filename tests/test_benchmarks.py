"""The benchmarks run what they say: the floor scripts are the notebooks' code, and the results
name the machine. (Speed itself is measured by `make bench`, never asserted in a test.)"""

from __future__ import annotations

import json

from conftest import CHECKOUT

from benchmarks import __main__ as bench
from benchmarks import chain as chain_bench
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


def test_results_name_the_machine():
    described = bench.machine()
    assert "cores" in described and "Python 3." in described
