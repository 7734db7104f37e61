"""What each command of `python -m rare_earths` does, once its arguments are parsed (`__main__`):
the steps it brings up to date, in order. Every command that writes runs under the tree's lock
(`__main__`)."""

from __future__ import annotations

import argparse
import shutil
import time

from rare_earths import paths
from rare_earths.build import chain, params, scheduling, steps, sweep


def data(args: argparse.Namespace) -> None:
    steps.build_data(force=args.force)


def run(args: argparse.Namespace) -> None:
    """The whole chain: the data step, every notebook out of date, results.csv, the default sweep,
    the site. On a failed notebook the results and the pages still follow the executed notebooks."""
    values = params.resolve(params.parse_assignments(args.set))  # every parameter checked before anything runs
    chosen = chain.with_needs(args.only) if args.only else chain.CHAIN
    chain.check_parameters([assignment.partition("=")[0].strip() for assignment in args.set], chosen)
    started = time.perf_counter()
    steps.build_data(force=args.force)
    try:
        outcomes = chain.run(
            values, steps=chosen, force=args.force, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler
        )
    except chain.ChainFailed as failure:
        print("\n" + scheduling.summary(failure.outcomes))
        steps.build_results(chain.NOTEBOOKS)
        steps.build_site(chain.NOTEBOOKS, force=args.force, swept=False)
        raise
    print("\n" + scheduling.summary(outcomes))
    steps.build_results(chain.NOTEBOOKS)
    # The sensitivity page compares the whole chain's results across the default sweep: it shows a
    # sweep only when this run brought the sweep up to date with the notebooks.
    swept = not (args.only or args.no_sweep)
    if swept:
        print("\nthe sensitivity sweep (params.yaml, each parameter's `sweep` values):")
        sweep.run(
            params.default_grid(),
            paths.SWEEP,
            reuse=paths.EXECUTED,
            force=args.force,
            jobs=args.jobs,
            timeout=args.timeout,
            scheduler=args.scheduler,
        )
    pages = steps.build_site(chain.NOTEBOOKS, force=args.force, swept=swept)
    print(f"done in {time.perf_counter() - started:.1f} s; open {paths.relative(pages[0])}")


def notebooks(args: argparse.Namespace) -> None:
    """Re-execute the committed notebooks with the default parameters, in place."""
    values = params.resolve()
    steps.build_data()
    outcomes = chain.run(values, force=True, jobs=args.jobs, scheduler=args.scheduler)
    for outcome in outcomes:
        shutil.copyfile(paths.EXECUTED / outcome.notebook, paths.NOTEBOOKS / outcome.notebook)
    print("\n" + scheduling.summary(outcomes))
    print(f"refreshed {len(outcomes)} notebooks in {paths.relative(paths.NOTEBOOKS)}/ with the default parameters")


def sweep_grid(args: argparse.Namespace) -> None:
    """A sweep: the grid checked first (ParameterError before anything runs), then the data step the
    notebooks read, then the runs. SweepFailed if a run failed."""
    grid = sweep.parse_grid(args.grid)
    runs = sweep.plan(grid)
    print(f"{len(runs)} runs: " + ", ".join(f"{name} × {count}" for name, count in sweep.counts(runs).items()))
    steps.build_data()
    try:
        finished = sweep.run(
            grid, args.out, force=args.force, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler
        )
    except sweep.SweepFailed as failure:
        print("\n" + sweep.summary(failure.outcomes))
        raise
    print("\n" + sweep.summary(finished))


def docs(args: argparse.Namespace) -> None:
    from rare_earths.site import dictionary

    target = paths.ROOT / "docs" / "data-dictionary.md"
    target.write_text(dictionary.markdown(), encoding="utf-8")
    print(f"wrote {paths.relative(target)}")


WRITERS = (data, run, notebooks, sweep_grid)  # the commands that write data/processed/ or reports/: one at a time
