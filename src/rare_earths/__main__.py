"""The command line the Makefile calls: `python -m rare_earths --help`."""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from . import audit, claims, metadata, params, paths, reference
from .errors import InputError
from .params import ParameterError


def _values(args: argparse.Namespace) -> dict:
    return params.resolve(params.parse_assignments(args.set))


def _build_data(values: dict) -> None:
    written = claims.build(values["usd_inr"])
    print(f"wrote {paths.relative(written)} ({len(claims.load(written))} claims, usd_inr={values['usd_inr']})")
    written = reference.build()
    print(f"wrote {paths.relative(written)} ({len(reference.load(written))} USGS figures)")
    written = audit.build()
    checks = audit.load(written)
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in checks.verdict.value_counts().sort_index().items())
    print(f"wrote {paths.relative(written)} ({len(checks)} checks: {verdicts})")


def _data(args: argparse.Namespace) -> None:
    _build_data(_values(args))


def _summary(results) -> None:
    print("\nnotebook                              seconds  status")
    for result in results:
        print(f"{result.notebook:<38}{result.seconds:>7.1f}  ok")
    print(f"{'total':<38}{sum(result.seconds for result in results):>7.1f}")


def _run(args: argparse.Namespace) -> None:
    from . import chain, report

    values = _values(args)  # checked before anything runs
    started = time.perf_counter()
    _build_data(values)
    results = chain.run(values)
    pages = report.render(values=values)
    _summary(results)
    print(f"wrote {len(pages)} pages to {paths.relative(paths.HTML)}/ in {time.perf_counter() - started:.1f} s; open {paths.relative(pages[0])}")


def _notebooks(args: argparse.Namespace) -> None:
    from . import chain

    values = params.resolve()
    _build_data(values)
    results = chain.run(values)
    for result in results:
        shutil.copyfile(result.output, paths.NOTEBOOKS / result.notebook)
    _summary(results)
    print(f"refreshed {len(results)} notebooks in {paths.relative(paths.NOTEBOOKS)}/ with the default parameters")


def _docs(args: argparse.Namespace) -> None:
    target = paths.ROOT / "docs" / "data-dictionary.md"
    target.write_text(metadata.markdown(), encoding="utf-8")
    print(f"wrote {paths.relative(target)}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m rare_earths", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    set_help = "Override a parameter of params.yaml, e.g. --set usd_inr=86.0; repeatable."
    data = commands.add_parser("data", help="Check the raw data and write data/processed/ (the cleaning step).")
    data.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help=set_help)
    data.set_defaults(run=_data)
    run = commands.add_parser("run", help="The whole chain: the cleaning step, every notebook, the HTML reports.")
    run.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help=set_help)
    run.set_defaults(run=_run)
    notebooks = commands.add_parser("notebooks", help="Re-execute the committed notebooks with the default parameters.")
    notebooks.set_defaults(run=_notebooks)
    docs = commands.add_parser("docs", help="Write docs/data-dictionary.md from the column metadata.")
    docs.set_defaults(run=_docs)
    return main


def main(argv: list[str] | None = None) -> int:
    from .chain import NotebookFailed

    args = parser().parse_args(argv)
    try:
        args.run(args)
    except (InputError, ParameterError, NotebookFailed) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
