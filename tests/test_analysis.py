"""The articles' calculations on small synthetic tables whose arithmetic is known (a figure changed in
a synthetic table must change the result as the formula says), and laws that hold on any claims.
What the calculations give on today's articles is pinned in tests/todays_data/test_todays_analysis.py.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from rare_earths import analysis, metrics, vocabulary
from rare_earths.data import claims, schemas
from rare_earths.data.units import parse_figure

USD_INR = 84.57
SEP = analysis.SEPARATOR


# --- tables --------------------------------------------------------------------------------------


def synthetic(*rows: tuple) -> pd.DataFrame:
    """A processed claims table from rows shaped like data/raw/claims.csv.

    Each row: (claim_id, subject, metric, counterpart, period, value_as_written, unit_as_written[, qualifier[, item]]).
    The figures are parsed as the cleaning step parses them, then cleaned with `claims.clean`, and the
    result is checked against the processed schema.
    """
    records, figures = [], {}
    for claim_id, subject, metric, counterpart, period, value, unit, *rest in rows:
        figure = parse_figure(value, unit)
        figures[claim_id] = figure
        records.append(
            {
                "claim_id": claim_id,
                "source_id": claim_id.split("-")[0],
                "subject": subject,
                "metric": metric,
                "counterpart": counterpart,
                "item": rest[1] if len(rest) > 1 else "",
                "value_as_written": value,
                "unit_as_written": unit,
                "qualifier": rest[0] if rest else "",
                "range_low": f"{figure.low.magnitude:g}" if figure.is_range else "",
                "range_high": f"{figure.high.magnitude:g}" if figure.is_range else "",
                "period_as_written": "",
                "period": period,
                "quote": f"synthetic quote for {claim_id}",
                "note": "",
            }
        )
    raw = pd.DataFrame(records, columns=schemas.RAW_CLAIMS.names)
    return schemas.schema(schemas.CLAIMS).validate(claims.clean(raw, figures))


def synthetic_usgs(*rows: tuple) -> pd.DataFrame:
    """A tidy USGS table from (edition, country, measure, year, value_t[, estimated[, greater_than]])."""
    records = [
        {
            "edition": edition,
            "country": country,
            "measure": measure,
            "year": year,
            "value_t": value,
            "estimated": rest[0] if rest else "no",
            "greater_than": rest[1] if len(rest) > 1 else "no",
            "quota": "no",
        }
        for edition, country, measure, year, value, *rest in rows
    ]
    return schemas.schema(schemas.USGS).validate(pd.DataFrame(records, columns=schemas.USGS.names))


def ids(text: str) -> list[str]:
    return [claim_id for claim_id in text.split(SEP) if claim_id]


def by(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """The table indexed by a label column, which must be unique."""
    assert table[column].is_unique, table[column].tolist()
    return table.set_index(column)


# --- one() ---------------------------------------------------------------------------------------


def test_one_returns_the_figure_and_every_claim_stating_it():
    table = synthetic(
        ("a000-01", "China", "reserves", "", "", "44", "million metric tons", "estimated"),
        ("a001-01", "China", "reserves", "", "", "44,000", "kilotons"),  # the same figure in other words
        ("a001-02", "Brazil", "reserves", "", "", "21", "million metric tons"),
    )
    figure, claim_ids = analysis.one(table, "reserves", "China")
    assert claim_ids == "a000-01; a001-01"
    assert figure.low.to("Mt").magnitude == pytest.approx(44)
    assert not figure.is_range


def test_one_refuses_two_different_figures_and_names_their_claims():
    table = synthetic(
        ("a000-01", "China", "production_share", "world", "2023", "67", "%"),
        ("a000-02", "China", "production_share", "world", "2023", "67", "%"),
        ("a004-01", "China", "production_share", "world", "", "two-thirds", "fraction"),
    )
    with pytest.raises(LookupError) as raised:
        analysis.one(table, "production_share", "China")
    message = str(raised.value)
    assert "2 different figures" in message
    assert "a000-01; a000-02" in message and "a004-01" in message
    # Narrowed to one source, the figure is single again.
    assert analysis.one(table, "production_share", "China", source_id="a000")[1] == "a000-01; a000-02"


def test_one_refuses_a_metric_the_articles_do_not_give():
    table = synthetic(("a000-01", "China", "reserves", "", "", "44", "million metric tons"))
    with pytest.raises(LookupError, match="0 different figures"):
        analysis.one(table, "reserves", "India")


# --- reserves and production ---------------------------------------------------------------------


def test_reserves_comparison_synthetic():
    table = synthetic(
        ("a000-01", "Russia", "reserves", "", "", "3.8", "million metric tons"),
        ("a001-01", "Russia", "reserves", "", "", "3,800", "kilotons"),  # a repeat in other units
        ("a001-02", "Vietnam", "reserves", "", "", "22", "million metric tons"),
        ("a002-01", "Vietnam", "reserves", "", "", "3.5", "million metric tons"),  # a different figure
        ("a002-02", "Japan", "reserves", "", "", "1", "million metric tons"),  # not in USGS
    )
    reference_table = synthetic_usgs(
        ("MCS2024", "Russia", "reserves", "", 10e6),
        ("MCS2025", "Russia", "reserves", "", 3.8e6),
        ("MCS2024", "Vietnam", "reserves", "", 22e6),
        ("MCS2025", "Vietnam", "reserves", "", 3.5e6),
        ("MCS2025", "Russia", "mine_production", "2024", 2500.0),
    )
    result = analysis.reserves_comparison(table, reference_table)
    assert len(result) == 4
    russia = result[result.country == "Russia"].iloc[0]
    assert russia.claim_ids == "a000-01; a001-01"
    assert (russia.articles_mt, russia.usgs_mcs2024_mt, russia.usgs_mcs2025_mt) == pytest.approx((3.8, 10, 3.8))
    vietnam = result[result.country == "Vietnam"].set_index("claim_ids")
    assert vietnam.loc["a001-02", "articles_mt"] == pytest.approx(22)
    assert vietnam.loc["a002-01", "articles_mt"] == pytest.approx(3.5)
    assert vietnam.usgs_mcs2024_mt.tolist() == pytest.approx([22, 22])
    japan = result[result.country == "Japan"].iloc[0]
    assert japan.articles_mt == pytest.approx(1)
    assert math.isnan(japan.usgs_mcs2024_mt) and math.isnan(japan.usgs_mcs2025_mt)


def test_export_growth_synthetic():
    table = synthetic(("a000-01", "China", "export_cagr", "", "2015-2020", "10", "%"))
    row = analysis.export_growth(table).iloc[0]
    assert row.years == 5
    assert row.growth_multiple == pytest.approx(1.61051)


def test_value_against_quantity_pairs_by_period():
    table = synthetic(
        ("a000-01", "China", "export_value_share", "world", "2023", "60", "%"),
        ("a000-02", "China", "export_quantity_share", "world", "2023", "80", "%"),
        ("a000-03", "India", "import_value_share", "China", "2022", "50", "%"),
        ("a000-04", "India", "import_quantity_share", "China", "2023", "75", "%"),  # listed before 2022's
        ("a000-05", "India", "import_quantity_share", "China", "2022", "80", "%"),
        ("a000-06", "India", "import_value_share", "China", "2023", "60", "%"),
    )
    result = analysis.value_against_quantity(table)
    assert result.relative_unit_value.tolist() == pytest.approx([0.75, 50 / 80, 60 / 75])
    assert result.claim_ids.tolist() == ["a000-01; a000-02", "a000-03; a000-05", "a000-04; a000-06"]


def test_export_destinations_synthetic():
    table = synthetic(
        ("a000-01", "China", "export_destination_value_share", "Japan", "", "50", "%"),
        ("a000-02", "China", "export_destination_value_share", "USA", "", "20", "%"),
        ("a000-03", "China", "tariff_rate", "USA", "", "34", "%"),
    )
    result = by(analysis.export_destinations(table), "destination")
    assert list(result.index) == ["Japan", "USA", "other (not stated)"]
    assert result.loc["other (not stated)", "share_pct"] == pytest.approx(30)
    assert result.loc["other (not stated)", "claim_ids"] == "a000-01; a000-02"


MAGNET_IMPORTS = (
    ("a001-01", "India", "magnet_imports_value_average", "", "", "100", "USD million per year"),
    ("a001-02", "India", "magnet_imports_value", "", "FY2024-25", "120", "USD million"),
    ("a001-03", "India", "ree_imports_value_average", "", "", "20", "annual USD million", "around"),
)


def test_magnet_import_values_synthetic():
    result = analysis.magnet_import_values(synthetic(*MAGNET_IMPORTS), 80.0)
    assert result.value_usd_million.tolist() == pytest.approx([100, 120, 20])
    assert result.value_inr_crore.tolist() == pytest.approx([800, 960, 160])


def test_magnet_import_comparisons_synthetic():
    result = analysis.magnet_import_comparisons(synthetic(*MAGNET_IMPORTS))
    assert result.value.tolist() == pytest.approx([20, (400 - 120) / 3, 5])
    assert result.claim_ids.tolist() == ["a001-01; a001-02", "a001-01; a001-02", "a001-01; a001-03"]


def test_auto_sector_magnets_synthetic():
    table = synthetic(
        ("a000-01", "Indian auto sector", "magnet_imports", "", "FY2024-25", "400", "tons"),
        ("a000-02", "Indian auto sector", "magnet_imports_projected", "", "2025", "500", "tons"),
        ("a000-03", "Indian auto sector", "magnet_imports_value_projected", "", "2025", "20", "$ million"),
    )
    result = by(analysis.auto_sector_magnets(table), "measure")
    assert result.loc["2025 projection (calendar year) against FY2024-25 imports (April to March)", "value"] == 25
    assert result.loc["projected value", "value"] == pytest.approx(20)
    assert result.loc["implied price", "value"] == pytest.approx(40)
    assert result.loc["implied price", "unit"] == "USD / kg"


# --- demand --------------------------------------------------------------------------------------


def test_iea_demand_synthetic():
    table = synthetic(
        ("a000-01", "world", "demand", "", "2020", "100", "kilotons"),
        ("a000-02", "world", "demand_projected", "", "2030", "200-400", "kilotons"),
        ("a000-03", "world", "clean_tech_demand_share", "", "2020", "10", "%"),
        ("a000-04", "world", "clean_tech_demand_share_projected", "", "2030", "20-30", "%"),
    )
    result = analysis.iea_demand(table).set_index(["measure", "year"])
    cagr = result.loc[("world demand, implied CAGR", "2020-2030")]
    assert (cagr.low, cagr.high) == pytest.approx((100 * (2**0.1 - 1), 100 * (4**0.1 - 1)))
    clean_later = result.loc[("clean-technology demand", "2030")]
    assert (clean_later.low, clean_later.high) == pytest.approx((40, 120))
    clean_cagr = result.loc[("clean-technology demand, implied CAGR", "2020-2030")]
    assert (clean_cagr.low, clean_cagr.high) == pytest.approx((100 * (4**0.1 - 1), 100 * (12**0.1 - 1)))


def test_iea_demand_path_synthetic():
    table = synthetic(
        ("a000-01", "world", "demand", "", "2020", "100", "kilotons"),
        ("a000-02", "world", "demand_projected", "", "2022", "121-144", "kilotons"),
    )
    path = analysis.iea_demand_path(table)
    assert path.year.tolist() == [2020, 2021, 2022]
    assert path.demand_low_kt.tolist() == pytest.approx([100, 110, 121])
    assert path.demand_high_kt.tolist() == pytest.approx([100, 120, 144])


def test_india_consumption_synthetic():
    table = synthetic(
        ("a002-01", "India", "consumption", "", "", "1,000", "tonnes"),
        ("a002-02", "India", "consumption_projected", "", "2030", "8,000", "tonnes"),
    )
    assert analysis.india_consumption(table, 2027).implied_cagr_pct.iloc[0] == pytest.approx(100)
    assert analysis.india_consumption(table, 2029).implied_cagr_pct.iloc[0] == pytest.approx(700)
    with pytest.raises(ValueError, match="consumption_base_year"):
        analysis.india_consumption(table, 2030)


# --- capacity and policy -------------------------------------------------------------------------


def test_capacity_comparison_synthetic():
    table = synthetic(
        ("a000-01", "IREL", "magnet_production_capacity", "", "", "10,000", "kg annual"),
        ("a001-01", "IREL", "magnet_production_capacity", "", "", "10", "tonnes annually"),  # a repeat
        ("a000-03", "Indian auto sector", "magnet_imports", "", "FY2024-25", "200", "tons"),
        ("a000-04", "Indian auto sector", "magnet_imports_projected", "", "2025", "400", "tons"),
        ("a000-05", "China", "magnet_production", "", "", "1,000", "tons annually", "over"),
    )
    result = analysis.capacity_comparison(table)
    assert result.t_per_year.tolist() == pytest.approx([10, 200, 400, 1000])
    assert result.irel_plant_as_pct.tolist() == pytest.approx([100, 5, 2.5, 1])
    assert result.claim_ids.tolist()[0] == "a000-01; a001-01"
    assert result.claim_ids.tolist()[1] == "a000-01; a000-03; a001-01"


def test_budgets_synthetic():
    table = synthetic(
        ("a001-01", "Government of India", "budget_allocation", "", "", "50", "₹ crore"),
        ("a001-02", "National Critical Mineral Mission", "budget_allocation", "", "2025", "100", "₹ crore"),
        ("a001-03", "National Critical Mineral Mission", "investment_expected", "", "", "200", "₹ crore"),
    )
    result = analysis.budgets(table, 100.0)
    assert result.inr_crore.tolist() == pytest.approx([50, 100, 200])
    assert result.usd_million.tolist() == pytest.approx([5, 10, 20])
    at_30 = analysis.budgets(table, 30.0)  # 50 crore (one digit) is USD 16.67 million: 20 to one digit
    assert at_30.usd_million.tolist() == pytest.approx([20, 30, 70])


def test_two_budgets_of_one_subject_are_two_rows_labelled_by_their_item():
    """The case: a new article's ₹7,280 crore scheme beside the ₹1,345 crore allocation crashed the
    budgets table (one figure per subject expected)."""
    table = synthetic(
        ("a001-01", "Government of India", "budget_allocation", "", "", "1,345", "₹ crore", "", "magnet support"),
        ("a005-01", "Government of India", "budget_allocation", "", "", "7,280", "₹ crore", "", "magnet scheme"),
        ("a005-02", "Government of India", "budget_allocation", "", "", "7,280", "₹ crore", "", "magnet scheme"),
    )
    result = analysis.budgets(table, 100.0)
    assert result.item.tolist() == ["magnet support", "magnet scheme"]
    assert result.inr_crore.tolist() == pytest.approx([1345, 7280])
    assert result.claim_ids.tolist() == ["a001-01", "a005-01; a005-02"]


@pytest.mark.parametrize(
    ("written", "digits"), [("16,300", 3), ("1,345", 4), ("18,000", 2), ("6.9", 2), ("0.05", 1), ("0", 1)]
)
def test_significant_digits_as_written(written, digits):
    assert metrics.significant_digits(written) == digits


def test_magnet_production_shares_synthetic():
    table = synthetic(
        ("a002-01", "China", "magnet_production_share", "world", "", "60", "per cent"),
        ("a002-02", "Japan", "magnet_production_share", "world", "", "30", "per cent"),
    )
    result = by(analysis.magnet_production_shares(table), "country")
    assert result.loc["sum", "share_pct"] == pytest.approx(90)


def test_china_shares_synthetic():
    table = synthetic(
        ("a000-01", "China", "reserve_share", "world", "", "38", "%"),
        ("a000-02", "China", "tariff_rate", "USA", "", "34", "%"),  # not a share of the world
        ("a000-03", "India", "reserve_share", "world", "", "5", "%"),  # not China
        ("a000-04", "China", "export_cagr", "world", "2018-2023", "11.6", "%"),  # not a dominance metric
        ("a000-05", "China", "export_destination_value_share", "Japan", "", "85", "%"),
        ("a004-01", "China", "production_share", "world", "", "two-thirds", "fraction"),
        ("a004-02", "China", "magnet_processing_share", "world", "", "90", "%", "around"),
    )
    result = analysis.china_shares(table)
    assert result.claim_id.tolist() == ["a004-02", "a004-01", "a000-01"]  # sorted by metric
    assert result.as_written.tolist() == [
        "around 90 %",
        "two-thirds",
        "38 %",
    ]  # no quote to cut from: the captured fields
    assert result.bound.tolist() == ["approximate", "exact", "exact"]


def test_stock_depletion_synthetic():
    table = synthetic(("a002-01", "Indian auto sector", "magnet_stock", "", "", "2-4", "weeks"))
    result = analysis.stock_depletion(table, step_weeks=1)
    assert result.week.tolist() == pytest.approx([0, 1, 2, 3, 4])
    assert result.stock_left_low_pct.tolist() == pytest.approx([100, 50, 0, 0, 0])
    assert result.stock_left_high_pct.tolist() == pytest.approx([100, 75, 50, 25, 0])


def test_permits_synthetic():
    table = synthetic(
        ("a002-01", "Indian firms", "permit_applications", "China", "", "40", "applications"),
        ("a002-02", "Indian firms", "permit_applicants", "China", "", "35", "applicants"),
        ("a002-03", "Indian firms", "permit_approvals", "China", "", "2", "applications"),
        ("a002-04", "European auto suppliers", "permit_approval_share", "China", "", "10", "per cent"),
    )
    result = by(analysis.permits(table), "measure")
    assert result.loc["Indian permits granted so far", "value"] == 2
    assert result.loc["European applications approved", "value"] == pytest.approx(10)


# --- traceability --------------------------------------------------------------------------------

TABLES = {
    "reserves_comparison": lambda c, u: analysis.reserves_comparison(c, u),
    "export_growth": lambda c, u: analysis.export_growth(c),
    "value_against_quantity": lambda c, u: analysis.value_against_quantity(c),
    "export_destinations": lambda c, u: analysis.export_destinations(c),
    "magnet_import_values": lambda c, u: analysis.magnet_import_values(c, USD_INR),
    "magnet_import_comparisons": lambda c, u: analysis.magnet_import_comparisons(c),
    "auto_sector_magnets": lambda c, u: analysis.auto_sector_magnets(c),
    "iea_demand": lambda c, u: analysis.iea_demand(c),
    "india_consumption": lambda c, u: analysis.india_consumption(c, 2024),
    "india_consumption_sensitivity": lambda c, u: analysis.india_consumption_sensitivity(c, range(2020, 2026)),
    "capacity_comparison": lambda c, u: analysis.capacity_comparison(c),
    "budgets": lambda c, u: analysis.budgets(c, USD_INR),
    "magnet_production_shares": lambda c, u: analysis.magnet_production_shares(c),
    "china_shares": lambda c, u: analysis.china_shares(c),
    "permits": lambda c, u: analysis.permits(c),
}


def test_every_metric_has_words_for_a_reader_and_a_share_names_what_it_is_of():
    assert all("_" not in analysis.metric_words(name) for name in vocabulary.METRICS)
    assert analysis.share_measure("reserve_share") == "reserves"
    assert analysis.share_measure("export_value_share") == "export value"
    assert analysis.share_measure("magnet_production_share") == vocabulary.METRICS["magnet_production_share"].measure


# --- laws that hold on the real claims -------------------------------------------------------------


def test_magnet_import_values_follow_the_rate_only_in_rupees(real):
    at_80 = analysis.magnet_import_values(real, 80.0)
    at_90 = analysis.magnet_import_values(real, 90.0)
    pd.testing.assert_series_equal(at_80.value_usd_million, at_90.value_usd_million)
    pd.testing.assert_series_equal(at_80.claim_ids, at_90.claim_ids)
    assert (at_90.value_inr_crore / at_80.value_inr_crore).tolist() == pytest.approx([90 / 80] * 3)


@pytest.mark.parametrize("base_year", [2032, 2033])
def test_india_consumption_refuses_a_base_year_at_or_after_the_target(real, base_year):
    with pytest.raises(ValueError, match="consumption_base_year"):
        analysis.india_consumption(real, base_year)


def test_stock_depletion_runs_until_both_ends_are_exhausted_whatever_the_step(real):
    # 8 weeks is not a multiple of 3: the table must still reach the week the larger stock runs out.
    result = analysis.stock_depletion(real, step_weeks=3)
    assert result.stock_left_high_pct.iloc[-1] == pytest.approx(0)
    assert (result[["stock_left_low_pct", "stock_left_high_pct"]] >= 0).all().all()


@pytest.mark.parametrize("name", TABLES)
def test_every_listed_claim_id_exists(real, usgs, name):
    table = TABLES[name](real, usgs)
    known = set(real.claim_id)
    column = "claim_ids" if "claim_ids" in table.columns else "claim_id"
    listed = [claim_id for text in table[column] for claim_id in ids(text)]
    assert listed, f"{name} lists no claims"
    assert set(listed) <= known, sorted(set(listed) - known)
    for text in table[column]:
        assert ids(text) == sorted(set(ids(text))), f"{name}: {text!r} is not sorted and unique"


def test_money_claims_are_converted_to_dollars_at_the_rate(real):
    at_80 = analysis.money_in_usd(real, 80.0).set_index("claim_id")
    at_90 = analysis.money_in_usd(real, 90.0).set_index("claim_id")
    assert at_80.loc["a001-03", "value_usd_million"] == pytest.approx(16_300e7 / 80 / 1e6)
    assert at_90.loc["a001-03", "value_usd_million"] == pytest.approx(16_300e7 / 90 / 1e6)
    # Dollar figures do not depend on the rate; yearly amounts stay yearly.
    assert at_80.loc["a001-07", "value_usd_million"] == at_90.loc["a001-07", "value_usd_million"] == 291
    assert at_80.loc["a001-06", "value_usd_million"] == pytest.approx(249)
    money = {"crore * INR", "USD", "USD / year"}
    assert set(real[real.unit.isin(money) & real.value.notna()].claim_id) == set(at_80.index)


# --- the sources and their units, for readers -------------------------------------------------------


def test_each_unit_the_articles_write_is_shown_with_an_example_in_its_words_and_in_the_standard_unit():
    table = synthetic(
        ("a000-01", "India", "reserves", "", "2024", "6.9", "million metric tons"),
        ("a000-02", "China", "reserves", "", "2024", "44", "million metric tons"),
        ("a001-01", "world", "demand", "", "2024", "93", "kilotons"),
        ("a001-02", "China", "export_value_share", "", "2023", "64", "%"),
    )
    shown = analysis.units_in_use(table).set_index("unit_as_written")
    assert shown.loc["million metric tons", "claims"] == 2 and shown.loc["million metric tons", "example"] == "a000-01"
    assert shown.loc["million metric tons", "example_standard"] == "6.9 Mt"
    assert shown.loc["kilotons", "example_standard"] == "93 kt"
    assert shown.loc["%", "example_standard"] == "64%" and shown.loc["%", "unit"] == "per cent (%)"
    assert "e+" not in " ".join(shown.example_standard)


def test_the_articles_table_dates_in_words_and_names_an_untitled_article_by_its_description():
    sources = pd.DataFrame(
        {
            "source_id": ["a001", "a000"],
            "title": ["A titled article", ""],
            "label": ["", "A report without a title"],
            "publisher": ["Some Times", ""],
            "date": ["2025-08-14", ""],
            "as_of": ["2025-08-14", "2025-06-26"],
        }
    )
    table = synthetic(("a000-01", "India", "reserves", "", "2024", "6.9", "million metric tons"))
    shown = analysis.articles(sources, table)
    assert list(shown.index) == ["a000", "a001"]
    assert shown.loc["a001", "date"] == "14 August 2025" and shown.loc["a001", "claims"] == 0
    assert shown.loc["a000", "date"] == "undated; judged as of 26 June 2025"
    assert shown.loc["a000", "title"].startswith("A report without a title") and pd.isna(shown.loc["a000", "publisher"])
