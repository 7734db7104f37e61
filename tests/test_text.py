"""The one number formatter (`rare_earths.text.number`): prose, tables and results read through it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rare_earths import figures, text

_VALUES = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).filter(lambda x: x == 0 or abs(x) > 1e-9)


@pytest.mark.parametrize(
    ("value", "significant", "trim", "shown"),
    [
        (115.83, None, True, "115.8"),
        (3.8, None, True, "3.8"),
        (15_400, None, True, "15,400"),
        (3.0303, 3, False, "3.03"),
        (3.0, 3, False, "3.00"),
        (3.0, 3, True, "3"),
        (0.001234, 3, True, "0.00123"),
        (31.7123, 4, True, "31.71"),
        (15_400.4, 4, True, "15,400"),
    ],
)
def test_a_number_is_shown_as_its_readers_expect(value, significant, trim, shown):
    assert text.number(value, significant, trim=trim) == shown


@given(_VALUES, st.integers(min_value=1, max_value=6))
def test_a_number_keeps_its_significant_digits_and_never_uses_an_exponent(value, significant):
    shown = text.number(value, significant, trim=False)
    assert "e" not in shown.lower()
    read = float(shown.replace(",", ""))
    if value:  # within half a unit of the last digit shown
        last = 10.0 ** (math.floor(math.log10(abs(value))) - significant + 1)
        assert abs(read - value) <= last / 2 * (1 + 1e-9) + 1e-12


@given(_VALUES)
def test_tables_show_numbers_through_the_one_formatter(value):
    """A table's number is the formatter's at some precision: at least three significant digits,
    and whole numbers from 100 up."""
    shown = figures.readable(value)
    assert any(shown == text.number(value, significant) for significant in range(3, 17)), shown
    if abs(value) >= 100:
        assert "." not in shown


def test_a_figure_as_written_is_its_whole_number_not_digits_of_another():
    assert text.as_written("in 2024, 20% of the world's output", "20", "%") == "20%"
    assert text.as_written("1,200 of 12,000 tonnes", "12,000", "tonnes") == "12,000 tonnes"


@pytest.mark.parametrize(
    ("unit", "after"),
    [
        ("percent", "%"),
        ("percent / year", "% a year"),
        ("USD million / year", " USD million a year"),
        ("USD / kg", " USD/kg"),
        ("t / year", " t a year"),
        ("applications", " applications"),
        ("", ""),
    ],
)
def test_a_unit_follows_a_tables_number_as_a_sentence_writes_it(unit, after):
    assert text.unit_after(unit) == after


@given(st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False).filter(lambda x: x != 0 and abs(x) > 1e-12))
def test_a_small_figure_never_reads_as_zero(value):
    assert float(text.number(value).replace(",", "")) != 0
    assert text.number(0.001875) == "0.0019" and text.number(0.0) == "0"
