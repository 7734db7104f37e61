"""Synthetic claims tables many times the size of the real one, for the scaling benchmark.

Every synthetic row is a copy of a real row of data/raw/claims.csv, so the table keeps the real
mix of metrics, counterparts, qualifiers, periods and units as written (each unit still fits its
metric). In each copy:

- the subject is drawn at random from the subjects of data/raw/subjects.csv;
- the number is perturbed in the format it is written in: "44" -> "37", "6.9" -> "8.1",
  "1,345" -> "1,702", "180-202" -> "151-199" (still a range, low below high, `range_low` and
  `range_high` updated), "six to eight" -> "three to twelve", "two-thirds" -> "one-quarter",
  "fifth" -> "second"; a zero written as a word ("no") stays as it is, as a zero scaled does;
- the quote is the real quote with the new number in place of the old one, so the number is still
  found in its quote.

With `perturb=False` the number and quote stay the real ones; `synthetic_articles` then gives an
article for every synthetic source in which every quote occurs once, so the quote checks
(`claims.check_claims`) can be run on the copies too.

Ids. A raw claim id is `a<NNN>-<NN>`. Row k of a synthetic table is `a{k // 100:03d}-{k % 100:02d}`
and its source is the id's prefix: 1,000 sources of 100 claims each (numbers 00 to 99; the real
table numbers from 01, and the schema allows 00), exactly 100,000 ids, which is the largest table
the benchmark times. A synthetic article thus holds at most 100 claims, as a long real one might.
Every table validates against `schemas.RAW_CLAIMS`.

Deterministic: the same size and seed give the same table on every machine (NumPy's PCG64).
"""

from __future__ import annotations

import calendar
import datetime
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from rare_earths.data import quotes, schemas, units
from rare_earths.data.provenance import load_articles, load_sources
from rare_earths.data.subjects import load as load_subjects
from rare_earths.data.tables import read_raw
from rare_earths.project import Project

# The project this checkout is: what the benchmarks build and time.
PROJECT = Project(Path(__file__).resolve().parents[1])

MAX_ROWS = 100_000  # 1,000 sources x 100 claim numbers: every id the raw schema allows

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(rf"^(?:{_DIGITS})$")
_DASH_RANGE = re.compile(rf"^({_DIGITS})(\s*[-–—]\s*)({_DIGITS})$")
_WORD_RANGE = re.compile(r"^(\S+)(\s+to\s+)(\S+)$")
_FRACTION = re.compile(r"^(\w+)([-\s])(\w+)$")
_CARDINALS = sorted(units.CARDINALS, key=units.CARDINALS.get)
_ORDINALS = list(units.ORDINALS)
_FRACTIONS = [
    f"{numerator}-{denominator}"
    for numerator, denominator in (
        ("one", "half"),
        ("one", "third"),
        ("two", "thirds"),
        ("one", "quarter"),
        ("three", "quarters"),
    )
]


@cache
def real_claims() -> pd.DataFrame:
    """data/raw/claims.csv, validated (read once)."""
    return read_raw(schemas.RAW_CLAIMS, PROJECT.raw_claims_csv)


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _write(value: float, decimals: int, commas: bool) -> str:
    return f"{value:,.{decimals}f}" if commas else f"{value:.{decimals}f}"


def _scaled(text: str, factor: float) -> float:
    """`text` (digits) times `factor`, rounded to the decimals it is written with, at least one last digit."""
    decimals = _decimals(text)
    step = 10.0**-decimals
    return max(round(float(text.replace(",", "")) * factor, decimals), step)


def perturb(text: str, draws: np.ndarray, unit_as_written: str = "") -> tuple[str, str, str]:
    """(new value as written, range_low, range_high) for a value as written, from three uniform draws in [0, 1).

    The new value has the old one's format: digits with the same decimals (and thousands
    separators if it had them), a range with its low end below its high end, words for words.
    """
    stripped = text.strip()
    if stripped.lower() in units.ZERO_WORDS:  # "no new import licences": zero times any factor
        return stripped, "", ""
    if (
        unit_as_written == units.DATE_UNIT
        or stripped.split()[0].lower() in units.MONTHS
        or stripped.lower() in units.WEEKDAYS
    ):
        # A date ("April 4", "Thursday"): a day in full, so that it reads without its article's date.
        day = datetime.date(2000, 1, 1) + datetime.timedelta(days=int(draws[0] * 365 * 50))
        return f"{calendar.month_name[day.month]} {day.day}, {day.year}", "", ""
    if _NUMBER.match(stripped):
        decimals = _decimals(stripped)
        return _write(_scaled(stripped, 0.5 + draws[0]), decimals, "," in stripped), "", ""
    if match := _DASH_RANGE.match(stripped):
        low_text, dash, high_text = match.groups()
        decimals = max(_decimals(low_text), _decimals(high_text))
        low = _scaled(low_text, 0.5 + draws[0])
        width = _scaled(
            _write(float(high_text.replace(",", "")) - float(low_text.replace(",", "")), decimals, False),
            0.5 + draws[1],
        )
        high = round(low + width, decimals)
        written = _write(low, decimals, "," in low_text) + dash + _write(high, decimals, "," in high_text)
        return written, _write(low, decimals, False), _write(high, decimals, False)
    if (match := _WORD_RANGE.match(stripped)) and match.group(1).lower() in units.CARDINALS:
        first = int(draws[0] * (len(_CARDINALS) - 1))
        second = first + 1 + int(draws[1] * (len(_CARDINALS) - 1 - first))
        low, high = _CARDINALS[first], _CARDINALS[second]
        return f"{low}{match.group(2)}{high}", str(units.CARDINALS[low]), str(units.CARDINALS[high])
    if stripped.lower() in units.ORDINALS:
        return _ORDINALS[int(draws[0] * len(_ORDINALS))], "", ""
    if stripped.lower() in units.RANK_WORDS:  # "largest" ranks first whatever the table: kept as written
        return stripped, "", ""
    if stripped.lower() in units.CARDINALS:
        return _CARDINALS[int(draws[0] * len(_CARDINALS))], "", ""
    if _FRACTION.match(stripped):
        return _FRACTIONS[int(draws[0] * len(_FRACTIONS))], "", ""
    raise ValueError(f"no way to perturb the value as written {text!r}")


def claim_id(k: int) -> str:
    """The id of row `k` (0-based) of a synthetic table: 100 claims per source."""
    if not 0 <= k < MAX_ROWS:
        raise ValueError(f"row {k} is beyond the {MAX_ROWS:,} ids the raw claim-id pattern allows")
    return f"a{k // 100:03d}-{k % 100:02d}"


def synthetic_table(rows: int, seed: int = 0, *, perturb_values: bool = True) -> pd.DataFrame:
    """A raw claims table of `rows` rows made from the real ones (see the module docstring).

    The real rows are used round-robin, so each appears `rows // 81` or one more times, in a
    shuffled order.
    """
    if not 0 <= rows <= MAX_ROWS:
        raise ValueError(f"rows must be between 0 and {MAX_ROWS:,}, got {rows}")
    real = real_claims()
    rng = np.random.default_rng(seed)
    origins = rng.permutation(np.resize(np.arange(len(real)), rows))
    names = sorted(load_subjects(PROJECT.subjects_csv).kinds)
    subjects = rng.integers(0, len(names), size=rows)
    draws = rng.random((rows, 3))
    source = real.to_dict("records")
    records = []
    for k, (origin, subject) in enumerate(zip(origins.tolist(), subjects.tolist(), strict=True)):
        row = dict(source[origin])
        row["claim_id"] = claim_id(k)
        row["source_id"] = row["claim_id"][:4]
        row["subject"] = names[subject]
        if perturb_values:
            old = row["value_as_written"]
            new, range_low, range_high = perturb(old, draws[k], row["unit_as_written"])
            start = quotes.find_number(row["quote"], old)[0]
            row["quote"] = row["quote"][:start] + new + row["quote"][start + len(old) :]
            row["value_as_written"], row["range_low"], row["range_high"] = new, range_low, range_high
        records.append(row)
    return pd.DataFrame.from_records(records, columns=schemas.RAW_CLAIMS.names).astype(
        str
    )  # str even when empty, as read_raw gives


def synthetic_claims(factor: int, seed: int = 0, *, perturb_values: bool = True) -> pd.DataFrame:
    """A raw claims table `factor` times the size of data/raw/claims.csv (each real row `factor` times)."""
    if factor < 0:
        raise ValueError(f"factor must not be negative, got {factor}")
    return synthetic_table(factor * len(real_claims()), seed, perturb_values=perturb_values)


@cache
def _all_articles() -> str:
    articles = load_articles(load_sources(PROJECT.sources_csv, PROJECT.articles), PROJECT.articles)
    return "\n\n".join(articles[source_id] for source_id in sorted(articles))


def synthetic_articles(table: pd.DataFrame) -> dict[str, str]:
    """An article for every source of a table made with `perturb_values=False`: the five real
    articles one after another (one shared string), in which every real quote occurs once."""
    text = _all_articles()
    return {source_id: text for source_id in table.source_id.unique()}
