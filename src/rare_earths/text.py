"""How numbers and figures read, for every sentence, table and page a reader sees.

Plain fields in, text out: nothing here reads a file or knows a table. A figure "as written" is
the article's own words, cut from its quote (`as_written`), never rebuilt from the captured
fields, so "over 90%", "92 per cent", "₹1,345 crore" and "fifth" read as the article has them.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from functools import cache

from rare_earths.data.claims import PLACEHOLDER_UNITS
from rare_earths.data.units import DATE_UNIT, Quantity, UnitParseError, canonical_unit, show_date, ureg

_ZERO_WORDS = ("no", "none", "zero")
_VERBS = ("have", "has", "had", "is", "are", "was", "were", "got")
# What may stand between the words of one figure in a sentence: "$30", "50-member", "3,000 kg/year".
_JOINER = re.compile(r"[\s\-–/]*")


def number(value: float, significant: int | None = None, *, trim: bool = True) -> str:
    """The project's one number formatter, never in exponent form.

    By default, as prose shows a number: two decimals below 10, one below 1,000, whole above
    (115.8, 67.4, 3.8, 240, 15,400), and two significant digits for a figure those decimals would
    show as 0 (0.0019). With `significant`, that many significant digits (3.03,
    15,400, 0.00123), as results and tables show them. `trim` drops trailing zeros ("3.1", not
    "3.10"); a results table keeps them, to show its precision.
    """
    if significant is None:
        decimals = 2 if abs(value) < 10 else 1 if abs(value) < 1000 else 0
        if value and round(abs(value), decimals) == 0:  # 0.0019%, not "0%": a small figure is not none
            return number(value, 2, trim=trim)
    elif value == 0 or not math.isfinite(value):
        return f"{value:g}"
    else:
        decimals = max(0, significant - 1 - math.floor(math.log10(abs(value))))
        value = round(value, decimals)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if trim and "." in text else text


def date_words(iso: str) -> str:
    """A date as readers write it: '2025-08-14' -> '14 August 2025'; '' stays ''."""
    if not iso:
        return ""
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def listing(items) -> str:
    """Words joined as a sentence lists them: 'Russia', 'Russia and Vietnam', 'A, B and C'."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}" if items else ""


def ordinal(value: float) -> str:
    """1 -> '1st', 3 -> '3rd', 11 -> '11th'."""
    whole = int(round(value))
    suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
    return f"{whole}{suffix}"


def display_unit(unit: str, value: float) -> str:
    """The unit a reader expects for a value: Mt or kt for large tonnages, the canonical unit otherwise."""
    if unit == "t":
        return "Mt" if abs(value) >= 1e6 else "kt" if abs(value) >= 1e3 else "t"
    return unit


_SHOWN = {"percent": "%", "t / year": "t a year", "count": "", "week": "weeks", "year": "years"}


def unit_after(unit: str) -> str:
    """A unit as it follows a number in a table: '%' close up, '% a year', ' t a year', ' USD/kg',
    ' times', nothing for a pure number."""
    if unit in ("", "dimensionless"):
        return ""
    words = _SHOWN.get(unit, unit).replace("percent", "%").replace(" / year", " a year").replace(" / ", "/")
    return words if words.startswith("%") else f" {words}"


def show(value: float, unit: str, shown_in: str | None = None) -> str:
    """`value` (in canonical `unit`) with its unit, for a sentence: '115.8 Mt', '67.4%', '3rd',
    'USD 30 million', '₹1,345 crore', 'USD 42.9/kg', '3.2% a year'."""
    if unit == "percent":
        return f"{number(value)}%"
    if unit == "percent / year":
        return f"{number(value)}% a year"
    if unit == "count" and value == 0:  # "no new import licences", an export "ban"
        return "none"
    if unit in ("", "dimensionless", "count"):
        return number(value)
    if unit == "rank":
        return ordinal(value)
    if unit == DATE_UNIT:
        return show_date(value, value)
    if unit == "crore * INR":
        return f"₹{number(value)} crore"
    if unit.startswith("USD"):
        per = unit.removeprefix("USD").strip()
        per = {"/ year": " a year", "/ kg": "/kg"}.get(per, f" {per}" if per else "")
        return f"USD {number(value / 1e6)} million{per}" if abs(value) >= 1e6 else f"USD {number(value)}{per}"
    shown_in = shown_in or display_unit(unit, value)
    return f"{number(value * factor(unit, shown_in))} {_SHOWN.get(shown_in, shown_in)}".strip()


def show_recorded(value: float, unit: str) -> str:
    """A value with its unit as a results table writes it (pint's short form: '%', '% / yr', 'kt',
    'USD', empty for a pure number), for a sentence: read into its standard unit where it has one
    (15.4 kt is 15,400 t, shown '15.4 kt'), so it reads as every other figure does."""
    if not unit:
        return show(value, "")
    quantity = Quantity(value, unit)
    try:
        standard = canonical_unit(quantity.units)
    except UnitParseError:  # a rate of change ('% / yr') has no standard unit: its own words
        return show(value, f"{ureg.Unit(unit):D}")
    return show(float(quantity.to(standard).magnitude), standard)


@cache
def factor(unit: str, shown_in: str) -> float:
    """One `unit` in `shown_in`, as pint converts it: computed once per pair, as sentences repeat a few."""
    return float(Quantity(1.0, unit).to(shown_in).magnitude)


def interval(low: float, high: float, unit: str) -> str:
    """An interval for a sentence: '66.5% to 67.5%', '90% or more', 'up to 48.9%'."""
    if high == float("inf"):
        return f"{show(low, unit)} or more"
    if low == float("-inf"):
        return f"up to {show(high, unit)}"
    if low == high:
        return show(low, unit)
    if unit == DATE_UNIT:
        return show_date(low, high)
    shown_in = display_unit(unit, max(abs(low), abs(high)))
    return f"{show(low, unit, shown_in)} to {show(high, unit, shown_in)}"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def subject_name(subject: str) -> str:
    """A subject as a sentence names it: 'the world' for world."""
    return "the world" if subject == "world" else subject


def as_written(quote: str, value_as_written: str, unit_as_written: str, qualifier: str = "") -> str:
    """A figure in the article's own words, cut from its quote: the number with the unit words and
    the hedge that stand next to it ('over 90%', 'around USD 33 million', '50-member', '₹1,345 crore').

    A unit word the sentence puts elsewhere is left out (the fact box's '30: No. of Indian
    applicants' gives '30'); a 'mostly' hedge, which qualifies where the figure comes from, is
    not part of the figure.
    """
    if value_as_written.lower() in ("ban", "halt"):  # "export ban", "halt in exports": what is stopped
        found = re.search(rf"(?:\bexport\s+)?\b{value_as_written}\b(?:\s+in\s+exports\b)?", quote)
        if found:
            return found.group(0)
    if value_as_written.lower() in _ZERO_WORDS:  # "no rare earth magnets", "no Indian player": the words it negates
        found = re.search(rf"\b{re.escape(value_as_written)}\b(.*?)(?=\s+(?:{'|'.join(_VERBS)})\b|$)", quote)
        if found:
            return found.group(0)
    # The number as a whole: "20" is not the "20" of "in 2024, 20% of".
    found = re.search(rf"(?<!\d){re.escape(value_as_written)}(?!\d)", quote)
    start = found.start() if found else -1
    if start < 0:  # the number is not in the quote: the captured fields are all there is
        unit = "" if unit_as_written in PLACEHOLDER_UNITS else unit_as_written
        return " ".join(part for part in (qualifier, value_as_written, unit) if part)
    end = start + len(value_as_written)
    words = [word for word in unit_as_written.split() if word not in PLACEHOLDER_UNITS]
    for word in (
        piece
        for token in words
        for piece in ([token[0], token[1:]] if token[0] in "$₹" and len(token) > 1 else [token])
    ):
        end, start = _extend(quote, start, end, word)
    hedge = qualifier.lower()
    if hedge and hedge != "mostly":
        before = quote[:start].rstrip()
        if before.lower().endswith(hedge):
            start = len(before) - len(hedge)
    return quote[start:end]


def _extend(quote: str, start: int, end: int, word: str) -> tuple[int, int]:
    """Grow [start, end) to take in `word` where it stands right after or right before it."""
    after = _JOINER.match(quote, end)
    if quote.startswith(word, after.end()) and _word_ends(quote, after.end() + len(word)):
        return after.end() + len(word), start
    gap = re.search(r"[\s\-–/]*$", quote[:start])
    before = gap.start()
    if quote[:before].endswith(word) and _word_starts(quote, before - len(word)):
        return end, before - len(word)
    return end, start


def _word_ends(text: str, index: int) -> bool:
    return index >= len(text) or not text[index].isalnum()


def _word_starts(text: str, index: int) -> bool:
    return index <= 0 or not text[index - 1].isalnum() or not text[index].isalnum()
