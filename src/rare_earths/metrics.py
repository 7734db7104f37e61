"""The articles' calculations, as pure functions on pint quantities and on low-high figures.

Growth: `cagr` (the rate between two values) and `project` (a value compounded at a rate) are
inverses; `growth_multiple` is what a rate does to a value over some years. Shares, prices and
gaps are plain ratios that keep their units until displayed.

Ranges: `over_range` applies any of these to `Figure`s (a value or a low-high range) by evaluating
it at every combination of the ends and keeping the lowest and highest result. That is exact for
functions that are monotonic in each argument, which every function here is over positive inputs.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pint

from rare_earths.data.units import Figure, Quantity, ureg

PERCENT = ureg.percent


def _dimensionless(quantity: pint.Quantity | float) -> float:
    if isinstance(quantity, pint.Quantity):
        return float(quantity.to("dimensionless").magnitude)
    return float(quantity)


def _years(years: pint.Quantity | float) -> float:
    """A number of years, given as a time quantity or a plain number of years."""
    if isinstance(years, pint.Quantity):
        return float(years.to("year").magnitude)
    return float(years)


def cagr(start: pint.Quantity, end: pint.Quantity, years: pint.Quantity | float) -> pint.Quantity:
    """Compound annual growth rate from `start` to `end` over `years`, in percent."""
    span = _years(years)
    if span <= 0:
        raise ValueError(f"a growth rate needs a positive number of years, got {years}")
    if _dimensionless(start / start.units) == 0 if isinstance(start, pint.Quantity) else start == 0:
        raise ValueError("a growth rate needs a non-zero start value")
    ratio = _dimensionless(end / start)
    if ratio <= 0:
        raise ValueError(f"a growth rate needs values of the same sign, got {start} and {end}")
    return Quantity((ratio ** (1 / span) - 1) * 100, PERCENT)


def growth_multiple(rate: pint.Quantity, years: pint.Quantity | float) -> float:
    """How many times a value grows at `rate` a year over `years`: (1 + rate) ** years."""
    return (1 + _dimensionless(rate)) ** _years(years)


def project(start: pint.Quantity, rate: pint.Quantity, years: pint.Quantity | float) -> pint.Quantity:
    """`start` compounded at `rate` a year for `years`; the inverse of `cagr`."""
    return start * growth_multiple(rate, years)


def yearly_path(start: pint.Quantity, rate: pint.Quantity, first_year: int, last_year: int) -> pd.DataFrame:
    """The compound path year by year: columns `year` and `value` (magnitude in start's unit)."""
    rows = [
        {"year": year, "value": project(start, rate, year - first_year).to(start.units).magnitude}
        for year in range(first_year, last_year + 1)
    ]
    return pd.DataFrame(rows)


def share(part: pint.Quantity, whole: pint.Quantity) -> pint.Quantity:
    """`part` as a percentage of `whole` (same dimension, any units)."""
    return (part / whole).to(PERCENT)


def part_of(whole: pint.Quantity, percentage: pint.Quantity) -> pint.Quantity:
    """The part that `percentage` of `whole` is; the inverse of `share`."""
    return whole * percentage.to("dimensionless")


def unit_price(value: pint.Quantity, quantity: pint.Quantity, unit: str = "USD / kg") -> pint.Quantity:
    """Price per unit of quantity, e.g. USD 30 million for 700 t -> USD per kg."""
    return (value / quantity).to(unit)


def ratio(numerator: pint.Quantity, denominator: pint.Quantity) -> float:
    """A dimensionless ratio of two quantities of one dimension (e.g. capacity over demand)."""
    return _dimensionless(numerator / denominator)


def over_range(function: Callable[..., pint.Quantity | float], *arguments: Figure | pint.Quantity | float) -> Figure:
    """`function` applied to figures that may be ranges: the lowest and highest result over the ends."""
    ends = [(argument.low, argument.high) if isinstance(argument, Figure) else (argument,) for argument in arguments]
    results = [function(*combination) for combination in itertools.product(*ends)]
    results = [result if isinstance(result, pint.Quantity) else Quantity(result, "dimensionless") for result in results]
    unit = results[0].units
    magnitudes = [result.to(unit).magnitude for result in results]
    return Figure(Quantity(min(magnitudes), unit), Quantity(max(magnitudes), unit))


# --- periods -------------------------------------------------------------------------------------

_SPAN = re.compile(r"^(\d{4})-(\d{4})$")
_FISCAL = re.compile(r"^FY(\d{4})-(\d{2})$")


def span_years(period: str) -> int:
    """The years a span covers for growth: "2018-2023" -> 5 (five compounding steps)."""
    match = _SPAN.match(period)
    if match is None:
        raise ValueError(f"not a span of years: {period!r} (expected e.g. '2018-2023')")
    first, last = int(match.group(1)), int(match.group(2))
    if last <= first:
        raise ValueError(f"span {period!r} does not run forward")
    return last - first


def period_end_year(period: str) -> int:
    """The calendar year a period ends in: "2023" -> 2023, "2018-2023" -> 2023, "FY2024-25" -> 2025."""
    if re.fullmatch(r"\d{4}", period):
        return int(period)
    if match := _SPAN.match(period):
        return int(match.group(2))
    if match := _FISCAL.match(period):
        return int(match.group(1)) + 1
    raise ValueError(f"not a period: {period!r}")


# --- rounding ------------------------------------------------------------------------------------


def decimals_of(value_as_written: str) -> int:
    """How many decimals a figure was written with: "67" -> 0, "11.6" -> 1, "1,345" -> 0."""
    number = value_as_written.replace(",", "")
    return len(number.split(".")[1]) if "." in number else 0


def significant_digits(value_as_written: str) -> int:
    """How many significant digits a figure was written with: "16,300" -> 3, "1,345" -> 4,
    "18,000" -> 2, "6.9" -> 2, "0.05" -> 1 (trailing zeros of a whole number are read as rounding)."""
    digits = value_as_written.replace(",", "")
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0")) or 1
    return len(digits.lstrip("0").rstrip("0")) or 1


def to_significant(value: float, digits: int) -> float:
    """`value` rounded to `digits` significant digits: (1.9274e8, 3) -> 1.93e8."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def rounds_to(computed: float, stated: float, decimals: int) -> bool:
    """Does `computed`, rounded as a writer would (half away from zero), give `stated` at `decimals` places?

    Rounds the shortest decimal that represents each float (its repr), not its binary value: 0.285
    is stored just below 0.285, yet a writer who sees 0.285 writes 0.29.
    """
    step = Decimal(1).scaleb(-decimals)
    as_written = Decimal(repr(float(computed))).quantize(step, rounding=ROUND_HALF_UP)
    return as_written == Decimal(repr(float(stated))).quantize(step, rounding=ROUND_HALF_UP)
