"""The command line the Makefile calls: `python -m rare_earths --help`."""

from __future__ import annotations

import argparse
import sys

from . import claims, metadata, params, paths
from .errors import InputError
from .params import ParameterError


def _data(args: argparse.Namespace) -> None:
    values = params.resolve(params.parse_assignments(args.set))
    written = claims.build(values["usd_inr"])
    print(f"wrote {paths.relative(written)} ({len(claims.load(written))} claims, usd_inr={values['usd_inr']})")


def _docs(args: argparse.Namespace) -> None:
    target = paths.ROOT / "docs" / "data-dictionary.md"
    target.write_text(metadata.markdown(), encoding="utf-8")
    print(f"wrote {paths.relative(target)}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m rare_earths", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    data = commands.add_parser("data", help="Check the raw data and write data/processed/ (the cleaning step).")
    data.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                      help="Override a parameter of params.yaml, e.g. --set usd_inr=86.0; repeatable.")
    data.set_defaults(run=_data)
    docs = commands.add_parser("docs", help="Write docs/data-dictionary.md from the column metadata.")
    docs.set_defaults(run=_docs)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.run(args)
    except (InputError, ParameterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
