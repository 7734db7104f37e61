"""How numbers and captions appear to readers."""

from __future__ import annotations

import pytest

from rare_earths import figures


@pytest.mark.parametrize(("number", "shown"), [(15400.0, "15,400"), (160000.0, "160,000"), (31.714617, "31.71"),
                                               (0.001875, "0.001875"), (2.0, "2"), (-1234.5, "-1,234")])
def test_table_numbers_are_readable_without_exponents(number, shown):
    assert figures.readable(number) == shown


def test_a_caption_ends_with_its_sorted_unique_claims():
    text = figures.caption_text(2, "Something computed.", ["a000-03", "a000-01", "a000-03"])
    assert text == "**Figure 2.** Something computed. Claims: a000-01; a000-03."


def test_every_verdict_has_its_own_colour():
    from rare_earths import metadata

    assert list(figures.VERDICT_COLOURS) == list(metadata.VERDICTS)
    assert len(set(figures.VERDICT_COLOURS.values())) == len(metadata.VERDICTS)


def test_tables_leave_out_a_positional_index_but_keep_a_named_one():
    import pandas as pd

    positional = figures.table_html(pd.DataFrame({"country": ["China", "India"], "reserves_mt": [44.0, 6.9]}))
    assert "<th>0</th>" not in positional and "<th>country</th>" in positional and "China" in positional
    named = figures.table_html(pd.DataFrame({"checks": [9, 21]}, index=pd.Index(["recomputation", "cross_source"], name="kind")))
    assert "<th>recomputation</th>" in named and "kind" in named
