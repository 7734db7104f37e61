"""The articles' calculations: growth, shares, prices, ranges, periods and rounding checks.

What a researcher relies on: `cagr` and `project` undo each other, growth composes over years,
`share` and `part_of` undo each other whatever the units, units carry through every result, the
articles' own figures come out as printed, a range of inputs gives a range that contains every
result, and a stated figure is judged against the computed one the way a writer rounds.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pint
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rare_earths.data.units import Figure, Quantity, ureg
from rare_earths.metrics import (
    cagr,
    decimals_of,
    growth_multiple,
    over_range,
    part_of,
    period_end_year,
    project,
    rounds_to,
    share,
    span_years,
    unit_price,
    yearly_path,
)

PROPERTY = settings(max_examples=100)

kt = ureg.kt
PERCENT = ureg.percent

# Strategies: positive amounts, spans of years, yearly rates in percent and mass units.
amounts = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)
spans = st.floats(min_value=0.5, max_value=60, exclude_min=True, allow_nan=False)
rates = st.floats(min_value=-50, max_value=200, exclude_min=True, exclude_max=True, allow_nan=False)
mass_units = st.sampled_from(["kg", "t", "kt", "Mt"])
fractions = st.floats(min_value=0, max_value=1)


def magnitude(quantity: pint.Quantity, unit: str | pint.Unit) -> float:
    return quantity.to(unit).magnitude


def figure(ends: tuple[float, float], unit: str | pint.Unit) -> Figure:
    low, high = sorted(ends)
    return Figure(Quantity(low, unit), Quantity(high, unit))


# --- cagr and project ----------------------------------------------------------------------------


@PROPERTY
@given(start=amounts, end=amounts, years=spans)
def test_project_undoes_cagr(start: float, end: float, years: float) -> None:
    # A yearly multiple below 0.01 (a fall of over 99% a year) loses digits in 1 + rate itself,
    # whatever the code does: the rate cannot carry 1e-9 relative precision there.
    assume((end / start) ** (1 / years) >= 0.01)
    rate = cagr(Quantity(start, kt), Quantity(end, kt), years)
    assert magnitude(project(Quantity(start, kt), rate, years), kt) == pytest.approx(end, rel=1e-9)


@PROPERTY
@given(start=amounts, rate=rates, years=spans)
def test_cagr_undoes_project(start: float, rate: float, years: float) -> None:
    end = project(Quantity(start, kt), Quantity(rate, PERCENT), years)
    recovered = cagr(Quantity(start, kt), end, years)
    assert magnitude(recovered, PERCENT) == pytest.approx(rate, rel=1e-9, abs=1e-9)


def test_cagr_accepts_years_as_a_time_quantity_and_ends_in_different_units() -> None:
    plain = cagr(Quantity(93, kt), Quantity(180, kt), 26)
    assert magnitude(cagr(Quantity(93, kt), Quantity(180, kt), Quantity(26, "year")), PERCENT) == pytest.approx(
        magnitude(plain, PERCENT), rel=1e-12
    )
    assert magnitude(cagr(Quantity(93_000, "t"), Quantity(180, kt), 26), PERCENT) == pytest.approx(
        magnitude(plain, PERCENT), rel=1e-12
    )


# --- growth_multiple -----------------------------------------------------------------------------


@PROPERTY
@given(rate=rates, years=spans)
def test_growth_multiple_is_project_of_one(rate: float, years: float) -> None:
    assert growth_multiple(Quantity(rate, PERCENT), years) == pytest.approx(
        project(1, Quantity(rate, PERCENT), years), rel=1e-12
    )


@PROPERTY
@given(years=spans)
def test_zero_growth_multiplies_by_one(years: float) -> None:
    assert growth_multiple(Quantity(0, PERCENT), years) == 1


@PROPERTY
@given(rate=rates, first=spans, second=spans)
def test_growth_composes_over_consecutive_spans(rate: float, first: float, second: float) -> None:
    r = Quantity(rate, PERCENT)
    assert growth_multiple(r, first + second) == pytest.approx(
        growth_multiple(r, first) * growth_multiple(r, second), rel=1e-9
    )


# --- share and part_of ---------------------------------------------------------------------------


@PROPERTY
@given(part=amounts, whole=amounts, part_unit=mass_units, whole_unit=mass_units)
def test_part_of_undoes_share(part: float, whole: float, part_unit: str, whole_unit: str) -> None:
    p, w = Quantity(part, part_unit), Quantity(whole, whole_unit)
    assert magnitude(part_of(w, share(p, w)), part_unit) == pytest.approx(part, rel=1e-9)


@PROPERTY
@given(percentage=st.floats(min_value=0, max_value=1000), whole=amounts, unit=mass_units)
def test_share_undoes_part_of(percentage: float, whole: float, unit: str) -> None:
    w = Quantity(whole, unit)
    result = share(part_of(w, Quantity(percentage, PERCENT)), w)
    assert magnitude(result, PERCENT) == pytest.approx(percentage, rel=1e-9, abs=1e-12)


@PROPERTY
@given(part=amounts, whole=amounts, units=st.tuples(mass_units, mass_units, mass_units, mass_units))
def test_share_does_not_depend_on_units(part: float, whole: float, units: tuple[str, ...]) -> None:
    p, w = Quantity(part, units[0]), Quantity(whole, units[1])
    assert magnitude(share(p.to(units[2]), w.to(units[3])), PERCENT) == pytest.approx(
        magnitude(share(p, w), PERCENT), rel=1e-9
    )


def test_china_share_of_world_production() -> None:
    in_kilotons = share(Quantity(240, kt), Quantity(356, kt))
    mixed = share(Quantity(240_000, "t"), Quantity(356_000_000, "kg"))
    assert in_kilotons.units == PERCENT
    assert in_kilotons.magnitude == pytest.approx(67.41573033707865, rel=1e-12)
    assert magnitude(mixed, PERCENT) == pytest.approx(in_kilotons.magnitude, rel=1e-12)


def test_share_of_mismatched_dimensions_raises() -> None:
    with pytest.raises(pint.DimensionalityError):
        share(Quantity(240, kt), Quantity(356, "USD"))
    with pytest.raises(pint.DimensionalityError):
        share(Quantity(30, "USD"), Quantity(1345, "crore * INR"))


# --- the articles' figures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "years", "expected"),
    [
        (Quantity(93, kt), Quantity(180, kt), 26, 2.572),  # IEA demand, low end
        (Quantity(93, kt), Quantity(202, kt), 26, 3.028),  # IEA demand, high end
        (Quantity(1700, "t"), Quantity(15400, "t"), 8, 31.71),
    ],
)
def test_cagr_of_the_articles(start: pint.Quantity, end: pint.Quantity, years: int, expected: float) -> None:
    rate = cagr(start, end, years)
    assert rate.units == PERCENT
    assert rate.magnitude == pytest.approx(expected, abs=5e-3 if expected == 31.71 else 5e-4)


def test_growth_multiple_of_the_articles() -> None:
    assert growth_multiple(Quantity(11.6, PERCENT), 5) == pytest.approx(1.7311, abs=5e-5)


def test_unit_price_of_the_articles() -> None:
    price = unit_price(Quantity(30, "million * USD"), Quantity(700, "t"))
    assert price.units == ureg.Unit("USD / kg")
    assert price.magnitude == pytest.approx(42.857, abs=5e-4)
    assert price.magnitude == pytest.approx(30e6 / 700e3, rel=1e-12)


# --- units carry through -------------------------------------------------------------------------


@PROPERTY
@given(start=amounts, rate=rates, years=spans, unit=st.sampled_from(["kt", "t", "USD", "crore * INR", "t / year"]))
def test_project_keeps_the_unit_of_start(start: float, rate: float, years: float, unit: str) -> None:
    result = project(Quantity(start, unit), Quantity(rate, PERCENT), years)
    assert result.units == ureg.Unit(unit)
    assert result.dimensionality == ureg.get_dimensionality(unit)


@PROPERTY
@given(start=amounts, end=amounts, years=spans)
def test_cagr_is_in_percent(start: float, end: float, years: float) -> None:
    assert cagr(Quantity(start, "USD"), Quantity(end, "USD"), years).units == PERCENT


def test_unit_price_in_rupees_is_rupees_per_mass_only() -> None:
    price = unit_price(Quantity(1345, "crore * INR"), Quantity(700, "t"), "INR / kg")
    assert price.dimensionality == ureg.get_dimensionality("[currency_inr] / [mass]")
    assert price.magnitude == pytest.approx(1345e7 / 700e3, rel=1e-12)
    assert magnitude(price, "crore * INR / t") == pytest.approx(1345 / 700, rel=1e-12)
    with pytest.raises(pint.DimensionalityError):
        unit_price(Quantity(1345, "crore * INR"), Quantity(700, "t"))  # default USD / kg
    with pytest.raises(pint.DimensionalityError):
        price.to("USD / kg")
    with pytest.raises(pint.DimensionalityError):
        price.to("INR")


# --- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("years", [0, -1, -0.5, Quantity(0, "year"), Quantity(-3, "year")])
def test_cagr_needs_a_positive_span(years: float | pint.Quantity) -> None:
    with pytest.raises(ValueError, match="positive number of years"):
        cagr(Quantity(93, kt), Quantity(180, kt), years)


@pytest.mark.parametrize(("start", "end"), [(-93, 180), (93, -180)])
def test_cagr_needs_values_of_the_same_sign(start: float, end: float) -> None:
    with pytest.raises(ValueError, match="same sign"):
        cagr(Quantity(start, kt), Quantity(end, kt), 26)


# --- yearly_path ---------------------------------------------------------------------------------


@PROPERTY
@given(start=amounts, rate=st.floats(min_value=0.01, max_value=200), unit=mass_units)
def test_yearly_path_2024_to_2050(start: float, rate: float, unit: str) -> None:
    s, r = Quantity(start, unit), Quantity(rate, PERCENT)
    path = yearly_path(s, r, 2024, 2050)
    assert len(path) == 27
    assert list(path["year"]) == list(range(2024, 2051))
    assert path["value"].iloc[0] == start
    assert path["value"].iloc[-1] == pytest.approx(magnitude(project(s, r, 26), unit), rel=1e-12)
    assert path["value"].diff().iloc[1:].gt(0).all()


# --- over_range ----------------------------------------------------------------------------------


@PROPERTY
@given(start=amounts, end=amounts, years=spans)
def test_over_range_of_points_is_the_plain_function(start: float, end: float, years: float) -> None:
    s, e = Quantity(start, kt), Quantity(end, kt)
    plain = cagr(s, e, years)
    result = over_range(cagr, Figure.point(s), Figure.point(e), years)
    assert not result.is_range
    assert magnitude(result.low, PERCENT) == pytest.approx(plain.magnitude, rel=1e-12)
    assert magnitude(result.high, PERCENT) == pytest.approx(plain.magnitude, rel=1e-12)


def test_over_range_of_the_iea_demand_range() -> None:
    result = over_range(cagr, Figure.point(Quantity(93, kt)), figure((180, 202), kt), 26)
    assert magnitude(result.low, PERCENT) == pytest.approx(
        magnitude(cagr(Quantity(93, kt), Quantity(180, kt), 26), PERCENT), rel=1e-12
    )
    assert magnitude(result.high, PERCENT) == pytest.approx(
        magnitude(cagr(Quantity(93, kt), Quantity(202, kt), 26), PERCENT), rel=1e-12
    )
    assert result.low.magnitude == pytest.approx(2.572, abs=5e-4)
    assert result.high.magnitude == pytest.approx(3.028, abs=5e-4)


def test_over_range_accepts_plain_numbers_and_quantities_mixed_with_figures() -> None:
    from_quantity = over_range(cagr, Quantity(93, kt), figure((180, 202), kt), Quantity(26, "year"))
    from_figure = over_range(cagr, Figure.point(Quantity(93, kt)), figure((180, 202), kt), 26)
    assert magnitude(from_quantity.low, PERCENT) == pytest.approx(magnitude(from_figure.low, PERCENT), rel=1e-12)
    assert magnitude(from_quantity.high, PERCENT) == pytest.approx(magnitude(from_figure.high, PERCENT), rel=1e-12)
    # A function returning a plain number gives a dimensionless figure.
    multiple = over_range(growth_multiple, figure((6, 8), PERCENT), 5)
    assert multiple.low.to("dimensionless").magnitude == pytest.approx(1.06**5, rel=1e-12)
    assert multiple.high.to("dimensionless").magnitude == pytest.approx(1.08**5, rel=1e-12)


def _within(value: float, result: Figure, unit: str | pint.Unit) -> bool:
    low, high = magnitude(result.low, unit), magnitude(result.high, unit)
    slack = 1e-12 * max(abs(low), abs(high), 1e-300)
    return low - slack <= value <= high + slack


@PROPERTY
@given(
    starts=st.tuples(amounts, amounts),
    ends=st.tuples(amounts, amounts),
    years=st.tuples(spans, spans),
    at=st.tuples(fractions, fractions, fractions),
)
def test_over_range_of_cagr_contains_every_result(
    starts: tuple[float, float], ends: tuple[float, float], years: tuple[float, float], at: tuple[float, ...]
) -> None:
    s, e, n = figure(starts, kt), figure(ends, "t"), figure(years, "year")
    result = over_range(cagr, s, e, n)
    assert result.low.magnitude <= result.high.magnitude

    def inside(fig: Figure, t: float) -> pint.Quantity:
        return fig.low + (fig.high - fig.low) * t

    value = magnitude(cagr(inside(s, at[0]), inside(e, at[1]), inside(n, at[2])), PERCENT)
    assert _within(value, result, PERCENT)


@PROPERTY
@given(
    starts=st.tuples(amounts, amounts),
    rates_=st.tuples(rates, rates),
    years=st.tuples(spans, spans),
    at=st.tuples(fractions, fractions, fractions),
)
def test_over_range_of_project_contains_every_result(
    starts: tuple[float, float], rates_: tuple[float, float], years: tuple[float, float], at: tuple[float, ...]
) -> None:
    s, r, n = figure(starts, kt), figure(rates_, PERCENT), figure(years, "year")
    result = over_range(project, s, r, n)
    assert result.low.magnitude <= result.high.magnitude

    def inside(fig: Figure, t: float) -> pint.Quantity:
        return fig.low + (fig.high - fig.low) * t

    value = magnitude(project(inside(s, at[0]), inside(r, at[1]), inside(n, at[2])), kt)
    assert _within(value, result, kt)


@PROPERTY
@given(parts=st.tuples(amounts, amounts), wholes=st.tuples(amounts, amounts), at=st.tuples(fractions, fractions))
def test_over_range_of_share_and_unit_price_is_ordered_and_contains(
    parts: tuple[float, float], wholes: tuple[float, float], at: tuple[float, float]
) -> None:
    p, w = figure(parts, kt), figure(wholes, "t")
    shares = over_range(share, p, w)
    assert shares.low.magnitude <= shares.high.magnitude
    part = p.low + (p.high - p.low) * at[0]
    whole = w.low + (w.high - w.low) * at[1]
    assert _within(magnitude(share(part, whole), PERCENT), shares, PERCENT)

    prices = over_range(unit_price, figure(parts, "USD"), w)
    assert prices.low.magnitude <= prices.high.magnitude


# --- periods -------------------------------------------------------------------------------------


def test_span_years() -> None:
    assert span_years("2018-2023") == 5


@pytest.mark.parametrize("period", ["2023-2018", "2023-2023", "2023", "FY2024-25", "2018 to 2023", ""])
def test_span_years_refuses_what_is_not_a_forward_span(period: str) -> None:
    with pytest.raises(ValueError):
        span_years(period)


@pytest.mark.parametrize(("period", "year"), [("2023", 2023), ("2018-2023", 2023), ("FY2024-25", 2025)])
def test_period_end_year(period: str, year: int) -> None:
    assert period_end_year(period) == year


@pytest.mark.parametrize("period", ["soon", "", "23", "FY24-25"])
def test_period_end_year_refuses_what_is_not_a_period(period: str) -> None:
    with pytest.raises(ValueError):
        period_end_year(period)


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "decimals"), [("67", 0), ("11.6", 1), ("1,345", 0), ("3.25", 2), ("1,345.50", 2)])
def test_decimals_of(written: str, decimals: int) -> None:
    assert decimals_of(written) == decimals


@pytest.mark.parametrize(
    ("computed", "stated", "decimals", "expected"),
    [
        (67.4157, 67, 0, True),
        (67.5, 67, 0, False),  # half rounds up, to 68
        (67.5, 68, 0, True),
        (66.5, 67, 0, True),
        (11.64, 11.6, 1, True),
        (11.66, 11.6, 1, False),
        (11.65, 11.7, 1, True),
        (2.572364633134727, 2.572, 3, True),
        (3.0282866770865002, 3.028, 3, True),
    ],
)
def test_rounds_to(computed: float, stated: float, decimals: int, expected: bool) -> None:
    assert rounds_to(computed, stated, decimals) is expected


def half_up(text: str, decimals: int) -> float:
    """How a writer rounds a number shown as `text`: half up, on the decimal digits they see."""
    return float(Decimal(text).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


@st.composite
def computed_and_decimals(draw: st.DrawFn) -> tuple[float, int]:
    decimals = draw(st.integers(min_value=0, max_value=3))
    # Either any float, or one written with one digit more than the writer keeps (half-way cases).
    written = draw(
        st.one_of(
            st.floats(min_value=0, max_value=1e5, allow_nan=False).map(repr),
            st.integers(min_value=0, max_value=10**7).map(lambda k: str(Decimal(k).scaleb(-(decimals + 1)))),
        )
    )
    return float(written), decimals


@PROPERTY
@given(case=computed_and_decimals())
def test_a_computed_value_rounds_to_what_a_writer_would_state(case: tuple[float, int]) -> None:
    computed, decimals = case
    stated = half_up(repr(computed), decimals)
    assert rounds_to(computed, stated, decimals), f"{computed!r} half-up to {decimals} places is {stated!r}"


@pytest.mark.parametrize(("computed", "stated", "decimals"), [(0.285, 0.29, 2), (1.005, 1.01, 2), (4.35, 4.4, 1)])
def test_half_way_values_round_up_as_written(computed: float, stated: float, decimals: int) -> None:
    assert rounds_to(computed, stated, decimals)
