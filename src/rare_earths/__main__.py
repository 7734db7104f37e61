"""The command line the Makefile calls: `python -m rare_earths --help`.

Heavy libraries (pandas, pandera, papermill, nbconvert) are imported only by the steps that need
them, so a run with nothing to do finishes in about a second.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from rare_earths import paths
from rare_earths.build import chain, execution, observation, params, runner, scheduling, sweep
from rare_earths.build.params import ParameterError
from rare_earths.errors import InputError
from rare_earths.site import dictionary

SITE_MANIFEST = paths.HTML / ".inputs.json"


def _values(args: argparse.Namespace) -> dict:
    return params.resolve(params.parse_assignments(args.set))


def _build_data(*, force: bool = False) -> None:
    """The cleaning step: claims, USGS and the audit into data/processed/, unless its inputs are
    unchanged. It takes no parameter: data/processed/ is the same for every run."""
    # Looked up at call time, so the inputs are the files the step reads (tests point them elsewhere).
    reads = [
        paths.RAW_CLAIMS_CSV,
        paths.SOURCES_CSV,
        paths.ARTICLES,
        paths.REFERENCE,
        *(paths.ROOT / p for p in observation.SHARED_INPUTS),
    ]
    processed = paths.PROCESSED_CLAIMS_CSV.parent  # the step's outputs, all in one folder
    outputs = [
        paths.PROCESSED_CLAIMS_CSV,
        paths.PROCESSED_USGS_CSV,
        paths.PROCESSED_AUDIT_CSV,
        processed / paths.PROCESSED_CONCLUSIONS_CSV.name,
        processed / "datapackage.json",
    ]
    manifest = paths.PROCESSED_CLAIMS_CSV.parent / ".inputs.json"
    inputs = runner.fingerprint([*reads, *runner.files_used(manifest, [observation.LIBRARY])], {})
    if not force and runner.unchanged(manifest, inputs, outputs):
        print("data/processed/ is up to date")
        return
    from rare_earths import atomic, audit
    from rare_earths.audit import conclusions
    from rare_earths.data import claims, datapackage, reference

    # Every output is built in a staging folder and checked there; only then are all of them, with
    # the manifest that vouches for them, moved into place together (or, on any error, none).
    atomic.recover(processed)
    staged = atomic.staging(processed)
    try:
        claims_csv = claims.build(output=staged / paths.PROCESSED_CLAIMS_CSV.name)
        usgs_csv = reference.build(staged / paths.PROCESSED_USGS_CSV.name)
        audit_csv = audit.build(staged / paths.PROCESSED_AUDIT_CSV.name, claims_path=claims_csv, usgs_path=usgs_csv)
        conclusions_csv = conclusions.build(
            staged / paths.PROCESSED_CONCLUSIONS_CSV.name, audit_path=audit_csv, claims_path=claims_csv
        )
        package = datapackage.build(staged / "datapackage.json")
        counts = (
            len(claims.load(claims_csv)),
            len(reference.load(usgs_csv)),
            audit.load(audit_csv),
            conclusions.counts(conclusions.load(conclusions_csv)),
        )
        inputs = runner.fingerprint(
            [*reads, *observation.used_here(outputs=processed)], {}
        )  # the modules and files it used, observed
        atomic.write_text(
            staged / manifest.name,
            runner.manifest_text(inputs, [claims_csv, usgs_csv, audit_csv, conclusions_csv, package], into=processed),
        )
        atomic.replace_together(processed, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    claims_count, usgs_count, checks, standings = counts
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in checks.verdict.value_counts().sort_index().items())
    print(f"wrote {paths.relative(paths.PROCESSED_CLAIMS_CSV)} ({claims_count} claims)")
    print(f"wrote {paths.relative(paths.PROCESSED_USGS_CSV)} ({usgs_count} USGS figures)")
    print(f"wrote {paths.relative(paths.PROCESSED_AUDIT_CSV)} ({len(checks)} checks: {verdicts})")
    concluded = ", ".join(f"{count} {standing}" for standing, count in standings.items())
    print(f"wrote {paths.relative(paths.PROCESSED_CONCLUSIONS_CSV)} ({sum(standings.values())} claims: {concluded})")
    print(
        f"wrote {paths.relative(processed / 'datapackage.json')} (the tables described as a Frictionless data package)"
    )


def _data(args: argparse.Namespace) -> None:
    _build_data(force=args.force)


def _render(steps: tuple[chain.Step, ...], *, force: bool, swept: bool) -> list:
    """The readers' pages from the executed notebooks, unless nothing they show has changed. Each page
    states the parameters its notebook ran with, read from the notebook, not from this command."""
    from rare_earths.site import citation

    executed = [paths.relative(paths.EXECUTED / step.notebook) for step in steps]
    # What the last rendering read and imported (observed), the notebooks, and the build's version,
    # which every page's footer states.
    version = {"version": citation.build_version(), "swept": swept}
    inputs = runner.fingerprint(
        [*executed, *observation.SHARED_INPUTS, *runner.files_used(SITE_MANIFEST, [observation.LIBRARY, "data"])],
        version,
    )
    names = [step.notebook for step in steps]
    pages = [paths.HTML / page for page in paths.page_files(names)]
    if not force and runner.unchanged(SITE_MANIFEST, inputs, [paths.HTML / name for name in paths.site_files(names)]):
        print(f"{paths.relative(paths.HTML)}/ is up to date")
        return pages
    execution.skip_slow_imports()
    from rare_earths import atomic
    from rare_earths.site import report

    # Rendered in a staging folder, then every file and the manifest moved into place together.
    atomic.recover(paths.HTML)
    staged = atomic.staging(paths.HTML)
    try:
        written = report.render(html_dir=staged, names=tuple(step.notebook for step in steps), swept=swept)
        inputs = runner.fingerprint(
            [*executed, *observation.SHARED_INPUTS, *observation.used_here(outputs=paths.HTML)], version
        )
        atomic.write_text(staged / SITE_MANIFEST.name, runner.manifest_text(inputs, written, into=paths.HTML))
        atomic.replace_together(paths.HTML, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    print(
        f"wrote {len(pages)} pages to {paths.relative(paths.HTML)}/, with their stylesheet and the tables to download"
    )
    return pages


def _run(args: argparse.Namespace) -> None:
    values = _values(args)  # every parameter checked before anything runs
    steps = chain.with_needs(args.only) if args.only else chain.CHAIN
    chain.check_parameters([assignment.partition("=")[0].strip() for assignment in args.set], steps)
    started = time.perf_counter()
    _build_data(force=args.force)
    try:
        outcomes = chain.run(
            values, steps=steps, force=args.force, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler
        )
    except chain.ChainFailed as failure:
        print("\n" + scheduling.summary(failure.outcomes))
        _results()
        _render_site(force=args.force, swept=False)  # the pages follow the executed notebooks, failed run or not
        raise
    print("\n" + scheduling.summary(outcomes))
    _results()
    # The sensitivity page compares the whole chain's results across the default sweep: it shows a
    # sweep only when this run brought the sweep up to date with the notebooks.
    swept = not (args.only or args.no_sweep)
    if swept:
        _sensitivity(force=args.force, jobs=args.jobs, timeout=args.timeout, scheduler=args.scheduler)
    pages = _render_site(force=args.force, swept=swept)
    print(f"done in {time.perf_counter() - started:.1f} s; open {paths.relative(pages[0])}")


RESULTS_MANIFEST = paths.REPORTS / ".results.inputs.json"


def _results() -> None:
    """reports/results.csv from the executed notebooks, unless it is exactly what they give: its
    manifest records the notebooks and the code it was made from, and its own hash."""
    executed = [paths.EXECUTED / name for name in chain.NOTEBOOKS if (paths.EXECUTED / name).is_file()]
    inputs = runner.fingerprint([*executed, *runner.files_used(RESULTS_MANIFEST, [observation.LIBRARY])], {})
    if runner.unchanged(RESULTS_MANIFEST, inputs, [paths.RESULTS_CSV]):
        print(f"{paths.relative(paths.RESULTS_CSV)} is up to date")
        return
    from rare_earths.build import results

    written = results.build()
    runner.remember(
        RESULTS_MANIFEST, runner.fingerprint([*executed, *observation.used_here(outputs=paths.REPORTS)], {}), [written]
    )
    print(f"wrote {paths.relative(written)} (the results the notebooks recorded)")


def _sensitivity(**options) -> None:
    """The default sweep of params.yaml into reports/sweep/: runs with this run's values are copied
    from reports/executed/, runs already made are skipped, the rest run."""
    print("\nthe sensitivity sweep (params.yaml, each parameter's `sweep` values):")
    sweep.run(params.default_grid(), paths.SWEEP, reuse=paths.EXECUTED, **options)


def _sweep(args: argparse.Namespace) -> None:
    sweep.main(args, prepare=_build_data)  # the grid is checked first, then the cleaning step, then the runs


def _render_site(*, force: bool, swept: bool) -> list:
    """Pages link to each other, so the site covers every executed notebook there is, not only
    those this run made (--only, or a notebook that failed and kept its previous copy)."""
    steps = tuple(step for step in chain.CHAIN if (paths.EXECUTED / step.notebook).is_file())
    return _render(steps, force=force, swept=swept)


def _notebooks(args: argparse.Namespace) -> None:
    values = params.resolve()
    _build_data()
    outcomes = chain.run(values, force=True, jobs=args.jobs, scheduler=args.scheduler)
    for outcome in outcomes:
        shutil.copyfile(paths.EXECUTED / outcome.notebook, paths.NOTEBOOKS / outcome.notebook)
    print("\n" + scheduling.summary(outcomes))
    print(f"refreshed {len(outcomes)} notebooks in {paths.relative(paths.NOTEBOOKS)}/ with the default parameters")


def _docs(args: argparse.Namespace) -> None:

    target = paths.ROOT / "docs" / "data-dictionary.md"
    target.write_text(dictionary.markdown(), encoding="utf-8")
    print(f"wrote {paths.relative(target)}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m rare_earths", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    set_help = "Override a parameter of params.yaml, e.g. --set usd_inr=86.0; repeatable. Checked before anything runs."
    force_help = "Rebuild even what is up to date (by default only what changed since the last run is rebuilt)."
    jobs_help = (
        f"Notebooks run at the same time, each in its own process (default: one per core, here {scheduling.JOBS})."
    )

    scheduler_help = (
        "Run the notebooks on this Dask distributed scheduler instead of local processes (default: "
        "DASK_SCHEDULER_ADDRESS if set); its workers need this project at the same path."
    )
    data = commands.add_parser(
        "data", help="Check the raw data and write data/processed/ (the cleaning step and the audit; no parameters)."
    )
    data.add_argument("--force", action="store_true", help=force_help)
    data.set_defaults(run=_data)

    run = commands.add_parser(
        "run", help="The whole chain: the cleaning step, every notebook out of date, the HTML reports."
    )
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help=set_help)
    run.add_argument("--force", action="store_true", help=force_help)
    run.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NOTEBOOK",
        help=f"Run only this notebook and the notebooks it needs; repeatable. One of: {', '.join(chain.NOTEBOOKS)}.",
    )
    run.add_argument("--jobs", type=scheduling.job_count, default=scheduling.JOBS, help=jobs_help)
    run.add_argument(
        "--timeout",
        type=scheduling.time_limit,
        default=execution.TIMEOUT_SECONDS,
        help="Time limit per notebook, in seconds (a finite number above 0).",
    )
    run.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None, help=scheduler_help)
    run.add_argument(
        "--no-sweep",
        action="store_true",
        help="Skip the default sensitivity sweep (params.yaml's `sweep` values); the sensitivity page then says so.",
    )
    run.set_defaults(run=_run)

    notebooks = commands.add_parser("notebooks", help="Re-execute the committed notebooks with the default parameters.")
    notebooks.add_argument("--jobs", type=scheduling.job_count, default=scheduling.JOBS, help=jobs_help)
    notebooks.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None, help=scheduler_help)
    notebooks.set_defaults(run=_notebooks)

    sweep.add_parser(commands).set_defaults(run=_sweep)

    docs = commands.add_parser("docs", help="Write docs/data-dictionary.md from the column metadata.")
    docs.set_defaults(run=_docs)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "only", None):
        unknown = sorted(set(args.only) - set(chain.NOTEBOOKS))
        if unknown:
            print(
                f"error: --only {', '.join(unknown)}: not a notebook of the chain; one of: {', '.join(chain.NOTEBOOKS)}",
                file=sys.stderr,
            )
            return 2
    try:
        if args.run in (_data, _run, _notebooks, _sweep):
            from rare_earths import atomic

            with atomic.one_run_at_a_time(paths.RUN_LOCK):
                args.run(args)
        else:
            args.run(args)
    except (InputError, ParameterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (execution.NotebookFailed, chain.ChainFailed) as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder that cannot be written: outputs are replaced whole or not at all
        where = f"{paths.relative(error.filename)}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}; the previous outputs are as they were", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
