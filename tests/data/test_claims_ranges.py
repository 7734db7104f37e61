"""The whole-table range check flags exactly the rows the row-by-row check words a problem for."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from rare_earths.data import claims, units

_RANGE_TEXTS = st.sampled_from(["", "0", "1", "2", "5", "12.5", "40"])


@given(
    low=st.sampled_from([0, 1, 2, 5, 12.5, 40]),
    width=st.sampled_from([0, 1, 3, 27.5]),
    recorded=st.tuples(_RANGE_TEXTS, _RANGE_TEXTS),
)
def test_range_wrong_flags_the_rows_range_problems_words(low, width, recorded):
    """`_parse_figures` re-checks, one by one, only the rows `_range_wrong` flags; the problems are
    worded by `_range_problems`, so every row with a range problem must be flagged, and only those."""
    high = low + width
    value = f"{low:g}" if width == 0 else f"{low:g}-{high:g}"
    row = SimpleNamespace(value_as_written=value, unit_as_written="t", range_low=recorded[0], range_high=recorded[1])
    figure = units.parse_figure(value, "t")
    column = {
        "unit_as_written": np.array(["t"], dtype=object),
        "range_low": np.array([recorded[0]], dtype=object),
        "range_high": np.array([recorded[1]], dtype=object),
        "qualifier": np.array([""], dtype=object),
    }
    flagged = claims._range_wrong(column, np.array([float(low)]), np.array([float(high)]))
    assert bool(flagged[0]) == bool(claims._range_problems(row, figure))
