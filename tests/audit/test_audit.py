"""The audit: each rule catches the fault planted in a small synthetic claims table, with the
right verdict; a clean table gives no finding; every claim of the real audit is accounted for."""

from __future__ import annotations

import datetime
import itertools
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from conftest import CHECKOUT
from hypothesis import given
from hypothesis import strategies as st

from rare_earths import audit, vocabulary
from rare_earths.audit import cross_source, statements, usgs
from rare_earths.data import claims, reference, schemas, units
from rare_earths.data.units import ureg
from rare_earths.site import dictionary

CONSISTENT, WITHIN_ROUNDING, CONTRADICTED = "consistent", "consistent_within_rounding", "contradicted"

# --- synthetic tables ----------------------------------------------------------------------------

_CANONICAL = {
    "Mt": ("t", 1e6),
    "kt": ("t", 1e3),
    "t": ("t", 1.0),
    "%": ("percent", 1.0),
    "rank": ("rank", 1.0),
    "applications": ("count", 1.0),
    "applicants": ("count", 1.0),
    "weeks": ("week", 1.0),
    "$ million": ("USD", 1e6),
    "USD million per year": ("USD / year", 1e6),
    "kg/year": ("t / year", 1e-3),
    "tonnes annually": ("t / year", 1.0),
    "tons annually": ("t / year", 1.0),
    "fraction": ("percent", 100.0),
    "₹ crore": ("crore * INR", 1.0),
}
_PARTS_OF_INDIA = {"IREL": "India", "Indian auto sector": "India"}
_WORDS = {"two-thirds": 2 / 3, "fifth": 5, "third": 3, "second": 2}


def claim(
    claim_id: str,
    subject: str,
    metric: str,
    written: str,
    unit: str,
    *,
    counterpart: str = "",
    period: str = "",
    qualifier: str = "",
    period_as_written: str = "",
    item: str = "",
) -> dict:
    """One processed claim as the cleaning step writes it, from the figure as an article would write it.
    Its country is the subject's, parts of India named as the subjects' vocabulary names them."""
    canonical, scale = _CANONICAL[unit]
    value = (_WORDS[written] if written in _WORDS else float(written.replace(",", ""))) * scale
    sign = "" if unit in ("%", "rank", "fraction") else " "
    quote = f"{qualifier + ' ' if qualifier else ''}{written}{sign if unit not in ('rank', 'fraction') else ''}{unit if unit not in ('rank', 'fraction') else ''}"
    quote += f" {period_as_written}" if period_as_written else ""
    return {
        "claim_id": claim_id,
        "source_id": claim_id[:4],
        "subject": subject,
        "metric": metric,
        "counterpart": counterpart,
        "item": item,
        "country": _PARTS_OF_INDIA.get(subject, subject),
        "period": period,
        "value": value,
        "value_low": value,
        "value_high": value,
        "unit": canonical,
        "bound": vocabulary.QUALIFIERS[qualifier.lower()],
        "qualifier": qualifier,
        "value_as_written": written,
        "unit_as_written": unit,
        "period_as_written": period_as_written,
        "quote": quote,
        "note": "",
    }


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=schemas.CLAIMS.names)


def usgs_table(*rows: tuple) -> pd.DataFrame:
    """(edition, country, measure, year, value_t[, greater_than[, quota]]) rows."""
    records = [
        {
            "edition": edition,
            "country": country,
            "measure": measure,
            "year": year,
            "value_t": float(value),
            "estimated": "no",
            "greater_than": rest[0] if rest else "no",
            "quota": rest[1] if len(rest) > 1 else "no",
        }
        for edition, country, measure, year, value, *rest in rows
    ]
    return pd.DataFrame(records, columns=schemas.USGS.names)


EMPTY_USGS = usgs_table()


def run(
    claims_table: pd.DataFrame, usgs_frame: pd.DataFrame = EMPTY_USGS, current: str = "MCS2025", related=None
) -> pd.DataFrame:
    """The audit of a synthetic table, every article judged against the `current` edition."""
    sources = set(claims_table.source_id)
    result = audit.audit(claims_table, usgs_frame, {source: current for source in sources}, related)
    schemas.schema(schemas.AUDIT).validate(result)  # every result is a valid audit table
    return result


def only(result: pd.DataFrame, rule: str) -> pd.Series:
    rows = result[result.rule == rule]
    assert len(rows) == 1, f"expected one {rule} check, got {len(rows)}:\n{rows.to_string()}"
    return rows.iloc[0]


# --- statements: rounding and hedges -------------------------------------------------------------


def admitted(written: str, unit: str = "%", qualifier: str = "") -> tuple[float, float]:
    return statements.statements(
        table(claim("a000-01", "China", "production_share", written, unit, counterpart="world", qualifier=qualifier))
    )[0].admitted()


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("", (29.5, 30.5)),  # rounding alone
        ("around", (28.5, 31.5)),  # 5% of 30 is wider than the rounding
        ("only around", (28.5, 31.5)),
        ("approximately", (28.5, 31.5)),
        ("nearly", (28.5, 30.0)),  # just below
        ("over", (29.5, math.inf)),
        ("at least", (29.5, math.inf)),
        ("only", (29.5, 30.5)),  # emphasis, not a hedge
        ("estimated", (29.5, 30.5)),  # names an estimate, does not widen it
    ],
)
def test_each_hedge_admits_what_its_documented_meaning_says(qualifier, expected):
    assert admitted("30", qualifier=qualifier) == pytest.approx(expected)
    assert qualifier in vocabulary.HEDGES


def test_a_hedge_never_narrows_what_rounding_admits():
    assert admitted("30.25", qualifier="around")[0] <= admitted("30.25")[0]
    assert admitted("1", qualifier="around") == pytest.approx((0.5, 1.5))  # rounding is wider than 5% here


def test_a_fraction_in_words_reads_as_a_round_figure_and_a_rank_as_itself():
    low, high = admitted("two-thirds", "fraction")
    assert low == pytest.approx(200 / 3 * 0.95) and high == pytest.approx(200 / 3 * 1.05)
    rank = statements.statements(
        table(claim("a000-01", "India", "reserve_rank", "fifth", "rank", counterpart="world"))
    )[0]
    assert rank.admitted() == (5, 5)


@pytest.mark.parametrize(
    ("written", "unit_as_written", "unit", "half"),
    [
        ("44", "million metric tons", "t", 0.5e6),
        ("11.6", "%", "percent", 0.05),
        ("1,345", "₹ crore", "crore * INR", 0.5),
        ("180-202", "kilotons", "t", 500.0),
        ("0", "%", "percent", 0.5),
        ("3,000", "kg annual", "t / year", 0.0005),
        ("fifth", "rank", "rank", 0.0),
    ],
)
def test_a_figure_admits_half_its_last_written_digit(written, unit_as_written, unit, half):
    assert statements.half_step(written, unit_as_written, unit) == pytest.approx(half)


@given(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=2))
def test_a_figure_written_by_rounding_a_value_is_never_judged_against_it(value, decimals):
    written = str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    stated = statements.statements(
        table(claim("a000-01", "China", "production_share", written, "%", counterpart="world"))
    )[0]
    assert statements.judge(stated, value) in (CONSISTENT, WITHIN_ROUNDING)


# --- USGS precision ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "half"), [(350_000, 500), (41_600, 50), (2_900, 5), (110_000_000, 500_000), (7, 0.005), (0, 0.0)]
)
def test_a_usgs_figure_admits_half_a_unit_of_its_third_significant_digit(value, half):
    assert usgs.half_unit(value) == pytest.approx(half)


USGS = usgs_table(
    ("MCS2024", "China", "reserves", "", 44e6),
    ("MCS2025", "China", "reserves", "", 44e6),
    ("MCS2024", "Brazil", "reserves", "", 21e6),
    ("MCS2025", "Brazil", "reserves", "", 21e6),
    ("MCS2024", "Russia", "reserves", "", 10e6),
    ("MCS2025", "Russia", "reserves", "", 3.8e6),
    ("MCS2024", "Vietnam", "reserves", "", 22e6),
    ("MCS2025", "Vietnam", "reserves", "", 3.5e6),
    ("MCS2024", "India", "reserves", "", 6.9e6),
    ("MCS2025", "India", "reserves", "", 6.9e6),
    ("MCS2024", "Other", "reserves", "", 11.5e6),
    ("MCS2025", "Other", "reserves", "", 11.5e6),
    ("MCS2024", "world", "reserves", "", 110e6),
    ("MCS2025", "world", "reserves", "", 90e6, "yes"),
    ("MCS2024", "China", "mine_production", "2023", 240e3, "no", "yes"),
    ("MCS2025", "China", "mine_production", "2023", 255e3, "no", "yes"),
    ("MCS2024", "India", "mine_production", "2023", 2.9e3),
    ("MCS2025", "India", "mine_production", "2024", 2.9e3),
    ("MCS2024", "world", "mine_production", "2023", 350e3),
    ("MCS2025", "world", "mine_production", "2023", 376e3),
    ("MCS2025", "world", "mine_production", "2024", 390e3),
)


@pytest.mark.parametrize(("written", "verdict"), [("356", CONTRADICTED), ("351", WITHIN_ROUNDING), ("350", CONSISTENT)])
def test_a_usgs_figure_has_the_same_precision_whatever_zeros_it_prints(written, verdict):
    alone = usgs_table(("MCS2025", "world", "mine_production", "2023", 350e3))
    result = run(table(claim("a000-01", "world", "production", written, "kt", period="2023")), alone)
    assert only(result, "usgs").verdict == verdict


@pytest.mark.parametrize(("written", "verdict"), [("355", WITHIN_ROUNDING), ("361", CONTRADICTED)])
def test_a_world_total_admits_the_gap_its_own_rows_show(written, verdict):
    # 350 kt printed beside rows that add up to 355 kt: the total admits 345 to 355 kt, not 356 (355.5 up).
    rounded = usgs_table(
        ("MCS2025", "China", "mine_production", "2023", 300e3),
        ("MCS2025", "Other", "mine_production", "2023", 55e3),
        ("MCS2025", "world", "mine_production", "2023", 350e3),
    )
    result = run(table(claim("a000-01", "world", "production", written, "kt", period="2023")), rounded)
    assert only(result, "usgs").verdict == verdict


@pytest.mark.parametrize(
    ("written", "quota", "verdict"), [("240.4", "yes", CONTRADICTED), ("240.4", "no", WITHIN_ROUNDING)]
)
def test_a_quota_is_exact(written, quota, verdict):
    tables = usgs_table(("MCS2024", "China", "mine_production", "2023", 240e3, "no", quota))
    result = run(table(claim("a000-01", "China", "production", written, "kt", period="2023")), tables)
    check = only(result, "usgs")
    assert check.verdict == verdict
    assert ("(quota)" in check.explanation) == (quota == "yes")


def test_a_value_is_judged_against_the_edition_current_at_its_articles_date():
    check = only(run(table(claim("a000-01", "Russia", "reserves", "3.8", "Mt")), USGS), "usgs")
    assert check.verdict == CONSISTENT and check.check_value == pytest.approx(3.8) and check.unit == "Mt"
    assert check.evidence == "primary"
    assert "matches MCS2025, current at the article's date: MCS2025 gives 3.8 Mt" in check.explanation
    assert "(not current then: MCS2024 gives 10 Mt)" in check.explanation
    # The same figure in an article written when MCS2024 was current does not hold.
    earlier = only(run(table(claim("a000-01", "Russia", "reserves", "3.8", "Mt")), USGS, current="MCS2024"), "usgs")
    assert earlier.verdict == CONTRADICTED


def test_a_value_matching_only_an_older_edition_is_outdated_and_says_what_the_current_one_gives():
    check = only(run(table(claim("a000-01", "Russia", "reserves", "10", "Mt")), USGS), "usgs")
    assert check.verdict == "outdated" and check.judges == "a000-01"
    assert "matches only MCS2024, an older edition" in check.explanation
    assert "MCS2025, current at the article's date, gives: MCS2025 gives 3.8 Mt" in check.explanation
    assert only(run(table(claim("a000-01", "Russia", "reserves", "10", "Mt")), USGS, "MCS2024"), "usgs").verdict == (
        CONSISTENT
    )


def test_a_rank_against_usgs():
    check = only(
        run(table(claim("a000-01", "India", "reserve_rank", "third", "rank", counterpart="world")), USGS), "usgs"
    )
    # MCS2025 puts only China and Brazil above India's 6.9 Mt; MCS2024 also Vietnam and Russia.
    assert check.verdict == CONSISTENT and check.check_value == 3
    assert "in MCS2025 it ranks 3rd, behind China 44 Mt, Brazil 21 Mt" in check.explanation


# --- shares and their bases ----------------------------------------------------------------------


def test_the_base_of_a_share_is_identified():
    # 44 Mt is 40% of MCS2024's rounded world total (110 Mt), but 38.1% of the 115.4 Mt its countries add up to.
    result = run(
        table(
            claim("a000-01", "China", "reserves", "44", "Mt"),
            claim("a000-02", "China", "reserve_share", "38", "%", counterpart="world"),
        ),
        USGS,
    )
    check = only(result, "share_base")  # judged against MCS2025: 38% matches only MCS2024
    assert check.verdict == "outdated"
    assert "44 Mt of 115.4 Mt, the sum of the countries MCS2024 lists is 38.1%" in check.explanation
    assert "the sum of the countries MCS2025 lists is 48.5%" in check.explanation
    assert "at most 48.9% (a bound, which decides nothing)" in check.explanation
    # Written while MCS2024 was current, 38% holds within rounding on both of its bases (the world
    # total admits the 4.9% gap its own rows show).
    then = only(
        run(
            table(
                claim("a000-01", "China", "reserves", "44", "Mt"),
                claim("a000-02", "China", "reserve_share", "38", "%", counterpart="world"),
            ),
            USGS,
            current="MCS2024",
        ),
        "share_base",
    )
    assert then.verdict == WITHIN_ROUNDING and "MCS2024's rounded world total, 110 Mt is 40%" in then.explanation


def test_the_articles_own_figures_are_a_base_too():
    result = run(
        table(
            claim("a000-01", "China", "production", "240", "kt", period="2023"),
            claim("a000-02", "world", "production", "356", "kt", period="2023"),
            claim("a000-03", "China", "production_share", "67", "%", counterpart="world", period="2023"),
        ),
        USGS,
    )
    check = only(result, "share_base")  # the article's own figures reproduce it; USGS current does not
    assert check.verdict == CONTRADICTED
    assert "the article's own figures give: 240 kt of 356 kt (the article's own figures) is 67.4%" in check.explanation
    assert "MCS2025's 255 kt (quota) of MCS2025's rounded world total in 2023, 376 kt is 67.8%" in check.explanation


def test_a_comparison_that_cannot_fail_is_not_counted_as_a_pass():
    # Against only "more than 90 Mt", 40% of the world passes whatever the article had written up to 48.9%.
    tables = usgs_table(("MCS2025", "China", "reserves", "", 44e6), ("MCS2025", "world", "reserves", "", 90e6, "yes"))
    check = only(
        run(table(claim("a000-01", "China", "reserve_share", "40", "%", counterpart="world")), tables), "share_base"
    )
    assert check.verdict == "inconclusive" and "at most 48.9%" in check.explanation
    too_big = only(
        run(table(claim("a000-01", "China", "reserve_share", "60", "%", counterpart="world")), tables), "share_base"
    )
    assert too_big.verdict == CONTRADICTED


def test_an_article_mixing_usgs_editions_has_its_older_figures_outdated():
    result = run(
        table(
            claim("a000-01", "Russia", "reserves", "3.8", "Mt"),  # MCS2025 only
            claim("a000-02", "China", "production", "240", "kt", period="2023"),  # MCS2024 only
        ),
        USGS,
    ).set_index("check_id")
    assert result.verdict["usgs:a000-01"] == CONSISTENT
    assert result.verdict["usgs:a000-02"] == "outdated"
    assert "MCS2025 gives 255 kt (quota) in 2023" in result.explanation["usgs:a000-02"]


# --- recomputation -------------------------------------------------------------------------------


def test_a_share_that_does_not_match_its_parts_is_contradicted():
    check = only(
        run(
            table(
                claim("a000-01", "China", "production", "240", "kt", period="2023"),
                claim("a000-02", "world", "production", "356", "kt", period="2023"),
                claim("a000-03", "China", "production_share", "80", "%", counterpart="world", period="2023"),
            )
        ),
        "share_of_whole",
    )
    assert check.verdict == CONTRADICTED and check.check_value == pytest.approx(67.416, abs=1e-3)
    assert check.claim_ids == "a000-01; a000-02; a000-03"
    assert "67.4%" in check.explanation and "not the stated 80%" in check.explanation


@pytest.mark.parametrize(
    ("part", "whole", "share", "verdict"),
    [
        ("100", "200", "50", CONSISTENT),
        ("240", "356", "67", WITHIN_ROUNDING),
        ("1", "3", "34", WITHIN_ROUNDING),  # 33.3% as written; "1" and "3" admit 14% to 60%
    ],
)
def test_a_share_is_judged_with_the_rounding_of_its_inputs(part, whole, share, verdict):
    check = only(
        run(
            table(
                claim("a000-01", "China", "production", part, "kt"),
                claim("a000-02", "world", "production", whole, "kt"),
                claim("a000-03", "China", "production_share", share, "%", counterpart="world"),
            )
        ),
        "share_of_whole",
    )
    assert check.verdict == verdict


def test_shares_of_an_unstated_whole_must_imply_the_same_whole():
    rows = [
        claim("a000-01", "China", "reserves", "44", "Mt"),
        claim("a000-02", "China", "reserve_share", "38", "%", counterpart="world"),
        claim("a000-03", "Brazil", "reserves", "21", "Mt"),
    ]
    good = only(
        run(table(*rows, claim("a000-04", "Brazil", "reserve_share", "18", "%", counterpart="world"))), "implied_whole"
    )
    assert good.verdict == WITHIN_ROUNDING and "115.8 Mt" in good.explanation
    bad = only(
        run(table(*rows, claim("a000-04", "Brazil", "reserve_share", "30", "%", counterpart="world"))), "implied_whole"
    )
    assert bad.verdict == CONTRADICTED


@pytest.mark.parametrize(
    ("shares", "verdict"),
    [
        (("92", "7", "1"), CONSISTENT),
        (("60", "30"), CONSISTENT),
        (("50", "50.5"), WITHIN_ROUNDING),
        (("70", "40"), CONTRADICTED),
    ],
)
def test_parts_of_one_whole_add_up_to_at_most_100_percent(shares, verdict):
    countries = ("China", "Japan", "Vietnam")
    rows = [
        claim(f"a002-0{i + 1}", countries[i], "magnet_production_share", share, "%", counterpart="world")
        for i, share in enumerate(shares)
    ]
    check = only(run(table(*rows)), "parts_of_whole")
    assert check.verdict == verdict and check.check_value == pytest.approx(sum(float(s) for s in shares))
    assert check.stated_value == 100


def test_a_growth_rate_without_its_levels_cannot_be_checked():
    check = only(run(table(claim("a000-01", "China", "export_cagr", "11.6", "%", period="2018-2023"))), "growth_rate")
    assert check.verdict == "cannot_check" and math.isnan(check.check_value) and "2018 and 2023" in check.explanation


@pytest.mark.parametrize(("rate", "verdict"), [("14.87", WITHIN_ROUNDING), ("20", CONTRADICTED)])
def test_a_growth_rate_is_recomputed_from_its_levels(rate, verdict):
    check = only(
        run(
            table(
                claim("a000-01", "China", "exports_quantity", "100", "kt", period="2018"),
                claim("a001-01", "China", "exports_quantity", "200", "kt", period="2023"),
                claim("a000-02", "China", "export_cagr", rate, "%", period="2018-2023"),
            )
        ),
        "growth_rate",
    )
    assert check.check_value == pytest.approx(14.8698, abs=1e-3) and check.verdict == verdict


RESERVES = [
    claim("a000-01", "China", "reserves", "44", "Mt"),
    claim("a000-02", "Brazil", "reserves", "21", "Mt"),
    claim("a000-03", "India", "reserves", "6.9", "Mt"),
    claim("a000-04", "Russia", "reserves", "3.8", "Mt"),
    claim("a000-05", "Vietnam", "reserves", "3.5", "Mt"),
]


def test_a_rank_contradicted_by_the_articles_named_figures_is_caught():
    # The article names Russia and Vietnam below India; no country it leaves out has more than 6.9 Mt in either edition.
    tables = usgs_table(
        *(
            (e, c, "reserves", "", v)
            for e in usgs.EDITIONS
            for c, v in (("China", 44e6), ("Brazil", 21e6), ("India", 6.9e6))
        )
    )
    check = only(
        run(table(*RESERVES, claim("a000-06", "India", "reserve_rank", "fifth", "rank", counterpart="world")), tables),
        "rank_from_figures",
    )
    assert check.verdict == CONTRADICTED and check.check_value == 3 and "3rd" in check.explanation


def test_a_rank_that_needs_countries_the_article_leaves_out_cannot_be_checked():
    tables = usgs_table(("MCS2024", "Greenland", "reserves", "", 9e6), ("MCS2024", "Canada", "reserves", "", 8e6))
    check = only(
        run(
            table(*RESERVES, claim("a000-06", "India", "reserve_rank", "fifth", "rank", counterpart="world")),
            tables,
            current="MCS2024",
        ),
        "rank_from_figures",
    )
    assert check.verdict == "cannot_check" and "Canada, Greenland, which MCS2024 puts above it" in check.explanation
    third = only(
        run(table(*RESERVES, claim("a000-06", "India", "reserve_rank", "third", "rank", counterpart="world")), tables),
        "rank_from_figures",
    )
    assert third.verdict == CONSISTENT


AVERAGE = claim(
    "a001-01",
    "India",
    "magnet_imports_value_average",
    "249",
    "USD million per year",
    period_as_written="over the past four years",
)


@pytest.mark.parametrize(("latest", "verdict", "others"), [("291", CONSISTENT, 235.0), ("1,100", CONTRADICTED, -34.67)])
def test_an_average_and_one_of_its_years_leave_the_rest_for_the_others(latest, verdict, others):
    check = only(
        run(table(AVERAGE, claim("a001-02", "India", "magnet_imports_value", latest, "$ million", period="FY2024-25"))),
        "average_of_parts",
    )
    assert check.verdict == verdict and check.check_value / 1e6 == pytest.approx(others, abs=0.01)
    assert "4 years" in check.explanation


# --- cross-source --------------------------------------------------------------------------------


def test_one_figure_given_two_dates_is_a_date_conflict_not_a_contradiction():
    check = only(
        run(
            table(
                claim("a000-01", "India", "import_value_share", "81", "%", counterpart="China", period="2022"),
                claim("a004-01", "India", "import_value_share", "81", "%", counterpart="China", period="2023"),
            )
        ),
        "same_figure",
    )
    assert check.verdict == "date_conflict" and "2022" in check.explanation and "2023" in check.explanation


def test_two_values_for_one_period_that_cannot_both_hold_are_contradicted():
    check = only(
        run(
            table(
                claim("a000-01", "India", "reserves", "6.9", "Mt"), claim("a001-01", "India", "reserves", "8.2", "Mt")
            )
        ),
        "same_figure",
    )
    assert check.verdict == CONTRADICTED


def test_a_series_over_different_years_is_not_a_conflict():
    assert (
        run(
            table(
                claim("a000-01", "China", "production", "210", "kt", period="2022"),
                claim("a001-01", "China", "production", "240", "kt", period="2023"),
            )
        )["rule"]
        .eq("same_figure")
        .sum()
        == 0
    )


@pytest.mark.parametrize(
    ("first", "second", "qualifier", "verdict"),
    [
        ("67", "two-thirds", "", WITHIN_ROUNDING),
        ("92", "92", "", CONSISTENT),
        ("93", "90", "over", CONSISTENT),
    ],
)
def test_one_figure_restated_is_compared_rounding_and_hedge_aware(first, second, qualifier, verdict):
    unit = "fraction" if second == "two-thirds" else "%"
    result = run(
        table(
            claim("a000-01", "China", "production_share", first, "%", counterpart="world"),
            claim("a004-01", "China", "production_share", second, unit, counterpart="world", qualifier=qualifier),
        )
    )
    checks = result[result.rule == "same_figure"]
    assert set(checks.verdict) == {verdict} and sorted("; ".join(checks.judges).split("; ")) == ["a000-01", "a004-01"]


@pytest.mark.parametrize(
    ("first", "second", "coarse"), [("92", "92", ""), ("93", "90", "a000-01"), ("67", "two-thirds", "a000-01")]
)
def test_a_statement_is_confirmed_only_by_one_at_least_as_precise(first, second, coarse):
    # "over 90%" bears out "93%" only as far as it goes: 93% is consistent with it, not confirmed by it.
    unit = "fraction" if second == "two-thirds" else "%"
    qualifier = "over" if second == "90" else ""
    result = run(
        table(
            claim("a000-01", "China", "production_share", first, "%", counterpart="world"),
            claim("a004-01", "China", "production_share", second, unit, counterpart="world", qualifier=qualifier),
        )
    )
    checks = result[result.rule == "same_figure"]
    assert dict(zip(checks.evidence, checks.judges, strict=True)).get("coarser_article", "") == coarse


def test_two_budgets_of_one_subject_told_apart_by_their_item_are_neither_compared_nor_contradicted():
    result = run(
        table(
            claim("a001-01", "Government of India", "budget_allocation", "1,345", "₹ crore", item="magnet support"),
            claim("a005-08", "Government of India", "budget_allocation", "7,280", "₹ crore", item="magnet scheme"),
        )
    )
    assert set(result.verdict) == {"not_checked"}, result[["check_id", "verdict"]].to_string()
    for check in result.itertuples():
        assert "are of another item, so not the same figure" in check.explanation, check.explanation


def test_one_number_for_different_measures_is_ambiguous_not_contradicted():
    check = only(
        run(
            table(
                claim(
                    "a000-01",
                    "China",
                    "magnet_processing_capacity_share",
                    "90",
                    "%",
                    counterpart="world",
                    qualifier="over",
                ),
                claim("a001-01", "China", "magnet_production_share", "92", "%", counterpart="world"),
                claim("a002-01", "China", "production_share", "67", "%", counterpart="world"),
            )
        ),
        "same_number_different_measure",
    )
    # The other figure of the family is named as differing (an input), not judged.
    assert check.verdict == "ambiguous" and check.judges == "a000-01; a001-01"
    assert check.claim_ids == "a000-01; a001-01; a002-01" and check.evidence == "none"
    assert "magnet processing capacity" in check.explanation and "mine production" in check.explanation


def test_an_unspecified_measure_sharing_a_named_measures_number_is_ambiguous_not_confirmed():
    check = only(
        run(
            table(
                claim("a004-01", "India", "import_dependence_share", "90", "%", counterpart="China"),
                claim("a000-01", "India", "import_quantity_share", "90", "%", counterpart="China"),
                claim("a000-02", "India", "import_value_share", "81", "%", counterpart="China"),
            )
        ),
        "same_number_different_measure",
    )
    # Only the figure that does not say what it measures is unclear; the named measure is not judged.
    assert check.verdict == "ambiguous" and check.judges == "a004-01" and "import quantity" in check.explanation


@pytest.mark.parametrize(("applicants", "checked"), [("30", True), ("45", False)])
def test_two_measures_that_share_a_number_are_ambiguous_never_a_restatement(applicants, checked):
    result = run(
        table(
            claim("a002-01", "Indian firms", "permit_applications", "30", "applications", counterpart="China"),
            claim("a002-02", "Indian firms", "permit_applicants", applicants, "applicants", counterpart="China"),
        )
    )
    assert not set(result.verdict) & {CONSISTENT, CONTRADICTED, "hedge_dropped"}
    assert ("same_number_different_measure" in set(result.rule)) == checked
    if checked:
        assert only(result, "same_number_different_measure").verdict == "ambiguous"


@pytest.mark.parametrize(("written", "verdict"), [("17", CONSISTENT), ("15", CONTRADICTED)])
def test_the_number_of_rare_earth_elements_is_checked_against_its_definition(written, verdict):
    stated = claim("a000-01", "rare earth elements", "element_count", written, "applications")
    check = only(run(table(stated)), "definition")
    assert check.verdict == verdict and check.evidence == "primary" and check.check_value == 17
    assert "scandium, yttrium and the 15 lanthanides (atomic numbers 57 to 71)" in check.explanation


def test_an_absence_of_announcements_against_a_figure_that_presupposes_one_is_ambiguous():
    # "No domestic separation facilities ... have been announced": IREL's NdPr takes a facility in
    # operation, which refutes "there are none" but not "none new announced".
    absent = claim("a004-01", "India", "separation_facilities", "0", "applications")
    produced = claim("a002-01", "IREL", "ndpr_production", "1,500", "tonnes annually")
    check = only(run(table(absent, produced)), "absence_against_figure")
    assert check.verdict == "ambiguous" and check.judges == "a004-01"
    assert "a002-01" in check.explanation and "separation facilities in India" in check.explanation
    assert "no new one has been announced" in check.explanation
    elsewhere = claim("a002-01", "China", "ndpr_production", "1,500", "tonnes annually")
    assert "absence_against_figure" not in set(run(table(absent, elsewhere)).rule)


def date_claim(claim_id: str, metric: str, written: str, as_of: str = "2025-06-13", subject: str = "China") -> dict:
    """A processed date claim: the days `written` admits, read as of `as_of`, as the cleaning step writes them."""
    low, high = units.parse_date(written, datetime.date.fromisoformat(as_of))
    row = claim(claim_id, subject, metric, "1", "applications", counterpart="China" if "talks" in metric else "")
    row.update(value=low if low == high else math.nan, value_low=low, value_high=high, unit="date")
    row.update(value_as_written=written, unit_as_written="date", quote=f"on {written}")
    return row


@pytest.mark.parametrize(
    ("written", "verdict"),
    [("April 4", CONSISTENT), ("April 2025", CONSISTENT), ("April 5", CONTRADICTED), ("March 2025", CONTRADICTED)],
)
def test_dates_of_one_event_are_compared_by_the_days_their_words_admit(written, verdict):
    rows = table(
        date_claim("a002-01", "export_controls_date", "April 4, 2025"),
        date_claim("a003-01", "export_controls_date", written),
    )
    result = run(rows)
    checks = result[result.rule == "same_figure"]
    assert set(checks.verdict) == {verdict} and sorted("; ".join(checks.judges).split("; ")) == ["a002-01", "a003-01"]
    check = checks.iloc[0]
    if written == "April 4":  # a date without its year says the day it is read as
        assert "April 4 (a003-01: 4 April 2025)" in check.explanation


def test_a_date_counted_from_another_is_the_day_it_counts_to():
    rows = table(
        date_claim("a000-01", "export_controls_date", "April 2, 2025. Two days later"),
        date_claim("a002-01", "export_controls_date", "April 4, 2025"),
    )
    check = only(run(rows), "same_figure")
    assert check.verdict == CONSISTENT and "(a000-01: 4 April 2025)" in check.explanation


@pytest.mark.parametrize(
    ("occasion", "as_of", "refuted"),
    [("Thursday", "2025-06-13", True), ("Thursday", "2025-06-28", False), ("June 27, 2025", "2025-06-28", False)],
)
def test_a_first_occasion_is_refuted_only_by_an_occasion_dated_before_it(occasion, as_of, refuted):
    # Read as of June 13, "Thursday" is June 12; read as of June 28, it is June 26 itself.
    first = date_claim("a000-01", "first_talks_acknowledgment_date", "June 26, 2025", subject="Government of India")
    other = date_claim("a002-01", "talks_acknowledgment_date", occasion, as_of, subject="Government of India")
    result = run(table(first, other))
    found = result[result.rule == "first_occurrence"]
    if not refuted:
        assert found.empty  # no earlier occasion known is no verdict either way
        return
    check = only(result, "first_occurrence")
    assert check.verdict == CONTRADICTED and check.judges == "a000-01" and check.evidence == "other_article"
    assert "Thursday (a002-01: 12 June 2025), which is earlier" in check.explanation


def test_occasions_of_an_event_that_recurs_are_never_one_figure():
    rows = table(
        date_claim("a000-01", "talks_acknowledgment_date", "June 26, 2025", subject="Government of India"),
        date_claim("a002-01", "talks_acknowledgment_date", "June 12, 2025", subject="Government of India"),
    )
    result = run(rows)
    assert "same_figure" not in set(result.rule)
    assert all("an event that recurs" in explanation for explanation in result.explanation)


@pytest.mark.parametrize(("average", "verdict"), [("249", CONSISTENT), ("300", CONTRADICTED)])
def test_the_highest_year_of_an_average_must_be_above_the_other_years(average, verdict):
    # USD 291 million in one of four years with a 300 million average leaves 303 million for the others.
    rows = table(
        claim("a001-01", "India", "magnet_imports_value_average", average, "USD million per year",
              period_as_written="over the past four years"),
        claim("a001-02", "India", "magnet_imports_value", "291", "$ million", period="FY2024-25"),
        claim("a001-03", "India", "magnet_imports_value_rank", "1", "rank", period="FY2024-25"),
    )  # fmt: skip
    result = run(rows).set_index("check_id")
    assert result.verdict["average_of_parts:a001-03"] == verdict
    assert result.judges["average_of_parts:a001-03"] == "a001-03"


def test_agreement_with_an_article_that_retells_the_same_reporting_does_not_confirm():
    rows = table(claim("a000-01", "IREL", "magnet_production_capacity", "3,000", "kg/year"),
                 claim("a004-01", "IREL", "magnet_production_capacity", "3,000", "kg/year"))  # fmt: skip
    assert only(run(rows), "same_figure").evidence == "other_article"
    shared = only(run(rows, related={"a000": {"a004"}, "a004": {"a000"}}), "same_figure")
    assert shared.verdict == CONSISTENT and shared.evidence == "related_article"


def test_a_dropped_hedge_is_flagged():
    result = run(
        table(
            claim(
                "a000-01", "Indian auto sector", "magnet_imports", "460", "t", qualifier="mostly", period="FY2024-25"
            ),
            claim(
                "a000-02", "Indian auto sector", "magnet_imports", "460", "t", counterpart="China", period="FY2024-25"
            ),
        )
    )
    check = only(result, "dropped_hedge")
    assert check.verdict == "hedge_dropped" and "mostly from China" in check.explanation
    assert check.judges == "a000-02"  # the restatement, not the hedged statement
    # Two measures that share a number are not one figure: no hedge rule across them.
    around = run(
        table(
            claim("a002-01", "Indian firms", "permit_applications", "30", "applications", qualifier="Around"),
            claim("a002-02", "Indian firms", "permit_applicants", "30", "applicants"),
        )
    )
    assert "dropped_hedge" not in set(around.rule)
    # Across articles an exact figure is an independent report, not a dropped hedge.
    across = run(
        table(
            claim("a000-01", "India", "reserves", "6.9", "Mt", qualifier="approximately"),
            claim("a001-01", "India", "reserves", "6.9", "Mt"),
        )
    )
    assert "dropped_hedge" not in set(across.rule)
    kept = run(
        table(
            claim("a000-01", "India", "reserves", "6.9", "Mt", qualifier="approximately"),
            claim("a000-02", "India", "reserves", "6.9", "Mt", qualifier="approximately"),
        )
    )
    assert "dropped_hedge" not in set(kept.rule)


# --- derivations and primary data ----------------------------------------------------------------


def test_an_implied_price_shows_its_arithmetic():
    check = only(
        run(
            table(
                claim("a000-01", "Indian auto sector", "magnet_imports_projected", "700", "t", period="2025"),
                claim(
                    "a000-02", "Indian auto sector", "magnet_imports_value_projected", "30", "$ million", period="2025"
                ),
            )
        ),
        "implied_price",
    )
    assert check.verdict == "derived" and "USD 42.9/kg" in check.explanation and "700,000 kg" in check.explanation


def test_an_implied_ratio_shows_its_arithmetic():
    check = only(
        run(
            table(
                claim("a004-01", "China", "magnet_production", "160,000", "tons annually", qualifier="over"),
                claim("a004-02", "IREL", "magnet_production_capacity", "3,000", "kg/year"),
            )
        ),
        "implied_ratio",
    )
    assert check.verdict == "derived" and "53,333 times" in check.explanation and "lower bound" in check.explanation


def test_a_yearly_rate_set_against_an_amount_is_a_years_worth_of_it():
    rows = table(
        claim("a002-01", "IREL", "ndpr_production", "1,500", "tonnes annually"),
        claim("a002-02", "India", "consumption", "1,700", "t"),
    )
    check = only(run(rows), "implied_ratio")
    assert check.verdict == "derived" and check.judges == ""  # judges nobody
    assert "0.88 times" in check.explanation and "a year's worth" in check.explanation


@pytest.mark.parametrize(("whole", "verdict"), [("291", "derived"), ("10", "implausible")])
def test_a_part_valued_at_its_articles_price_must_fit_in_its_countrys_whole(whole, verdict):
    rows = table(
        claim("a000-01", "Indian auto sector", "magnet_imports", "460", "t", period="FY2024-25"),
        claim("a000-02", "Indian auto sector", "magnet_imports_projected", "700", "t", period="2025"),
        claim("a000-03", "Indian auto sector", "magnet_imports_value_projected", "30", "$ million", period="2025"),
        claim("a001-01", "India", "magnet_imports_value", whole, "$ million", period="FY2024-25"),
    )
    check = only(run(rows), "implied_value_in_whole")
    # 460 t at USD 30 million / 700 t = USD 42.9/kg is USD 19.7 million: within 291 million, not within 10.
    assert check.verdict == verdict and "would be worth about USD 19.7 million" in check.explanation
    assert check.judges == ("a000-01" if verdict == "implausible" else check.judges)
    assert verdict == "implausible" or check.judges == ""  # within its whole it tests nothing


@pytest.mark.parametrize(("period", "found"), [("2025", True), ("2024", False)])
def test_a_projection_beside_a_stop_in_its_period_says_what_it_then_needs(period, found):
    rows = table(
        claim("a000-01", "Indian auto sector", "magnet_imports_projected", "700", "t", period="2025"),
        claim("a003-01", "India", "magnet_imports", "0", "t", counterpart="China", period=period),
    )
    result = run(rows)
    if not found:
        assert "projection_beside_a_stop" not in set(result.rule)
        return
    check = only(result, "projection_beside_a_stop")
    assert check.verdict == "cannot_check" and check.judges == ""
    assert "a000-01" in check.explanation and "a003-01" in check.explanation


@pytest.mark.parametrize(("banned", "refuted"), [("world", True), ("Indian firms", False)])
def test_an_export_ban_on_everyone_is_refuted_by_permits_approved_for_anyone(banned, refuted):
    rows = table(
        claim("a003-01", banned, "permit_approvals", "0", "applications", counterpart="China"),  # "export ban"
        claim("a002-01", "European auto suppliers", "permit_approval_share", "25", "%", counterpart="China"),
    )
    result = run(rows)
    if not refuted:  # a ban on one buyer says nothing of permits for another
        assert "absence_against_figure" not in set(result.rule)
        return
    check = only(result, "absence_against_figure")
    assert check.verdict == CONTRADICTED and check.judges == "a003-01" and check.evidence == "other_article"
    assert "only some buyers" in check.explanation


def test_a_rule_setting_one_figure_against_several_gives_each_pair_its_own_check():
    rows = table(
        claim("a003-01", "world", "permit_approvals", "0", "applications", counterpart="China"),
        claim("a002-01", "European auto suppliers", "permit_approval_share", "25", "%", counterpart="China"),
        claim("a005-01", "Japan", "permit_approval_share", "40", "%", counterpart="China"),
    )
    result = run(rows)  # valid: check ids are unique
    assert set(result[result.rule == "absence_against_figure"].check_id) == {
        "absence_against_figure:a003-01/a002-01",
        "absence_against_figure:a003-01/a005-01",
    }


def test_a_zero_quantity_or_whole_gives_no_price_and_no_share():
    rows = table(
        claim("a000-01", "Indian auto sector", "magnet_imports", "460", "t", period="FY2024-25"),
        claim("a000-02", "Indian auto sector", "magnet_imports_projected", "0", "t", period="2025"),
        claim("a000-03", "Indian auto sector", "magnet_imports_value_projected", "30", "$ million", period="2025"),
        claim("a001-01", "India", "magnet_imports_value", "0", "$ million", period="FY2024-25"),
    )
    result = run(rows)
    assert not {"implied_price", "implied_value_in_whole"} & set(result.rule)


@pytest.mark.parametrize(("demand", "verdict"), [("93", "implausible"), ("380", CONSISTENT)])
def test_a_figure_far_below_what_its_scope_implies_is_implausible(demand, verdict):
    check = only(run(table(claim("a000-01", "world", "demand", demand, "kt", period="2024")), USGS), "scope")
    assert check.verdict == verdict


@pytest.mark.parametrize(("ndpr", "verdict"), [("1,500", "implausible"), ("500", CONSISTENT)])
def test_a_part_larger_than_its_whole_allows_is_implausible(ndpr, verdict):
    check = only(run(table(claim("a002-01", "IREL", "ndpr_production", ndpr, "tonnes annually")), USGS), "plausibility")
    assert check.verdict == verdict and "2.9 kt" in check.explanation


# --- every claim accounted for -------------------------------------------------------------------


def test_a_claim_no_rule_checks_gets_a_row_saying_why():
    result = run(
        table(
            claim("a003-01", "Indian firms", "permit_applications", "50", "applications"),
            claim("a000-01", "India", "reserves", "6.9", "Mt"),
            claim("a001-01", "India", "reserves", "6.9", "Mt"),
        )
    )
    check = only(result, "not_checked")
    assert (
        check.claim_ids == "a003-01"
        and check.verdict == "not_checked"
        and "no other article gives a figure for" in check.explanation
    )
    assert "a000-01" not in set(result[result.rule == "not_checked"].claim_ids)


def test_a_clean_table_raises_no_finding():
    clean = table(
        claim("a000-01", "China", "production", "255", "kt", period="2023"),
        claim("a000-02", "world", "production", "376", "kt", period="2023"),
        claim("a000-03", "China", "production_share", "67.8", "%", counterpart="world", period="2023"),
        claim("a001-01", "China", "production", "255", "kt", period="2023"),
        claim("a000-04", "Russia", "reserves", "3.8", "Mt"),
        claim("a000-05", "India", "reserves", "6.9", "Mt"),
        claim("a002-01", "China", "magnet_production_share", "90", "%", counterpart="world"),
        claim("a002-02", "Japan", "magnet_production_share", "7", "%", counterpart="world"),
    )
    result = run(clean, USGS)
    assert set(result.verdict) <= {CONSISTENT, WITHIN_ROUNDING, "not_checked"}, result.to_string()


def test_an_empty_table_gives_an_empty_valid_audit():
    assert run(table()).empty


# --- the registry, the vocabulary and the metric records -----------------------------------------


def test_the_registry_is_the_one_list_of_rules():
    assert all(re.fullmatch(schemas.AUDIT.column("rule").pattern.strip("^$"), name) for name in audit.RULES)
    text = dictionary.markdown()
    for rule in audit.RULES.values():
        assert rule.kind in vocabulary.CHECK_KINDS and rule.meaning
        assert f"| `{rule.name}` | `{rule.kind}` |" in text
    assert {rule.kind for rule in audit.RULES.values()} == set(vocabulary.CHECK_KINDS)
    assert vocabulary.CHECK_KIND_LABELS.keys() == vocabulary.CHECK_KINDS.keys(), "every kind has readers' words"


def test_every_verdict_has_a_meaning_and_an_example_in_the_data_dictionary():
    text = dictionary.markdown()
    for verdict, record in vocabulary.VERDICTS.items():
        meaning, example = record.meaning, record.example
        assert meaning and example and f"| `{verdict}` | {record.label} | {meaning} | {example} |" in text


def test_every_metric_record_names_known_metrics():
    for record in vocabulary.METRICS.values():
        for related in (
            record.share_of,
            record.rank_of,
            record.average_of,
            record.year_rank_of,
            record.presupposes,
            record.priced_by,
            record.set_against,
            *record.growth_of,
            record.first_of,
        ):
            assert not related or related in vocabulary.METRICS, (record.name, related)
        assert not record.first_of or vocabulary.METRICS[record.first_of].recurring, record.name
        assert record.usgs_measure in ("", "reserves", "mine_production")


# --- the interval laws the cross-source rules rest on --------------------------------------------

_VALUES = (1.0, 1.0 + 1e-10, 1.5, 2.0, 90.0, 200 / 3, 66.67, 1e6)


@st.composite
def groups(draw) -> list[statements.Statement]:
    size = draw(st.integers(min_value=0, max_value=10))
    found = []
    for index in range(size):
        low = draw(st.sampled_from(_VALUES))
        found.append(
            statements.Statement(
                claim_ids=(f"a000-{index + 1:02d}",),
                source_id="a000",
                subject="China",
                metric="production_share",
                counterpart="world",
                period=draw(st.sampled_from(("", "", "2022", "2023"))),
                low=low,
                high=low + draw(st.sampled_from((0.0, 0.5, 30.0))),
                unit="percent",
                hedge=draw(st.sampled_from(tuple(vocabulary.HEDGES))),
                half_step=draw(st.sampled_from((0.0, 0.5, 0.05))),
                as_written=f"{low:g}",
            )
        )
    return found


@given(groups())
def test_a_conflict_is_found_exactly_when_some_pair_cannot_both_hold(group):
    some_pair = any(not statements.overlap(a.admitted(), b.admitted()) for a, b in itertools.combinations(group, 2))
    assert (cross_source.conflicting_pair(group) is not None) == some_pair


@given(groups())
def test_a_figure_dated_twice_is_found_exactly_when_some_pair_shows_it(group):
    some_pair = any(
        a.period and b.period and a.period != b.period and statements.overlap(a.admitted(), b.admitted())
        for a, b in itertools.combinations(group, 2)
    )
    assert (cross_source.dated_twice(group) is not None) == some_pair


@given(groups())
def test_clusters_are_the_connected_groups_of_one_number(group):
    clusters = cross_source.clusters(group)
    assert sorted(c for cluster in clusters for s in cluster for c in s.claim_ids) == sorted(
        c for s in group for c in s.claim_ids
    )
    for one, other in itertools.combinations(clusters, 2):  # no figure of one cluster is the number of one of another
        assert not any(cross_source.same_number(a, b) for a in one for b in other)
    for cluster in clusters:  # and each cluster is connected
        reached, frontier = {id(cluster[0])}, [cluster[0]]
        while frontier:
            current = frontier.pop()
            for other in cluster:
                if id(other) not in reached and cross_source.same_number(current, other):
                    reached.add(id(other))
                    frontier.append(other)
        assert len(reached) == len(cluster)


# --- the real audit ------------------------------------------------------------------------------


def test_the_processed_audit_is_valid_and_regenerates_byte_for_byte(tmp_path):
    committed = CHECKOUT.processed_audit_csv.read_bytes()
    assert audit.build(tmp_path / "audit.csv").read_bytes() == committed
    checks = audit.load()
    for unit in set(checks.unit):
        ureg.Unit(unit)  # every unit is one the project's registry parses


def test_every_claim_is_accounted_for_in_the_audit():
    checks = audit.load()
    mentioned = {claim for ids in checks.claim_ids for claim in ids.split("; ")}
    assert mentioned == set(claims.load().claim_id)


def test_the_audit_finds_what_the_articles_get_wrong():
    checks = audit.load().set_index("check_id")
    verdict = checks.verdict
    assert verdict["rank_from_figures:a000-07"] == CONTRADICTED  # by a000's own figures India is third, not fifth
    assert verdict["same_figure:a000-47"] == "date_conflict"  # one import share dated 2022 and 2023
    assert verdict["usgs:a000-13"] == CONTRADICTED  # 356 kt matches neither edition
    assert verdict["usgs:a000-07"] == verdict["usgs:a002-07"] == "outdated"  # fifth in MCS2024; third in MCS2025
    assert verdict["share_base:a000-04"] == "outdated"  # 38% of MCS2024's reserves; 48.4% on MCS2025's rows
    assert verdict["share_base:a000-14"] == CONTRADICTED  # MCS2025's own 2023 figures give 67.8%
    assert verdict["absence_against_figure:a004-12/a002-08"] == "ambiguous"  # none announced, yet NdPr produced
    assert verdict["absence_against_figure:a003-07/a002-03"] == CONTRADICTED  # an export ban, yet permits approved
    assert verdict["scope:a000-28"] == CONSISTENT  # 202 kt by 2050, the top of its range, is just over half of 390 kt
    assert verdict["same_number_different_measure:a000-01"] == "ambiguous"  # "over 90%" of different measures
    assert verdict["scope:a000-26"] == "implausible"  # 93 kt of demand is a quarter of world mine output
    assert verdict["plausibility:a002-08"] == "implausible"  # 1,500 t of NdPr is over half of India's mine output
    assert "the sum of the countries MCS2024 lists" in checks.loc["share_base:a000-04", "explanation"]
    assert (
        checks.loc["usgs:a000-10", "compared_with"] == "USGS MCS2024 and MCS2025"
        and "matches MCS2025, current at the article's date" in checks.loc["usgs:a000-10", "explanation"]
    )


# --- the audit as readers see it (views) ---------------------------------------------------------


def test_reader_tables_of_the_audit_are_in_words_without_check_ids():
    import re

    from rare_earths import figures
    from rare_earths.audit import views

    table = audit.load()
    real_claims = claims.load()
    check_id = re.compile(r"\b[a-z_]+:a\d{3}-\d{2}\b")
    for frame in (
        views.for_readers(table, real_claims),
        audit.findings(table),
        audit.rules_table(),
        audit.verdicts_table(),
        audit.counts(table),
        views.unchecked_counts(table),
    ):
        assert not figures.snake_case_in(frame), "names from the code in a reader's table"
        assert not check_id.search(figures.table_html(frame)), "a check id in a reader's table"
    readers = views.for_readers(table, real_claims)
    assert list(readers.columns) == ["Rule", "Verdict", "Claims", "What was found", "Quotes"]
    assert readers.Claims.tolist() == table.claim_ids.tolist(), "claim ids stay, for the pages to link"
    judged = audit.findings(table)["Claims judged"].tolist()
    assert judged == views.headlines(table).judges.tolist(), "a finding names the claims it judges, not its inputs"
    assert audit.counts(table).index.name == "Kind of check"


def test_the_unchecked_counts_add_up_to_every_check_that_could_not_be_made():
    from rare_earths.audit import views

    table = audit.load()
    counted = views.unchecked_counts(table)
    assert counted.loc["Total", "Total"] == table.verdict.isin(views.UNCHECKED).sum()
    assert (counted.Total > 0).all(), "a kind with nothing unchecked is left out"


def test_each_share_base_names_its_whole_in_a_few_words():
    bases = audit.share_bases(claims.load(), reference.load())
    assert set(bases.whole) <= {"the article's own figures", "world total", "sum of listed countries"}
    assert (bases.whole == "the article's own figures").eq(bases.base == "the article's own figures").all()
