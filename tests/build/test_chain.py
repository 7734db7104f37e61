"""The notebook chain: its list, its notebooks' parameters, execution, failure, and the HTML."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import CHECKOUT

from rare_earths import atomic
from rare_earths.build import chain, execution, params, reader, runner
from rare_earths.errors import InputError
from rare_earths.project import relative
from rare_earths.site import report


def committed(name: str) -> nbformat.NotebookNode:
    return nbformat.read(CHECKOUT.notebooks / name, as_version=4)


# --- consistency ---------------------------------------------------------------------------------


def test_the_chain_lists_exactly_the_notebooks_present_in_run_order():
    present = sorted(path.name for path in CHECKOUT.notebooks.glob("*.ipynb"))
    missing = sorted(set(present) - set(chain.NOTEBOOKS))
    assert not missing, f"add a Step to CHAIN in src/rare_earths/build/chain.py for {', '.join(missing)}"
    assert list(chain.NOTEBOOKS) == present
    assert all(re.fullmatch(r"\d{2}-[a-z0-9-]+\.ipynb", name) for name in chain.NOTEBOOKS)


def test_the_readme_lists_the_chain_notebooks():
    readme = (CHECKOUT.root / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"`notebooks/(\d{2}-[a-z0-9-]+\.ipynb)`", readme)
    assert listed == list(chain.NOTEBOOKS)


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_each_notebook_has_one_parameters_cell_with_the_declared_defaults(name):
    notebook = committed(name)
    assert len(execution.parameters_cells(notebook)) == 1
    declared = params.specs()
    defaults = execution.declared_parameters(CHECKOUT.notebooks / name)
    for key, value in defaults.items():
        assert key in declared, f"{name} declares {key}, which params.yaml does not"
        assert params.resolve({key: value})[key] == declared[key]["default"], (
            f"{name}: {key} default differs from params.yaml"
        )


def notebook_check():
    """tools/check_notebooks.py, the pre-commit hook's check, as a module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_notebooks", CHECKOUT.root / "tools" / "check_notebooks.py")
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    return check


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_each_notebook_is_committed_executed_and_clean(name):
    """tools/check_notebooks.py, which the pre-commit hook runs, finds nothing; and its defaults are the declared ones."""
    check = notebook_check()
    assert check.problems(CHECKOUT.notebooks / name) == []
    notebook = committed(name)
    assert notebook.metadata.papermill.default_parameters == execution.declared_parameters(CHECKOUT.notebooks / name)


def test_the_notebook_check_finds_what_it_says(tmp_path):
    check = notebook_check()
    notebook = committed(chain.NOTEBOOKS[0])
    next(cell for cell in notebook.cells if cell.cell_type == "code").execution_count = None
    notebook.cells[-1].outputs.append(nbformat.v4.new_output("error", ename="ValueError", evalue="x", traceback=[]))
    notebook.cells[-1].outputs.append(nbformat.v4.new_output("stream", text="/home/someone/rare-earths\n"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(notebook, broken)
    found = "\n".join(check.problems(broken))
    assert "top to bottom" in found and "an error" in found and "'/home/'" in found
    assert check.main([str(broken)]) == 1 and check.main([str(CHECKOUT.notebooks / chain.NOTEBOOKS[0])]) == 0


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_each_notebook_opens_with_a_title_and_a_summary(name):
    page = report.describe(committed(name), name)
    assert page.title and len(page.summary) > 80


# --- execution -----------------------------------------------------------------------------------


@pytest.fixture
def fixture_notebooks(fixtures) -> Path:
    return fixtures / "notebooks"


def outputs_text(path: Path) -> str:
    notebook = nbformat.read(path, as_version=4)
    return "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", []))


def test_parameters_are_injected_only_when_they_differ(fixture_notebooks, tmp_path):
    defaults = execution.execute("01-greets.ipynb", {"greeting": "hello"}, tmp_path, notebooks_dir=fixture_notebooks)
    assert outputs_text(defaults.output) == "hello\n"
    assert "injected-parameters" not in defaults.output.read_text(encoding="utf-8")
    override = execution.execute("01-greets.ipynb", {"greeting": "namaste"}, tmp_path, notebooks_dir=fixture_notebooks)
    assert outputs_text(override.output) == "namaste\n"


GREETS = chain.Step("01-greets.ipynb")
FAILS = chain.Step("02-fails.ipynb")
NEEDS_FAILED = chain.Step("03-needs-02.ipynb", needs=("02-fails.ipynb",))
SLEEPS = chain.Step("04-sleeps.ipynb")


def run_fixtures(fixture_notebooks, output_dir, steps, **options):
    lines = []
    outcomes = chain.run(
        options.pop("values", {}), output_dir, steps, notebooks_dir=fixture_notebooks, echo=lines.append, **options
    )
    return outcomes, lines


def test_a_failing_notebook_stops_only_what_needs_it_and_keeps_its_copy(fixture_notebooks, tmp_path, workers):
    previous = tmp_path / "02-fails.ipynb"
    previous.write_text("previous output", encoding="utf-8")
    with pytest.raises(chain.ChainFailed) as raised:
        run_fixtures(fixture_notebooks, tmp_path, (FAILS, NEEDS_FAILED, GREETS), workers=workers)
    outcomes = {outcome.notebook: outcome for outcome in raised.value.outcomes}
    failed = outcomes["02-fails.ipynb"]
    assert (failed.status, failed.cell) == ("failed", 3) and "ZeroDivisionError" in failed.error
    assert outcomes["03-needs-02.ipynb"].status == "blocked", "a notebook needing the failed one must not run"
    assert outcomes["01-greets.ipynb"].status == "ok", "a notebook not needing it runs on"
    message = str(raised.value)
    assert "02-fails.ipynb failed in cell 3: ZeroDivisionError" in message and "03-needs-02.ipynb" in message
    kept = nbformat.read(CHECKOUT.root / failed.kept, as_version=4)
    assert any(output.output_type == "error" for cell in kept.cells for output in cell.get("outputs", []))
    assert previous.read_text(encoding="utf-8") == "previous output"
    assert not list(tmp_path.glob(".*.running.ipynb")), "no temporary file left behind"


def test_an_input_is_hashed_once_while_runs_are_decided_and_afresh_after(tmp_path, monkeypatch):
    """`runner.read_once`, around a decision over many runs that share their inputs: each file is
    hashed once within it, giving what reading it every time gives; hashed again within it once it
    is replaced or written; and read afresh after it, also by what the block started (a context
    copied in it, as an asyncio task or `asyncio.to_thread` copies it: found by review)."""
    import contextvars

    data = tmp_path / "data.csv"
    data.write_text("a\n", encoding="utf-8")
    hashed = []
    sha256 = runner._sha256
    monkeypatch.setattr(runner, "_sha256", lambda path: hashed.append(path) or sha256(path))
    alone = runner.fingerprint([data], {}, tmp_path)
    with runner.read_once():
        assert runner.fingerprint([data], {}, tmp_path) == alone
        assert runner.fingerprint([data], {"greeting": "hello"}, tmp_path)["files"] == alone["files"]
        started_in_the_block = contextvars.copy_context()
        assert hashed == [data, data]  # once alone, once within the block
        atomic.write_text(data, "b\n")  # replaced
        replaced = runner.fingerprint([data], {}, tmp_path)["files"]
        assert replaced != alone["files"]
        with data.open("a", encoding="utf-8") as written:  # written in place
            written.write("c\n")
        assert runner.fingerprint([data], {}, tmp_path)["files"] not in (alone["files"], replaced)
    data.write_text("d\n", encoding="utf-8")
    after = runner.fingerprint([data], {}, tmp_path)["files"]
    assert after == {relative(data): sha256(data)}
    assert started_in_the_block.run(runner.fingerprint, [data], {}, tmp_path)["files"] == after


def test_an_unchanged_notebook_is_skipped_and_a_changed_parameter_reruns_only_its_notebook(
    fixture_notebooks, tmp_path, workers
):
    outcomes, _ = run_fixtures(
        fixture_notebooks,
        tmp_path,
        (GREETS, chain.Step("03-needs-02.ipynb")),
        values={"greeting": "hello"},
        workers=workers,
    )
    assert [outcome.action for outcome in outcomes] == ["run", "run"]
    assert (tmp_path / "01-greets.inputs.json").is_file()
    again, lines = run_fixtures(
        fixture_notebooks,
        tmp_path,
        (GREETS, chain.Step("03-needs-02.ipynb")),
        values={"greeting": "hello"},
        workers=workers,
    )
    assert [outcome.status for outcome in again] == ["unchanged", "unchanged"]
    assert lines == ["every notebook is up to date (2 skipped)"]
    changed, _ = run_fixtures(
        fixture_notebooks,
        tmp_path,
        (GREETS, chain.Step("03-needs-02.ipynb")),
        values={"greeting": "namaste"},
        workers=workers,
    )
    assert [outcome.action for outcome in changed] == ["run", "skipped"], (
        "only the notebook declaring the parameter reruns"
    )
    assert outputs_text(tmp_path / "01-greets.ipynb") == "namaste\n"
    forced, _ = run_fixtures(
        fixture_notebooks,
        tmp_path,
        (GREETS, chain.Step("03-needs-02.ipynb")),
        values={"greeting": "namaste"},
        force=True,
        workers=workers,
    )
    assert [outcome.action for outcome in forced] == ["run", "run"]


def test_a_notebook_whose_code_changed_runs_again(fixture_notebooks, tmp_path, workers):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(fixture_notebooks, notebooks)
    output = tmp_path / "executed"
    run_fixtures(notebooks, output, (GREETS,), workers=workers)
    notebook = nbformat.read(notebooks / "01-greets.ipynb", as_version=4)
    notebook.cells[-1].outputs = [nbformat.v4.new_output("stream", text="a committed output\n")]
    nbformat.write(notebook, notebooks / "01-greets.ipynb")
    assert run_fixtures(notebooks, output, (GREETS,), workers=workers)[0][0].status == "unchanged", (
        "outputs are not code"
    )
    notebook.cells[-1].source = "print(greeting.upper())"
    nbformat.write(notebook, notebooks / "01-greets.ipynb")
    assert run_fixtures(notebooks, output, (GREETS,), workers=workers)[0][0].action == "run"


def test_independent_notebooks_are_submitted_together(fixture_notebooks, tmp_path, workers):
    _, lines = run_fixtures(fixture_notebooks, tmp_path, (GREETS, chain.Step("03-needs-02.ipynb")), workers=workers)
    submitted = [index for index, line in enumerate(lines) if "submitted" in line]
    finished = [index for index, line in enumerate(lines) if " ok in " in line]
    assert len(submitted) == 2 and max(submitted) < min(finished), lines


def test_a_kernel_that_does_not_start_is_retried_then_reported(fixture_notebooks, tmp_path):
    with pytest.raises(chain.ChainFailed) as raised:
        run_fixtures(fixture_notebooks, tmp_path, (GREETS,), kernel="no-such-kernel", retries=1)
    (outcome,) = raised.value.outcomes
    assert outcome.status == "failed" and outcome.attempts == 2
    assert "no-such-kernel" in outcome.error and outcome.cell is None


def test_a_notebook_over_its_time_limit_is_stopped(fixture_notebooks, tmp_path):
    # The limit is counted from the kernel's readiness: 3 s leave the parameters cell ample time,
    # and the sleeping cell (60 s) is stopped in it.
    with pytest.raises(chain.ChainFailed) as raised:
        run_fixtures(fixture_notebooks, tmp_path, (SLEEPS,), timeout=3)
    (outcome,) = raised.value.outcomes
    assert outcome.status == "failed" and "timed out after 3 s" in outcome.error and outcome.cell == 2
    assert not (tmp_path / "04-sleeps.ipynb").exists()


def test_a_time_limit_whose_interrupt_left_no_error_output_is_still_the_time_limit(
    fixture_notebooks, tmp_path, monkeypatch
):
    """On a busy machine the interrupted cell's error output can be lost: papermill then reports a
    nameless "CellExecutionError: ", and the run said that instead of its time limit. Here the
    kernel's error messages are dropped, as they were lost there."""
    from nbclient import NotebookClient

    as_it_is = NotebookClient.output

    def without_errors(self, outs, msg, display_id, cell_index):
        return None if msg["msg_type"] == "error" else as_it_is(self, outs, msg, display_id, cell_index)

    monkeypatch.setattr(NotebookClient, "output", without_errors)
    with pytest.raises(execution.NotebookFailed) as raised:
        execution.execute(SLEEPS.notebook, {}, tmp_path, notebooks_dir=fixture_notebooks, timeout=3)
    assert raised.value.error == "timed out after 3 s (the time limit per notebook)" and raised.value.cell == 2


def test_only_runs_a_notebook_with_what_it_needs():
    steps = (GREETS, FAILS, NEEDS_FAILED)
    assert [step.notebook for step in chain.with_needs(["03-needs-02.ipynb"], steps)] == [
        "02-fails.ipynb",
        "03-needs-02.ipynb",
    ]
    with pytest.raises(KeyError, match="no notebook 09-none.ipynb"):
        chain.with_needs(["09-none.ipynb"], steps)


def test_executed_copies_carry_no_timings_or_paths(fixture_notebooks, tmp_path):
    result = execution.execute("01-greets.ipynb", {}, tmp_path, notebooks_dir=fixture_notebooks)
    text = result.output.read_text(encoding="utf-8")
    assert "start_time" not in text and "duration" not in text and str(tmp_path) not in text


def test_the_executed_copy_is_written_when_the_run_ends_not_at_every_cell(fixture_notebooks, tmp_path, monkeypatch):
    """papermill's own engine writes the whole notebook as each cell starts and ends; the project's
    writes it once, as the run ends (the copy a failure is read from: the tests of the time limit
    and of a dead kernel find the running cell in it)."""
    import papermill.engines

    writes = []
    write = papermill.engines.write_ipynb
    monkeypatch.setattr(papermill.engines, "write_ipynb", lambda nb, path: (writes.append(path), write(nb, path)))
    execution.execute("06-records-growth.ipynb", {}, tmp_path, notebooks_dir=fixture_notebooks)
    cells = len(nbformat.read(fixture_notebooks / "06-records-growth.ipynb", as_version=4).cells)
    assert cells > 2 and len(writes) == 1, writes


def test_executed_copies_keep_papermills_parameters_and_are_identical_with_an_override(fixture_notebooks, tmp_path):
    first = execution.execute(
        "01-greets.ipynb", {"greeting": "namaste"}, tmp_path / "one", notebooks_dir=fixture_notebooks
    )
    second = execution.execute(
        "01-greets.ipynb", {"greeting": "namaste"}, tmp_path / "two", notebooks_dir=fixture_notebooks
    )
    notebook = nbformat.read(first.output, as_version=4)
    assert notebook.metadata.papermill.parameters == {"greeting": "namaste"}
    assert notebook.metadata.papermill.default_parameters == {"greeting": "hello"}
    assert reader.ran_with(notebook) == {"greeting": "namaste"}
    injected = [cell for cell in notebook.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert [cell.id for cell in injected] == ["injected-parameters"]
    assert first.output.read_bytes() == second.output.read_bytes()


def test_a_notebook_records_what_it_used_as_it_ran(fixture_notebooks, tmp_path):
    result = execution.execute("01-greets.ipynb", {}, tmp_path, notebooks_dir=fixture_notebooks)
    assert (
        nbformat.read(result.output, as_version=4).metadata.rare_earths.used == []
    )  # it imports nothing of the project


@pytest.mark.parametrize("name", ["01-sources-and-units.ipynb", "04-demand.ipynb"])
def test_each_committed_notebook_records_the_data_and_modules_it_used(name):
    used = committed(name).metadata.rare_earths.used
    assert "data/processed/claims.csv" in used and "src/rare_earths/analysis.py" in used
    assert "src/rare_earths/site/report.py" not in used  # an edit to the site's code reruns no notebook
    # The unit registry is read when data/units.py is imported: an edit to it reruns the notebook.
    assert "src/rare_earths/data/units.txt" in used
    if name.startswith("01"):
        assert any(path.startswith("data/raw/articles/") for path in used) and "data/raw/claims.csv" in used
    else:
        assert "data/processed/audit.csv" in used


def test_the_project_kernel_is_registered_in_the_venv_and_every_notebook_uses_it():
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    assert "rare" in execution.KERNEL
    spec = KernelSpecManager().get_kernel_spec(execution.KERNEL)
    assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve(), "the kernel must be this venv's Python"
    assert Path(spec.resource_dir).resolve().is_relative_to(Path(sys.prefix).resolve()), (
        "registered inside .venv/, not for the user"
    )
    for name in chain.NOTEBOOKS:
        assert committed(name).metadata.kernelspec.name == execution.KERNEL, f"{name} opens with another kernel"


# --- notebooks that cannot be run as declared ----------------------------------------------------


def notebook_file(tmp_path: Path, cells: list[dict]) -> Path:
    path = tmp_path / "07-bad.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def code(source: str, tags: tuple[str, ...] = ()) -> dict:
    return {
        "cell_type": "code",
        "source": source,
        "metadata": {"tags": list(tags)},
        "outputs": [],
        "execution_count": None,
    }


def test_a_notebook_without_a_parameters_cell_is_refused(tmp_path):
    with pytest.raises(InputError, match="no cell tagged 'parameters'"):
        execution.declared_parameters(notebook_file(tmp_path, [code("usd_inr = 84.57")]))


def test_a_truncated_notebook_is_a_located_error(tmp_path):
    path = notebook_file(tmp_path, [code("usd_inr = 84.57", ("parameters",))])
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    with pytest.raises(InputError, match=r"07-bad.ipynb, line 1: is not a readable notebook"):
        execution.declared_parameters(path)


def test_a_default_that_is_not_a_literal_is_refused(tmp_path):
    with pytest.raises(InputError, match="usd_inr: its default is not a literal"):
        execution.declared_parameters(notebook_file(tmp_path, [code("usd_inr = rate()", ("parameters",))]))


def test_a_parameter_no_notebook_of_the_run_declares_is_refused_before_anything_runs(project, capsys):
    from rare_earths import __main__ as cli

    assert (
        cli.main(
            ["--project", str(project.root), "run", "--only", "03-trade.ipynb", "--set", "consumption_base_year=2023"]
        )
        == 1
    )
    assert "consumption_base_year: no notebook of this run declares it" in capsys.readouterr().err


def test_a_dead_kernel_is_reported_at_once_with_its_cell(fixture_notebooks, tmp_path):
    with pytest.raises(chain.ChainFailed) as raised:
        run_fixtures(fixture_notebooks, tmp_path, (chain.Step("05-dies.ipynb"),))
    (outcome,) = raised.value.outcomes
    assert outcome.status == "failed" and "kernel died" in outcome.error and outcome.cell == 2
    assert outcome.seconds < execution.TIMEOUT_SECONDS  # reported when it happens, not at the time limit


def test_a_worker_that_cannot_run_is_reported_not_waited_for(fixture_notebooks, tmp_path, monkeypatch):
    from concurrent.futures import Future

    from rare_earths.build import executors

    class Broken:
        def submit(self, function, *args):
            future = Future()
            future.set_exception(RuntimeError("the worker could not start: no such interpreter"))
            return future

    monkeypatch.setattr(
        executors,
        "open_executor",
        lambda jobs, scheduler=None, kernel=None, warm=0: __import__("contextlib").nullcontext(Broken()),
    )
    with pytest.raises(chain.ChainFailed) as raised:
        run_fixtures(fixture_notebooks, tmp_path, (GREETS,))
    (outcome,) = raised.value.outcomes
    assert outcome.status == "failed" and "its worker failed: RuntimeError" in outcome.error


def test_a_kernel_whose_interpreter_is_gone_is_reported_not_waited_for(fixture_notebooks, tmp_path, monkeypatch):
    """As when the venv is moved away mid-run: the kernel's command cannot start; the run ends with
    a named failure after its retry, never a hang."""
    spec = tmp_path / "jupyter" / "kernels" / "moved-venv"
    spec.mkdir(parents=True)
    missing = tmp_path / "moved" / "bin" / "python"
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(missing), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "moved",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    with pytest.raises(chain.ChainFailed) as raised:
        run_fixtures(fixture_notebooks, tmp_path / "out", (GREETS,), kernel="moved-venv", retries=1)
    (outcome,) = raised.value.outcomes
    assert outcome.status == "failed" and outcome.attempts == 2 and outcome.cell is None
    assert "python" in outcome.error and ("No such file" in outcome.error or "FileNotFoundError" in outcome.error), (
        outcome.error
    )


def test_an_annotated_parameter_is_declared_as_a_plain_one(tmp_path):
    notebook = notebook_file(tmp_path, [code("usd_inr: float = 84.57\nyear = 2024", ("parameters",))])
    assert execution.declared_parameters(notebook) == {"usd_inr": 84.57, "year": 2024}


@pytest.mark.parametrize("source", ["import math\nrate = 1.0", "rate = 1.0\nprint(rate)", "a, b = 1, 2", "x: int"])
def test_a_parameters_cell_that_does_more_than_assign_literals_is_refused(tmp_path, source):
    with pytest.raises(InputError, match="it may only assign each parameter its literal default"):
        execution.declared_parameters(notebook_file(tmp_path, [code(source, ("parameters",))]))


def test_a_parameter_declared_on_one_side_only_is_refused_before_anything_runs(project, monkeypatch, capsys):
    from rare_earths import __main__ as cli
    from rare_earths.build import steps

    def must_not_run(*args, **kwargs):
        raise AssertionError("a step ran with parameters declared on one side only")

    monkeypatch.setattr(steps, "build_data", must_not_run)
    text = project.params_yaml.read_text(encoding="utf-8")
    project.params_yaml.write_text(
        text + "unused_rate:\n  default: 1.0\n  type: float\n  description: Declared here, used nowhere.\n",
        encoding="utf-8",
    )
    assert cli.main(["--project", str(project.root), "run"]) == 1
    assert "params.yaml declares unused_rate, which no notebook of the chain declares" in capsys.readouterr().err
    project.params_yaml.write_text(text.replace("usd_inr:", "usd_rate:", 1), encoding="utf-8")
    assert cli.main(["--project", str(project.root), "run"]) == 1
    error = capsys.readouterr().err
    assert "01-sources-and-units.ipynb declares usd_inr, which params.yaml does not" in error


def test_a_time_limit_interrupts_again_until_the_notebook_ends_then_kills_it(monkeypatch):
    """The case: an interrupt sent before the first cell (or between two cells) was lost, and the
    time limit was never enforced. Counted from the kernel's readiness, it now interrupts every
    second until the notebook ends, and kills a kernel that ignores it."""
    import threading

    interrupts, killed = [], threading.Event()
    monkeypatch.setattr(execution.TimeLimit, "GRACE_SECONDS", 2.5)
    limit = execution.TimeLimit(0.05, lambda: interrupts.append(1), killed.set)
    limit.start()
    assert killed.wait(30), "a kernel that ignores every interrupt is killed"
    assert limit.expired.is_set() and limit.killed.is_set() and len(interrupts) >= 2

    stopped = execution.TimeLimit(60, lambda: interrupts.append(1), killed.set)
    stopped.start()
    stopped.stop()
    stopped.thread.join(5)
    assert not stopped.thread.is_alive() and not stopped.expired.is_set()


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_each_parameter_is_declared_in_its_notebook_with_the_type_and_meaning_params_yaml_gives(name):
    """`papermill --help-notebook` and a reader in JupyterLab see each parameter's type, label, unit
    and allowed values, written from params.yaml (`params.cell_line`), so they cannot drift apart."""
    notebook = nbformat.read(CHECKOUT.notebooks / name, as_version=4)
    cell = next(cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", []))
    declared = execution.declared_parameters(CHECKOUT.notebooks / name)
    assignments = [line for line in cell.source.splitlines() if line and not line.startswith("#")]
    assert assignments == [params.cell_line(parameter) for parameter in declared]


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_papermill_reads_each_parameters_type_and_meaning(name):
    import papermill

    inspected = papermill.inspect_notebook(str(CHECKOUT.notebooks / name))
    for parameter, default in execution.declared_parameters(CHECKOUT.notebooks / name).items():
        spec = params.specs()[parameter]
        assert inspected[parameter]["inferred_type_name"] == spec["type"]
        assert inspected[parameter]["default"] == repr(default)
        assert inspected[parameter]["help"].startswith(spec.get("label", parameter))


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_each_notebook_checks_every_parameter_it_declares_before_it_uses_one(name):
    """Used directly (JupyterLab, papermill), a notebook checks its parameters by params.yaml's
    rules in the cell after its parameters cell (`params.table`, which shows them too)."""
    notebook = nbformat.read(CHECKOUT.notebooks / name, as_version=4)
    declared = execution.declared_parameters(CHECKOUT.notebooks / name)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    shown = next((index for index, source in enumerate(code) if "params.table(" in source), None)
    if not declared:
        assert shown is None
        return
    assert shown is not None and shown <= 2, "the parameters are checked in the first cells"
    call = code[shown][code[shown].index("params.table(") :]
    assert all(f"{parameter}={parameter}" in call for parameter in declared)


def test_a_refresh_declares_each_parameter_as_params_yaml_does_and_leaves_the_rest(tmp_path):
    notebook = tmp_path / "03-trade.ipynb"
    document = nbformat.read(CHECKOUT.notebooks / "03-trade.ipynb", as_version=4)
    cell = document.cells[execution.parameters_cells(document)[0]]
    cell.source = "# Parameters\nusd_inr = 90.0\nunknown_here = 1"
    nbformat.write(document, notebook)

    def line_of(name):
        return params.cell_line(name) if name == "usd_inr" else None

    assert execution.write_parameter_lines(notebook, line_of)
    written = nbformat.read(notebook, as_version=4)
    assert written.cells[execution.parameters_cells(written)[0]].source == (
        f"# Parameters\n{params.cell_line('usd_inr')}\nunknown_here = 1"
    )
    others = [index for index in range(len(document.cells)) if index != execution.parameters_cells(document)[0]]
    assert [written.cells[index].source for index in others] == [document.cells[index].source for index in others]
    assert not execution.write_parameter_lines(notebook, line_of), "a second refresh changes nothing"


def test_a_killed_runs_fences_are_removed_by_the_next_run_and_nothing_through_a_link(project, tmp_path):
    """The case: a killed run left reports/executed/.staging-* folders, which every later run kept."""
    from rare_earths import atomic

    executed, outside = project.executed, tmp_path / "outside"
    (executed / ".staging-dead").mkdir(parents=True)
    (executed / ".staging-dead" / "01-sources-and-units.ipynb").write_text("{}", encoding="utf-8")
    outside.mkdir()
    (outside / "keep.txt").write_text("keep\n", encoding="utf-8")
    (executed / ".staging-link").symlink_to(outside, target_is_directory=True)
    (executed / ".staging-file").write_text("not a fence\n", encoding="utf-8")
    runs = [chain.NotebookRun(chain.CHAIN[0], {}, executed, chain.CHAIN[0].notebook)]

    chain.out_of_date(runs, project.notebooks)  # no run lock held: another run may be using them
    assert {path.name for path in executed.glob(".staging-*")} == {".staging-dead", ".staging-link", ".staging-file"}

    with atomic.one_run_at_a_time(project.run_lock):
        live = atomic.staging(executed)  # this run's own fence
        chain.out_of_date(runs, project.notebooks)
    assert {path.name for path in executed.glob(".staging-*")} == {".staging-file", live.name}
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "keep\n"
