"""Statements: each figure as an article states it, with every value its rounding and hedge admit.

One basis for every figure: a number admits whatever rounds to it as written ("67%" admits 66.5%
to 67.5%, "44 million" 43.5 to 44.5 million; a count or rank in words, "fifth", admits only itself,
and a fraction in words, "two-thirds", is read as a round figure for a share near it, as
"around" is), and a hedge
widens or opens that interval as `vocabulary.HEDGES` defines ("around" by `vocabulary.HEDGE_REACH`
of the value, "over" to no upper end). Comparisons (`judge`, `agree`) say whether two figures
agree as stated, only within that rounding and hedging, or not at all.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass
from functools import cache, cached_property

import pandas as pd

from rare_earths import metrics, text, vocabulary
from rare_earths.data.claims import PLACEHOLDER_UNITS
from rare_earths.data.units import DATE_UNIT, Figure, Quantity, parse_unit, ureg

SEPARATOR = vocabulary.SEPARATOR
_TOLERANCE = 1e-9  # relative: two floats this close are one value
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Statement:
    """One figure as one article states it; identical restatements within the article (its FAQ) merged."""

    claim_ids: tuple[str, ...]
    source_id: str
    subject: str
    metric: str
    counterpart: str
    period: str
    low: float  # as stated, in `unit`
    high: float
    unit: str
    hedge: str  # the qualifier as written, lower case ("" for none)
    half_step: float  # half the last written digit, in `unit`: how far rounding can have moved it
    as_written: str  # the article's own words
    period_as_written: str = ""  # the words that date it ("over the past four years")
    item: str = ""  # what the figure is of, where a subject states several of one metric (two budgets)
    country: str = ""  # the country the subject is or is a part of (`claims.csv`'s `country`); "" for itself

    @property
    def where(self) -> str:
        """The country the subject is or is a part of ("IREL" -> "India"); the subject itself otherwise."""
        return self.country or self.subject

    @property
    def ids(self) -> str:
        return SEPARATOR.join(self.claim_ids)

    @property
    def bound(self) -> str:
        return vocabulary.QUALIFIERS[self.hedge]

    @property
    def point(self) -> float:
        """The figure's own value: its low end for a range or a lower bound."""
        return self.low

    def holds(self, value: float) -> bool:
        """Does `value` satisfy the figure as stated, before rounding or a hedge's reach is allowed for?"""
        tolerance = _TOLERANCE * max(1.0, abs(value), abs(self.high))
        if self.bound == "lower_bound":
            return value >= self.low - tolerance
        if self.bound == "upper_bound":
            return self.low * (1 - vocabulary.HEDGE_REACH) - tolerance <= value <= self.high + tolerance
        return self.low - tolerance <= value <= self.high + tolerance

    def admitted(self) -> tuple[float, float]:
        """Every value this figure admits: its rounding, widened or opened by its hedge."""
        return self._admitted

    @cached_property
    def _admitted(self) -> tuple[float, float]:  # computed once: every rule asks for it
        low, high = self.low - self.half_step, self.high + self.half_step
        reach = vocabulary.HEDGE_REACH
        if self.bound == "approximate":
            low, high = min(low, self.low * (1 - reach)), max(high, self.high * (1 + reach))
        elif self.bound == "lower_bound":
            high = math.inf
        elif self.bound == "upper_bound":
            low, high = min(low, self.low * (1 - reach)), self.high
        return low, high

    def figure(self) -> Figure:
        """The admitted values as a pint figure, for interval arithmetic with `metrics.over_range`."""
        low, high = self.admitted()
        return Figure(Quantity(max(low, 0.0), self.unit), Quantity(high, self.unit))

    def quantity(self) -> Quantity:
        return Quantity(self.point, self.unit)

    def cite(self) -> str:
        """'44 million metric tons (a000-03, a000-38)', with the period where there is one, and the day a
        date written without its year or by counting from another is read as ('April 4 (a003-06: 4 April 2025)')."""
        read_as = f": {self.read_as()}" if self.read_as() else ""
        return f"{self.as_written} ({', '.join(self.claim_ids)}{', ' + self.period if self.period else ''}{read_as})"

    def read_as(self) -> str:
        """For a date whose words leave out the year or count from another date, the days they are read as."""
        if self.unit != DATE_UNIT or (re.search(r"\b\d{4}\b", self.as_written) and "later" not in self.as_written):
            return ""
        return text.interval(*self.admitted(), self.unit)


def half_step(value_as_written: str, unit_as_written: str, unit: str, value: float = 0.0) -> float:
    """How far rounding can have moved a figure, in canonical `unit`: half a unit of its last written
    digit; `vocabulary.HEDGE_REACH` of `value` for a fraction in words; 0 for other words.

    "44" million metric tons -> 0.5 million t; "11.6" % -> 0.05 percent; "fifth" -> 0.
    """
    if unit == DATE_UNIT:  # a date admits the days its words name (its range), nothing more
        return 0.0
    numbers = _NUMBER.findall(value_as_written)
    if not numbers:
        return vocabulary.HEDGE_REACH * abs(value) if unit_as_written == "fraction" else 0.0
    return 0.5 * 10.0 ** -metrics.decimals_of(numbers[0]) * _scale(unit_as_written, unit)


@cache
def _scale(unit_as_written: str, unit: str) -> float:
    """One unit as written, in canonical `unit`: a table repeats a few pairs, each converted once."""
    if unit_as_written == "fraction":
        written_unit = ureg.Unit("dimensionless")
    else:  # a rank, or a figure written without a unit, is in its metric's own unit
        written_unit = ureg.Unit(unit) if unit_as_written in PLACEHOLDER_UNITS else parse_unit(unit_as_written)
    return float(Quantity(1.0, written_unit).to(unit).magnitude)


def statements(claims: pd.DataFrame) -> list[Statement]:
    """Each article's distinct figures, in claim order: claims equal in everything but their words merged."""
    keys = [
        "source_id", "subject", "item", "metric", "counterpart", "period", "value_low", "value_high", "unit", "qualifier"
    ]  # fmt: skip
    found: dict[tuple, list] = {}
    for row in claims.sort_values("claim_id").itertuples(index=False):
        key = tuple(getattr(row, key) for key in keys[:-1]) + (row.qualifier.lower(),)
        found.setdefault(key, []).append(row)
    result = []
    for rows in found.values():
        first = rows[0]
        result.append(
            Statement(
                claim_ids=tuple(row.claim_id for row in rows),
                source_id=first.source_id,
                subject=first.subject,
                metric=first.metric,
                counterpart=first.counterpart,
                period=first.period,
                low=float(first.value_low),
                high=float(first.value_high),
                unit=first.unit,
                hedge=first.qualifier.lower(),
                half_step=max(
                    half_step(row.value_as_written, row.unit_as_written, row.unit, row.value_low) for row in rows
                ),
                as_written=text.as_written(first.quote, first.value_as_written, first.unit_as_written, first.qualifier),
                period_as_written=first.period_as_written,
                item=first.item,
                country=first.country,
            )
        )
    return sorted(result, key=lambda statement: statement.claim_ids[0])


# --- comparing -----------------------------------------------------------------------------------

CONSISTENT, WITHIN_ROUNDING, CONTRADICTED = "consistent", "consistent_within_rounding", "contradicted"


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tolerance = _TOLERANCE * max(1.0, *(abs(x) for x in (*a, *b) if math.isfinite(x)))
    return a[0] <= b[1] + tolerance and b[0] <= a[1] + tolerance


def judge(stated: Statement, value: float, spread: tuple[float, float] | None = None) -> str:
    """A stated figure against a value computed from other figures (or published), whose own
    rounding gives `spread`: consistent if it holds as stated, within rounding if only the rounding
    or hedge of either side reconciles them, contradicted otherwise."""
    if stated.holds(value):
        return CONSISTENT
    low, high = stated.admitted()
    if low <= value <= high or (spread is not None and overlap((low, high), spread)):
        return WITHIN_ROUNDING
    return CONTRADICTED


def agree(a: Statement, b: Statement) -> str:
    """Two statements of one figure: the same (or one inside the other as stated), within rounding, or not."""
    if a.holds(b.low) and a.holds(b.high) or b.holds(a.low) and b.holds(a.high):
        return CONSISTENT
    return WITHIN_ROUNDING if overlap(a.admitted(), b.admitted()) else CONTRADICTED


def index(found: list[Statement], *fields: str) -> dict[tuple, list[Statement]]:
    """The statements grouped by the values of `fields`, in their order: one pass, looked up by key."""
    groups: dict[tuple, list[Statement]] = {}
    key = operator.attrgetter(*fields)
    for statement in found:
        value = key(statement)
        groups.setdefault(value if len(fields) > 1 else (value,), []).append(statement)
    return groups


# How shares find their part and whole: statements indexed by these fields (`index(found, *SHARE_INDEX)`).
SHARE_INDEX = ("source_id", "metric", "subject", "period")


def own_part_and_whole(
    stated: Statement, by: dict[tuple, list[Statement]]
) -> tuple[Statement | None, Statement | None]:
    """The part and the whole a share's own article states for its period, where it states them."""
    base = vocabulary.METRICS[stated.metric].share_of
    parts = by.get((stated.source_id, base, stated.subject, stated.period), [])
    wholes = by.get((stated.source_id, base, stated.counterpart, stated.period), [])
    return (parts[0] if parts else None), (wholes[0] if wholes else None)


def spread(function, *figures: Figure) -> tuple[float, float]:
    """The lowest and highest value of `function` over the figures' admitted values."""
    result = metrics.over_range(function, *figures)
    return float(result.low.magnitude), float(result.high.magnitude)


def what(statement: Statement) -> str:
    """The figure's subject and metric in words: "China's share of world reserves"."""
    return f"{text.possessive(text.subject_name(statement.subject))} {vocabulary.METRICS[statement.metric].said}"
