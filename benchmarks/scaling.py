"""How the cleaning step and the audit scale with the number of claims, on one core.

    .venv/bin/python -m benchmarks.scaling [--output FILE] [--repeats N]
    .venv/bin/python benchmarks/scaling.py [--output FILE] [--repeats N]

Synthetic claims tables (`benchmarks.synthetic`) x1, x10, x100 and x1000 the size of
data/raw/claims.csv (x1 to x1000 of its claims), and one of exactly 100,000 claims, each timed:

- **cleaning**: the part of the cleaning step that grows with the claims: every figure read into
  a number and a unit and checked (its recorded range, its unit against its metric:
  `claims.parse_figures`), then the processed table built in canonical units, with the dollar
  equivalents (`claims.clean`). Reading and validating the CSV are left out (I/O and pandera);
- **checks against the articles**: `claims.check_claims`, i.e. the cleaning step's checks of each
  claim's quote, number, unit, period and qualifier against its article, plus the figure checks
  above. The quotes must be in the articles, so this runs on copies of the real rows that keep
  their real number and quote (`perturb_values=False`) against the real articles; everything
  else (subjects, ids, sources) is synthetic as in the cleaning tables;
- **audit**: `audit.audit` on the cleaned synthetic table and both USGS editions.

Each time is the median of `--repeats` runs (default 5), or of 3 runs for tables of more than
10,000 claims. One process, pinned to one CPU where the OS allows it, with NumPy's thread pools
limited to one thread. The "ratio" columns are the cost per claim relative to the x10 table's:
near 1 means the cost grows linearly (the x1 table is small enough for fixed costs to show).

Speed is reported, not asserted: the target line says whether 100,000 claims were cleaned in
under 2 seconds.
"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")  # before NumPy is imported

import argparse  # noqa: E402
import gc  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable from the repository
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import real_claims, synthetic_articles, synthetic_table  # noqa: E402
from rare_earths import audit  # noqa: E402
from rare_earths.data import claims, reference  # noqa: E402
from rare_earths.project import Project  # noqa: E402

FACTORS = (1, 10, 100, 1000)
TARGET_CLAIMS = 100_000
TARGET_SECONDS = 2.0
LARGE = 10_000  # above this many claims, 3 repeats
PATH = Path("synthetic/claims.csv")  # named in problem messages only; nothing is read or written


@dataclass(frozen=True)
class Timing:
    label: str
    claims: int
    cleaning: float
    checks: float
    audit: float


def pin_to_one_core() -> str:
    """Run on one CPU if the OS lets us choose; say which."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "one process (not pinned)"


def median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def usgs_table():
    """Both USGS editions, tidied from data/raw/reference/ into a temporary file (data/processed/ untouched)."""
    with tempfile.TemporaryDirectory() as directory:
        return reference.load(reference.build(Path(directory) / "usgs.csv"))


def article_dates(table) -> dict:
    """A date for each synthetic article, for the dates its claims write without a year (read as of
    the article's date, as the cleaning step reads them): the real articles' latest, as the rows of
    one synthetic article come from several real ones."""
    project = Project.here()
    latest = max(claims.article_dates(claims.load_sources(project.sources_csv, project.articles)).values())
    return dict.fromkeys(table.source_id.unique(), latest)


def measure(label: str, size: int, repeats: int, usgs, seed: int = 0) -> Timing:
    repeats = repeats if size <= LARGE else min(repeats, 3)
    table = synthetic_table(size, seed)
    as_of = article_dates(table)
    cleaned = claims.clean(table, claims.parse_figures(table, PATH, as_of))  # untimed: the audit's input
    cleaning = median_time(lambda: claims.clean(table, claims.parse_figures(table, PATH, as_of)), repeats)
    copies = synthetic_table(size, seed, perturb_values=False)
    articles = synthetic_articles(copies)
    checks = median_time(lambda: claims.check_claims(copies, articles, PATH, as_of), repeats)
    audited = median_time(lambda: audit.audit(cleaned, usgs), repeats)
    return Timing(label, size, cleaning, checks, audited)


def table(timings: list[Timing]) -> str:
    reference_timing = next(timing for timing in timings if timing.label == "x10")

    def per_claim(seconds: float, claims_count: int) -> float:
        return 1e6 * seconds / claims_count

    def ratio(timing: Timing, field: str) -> float:
        return per_claim(getattr(timing, field), timing.claims) / per_claim(
            getattr(reference_timing, field), reference_timing.claims
        )

    lines = [
        "| size | claims | cleaning (s) | µs / claim | ratio to x10 | checks against articles (s) | µs / claim | audit (s) | µs / claim | ratio to x10 |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for timing in timings:
        lines.append(
            f"| {timing.label} | {timing.claims:,} | {timing.cleaning:.3f} | {per_claim(timing.cleaning, timing.claims):.1f} | "
            f"{ratio(timing, 'cleaning'):.2f} | {timing.checks:.3f} | {per_claim(timing.checks, timing.claims):.1f} | "
            f"{timing.audit:.3f} | {per_claim(timing.audit, timing.claims):.1f} | {ratio(timing, 'audit'):.2f} |"
        )
    return "\n".join(lines)


def exponent(timings: list[Timing], field: str, first: str = "x100") -> float:
    """The slope of log(time) against log(claims) from the `first` table to the largest: 1 is linear, 2 quadratic."""
    start, end = (
        next(timing for timing in timings if timing.label == first),
        max(timings, key=lambda timing: timing.claims),
    )
    return math.log(getattr(end, field) / getattr(start, field)) / math.log(end.claims / start.claims)


def report(timings: list[Timing], where: str, repeats: int) -> str:
    target = next(timing for timing in timings if timing.claims == TARGET_CLAIMS)
    met = "met" if target.cleaning < TARGET_SECONDS else "not met"
    largest = max(timings, key=lambda timing: timing.claims)
    return "\n".join(
        [
            f"Synthetic claims tables (`benchmarks/synthetic.py`) timed by `python -m benchmarks.scaling`: one process, {where}; "
            f"median of {repeats} runs, of {min(repeats, 3)} above {LARGE:,} claims. "
            "Cleaning: every figure read and checked (`claims.parse_figures`) and the canonical table built (`claims.clean`). "
            "Checks against articles: `claims.check_claims` (quotes, numbers, units, periods and qualifiers against the articles, "
            "and the figure checks) on copies keeping their real quotes. Audit: `audit.audit` on the cleaned table. "
            "Ratios: cost per claim relative to x10; near 1 is linear.",
            "",
            table(timings),
            "",
            f"Growth from x100 to {largest.claims:,} claims, as the exponent of time against claims (1 is linear, 2 quadratic): "
            f"cleaning {exponent(timings, 'cleaning'):.2f}, checks against articles {exponent(timings, 'checks'):.2f}, "
            f"audit {exponent(timings, 'audit'):.2f}.",
            "",
            f"target: {TARGET_CLAIMS:,} claims cleaned in under {TARGET_SECONDS:g} s: {met} ({target.cleaning:.3f} s)",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, help="also write the results (Markdown) to this file")
    parser.add_argument("--repeats", type=int, default=5, help="runs per size; the median is reported (default 5)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    where = pin_to_one_core()
    usgs = usgs_table()
    real = len(real_claims())
    # Each multiple the synthetic tables can reach (x1000 is past 100,000 once the real table has
    # more than 100 claims), then the target's size.
    multiples = [(f"x{factor}", factor * real) for factor in FACTORS if factor * real < TARGET_CLAIMS]
    sizes = multiples + [(f"{TARGET_CLAIMS:,}", TARGET_CLAIMS)]
    timings = []
    for label, size in sizes:
        timings.append(measure(label, size, args.repeats, usgs, args.seed))
        print(f"{label}: {size:,} claims timed", file=sys.stderr)
    text = report(timings, where, args.repeats)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
