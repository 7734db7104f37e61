"""Loading, checking and cleaning the claims: data/raw/claims.csv -> data/processed/claims.csv."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import metadata, paths
from .errors import InputError, Problem, line_of
from .paths import relative
from .provenance import load_articles, load_sources
from .tables import read_processed, read_raw, write_processed
from .units import Figure, UnitParseError, canonical_unit, is_money, parse_figure, to_usd, ureg

# Unit words that stand for a figure written without a unit; the only ones not found in the quote.
PLACEHOLDER_UNITS = {"fraction", "rank"}


def find_number(text: str, number: str) -> list[int]:
    """Start offsets of `number` in `text` where it stands alone: "2" is not found in "2025" or "FY2"."""
    pattern = rf"(?<![0-9A-Za-z])(?<!\d[.,]){re.escape(number)}(?![0-9A-Za-z])(?![.,]\d)"
    return [match.start() for match in re.finditer(pattern, text)]


@dataclass(frozen=True)
class Located:
    """Where a row's quote, and a part of it, stand in the article (character offsets)."""

    quote_start: int
    part_start: int
    part_end: int


@dataclass(frozen=True)
class NotLocated:
    """Why a row could not be located: its quote (`in_quote` False) or the part inside the quote."""

    in_quote: bool
    message: str


def locate(article: str, quote: str, part: str, *, is_number: bool = True) -> Located | NotLocated:
    """Locate `part` inside the one occurrence of `quote` in `article`, or say what is wrong."""
    count = article.count(quote)
    if count == 0:
        return NotLocated(False, "quote not found verbatim in the article")
    if count > 1:
        return NotLocated(False, f"quote occurs {count} times in the article; lengthen it so that it locates one place")
    start = article.index(quote)
    offsets = find_number(quote, part) if is_number else [match.start() for match in re.finditer(re.escape(part), quote)]
    if not offsets:
        return NotLocated(True, f"{part!r} not found in the quote")
    return Located(start, start + offsets[0], start + offsets[0] + len(part))


def _check_row(row: pd.Series, articles: dict[str, str]) -> tuple[Figure | None, list[tuple[str, str]]]:
    """(the parsed figure, [(column, problem), ...]) for one raw claim."""
    problems: list[tuple[str, str]] = []
    article = articles.get(row.source_id)
    if article is None:
        return None, [("source_id", f"unknown source {row.source_id!r}; known: {', '.join(sorted(articles))}")]
    where = locate(article, row.quote, row.value_as_written)
    if isinstance(where, NotLocated):
        problems.append(("value_as_written" if where.in_quote else "quote", where.message))
    for word in row.unit_as_written.split():
        if word not in PLACEHOLDER_UNITS and word not in row.quote:
            problems.append(("unit_as_written", f"{word!r} is not in the quote"))
    for column in ("period_as_written", "qualifier"):
        if row[column] and row[column] not in row.quote:
            problems.append((column, f"{row[column]!r} is not in the quote"))
    if row.qualifier.lower() not in metadata.QUALIFIERS:
        problems.append(("qualifier", f"unknown qualifier {row.qualifier!r}; known: {', '.join(q for q in metadata.QUALIFIERS if q)}"))

    figure = None
    try:
        figure = parse_figure(row.value_as_written, row.unit_as_written)
    except UnitParseError as error:
        problems.append(("value_as_written" if "number" in str(error) else "unit_as_written", str(error)))
    except ValueError as error:  # a range written high-low
        problems.append(("value_as_written", str(error)))
    if figure is None:
        return None, problems

    recorded = (row.range_low, row.range_high)
    if figure.is_range:
        parsed = (figure.low.magnitude, figure.high.magnitude)
        for column, text, value in zip(("range_low", "range_high"), recorded, parsed, strict=True):
            if text == "":
                problems.append((column, f"empty, but {row.value_as_written!r} is a range ({value:g})"))
            elif float(text) != value:
                problems.append((column, f"{text} does not match {row.value_as_written!r} ({value:g})"))
    elif any(recorded):
        problems.append(("range_low" if recorded[0] else "range_high", f"{row.value_as_written!r} is not a range; leave range_low and range_high empty"))

    expected = metadata.METRICS[row.metric][1]
    if not figure.low.check(ureg.get_dimensionality(expected)):
        problems.append(("unit_as_written", f"{row.unit_as_written!r} ({figure.units}) cannot measure {row.metric}, whose unit is {expected}"))
    return figure, problems


def check_claims(raw: pd.DataFrame, articles: dict[str, str], path: Path) -> dict[str, Figure]:
    """claim_id -> parsed figure; InputError listing every problem in every row."""
    figures, problems = {}, []
    for index, row in raw.iterrows():
        figure, row_problems = _check_row(row, articles)
        problems += [Problem(relative(path), message, line_of(index), column, row.claim_id) for column, message in row_problems]
        if figure is not None:
            figures[row.claim_id] = figure
    if problems:
        raise InputError(problems)
    return figures


def clean(raw: pd.DataFrame, figures: dict[str, Figure], usd_inr: float) -> pd.DataFrame:
    """The processed claims table: canonical values beside the figures as written."""
    records = []
    for row in raw.itertuples(index=False):
        figure = figures[row.claim_id]
        unit = canonical_unit(figure.units)
        canonical = figure.to(unit)
        value = float("nan") if figure.is_range else float(canonical.low.magnitude)
        value_usd = float("nan")
        if is_money(canonical.low) and not figure.is_range:
            value_usd = float(to_usd(canonical.low, usd_inr).magnitude)
        records.append(
            {
                "claim_id": row.claim_id,
                "source_id": row.source_id,
                "subject": row.subject,
                "metric": row.metric,
                "counterpart": row.counterpart,
                "period": row.period,
                "value": value,
                "value_low": float(canonical.low.magnitude),
                "value_high": float(canonical.high.magnitude),
                "unit": unit,
                "value_usd": value_usd,
                "bound": metadata.QUALIFIERS[row.qualifier.lower()],
                "qualifier": row.qualifier,
                "value_as_written": row.value_as_written,
                "unit_as_written": row.unit_as_written,
                "period_as_written": row.period_as_written,
                "quote": row.quote,
                "note": row.note,
            }
        )
    return pd.DataFrame.from_records(records, columns=metadata.CLAIMS.names)


def load_checked(claims_path: Path | None = None, sources_path: Path | None = None, articles_dir: Path | None = None):
    """(raw claims, parsed figures, articles) after every check on the sources and the claims.

    Paths default to the project's (`rare_earths.paths`), looked up at call time.
    """
    claims_path = claims_path or paths.RAW_CLAIMS_CSV
    articles_dir = articles_dir or paths.ARTICLES
    sources = load_sources(sources_path or paths.SOURCES_CSV, articles_dir)
    articles = load_articles(sources, articles_dir)
    raw = read_raw(metadata.RAW_CLAIMS, claims_path)
    figures = check_claims(raw, articles, claims_path)
    return raw, figures, articles


def build(usd_inr: float, *, claims_path: Path | None = None, sources_path: Path | None = None,
          articles_dir: Path | None = None, output: Path | None = None) -> Path:
    """The cleaning step: check everything, then write data/processed/claims.csv (or nothing)."""
    raw, figures, _ = load_checked(claims_path, sources_path, articles_dir)
    return write_processed(metadata.CLAIMS, clean(raw, figures, usd_inr), output or paths.PROCESSED_CLAIMS_CSV)


def load(path: Path | None = None) -> pd.DataFrame:
    """data/processed/claims.csv, validated against its schema."""
    return read_processed(metadata.CLAIMS, path or paths.PROCESSED_CLAIMS_CSV)


def figure_of(table: pd.DataFrame, claim_id: str) -> Figure:
    """A processed claim as a pint figure (a value, or a low-high range) in its canonical unit."""
    rows = table.loc[table.claim_id == claim_id]
    if len(rows) != 1:
        raise KeyError(f"no claim {claim_id!r} in the processed claims" if rows.empty else f"claim {claim_id!r} is not unique")
    row = rows.iloc[0]
    unit = ureg.Unit(row.unit)
    return Figure(ureg.Quantity(float(row.value_low), unit), ureg.Quantity(float(row.value_high), unit))
