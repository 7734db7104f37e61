"""Kernels forked from a worker's warm factory (`rare_earths.build.kernels`) run a notebook exactly as
a fresh kernel does: the same executed copy, byte for byte, with the same observed inputs; nothing
of the project loaded and nothing in the namespace before the first cell. Each comparison runs the
notebook both ways into temporary folders; nothing is written into the checkout."""

from __future__ import annotations

import difflib
import importlib.util
import json
import os
import signal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rare_earths.build import chain, execution, kernels
from rare_earths.project import Project

CHECKOUT = Project(Path(__file__).resolve().parents[2])
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks"


def executed(name: str, notebooks_dir: Path, out: Path, monkeypatch, *, fresh: bool) -> bytes:
    """The executed copy of `name`, run in a forked kernel, or (`fresh`) in one started from nothing."""
    with monkeypatch.context() as patch:
        if fresh:
            patch.setenv(kernels.FRESH_VARIABLE, "1")
        else:
            patch.delenv(kernels.FRESH_VARIABLE, raising=False)
            assert kernels.warm(execution.KERNEL), "this machine should fork the project's kernel"
        execution.execute(name, {}, out, notebooks_dir=notebooks_dir)
    return (out / name).read_bytes()


def assert_same(forked: bytes, fresh: bytes) -> None:
    """The two executed copies are byte-identical; if not, the lines that differ."""
    if forked != fresh:
        diff = difflib.unified_diff(
            fresh.decode().splitlines(), forked.decode().splitlines(), "fresh", "forked", lineterm="", n=2
        )
        pytest.fail("the forked kernel's copy differs from the fresh one's:\n" + "\n".join(list(diff)[:80]))


def test_a_forked_kernel_holds_what_a_fresh_one_holds_before_the_first_cell(tmp_path, monkeypatch):
    forked = executed("09-kernel-state.ipynb", FIXTURES, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed("09-kernel-state.ipynb", FIXTURES, tmp_path / "fresh", monkeypatch, fresh=True)

    assert_same(forked, fresh)
    state = "".join(json.loads(forked)["cells"][2]["outputs"][0]["text"]).splitlines()
    assert state[0] == "['In', 'Out', 'exit', 'get_ipython', 'open', 'os', 'quit', 'sys']", "the namespace is not empty"
    assert state[1] == "[]", "a project module was loaded before the notebook imported it"
    # The figure of its last cell is displayed: the inline backend is set up as in a fresh kernel.
    assert json.loads(forked)["cells"][3]["outputs"][0]["output_type"] == "display_data"


def test_nbval_runs_each_notebook_in_a_forked_kernel_unless_told_otherwise(tmp_path, monkeypatch):
    """tests/plugins/forked_kernels.py: `make test`'s nbval checks the committed notebooks in
    kernels forked as the chain's are (the tests around this one: they run a notebook as a fresh
    kernel does), and in fresh ones with RARE_EARTHS_FRESH_KERNELS set."""
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel

    def provisioner(fresh: bool) -> type:
        with monkeypatch.context() as patch:
            if fresh:
                patch.setenv(kernels.FRESH_VARIABLE, "1")
            else:
                patch.delenv(kernels.FRESH_VARIABLE, raising=False)
            kernel = RunningKernel(CURRENT_ENV_KERNEL_NAME, cwd=str(tmp_path))
        try:
            assert kernel.is_alive()
            return type(kernel.km.provisioner)
        finally:
            kernel.stop()

    assert provisioner(fresh=False) is kernels.ForkedProvisioner
    assert provisioner(fresh=True) is not kernels.ForkedProvisioner


@pytest.mark.parametrize("name", [chain.NOTEBOOKS[2]])
def test_a_chain_notebook_run_in_a_forked_kernel_is_byte_identical_to_a_fresh_run(name, tmp_path, monkeypatch):
    forked = executed(name, CHECKOUT.notebooks, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed(name, CHECKOUT.notebooks, tmp_path / "fresh", monkeypatch, fresh=True)

    assert_same(forked, fresh)
    used = json.loads(forked)["metadata"]["rare_earths"]["used"]
    assert "data/processed/claims.csv" in used and "src/rare_earths/analysis.py" in used, used


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name in chain.NOTEBOOKS if name != chain.NOTEBOOKS[2]])
def test_every_chain_notebook_run_in_a_forked_kernel_is_byte_identical_to_a_fresh_run(name, tmp_path, monkeypatch):
    forked = executed(name, CHECKOUT.notebooks, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed(name, CHECKOUT.notebooks, tmp_path / "fresh", monkeypatch, fresh=True)

    assert_same(forked, fresh)


def test_a_factory_is_started_again_for_another_environment(monkeypatch):
    prefix = kernels.split_command(kernels.kernel_spec_argv(execution.KERNEL))[0]
    first = kernels.factory_for(prefix, kernels.kernel_environment())
    assert first is not None and kernels.factory_for(prefix, kernels.kernel_environment()) is first

    # What the libraries read of the environment as they are imported must be the kernel's.
    monkeypatch.setenv("RARE_EARTHS_TEST_VARIABLE", "1")
    second = kernels.factory_for(prefix, kernels.kernel_environment())
    assert second is not None and second is not first and first.process.poll() is not None


def test_a_factory_that_died_is_replaced_and_no_kernel_is_lost(tmp_path, monkeypatch):
    monkeypatch.delenv(kernels.FRESH_VARIABLE, raising=False)
    prefix = kernels.split_command(kernels.kernel_spec_argv(execution.KERNEL))[0]
    factory = kernels.factory_for(prefix, kernels.kernel_environment())
    os.kill(factory.process.pid, signal.SIGKILL)
    factory.process.wait()

    execution.execute("01-greets.ipynb", {}, tmp_path, notebooks_dir=FIXTURES)
    assert (tmp_path / "01-greets.ipynb").is_file()
    assert kernels.factory_for(prefix, kernels.kernel_environment()) is not factory


@pytest.mark.parametrize(
    ("module", "said"),
    [
        (None, "failed to import a_library_for_the_test: ModuleNotFoundError: No module named"),
        (
            'raise SystemExit("two\\nlines \\udcff")',
            "failed to import a_library_for_the_test: SystemExit: two lines \\udcff",
        ),
        ("raise KeyboardInterrupt", "failed to import a_library_for_the_test: KeyboardInterrupt"),
    ],
)
def test_a_factory_that_cannot_import_is_said_once_and_its_notebooks_run_in_fresh_kernels(
    tmp_path, monkeypatch, capfd, module, said
):
    """A library missing or broken where the factory imports it: one line naming it, not a traceback
    per notebook, and no factory started again for each (found by review: a run took twice as long)."""
    if module is not None:
        (tmp_path / "a_library_for_the_test.py").write_text(module + "\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))  # also a factory of its own: another environment
    monkeypatch.delenv(kernels.FRESH_VARIABLE, raising=False)
    monkeypatch.setattr(kernels, "WARM_IMPORTS", (*kernels.WARM_IMPORTS, "a_library_for_the_test"))
    monkeypatch.setattr(kernels, "_given_up", set())
    prefix = kernels.split_command(kernels.kernel_spec_argv(execution.KERNEL))[0]

    assert kernels.factory_for(prefix, kernels.kernel_environment()) is None
    assert kernels.factory_for(prefix, kernels.kernel_environment()) is None  # not tried again
    execution.execute("01-greets.ipynb", {}, tmp_path / "out", notebooks_dir=FIXTURES)

    assert (tmp_path / "out" / "01-greets.ipynb").is_file()
    err = capfd.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("note: kernels start the ordinary way") and said in err, err


def test_a_factory_too_slow_to_start_is_tried_again(monkeypatch):
    """Only a failed import is given up for good: a factory not ready in time (a busy machine) is not."""
    monkeypatch.delenv(kernels.FRESH_VARIABLE, raising=False)
    monkeypatch.setenv("RARE_EARTHS_TEST_FACTORY", "too slow, then not")  # a factory of its own
    monkeypatch.setattr(kernels, "_given_up", set())
    prefix = kernels.split_command(kernels.kernel_spec_argv(execution.KERNEL))[0]
    monkeypatch.setattr(kernels, "READY_SECONDS", 0.001)
    assert kernels.factory_for(prefix, kernels.kernel_environment()) is None
    monkeypatch.setattr(kernels, "READY_SECONDS", 120.0)
    assert kernels.factory_for(prefix, kernels.kernel_environment()) is not None


def test_only_a_python_kernel_launched_by_ipykernel_is_forked():
    assert kernels.split_command(
        ["/venv/bin/python", "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c"]
    ) == (
        ["/venv/bin/python", "-Xfrozen_modules=off"],
        ["-m", "ipykernel_launcher", "-f", "c"],
    )
    assert kernels.split_command(["R", "--slave", "-e", "IRkernel::main()", "--args", "c"]) is None
    assert kernels.split_command(["python", "-m", "other_kernel", "-f", "c"]) is None


def test_a_frozen_factory_is_given_up_in_bounded_time_and_the_notebook_runs_on_a_new_one(tmp_path, monkeypatch):
    from rare_earths.build import scheduling

    monkeypatch.delenv(kernels.FRESH_VARIABLE, raising=False)
    monkeypatch.setattr(kernels, "FORK_SECONDS", 1.0)
    prefix = kernels.split_command(kernels.kernel_spec_argv(execution.KERNEL))[0]
    frozen = kernels.factory_for(prefix, kernels.kernel_environment())
    os.kill(frozen.process.pid, signal.SIGSTOP)  # alive, and answering nothing
    try:
        outcome = scheduling.run_task(
            scheduling.Task("01-greets.ipynb", {}, str(tmp_path), str(FIXTURES), execution.KERNEL, 600.0, 1)
        )
    finally:
        if frozen.process.poll() is None:
            os.kill(frozen.process.pid, signal.SIGKILL)
    assert (outcome.status, outcome.attempts) == ("ok", 2), outcome
    assert frozen.process.poll() is not None, "the frozen factory is left running"
    assert kernels.factory_for(prefix, kernels.kernel_environment()) is not frozen


@given(
    st.lists(st.tuples(st.sampled_from(["stdout", "stderr", "figure"]), st.text(min_size=1, max_size=5)), max_size=8),
    st.randoms(use_true_random=False),
)
def test_a_kernels_writes_give_the_same_outputs_however_they_were_split_into_messages(writes, random):
    """The law behind byte-identical copies when a notebook prints: the same writes, split into
    messages at any points, give the same outputs once scrubbed."""

    def messages(split: bool) -> list[dict]:
        out = []
        for kind, text in writes:
            if kind == "figure":
                out.append({"output_type": "display_data", "data": {"text/plain": text}})
                continue
            cut = random.randint(0, len(text)) if split else len(text)
            out += [{"output_type": "stream", "name": kind, "text": part} for part in (text[:cut], text[cut:]) if part]
        return out

    assert execution.joined_streams(messages(True)) == execution.joined_streams(messages(False))


def kernel_state_with_a_last_cell(notebooks: Path, cell_id: str, source: str) -> Path:
    """A folder `notebooks` holding the fixture 09-kernel-state.ipynb with one more code cell."""
    notebooks.mkdir()
    notebook = json.loads((FIXTURES / "09-kernel-state.ipynb").read_text(encoding="utf-8"))
    cell = {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {},
        "execution_count": None,
        "outputs": [],
        "source": source,
    }
    notebook["cells"].append(cell)
    (notebooks / "09-kernel-state.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return notebooks


def test_a_forked_kernel_has_the_environment_a_fresh_one_has(tmp_path, monkeypatch):
    """Variables a library sets as it is imported (debugpy's PYDEVD_USE_FRAME_EVAL, found by review)
    are set in a fresh kernel as it starts; a forked kernel takes its environment from its request,
    so the factory must not import such a library before it forks. Every variable and its value, but
    the two the runs set apart: the one asking for a fresh kernel, and pytest's name of the test
    (which only forked kernels are given without: tests/plugins/forked_kernels.py)."""
    apart = (kernels.FRESH_VARIABLE, "PYTEST_CURRENT_TEST")
    source = f"import os\nprint(sorted(item for item in os.environ.items() if item[0] not in {apart!r}))"
    notebooks = kernel_state_with_a_last_cell(tmp_path / "notebooks", "environment", source)
    forked = executed("09-kernel-state.ipynb", notebooks, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed("09-kernel-state.ipynb", notebooks, tmp_path / "fresh", monkeypatch, fresh=True)

    assert_same(forked, fresh)


def test_kernels_forked_from_one_factory_draw_random_numbers_of_their_own(tmp_path, monkeypatch):
    """Fresh kernels draw different numbers from numpy's and Python's global generators; kernels
    forked from one factory must too (found by review: numpy's repeated the factory's state, so
    every run of a sweep would have drawn the same numbers)."""
    source = "import random, numpy\nprint(numpy.random.random(), random.random())"
    notebooks = kernel_state_with_a_last_cell(tmp_path / "notebooks", "draws", source)

    def draws(out: str) -> str:
        copy = json.loads(executed("09-kernel-state.ipynb", notebooks, tmp_path / out, monkeypatch, fresh=False))
        return "".join(copy["cells"][-1]["outputs"][0]["text"])

    first, second = draws("first"), draws("second")
    assert first.split()[0] != second.split()[0], "numpy's draws repeat from kernel to kernel"
    assert first.split()[1] != second.split()[1], "Python's draws repeat from kernel to kernel"


def test_a_module_in_the_notebooks_folder_named_as_a_library_is_imported_as_by_a_fresh_kernel(tmp_path, monkeypatch):
    """A fresh kernel puts its folder first on sys.path, so a `pint.py` there is what `import pint`
    gives; a forked kernel, with pint already loaded, would not import it. Such a kernel starts fresh."""
    notebooks = kernel_state_with_a_last_cell(tmp_path / "notebooks", "imports-pint", "import pint")
    (notebooks / "pint.py").write_text('print("a pint.py of the notebooks folder")\n', encoding="utf-8")

    forked = executed("09-kernel-state.ipynb", notebooks, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed("09-kernel-state.ipynb", notebooks, tmp_path / "fresh", monkeypatch, fresh=True)

    assert_same(forked, fresh)
    assert b"a pint.py of the notebooks folder" in forked
    assert kernels.shadowing(str(notebooks), frozenset({"pint", "numpy"})) == ["pint.py"]


def test_a_module_a_library_looks_for_and_does_not_find_is_imported_from_the_folder_as_by_a_fresh_kernel(
    tmp_path, monkeypatch
):
    """pint tries `import uncertainties`, which is not installed: a fresh kernel whose folder holds
    an `uncertainties.py` imports it as pint is imported; a forked one, its pint imported by a
    factory that found none, would not (found by review). Such a kernel starts fresh."""
    assert importlib.util.find_spec("uncertainties") is None, "the test needs an optional module pint does not find"
    notebooks = kernel_state_with_a_last_cell(tmp_path / "notebooks", "imports-pint", "import pint")
    (notebooks / "uncertainties.py").write_text(
        'print("an uncertainties.py of the notebooks folder")\nclass UFloat: ...\nufloat = unumpy = None\n',
        encoding="utf-8",
    )

    forked = executed("09-kernel-state.ipynb", notebooks, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed("09-kernel-state.ipynb", notebooks, tmp_path / "fresh", monkeypatch, fresh=True)

    assert_same(forked, fresh)
    assert b"an uncertainties.py of the notebooks folder" in forked
    # A folder of that name, even without an __init__, is imported as a namespace package: fresh too.
    (tmp_path / "other" / "uncertainties").mkdir(parents=True)
    assert kernels.shadowing(str(tmp_path / "other"), frozenset({"uncertainties"})) == ["uncertainties"]


def test_a_matplotlibrc_is_read_as_by_a_fresh_kernel_wherever_it_lies(tmp_path, monkeypatch):
    """matplotlib reads ./matplotlibrc as it is imported: a fresh kernel reads its notebook folder's,
    and never the one of the folder its factory was started from. A factory started where there is
    one (found by review: its settings reached every kernel it forked), then a notebook whose folder
    has one: each kernel holds what a fresh one does."""
    notebooks = kernel_state_with_a_last_cell(
        tmp_path / "notebooks", "prints-dpi", "import matplotlib\nprint('dpi', matplotlib.rcParams['figure.dpi'])"
    )
    started_in = tmp_path / "started-in"
    started_in.mkdir()
    (started_in / "matplotlibrc").write_text("figure.dpi: 42\n", encoding="utf-8")
    monkeypatch.chdir(started_in)
    monkeypatch.setenv("RARE_EARTHS_TEST_FACTORY", "started in a folder with a matplotlibrc")  # a factory of its own

    forked = executed("09-kernel-state.ipynb", notebooks, tmp_path / "forked", monkeypatch, fresh=False)
    fresh = executed("09-kernel-state.ipynb", notebooks, tmp_path / "fresh", monkeypatch, fresh=True)
    assert_same(forked, fresh)
    assert b"dpi 100.0" in forked

    (notebooks / "matplotlibrc").write_text("figure.dpi: 24\n", encoding="utf-8")
    forked = executed("09-kernel-state.ipynb", notebooks, tmp_path / "forked-rc", monkeypatch, fresh=False)
    fresh = executed("09-kernel-state.ipynb", notebooks, tmp_path / "fresh-rc", monkeypatch, fresh=True)
    assert_same(forked, fresh)
    assert b"dpi 24.0" in forked
    assert kernels.shadowing(str(notebooks), frozenset({"pint"})) == ["matplotlibrc"]


def test_a_kernel_started_with_its_errors_discarded_writes_none_forked(tmp_path, monkeypatch, capfd):
    """nbval starts its kernels with stderr sent to /dev/null: a forked kernel's writes (ipykernel's
    warnings as it starts) went to its factory's stderr instead, the test process's (found by review)."""
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel

    monkeypatch.delenv(kernels.FRESH_VARIABLE, raising=False)
    monkeypatch.setenv("RARE_EARTHS_TEST_FACTORY", "started with this test's stderr")  # a factory of its own
    kernel = RunningKernel(CURRENT_ENV_KERNEL_NAME, cwd=str(tmp_path))
    try:
        assert type(kernel.km.provisioner) is kernels.ForkedProvisioner
        # To the process's own stderr, not the one ipykernel sends to nbval as the cell's output.
        code = "import sys; print('to stderr', file=sys.__stderr__, flush=True)"
        kernel.kc.execute_interactive(code, timeout=60, output_hook=lambda message: None)
    finally:
        kernel.stop()
    assert "to stderr" not in capfd.readouterr().err
