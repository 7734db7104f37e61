"""Do the articles' numbers add up? Every check of their figures, as one table (audit.csv).

Three kinds of check (`metadata.CHECK_KINDS`), each made by a rule over the processed claims,
never by a list of claim ids, so a new claim is checked as soon as it is captured:

- recomputation: a figure the articles derive from others is recomputed: a share from its part
  and whole, shares of one whole against the whole they imply, parts that must fit in their whole,
  a growth rate from the levels at the ends of its period;
- cross_source: every statement of one subject's metric is compared with the others, in value
  and in date, and one number given for different measures of one family is flagged;
- reference: reserves and production, and the shares and ranks they make, against both USGS
  editions.

Rounding. A stated figure admits every value that rounds to it as written: "67%" admits 66.5 to
67.5, "44 million" admits 43.5 to 44.5 million, a figure in words ("two-thirds", "fifth") admits
only itself. A USGS figure is taken as precise to its last non-zero digit (350,000 admits 345,000
to 355,000). A check is `consistent` when the figures agree as stated, `consistent_within_rounding`
when they agree only once that rounding is allowed for, `inconsistent` when they cannot, and
`not_reproducible` when the sources lack what the check needs.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import re
from collections import defaultdict, namedtuple
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from . import metadata, metrics, paths
from .claims import PLACEHOLDER_UNITS
from .reference import world_total
from .tables import read_processed, write_processed
from .units import Figure, Quantity, parse_unit, ureg

SEPARATOR = "; "
CONSISTENT, WITHIN_ROUNDING, INCONSISTENT, NOT_REPRODUCIBLE = metadata.VERDICTS
EDITIONS = ("MCS2024", "MCS2025")
WORLD = "World total (rounded)"
NOT_COUNTRIES = {WORLD, "Other"}

# share metric -> the metric of its part and whole ("China's 38% of world reserves" -> reserves).
SHARE_OF = {"production_share": "production", "reserve_share": "reserves"}
# growth metric -> the level metrics it can be computed from, by value or by quantity.
GROWTH_OF = {
    "export_cagr": ("exports_value", "exports_quantity"),
    "import_cagr": ("imports_value", "imports_quantity"),
    "import_decline": ("imports_value", "imports_quantity"),
}
# metric -> USGS measure, for the reference checks.
USGS_MEASURE = {"reserves": "reserves", "reserve_share": "reserves", "reserve_rank": "reserves",
                "production": "mine_production", "production_share": "mine_production"}
WORDS = {"reserves": "reserves", "reserve_share": "share of world reserves", "reserve_rank": "rank by reserves",
         "production": "production", "production_share": "share of world production",
         "export_cagr": "exports", "import_cagr": "imports", "import_decline": "imports",
         "export_destination_value_share": "export value", "import_dependence_share": "import dependence",
         "import_value_share": "share of imports by value", "import_quantity_share": "share of imports by quantity",
         "magnet_imports_projected": "projected magnet imports", "magnet_imports_value_projected": "projected magnet import value",
         "element_count": "number of elements", "ree_count_with_rich_reserves": "number of REEs with rich reserves"}


def _counterpart(metric: str, counterpart: str) -> str:
    """The other side of a figure in prose: ' from China' for imports, ' to Japan' for exports."""
    if not counterpart or counterpart == "world":
        return ""
    if metric.startswith("import") or "imports" in metric:
        return f" from {counterpart}"
    if metric.startswith("export"):
        return f" to {counterpart}"
    return f" ({counterpart})"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def words(metric: str) -> str:
    """A metric in prose: 'share of world reserves', 'magnet production capacity'."""
    return WORDS.get(metric, metric.replace("_", " "))


def share_words(metric: str) -> str:
    """What a share metric divides: 'reserves', 'magnet production', 'export value'."""
    return WORDS.get(metric, metric) if metric == "export_destination_value_share" else {"reserve_share": "reserves"}.get(
        metric, metric.removesuffix("_share").replace("_", " "))
_TOLERANCE = 1e-9
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


# --- statements: the figures as stated, with the values their rounding admits --------------------


@dataclass(frozen=True)
class Statement:
    """One figure as stated; identical restatements within one article (its FAQ) are merged."""

    claim_ids: tuple[str, ...]
    source_id: str
    subject: str
    metric: str
    counterpart: str
    period: str
    low: float
    high: float
    unit: str
    bound: str
    half_step: float  # half the last written digit, in `unit`: how far rounding can have moved it
    as_written: str

    @property
    def ids(self) -> str:
        return SEPARATOR.join(self.claim_ids)

    def holds(self, value: float) -> bool:
        """Does `value` satisfy the figure as stated, without allowing for rounding?"""
        tolerance = _TOLERANCE * max(1.0, abs(value), abs(self.high))
        if self.bound == "lower_bound":
            return value >= self.low - tolerance
        if self.bound == "upper_bound":
            return value <= self.high + tolerance
        return self.low - tolerance <= value <= self.high + tolerance

    def admitted(self) -> tuple[float, float]:
        """Every value that would have been written this way: the rounding interval, open-ended for a bound."""
        low = -math.inf if self.bound == "upper_bound" else self.low - self.half_step
        high = math.inf if self.bound == "lower_bound" else self.high + self.half_step
        return low, high

    def figure(self) -> Figure:
        """The admitted values as a pint figure, for interval arithmetic with `metrics.over_range`."""
        low, high = self.admitted()
        return Figure(Quantity(max(low, 0.0), self.unit), Quantity(high, self.unit))


def half_step(value_as_written: str, unit_as_written: str, unit: str) -> float:
    """Half a unit of the last digit written, in canonical `unit`; 0 for a figure written in words.

    "44" million metric tons -> 0.5 million t; "11.6" % -> 0.05 percent; "two-thirds" -> 0.
    """
    numbers = _NUMBER.findall(value_as_written)
    if not numbers:
        return 0.0
    return 0.5 * 10.0 ** -metrics.decimals_of(numbers[0]) * _scale(unit_as_written, unit)


@cache
def _scale(unit_as_written: str, unit: str) -> float:
    """One unit as written, in canonical `unit`: a table repeats a few pairs, each converted once."""
    written_unit = ureg.Unit("dimensionless") if unit_as_written in PLACEHOLDER_UNITS else parse_unit(unit_as_written)
    return float(Quantity(1.0, written_unit).to(unit).magnitude)


def usgs_half_step(value: float) -> float:
    """Half a unit of a USGS figure's last non-zero digit: 350,000 -> 5,000; 41,600 -> 50."""
    whole = round(abs(value))
    if whole == 0 or whole != abs(value):
        return 0.5 if whole else 0.0
    step = 1
    while whole % 10 == 0:
        whole //= 10
        step *= 10
    return step / 2


def as_written(row) -> str:
    """A claim's figure in the article's words: 'over 90%', '44 million metric tons', 'two-thirds'."""
    unit = "" if row.unit_as_written in PLACEHOLDER_UNITS else row.unit_as_written
    symbol, _, scale = unit.partition(" ")
    if unit == "%":
        figure = f"{row.value_as_written}%"
    elif symbol in ("$", "₹"):  # "$ million" as captured, "$30 million" as written
        figure = f"{symbol}{row.value_as_written} {scale}".strip()
    else:
        figure = " ".join(part for part in (row.value_as_written, unit) if part)
    return " ".join(part for part in (row.qualifier.lower(), figure) if part)


def statements(claims: pd.DataFrame) -> list[Statement]:
    """Each article's distinct figures: claims equal in everything but their words merged, in claim order."""
    keys = ["source_id", "subject", "metric", "counterpart", "period", "value_low", "value_high", "unit", "bound"]
    found: dict[tuple, list] = {}
    ordered = claims.sort_values("claim_id")
    row_type = namedtuple("Row", ordered.columns, rename=True)  # as itertuples() gives, from whole columns at once
    key_of = operator.attrgetter(*keys)
    for row in map(row_type._make, zip(*(ordered[column].tolist() for column in ordered.columns), strict=True)):
        found.setdefault(key_of(row), []).append(row)
    result = []
    for rows in found.values():
        first = rows[0]
        result.append(Statement(
            claim_ids=tuple(row.claim_id for row in rows), source_id=first.source_id, subject=first.subject,
            metric=first.metric, counterpart=first.counterpart, period=first.period, low=float(first.value_low),
            high=float(first.value_high), unit=first.unit, bound=first.bound,
            half_step=max(half_step(row.value_as_written, row.unit_as_written, row.unit) for row in rows),
            as_written=as_written(first),
        ))
    return sorted(result, key=lambda statement: statement.claim_ids[0])


# --- comparing -----------------------------------------------------------------------------------


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    tolerance = _TOLERANCE * max(1.0, *(abs(x) for x in (*a, *b) if math.isfinite(x)))
    return a[0] <= b[1] + tolerance and b[0] <= a[1] + tolerance


def judge(stated: Statement, value: float, spread: tuple[float, float] | None = None) -> str:
    """A stated figure against a value computed from other figures (or USGS's), whose own rounding
    gives `spread`: consistent if it holds as stated, within rounding if only the rounding of either
    side reconciles them."""
    if stated.holds(value):
        return CONSISTENT
    low, high = stated.admitted()
    if low <= value <= high or (spread is not None and _overlap((low, high), spread)):
        return WITHIN_ROUNDING
    return INCONSISTENT


def agree(a: Statement, b: Statement) -> str:
    """Two statements of one figure: the same, one inside the other's bound, or only within rounding."""
    if a.holds(b.low) and a.holds(b.high) or b.holds(a.low) and b.holds(a.high):
        return CONSISTENT
    return WITHIN_ROUNDING if _overlap(a.admitted(), b.admitted()) else INCONSISTENT


_WORST = {CONSISTENT: 0, WITHIN_ROUNDING: 1, NOT_REPRODUCIBLE: 2, INCONSISTENT: 3}


# --- showing numbers in sentences ----------------------------------------------------------------


def display_unit(unit: str, value: float) -> str:
    """The unit a reader expects for a value: Mt or kt for large tonnages, the canonical unit otherwise."""
    if unit == "t":
        return "Mt" if abs(value) >= 1e6 else "kt" if abs(value) >= 1e3 else "t"
    return unit


def number(value: float) -> str:
    """A number as prose shows it: 115.8, 67.4, 3.8, 240, 15,400."""
    decimals = 2 if abs(value) < 10 else 1 if abs(value) < 1000 else 0
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def show(value: float, unit: str, shown_in: str | None = None) -> str:
    """`value` (in canonical `unit`) with its unit, for a sentence: '115.8 Mt', '67.4%', '3rd'."""
    if unit == "percent":
        return f"{number(value)}%"
    if unit == "rank":
        whole = int(round(value))
        suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
        return f"{whole}{suffix}"
    shown_in = shown_in or display_unit(unit, value)
    return f"{number(Quantity(value, unit).to(shown_in).magnitude)} {shown_in}"


def _subject(statement: Statement) -> str:
    return statement.subject if statement.subject != "world" else "the world"


# --- rows ----------------------------------------------------------------------------------------


def _row(rule: str, claim_ids: list[str], stated: Statement, check_value: float, compared_with: str,
         verdict: str, explanation: str) -> dict:
    unit = display_unit(stated.unit, stated.low)
    factor = _factor(stated.unit, unit) if unit != stated.unit else 1.0
    ids = sorted(set(claim_ids))
    return {
        "check_id": f"{rule}:{stated.claim_ids[0]}", "kind": metadata.CHECK_RULES[rule][0], "rule": rule,
        "claim_ids": SEPARATOR.join(ids), "stated_value": stated.low * factor,
        "check_value": check_value * factor if check_value is not None else math.nan,
        "unit": unit, "compared_with": compared_with, "verdict": verdict, "explanation": explanation,
    }


@cache
def _factor(unit: str, shown_in: str) -> float:
    return Quantity(1, unit).to(shown_in).magnitude


class _Index:
    """The statements with given field values, in their order in `found`, found by dictionary:
    one dictionary per set of fields asked for, built on first use (linear, where a scan of
    `found` per statement was quadratic)."""

    def __init__(self, found: list[Statement]):
        self._found = found
        self._by: dict[tuple[str, ...], dict[tuple, list[Statement]]] = {}

    def __call__(self, **fields) -> list[Statement]:
        names = tuple(fields)
        table = self._by.get(names)
        if table is None:
            table = self._by[names] = {}
            key_of = operator.attrgetter(*names)
            for statement in self._found:
                table.setdefault(key_of(statement), []).append(statement)
        return table.get(tuple(fields.values()) if len(names) > 1 else fields[names[0]], [])


def _spread(function, *figures: Figure) -> tuple[float, float]:
    result = metrics.over_range(function, *figures)
    return float(result.low.magnitude), float(result.high.magnitude)


# --- recomputation -------------------------------------------------------------------------------


def share_of_whole(found: list[Statement]) -> list[dict]:
    """A share recomputed from the part and the whole the same article states for the same period."""
    rows = []
    find = _Index(found)
    for stated in (statement for statement in found if statement.metric in SHARE_OF):
        base = SHARE_OF[stated.metric]
        parts = find(source_id=stated.source_id, metric=base, subject=stated.subject, period=stated.period)
        wholes = find(source_id=stated.source_id, metric=base, subject=stated.counterpart, period=stated.period)
        if not parts or not wholes:
            continue
        part, whole = parts[0], wholes[0]
        value = metrics.share(Quantity(part.low, part.unit), Quantity(whole.low, whole.unit)).to("percent").magnitude
        spread = _spread(metrics.share, part.figure(), whole.figure())
        verdict = judge(stated, value, spread)
        outcome = {CONSISTENT: "as stated", WITHIN_ROUNDING: f"which the stated {stated.as_written} rounds",
                   INCONSISTENT: f"not the stated {stated.as_written}"}[verdict]
        if verdict == WITHIN_ROUNDING and not stated.admitted()[0] <= value <= stated.admitted()[1]:
            outcome = f"which the stated {stated.as_written} matches only once the rounding of {part.as_written} and {whole.as_written} is allowed for"
        rows.append(_row("share_of_whole", [*stated.claim_ids, *part.claim_ids, *whole.claim_ids], stated, value,
                         f"{part.as_written} / {whole.as_written}", verdict,
                         f"{possessive(stated.subject)} {part.as_written} of {possessive(_subject(whole))} {whole.as_written} is {number(value)}%, {outcome}."))
    return rows


def implied_whole(found: list[Statement]) -> list[dict]:
    """Shares of one whole the article does not state: each part and share implies the whole, and
    every later share is recomputed against the whole the first implies."""
    groups: dict[tuple, list[tuple[Statement, Statement]]] = {}
    find = _Index(found)
    for stated in (statement for statement in found if statement.metric in SHARE_OF):
        base = SHARE_OF[stated.metric]
        parts = find(source_id=stated.source_id, metric=base, subject=stated.subject, period=stated.period)
        wholes = find(source_id=stated.source_id, metric=base, subject=stated.counterpart, period=stated.period)
        if parts and not wholes:
            groups.setdefault((stated.source_id, stated.metric, stated.counterpart, stated.period), []).append((stated, parts[0]))
    rows = []
    for pairs in groups.values():
        (first_share, first_part), *others = pairs
        whole = Quantity(first_part.low, first_part.unit) / Quantity(first_share.low, "percent").to("dimensionless")
        for stated, part in others:
            value = metrics.share(Quantity(part.low, part.unit), whole).to("percent").magnitude
            spread = _spread(lambda p, first, share: metrics.share(p, first / share.to("dimensionless")),
                             part.figure(), first_part.figure(), first_share.figure())
            verdict = judge(stated, value, spread)
            outcome = {CONSISTENT: "as stated", WITHIN_ROUNDING: f"and the stated {stated.as_written} agrees within the rounding of the figures",
                       INCONSISTENT: f"so the stated {stated.as_written} cannot be a share of the same whole"}[verdict]
            rows.append(_row(
                "implied_whole", [*first_share.claim_ids, *first_part.claim_ids, *stated.claim_ids, *part.claim_ids], stated, value,
                f"{part.as_written} of the world implied by {possessive(first_part.subject)} {first_part.as_written} at {first_share.as_written}", verdict,
                f"{possessive(first_part.subject)} {first_part.as_written} at {first_share.as_written} implies a world total of {show(whole.to(part.unit).magnitude, part.unit)}, "
                f"of which {possessive(stated.subject)} {part.as_written} is {number(value)}%, {outcome}."))
    return rows


def parts_of_whole(found: list[Statement]) -> list[dict]:
    """Shares of one whole from one article (several subjects of one whole, or one subject's
    several destinations) add up to at most 100%."""
    shares = [statement for statement in found if statement.metric.endswith("_share")]
    rows = []
    groupings = (("counterpart", "subject"), ("subject", "counterpart"))
    for fixed, varying in groupings:
        groups: dict[tuple, dict[str, Statement]] = {}
        for statement in shares:
            key = (statement.source_id, statement.metric, getattr(statement, fixed), statement.period)
            groups.setdefault(key, {}).setdefault(getattr(statement, varying), statement)
        for (source_id, metric, whole, period), by_part in groups.items():
            if len(by_part) < 2 or not whole:
                continue
            parts = list(by_part.values())
            total = sum(part.low for part in parts)
            lowest = sum(part.admitted()[0] for part in parts)
            verdict = CONSISTENT if total <= 100 + _TOLERANCE else WITHIN_ROUNDING if lowest <= 100 + _TOLERANCE else INCONSISTENT
            listed = " + ".join(f"{name} {part.as_written}" for name, part in by_part.items())
            of = f"world {share_words(metric)}" if whole == "world" else f"{possessive(whole)} {share_words(metric)}"
            if verdict == CONSISTENT:
                remainder = 100 - total
                tail = "the whole of it" if abs(remainder) < 1e-9 else f"leaving {number(remainder)}% to others not named"
                explanation = f"Shares of {of} ({source_id}): {listed} add up to {number(total)}%, {tail}."
            elif verdict == WITHIN_ROUNDING:
                explanation = f"Shares of {of} ({source_id}): {listed} add up to {number(total)}%, over 100% only by their rounding."
            else:
                explanation = f"Shares of {of} ({source_id}): {listed} add up to {number(total)}%, more than the whole."
            anchor = parts[0]
            whole_statement = Statement(anchor.claim_ids, source_id, anchor.subject, metric, anchor.counterpart, period,
                                        100.0, 100.0, "percent", "upper_bound", 0.0, "100%")
            rows.append(_row("parts_of_whole", [claim for part in parts for claim in part.claim_ids], whole_statement, total,
                             "sum of the shares", verdict, explanation))
    return rows


def growth_rate(found: list[Statement]) -> list[dict]:
    """A growth rate (or a decline) recomputed from the levels at the ends of its period, in any article."""
    rows = []
    find = _Index(found)
    for stated in (statement for statement in found if statement.metric in GROWTH_OF):
        levels = GROWTH_OF[stated.metric]
        what = f"{possessive(stated.subject)} {words(stated.metric)}" + _counterpart(stated.metric, stated.counterpart)
        decline = stated.metric.endswith("decline")
        kind = "decline" if decline else "growth rate"
        if not stated.period:
            rows.append(_row("growth_rate", list(stated.claim_ids), stated, None, "levels at the ends of the period (no period stated)",
                             NOT_REPRODUCIBLE, f"{stated.source_id} does not say over which years {what} changed, so its {stated.as_written} {kind} cannot be recomputed."))
            continue
        first, last = stated.period.split("-")
        pair = None
        for level in levels:
            starts = find(metric=level, subject=stated.subject, counterpart=stated.counterpart, period=first)
            ends = find(metric=level, subject=stated.subject, counterpart=stated.counterpart, period=last)
            if starts and ends:
                pair = (starts[0], ends[0])
                break
        if pair is None:
            rows.append(_row("growth_rate", list(stated.claim_ids), stated, None, f"{' or '.join(levels)} in {first} and {last} (not in the sources)",
                             NOT_REPRODUCIBLE, f"No article gives {what} for {first} and {last}, by value or by quantity, so the stated {stated.as_written} {kind} over {stated.period} cannot be recomputed."))
            continue
        start, end = pair
        years = metrics.span_years(stated.period)
        if decline:
            def formula(a, b):
                return (1 - b / a).to("percent")
        else:
            # Called only within this iteration, so the loop's current `years` is the one meant.
            def formula(a, b):
                return metrics.cagr(a, b, years)  # noqa: B023
        value = formula(Quantity(start.low, start.unit), Quantity(end.low, end.unit)).magnitude
        verdict = judge(stated, value, _spread(formula, start.figure(), end.figure()))
        outcome = {CONSISTENT: "as stated", WITHIN_ROUNDING: f"which the stated {stated.as_written} matches within rounding",
                   INCONSISTENT: f"not the stated {stated.as_written}"}[verdict]
        rows.append(_row("growth_rate", [*stated.claim_ids, *start.claim_ids, *end.claim_ids], stated, value,
                         f"from {start.as_written} ({first}) to {end.as_written} ({last})", verdict,
                         f"From {start.as_written} in {first} to {end.as_written} in {last}, {what} changed by {number(value)}% "
                         f"{'in all' if decline else 'a year'}, {outcome}."))
    return rows


def rank_from_figures(found: list[Statement]) -> list[dict]:
    """A stated rank against the article's own figures: those it gives above the subject set the
    least the rank can be; a stated rank further down needs figures the article does not give."""
    rows = []
    find = _Index(found)
    for stated in (statement for statement in found if statement.metric.endswith("_rank")):
        base = {"reserve_rank": "reserves"}.get(stated.metric)
        own = find(source_id=stated.source_id, metric=base, subject=stated.subject) if base else []
        if not own:
            continue
        others = [s for s in find(source_id=stated.source_id, metric=base) if s.subject not in (stated.subject, "world")]
        highest: dict[str, Statement] = {}
        for s in others:  # one figure per country: an article may restate one with another hedge
            if s.subject not in highest or s.low > highest[s.subject].low:
                highest[s.subject] = s
        above = sorted((s for s in highest.values() if s.low > own[0].high), key=lambda s: -s.low)
        computed = len(above) + 1
        named = ", ".join(f"{s.subject} ({s.as_written})" for s in above) or "no country"
        ranked_above = {a.subject for a in above}
        claim_ids = [*stated.claim_ids, *own[0].claim_ids, *(claim for s in others if s.subject in ranked_above for claim in s.claim_ids)]
        if int(stated.low) == computed:
            verdict, outcome = CONSISTENT, f"which makes it {show(computed, 'rank')}, as stated"
        elif stated.low > computed:
            missing = int(stated.low) - computed
            verdict = NOT_REPRODUCIBLE
            outcome = (f"which would make it {show(computed, 'rank')}; the stated {stated.as_written} needs {missing} more "
                       f"{'country' if missing == 1 else 'countries'} above it that the article does not name")
        else:
            verdict, outcome = INCONSISTENT, f"so it cannot rank {stated.as_written}"
        rows.append(_row("rank_from_figures", claim_ids, stated, float(computed), f"rank among {stated.source_id}'s own {words(base)} figures", verdict,
                         f"{stated.source_id}'s own {words(base)} figures put {named} above {possessive(stated.subject)} {own[0].as_written}, {outcome}."))
    return rows


# --- cross-source --------------------------------------------------------------------------------
#
# Comparing every statement of a figure with every other is quadratic in the number of statements.
# The rules below find the same answers by sorting and sweeping. Rounding tolerances (`_TOLERANCE`,
# relative) make `_overlap` and `Statement.holds` slightly wider than the plain intervals, so the
# sweeps only narrow down where to look, with the tolerance left out or taken at its largest in the
# group (`_slack`), and the final answer always comes from the exact pairwise functions.


def _pair(a: Statement, b: Statement) -> tuple[str, str] | None:
    """Two statements of one figure: (verdict, "value" or "date"), or None for two values of two
    different years (a series, not a conflict)."""
    verdict, reason = agree(a, b), "value"
    if a.period and b.period and a.period != b.period:
        if verdict == INCONSISTENT:
            return None
        verdict, reason = INCONSISTENT, "date"
    return verdict, reason


def _regular(group: list[Statement]) -> bool:
    """Every figure a number with its low end at or below its high end: what the sweeps assume."""
    return all(statement.low <= statement.high for statement in group)  # False for NaN too


def _slack(group: list[Statement]) -> float:
    """At least the tolerance `_overlap` allows between any two of the statements."""
    return _TOLERANCE * max([1.0, *(abs(x) for statement in group for x in statement.admitted() if math.isfinite(x))])


def _worst_pair_by_scan(group: list[Statement]) -> tuple[str, Statement, Statement, str] | None:
    """(verdict, a, b, reason) of the first pair, in the order of `itertools.combinations`, with the
    worst verdict of all pairs (`_pair`); None if every pair is a series. Every pair compared."""
    worst = None
    for a, b in itertools.combinations(group, 2):
        found = _pair(a, b)
        if found is not None and (worst is None or _WORST[found[0]] > _WORST[worst[0]]):
            worst = (found[0], a, b, found[1])
    return worst


class _BestTwo:
    """A Fenwick tree over positions 0..size-1: for any prefix of positions, the largest value
    added there and the largest with another label than that one's."""

    def __init__(self, size: int):
        self._tree: list[tuple] = [()] * (size + 1)

    @staticmethod
    def merge(*groups: tuple) -> tuple:
        best = second = None
        for entry in itertools.chain(*groups):
            if best is None or entry[0] > best[0]:
                if best is not None and best[1] != entry[1]:
                    second = best
                best = entry
            elif entry[1] != best[1] and (second is None or entry[0] > second[0]):
                second = entry
        return tuple(entry for entry in (best, second) if entry is not None)

    def add(self, position: int, value: float, label: str) -> None:
        index = position + 1
        while index < len(self._tree):
            self._tree[index] = self.merge(self._tree[index], ((value, label),))
            index += index & -index

    def prefix(self, count: int) -> tuple:
        """The best two among positions below `count`."""
        result: tuple = ()
        while count > 0:
            result = self.merge(result, self._tree[count])
            count -= count & -count
        return result


class _Extremes:
    """A Fenwick tree over positions 0..size-1: for any prefix of positions, the largest first
    and the smallest second value added there."""

    def __init__(self, size: int):
        self._largest = [-math.inf] * (size + 1)
        self._smallest = [math.inf] * (size + 1)

    def add(self, position: int, largest: float, smallest: float) -> None:
        index = position + 1
        while index < len(self._largest):
            self._largest[index] = max(self._largest[index], largest)
            self._smallest[index] = min(self._smallest[index], smallest)
            index += index & -index

    def prefix(self, count: int) -> tuple[float, float]:
        largest, smallest = -math.inf, math.inf
        while count > 0:
            largest, smallest = max(largest, self._largest[count]), min(smallest, self._smallest[count])
            count -= count & -count
        return largest, smallest


def _could_conflict(group: list[Statement]) -> list[bool]:
    """For each statement, could a later one make an inconsistent pair with it (`_pair`)? True for
    every one that can (and perhaps a few more). Either a later statement of the same date (or
    undated) whose admitted values lie wholly above or below its own, or one of another date whose
    admitted values overlap its own."""
    admitted = [statement.admitted() for statement in group]
    periods = [statement.period for statement in group]
    could = [False] * len(group)
    # Same date or undated, values apart: the largest low end and smallest high end of the later ones.
    highest_low: dict[str, float] = defaultdict(lambda: -math.inf)
    lowest_high: dict[str, float] = defaultdict(lambda: math.inf)
    for index in reversed(range(len(group))):
        (low, high), period = admitted[index], periods[index]
        classes = (period, "") if period else ("*",)
        above = max(highest_low[c] for c in classes)
        below = min(lowest_high[c] for c in classes)
        could[index] = above > high or below < low
        for c in (period, "*"):
            highest_low[c] = max(highest_low[c], low)
            lowest_high[c] = min(lowest_high[c], high)
    # Another date, values overlapping: among later dated statements with a low end at or below
    # this high end, the highest high end of another date than this one's.
    if len({period for period in periods if period}) >= 2:
        slack = _slack(group)
        lows = sorted({admitted[index][0] for index in range(len(group)) if periods[index]})
        tree = _BestTwo(len(lows))
        for index in reversed(range(len(group))):
            (low, high), period = admitted[index], periods[index]
            if not period:
                continue
            if not could[index]:
                best = tree.prefix(bisect.bisect_right(lows, high + slack))
                could[index] = any(other >= low - slack for other, label in best if label != period)
            tree.add(bisect.bisect_left(lows, low), high, period)
    return could


def _could_differ(group: list[Statement]) -> list[bool]:
    """For each statement, could a later one of the same date (or undated) disagree with it
    (`agree` not consistent: neither figure holds the other's ends)? True for every one that can,
    when no pair is inconsistent. Rounding tolerance left out, which only admits more."""
    # What each figure holds, without tolerance: [holds_low, holds_high].
    holds_low = [-math.inf if s.bound == "upper_bound" else s.low for s in group]
    holds_high = [math.inf if s.bound == "lower_bound" else s.high for s in group]
    periods = [statement.period for statement in group]
    classes = {period or "" for period in periods} | {"", "*"}
    members = {c: [index for index in range(len(group)) if c == "*" or (periods[index] or "") == c] for c in classes}
    # By class: trees keyed by the later statements' low ends (ascending) and high ends (descending),
    # each holding the largest holds_low and smallest holds_high of those added.
    lows = {c: sorted({group[index].low for index in members[c]}) for c in classes}
    highs = {c: sorted({-group[index].high for index in members[c]}) for c in classes}
    by_low = {c: _Extremes(len(lows[c])) for c in classes}
    by_high = {c: _Extremes(len(highs[c])) for c in classes}
    could = [False] * len(group)
    for index in reversed(range(len(group))):
        statement, period = group[index], periods[index]
        for c in ((period, "") if period else ("*",)):
            # A later j that this one does not hold (its low end below, or high end above, what
            # this one holds) and that does not hold this one.
            for found in (by_low[c].prefix(bisect.bisect_left(lows[c], holds_low[index])),
                          by_high[c].prefix(bisect.bisect_left(highs[c], -holds_high[index]))):
                if found[0] > statement.low or found[1] < statement.high:
                    could[index] = True
        for c in (period or "", "*"):
            by_low[c].add(bisect.bisect_left(lows[c], statement.low), holds_low[index], holds_high[index])
            by_high[c].add(bisect.bisect_left(highs[c], -statement.high), holds_low[index], holds_high[index])
    return could


def _could_pair(group: list[Statement]) -> list[bool]:
    """For each statement, is there a later one of the same date, or undated (a pair that is not a series)?"""
    later: dict[str, int] = defaultdict(int)
    could = [False] * len(group)
    for index in reversed(range(len(group))):
        period = group[index].period
        could[index] = later["*"] > 0 if not period else later[period] + later[""] > 0
        later[period] += 1
        later["*"] += 1
    return could


def _worst_pair(group: list[Statement]) -> tuple[str, Statement, Statement, str] | None:
    """What `_worst_pair_by_scan` gives, without comparing every pair.

    Verdict by verdict, worst first: the sweeps say which statements could start a pair with that
    verdict; the later statements are compared with the first of those, in order, until one
    does. Each sweep is linear in the group, or n log n with the Fenwick trees.
    """
    if not _regular(group):
        return _worst_pair_by_scan(group)
    for verdict, could in ((INCONSISTENT, _could_conflict), (WITHIN_ROUNDING, _could_differ), (CONSISTENT, _could_pair)):
        for index, possible in enumerate(could(group)):
            if not possible:
                continue
            a = group[index]
            for b in itertools.islice(group, index + 1, None):
                found = _pair(a, b)
                if found is not None and found[0] == verdict:
                    return verdict, a, b, found[1]
    return None


def same_figure(found: list[Statement]) -> list[dict]:
    """Every statement of one subject's metric (and counterpart): values compared rounding-aware,
    dates compared; different values for different years are not a conflict and are left alone."""
    groups: dict[tuple, list[Statement]] = {}
    for statement in found:
        groups.setdefault((statement.subject, statement.metric, statement.counterpart), []).append(statement)
    rows = []
    for (subject, metric, counterpart), group in groups.items():
        claim_ids = [claim for statement in group for claim in statement.claim_ids]
        if len(claim_ids) < 2:
            continue
        what = f"{possessive(subject)} {words(metric)}" + _counterpart(metric, counterpart)
        # (verdict, a, b, reason): the first pair with the worst verdict; two values of two years are a series, not a conflict.
        worst = (CONSISTENT, group[0], group[0], "value") if len(group) == 1 else _worst_pair(group)
        if worst is None:
            continue
        verdict, a, b, reason = worst

        def cite(statement: Statement) -> str:
            return f"{statement.as_written} ({', '.join(statement.claim_ids)}{', ' + statement.period if statement.period else ''})"

        if len(group) == 1:
            explanation = f"{what}: {a.source_id} states it {len(a.claim_ids)} times ({', '.join(a.claim_ids)}), always as {a.as_written}" + (f" for {a.period}." if a.period else ".")
        elif reason == "date":
            explanation = f"{what} is {a.as_written} for {a.period} in {a.source_id} ({', '.join(a.claim_ids)}) and {b.as_written} for {b.period} in {b.source_id} ({', '.join(b.claim_ids)}): one figure dated to two different years."
        elif verdict == CONSISTENT:
            explanation = f"{what}: stated {len(claim_ids)} times, and the statements agree: " + "; ".join(dict.fromkeys(cite(s) for s in group)) + "."
        elif verdict == WITHIN_ROUNDING:
            explanation = f"{what} is {cite(a)} and {cite(b)}: the same figure within rounding."
        else:
            explanation = f"{what} is {cite(a)} but {cite(b)}: the statements disagree."
        if verdict != INCONSISTENT and any(not s.period for s in group) and any(s.period for s in group):
            undated = sorted(claim for s in group if not s.period for claim in s.claim_ids)
            explanation = explanation.rstrip(".") + f"; {', '.join(undated)} give{'s' if len(undated) == 1 else ''} no year."
        compared = f"claim {b.claim_ids[0]} ({b.as_written})" if b is not a else "its restatements: " + ", ".join(a.claim_ids[1:])
        rows.append(_row("same_figure", claim_ids, a, b.low, compared,
                         verdict, explanation))
    return rows


def _clusters_by_scan(group: list[Statement]) -> list[list[Statement]]:
    """The statements linked by overlapping admitted values, directly or through others: each
    statement compared with every cluster so far."""
    clusters: list[list[Statement]] = []
    for statement in group:
        linked = [cluster for cluster in clusters if any(_overlap(statement.admitted(), other.admitted()) for other in cluster)]
        merged = [statement] + [member for cluster in linked for member in cluster]
        clusters = [cluster for cluster in clusters if cluster not in linked] + [merged]
    return clusters


def _sweep(ordered: list[Statement], slack: float) -> list[list[Statement]]:
    """Statements sorted by the low end of their admitted values, cut where a low end lies more
    than `slack` above every high end before it: the clusters of intervals widened by `slack`."""
    clusters: list[list[Statement]] = []
    reach = -math.inf
    for statement in ordered:
        low, high = statement.admitted()
        if not clusters or low > reach + slack:
            clusters.append([])
            reach = -math.inf
        clusters[-1].append(statement)
        reach = max(reach, high)
    return clusters


def _clusters(group: list[Statement]) -> list[list[Statement]]:
    """What `_clusters_by_scan` gives (the same clusters, not in the same order), by sorting and
    sweeping: clusters with the tolerance at its largest (`_slack`) contain the true ones, and
    clusters without tolerance lie inside them; where the two agree, so does `_overlap`. Only
    where they do not (figures within a rounding tolerance of touching) is every pair compared."""
    if not _regular(group):
        return _clusters_by_scan(group)
    slack = _slack(group)
    clusters = []
    for wide in _sweep(sorted(group, key=lambda statement: statement.admitted()[0]), slack):
        narrow = _sweep(wide, 0.0)
        clusters += [wide] if len(narrow) == 1 else _clusters_by_scan(wide)
    return clusters


def same_number_different_measure(found: list[Statement]) -> list[dict]:
    """One number given for different measures of one family ("over 90%" of magnet processing
    capacity in one place, of magnet production in another): a reader cannot tell them apart."""
    groups: dict[tuple, list[Statement]] = {}
    for statement in found:
        if statement.metric in metadata.MEASURES:
            groups.setdefault((statement.subject, statement.counterpart, metadata.MEASURES[statement.metric][0]), []).append(statement)
    rows = []
    for (subject, _whole, family), group in groups.items():
        # Clusters: statements linked by overlapping values, whatever their metric.
        for cluster in _clusters(group):
            metrics_in = list(dict.fromkeys(statement.metric for statement in sorted(cluster, key=lambda s: s.claim_ids[0])))
            if len(metrics_in) < 2:
                continue
            cluster = sorted(cluster, key=lambda s: s.claim_ids[0])
            named = [metric for metric in metrics_in if metadata.MEASURES[metric][1]]
            unnamed = [metric for metric in metrics_in if not metadata.MEASURES[metric][1]]

            # Called only within this iteration, so the loop's current `cluster` is the one meant.
            def listing(metric: str, members: list[Statement] | None = None) -> str:
                members = members if members is not None else [s for s in cluster if s.metric == metric]  # noqa: B023
                ids = ", ".join(claim for s in members for claim in s.claim_ids)
                return f"{metadata.MEASURES[metric][1] or words(metric)} ({' / '.join(dict.fromkeys(s.as_written for s in members))}: {ids})"

            values = " / ".join(dict.fromkeys(s.as_written for s in cluster))
            members = {id(s) for s in cluster}
            others = [s for s in group if id(s) not in members]
            rest = ""
            if others:
                by_metric: dict[str, list[Statement]] = {}
                for s in others:
                    by_metric.setdefault(s.metric, []).append(s)
                rest = "; other figures of the family differ: " + ", ".join(listing(metric, members) for metric, members in by_metric.items())
            if len(named) >= 2:
                verdict = INCONSISTENT
                articles = {}
                for s in cluster:
                    articles.setdefault(s.source_id, set()).add(s.metric)
                within = [source for source, in_source in articles.items() if len(in_source) > 1]
                also = f"; {', '.join(within)} itself gives it for {'two' if all(len(articles[s]) == 2 for s in within) else 'several'} of them" if within else ""
                explanation = (f"The same figure ({values}) is {possessive(subject)} {family} for {len(named)} different measures: "
                               + ", ".join(listing(metric) for metric in named)
                               + (", and " + ", ".join(listing(metric) for metric in unnamed) if unnamed else "")
                               + f"; a reader cannot tell which one a bare figure refers to{also}{rest}.")
            else:
                verdict = CONSISTENT
                explanation = (f"{possessive(subject)} {', '.join(listing(metric) for metric in unnamed)} is not said to be of value or of quantity; "
                               f"it is the same figure as the share of {listing(named[0])}{rest}.")
            first = cluster[0]
            check_ids = [claim for s in cluster for claim in s.claim_ids]
            rows.append(_row("same_number_different_measure", check_ids, first, None,
                             "the same number for: " + ", ".join(metadata.MEASURES[m][1] or "unspecified" for m in metrics_in), verdict, explanation))
    return rows


# --- reference -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    edition: str
    value: float | None  # in the statement's unit; None where USGS gives no figure
    spread: tuple[float, float] | None
    words: str  # what USGS says, for the sentence


def _usgs_row(usgs: pd.DataFrame, edition: str, measure: str, country: str, year: str) -> pd.Series | None:
    if country == "world":
        try:
            return world_total(usgs, edition, measure, year)
        except KeyError:
            return None
    rows = usgs[(usgs.edition == edition) & (usgs.measure == measure) & (usgs.country == country) & (usgs.year == year)]
    if len(rows) != 1 or pd.isna(rows.iloc[0].value_t):
        return None
    return rows.iloc[0]


def _usgs_span(row: pd.Series) -> tuple[float, float]:
    value = float(row.value_t)
    half = usgs_half_step(value)
    return value - half, math.inf if row.greater_than == "yes" else value + half


def _year(usgs: pd.DataFrame, edition: str, statement: Statement) -> str:
    """The production year compared: the statement's, or the edition's latest if it gives none."""
    if statement.period:
        return str(metrics.period_end_year(statement.period))
    years = usgs[(usgs.edition == edition) & (usgs.measure == "mine_production")].year
    return max(years, default="")


def reference_for(statement: Statement, usgs: pd.DataFrame, edition: str) -> Reference:
    """What one USGS edition gives for a statement's figure: the value, the share, or the rank."""
    measure = USGS_MEASURE[statement.metric]
    year = _year(usgs, edition, statement) if measure == "mine_production" else ""
    when = f" in {year}" if year else ""
    if statement.metric in ("reserves", "production"):
        row = _usgs_row(usgs, edition, measure, statement.subject, year)
        if row is None:
            return Reference(edition, None, None, f"{edition} gives no figure{when}")
        shown = show(float(row.value_t), "t", display_unit("t", statement.low))
        more = "more than " if row.greater_than == "yes" else ""
        estimated = " (estimated)" if row.estimated == "yes" else ""
        return Reference(edition, float(row.value_t), _usgs_span(row), f"{edition} gives {more}{shown}{when}{estimated}")
    if statement.metric.endswith("_share"):
        part, whole = _usgs_row(usgs, edition, measure, statement.subject, year), _usgs_row(usgs, edition, measure, "world", year)
        if part is None or whole is None:
            return Reference(edition, None, None, f"{edition} gives no figure{when}")
        value = 100 * float(part.value_t) / float(whole.value_t)
        spread_part, spread_whole = _usgs_span(part), _usgs_span(whole)
        spread = (100 * spread_part[0] / spread_whole[1], 100 * spread_part[1] / spread_whole[0])
        unit = display_unit("t", float(whole.value_t))
        if whole.greater_than == "yes":
            words = (f"{edition} gives {show(float(part.value_t), 't', unit)} of a world total of more than "
                     f"{show(float(whole.value_t), 't', unit)}{when}, so at most {number(value)}%")
            value = math.nan  # only a bound: the comparison rests on the spread
        else:
            words = f"{edition} gives {show(float(part.value_t), 't', unit)} of {show(float(whole.value_t), 't', unit)}{when}, {number(value)}%"
        return Reference(edition, value, spread, words)
    # reserve_rank: the subject's place among the countries USGS lists with a figure.
    table = usgs[(usgs.edition == edition) & (usgs.measure == measure) & ~usgs.country.isin(NOT_COUNTRIES)].dropna(subset=["value_t"])
    table = table.sort_values(["value_t", "country"], ascending=[False, True])
    if statement.subject not in set(table.country):
        return Reference(edition, None, None, f"{edition} gives no figure for {statement.subject}")
    own = float(table.set_index("country").value_t[statement.subject])
    above = table[table.value_t > own]
    rank = len(above) + 1
    ahead = ", ".join(f"{row.country} {show(float(row.value_t), 't', 'Mt')}" for row in above.itertuples())
    return Reference(edition, float(rank), (rank, rank), f"in {edition} it ranks {show(rank, 'rank')}" + (f", behind {ahead}" if ahead else ""))


def _compared_with_usgs(found: list[Statement]) -> list[list[Statement]]:
    """The figures USGS can check (reserves, production, their shares and ranks), each with every
    article's statement of it: one figure stated alike in several articles is compared once."""
    merged: dict[tuple, list[Statement]] = {}
    for statement in found:
        if statement.metric in USGS_MEASURE:
            key = (statement.subject, statement.metric, statement.counterpart, statement.period, statement.low, statement.high)
            merged.setdefault(key, []).append(statement)
    return list(merged.values())


def usgs(found: list[Statement], usgs_table: pd.DataFrame) -> list[dict]:
    """Each reserve and production figure (and share and rank) against both USGS editions."""
    rows: list[dict] = []
    only_one: dict[str, list[tuple[str, Statement]]] = defaultdict(list)  # article -> (the one edition matched, figure)
    looked_up: dict[tuple, list[Reference]] = {}  # everything `reference_for` reads of a statement -> its references
    for group in _compared_with_usgs(found):
        stated = group[0]
        claim_ids = [claim for statement in group for claim in statement.claim_ids]
        key = (stated.metric, stated.subject, stated.period, display_unit("t", stated.low))
        if key not in looked_up:
            looked_up[key] = [reference_for(stated, usgs_table, edition) for edition in EDITIONS]
        references = looked_up[key]
        verdicts = {}
        for reference in references:
            if reference.spread is None:
                continue
            value = reference.value if reference.value is not None and not math.isnan(reference.value) else None
            verdicts[reference.edition] = judge(stated, value, reference.spread) if value is not None else (
                WITHIN_ROUNDING if _overlap(stated.admitted(), reference.spread) else INCONSISTENT)
        what = f"{_subject(stated).capitalize() if stated.subject == 'world' else stated.subject}'s {words(stated.metric)}"
        what += f" ({stated.period})" if stated.period else ""
        if not verdicts:
            rows.append(_row("usgs", claim_ids, stated, None, "USGS MCS2024 and MCS2025 (no figure)", NOT_REPRODUCIBLE,
                             f"{what}, {stated.as_written}: " + "; ".join(r.words for r in references) + "."))
            continue
        best = min(verdicts.values(), key=_WORST.get)
        matched = [edition for edition, verdict in verdicts.items() if verdict == best]
        candidates = [r for r in references if r.edition in (matched if best != INCONSISTENT else verdicts)]
        numeric = [r for r in candidates if r.value is not None and not math.isnan(r.value)]
        shown = (numeric or candidates)[-1]  # the newest edition matched, preferring one with a number
        if best == INCONSISTENT:
            compared = "USGS " + " and ".join(verdicts) + " (matches neither)"
            explanation = f"{what}, {stated.as_written}, matches neither USGS edition: " + "; ".join(r.words for r in references) + "."
        else:
            compared = "USGS " + " and ".join(matched)
            how = "matches" if best == CONSISTENT else "matches within rounding"
            others = [r.words for r in references if r.edition not in matched]
            explanation = (f"{what}, {stated.as_written}, {how} USGS {' and '.join(matched)}: "
                           + "; ".join(r.words for r in references if r.edition in matched)
                           + (f"; but {'; '.join(others)}" if others else "") + ".")
        if not statement_dated_as_usgs(stated):
            explanation = explanation.rstrip(".") + "; the article gives no year, so each edition's latest year is used."
        value = shown.value if shown.value is not None and not math.isnan(shown.value) else None
        rows.append(_row("usgs", claim_ids, stated, value, compared, best, explanation))
        if best != INCONSISTENT and len(matched) == 1:
            for statement in group:
                only_one[statement.source_id].append((matched[0], statement))
    return rows + one_edition(only_one)


def one_edition(only_one: dict[str, list[tuple[str, Statement]]]) -> list[dict]:
    """An article whose figures each match only one USGS edition: do they all match the same one?"""
    rows = []
    for source_id, matches in sorted(only_one.items()):
        if len(matches) < 2:
            continue
        by_edition: dict[str, list[Statement]] = {}
        for edition, statement in sorted(matches, key=lambda match: match[1].claim_ids[0]):
            by_edition.setdefault(edition, []).append(statement)

        def listing(statements: list[Statement]) -> str:
            return ", ".join(f"{possessive(_subject(s))} {words(s.metric)} {s.as_written} ({s.claim_ids[0]})" for s in statements)

        first = matches[0][1]
        claim_ids = [claim for _, statement in matches for claim in statement.claim_ids]
        if len(by_edition) == 1:
            (edition, statements), = by_edition.items()
            rows.append(_row("one_edition", claim_ids, first, None, f"USGS {edition}", CONSISTENT,
                             f"{source_id}'s figures that match only one USGS edition all match {edition}: {listing(statements)}."))
        else:
            parts = "; ".join(f"{listing(statements)} match only {edition}" for edition, statements in sorted(by_edition.items()))
            rows.append(_row("one_edition", claim_ids, first, None, "USGS " + " and ".join(sorted(by_edition)), INCONSISTENT,
                             f"{source_id} mixes the two USGS editions: {parts}; the figures are not from one consistent set."))
    return rows


def statement_dated_as_usgs(statement: Statement) -> bool:
    """Production figures need a year to be compared; reserves and ranks are as of each edition."""
    return USGS_MEASURE[statement.metric] != "mine_production" or bool(statement.period)


# --- the audit -----------------------------------------------------------------------------------

RULES = {
    "share_of_whole": share_of_whole,
    "implied_whole": implied_whole,
    "parts_of_whole": parts_of_whole,
    "growth_rate": growth_rate,
    "rank_from_figures": rank_from_figures,
    "same_figure": same_figure,
    "same_number_different_measure": same_number_different_measure,
}


def audit(claims: pd.DataFrame, usgs_table: pd.DataFrame) -> pd.DataFrame:
    """Every check, one row each, in the order of kinds and rules, then by check id."""
    found = statements(claims)
    rows = [row for rule in RULES.values() for row in rule(found)] + usgs(found, usgs_table)
    types = {column.name: "str" if column.kind == "string" else "float64" for column in metadata.AUDIT.columns}
    table = pd.DataFrame(rows, columns=metadata.AUDIT.names).astype(types)  # typed even when empty
    order = {rule: index for index, rule in enumerate(metadata.CHECK_RULES)}
    table = table.assign(_order=table.rule.map(order)).sort_values(["_order", "check_id"]).drop(columns="_order")
    return table.reset_index(drop=True)


def build(output: Path | None = None, claims_path: Path | None = None, usgs_path: Path | None = None) -> Path:
    """The audit step: read the processed claims and USGS tables, write data/processed/audit.csv."""
    from . import claims, reference

    table = audit(claims.load(claims_path), reference.load(usgs_path))
    return write_processed(metadata.AUDIT, table, output or paths.PROCESSED_AUDIT_CSV)


def load(path: Path | None = None) -> pd.DataFrame:
    return read_processed(metadata.AUDIT, path or paths.PROCESSED_AUDIT_CSV)


# --- for the notebook ----------------------------------------------------------------------------


def edition_differences(claims: pd.DataFrame, usgs_table: pd.DataFrame) -> pd.DataFrame:
    """How far each reserve and production figure (and share) is from each USGS edition, in percent
    of USGS's value; ranks and shares of a world USGS gives only as a bound are left out."""
    rows = []
    for group in _compared_with_usgs(statements(claims)):
        stated = group[0]
        if stated.metric == "reserve_rank":
            continue
        for edition in EDITIONS:
            found = reference_for(stated, usgs_table, edition)
            if found.value is None or math.isnan(found.value):
                continue
            unit = display_unit(stated.unit, stated.low)
            factor = Quantity(1, stated.unit).to(unit).magnitude if unit != stated.unit else 1.0
            whose = "world" if stated.subject == "world" else possessive(stated.subject)
            label = f"{whose} {words(stated.metric)}" + (f" ({stated.period})" if stated.period else "")
            rows.append({"figure": label, "claim_ids": SEPARATOR.join(claim for s in group for claim in s.claim_ids),
                         "edition": edition, "stated": stated.low * factor, "usgs": found.value * factor, "unit": unit,
                         "difference_pct": 100 * (stated.low - found.value) / found.value})
    return pd.DataFrame(rows, columns=["figure", "claim_ids", "edition", "stated", "usgs", "unit", "difference_pct"])



def rules_table() -> pd.DataFrame:
    """The rules, each with its kind and what it checks, from the metadata vocabulary."""
    return pd.DataFrame([{"kind": kind, "rule": rule, "what it checks": meaning} for rule, (kind, meaning) in metadata.CHECK_RULES.items()])


def counts(table: pd.DataFrame) -> pd.DataFrame:
    """Checks by kind (rows) and verdict (columns), every kind and verdict shown, with totals."""
    counted = pd.crosstab(pd.Categorical(table.kind, categories=list(metadata.CHECK_KINDS)),
                          pd.Categorical(table.verdict, categories=list(metadata.VERDICTS)), dropna=False)
    counted.index.name, counted.columns.name = "kind", "verdict"
    counted["total"] = counted.sum(axis=1)
    counted.loc["total"] = counted.sum()
    return counted


def with_quotes(table: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Each check with the quotes of its claims, each prefixed by its claim id."""
    quotes = claims.set_index("claim_id").quote
    return table.assign(quotes=[" | ".join(f"{claim}: “{quotes[claim]}”" for claim in ids.split(SEPARATOR)) for ids in table.claim_ids])


def headlines(table: pd.DataFrame) -> pd.DataFrame:
    """The findings a reader should see first: every inconsistent check, references and cross-source first."""
    order = {kind: index for index, kind in enumerate(("reference", "cross_source", "recomputation"))}
    found = table[table.verdict == INCONSISTENT]
    return found.assign(_order=found.kind.map(order)).sort_values(["_order", "check_id"]).drop(columns="_order").reset_index(drop=True)
