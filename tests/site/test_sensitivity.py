"""The sensitivity of each result to each parameter, from a sweep's table."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import CHECKOUT
from hypothesis import given
from hypothesis import strategies as st

from rare_earths.build import results
from rare_earths.site import sensitivity


def sweep_table(rows: list[dict], parameters: list[str]) -> pd.DataFrame:
    base = {
        "label": "A result",
        "low": math.nan,
        "high": math.nan,
        "unit": "%",
        "claims": "",
        "meaning": "What it is.",
        "tolerance": 1e-9,
    }
    filled = [{**base, **row, "low": row["value"], "high": row["value"]} for row in rows]
    return results.frame(filled, parameters)


def test_the_parameter_that_moves_a_result_most_comes_first_and_others_are_held_at_their_defaults():
    rows = [
        {"notebook": "04.ipynb", "name": "growth", "value": value, "rate": rate, "year": year}
        for rate, year, value in [
            ("1", "2024", 10.0),
            ("2", "2024", 12.0),
            ("1", "2020", 4.0),
            ("1", "2022", 7.0),
            ("2", "2020", 99.0),
        ]  # the last moves both: no bar uses it
    ]
    (found,) = sensitivity.results(sweep_table(rows, ["rate", "year"]), {"rate": 1.0, "year": 2024})
    assert found.baseline == 10.0 and found.label == "A result"
    assert [swing.parameter for swing in found.swings] == ["year", "rate"]
    assert (found.moved_by.low, found.moved_by.high) == (4.0, 10.0)
    assert dict(found.swings[1].points) == {"1": 10.0, "2": 12.0}


def test_a_result_its_notebook_does_not_move_has_no_swing_and_a_notebook_without_the_parameter_has_no_bar():
    rows = [
        {"notebook": "06.ipynb", "name": "checks", "value": 70.0, "rate": ""},
        {"notebook": "01.ipynb", "name": "count", "value": 84.0, "rate": "1"},
        {"notebook": "01.ipynb", "name": "count", "value": 84.0, "rate": "2"},
    ]
    found = {result.notebook: result for result in sensitivity.results(sweep_table(rows, ["rate"]), {"rate": 1.0})}
    assert found["06.ipynb"].swings == () and found["06.ipynb"].moved_by is None
    assert found["01.ipynb"].moved_by is None and found["01.ipynb"].swings[0].width == 0


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=2, max_size=6, unique=True))
def test_a_swing_spans_exactly_the_values_its_parameter_gave(values):
    rows = [
        {"notebook": "n.ipynb", "name": "r", "value": value, "p": str(position)}
        for position, value in enumerate(values)
    ]
    (found,) = sensitivity.results(sweep_table(rows, ["p"]), {"p": 0})
    assert (found.moved_by is None) == (max(values) == min(values))
    assert found.swings[0].low == min(values) and found.swings[0].high == max(values) and found.baseline == values[0]


def test_a_whole_number_default_of_a_float_parameter_finds_its_baseline_as_the_sweep_writes_it():
    # The sweep writes 5.0 as "5" (results.parameter_text): the default's runs are found by that text.
    rows = [
        {"notebook": "07.ipynb", "name": "recycled", "value": value, "rate": results.parameter_text(rate)}
        for rate, value in [(0.0, 700.0), (5.0, 665.0), (20.0, 560.0)]
    ]
    (found,) = sensitivity.results(sweep_table(rows, ["rate"]), {"rate": 5.0})
    assert found.baseline == 665.0 and (found.moved_by.low, found.moved_by.high) == (560.0, 700.0)


def test_every_bar_is_drawn_on_one_scale_so_its_length_says_how_much_its_result_moves():
    from types import SimpleNamespace

    from rare_earths.site import pages

    swing = lambda low, high: SimpleNamespace(low=low, high=high)  # noqa: E731
    small = SimpleNamespace(baseline=100.0, swings=(swing(95.0, 105.0),))  # moves 5% either way
    large = SimpleNamespace(baseline=10.0, swings=(swing(5.0, 20.0),))  # half as much to twice as much
    scale = pages.relative_scale([small, large])
    assert scale == 1.0  # the largest change: 20 is 100% above 10
    assert pages.relative_change(105.0, 100.0) / scale == pytest.approx(0.05)
    assert pages.relative_scale([]) == 1.0 and pages.relative_change(2.0, 0.0) == 2.0


def test_the_sensitivity_page_names_reports_by_their_titles_not_their_files():
    import re

    page = (CHECKOUT.html / "sensitivity.html").read_text(encoding="utf-8")
    assert ".ipynb" not in re.sub(r"<[^>]+>", " ", page)
