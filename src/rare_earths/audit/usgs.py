"""What the USGS tables give for a figure, and how precisely.

Precision, on one basis for every USGS figure: USGS rounds its published data "to no more than
three significant digits" (the standing note of its Minerals Yearbook and Mineral Commodity
Summaries tables), so a published figure admits half a unit of its third significant digit
(350,000 t admits 349,500 to 350,500 t; 110,000,000 t admits 109.5 to 110.5 Mt), whatever the
number of zeros printed. Two exceptions, from the tables' own notes: a production quota (China's)
is a set number, so exact; and a figure published as a lower bound (">90,000,000") admits any
value at or above it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .. import text

EDITIONS = ("MCS2024", "MCS2025")
WORLD = "World total (rounded)"
NOT_COUNTRIES = {WORLD, "Other"}
SIGNIFICANT_DIGITS = 3


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


class Tables:
    """The tidy USGS table (`data/processed/usgs.csv`), looked up by edition, measure, country and year."""

    def __init__(self, usgs: pd.DataFrame):
        self._rows: dict[tuple[str, str, str, str], Published] = {}
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
                low, high, note = (
                    value - half_unit(value),
                    value + half_unit(value),
                    "estimate" if row.estimated == "yes" else "",
                )
            self._rows[(row.edition, row.measure, row.country, row.year)] = Published(
                row.edition, row.country, row.measure, row.year, value, low, high, note
            )

    def get(self, edition: str, measure: str, country: str, year: str = "") -> Published | None:
        name = WORLD if country == "world" else country
        return self._rows.get((edition, measure, name, year))

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
