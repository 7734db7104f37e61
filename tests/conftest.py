"""Shared fixtures: the checkout's project (read, never written), temporary projects made from it
for every test that runs a step, and the small deliberately broken tables under tests/fixtures/."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import shutil
from pathlib import Path

import pytest
from forked_kernels import without_the_test_name  # tests/plugins/: what the kernels' environment leaves out
from hypothesis import HealthCheck, settings

from rare_earths.project import Project

# No per-example deadline anywhere: under load (CI, two cores shared with notebook kernels) correct
# examples took 274-290 ms against hypothesis's 200 ms default, and a deadline failed them. The same
# load makes generating data slow, which the too_slow health check would fail on.
# "project" is for a developer's runs: new examples each run, failures remembered in .hypothesis/.
# "ci" (CI=true, as CI sets it) runs the same examples every time, remembered nowhere, so a run
# that fails is the run anyone reproduces. HYPOTHESIS_PROFILE=ci|project chooses either.
BUSY_MACHINE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("project", **BUSY_MACHINE)
settings.register_profile("ci", **BUSY_MACHINE, derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "project"))

FIXTURES = Path(__file__).parent / "fixtures"

# The checkout as a project: what `make reports` built. Tests read it; none writes into it.
CHECKOUT = Project(Path(__file__).resolve().parents[1])

# What a project holds besides what it builds: received and curated data, parameters, notebooks,
# and the files the site cites.
PROJECT_INPUTS = ("params.yaml", "data/raw", "notebooks", "CITATION.cff", "LICENSE")


def make_project(
    root: Path,
    *,
    claims: Path | None = None,
    sources: Path | None = None,
    articles: Path | None = None,
    exclusions: Path | None = None,
    built: bool = False,
) -> Project:
    """A project of its own in `root`: the checkout's inputs, any of them replaced by a fixture;
    with `built`, also what the checkout built (data/processed/, reports/), to start from."""
    project = Project(Path(root))
    for name in PROJECT_INPUTS:
        source, target = CHECKOUT.root / name, project.root / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    replacements = {
        project.raw_claims_csv: claims,
        project.sources_csv: sources,
        project.exclusions_csv: exclusions,
    }
    for target, fixture in replacements.items():
        if fixture is not None:
            shutil.copy2(fixture, target)
    if articles is not None:
        shutil.rmtree(project.articles)
        shutil.copytree(articles, project.articles)
    if built:
        for folder in (CHECKOUT.processed, CHECKOUT.reports):
            if folder.is_dir():
                shutil.copytree(folder, project.root / folder.relative_to(CHECKOUT.root), symlinks=True)
    return project


def shared_folder(tmp_path_factory) -> Path:
    """This test run's temporary folder, the same for every pytest-xdist worker (each worker's own
    basetemp is a folder inside it); without xdist, the run's basetemp."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The committed notebooks (executed with the defaults) rendered as the chain renders
    reports/html/, with the site's default address: rendered once per test run and read by the site
    tests and the browser test alike (a session fixture is per xdist worker, so the first worker to
    get here renders while a file lock holds the others). Tests read it; none writes into it."""
    from filelock import FileLock

    from rare_earths import project as project_module
    from rare_earths.site import report

    shared = shared_folder(tmp_path_factory)
    folder, done = shared / "site", shared / "site.rendered"
    with FileLock(shared / "site.lock"):
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker stopped mid-way left
            folder.mkdir()
            with pytest.MonkeyPatch.context() as patch:
                patch.delenv(project_module.SITE_URL_VARIABLE, raising=False)
                report.render(CHECKOUT, CHECKOUT.notebooks, folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def workers():
    """Local workers kept for the whole test run (per pytest-xdist worker), two at a time, both
    started when a test first asks for them. A test of what the chain or a sweep decides (what runs, what is
    skipped, what is recorded) runs its notebooks on them (`workers=workers`), rather than start
    workers and their kernel factories of its own for every call: about 2 CPU-seconds each, most
    of what those tests took. A test of the workers themselves (time limits, kernels that fail,
    executors, environments) starts its own, as does a test that sets an environment variable:
    these workers, and the kernels they start, keep the environment they were started in, which
    is this process's own: a session fixture is set up before any test's monkeypatch."""
    import pandera.pandas  # noqa: F401  # it sets two variables as it is imported (see below)

    from rare_earths.build import execution, executors

    # Their environment is compared with the one a command runs in, which must then be this one
    # for them to be used: pandera sets SPARK_LOCAL_IP and PYARROW_IGNORE_TIMEZONE as it is first
    # imported, by the first run of the data step unless a test module imported it when collected.
    with executors.Workers(2, None, execution.KERNEL) as shared:
        shared.warm(2)
        STARTED_IN[id(shared)] = environment_of_a_test()
        yield shared


# The environment each set of shared workers started in (by id), which their kernels get.
STARTED_IN: dict[int, dict[str, str]] = {}


def environment_of_a_test() -> dict[str, str]:
    return without_the_test_name(os.environ)


@dataclasses.dataclass(frozen=True)
class Said:
    """What a command returned and wrote, as subprocess.run gives it for a command run apart."""

    returncode: int
    stdout: str
    stderr: str


class Kept:
    """The test run's workers handed to a command, which closes the workers it is given when it
    ends: these are left open for the next test."""

    def __init__(self, workers):
        self.workers = workers

    def __getattr__(self, name: str):
        return getattr(self.workers, name)

    def close(self) -> None:
        pass

    def __enter__(self) -> Kept:
        return self

    def __exit__(self, *exception) -> None:
        pass


def command_here(workers, *argv: str) -> Said:
    """`python -m rare_earths ARGV` run in this process, started outside any project (a step that
    used the working folder rather than its project would fail), its notebooks run on the test
    run's `workers` instead of workers started for it: for tests of what a run decides and writes.
    Workers of its own are started as the command would start them where it asks for others (jobs
    other than the shared workers' two, the default only on two cores; a cluster; another kernel)
    or the environment is not the one the shared workers started in. A test of the process itself
    (killed mid-way, kept offline, failing, the command's own workers) runs the command apart, as a
    subprocess."""
    from rare_earths import __main__ as cli
    from rare_earths.build import executors

    made = executors.Workers

    def kept(jobs: int, scheduler: str | None = None, kernel: str | None = None):
        asked = (jobs, executors.scheduler_address(scheduler), kernel, environment_of_a_test())
        if asked != (workers.jobs, None, workers.kernel, STARTED_IN.get(id(workers))):
            return made(jobs, scheduler, kernel)
        return Kept(workers)

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        patch.setattr(executors, "Workers", kept)
        patch.chdir("/")
        code = cli.main(list(argv))
    return Said(code, out.getvalue(), err.getvalue())


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """`-m slow` (`make test ARGS="-m slow"`) collects only the files that mark a test slow: the
    others' tests would all be deselected, after importing them and the notebooks took seconds in
    each worker. A notebook (nbval) is never slow."""
    if config.getoption("markexpr", "") != "slow" or not collection_path.is_file():
        return None
    if collection_path.suffix == ".ipynb":
        return True
    if collection_path.suffix == ".py" and collection_path.name.startswith("test_"):
        return "mark.slow" not in collection_path.read_text(encoding="utf-8") or None
    return None


def pytest_xdist_auto_num_workers(config) -> int:
    """`-n auto` (`make test`): one test process more than the cores. Some tests mostly wait (a
    notebook over its time limit, a killed worker or scheduler given up after a bounded time, a
    subprocess starting), and a core left idle by one is taken by another: on 2 cores, 3 processes
    took `make test`'s pytest from 210 s to 197 s, doing the same work (389 CPU-seconds)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores + 1


# The longest modules, longest first, as `make test ARGS=--durations=0` measured them on 2 cores.
LONGEST = ("site/test_browser.py", "build/test_run.py", "test_contributing.py")


def pytest_collection_modifyitems(config, items) -> None:
    """The longest modules first, then the others holding a slow test, then the rest, each group in
    its order: pytest-xdist hands out whole modules (`--dist loadscope`) in this order, so the long
    ones start at once and the short ones fill in around them (the last to finish is a short one)."""
    here = Path(__file__).parent
    slow_modules = {item.path for item in items if item.get_closest_marker("slow")}

    def rank(item) -> tuple[int, bool]:
        name = item.path.relative_to(here).as_posix() if item.path.is_relative_to(here) else ""
        return (LONGEST.index(name) if name in LONGEST else len(LONGEST), item.path not in slow_modules)

    items.sort(key=rank)


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Where the browser test saved its screenshots (tests/site/test_browser.py), when it ran: a
    folder outside the checkout, which a reader of the report opens to look at the pages."""
    named = os.environ.get("RARE_EARTHS_SCREENSHOTS")
    folder = Path(named) if named else config._tmp_path_factory.getbasetemp() / "screenshots"
    if any(folder.glob("*.jpg")):
        terminalreporter.write_line(f"screenshots of the site's pages: {folder.resolve()}")


@pytest.fixture
def checkout() -> Project:
    return CHECKOUT


@pytest.fixture
def project(tmp_path) -> Project:
    """A temporary copy of the checkout's project, nothing built."""
    return make_project(tmp_path / "project")


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# The fixture notebooks are broken on purpose (chain error paths); nbval must not collect them.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="module")
def real():
    """The checkout's processed claims, as the notebooks read them."""
    from rare_earths.data import claims

    return claims.load(CHECKOUT.processed_claims_csv)


@pytest.fixture(scope="module")
def usgs():
    """The checkout's processed USGS tables."""
    from rare_earths.data import reference

    return reference.load(CHECKOUT.processed_usgs_csv)
