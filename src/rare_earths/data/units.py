"""The project's pint registry, and the parser that reads figures as the articles write them.

`ureg` is built from `units.txt` alone: see that file for why it does not extend pint's defaults
(plain `ton` would be the short ton and `kt` the knot). Every quantity in the project is a
`ureg.Quantity` until it is displayed.

The parser reads a figure in two parts, as `data/raw/claims.csv` records it: the number as written
("1,345", "180-202", "six to eight", "two-thirds", "fifth", "no") and the unit as written ("₹ crore",
"USD million", "million metric tons", "kg annual", "per cent"). `parse_quantity` reads both from one
string ("₹1,345 crore", "44 million metric tons").

A zero is written as a word: "no" ("no new import licences"), "none" or "zero" (`ZERO_WORDS`), all
read as 0. The parser reads the word alone; whether a "no" in running prose is a quantity at all is
for `rare_earths.data.coverage` to decide.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pint

UNITS_FILE = Path(__file__).with_name("units.txt")
RESOURCES = (UNITS_FILE,)  # read when this module is imported: a step that imports it depends on it


class UnitParseError(ValueError):
    """A figure whose number or unit the project does not know how to read."""


def build_registry() -> pint.UnitRegistry:
    """A fresh registry from units.txt; any redefinition inside that file is an error."""
    registry = pint.UnitRegistry(str(UNITS_FILE), on_redefinition="raise", cache_folder=None)
    # Unit strings written to data/processed/ use the symbols below, not pint's long names.
    registry.formatter.default_format = "~"
    return registry


ureg = build_registry()
Quantity = ureg.Quantity
pint.set_application_registry(ureg)


@dataclass(frozen=True)
class Figure:
    """A figure as stated: one value, or a low-high range. Both ends carry the same unit."""

    low: pint.Quantity
    high: pint.Quantity

    def __post_init__(self) -> None:
        if self.low.units != self.high.units:
            raise ValueError(f"range ends in different units: {self.low.units} and {self.high.units}")
        if self.low.magnitude > self.high.magnitude:
            raise ValueError(f"range low {self.low} is above high {self.high}")

    @classmethod
    def point(cls, value: pint.Quantity) -> Figure:
        return cls(value, value)

    @property
    def is_range(self) -> bool:
        return self.low.magnitude != self.high.magnitude

    @property
    def units(self) -> pint.Unit:
        return self.low.units

    def to(self, unit: str | pint.Unit, *contexts: str, **context_params: float) -> Figure:
        return Figure(
            self.low.to(unit, *contexts, **context_params),
            self.high.to(unit, *contexts, **context_params),
        )


# --- numbers -------------------------------------------------------------------------------------

CARDINALS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
# A rank written as a word that is not an ordinal: "China holds the largest reserves" (1st), "the
# highest figure in four years" (1st). "Follows" and "followed by" rank the subject next after the
# one its sentence calls the largest ("Brazil follows with 21 million metric tons"): 2nd. Read only
# as a rank claim's value; `rare_earths.data.coverage` finds every one in the articles.
RANK_WORDS = {"largest": 1, "biggest": 1, "highest": 1, "follows": 2, "followed": 2}
# Zero written as a word: "no rare earth magnets have been imported", "none", "zero", and an export
# "ban" or "halt", which lets nothing through. Kept apart from CARDINALS, which `rare_earths.data.coverage`
# counts as numbers wherever they stand: a "no" is a number only in a quantity context, which
# coverage decides; the others are numbers wherever they stand.
ZERO_WORDS = {"no": 0, "none": 0, "zero": 0, "ban": 0, "halt": 0}
# The zero words that say a flow stopped: only a flow (permits, imports: `Metric.flow`) can be banned.
STOP_WORDS = frozenset({"ban", "halt"})
# Denominators of fractions written in words: "two-thirds", "one-half", "three-quarters".
FRACTION_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}

_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"  # ASCII digits only: "２０２５" is not read
_RANGE_DASH = re.compile(rf"^({_DIGITS})\s*[-–—]\s*({_DIGITS})$")
_RANGE_TO = re.compile(r"^(\S+)\s+to\s+(\S+)$")
_FRACTION = re.compile(r"^(\w+)[-\s](\w+)$")


def _single_number(text: str) -> float | None:
    if re.fullmatch(_DIGITS, text):
        return float(text.replace(",", ""))
    word = text.lower()
    value = CARDINALS.get(word, ZERO_WORDS.get(word))
    return None if value is None else float(value)


def parse_number(text: str) -> tuple[float, float]:
    """Read a number as written: returns (low, high), equal unless the text is a range.

    >>> parse_number("1,345"), parse_number("180-202"), parse_number("six to eight"), parse_number("no")
    ((1345.0, 1345.0), (180.0, 202.0), (6.0, 8.0), (0.0, 0.0))
    """
    stripped = text.strip()
    single = _single_number(stripped)
    if single is not None:
        return single, single
    if stripped.lower() in ORDINALS or stripped.lower() in RANK_WORDS:
        rank = float(ORDINALS.get(stripped.lower(), RANK_WORDS.get(stripped.lower())))
        return rank, rank
    for pattern in (_RANGE_DASH, _RANGE_TO):
        match = pattern.match(stripped)
        if match:
            low, high = (_single_number(part) for part in match.groups())
            if low is not None and high is not None:
                return low, high
    match = _FRACTION.match(stripped)
    if match:
        numerator = CARDINALS.get(match.group(1).lower())
        denominator = FRACTION_DENOMINATORS.get(match.group(2).lower())
        if numerator is not None and denominator is not None:
            return numerator / denominator, numerator / denominator
    raise UnitParseError(f"not a number the parser can read: {text!r}")


# --- dates ---------------------------------------------------------------------------------------

# A date is stored as a number of days since 1 January 1970 in the registry's `date` unit, and a
# date as written stands for every day its words admit: "April 4, 2025" one day, "January 2025" the
# days of January, "2025" the days of the year. Words that leave out the year ("April 4", "in
# April") or give only a weekday ("on Thursday") are read as of the article's date (`as_of`): the
# latest such day on or before it, as a reader of that day's paper would. "<date>. Two days later"
# counts on from the date it names.
DATE_UNIT = "date"
EPOCH = datetime.date(1970, 1, 1)
MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_MONTH = "|".join(MONTHS)
_DAY_MONTH_YEAR = re.compile(
    rf"(?:(?P<day>[0-9]{{1,2}}) )?(?P<month>{_MONTH})(?: (?P<day2>[0-9]{{1,2}}))?,?(?: (?P<year>[0-9]{{4}}))?",
    re.ASCII,
)
_YEAR = re.compile(r"[0-9]{4}", re.ASCII)
_LATER = re.compile(r"(?P<anchor>[^.;]+?)[.,;]? (?P<count>[a-z0-9]+) days? later", re.ASCII)
# The years a date in these sources can have: a typo such as "0000" or "9999" is refused, not stored.
YEARS = range(1900, 2101)
MAX_DAYS_LATER = 366
_LONGEST_DATE = 60  # characters: "Wednesday" or "September 30, 2025. Thirty days later" fit


def day_number(day: datetime.date) -> float:
    return float((day - EPOCH).days)


def from_day_number(number: float) -> datetime.date:
    return EPOCH + datetime.timedelta(days=int(number))


def parse_date(text: str, as_of: datetime.date | None = None) -> tuple[float, float]:
    """The first and last day (as day numbers) a date as written admits, read as of `as_of`.

    A date names one day, a month or a year between 1900 and 2100 (`YEARS`), in English words and
    ASCII digits; "<day>. <N> days later" counts on from a day by 1 to 366 days. Anything else is a
    UnitParseError saying what is wrong.

    >>> as_of = datetime.date(2025, 6, 13)
    >>> [str(from_day_number(n)) for n in parse_date("April 4", as_of)]
    ['2025-04-04', '2025-04-04']
    >>> [str(from_day_number(n)) for n in parse_date("January 2025", as_of)]
    ['2025-01-01', '2025-01-31']
    >>> [str(from_day_number(n)) for n in parse_date("Thursday", as_of)]
    ['2025-06-12', '2025-06-12']
    >>> [str(from_day_number(n)) for n in parse_date("April 2, 2025. Two days later", as_of)]
    ['2025-04-04', '2025-04-04']
    """
    if len(text) > _LONGEST_DATE:
        raise UnitParseError(f"too long to be a date ({len(text)} characters): {text[:30]!r}...")
    foreign = sorted({c for c in text if not c.isascii()} - {"\u00a0"})
    if foreign:
        listed = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in foreign)
        raise UnitParseError(
            f"not a date the parser can read: {text!r} has characters that are not plain ASCII: {listed}"
        )
    words = " ".join(text.replace("\u00a0", " ").split()).lower()
    later = _LATER.fullmatch(words)
    if later:
        count = _single_number(later.group("count"))
        if count is None or not 1 <= count <= MAX_DAYS_LATER:
            raise UnitParseError(f"{text!r}: days later must be a number from 1 to {MAX_DAYS_LATER}")
        low, high = _one_date(later.group("anchor"), text, as_of)
        if low != high:
            raise UnitParseError(f"{text!r}: days later count on from one day, not from {later.group('anchor')!r}")
        return _bounded(low + count, text), _bounded(high + count, text)
    return _one_date(words, text, as_of)


def _bounded(number: float, text: str) -> float:
    if from_day_number(number).year not in YEARS:
        raise UnitParseError(f"{text!r} is outside the years {YEARS.start} to {YEARS.stop - 1}")
    return number


def _one_date(words: str, text: str, as_of: datetime.date | None) -> tuple[float, float]:
    """A date without "days later": a year, a month, a day, or a weekday (see `parse_date`)."""
    needs_date = f"{text!r} leaves out the year, so it is read as of the article's date (as_of in sources.csv), which is not given"
    try:
        if _YEAR.fullmatch(words):
            year = int(words)
            if year not in YEARS:
                raise UnitParseError(f"{text!r} is outside the years {YEARS.start} to {YEARS.stop - 1}")
            return day_number(datetime.date(year, 1, 1)), day_number(datetime.date(year, 12, 31))
        if words in WEEKDAYS:
            if as_of is None:
                raise UnitParseError(needs_date)
            back = (as_of.weekday() - WEEKDAYS[words]) % 7
            day = _bounded(day_number(as_of - datetime.timedelta(days=back)), text)
            return day, day
        match = _DAY_MONTH_YEAR.fullmatch(words)
        if match is None:
            raise UnitParseError(
                f"not a date the parser can read: {text!r} (a year, a month and year, a day, month and year, "
                "a month or day without the year, a weekday, or '<date>. Two days later')"
            )
        month = MONTHS[match.group("month")]
        day_written = match.group("day") or match.group("day2")
        year = int(match.group("year")) if match.group("year") else None
        if year is None:  # the latest such month (or day) on or before the article's date
            if as_of is None:
                raise UnitParseError(needs_date)
            year = as_of.year
            if datetime.date(year, month, int(day_written) if day_written else 1) > as_of:
                year -= 1
        if year not in YEARS:
            raise UnitParseError(f"{text!r} is outside the years {YEARS.start} to {YEARS.stop - 1}")
        if day_written:
            day = day_number(datetime.date(year, month, int(day_written)))
            return day, day
        last = calendar.monthrange(year, month)[1]
        return day_number(datetime.date(year, month, 1)), day_number(datetime.date(year, month, last))
    except (ValueError, OverflowError) as error:
        if isinstance(error, UnitParseError):
            raise
        raise UnitParseError(f"not a calendar date: {text!r} ({error})") from error


def show_date(low: float, high: float) -> str:
    """A date's interval in words: '4 April 2025', 'April 2025', '2025', or '2 April 2025 to 4 April 2025'."""
    first, last = from_day_number(low), from_day_number(high)
    if first == last:
        return f"{first.day} {calendar.month_name[first.month]} {first.year}"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return str(first.year)
    if (
        first.day == 1
        and last.day == calendar.monthrange(last.year, last.month)[1]
        and first.replace(day=1) == last.replace(day=1)
    ):
        return f"{calendar.month_name[first.month]} {first.year}"
    return f"{show_date(low, low)} to {show_date(high, high)}"


# --- units ---------------------------------------------------------------------------------------

# Words of the articles that are not unit names in the registry, and what they mean there.
# Everything else in a unit as written must be a unit the registry defines.
UNIT_WORDS = {
    "₹": "INR", "rs": "INR", "rs.": "INR", "rupees": "INR",
    "$": "USD", "us$": "USD", "dollars": "USD",
    "metric": "",  # "metric tons": the registry's ton is already the metric tonne
    "cent": "percent",  # "per cent"; the "per" before it is dropped below
    "applications": "count", "applicants": "count", "metals": "count", "rees": "count",
    "elements": "count", "member": "count", "members": "count",
    "player": "count", "players": "count", "licences": "count",  # "no Indian player has got nod"
    "facilities": "count", "agreements": "count", "firms": "count",  # "no domestic separation facilities"
}  # fmt: skip
# Words that make a figure a yearly rate: "3,000 kg annual capacity", "USD 249 million per year".
PER_YEAR_WORDS = ("per year", "a year", "per annum", "annually", "annual", "/year", "/yr", "/ year")


@cache
def parse_unit(text: str) -> pint.Unit:
    """Read a unit as written, e.g. "₹ crore", "million metric tons", "kg annual", "per cent".

    Cached: a table repeats a handful of unit strings, and each is parsed once.
    """
    words = f" {text.strip()} "
    per_year = False
    for phrase in PER_YEAR_WORDS:
        pattern = re.compile(rf"(?<=[\s\w]){re.escape(phrase)}(?=\s)", re.IGNORECASE)
        if pattern.search(words):
            per_year = True
            words = pattern.sub(" ", words)
    words = re.sub(r"\bper\s+cent\b", "cent", words, flags=re.IGNORECASE)
    factors = []
    for word in words.split():
        mapped = UNIT_WORDS.get(word.lower(), word)
        if not mapped:
            continue
        try:
            factors.append(ureg.parse_units(mapped))
        except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as error:
            raise UnitParseError(f"unknown unit {word!r} in {text!r}") from error
    if not factors:
        raise UnitParseError(f"no unit in {text!r}")
    unit = math.prod(factors[1:], start=factors[0])
    return unit / ureg.year if per_year else unit


def parse_figure(value_as_written: str, unit_as_written: str, as_of: datetime.date | None = None) -> Figure:
    """A figure from its number and unit as written, e.g. ("180-202", "kilotons"), or a date ("April 4",
    "date"), read as of its article's date `as_of` where its words leave out the year."""
    if unit_as_written == DATE_UNIT:
        low, high = parse_date(value_as_written, as_of)
        return Figure(Quantity(low, DATE_UNIT), Quantity(high, DATE_UNIT))
    low, high = parse_number(value_as_written)
    unit = parse_unit(unit_as_written)
    return Figure(Quantity(low, unit), Quantity(high, unit))


_NUMBER_IN_TEXT = re.compile(
    rf"(?:{_DIGITS})(?:\s*[-–—]\s*(?:{_DIGITS}))?"
    rf"|\b(?:{'|'.join(CARDINALS)})\s+to\s+(?:{'|'.join(CARDINALS)})\b",
    re.IGNORECASE,
)


def parse_quantity(text: str) -> Figure:
    """A figure written in one string: "₹1,345 crore", "USD 291 million", "240 kilotons", "11.6%"."""
    match = _NUMBER_IN_TEXT.search(text)
    if match is None:
        raise UnitParseError(f"no number in {text!r}")
    unit_words = f"{text[: match.start()]} {text[match.end() :]}"
    return parse_figure(match.group(), unit_words)


# --- canonical units -----------------------------------------------------------------------------

# The unit each kind of quantity is stored in under data/processed/, by dimensionality.
CANONICAL_UNITS = {
    "[mass]": "t",
    "[mass] / [time]": "t / year",
    "[currency_usd]": "USD",
    "[currency_usd] / [time]": "USD / year",
    "[currency_inr]": "crore * INR",
    "[currency_inr] / [time]": "crore * INR / year",
    "dimensionless": "percent",
    "[count]": "count",
    "[rank]": "rank",
    "[calendar_date]": DATE_UNIT,
}


# Each kind of quantity above, and each canonical unit, in a reader's words (the method page's table).
QUANTITY_WORDS = {
    "[mass]": "mass",
    "[mass] / [time]": "mass a year",
    "[currency_usd]": "an amount in US dollars",
    "[currency_usd] / [time]": "US dollars a year",
    "[currency_inr]": "an amount in Indian rupees",
    "[currency_inr] / [time]": "Indian rupees a year",
    "dimensionless": "a share or a ratio",
    "[count]": "a count",
    "[rank]": "a rank",
    "[calendar_date]": "a date",
}
CANONICAL_UNIT_WORDS = {
    "t": "tonnes (t)",
    "t / year": "tonnes a year",
    "USD": "US dollars",
    "USD / year": "US dollars a year",
    "crore * INR": "crore rupees (₹ crore)",
    "crore * INR / year": "crore rupees a year",
    "percent": "per cent (%)",
    "count": "a number of things",
    "rank": "a place in a ranking (1st, 2nd …)",
    DATE_UNIT: "a day, a month or a year",
    "week": "weeks",
    "year": "years",
}


def canonical_unit(unit: pint.Unit) -> str:
    """The canonical unit string for a quantity in `unit`; durations stay in weeks or years."""
    dimensionality = ureg.get_dimensionality(unit)
    if dimensionality == ureg.get_dimensionality("year"):
        return "week" if ureg.Unit(unit) in (ureg.day, ureg.week) else "year"
    for canonical in CANONICAL_UNITS.values():
        if ureg.get_dimensionality(canonical) == dimensionality:
            return canonical
    raise UnitParseError(f"no canonical unit for {unit} ({dimensionality})")


_AMOUNTS = ("[currency_inr]", "[currency_usd]")
_YEARLY_AMOUNTS = ("[currency_inr] / [time]", "[currency_usd] / [time]")


def is_money(quantity: pint.Quantity) -> bool:
    """An amount of money, or money per year, in either currency."""
    return any(quantity.check(dimension) for dimension in _AMOUNTS + _YEARLY_AMOUNTS)


def to_usd(quantity: pint.Quantity, usd_inr: float) -> pint.Quantity:
    """Convert a money amount (or a yearly one) to US dollars at `usd_inr` rupees per US dollar."""
    if isinstance(usd_inr, bool) or not isinstance(usd_inr, (int, float)) or not 0 < usd_inr < math.inf:
        raise ValueError(f"usd_inr must be a positive, finite number of rupees per US dollar, got {usd_inr!r}")
    per_year = any(quantity.check(dimension) for dimension in _YEARLY_AMOUNTS)
    # pint's contexts map whole dimensions only, so a yearly amount converts as an amount.
    amount = quantity * ureg.year if per_year else quantity
    dollars = amount.to("USD", "fx", usd_inr=usd_inr)
    return (dollars / ureg.year).to("USD / year") if per_year else dollars
