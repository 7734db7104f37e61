"""The benchmarks run what they say: the floor scripts are the notebooks' code, and the results
name the machine. (Speed itself is measured by `make bench`, never asserted in a test.)"""

from __future__ import annotations

import json

from benchmarks import __main__ as bench
from benchmarks import chain as chain_bench
from rare_earths import chain, paths


def test_the_floor_scripts_are_every_notebooks_code_and_compile(tmp_path):
    scripts = chain_bench.scripts(tmp_path)
    assert [script.stem for script in scripts] == [name.removesuffix(".ipynb") for name in chain.NOTEBOOKS]
    for script, name in zip(scripts, chain.NOTEBOOKS, strict=True):
        code = script.read_text(encoding="utf-8")
        compile(code, str(script), "exec")
        cells = json.loads((paths.NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
        last = "".join(next(cell for cell in reversed(cells) if cell["cell_type"] == "code")["source"])
        assert last in code


def test_results_name_the_machine():
    described = bench.machine()
    assert "cores" in described and "Python 3." in described
