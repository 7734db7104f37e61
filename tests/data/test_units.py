"""The project's unit registry and the parser that reads figures as the articles write them.

The traps these guard against: in pint's default registry `ton` is the short ton and `kt` is the
knot. In this project's registry both are metric (1000 kg, 1e6 kg), and a unit the registry does not
define is an error, never a guess.
"""

from __future__ import annotations

import calendar
import datetime
import math

import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rare_earths import vocabulary
from rare_earths.data.units import (
    CANONICAL_UNITS,
    ZERO_WORDS,
    Figure,
    UnitParseError,
    canonical_unit,
    day_number,
    from_day_number,
    parse_date,
    parse_figure,
    parse_number,
    parse_quantity,
    parse_unit,
    show_date,
    to_usd,
    ureg,
)

Q = ureg.Quantity
FAST = settings(max_examples=60)


def kg(unit: str) -> float:
    return Q(1, unit).to("kg").magnitude


def assert_figure(figure: Figure, low: float, high: float, unit: str) -> None:
    """`figure`, converted to its canonical unit, is low-high in `unit`."""
    canonical = canonical_unit(figure.units)
    assert canonical == unit, f"canonical unit of {figure.units} is {canonical!r}, expected {unit!r}"
    converted = figure.to(canonical)
    assert converted.units == ureg.Unit(unit)
    assert converted.low.magnitude == pytest.approx(low, rel=1e-12)
    assert converted.high.magnitude == pytest.approx(high, rel=1e-12)


# --- the registry's traps --------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["ton", "tons", "tonne", "tonnes", "metric_ton", "t"])
def test_ton_is_the_metric_tonne(unit):
    assert kg(unit) == pytest.approx(1000.0, rel=1e-15)


@pytest.mark.parametrize("unit", ["kt", "kilotons", "kiloton", "kilotonne", "kilotonnes"])
def test_kt_is_the_kilotonne_not_the_knot(unit):
    assert kg(unit) == pytest.approx(1e6, rel=1e-15)
    assert Q(1, unit).dimensionality == ureg.get_dimensionality("[mass]")  # a mass, not a speed


def test_mt_is_the_megatonne():
    assert kg("Mt") == pytest.approx(1e9, rel=1e-15)


@pytest.mark.parametrize("unit", ["knot", "knots"])
def test_knot_is_undefined(unit):
    with pytest.raises(pint.UndefinedUnitError):
        ureg.Unit(unit)


def test_short_ton_is_2000_lb_and_not_the_ton():
    assert kg("short_ton") == pytest.approx(907.18474, rel=1e-12)
    assert Q(1, "short_ton") != Q(1, "ton")
    assert Q(1, "ton").to("short_ton").magnitude == pytest.approx(1000 / 907.18474, rel=1e-12)


@pytest.fixture(scope="module")
def default_registry() -> pint.UnitRegistry:
    return pint.UnitRegistry(cache_folder=None)


def test_contrast_pint_default_registry_has_the_traps(default_registry):
    """Why the project builds its own registry. If this fails, pint's defaults changed: the
    reasoning in units.txt should be revisited, not the project's registry."""
    ton = default_registry.Quantity(1, "ton").to("kg").magnitude
    assert ton == pytest.approx(907.18474, rel=1e-12), (
        f"pint {pint.__version__}'s DEFAULT registry no longer treats `ton` as the short ton "
        f"(1 ton = {ton} kg): the contrast documented in units.txt is out of date"
    )
    kt = default_registry.Quantity(1, "kt")
    assert kt.check("[length] / [time]"), (
        f"pint {pint.__version__}'s DEFAULT registry no longer treats `kt` as the knot "
        f"(dimensionality {kt.dimensionality}): the contrast documented in units.txt is out of date"
    )


# --- parsing the articles' figures -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("₹1,345 crore", 1345, "crore * INR"),
        ("$30 million", 3e7, "USD"),
        ("USD 291 million", 2.91e8, "USD"),
        ("44 million metric tons", 4.4e7, "t"),
        ("240 kilotons", 2.4e5, "t"),
        ("3,000 kg", 3, "t"),
        ("25 per cent", 25, "percent"),
        ("11.6%", 11.6, "percent"),
    ],
)
def test_parse_quantity_examples(text, value, unit):
    figure = parse_quantity(text)
    assert not figure.is_range
    assert_figure(figure, value, value, unit)


@pytest.mark.parametrize(
    ("text", "low", "high", "unit"),
    [
        ("180-202 kilotons", 1.8e5, 2.02e5, "t"),
        ("32-39%", 32, 39, "percent"),
        ("6-8 weeks", 6, 8, "week"),
        ("six to eight weeks", 6, 8, "week"),
    ],
)
def test_parse_quantity_ranges(text, low, high, unit):
    figure = parse_quantity(text)
    assert figure.is_range
    assert_figure(figure, low, high, unit)


@pytest.mark.parametrize(
    ("value", "unit_as_written", "low", "high", "unit"),
    [
        ("180-202", "kilotons", 1.8e5, 2.02e5, "t"),
        ("32-39", "%", 32, 39, "percent"),
        ("6-8", "weeks", 6, 8, "week"),
        ("six to eight", "weeks", 6, 8, "week"),
        ("1,345", "₹ crore", 1345, 1345, "crore * INR"),
        ("291", "USD million", 2.91e8, 2.91e8, "USD"),
        ("44", "million metric tons", 4.4e7, 4.4e7, "t"),
        ("25", "per cent", 25, 25, "percent"),
    ],
)
def test_parse_figure_examples(value, unit_as_written, low, high, unit):
    assert_figure(parse_figure(value, unit_as_written), low, high, unit)


def test_two_thirds_as_a_fraction_is_a_percentage():
    assert_figure(parse_figure("two-thirds", "fraction"), 200 / 3, 200 / 3, "percent")


def test_fifth_is_rank_5_and_never_a_share():
    figure = parse_figure("fifth", "rank")
    assert_figure(figure, 5, 5, "rank")
    with pytest.raises(pint.DimensionalityError):
        figure.low.to("percent")


@pytest.mark.parametrize("word", ["no", "No", "NO", "none", "None", "zero", "Zero", " no "])
def test_zero_words_read_as_zero(word):
    assert parse_number(word) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("unit_as_written", "unit"),
    [
        ("t", "t"),
        ("tons", "t"),
        ("million metric tons", "t"),
        ("count", "count"),
        ("applications", "count"),
        ("per cent", "percent"),
        ("₹ crore", "crore * INR"),
        ("USD million per year", "USD / year"),
    ],
)
def test_a_zero_is_zero_in_its_canonical_unit(unit_as_written, unit):
    figure = parse_figure("no", unit_as_written)
    assert not figure.is_range
    assert_figure(figure, 0, 0, unit)


def test_a_range_may_start_at_zero():
    assert parse_number("zero to five") == (0.0, 5.0)


@pytest.mark.parametrize("text", ["not", "non", "nil", "nothing", "nobody", "noone", "zeros", "no one", "no."])
def test_words_near_the_zero_words_are_not_numbers(text):
    with pytest.raises(UnitParseError):
        parse_number(text)


@pytest.mark.parametrize(
    ("value", "unit_as_written", "expected", "unit", "dimension"),
    [
        ("3,000", "kg annual", 3, "t / year", "[mass] / [time]"),
        ("3,000", "kg/year", 3, "t / year", "[mass] / [time]"),
        ("500", "tonnes annually", 500, "t / year", "[mass] / [time]"),
        ("249", "USD million per year", 2.49e8, "USD / year", "[currency_usd] / [time]"),
    ],
)
def test_yearly_rates(value, unit_as_written, expected, unit, dimension):
    figure = parse_figure(value, unit_as_written)
    assert figure.low.check(dimension)
    assert_figure(figure, expected, expected, unit)


@pytest.mark.parametrize(("value", "unit_as_written"), [("5", "applications"), ("17", "REEs")])
def test_counted_nouns_are_counts(value, unit_as_written):
    n = float(value)
    assert_figure(parse_figure(value, unit_as_written), n, n, "count")


# --- errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "word"), [("furlongs", "furlongs"), ("kt knots", "knots")])
def test_unknown_unit_is_an_error_naming_the_word(unit, word):
    with pytest.raises(UnitParseError, match=word):
        parse_unit(unit)
    with pytest.raises(UnitParseError, match=word):
        parse_quantity(f"5 {unit}")


@pytest.mark.parametrize("text", ["abc", "forty-four-ish"])
def test_non_number_is_an_error(text):
    with pytest.raises(UnitParseError):
        parse_number(text)
    with pytest.raises(UnitParseError):
        parse_figure(text, "kg")


@pytest.mark.parametrize(("value", "unit"), [("202-180", "kilotons"), ("39-32", "%"), ("eight to six", "weeks")])
def test_range_written_high_to_low_is_refused(value, unit):
    with pytest.raises(ValueError, match="above"):
        parse_figure(value, unit)


# --- canonical units -------------------------------------------------------------------------------


# A unit of each dimension other than the canonical one, to show it is brought to the canonical one.
OTHER_UNIT = {
    "[mass]": "kg",
    "[mass] / [time]": "kg / day",
    "[currency_usd]": "million * USD",
    "[currency_usd] / [time]": "USD / month",
    "[currency_inr]": "lakh * INR",
    "[currency_inr] / [time]": "INR / year",
    "dimensionless": "fraction",
    "[count]": "thousand * count",
    "[rank]": "rank",
    "[calendar_date]": "date",  # a date has one unit: days since 1 January 1970
}


@pytest.mark.parametrize(("dimension", "canonical"), CANONICAL_UNITS.items())
def test_canonical_unit_for_each_dimension(dimension, canonical):
    assert str(ureg.get_dimensionality(canonical)) == dimension
    assert canonical_unit(ureg.Unit(canonical)) == canonical
    assert canonical_unit(ureg.Unit(OTHER_UNIT[dimension])) == canonical


@pytest.mark.parametrize(
    ("unit", "canonical"), [("week", "week"), ("weeks", "week"), ("year", "year"), ("years", "year"), ("yr", "year")]
)
def test_durations_stay_in_weeks_or_years(unit, canonical):
    assert canonical_unit(ureg.Unit(unit)) == canonical


def test_days_count_as_a_short_duration():
    """units._SHORT_DURATIONS names "day" with "week": a duration in days is kept in weeks,
    not turned into a tiny fraction of a year."""
    assert canonical_unit(ureg.Unit("day")) == "week"


def test_canonical_unit_refuses_a_dimension_it_does_not_store():
    with pytest.raises(UnitParseError):
        canonical_unit(ureg.Unit("kg * USD"))


# --- currency --------------------------------------------------------------------------------------


def test_rupees_and_dollars_do_not_mix_without_the_fx_context():
    with pytest.raises(pint.DimensionalityError):
        Q(1345, "crore * INR").to("USD")
    with pytest.raises(pint.DimensionalityError):
        Q(1, "USD").to("INR")
    with pytest.raises(pint.DimensionalityError):
        Q(1, "USD") + Q(1, "INR")


def test_to_usd_converts_at_the_given_rate():
    dollars = to_usd(Q(1345, "crore * INR"), 84.57)
    assert dollars.units == ureg.Unit("USD")
    assert dollars.magnitude == pytest.approx(1.345e10 / 84.57, rel=1e-12)


def test_to_usd_converts_yearly_amounts_to_dollars_per_year():
    dollars = to_usd(Q(100, "crore * INR / year"), 84.57)
    assert dollars.units == ureg.Unit("USD / year")
    assert dollars.magnitude == pytest.approx(1e9 / 84.57, rel=1e-12)


def test_to_usd_leaves_dollars_as_they_are():
    assert to_usd(Q(3e7, "USD"), 84.57).magnitude == pytest.approx(3e7, rel=1e-12)
    yearly = to_usd(Q(2.49, "million * USD / year"), 84.57)
    assert yearly.units == ureg.Unit("USD / year")
    assert yearly.magnitude == pytest.approx(2.49e6, rel=1e-12)


@pytest.mark.parametrize("rate", [0, 0.0, -84.57, math.nan, math.inf, True, False, "84.57", None])
def test_to_usd_refuses_a_bad_rate(rate):
    with pytest.raises(ValueError, match="usd_inr"):
        to_usd(Q(1345, "crore * INR"), rate)


# --- laws ------------------------------------------------------------------------------------------

positive = st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False)
MASS_UNITS = ["t", "kg", "kt", "Mt"]


@FAST
@given(value=positive, source=st.sampled_from(MASS_UNITS), target=st.sampled_from(MASS_UNITS))
def test_mass_conversion_round_trips(value, source, target):
    there = Q(value, source).to(target)
    back = there.to(source)
    assert back.magnitude == pytest.approx(value, rel=1e-12)


@FAST
@given(crore=positive, rate=st.floats(min_value=1e-3, max_value=1e4, allow_nan=False))
def test_inr_to_usd_and_back_round_trips(crore, rate):
    rupees = Q(crore, "crore * INR")
    dollars = to_usd(rupees, rate)
    assert dollars.magnitude == pytest.approx(crore * 1e7 / rate, rel=1e-12)
    back = dollars.to("crore * INR", "fx", usd_inr=rate)
    assert back.magnitude == pytest.approx(crore, rel=1e-12)


@FAST
@given(
    word=st.sampled_from(sorted(ZERO_WORDS)),
    upper=st.lists(st.booleans(), min_size=4, max_size=4),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
    unit=st.sampled_from(
        MASS_UNITS
        + ["tons", "million metric tons", "count", "members", "per cent", "USD million", "₹ crore", "kg annual"]
    ),
)
def test_a_zero_word_in_any_case_is_exactly_zero_in_any_unit(word, upper, pad, unit):
    written = pad + "".join(letter.upper() if up else letter for letter, up in zip(word, upper, strict=False)) + pad
    figure = parse_figure(written, unit)
    assert figure.low == figure.high
    converted = figure.to(canonical_unit(figure.units))
    assert converted.low.magnitude == 0.0  # no unit of the registry has an offset: zero stays zero


@FAST
@given(n=st.integers(min_value=0, max_value=10**15))
def test_parse_number_reads_thousands_separators(n):
    assert parse_number(f"{n:,}") == (n, n)


@FAST
@given(
    a=st.integers(min_value=0, max_value=10**9),
    extra=st.integers(min_value=0, max_value=10**9),
    dash=st.sampled_from(["-", "–", "—", " - "]),
    separators=st.booleans(),
)
def test_parse_number_reads_ranges(a, extra, dash, separators):
    b = a + extra
    fmt = "{:,}" if separators else "{}"
    assert parse_number(f"{fmt.format(a)}{dash}{fmt.format(b)}") == (a, b)


@FAST
@given(
    a=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
    extra=st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
)
def test_parse_number_reads_decimal_ranges(a, extra):
    b = a + extra
    assert parse_number(f"{a}-{b}") == (float(a), float(b))


# --- every unit string the project writes parses ---------------------------------------------------


@pytest.mark.parametrize(
    "unit",
    sorted(set(CANONICAL_UNITS.values()) | {metric.unit for metric in vocabulary.METRICS.values()}),
)
def test_every_canonical_unit_string_parses(unit):
    parsed = ureg.Unit(unit)
    assert canonical_unit(parsed) == unit
    # What is written to data/processed/ reads back as the same unit.
    assert ureg.Unit(str(parsed)) == parsed


# --- dates ---------------------------------------------------------------------------------------

_DAYS = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2060, 12, 31))


@given(_DAYS, st.sampled_from(["{month} {day}, {year}", "{day} {month} {year}", "{month} {day} {year}"]))
def test_a_date_written_in_full_is_that_day(day, form):
    written = form.format(month=calendar.month_name[day.month], day=day.day, year=day.year)
    assert parse_date(written) == (day_number(day), day_number(day))


@given(_DAYS, _DAYS)
def test_a_month_without_its_year_is_the_latest_such_month_on_or_before_the_articles_date(day, as_of):
    low, high = parse_date(calendar.month_name[day.month], as_of)
    first, last = from_day_number(low), from_day_number(high)
    assert first.day == 1 and first.month == day.month and (last + datetime.timedelta(days=1)).day == 1
    assert first <= as_of < first.replace(year=first.year + 1)


@given(_DAYS, st.sampled_from(list(calendar.day_name)))
def test_a_weekday_is_the_latest_such_day_on_or_before_the_articles_date(as_of, weekday):
    low, high = parse_date(weekday, as_of)
    day = from_day_number(low)
    assert low == high and calendar.day_name[day.weekday()] == weekday and 0 <= (as_of - day).days < 7


@given(_DAYS, st.integers(min_value=1, max_value=10))
def test_days_later_count_on_from_the_date_they_name(day, count):
    written = f"{calendar.month_name[day.month]} {day.day}, {day.year}. {count} days later"
    expected = day_number(day + datetime.timedelta(days=count))
    assert parse_date(written) == (expected, expected)


@pytest.mark.parametrize("text", ["April", "April 4", "Thursday"])
def test_a_date_without_its_year_needs_the_articles_date(text):
    with pytest.raises(UnitParseError, match="as_of in sources.csv"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Launched", "not a date"),
        ("April 31, 2025", "not a calendar date"),
        ("2025-04-04", "not a date"),
        ("early April", "not a date"),
        ("0000", "outside the years"),
        ("April 9999", "outside the years"),
        ("December 31, 2100. One day later", "outside the years"),
        ("April 2, 2025. 999 days later", "from 1 to 366"),
        ("2025. Two days later", "from one day"),
        ("\u0410pril 4, 2025", r"U\+0410"),  # a Cyrillic A that looks like the Latin one
        ("\uff12\uff10\uff12\uff15", "not plain ASCII"),  # full-width digits
        ("April 2, 2025." + " " * 50_000 + "Two days later", "too long"),
        ("April 2, 2025" + ". One day later" * 2_000, "too long"),
    ],
)
def test_words_that_are_not_a_date_are_one_clear_error(text, says):
    with pytest.raises(UnitParseError, match=says):
        parse_date(text, datetime.date(2025, 6, 13))


def test_a_weekday_read_as_of_the_first_day_of_the_calendar_is_an_error_not_a_crash():
    with pytest.raises(UnitParseError):
        parse_date("Thursday", datetime.date(1, 1, 1))


@pytest.mark.parametrize(
    ("written", "shown"),
    [("April 4, 2025", "4 April 2025"), ("January 2025", "January 2025"), ("2025", "2025")],
)
def test_a_date_is_shown_at_the_precision_it_was_written(written, shown):
    assert show_date(*parse_date(written)) == shown


def test_every_kind_of_quantity_and_canonical_unit_has_words_for_readers():
    from rare_earths.data import units

    assert set(units.QUANTITY_WORDS) == set(units.CANONICAL_UNITS)
    wanted = set(units.CANONICAL_UNITS.values()) | {metric.unit for metric in vocabulary.METRICS.values()}
    assert wanted <= set(units.CANONICAL_UNIT_WORDS)
    assert not any("_" in words or "[" in words for words in units.CANONICAL_UNIT_WORDS.values())
