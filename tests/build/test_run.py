"""The whole chain as `make reports` runs it: parameters refused before anything runs, no network,
byte-identical outputs run after run, and a run killed mid-way leaves the previous outputs whole.
Every run here is in a project of its own, a copy of the checkout's (never the checkout itself).
A test of the process (kept offline, killed mid-way, failing) runs the command as `make reports` does,
as a process of its own; a test of what a run decides and writes runs it in this process, on the test
run's workers (conftest's `command_here`), sparing a process start and two workers each time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CHECKOUT, Said, command_here, make_project

from rare_earths import __main__ as cli
from rare_earths import commands
from rare_earths.build import chain, execution, results, steps
from rare_earths.project import Project, relative

OFFLINE = Path(__file__).parents[1] / "offline"


def outputs(project: Project) -> dict[str, bytes]:
    """Every output of the chain a reader or a notebook uses, by path."""
    found = [
        *project.processed.glob("*.csv"),
        *project.processed.glob("*.json"),
        *project.executed.glob("*.ipynb"),
        *project.html.glob("*.html"),
    ]
    return {relative(path): path.read_bytes() for path in sorted(found) if not path.name.startswith(".")}


# Every run below is started outside any project: a step that looked for its project in the working
# directory rather than use the one it is given would fail.
OUTSIDE = "/"


def chain_command(project: Project, *arguments: str) -> list[str]:
    # The chain's own work, without the sensitivity sweep (tests/build/test_sweep.py tests sweeps).
    return [sys.executable, "-m", "rare_earths", "--project", str(project.root), "run", "--no-sweep", *arguments]


def chain_here(workers, project: Project, *arguments: str, check: bool = True) -> Said:
    """The run `chain_command` makes, in this process on the test run's workers (conftest's
    `command_here`): for what a run decides and writes. `check`: it must succeed."""
    said = command_here(workers, "--project", str(project.root), "run", "--no-sweep", *arguments)
    assert not check or said.returncode == 0, f"{' '.join(arguments)}: exit {said.returncode}\n{said.stderr[-2000:]}"
    return said


@pytest.fixture(scope="module")
def ran(tmp_path_factory, workers) -> Project:
    """A copy of the checkout's project with what `make reports` built there, brought up to date
    by a run without the sweep (manifests name files by their place in the project, so a project
    moved elsewhere is still up to date: only the pages, which say there is no sweep, are made)."""
    project = make_project(tmp_path_factory.mktemp("project"), built=True)
    chain_here(workers, project)
    return project


@pytest.fixture(scope="module")
def built(ran) -> dict[str, bytes]:
    """The outputs of a complete default run."""
    return outputs(ran)


# --- parameters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "named", "allowed"),
    [
        ("no_such_parameter=1", "no_such_parameter", "known: usd_inr"),
        ("usd_inr=eighty", "usd_inr", "is not a float"),
        ("usd_inr=0", "usd_inr", "at least 1"),
        ("usd_inr=-84", "usd_inr", "at least 1"),
        ("usd_inr=5000", "usd_inr", "at most 1000"),
        ("consumption_base_year=2024.5", "consumption_base_year", "is not an int"),
        ("consumption_base_year=2040", "consumption_base_year", "less than 2032"),
        ("consumption_base_year=2032", "consumption_base_year", "less than 2032"),
        ("reference_edition=MCS2030", "reference_edition", "MCS2024, MCS2025"),
    ],
)
def test_bad_parameters_are_refused_before_anything_runs(assignment, named, allowed, project, monkeypatch, capsys):
    def must_not_run(*args, **kwargs):
        raise AssertionError("a step ran with a bad parameter")

    monkeypatch.setattr(steps, "build_data", must_not_run)
    monkeypatch.setattr(chain, "run", must_not_run)
    assert cli.main(["--project", str(project.root), "run", "--set", assignment]) == 1
    error = capsys.readouterr().err
    assert named in error and allowed in error


def test_the_base_year_limit_is_the_year_of_the_projection_in_the_claims():
    import csv

    from rare_earths.build import params

    rows = list(csv.DictReader(CHECKOUT.raw_claims_csv.open(encoding="utf-8")))
    projection = next(row for row in rows if row["metric"] == "consumption_projected" and row["subject"] == "India")
    assert params.specs()["consumption_base_year"]["maximum_exclusive"] == int(projection["period"])
    assert projection["claim_id"] in params.specs()["consumption_base_year"]["maximum_reason"]


def test_an_unknown_notebook_for_only_is_refused(project, capsys):
    assert cli.main(["--project", str(project.root), "run", "--only", "09-none.ipynb"]) == 2
    assert "09-none.ipynb" in capsys.readouterr().err


# --- incremental ---------------------------------------------------------------------------------


def actions(output: str) -> dict[str, str]:
    """notebook -> run or skipped, from the summary table a run prints."""
    return {
        line.split()[0]: line.split()[1]
        for line in output.splitlines()
        if line.split() and line.split()[0] in chain.NOTEBOOKS
    }


@pytest.mark.slow
def test_a_changed_parameter_reruns_only_the_notebooks_that_declare_it(ran, built, workers):
    changed = chain_here(workers, ran, "--set", "consumption_base_year=2023")
    users = {
        name
        for name in chain.NOTEBOOKS
        if "consumption_base_year" in execution.declared_parameters(CHECKOUT.notebooks / name)
    }
    assert users == {"04-demand.ipynb"}
    assert {name for name, action in actions(changed.stdout).items() if action == "run"} == users
    assert "data/processed/ is up to date" in changed.stdout
    restored = chain_here(workers, ran)
    assert {name for name, action in actions(restored.stdout).items() if action == "run"} == users
    assert outputs(ran) == built
    nothing = chain_here(workers, ran)
    assert set(actions(nothing.stdout).values()) == {"skipped"} and "reports/html/ is up to date" in nothing.stdout


# --- offline and deterministic -------------------------------------------------------------------


def offline_environment(log: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(OFFLINE), os.environ.get("PYTHONPATH", "")])),
        "RARE_EARTHS_NETWORK_LOG": str(log),
    }


def test_the_network_guard_blocks_and_records_a_request(tmp_path):
    log = tmp_path / "network.log"
    probe = "import urllib.request\ntry:\n    urllib.request.urlopen('http://example.com', timeout=5)\nexcept OSError as e:\n    print('refused:', e)"
    result = subprocess.run([sys.executable, "-c", probe], env=offline_environment(log), capture_output=True, text=True)
    assert "refused: " in result.stdout and "blocked" in result.stdout
    assert "example.com" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_chain_runs_offline_and_gives_the_same_bytes_again(ran, built, tmp_path):
    log = tmp_path / "network.log"
    result = subprocess.run(
        cwd=OUTSIDE, args=chain_command(ran, "--force"), env=offline_environment(log), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert not log.exists(), f"network requests: {log.read_text(encoding='utf-8')}"
    again = outputs(ran)
    assert again.keys() == built.keys()
    # data/processed/, the executed notebooks and the HTML pages, byte for byte: nothing to remove.
    changed = [path for path in built if again[path] != built[path]]
    assert not changed, f"differ between two runs: {changed}"


# --- killed mid-way ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", ["wrote data/processed/claims.csv", "submitted 0"])
def test_a_run_killed_mid_way_leaves_the_previous_outputs_whole(ran, built, kill_after):
    process = subprocess.Popen(
        cwd=OUTSIDE,
        args=chain_command(ran, "--force"),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if kill_after in line:
            break
    time.sleep(0.5)  # inside the step that follows: writing, or a notebook running
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert any(kill_after in line for line in seen), seen
    assert outputs(ran) == built, "an output was left half-written or missing"
    # The next run finds the leftovers harmless: it completes and removes the temporary files.
    subprocess.run(cwd=OUTSIDE, args=chain_command(ran), check=True, capture_output=True)
    assert outputs(ran) == built
    assert not list(ran.executed.glob(".*.running.ipynb"))


# --- the command line ----------------------------------------------------------------------------


def test_help_explains_every_option_of_run(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(["run", "--help"])
    assert raised.value.code == 0
    text = capsys.readouterr().out
    for option, words in {
        "--set": "usd_inr=86.0",
        "--force": "Rebuild",
        "--only": "notebooks it needs",
        "--jobs": "one per core",
        "--timeout": "Time limit per notebook",
        "--scheduler": "Dask",
    }.items():
        assert option in text and words in text, f"--help does not explain {option}"


def test_the_makefile_calls_the_command_line():
    makefile = (CHECKOUT.root / "Makefile").read_text(encoding="utf-8")
    for command in ("-m rare_earths run", "-m rare_earths data", "-m rare_earths notebooks"):
        assert command in makefile


@pytest.mark.slow
def test_a_notebook_run_alone_with_an_override_never_leaves_pages_that_disagree(ran, built, workers):
    chain_here(workers, ran, "--only", "03-trade.ipynb", "--set", "usd_inr=86")
    index = (ran.html / "index.html").read_text(encoding="utf-8")
    # The index says what each page was computed with: 86.0 for 03 only, the default elsewhere.
    assert "84.57 in 01-sources-and-units, 05-capacity-and-policy; 86.0 in 03-trade" in index
    # results.csv tells the two apart: each row with the value its notebook ran with.
    table = results.read(ran.results_csv)
    ran_at = dict(zip(table.notebook, table.usd_inr, strict=False))
    assert ran_at["03-trade.ipynb"] == "86" and ran_at["01-sources-and-units.ipynb"] == "84.57"
    restored = chain_here(workers, ran)
    assert {name for name, action in actions(restored.stdout).items() if action == "run"} == {"03-trade.ipynb"}
    assert outputs(ran) == built


def test_parameters_of_the_executed_notebooks():
    from rare_earths.site import report

    assert report.parameters_of({"01-a.ipynb": {"rate": 1.0}, "02-b.ipynb": {"rate": 1.0, "year": 2024}}) == {
        "rate": 1.0,
        "year": 2024,
    }
    assert report.parameters_of({"01-a.ipynb": {"rate": 1.0}, "02-b.ipynb": {"rate": 2.0}}) == {
        "rate": "1.0 in 01-a; 2.0 in 02-b"
    }


def test_a_notebook_reruns_for_the_modules_it_imported_and_the_site_for_its_own():
    """Read from the checkout's manifests, written by `make reports`, each step in a process of its
    own (a step run in a test process would record what the test process has imported)."""

    def library_files(manifest: Path) -> set[str]:
        return {
            name
            for name in json.loads(manifest.read_text(encoding="utf-8"))["inputs"]["files"]
            if name.startswith("src/")
        }

    trade = library_files(CHECKOUT.executed / "03-trade.inputs.json")
    assert {"src/rare_earths/analysis.py", "src/rare_earths/data/units.py"} <= trade  # observed in its kernel
    assert (
        "src/rare_earths/site/report.py" not in trade and "src/rare_earths/build/chain.py" not in trade
    )  # an edit to the site reruns no notebook
    site = library_files(CHECKOUT.html / ".inputs.json")
    assert {"src/rare_earths/site/report.py", "src/rare_earths/__main__.py"} <= site
    data = library_files(CHECKOUT.processed / ".inputs.json")
    assert "src/rare_earths/audit/recompute.py" in data and "src/rare_earths/site/report.py" not in data


@pytest.mark.slow
def test_a_run_given_its_project_uses_that_projects_files_only(ran, built, tmp_path, workers):
    """A copy of a built project is up to date where it lies; changing the copy's CITATION.cff
    re-renders only its pages, which name the copy's authors (never the checkout's)."""
    copy = make_project(tmp_path / "copy", built=False)
    for folder in (ran.processed, ran.reports):
        shutil.copytree(folder, copy.root / folder.relative_to(ran.root), symlinks=True)
    cff = copy.citation_cff.read_text(encoding="utf-8")
    copy.citation_cff.write_text(
        cff.replace("The rare-earths notebook suite authors", "Copy Authors Collective"), encoding="utf-8"
    )
    result = chain_here(workers, copy)
    assert "every notebook is up to date" in result.stdout and "data/processed/ is up to date" in result.stdout
    article = (copy.html / "article-a000.html").read_text(encoding="utf-8")
    assert "Copy Authors Collective" in article and "The rare-earths notebook suite authors" not in article


# --- nothing published that was not vouched for --------------------------------------------------


@pytest.mark.slow
def test_only_reruns_a_tampered_executed_notebook_of_another_step_before_the_site_is_published(ran, built, workers):
    """The case: `run --only 04-demand.ipynb` rendered every page from whatever sat in
    reports/executed/, so a tampered notebook of another step reached the site and results.csv."""
    tampered = ran.executed / "01-sources-and-units.ipynb"
    tampered.write_text(tampered.read_text(encoding="utf-8").replace("claims", "TAMPERED", 1), encoding="utf-8")
    alone = chain_here(workers, ran, "--only", "04-demand.ipynb")
    assert "no longer match what they were made from: 01-sources-and-units.ipynb" in alone.stdout
    assert {name for name, action in actions(alone.stdout).items() if action == "run"} == {tampered.name}
    assert outputs(ran) == built
    assert "TAMPERED" not in ran.results_csv.read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_executed_notebook_changed_while_the_sweep_runs_is_run_again_not_published(tmp_path, monkeypatch, workers):
    """The case: a copy in reports/executed/ changed while the default sweep ran reached the pages,
    vouched for before the sweep began. Run in this process, in a project of its own, to change it
    at that moment."""
    project = make_project(tmp_path / "project", built=True)
    tampered = project.executed / "03-trade.ipynb"
    sweep_as_it_is = commands._default_sweep

    def sweep_then_tamper(*args, **kwargs):
        done = sweep_as_it_is(*args, **kwargs)
        tampered.write_text(tampered.read_text(encoding="utf-8").replace("the", "TAMPERED", 1), encoding="utf-8")
        return done

    monkeypatch.setattr(commands, "_default_sweep", sweep_then_tamper)
    said = command_here(workers, "--project", str(project.root), "run")
    assert said.returncode == 0, said.stderr[-2000:]
    assert "no longer match what they were made from: 03-trade.ipynb" in said.stdout
    assert "TAMPERED" not in tampered.read_text(encoding="utf-8")
    assert "TAMPERED" not in (project.html / "03-trade.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_failed_notebook_publishes_pages_that_say_what_failed_and_nothing_it_did_not_vouch_for(ran, built, workers):
    notebook = ran.notebooks / "05-capacity-and-policy.ipynb"
    original = notebook.read_text(encoding="utf-8")
    cells = json.loads(original)
    cells["cells"].append(
        {
            "cell_type": "code",
            "id": "planted-failure",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": "raise RuntimeError('planted failure')",
        }
    )
    notebook.write_text(json.dumps(cells), encoding="utf-8")
    try:
        # As a process of its own: the command line's failure path, which a test process that has
        # imported more of the library could hide (a module it uses but never imports).
        failed = subprocess.run(cwd=OUTSIDE, args=chain_command(ran), capture_output=True, text=True)
    finally:
        notebook.write_text(original, encoding="utf-8")
    assert failed.returncode == 1 and "planted failure" in failed.stderr
    index = (ran.html / "index.html").read_text(encoding="utf-8")
    assert "This build is incomplete" in index and "its notebook failed in cell" in index
    assert "It has no page in this build." in index
    # Its old executed copy was made from other code: it holds no longer, so it has no page.
    assert not (ran.html / "05-capacity-and-policy.html").exists()
    assert "05-capacity-and-policy" not in ran.results_csv.read_text(encoding="utf-8")
    chain_here(workers, ran)
    assert outputs(ran) == built
