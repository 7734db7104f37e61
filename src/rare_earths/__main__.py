"""The command line the Makefile calls: `python -m rare_earths --help`.

Heavy libraries (pandas, pandera, papermill, nbconvert) are imported only by the steps that need
them, so a run with nothing to do finishes in about a second.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rare_earths import atomic, commands
from rare_earths.build import chain, execution, executors, scheduling, sweep
from rare_earths.build.params import ParameterError
from rare_earths.errors import InputError
from rare_earths.project import LAYOUT, NotAProject, Project, SiteAddressError, relative


def add_sweep_parser(subparsers) -> argparse.ArgumentParser:
    """The `sweep` command, added to the command line's subcommands."""
    grid = subparsers.add_parser(
        "sweep",
        help="Run each notebook once per combination of the grid's values of the parameters it declares; "
        "every result, with its parameters, to DIR/results.csv.",
        description=sweep.__doc__.split("\n\n")[0],
    )
    grid.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="NAME=V1,V2,...",
        required=True,
        help="A parameter of params.yaml and the values to run it with, e.g. --grid usd_inr=80,84.57,90; one "
        "--grid per parameter. Every value is checked before anything runs.",
    )
    grid.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"Where the runs and results.csv go, inside {LAYOUT.reports.as_posix()}/ (default: "
        f"{LAYOUT.sweeps.as_posix()}/ and a folder named by the grid); a run already there and up to date is skipped, "
        "and scenarios of an earlier grid are removed.",
    )
    grid.add_argument(
        "--jobs",
        type=scheduling.job_count,
        default=scheduling.JOBS,
        help=f"Notebooks run at the same time, each in its own process (default: one per core, here {scheduling.JOBS}).",
    )
    grid.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=None,
        help="Run on this Dask distributed scheduler instead of local processes (default: DASK_SCHEDULER_ADDRESS "
        "if set); its workers need this project at the same path.",
    )
    grid.add_argument(
        "--timeout",
        type=scheduling.time_limit,
        default=execution.TIMEOUT_SECONDS,
        help="Time limit per notebook, in seconds.",
    )
    grid.add_argument("--force", action="store_true", help="Run every run again, even those up to date.")
    grid.add_argument(
        "--runs",
        type=scheduling.job_count,
        default=None,
        metavar="N",
        help=f"Allow a grid of up to N runs (default: {sweep.MOST_RUNS}); a larger grid is refused before anything runs.",
    )
    grid.set_defaults(run=commands.sweep_grid)
    return grid


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m rare_earths", description=__doc__.splitlines()[0])
    main.add_argument(
        "--project",
        type=Path,
        default=None,
        metavar="DIR",
        help="The project to work on: a folder with params.yaml and data/raw/ (default: the one holding the "
        "working directory).",
    )
    subcommands = main.add_subparsers(dest="command", required=True)
    set_help = "Override a parameter of params.yaml, e.g. --set usd_inr=86.0; repeatable. Checked before anything runs."
    force_help = "Rebuild even what is up to date (by default only what changed since the last run is rebuilt)."
    jobs_help = (
        f"Notebooks run at the same time, each in its own process (default: one per core, here {scheduling.JOBS})."
    )

    scheduler_help = (
        "Run the notebooks on this Dask distributed scheduler instead of local processes (default: "
        "DASK_SCHEDULER_ADDRESS if set); its workers need this project at the same path."
    )
    data = subcommands.add_parser(
        "data", help="Check the raw data and write data/processed/ (the cleaning step and the audit; no parameters)."
    )
    data.add_argument("--force", action="store_true", help=force_help)
    data.set_defaults(run=commands.data)

    run = subcommands.add_parser(
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
    run.set_defaults(run=commands.run)

    notebooks = subcommands.add_parser(
        "notebooks", help="Re-execute the committed notebooks with the default parameters."
    )
    notebooks.add_argument("--jobs", type=scheduling.job_count, default=scheduling.JOBS, help=jobs_help)
    notebooks.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None, help=scheduler_help)
    notebooks.set_defaults(run=commands.notebooks)

    add_sweep_parser(subcommands)

    clean = subcommands.add_parser(
        "clean",
        help="Remove every output (data/processed/, reports/), once no run is going: it takes the run lock.",
    )
    clean.set_defaults(run=commands.clean)

    docs = subcommands.add_parser("docs", help="Write docs/data-dictionary.md from the column metadata.")
    docs.set_defaults(run=commands.docs)
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
        if hasattr(args, "scheduler"):  # a command that may run on a cluster: its scheduler answers first
            executors.require_dask(args.scheduler)
            if executors.scheduler_address(args.scheduler):
                executors.identify(executors.scheduler_address(args.scheduler))
        project = Project.here() if args.project is None else Project.at(args.project)
        args.run(args, project)
    except (
        InputError,
        ParameterError,
        NotAProject,
        SiteAddressError,
        executors.MissingExtra,
        executors.ClusterUnavailable,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (execution.NotebookFailed, chain.ChainFailed) as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    except atomic.LockLost as error:
        print(f"error: {relative(error.filename)}: {error.strerror}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder that cannot be written: outputs are replaced whole or not at all
        where = f"{relative(error.filename)}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}; {atomic.what_stands(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: one line, not a traceback. Outputs are replaced whole, so none is half-written.
        print(
            "\ninterrupted: no output was left half-written; each is as it was before this run or as this run "
            "finished it, and the next run brings the rest up to date",
            file=sys.stderr,
        )
        return 130  # 128 + SIGINT, as a shell reports a command stopped by Ctrl-C
    return 0


if __name__ == "__main__":
    sys.exit(main())
