"""Loading, checking and cleaning the claims: data/raw/claims.csv -> data/processed/claims.csv."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pint

from rare_earths import vocabulary
from rare_earths.data import schemas
from rare_earths.data.provenance import load_articles, load_sources
from rare_earths.data.quotes import NotLocated, in_words, locate
from rare_earths.data.subjects import Subjects, canonical_names
from rare_earths.data.subjects import load as load_subjects
from rare_earths.data.tables import read_processed, read_raw, write_processed
from rare_earths.data.units import (
    DATE_UNIT,
    STOP_WORDS,
    ZERO_WORDS,
    Figure,
    Quantity,
    UnitParseError,
    canonical_unit,
    parse_date,
    parse_figure,
    parse_number,
    parse_unit,
    ureg,
)
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative

_NOT_A_METRIC = vocabulary.Metric("", "", "")  # an unknown metric is flagged by its unit check

# Unit words that stand for a figure written without a unit; with a zero's unit (below), the only
# ones not found in the quote.
PLACEHOLDER_UNITS = {"fraction", "rank", DATE_UNIT}


def placeholder_units(value_as_written: str, unit_as_written: str) -> set[str]:
    """The words of a row's unit as written that its quote need not contain.

    `PLACEHOLDER_UNITS` for every row. A zero written as a word ("no rare earth magnets have been
    imported": `units.ZERO_WORDS`) often has no unit word at all; it is captured with its metric's
    canonical unit as its unit as written (`t` for magnet_imports), so that pint still carries a
    unit and the processed value is 0 in that unit. That unit, and only a canonical unit string
    (`canonical_unit`), need not be in the quote; the figure's check against its metric then makes
    sure it is the metric's. A zero whose sentence does name a unit or a counted noun ("no new
    import licences") gives that word, as any other figure does.
    """
    if value_as_written.strip().lower() in ZERO_WORDS:
        try:
            if canonical_unit(parse_unit(unit_as_written)) == unit_as_written:
                return PLACEHOLDER_UNITS | set(unit_as_written.split())
        except UnitParseError:
            pass
    return PLACEHOLDER_UNITS


def _missing_from_quote(row) -> list[tuple[str, str]]:
    """[(column, problem), ...] for the words of the unit, the period and the qualifier as written
    that the row's quote does not contain."""
    placeholders = placeholder_units(row.value_as_written, row.unit_as_written)
    problems = [
        ("unit_as_written", f"{word!r} is not in the quote")
        for word in row.unit_as_written.split()
        if word not in placeholders and not in_words(word, row.quote)
    ]
    for column in ("period_as_written", "qualifier"):
        text = getattr(row, column)
        if text and text not in row.quote:
            problems.append((column, f"{text!r} is not in the quote"))
    return problems


def _text_problems(row, articles: dict[str, str]) -> tuple[bool, list[tuple[str, str]]]:
    """(is the row's source known, [(column, problem), ...]) for one raw claim's words: its quote
    in its article, its number, unit, period and qualifier in its quote, its qualifier in the vocabulary."""
    article = articles.get(row.source_id)
    if article is None:
        return False, [("source_id", f"unknown source {row.source_id!r}; known: {', '.join(sorted(articles))}")]
    problems: list[tuple[str, str]] = []
    where = locate(article, row.quote, row.value_as_written)
    if isinstance(where, NotLocated):
        problems.append(("value_as_written" if where.in_quote else "quote", where.message))
    problems += _missing_from_quote(row)
    if row.qualifier.lower() not in vocabulary.QUALIFIERS:
        problems.append(
            (
                "qualifier",
                f"unknown qualifier {row.qualifier!r}; known: {', '.join(q for q in vocabulary.QUALIFIERS if q)}",
            )
        )
    return True, problems


def _parse_row_figure(row, as_of: Mapping[str, datetime.date]) -> Figure:
    """One raw claim's figure: a date (unit as written `date`) read as of its article's date, else a number and unit."""
    return parse_figure(row.value_as_written, row.unit_as_written, as_of.get(row.source_id))


def _refused(row, expected: str) -> list[tuple[str, str]]:
    """The problems that stop a row before its figure is read: a date for a metric that is not one (or the
    reverse), or words that say a flow stopped for a metric that is not a flow."""
    if (row.unit_as_written == DATE_UNIT) != (expected == DATE_UNIT):
        return [("unit_as_written", f"{row.unit_as_written!r} cannot measure {row.metric}, whose unit is {expected}")]
    if row.value_as_written.strip().lower() in STOP_WORDS and not vocabulary.METRICS[row.metric].flow:
        flows = ", ".join(name for name, metric in vocabulary.METRICS.items() if metric.flow)
        return [
            (
                "value_as_written",
                f"{row.value_as_written!r} says that a flow stopped; {row.metric} is not a flow (flows: {flows})",
            )
        ]
    return []


def _read_figure(row, as_of: Mapping[str, datetime.date]) -> tuple[Figure | None, list[tuple[str, str]]]:
    """(the figure, []) or (None, [the column that cannot be read and why])."""
    try:
        return _parse_row_figure(row, as_of), []
    except UnitParseError as error:
        unreadable_value = row.unit_as_written == DATE_UNIT or "number" in str(error)
        return None, [("value_as_written" if unreadable_value else "unit_as_written", str(error))]
    except ValueError as error:  # a range written high-low
        return None, [("value_as_written", str(error))]


def _range_problems(row, figure: Figure) -> list[tuple[str, str]]:
    """The recorded range against the figure: both ends for a range, neither for a single value or a date."""
    recorded = (row.range_low, row.range_high)
    if figure.is_range and row.unit_as_written != DATE_UNIT:
        parsed = (figure.low.magnitude, figure.high.magnitude)
        problems = []
        for column, text, value in zip(("range_low", "range_high"), recorded, parsed, strict=True):
            if text == "":
                problems.append((column, f"empty, but {row.value_as_written!r} is a range ({value:g})"))
            elif float(text) != value:
                problems.append((column, f"{text} does not match {row.value_as_written!r} ({value:g})"))
        return problems
    if not any(recorded):
        return []
    return [
        (
            "range_low" if recorded[0] else "range_high",
            "a date's range is the days its words admit; leave range_low and range_high empty"
            if row.unit_as_written == DATE_UNIT
            else f"{row.value_as_written!r} is not a range; leave range_low and range_high empty",
        )
    ]


def _figure_problems(row, as_of: Mapping[str, datetime.date]) -> tuple[Figure | None, list[tuple[str, str]]]:
    """(the parsed figure, [(column, problem), ...]) for one raw claim's figure: its number and
    unit, its recorded range, its unit against its metric. `_parse_figures` does the same for a table.
    A date's range is the precision of its words ("January 2025"), never recorded; it takes no qualifier."""
    expected = vocabulary.METRICS[row.metric].unit
    refused = _refused(row, expected)
    if refused:
        return None, refused
    figure, problems = _read_figure(row, as_of)
    if figure is None:
        return None, problems
    if row.unit_as_written == DATE_UNIT and row.qualifier:
        problems.append(("qualifier", f"a date takes no qualifier; {row.qualifier!r} belongs in the note"))
    problems += _range_problems(row, figure)
    if not figure.low.check(ureg.get_dimensionality(expected)):
        problems.append(
            (
                "unit_as_written",
                f"{row.unit_as_written!r} ({figure.units}) cannot measure {row.metric}, whose unit is {expected}",
            )
        )
    return figure, problems


def _check_row(
    row, articles: dict[str, str], as_of: Mapping[str, datetime.date] | None = None
) -> tuple[Figure | None, list[tuple[str, str]]]:
    """(the parsed figure, [(column, problem), ...]) for one raw claim: every check `check_claims` makes."""
    known, problems = _text_problems(row, articles)
    if not known:
        return None, problems
    figure, figure_problems = _figure_problems(row, as_of or {})
    return figure, problems + figure_problems


class ParsedFigures(Mapping[str, Figure]):
    """The figures of a claims table, column by column, one per row in the table's order.

    A read-only mapping claim_id -> Figure: looking a claim up parses its figure as `parse_figure`
    does. `clean` reads the arrays instead: `low` and `high` (magnitudes in the unit as written)
    and `unit_codes`, each an index into `units`.
    """

    def __init__(
        self,
        claim_ids: list[str],
        value_as_written: list[str],
        unit_as_written: list[str],
        low: np.ndarray,
        high: np.ndarray,
        unit_codes: np.ndarray,
        units: list[pint.Unit],
    ):
        self.claim_ids, self.value_as_written, self.unit_as_written = claim_ids, value_as_written, unit_as_written
        self.low, self.high, self.unit_codes, self.units = low, high, unit_codes, units
        self._positions: dict[str, int] | None = None

    def _position(self) -> dict[str, int]:
        if self._positions is None:  # a repeated id keeps its last row, as a dict filled row by row would
            self._positions = {claim_id: position for position, claim_id in enumerate(self.claim_ids)}
        return self._positions

    def __getitem__(self, claim_id: str) -> Figure:
        position = self._position()[claim_id]
        unit = self.units[self.unit_codes[position]]
        return Figure(Quantity(float(self.low[position]), unit), Quantity(float(self.high[position]), unit))

    def __iter__(self) -> Iterator[str]:
        return iter(self._position())

    def __len__(self) -> int:
        return len(self._position())


def _or_none(parse, text: str):
    try:
        return parse(text)
    except UnitParseError:
        return None


def _as_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan  # flags the row: the row-by-row check then raises as it always did


def _per_distinct(function, values: np.ndarray, dtype=object) -> np.ndarray:
    """`function` of each element of `values`, computed once per distinct value."""
    codes, distinct = pd.factorize(values)
    return np.array([function(value) for value in distinct], dtype=dtype)[codes]


_FIGURE_COLUMNS = ("value_as_written", "unit_as_written", "range_low", "range_high", "metric", "source_id", "qualifier")


def _read_numbers(
    column: dict[str, np.ndarray], as_of: Mapping[str, datetime.date]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, high, read) for each row's number as written, each distinct number parsed once."""
    number_codes, distinct_numbers = pd.factorize(column["value_as_written"])
    numbers = [_or_none(parse_number, text) for text in distinct_numbers]
    number_read = np.array([number is not None for number in numbers], dtype=bool)[number_codes]
    low = np.array([number[0] if number else math.nan for number in numbers], dtype=float)[number_codes]
    high = np.array([number[1] if number else math.nan for number in numbers], dtype=float)[number_codes]
    # Dates, row by row: the same words are a different day in articles of different dates.
    for position in np.flatnonzero(column["unit_as_written"] == DATE_UNIT).tolist():
        try:
            low[position], high[position] = parse_date(
                column["value_as_written"][position], as_of.get(column["source_id"][position])
            )
            number_read[position] = True
        except UnitParseError:
            number_read[position] = False
    return low, high, number_read


def _read_units(unit_as_written: np.ndarray, number_read: np.ndarray) -> tuple[np.ndarray, list, np.ndarray]:
    """(unit code of each row, the distinct units, read) for the units as written; only those of rows
    whose number reads are parsed, as parse_figure stops at the number."""
    unit_codes, distinct_units = pd.factorize(unit_as_written)
    needed = np.zeros(len(distinct_units), dtype=bool)
    needed[unit_codes[number_read]] = True
    units = [_or_none(parse_unit, text) if need else None for text, need in zip(distinct_units, needed, strict=True)]
    unit_read = np.array([unit is not None for unit in units], dtype=bool)[unit_codes]
    return unit_codes, units, unit_read


def _range_wrong(column: dict[str, np.ndarray], low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Rows whose recorded range is wrong: both ends for a range, neither for a single value or a date;
    and dates with a qualifier."""
    is_date = column["unit_as_written"] == DATE_UNIT
    empty_low, empty_high = column["range_low"] == "", column["range_high"] == ""
    recorded_low = _per_distinct(_as_float, column["range_low"], float)
    recorded_high = _per_distinct(_as_float, column["range_high"], float)
    return np.where(
        (low != high) & ~is_date,
        empty_low | empty_high | (recorded_low != low) | (recorded_high != high),
        ~empty_low | ~empty_high,
    ) | (is_date & (column["qualifier"] != ""))


def _units_fit(metric: np.ndarray, unit_codes: np.ndarray, units: list) -> np.ndarray:
    """Rows whose unit measures their metric: each distinct unit checked once against each metric it is given for."""
    metric_codes, distinct_metrics = pd.factorize(metric)
    width = max(len(distinct_metrics), 1)
    pairs, pair_codes = np.unique(unit_codes * width + metric_codes, return_inverse=True)
    # An unknown metric is flagged: the row-by-row check raises KeyError, as it did.
    fits = np.zeros(len(pairs), dtype=bool)
    for index, pair in enumerate(pairs.tolist()):
        unit, metric_name = units[pair // width], distinct_metrics[pair % width]
        if unit is not None and metric_name in vocabulary.METRICS:
            fits[index] = Quantity(1.0, unit).check(ureg.get_dimensionality(vocabulary.METRICS[metric_name].unit))
    return fits[pair_codes.reshape(-1)]


def _stopped_non_flows(column: dict[str, np.ndarray]) -> np.ndarray:
    """Rows whose words say a flow stopped ("halted") for a metric that is not a flow."""
    stop_words = np.array([text.strip().lower() in STOP_WORDS for text in column["value_as_written"]], dtype=bool)
    flows = np.array([vocabulary.METRICS.get(metric, _NOT_A_METRIC).flow for metric in column["metric"]], dtype=bool)
    return stop_words & ~flows


def _parse_figures(
    raw: pd.DataFrame, selected: np.ndarray, as_of: Mapping[str, datetime.date] | None = None
) -> tuple[ParsedFigures | None, dict[int, list[tuple[str, str]]]]:
    """The figures of the rows `selected` (a boolean mask), and {row position: [(column, problem), ...]}.

    The checks of `_figure_problems`, for a whole table at once: each distinct number and unit as
    written is parsed once, the ranges and units are checked with array operations, and only the
    rows those flag are checked again one by one with `_figure_problems`, which words the
    problems. The figures are returned only if every row is selected and none has a problem.
    """
    positions = np.flatnonzero(selected)
    column = {name: raw[name].to_numpy(dtype=object)[positions] for name in _FIGURE_COLUMNS}
    as_of = as_of or {}
    low, high, number_read = _read_numbers(column, as_of)
    unit_codes, units, unit_read = _read_units(column["unit_as_written"], number_read)
    read = number_read & unit_read & (low <= high)
    flagged = (
        ~read
        | _range_wrong(column, low, high)
        | ~_units_fit(column["metric"], unit_codes, units)
        | _stopped_non_flows(column)
    )
    problems: dict[int, list[tuple[str, str]]] = {}
    for index in np.flatnonzero(flagged).tolist():
        figure, found = _figure_problems(raw.iloc[positions[index]], as_of)
        if found:
            problems[int(positions[index])] = found
    if problems or len(positions) != len(raw):
        return None, problems
    figures = ParsedFigures(
        raw["claim_id"].tolist(),
        column["value_as_written"].tolist(),
        column["unit_as_written"].tolist(),
        low,
        high,
        unit_codes,
        units,
    )
    return figures, problems


def _raise(problems: dict[int, list[tuple[str, str]]], raw: pd.DataFrame, path: Path) -> None:
    claim_ids = raw["claim_id"].tolist()
    found = [
        Problem(relative(path), message, line_of(raw.index[position]), column, claim_ids[position])
        for position, row_problems in sorted(problems.items())
        for column, message in row_problems
    ]
    if found:
        raise InputError(found)


def parse_figures(raw: pd.DataFrame, path: Path, as_of: Mapping[str, datetime.date] | None = None) -> ParsedFigures:
    """claim_id -> parsed figure, every figure checked against its recorded range and its metric's
    unit; InputError listing every problem. `check_claims` without the checks against the articles.
    `as_of`: each article's date (source_id -> date), for dates written without their year."""
    figures, problems = _parse_figures(raw, np.ones(len(raw), dtype=bool), as_of)
    _raise(problems, raw, path)
    return figures


def check_claims(
    raw: pd.DataFrame,
    articles: dict[str, str],
    path: Path,
    as_of: Mapping[str, datetime.date] | None = None,
    subjects: Subjects | None = None,
) -> ParsedFigures:
    """claim_id -> parsed figure (a `ParsedFigures` mapping); InputError listing every problem in every row.
    `as_of`: each article's date (source_id -> date), for dates written without their year;
    `subjects`: the vocabulary the subjects and counterparts must be in (not checked if None).

    A row's problems are listed in this order: its words against its article (`_text_problems`),
    its subject and counterpart, then its figure (`_figure_problems`), unless its source is unknown.
    """
    texts = [_text_problems(row, articles) for row in raw.itertuples(index=False)]
    known = np.array([is_known for is_known, _ in texts], dtype=bool)
    figures, figure_problems = _parse_figures(raw, known, as_of)
    unknown_names = canonical_names(raw, subjects)[1] if subjects is not None else {}
    problems = {}
    for position, (is_known, row_problems) in enumerate(texts):
        row_problems = (
            row_problems + unknown_names.get(position, []) + (figure_problems.get(position, []) if is_known else [])
        )
        if row_problems:
            problems[position] = row_problems
    _raise(problems, raw, path)
    return figures


def _figure_columns(
    raw: pd.DataFrame, figures: Mapping[str, Figure]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list]:
    """(low, high, unit code, units) of each row's figure, as `ParsedFigures` holds them."""
    if (
        isinstance(figures, ParsedFigures)
        and raw["claim_id"].is_unique
        and figures.claim_ids == raw["claim_id"].tolist()
    ):
        return figures.low, figures.high, figures.unit_codes, figures.units
    rows = [figures[claim_id] for claim_id in raw["claim_id"].tolist()]
    codes: dict[pint.Unit, int] = {}
    unit_codes = np.array([codes.setdefault(figure.units, len(codes)) for figure in rows], dtype=np.intp)
    low = np.array([figure.low.magnitude for figure in rows], dtype=float)
    high = np.array([figure.high.magnitude for figure in rows], dtype=float)
    return low, high, unit_codes, list(codes)


def _refuse_non_finite(raw: pd.DataFrame, value_low: np.ndarray, value_high: np.ndarray, path: Path) -> None:
    """InputError naming every row whose figure is too large to be a number (10^400 reads as infinity)."""
    claim_ids = raw["claim_id"].tolist()

    def shown(text: str) -> str:
        return repr(text) if len(text) <= 30 else f"'{text[:12]}...{text[-4:]}' ({len(text)} characters)"

    found = [
        Problem(
            relative(path),
            f"{shown(raw['value_as_written'].iat[position])} is too large to be stored as a number "
            f"(in its canonical unit it is {value_low[position]:g}); check the figure",
            line_of(raw.index[position]),
            "value_as_written",
            claim_ids[position],
        )
        for position in np.flatnonzero(~(np.isfinite(value_low) & np.isfinite(value_high))).tolist()
    ]
    if found:
        raise InputError(found)


def clean(
    raw: pd.DataFrame, figures: Mapping[str, Figure], path: Path | None = None, subjects: Subjects | None = None
) -> pd.DataFrame:
    """The processed claims table: canonical values beside the figures as written, subjects and
    counterparts as `subjects` (by default the project's data/raw/subjects.csv) names them, each
    with its country.

    It depends on no parameter: rupees stay rupees (`crore * INR`); the notebooks convert them at
    their `usd_inr`, so a new rate re-runs only the notebooks that use it.

    Column by column: the values of each distinct unit are converted together, as one NumPy array
    (pint does the same arithmetic on each element of an array as on a single value). A value that
    is not finite in its canonical unit is refused (InputError naming `path`, the raw claims, by
    line), so the processed table holds only numbers.
    """
    if raw.empty:
        return pd.DataFrame(
            {
                column.name: pd.Series(dtype=str if column.kind == "string" else float)
                for column in schemas.CLAIMS.columns
            }
        )
    low, high, unit_codes, units = _figure_columns(raw, figures)
    is_range = low != high
    value_low, value_high = np.empty(len(raw)), np.empty(len(raw))
    unit = np.empty(len(raw), dtype=object)
    for code, written in enumerate(units):
        rows = np.flatnonzero(unit_codes == code)
        if not rows.size:
            continue
        canonical = canonical_unit(written)
        lows = Quantity(low[rows], written).to(canonical)
        value_low[rows] = lows.magnitude
        value_high[rows] = Quantity(high[rows], written).to(canonical).magnitude
        unit[rows] = canonical
    _refuse_non_finite(raw, value_low, value_high, path or Project.here().raw_claims_csv)
    bounds = {
        qualifier: vocabulary.QUALIFIERS[qualifier.lower()] for qualifier in dict.fromkeys(raw["qualifier"].tolist())
    }
    subjects = subjects or load_subjects()
    names, unknown = canonical_names(raw, subjects)
    _raise(unknown, raw, path or Project.here().raw_claims_csv)
    text = {
        **names,
        "country": [subjects.country_of(subject) for subject in names["subject"]],
        **{
            name: raw[name].tolist()
            for name in (
                "claim_id",
                "source_id",
                "metric",
                "item",
                "period",
                "qualifier",
                "value_as_written",
                "unit_as_written",
                "period_as_written",
                "quote",
                "note",
            )
        },
    }
    columns = {
        **text,
        "value": np.where(is_range, math.nan, value_low),
        "value_low": value_low,
        "value_high": value_high,
        "unit": unit.tolist(),
        "bound": [bounds[qualifier] for qualifier in text["qualifier"]],
    }
    return pd.DataFrame({name: columns[name] for name in schemas.CLAIMS.names})


def load_checked(
    claims_path: Path | None = None,
    sources_path: Path | None = None,
    articles_dir: Path | None = None,
    subjects_path: Path | None = None,
):
    """(raw claims, parsed figures, articles, subjects) after every check on the sources, the
    subjects and the claims.

    Paths default to those of the project holding the working directory (`Project.here`).
    """
    claims_path = claims_path or Project.here().raw_claims_csv
    subjects = load_subjects(subjects_path or Project.here().subjects_csv)
    articles_dir = articles_dir or Project.here().articles
    sources = load_sources(sources_path or Project.here().sources_csv, articles_dir)
    articles = load_articles(sources, articles_dir)
    raw = read_raw(schemas.RAW_CLAIMS, claims_path)
    if raw.empty:
        raise InputError(
            [
                Problem(
                    relative(claims_path),
                    "has no claims, only its header: the cleaning step needs at least one claim",
                    2,
                )
            ]
        )
    figures = check_claims(raw, articles, claims_path, article_dates(sources), subjects)
    return raw, figures, articles, subjects


def article_dates(sources: pd.DataFrame) -> dict[str, datetime.date]:
    """source_id -> the date each article is read as of (sources.csv `as_of`), for its dates without a year."""
    return {
        row.source_id: datetime.date.fromisoformat(row.as_of) for row in sources.itertuples(index=False) if row.as_of
    }


def build(
    *,
    claims_path: Path | None = None,
    sources_path: Path | None = None,
    articles_dir: Path | None = None,
    subjects_path: Path | None = None,
    output: Path | None = None,
) -> Path:
    """The cleaning step: check everything, then write data/processed/claims.csv (or nothing)."""
    raw, figures, _, subjects = load_checked(claims_path, sources_path, articles_dir, subjects_path)
    table = clean(raw, figures, claims_path or Project.here().raw_claims_csv, subjects)
    return write_processed(schemas.CLAIMS, table, output or Project.here().processed_claims_csv)


def load(path: Path | None = None) -> pd.DataFrame:
    """data/processed/claims.csv, validated against its schema."""
    return read_processed(schemas.CLAIMS, path)


def figure_of(table: pd.DataFrame, claim_id: str) -> Figure:
    """A processed claim as a pint figure (a value, or a low-high range) in its canonical unit."""
    rows = table.loc[table.claim_id == claim_id]
    if len(rows) != 1:
        raise KeyError(
            f"no claim {claim_id!r} in the processed claims" if rows.empty else f"claim {claim_id!r} is not unique"
        )
    row = rows.iloc[0]
    unit = ureg.Unit(row.unit)
    return Figure(ureg.Quantity(float(row.value_low), unit), ureg.Quantity(float(row.value_high), unit))
