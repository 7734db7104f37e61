"""What the USGS tables give for a figure, and how precisely.

Precision, on one basis for every country's figure: USGS rounds its published data "to no more
than three significant digits" (the standing note of its Minerals Yearbook and Mineral Commodity
Summaries tables), so a published figure admits half a unit of its third significant digit
(2,900 t admits 2,895 to 2,905 t), whatever the number of zeros printed. Two exceptions, from the
tables' own notes: a production quota (China's) is a set number, so exact; and a figure published
as a lower bound (">90,000,000") admits any value at or above it.

World totals are rounded more coarsely ("World total (rounded)", `world` in the tidy table), and by how much is read from
each edition's own data: a world total admits, either side, the gap between it and the sum of the
rows the same edition prints beside it for the same measure and year (`world_reach`; MCS2024's
reserves: 115.4 Mt listed against 110 Mt printed, 4.9%; MCS2025's 2023 production: 376,090 t
against 376,000 t, 0.02%), and never less than half a unit of its third significant digit. The
data dictionary lists the gaps.

Editions by date: an article is judged against the edition current at its date (`sources.csv`'s
`as_of`): the latest released on or before it (`references.csv`'s `published`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from rare_earths import text, vocabulary
from rare_earths.data.reference import REST_OF_WORLD
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative
from rare_earths.vocabulary import EDITIONS

WORLD = vocabulary.WORLD  # USGS's "World total (rounded)", as the tidy table names it
NOT_COUNTRIES = {WORLD, REST_OF_WORLD}
SIGNIFICANT_DIGITS = 3
# The share of a world total its rows must add up to before their gap says how it was rounded: an
# edition's table lists every producing country (and 'Other'), so its rows come within a few percent.
COMPLETE = 0.9


def half_unit(value: float) -> float:
    """Half a unit of the third significant digit: 350,000 -> 500; 2,900 -> 5; 0 -> 0."""
    if value == 0:
        return 0.0
    exponent = math.floor(math.log10(abs(value))) - (SIGNIFICANT_DIGITS - 1)
    return 0.5 * 10.0**exponent


@dataclass(frozen=True)
class Published:
    """One USGS figure in tonnes, with the values it admits."""

    edition: str
    country: str
    measure: str
    year: str
    value: float
    low: float
    high: float
    note: str  # "quota", "estimate", "lower bound" or ""

    def words(self, shown_in: str | None = None) -> str:
        shown = text.show(self.value, "t", shown_in)
        if self.note == "lower bound":
            return f"more than {shown}"
        return shown + (f" ({self.note})" if self.note else "")


def world_reach(usgs: pd.DataFrame) -> dict[tuple[str, str, str], float]:
    """For each edition, measure and year, the relative gap between the printed world total and the
    sum of the rows (countries and 'Other') the same edition lists beside it: how coarsely that
    total was rounded. A world total published as a bound has no gap, nor does one whose rows add
    up to less than `COMPLETE` of it (a partial table)."""
    reach: dict[tuple[str, str, str], float] = {}
    for (edition, measure, year), rows in usgs.dropna(subset=["value_t"]).groupby(["edition", "measure", "year"]):
        world = rows[rows.country == WORLD]
        if world.empty or (world.greater_than == "yes").any():
            continue
        total, listed = float(world.value_t.iloc[0]), float(rows[rows.country != WORLD].value_t.sum())
        if listed < COMPLETE * total:  # a few rows say nothing of how the total was rounded
            continue
        reach[(edition, measure, year)] = abs(listed - total) / total
    return reach


def current_editions(sources: pd.DataFrame, references: pd.DataFrame) -> dict[str, str]:
    """Each article's current edition: the latest released on or before its `as_of` date.
    InputError for an article judged before every edition here: none was current then."""
    released = sorted((row.published, f"MCS{row.edition}") for row in references.itertuples())
    current, problems = {}, []
    for index, row in sources.iterrows():
        found = [edition for published, edition in released if published <= row["as_of"]]
        if not found:
            problems.append(
                Problem(
                    relative(Project.here().sources_csv),
                    f"{row['as_of']} is before every USGS edition here (the first, {released[0][1]}, was released "
                    f"{released[0][0]}): add the edition current then to data/raw/reference/",
                    line_of(index),
                    "as_of",
                )
            )
        else:
            current[row["source_id"]] = found[-1]
    if problems:
        raise InputError(problems)
    return current


class Tables:
    """The tidy USGS table (`data/processed/usgs.csv`), looked up by edition, measure, country and
    year; `current` maps each article to the edition current at its date (`current_editions`)."""

    def __init__(self, usgs: pd.DataFrame, current: dict[str, str] | None = None):
        self._rows: dict[tuple[str, str, str, str], Published] = {}
        self._current = current or {}
        self.reach = world_reach(usgs)
        for row in usgs.itertuples(index=False):
            if pd.isna(row.value_t):
                continue
            value = float(row.value_t)
            quota = row.quota == "yes"
            if row.greater_than == "yes":
                low, high, note = value, math.inf, "lower bound"
            elif quota:
                low, high, note = value, value, "quota"
            else:
                half = half_unit(value)
                if row.country == WORLD:  # rounded more coarsely, as the edition's own rows show
                    half = max(half, value * self.reach.get((row.edition, row.measure, row.year), 0.0))
                low, high, note = value - half, value + half, "estimate" if row.estimated == "yes" else ""
            self._rows[(row.edition, row.measure, row.country, row.year)] = Published(
                row.edition, row.country, row.measure, row.year, value, low, high, note
            )

    def current(self, source_id: str) -> str:
        """The edition current at the article's date (the latest edition if its date is not known)."""
        return self._current.get(source_id, EDITIONS[-1])

    def older(self, source_id: str) -> list[str]:
        """The editions released before the article's current one, newest first."""
        return [e for e in reversed(EDITIONS[: EDITIONS.index(self.current(source_id))])]

    def get(self, edition: str, measure: str, country: str, year: str = "") -> Published | None:
        return self._rows.get((edition, measure, country, year))

    def countries(self, edition: str, measure: str, year: str = "") -> list[Published]:
        """Every country the edition lists with a figure (not the world total or 'Other'), largest first."""
        found = [
            p
            for (e, m, c, y), p in self._rows.items()
            if (e, m, y) == (edition, measure, year) and c not in NOT_COUNTRIES
        ]
        return sorted(found, key=lambda p: (-p.value, p.country))

    def listed_sum(self, edition: str, measure: str, year: str = "") -> Published:
        """The sum of the countries the edition lists: a base a writer may divide by instead of the rounded total."""
        rows = [p for (e, m, c, y), p in self._rows.items() if (e, m, y) == (edition, measure, year) and c != WORLD]
        return Published(
            edition,
            "sum of listed countries",
            measure,
            year,
            sum(p.value for p in rows),
            sum(p.low for p in rows),
            sum(p.high for p in rows),
            "",
        )

    def latest_year(self, edition: str, measure: str) -> str:
        return max((y for (e, m, _, y) in self._rows if (e, m) == (edition, measure)), default="")

    def years(self, edition: str, measure: str) -> list[str]:
        return sorted({y for (e, m, _, y) in self._rows if (e, m) == (edition, measure)})


def calibration_markdown(usgs: pd.DataFrame) -> list[str]:
    """The world-total tolerances as the data dictionary lists them, computed from the editions' rows."""
    lines = [
        "| edition | measure | year | printed world total (t) | sum of listed rows (t) | gap |",
        "|---|---|---|---|---|---|",
    ]
    for (edition, measure, year), rows in usgs.dropna(subset=["value_t"]).groupby(["edition", "measure", "year"]):
        world = rows[rows.country == WORLD]
        if world.empty:
            continue
        total, listed = float(world.value_t.iloc[0]), float(rows[rows.country != WORLD].value_t.sum())
        bound = (world.greater_than == "yes").any()
        gap = "a lower bound: no gap" if bound else f"{100 * abs(listed - total) / total:.2f}%"
        lines.append(
            f"| {edition} | {measure} | {year or '—'} | {'>' if bound else ''}{total:,.0f} | {listed:,.0f} | {gap} |"
        )
    lines += [
        "",
        "Each printed world total admits its own row's gap either side, or half a unit of its third significant "
        "digit where that is wider; a total published as a bound admits any value above it.",
    ]
    return lines
