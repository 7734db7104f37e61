"""What each command of `python -m rare_earths` does, once its arguments are parsed (`__main__`):
the steps it brings up to date, in order, in the project it is given. Every command that writes
checks what it was given first, then works under the project's run lock (`locked`): a refused
command changes nothing, not even the lock file."""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from rare_earths import atomic
from rare_earths.build import chain, execution, executors, params, scheduling, steps, sweep
from rare_earths.project import Project, relative, site_url
from rare_earths.site import layout
from rare_earths.site import step as site_step


def locked(project: Project):
    """The project's run lock: one writing command at a time (a second one waits, saying why)."""
    return atomic.one_run_at_a_time(project.run_lock)


def data(args: argparse.Namespace, project: Project) -> None:
    with locked(project):
        steps.build_data(project, force=args.force)


def clean(args: argparse.Namespace, project: Project) -> None:
    """Remove every output, under the run lock: a run in progress finishes first."""
    with locked(project):
        for folder in (project.processed, project.reports):
            atomic.no_links(folder)  # its contents are listed, then removed: never through a link
        for path in project.generated():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()  # a file, or a link (removed, never followed)
    print(f"removed the outputs in {relative(project.processed)}/ and {relative(project.reports)}/")


def run(args: argparse.Namespace, project: Project) -> None:
    """The whole chain: the data step, every notebook out of date, results.csv, the default sweep,
    the site. On a failed notebook the results and the pages still follow the executed notebooks."""
    # Every parameter checked before anything runs, and the address the pages will give.
    values = params.resolve(params.parse_assignments(args.set), project.params_yaml)
    site_url()
    chosen = chain.with_needs(args.only) if args.only else chain.CHAIN
    given = [assignment.partition("=")[0].strip() for assignment in args.set]
    chain.check_declarations(params.specs(project.params_yaml), project.notebooks)
    chain.check_parameters(given, chosen, project.notebooks)
    with locked(project):
        _run(args, project, values, chosen)


def _run(args: argparse.Namespace, project: Project, values: dict, chosen: tuple) -> None:
    started = time.perf_counter()
    # One set of workers for every notebook run of the command; opened before the data step when
    # that is out of date (the notebooks will follow), so their kernel factories warm meanwhile.
    with executors.Workers(args.jobs, args.scheduler, execution.KERNEL) as workers:
        steps.build_data(project, force=args.force, starting=lambda: workers.warm(len(chosen)))
        options = dict(force=args.force, jobs=args.jobs, timeout=args.timeout, workers=workers)
        _run_notebooks(args, project, values, chosen, options, started)


def _run_notebooks(
    args: argparse.Namespace, project: Project, values: dict, chosen: tuple, options: dict, started: float
) -> None:
    failures: list[chain.ChainFailed] = []
    outcomes = _chain(values, project, chosen, options, failures)
    outcomes += _vouch(values, project, outcomes, options, failures)
    print("\n" + scheduling.summary(outcomes))
    published = chain.vouched_for(project)
    steps.build_results(project, published)
    # The sensitivity page compares the whole chain's results across the default sweep: it shows a
    # sweep only when this run brought the sweep up to date with the notebooks.
    swept = not (args.only or args.no_sweep or failures) and _default_sweep(project, options, failures)
    # Vouched for again as the pages are to be made from them: a copy changed since (while the sweep
    # ran, say) is run again, not published.
    again = _vouch(values, project, outcomes, options, failures)
    if again:
        print("\n" + scheduling.summary(again))
        published = chain.vouched_for(project)
    failed = tuple(found for failure in failures for found in _failures(failure))
    pages = site_step.build_site(project, published, force=args.force, swept=swept, failures=failed)
    if failures:
        print(f"the pages were published from the notebooks that hold, and say what failed: {relative(pages[0])}")
        raise failures[0] if len(failures) == 1 else chain.ChainFailed([o for f in failures for o in f.outcomes])
    print(f"done in {time.perf_counter() - started:.1f} s; open {relative(pages[0])}")


def _vouch(values: dict, project: Project, outcomes: list, options: dict, failures: list) -> list:
    """Whatever --only chose, the pages are built only from executed notebooks whose manifests still
    hold: one that no longer matches what it was made from (its data changed, or the copy did) is
    run now, with this run's values. Returns the outcomes of those runs."""
    failed = {outcome.notebook for outcome in outcomes if outcome.status in ("failed", "blocked")}
    holding = chain.vouched_for(project)
    stale = [step for step in chain.CHAIN if step.notebook not in failed and step.notebook not in holding]
    if not stale:
        return []
    names = ", ".join(step.notebook for step in stale)
    print(f"\nalso run, as their executed copies no longer match what they were made from: {names}")
    return _chain(values, project, tuple(stale), options, failures)


def _default_sweep(project: Project, options: dict, failures: list) -> bool:
    """The sensitivity sweep (params.yaml's `sweep` values) brought up to date; False if a run of it
    failed (kept in `failures`: the pages say so)."""
    print("\nthe sensitivity sweep (params.yaml, each parameter's `sweep` values):")
    grid = params.default_grid(project.params_yaml)
    try:
        sweep.run(grid, project.sweep, **_sweep_options(project), reuse=project.executed, **options)
    except sweep.SweepFailed as failure:
        print("\n" + sweep.summary(failure.outcomes))
        failures.append(failure)
        return False
    return True


def _chain(values: dict, project: Project, chosen: tuple, options: dict, failures: list) -> list:
    """Run `chosen`, each notebook's page rendered as it finishes; a failure is kept in `failures`
    (the pages still follow, and say so)."""
    prepare = site_step.page_preparer(project)
    try:
        return chain.run(
            values,
            project.executed,
            chosen,
            notebooks_dir=project.notebooks,
            recorded=lambda run_: prepare(run_.folder / run_.step.notebook),
            **options,
        )
    except chain.ChainFailed as failure:
        failures.append(failure)
        return failure.outcomes


def _failures(failure: chain.ChainFailed) -> list[layout.Failure]:
    """What failed, for the pages to state: each failed or blocked run."""
    sweep_run = isinstance(failure, sweep.SweepFailed)
    found = []
    for outcome in failure.outcomes:
        if outcome.status == "failed":
            where = f" in cell {outcome.cell}" if outcome.cell is not None else ""
            what = f"failed{where}: {outcome.error}"
        elif outcome.status == "blocked":
            what = "did not run: a notebook it needs failed"
        else:
            continue
        found.append(layout.Failure(outcome.notebook.split(" [")[0], outcome.notebook, what, sweep_run))
    return found


def notebooks(args: argparse.Namespace, project: Project) -> None:
    """Re-execute the committed notebooks with the default parameters, in place, each parameters
    cell first declaring its parameters as params.yaml does (type, default, meaning)."""
    values = params.resolve(path=project.params_yaml)
    declared = params.specs(project.params_yaml)

    def line_of(name: str) -> str | None:
        return params.cell_line(name, project.params_yaml) if name in declared else None

    with locked(project):
        for name in chain.NOTEBOOKS:
            if execution.write_parameter_lines(project.notebooks / name, line_of):
                print(f"{name}: its parameters cell now declares its parameters as params.yaml does")
        chain.check_declarations(values, project.notebooks)
        _notebooks(args, project, values)


def _notebooks(args: argparse.Namespace, project: Project, values: dict) -> None:
    steps.build_data(project)
    outcomes = chain.run(
        values, project.executed, notebooks_dir=project.notebooks, force=True, jobs=args.jobs, scheduler=args.scheduler
    )
    for outcome in outcomes:
        text = (project.executed / outcome.notebook).read_text(encoding="utf-8")
        atomic.write_text(project.notebooks / outcome.notebook, text)  # replaced whole, never through a link
    print("\n" + scheduling.summary(outcomes))
    print(f"refreshed {len(outcomes)} notebooks in {relative(project.notebooks)}/ with the default parameters")


def sweep_grid(args: argparse.Namespace, project: Project) -> None:
    """A sweep: the grid checked first (ParameterError before anything runs), then the data step the
    notebooks read, then the runs. SweepFailed if a run failed."""
    chain.check_declarations(params.specs(project.params_yaml), project.notebooks)
    grid = sweep.parse_grid(args.grid, **_sweep_options(project))
    # A sweep's own folder, named by its grid: never the default sweep the pages are made from.
    out = _sweep_folder(args.out or project.sweeps / sweep.folder_name(grid), project)
    sweep.check_size(sweep.size(grid, notebooks_dir=project.notebooks), args.runs)
    runs = sweep.plan(grid, notebooks_dir=project.notebooks)
    print(f"{len(runs)} runs: " + ", ".join(f"{name} × {count}" for name, count in sweep.counts(runs).items()))
    with locked(project):
        _sweep(args, project, grid, out)


def _sweep(args: argparse.Namespace, project: Project, grid: dict, out: Path) -> None:
    steps.build_data(project)
    options = dict(force=args.force, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler)
    try:
        finished = sweep.run(grid, out, **_sweep_options(project), **options)
    except sweep.SweepFailed as failure:
        print("\n" + sweep.summary(failure.outcomes))
        raise
    print("\n" + sweep.summary(finished))


def _sweep_folder(out: Path, project: Project) -> Path:
    """A sweep's folder: inside the project's reports/ (never received data, notebooks, or outside
    the project), and never one that holds or lies inside the chain's own outputs (its results.csv
    would replace the chain's). ParameterError naming --out and what it allows; links are not
    followed (a link on the way is refused when the sweep writes)."""
    given = Path(os.path.abspath(out))
    reports = Path(os.path.abspath(project.reports))
    chains = [
        Path(os.path.abspath(place)) for place in (project.executed, project.html, project.results_csv, project.sweep)
    ]
    chains.append(Path(os.path.abspath(project.html.parent / f".{project.html.name}-builds")))
    inside = given != reports and given.is_relative_to(reports)
    if not inside or any(
        given == place or place.is_relative_to(given) or given.is_relative_to(place) for place in chains
    ):
        raise params.ParameterError(
            f"--out {out}: give a folder of the sweep's own inside {relative(project.reports)}/, apart from the "
            f"chain's outputs, e.g. {relative(project.reports / 'my-sweep')}"
        )
    return given


def _sweep_options(project: Project) -> dict:
    return dict(notebooks_dir=project.notebooks, params_path=project.params_yaml)


def docs(args: argparse.Namespace, project: Project) -> None:
    # here: it costs 0.75 s (the audit's rules, pandas), which every other command would pay
    from rare_earths.site import dictionary

    with locked(project):
        target = atomic.write_text(project.data_dictionary, dictionary.markdown(project))
    print(f"wrote {relative(target)}")
