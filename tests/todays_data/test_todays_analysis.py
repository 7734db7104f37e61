"""What the articles' calculations give on today's claims: the tables the report pages show, pinned.

Every test in tests/todays_data/ pins a finding of the sources as they are captured today; adding an
article or correcting a claim changes them, in the same commit (CONTRIBUTING.md says when). The
laws those calculations follow, on any claims, are tested in tests/test_analysis.py.
"""

from __future__ import annotations

import pytest
from test_analysis import USD_INR, by, ids

from rare_earths import analysis


def test_one_on_the_real_claims(real):
    figure, claim_ids = analysis.one(real, "reserves", "China")
    assert claim_ids == "a000-03; a000-38"
    assert figure.low.to("Mt").magnitude == pytest.approx(44)
    # a000 says 67 %, a004 says two-thirds: the articles disagree, and one() says so.
    with pytest.raises(LookupError, match=r"a000-14.*a004-07|a004-07.*a000-14"):
        analysis.one(real, "production_share", "China")


def test_reserves_comparison_real(real, usgs):
    table = by(analysis.reserves_comparison(real, usgs), "country")
    assert list(table.index) == ["China", "Brazil", "India", "Australia", "Russia", "Vietnam"]
    assert table.loc["China", "claim_ids"] == "a000-03; a000-38"
    assert table.loc["China", "articles_mt"] == pytest.approx(44)
    assert table.loc["India", "articles_mt"] == pytest.approx(6.9)
    # USGS revised Russia and Vietnam between the editions; the articles follow MCS2025.
    assert table.loc["Russia", ["usgs_mcs2024_mt", "usgs_mcs2025_mt"]].tolist() == pytest.approx([10, 3.8])
    assert table.loc["Vietnam", ["usgs_mcs2024_mt", "usgs_mcs2025_mt"]].tolist() == pytest.approx([22, 3.5])
    assert table.loc["China", ["usgs_mcs2024_mt", "usgs_mcs2025_mt"]].tolist() == pytest.approx([44, 44])
    # Every stated reserve appears in exactly one row.
    stated = real[real.metric == "reserves"].claim_id
    listed = [claim_id for text in table.claim_ids for claim_id in ids(text)]
    assert sorted(listed) == sorted(stated)


def test_export_growth_real(real):
    row = analysis.export_growth(real).iloc[0]
    assert row.period == "2018-2023"
    assert row.years == 5
    assert row.cagr_pct == pytest.approx(11.6)
    assert row.growth_multiple == pytest.approx(1.116**5)
    assert row.growth_multiple == pytest.approx(1.731, abs=0.0005)
    assert row.claim_ids == "a000-17"


def test_value_against_quantity_real(real):
    table = analysis.value_against_quantity(real)
    assert len(table) == 3
    china = table[table.flow.str.startswith("China")].iloc[0]
    assert (china.value_share_pct, china.quantity_share_pct) == pytest.approx((64, 86))
    assert china.relative_unit_value == pytest.approx(64 / 86)
    india = table[table.flow.str.startswith("India")].set_index("period")
    assert list(india.index) == ["2022", "2023"]  # both periods kept
    assert india.loc["2022", "claim_ids"] == "a000-47; a000-48"
    assert india.loc["2023", "claim_ids"] == "a004-09; a004-10"
    assert india.relative_unit_value.tolist() == pytest.approx([81 / 90, 81 / 90])


def test_export_destinations_real(real):
    table = by(analysis.export_destinations(real), "destination")
    assert table.loc["other (not stated)", "share_pct"] == pytest.approx(100 - (85 + 3.5 + 3.2))
    assert table.loc["other (not stated)", "share_pct"] == pytest.approx(8.3)
    assert table.share_pct.sum() == pytest.approx(100)
    assert table.loc["Japan", "claim_ids"] == "a000-18"


def test_magnet_import_values_real(real):
    table = by(analysis.magnet_import_values(real, USD_INR), "item")
    assert table.value_usd_million.tolist() == pytest.approx([249, 291, 33])
    assert table.loc["magnets, yearly average over four years", "value_inr_crore"] == pytest.approx(
        249 * 1e6 * USD_INR / 1e7
    )
    assert table.value_inr_crore.tolist() == pytest.approx([v * 1e6 * USD_INR / 1e7 for v in (249, 291, 33)])
    assert table.claim_ids.tolist() == ["a001-06", "a001-07", "a001-05"]


def test_magnet_import_comparisons_real(real):
    table = analysis.magnet_import_comparisons(real)
    assert table.value.tolist() == pytest.approx([100 * (291 / 249 - 1), (4 * 249 - 291) / 3, 249 / 33])
    assert table.value.tolist() == pytest.approx([16.87, 235, 7.545], abs=0.005)
    assert table.unit.tolist() == ["percent", "USD million / year", "times"]


def test_auto_sector_magnets_real(real):
    table = by(analysis.auto_sector_magnets(real), "measure")
    assert table.loc["imported, FY2024-25", "value"] == pytest.approx(460)
    assert table.loc["projected imports, 2025", "value"] == pytest.approx(700)
    growth = "2025 projection (calendar year) against FY2024-25 imports (April to March)"
    # 700 / 460 - 1 is 52.17%, shown to the two digits "460" gives; $30 million / 700 t is USD 42.857/kg: 43.
    assert table.loc[growth, "value"] == 52
    assert table.loc["implied price", "value"] == 43
    assert table.loc["projected imports, 2025", "claim_ids"] == "a000-23; a000-25; a000-36"


def test_iea_demand_real(real):
    table = analysis.iea_demand(real).set_index(["measure", "year"])
    cagr = table.loc[("world demand, implied CAGR", "2024-2050")]
    assert (cagr.low, cagr.high) == pytest.approx(
        (100 * ((180 / 93) ** (1 / 26) - 1), 100 * ((202 / 93) ** (1 / 26) - 1))
    )
    assert (cagr.low, cagr.high) == pytest.approx((2.572, 3.028), abs=0.0005)
    clean_now = table.loc[("clean-technology demand", "2024")]
    assert (clean_now.low, clean_now.high) == pytest.approx((16.74, 16.74))
    clean_later = table.loc[("clean-technology demand", "2050")]
    assert (clean_later.low, clean_later.high) == pytest.approx((57.6, 78.78))
    assert clean_later.unit == "kt"
    assert ids(clean_later.claim_ids) == ["a000-28", "a000-29"]


def test_iea_demand_path_real(real):
    path = analysis.iea_demand_path(real)
    assert path.year.tolist() == list(range(2024, 2051))
    first, last = path.iloc[0], path.iloc[-1]
    assert (first.demand_low_kt, first.demand_high_kt) == pytest.approx((93, 93))
    assert (last.demand_low_kt, last.demand_high_kt) == pytest.approx((180, 202))
    assert path.demand_low_kt.is_monotonic_increasing and path.demand_high_kt.is_monotonic_increasing
    assert (path.demand_high_kt >= path.demand_low_kt).all()


def test_india_consumption_real(real):
    row = analysis.india_consumption(real, 2024).iloc[0]
    assert (row.base_t, row.target_t, row.target_year) == (1700, 15400, 2032)
    assert row.growth_multiple == pytest.approx(15400 / 1700)
    assert row.implied_cagr_pct == pytest.approx(100 * ((15400 / 1700) ** (1 / 8) - 1))
    assert row.implied_cagr_pct == pytest.approx(31.71, abs=0.005)
    assert row.claim_ids == "a002-11; a002-12"


def test_india_consumption_sensitivity_real(real):
    table = analysis.india_consumption_sensitivity(real, range(2020, 2026))
    assert table.base_year.tolist() == list(range(2020, 2026))
    # An earlier base year spreads the same growth over more years: a lower rate.
    assert table.implied_cagr_pct.is_monotonic_increasing and table.implied_cagr_pct.is_unique
    assert table.implied_cagr_pct.iloc[-2] == pytest.approx(
        analysis.india_consumption(real, 2024).implied_cagr_pct.iloc[0]
    )


def test_capacity_comparison_real(real):
    table = by(analysis.capacity_comparison(real), "item")
    assert table.loc["IREL magnet plant capacity (samarium-cobalt magnets)", "t_per_year"] == pytest.approx(3)
    fy25 = table.loc["Indian auto sector magnet imports, FY2024-25"]
    assert fy25.t_per_year == pytest.approx(460)
    assert fy25.irel_plant_as_pct == pytest.approx(100 * 3 / 460)
    assert fy25.irel_plant_as_pct == pytest.approx(0.652, abs=0.0005)
    projected = table.loc["Indian auto sector magnet imports, 2025 projection"]
    assert projected.irel_plant_as_pct == pytest.approx(100 * 3 / 700)
    assert projected.irel_plant_as_pct == pytest.approx(0.4286, abs=0.00005)
    assert not table.index.str.contains("NdPr").any()  # an oxide, not magnets: not compared with a magnet plant
    assert table.loc["China magnet production (over)", "t_per_year"] == pytest.approx(160000)


def test_budgets_real(real):
    """Today's data: the three rupee amounts of a001."""
    table = by(analysis.budgets(real, USD_INR), "item")
    # No total: the mission's spending and the enterprises' expected investment are different things.
    assert not any("total" in item for item in table.index)
    assert table.loc["rare earth magnet manufacturing support", "inr_crore"] == pytest.approx(1345)
    # Dollars to the significant digits of the rupees as written: ₹16,300 crore (3) is USD 1,930 million.
    assert table.loc["government spending", "usd_million"] == 1930
    assert table.loc["rare earth magnet manufacturing support", "usd_million"] == pytest.approx(159.0)  # 4 digits
    assert table.loc["investment expected from public sector enterprises", "usd_million"] == 2100


def test_magnet_production_shares_real(real):
    table = by(analysis.magnet_production_shares(real), "country")
    assert table.loc["sum", "share_pct"] == pytest.approx(100)
    assert table.loc["sum", "claim_ids"] == "a002-04; a002-05; a002-06"


def test_china_shares_real(real):
    table = analysis.china_shares(real)
    expected = real[(real.subject == "China") & (real.counterpart == "world") & real.metric.str.endswith("_share")]
    assert sorted(table.claim_id) == sorted(expected.claim_id) and len(expected) >= 10
    as_written = table.set_index("claim_id").as_written
    assert as_written["a004-07"] == "two-thirds"
    assert as_written["a000-01"] == "over 90%"  # the article's own words
    assert as_written["a002-04"] == "92 per cent"
    for placeholder in ("fraction", "rank"):
        assert not as_written.str.contains(placeholder).any()
    assert table.set_index("claim_id").share_pct["a004-07"] == pytest.approx(200 / 3)


def test_stock_depletion_real(real):
    table = analysis.stock_depletion(real).set_index("week")
    assert table.loc[0.0].tolist() == pytest.approx([100, 100])
    assert table.loc[6.0, "stock_left_low_pct"] == pytest.approx(0)
    assert table.loc[5.5, "stock_left_low_pct"] > 0
    assert table.loc[8.0, "stock_left_high_pct"] == pytest.approx(0)
    assert table.loc[7.5, "stock_left_high_pct"] > 0
    assert table.loc[4.0, "stock_left_high_pct"] == pytest.approx(50)
    assert (table >= 0).all().all()
    assert table.index.max() == pytest.approx(8)


def test_permits_real(real):
    table = by(analysis.permits(real), "measure")
    assert table.loc["Indian permits granted so far", "value"] == 0  # "no Indian player has got nod so far"
    assert table.loc["Indian applications pending", "value"] == 30
    assert not table.index.str.contains("at the European rate").any()  # no Indian player has one: not projected
