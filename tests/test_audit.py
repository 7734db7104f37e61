"""The audit: each rule catches the fault planted in a small synthetic claims table, with the
right verdict, and a clean table gives nothing but `consistent`."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rare_earths import audit, claims, metadata, paths, reference
from rare_earths.audit import CONSISTENT, INCONSISTENT, NOT_REPRODUCIBLE, WITHIN_ROUNDING
from rare_earths.units import ureg

# --- synthetic tables ----------------------------------------------------------------------------

_CANONICAL = {"Mt": ("t", 1e6), "kt": ("t", 1e3), "t": ("t", 1.0), "%": ("percent", 1.0), "rank": ("rank", 1.0)}
_BOUND = {"": "exact", "over": "lower_bound", "around": "approximate", "nearly": "upper_bound"}
_WORDS = {"two-thirds": 2 / 3 * 100, "fifth": 5, "third": 3}


def claim(claim_id: str, subject: str, metric: str, written: str, unit: str, *, counterpart: str = "",
          period: str = "", qualifier: str = "") -> dict:
    """One processed claim as the cleaning step writes it, from the figure as an article would write it."""
    canonical, scale = _CANONICAL[unit]
    value = _WORDS[written] if written in _WORDS else float(written.replace(",", "")) * scale
    unit_as_written = {"%": "%", "rank": "rank"}.get(unit, unit)
    return {
        "claim_id": claim_id, "source_id": claim_id[:4], "subject": subject, "metric": metric, "counterpart": counterpart,
        "period": period, "value": value, "value_low": value, "value_high": value, "unit": canonical,
        "bound": _BOUND[qualifier], "qualifier": qualifier, "value_as_written": written, "unit_as_written": unit_as_written,
        "period_as_written": period, "quote": f"the quote of {claim_id}", "note": "",
    }


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=metadata.CLAIMS.names)


def usgs_table(*rows: tuple) -> pd.DataFrame:
    """(edition, country, measure, year, value_t[, greater_than]) rows."""
    records = [{"edition": edition, "country": country, "measure": measure, "year": year, "value_t": float(value),
                "estimated": "no", "greater_than": rest[0] if rest else "no"} for edition, country, measure, year, value, *rest in rows]
    return pd.DataFrame(records, columns=metadata.USGS.names)


EMPTY_USGS = usgs_table()


def run(claims_table: pd.DataFrame, usgs: pd.DataFrame = EMPTY_USGS) -> pd.DataFrame:
    result = audit.audit(claims_table, usgs)
    metadata.schema(metadata.AUDIT).validate(result)  # every result is a valid audit table
    return result


def only(result: pd.DataFrame, rule: str) -> pd.Series:
    rows = result[result.rule == rule]
    assert len(rows) == 1, f"expected one {rule} check, got {len(rows)}:\n{rows.to_string()}"
    return rows.iloc[0]


# --- recomputation -------------------------------------------------------------------------------


def test_a_share_that_does_not_match_its_parts_is_inconsistent():
    result = run(table(
        claim("a000-01", "China", "production", "240", "kt", period="2023"),
        claim("a000-02", "world", "production", "356", "kt", period="2023"),
        claim("a000-03", "China", "production_share", "80", "%", counterpart="world", period="2023"),
    ))
    check = only(result, "share_of_whole")
    assert check.verdict == INCONSISTENT
    assert check.check_value == pytest.approx(67.416, abs=1e-3)
    assert check.claim_ids == "a000-01; a000-02; a000-03"
    assert "67.4%" in check.explanation and "not the stated 80%" in check.explanation


def test_a_share_that_rounds_to_the_stated_figure_is_consistent_within_rounding():
    result = run(table(
        claim("a000-01", "China", "production", "240", "kt", period="2023"),
        claim("a000-02", "world", "production", "356", "kt", period="2023"),
        claim("a000-03", "China", "production_share", "67", "%", counterpart="world", period="2023"),
    ))
    assert only(result, "share_of_whole").verdict == WITHIN_ROUNDING


def test_an_exact_share_is_consistent():
    result = run(table(
        claim("a000-01", "China", "production", "100", "kt", period="2023"),
        claim("a000-02", "world", "production", "200", "kt", period="2023"),
        claim("a000-03", "China", "production_share", "50", "%", counterpart="world", period="2023"),
    ))
    assert only(result, "share_of_whole").verdict == CONSISTENT


def test_the_rounding_of_the_inputs_is_allowed_for():
    # 1 kt of 3 kt is 33.3%, not 34%; but "1" and "3" admit 0.5-1.5 and 2.5-3.5, and so 14%-60%.
    result = run(table(
        claim("a000-01", "China", "production", "1", "kt"),
        claim("a000-02", "world", "production", "3", "kt"),
        claim("a000-03", "China", "production_share", "34", "%", counterpart="world"),
    ))
    check = only(result, "share_of_whole")
    assert check.verdict == WITHIN_ROUNDING
    assert "only once the rounding" in check.explanation


def test_a_share_from_another_article_or_year_is_not_recomputed_with_these_inputs():
    result = run(table(
        claim("a000-01", "China", "production", "240", "kt", period="2023"),
        claim("a000-02", "world", "production", "356", "kt", period="2023"),
        claim("a001-01", "China", "production_share", "80", "%", counterpart="world", period="2023"),
        claim("a000-03", "China", "production_share", "80", "%", counterpart="world", period="2022"),
    ))
    assert result[result.rule == "share_of_whole"].empty


def test_shares_of_an_unstated_whole_must_imply_the_same_whole():
    good = run(table(
        claim("a000-01", "China", "reserves", "44", "Mt"),
        claim("a000-02", "China", "reserve_share", "38", "%", counterpart="world"),
        claim("a000-03", "Brazil", "reserves", "21", "Mt"),
        claim("a000-04", "Brazil", "reserve_share", "18", "%", counterpart="world"),
    ))
    check = only(good, "implied_whole")
    assert check.verdict == WITHIN_ROUNDING and "115.8 Mt" in check.explanation
    bad = run(table(
        claim("a000-01", "China", "reserves", "44", "Mt"),
        claim("a000-02", "China", "reserve_share", "38", "%", counterpart="world"),
        claim("a000-03", "Brazil", "reserves", "21", "Mt"),
        claim("a000-04", "Brazil", "reserve_share", "30", "%", counterpart="world"),
    ))
    assert only(bad, "implied_whole").verdict == INCONSISTENT


@pytest.mark.parametrize(("shares", "verdict"), [
    (("92", "7", "1"), CONSISTENT),  # exactly the whole
    (("60", "30"), CONSISTENT),  # leaves a remainder
    (("50", "50.5"), WITHIN_ROUNDING),  # 100.5%, but "50" may be 49.5
    (("70", "40"), INCONSISTENT),
])
def test_parts_of_one_whole_add_up_to_at_most_100_percent(shares, verdict):
    countries = ("China", "Japan", "Vietnam")
    rows = [claim(f"a002-0{index + 1}", countries[index], "magnet_production_share", share, "%", counterpart="world")
            for index, share in enumerate(shares)]
    check = only(run(table(*rows)), "parts_of_whole")
    assert check.verdict == verdict
    assert check.check_value == pytest.approx(sum(float(share) for share in shares))


def test_destinations_of_one_flow_are_parts_of_one_whole_too():
    result = run(table(
        claim("a000-01", "China", "export_destination_value_share", "85", "%", counterpart="Japan"),
        claim("a000-02", "China", "export_destination_value_share", "30", "%", counterpart="USA"),
    ))
    assert only(result, "parts_of_whole").verdict == INCONSISTENT


def test_a_growth_rate_without_its_levels_is_not_reproducible():
    result = run(table(claim("a000-01", "China", "export_cagr", "11.6", "%", period="2018-2023")))
    check = only(result, "growth_rate")
    assert check.verdict == NOT_REPRODUCIBLE and math.isnan(check.check_value)
    assert "2018 and 2023" in check.explanation
    undated = run(table(claim("a004-01", "India", "import_cagr", "10", "%")))
    assert "does not say over which years" in only(undated, "growth_rate").explanation


@pytest.mark.parametrize(("rate", "verdict"), [("14.9", WITHIN_ROUNDING), ("14.87", WITHIN_ROUNDING), ("20", INCONSISTENT)])
def test_a_growth_rate_is_recomputed_from_its_levels(rate, verdict):
    # 100 kt to 200 kt over 2018-2023 is 14.87% a year.
    result = run(table(
        claim("a000-01", "China", "exports_quantity", "100", "kt", period="2018"),
        claim("a001-01", "China", "exports_quantity", "200", "kt", period="2023"),
        claim("a000-02", "China", "export_cagr", rate, "%", period="2018-2023"),
    ))
    check = only(result, "growth_rate")
    assert check.check_value == pytest.approx(14.8698, abs=1e-3)
    assert check.verdict == verdict


def test_a_decline_is_recomputed_from_its_levels():
    result = run(table(
        claim("a000-01", "Japan", "imports_quantity", "100", "kt", counterpart="China", period="2010"),
        claim("a000-02", "Japan", "imports_quantity", "61", "kt", counterpart="China", period="2012"),
        claim("a000-03", "Japan", "import_decline", "39", "%", counterpart="China", period="2010-2012"),
    ))
    assert only(result, "growth_rate").verdict == CONSISTENT


@pytest.mark.parametrize(("rank", "verdict"), [("third", CONSISTENT), ("fifth", NOT_REPRODUCIBLE)])
def test_a_rank_against_the_articles_own_figures(rank, verdict):
    result = run(table(
        claim("a000-01", "China", "reserves", "44", "Mt"),
        claim("a000-02", "Brazil", "reserves", "21", "Mt"),
        claim("a000-03", "India", "reserves", "6.9", "Mt"),
        claim("a000-04", "Russia", "reserves", "3.8", "Mt"),
        claim("a000-05", "India", "reserve_rank", rank, "rank", counterpart="world"),
    ))
    check = only(result, "rank_from_figures")
    assert check.verdict == verdict and check.check_value == 3


# --- cross-source --------------------------------------------------------------------------------


def test_two_articles_dating_one_figure_differently_is_caught():
    result = run(table(
        claim("a000-01", "India", "import_value_share", "81", "%", counterpart="China", period="2022"),
        claim("a004-01", "India", "import_value_share", "81", "%", counterpart="China", period="2023"),
    ))
    check = only(result, "same_figure")
    assert check.verdict == INCONSISTENT
    assert "2022" in check.explanation and "2023" in check.explanation and "two different years" in check.explanation


def test_two_articles_giving_different_values_for_one_period_is_caught():
    result = run(table(
        claim("a000-01", "India", "reserves", "6.9", "Mt"),
        claim("a001-01", "India", "reserves", "8.2", "Mt"),
    ))
    assert only(result, "same_figure").verdict == INCONSISTENT


def test_a_series_over_different_years_is_not_a_conflict():
    result = run(table(
        claim("a000-01", "China", "production", "210", "kt", period="2022"),
        claim("a001-01", "China", "production", "240", "kt", period="2023"),
    ))
    assert result[result.rule == "same_figure"].empty


@pytest.mark.parametrize(("first", "second", "verdict"), [
    ("67", "two-thirds", WITHIN_ROUNDING),
    ("92", "92", CONSISTENT),
    ("93", "90", CONSISTENT),  # 93 is "over 90" (second written with "over")
])
def test_one_figure_restated_is_compared_rounding_and_bound_aware(first, second, verdict):
    qualifier = "over" if first == "93" else ""
    result = run(table(
        claim("a000-01", "China", "production_share", first, "%", counterpart="world"),
        claim("a004-01", "China", "production_share", second, "%", counterpart="world", qualifier=qualifier),
    ))
    assert only(result, "same_figure").verdict == verdict


def test_one_number_for_different_measures_is_flagged():
    result = run(table(
        claim("a000-01", "China", "magnet_processing_capacity_share", "90", "%", counterpart="world", qualifier="over"),
        claim("a001-01", "China", "magnet_production_share", "92", "%", counterpart="world"),
        claim("a002-01", "China", "production_share", "67", "%", counterpart="world"),
    ))
    check = only(result, "same_number_different_measure")
    assert check.verdict == INCONSISTENT
    assert check.claim_ids == "a000-01; a001-01"
    assert "magnet processing capacity" in check.explanation and "mine production" in check.explanation


def test_an_unspecified_measure_equal_to_one_named_measure_is_not_a_conflict():
    result = run(table(
        claim("a004-01", "India", "import_dependence_share", "90", "%", counterpart="China"),
        claim("a000-01", "India", "import_quantity_share", "90", "%", counterpart="China"),
        claim("a000-02", "India", "import_value_share", "81", "%", counterpart="China"),
    ))
    check = only(result, "same_number_different_measure")
    assert check.verdict == CONSISTENT and "import quantity" in check.explanation


# --- reference -----------------------------------------------------------------------------------

USGS = usgs_table(
    ("MCS2024", "China", "reserves", "", 44e6), ("MCS2025", "China", "reserves", "", 44e6),
    ("MCS2024", "Russia", "reserves", "", 10e6), ("MCS2025", "Russia", "reserves", "", 3.8e6),
    ("MCS2024", "India", "reserves", "", 6.9e6), ("MCS2025", "India", "reserves", "", 6.9e6),
    ("MCS2024", "World total (rounded)", "reserves", "", 110e6), ("MCS2025", "World total (rounded)", "reserves", "", 90e6, "yes"),
    ("MCS2024", "China", "mine_production", "2023", 240e3), ("MCS2025", "China", "mine_production", "2023", 255e3),
    ("MCS2024", "World total (rounded)", "mine_production", "2023", 350e3), ("MCS2025", "World total (rounded)", "mine_production", "2023", 376e3),
)


def test_a_value_that_matches_only_one_usgs_edition_names_it():
    result = run(table(claim("a000-01", "Russia", "reserves", "3.8", "Mt")), USGS)
    check = only(result, "usgs")
    assert check.verdict == CONSISTENT
    assert check.compared_with == "USGS MCS2025"
    assert check.check_value == pytest.approx(3.8) and check.unit == "Mt"
    assert "10 Mt" in check.explanation


def test_a_value_that_matches_neither_edition_is_inconsistent():
    result = run(table(claim("a000-01", "world", "production", "356", "kt", period="2023")), USGS)
    check = only(result, "usgs")
    assert check.verdict == INCONSISTENT
    assert "350 kt" in check.explanation and "376 kt" in check.explanation


def test_a_share_against_usgs_allows_for_usgs_rounding_and_bounds():
    result = run(table(claim("a000-01", "China", "reserve_share", "38", "%", counterpart="world")), USGS)
    check = only(result, "usgs")
    # 44/110 is 40%, but USGS's 110 Mt admits 105-115 Mt; MCS2025's world is only "more than 90 Mt".
    assert check.verdict == WITHIN_ROUNDING
    assert "more than 90 Mt" in check.explanation and "40%" in check.explanation


def test_a_rank_against_usgs():
    result = run(table(claim("a000-01", "India", "reserve_rank", "third", "rank", counterpart="world")), USGS)
    check = only(result, "usgs")
    # USGS MCS2024 puts China and Russia above India's 6.9 Mt; MCS2025 (Russia 3.8 Mt) only China.
    assert check.verdict == CONSISTENT and check.compared_with == "USGS MCS2024"
    assert "it ranks 2nd, behind China 44 Mt" in check.explanation


def test_an_article_mixing_usgs_editions_is_caught():
    result = run(table(
        claim("a000-01", "Russia", "reserves", "3.8", "Mt"),  # MCS2025 only
        claim("a000-02", "China", "production", "240", "kt", period="2023"),  # MCS2024 only
    ), USGS)
    check = only(result, "one_edition")
    assert check.verdict == INCONSISTENT and "MCS2024" in check.explanation and "MCS2025" in check.explanation


# --- a clean table -------------------------------------------------------------------------------


def test_a_clean_table_raises_nothing():
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
    assert set(result.rule) >= {"share_of_whole", "parts_of_whole", "same_figure", "usgs", "one_edition"}
    # 255/376 is 67.82%, which "67.8" states within its rounding: not a finding.
    assert set(result.verdict) <= {CONSISTENT, WITHIN_ROUNDING}, result[~result.verdict.isin([CONSISTENT, WITHIN_ROUNDING])].to_string()


def test_an_empty_table_gives_an_empty_valid_audit():
    assert run(table()).empty


# --- rounding ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "unit_as_written", "unit", "half"), [
    ("44", "million metric tons", "t", 0.5e6), ("11.6", "%", "percent", 0.05), ("1,345", "₹ crore", "crore * INR", 0.5),
    ("two-thirds", "fraction", "percent", 0.0), ("180-202", "kilotons", "t", 500.0), ("0", "%", "percent", 0.5),
    ("3,000", "kg annual", "t / year", 0.0005),
])
def test_a_figure_admits_half_its_last_written_digit(written, unit_as_written, unit, half):
    assert audit.half_step(written, unit_as_written, unit) == pytest.approx(half)


@pytest.mark.parametrize(("value", "half"), [(350_000, 5_000), (41_600, 50), (2_900, 50), (7, 0.5), (0, 0.0), (44_000_000, 500_000)])
def test_a_usgs_figure_is_precise_to_its_last_nonzero_digit(value, half):
    assert audit.usgs_half_step(value) == half


@given(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=2))
def test_a_figure_written_by_rounding_a_value_is_never_inconsistent_with_it(value, decimals):
    written = str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
    stated = audit.statements(table(claim("a000-01", "China", "production_share", written, "%", counterpart="world")))[0]
    assert audit.judge(stated, value) in (CONSISTENT, WITHIN_ROUNDING)


# --- the rules and the vocabulary ----------------------------------------------------------------


def test_every_rule_has_code_and_every_relation_names_known_metrics():
    assert set(metadata.CHECK_RULES) == {*audit.RULES, "usgs", "one_edition"}
    assert all(kind in metadata.CHECK_KINDS for kind, _ in metadata.CHECK_RULES.values())
    named = {*audit.SHARE_OF, *audit.SHARE_OF.values(), *audit.GROWTH_OF, *audit.USGS_MEASURE, *metadata.MEASURES}
    named |= {level for levels in audit.GROWTH_OF.values() for level in levels}
    assert named <= set(metadata.METRICS)


# --- the real audit ------------------------------------------------------------------------------


def test_the_processed_audit_is_valid_and_regenerates_byte_for_byte(tmp_path):
    committed = paths.PROCESSED_AUDIT_CSV.read_bytes()
    again = audit.build(tmp_path / "audit.csv")
    assert again.read_bytes() == committed
    checks = audit.load()
    known = set(claims.load().claim_id)
    assert all(set(ids.split("; ")) <= known for ids in checks.claim_ids)
    assert set(checks.kind) == set(metadata.CHECK_KINDS)
    for unit in set(checks.unit):
        ureg.Unit(unit)  # every unit is one the project's registry parses


def test_every_reserve_and_production_figure_is_compared_with_usgs():
    processed = claims.load()
    compared = {claim_id for ids in audit.load().query("rule == 'usgs'").claim_ids for claim_id in ids.split("; ")}
    expected = set(processed[processed.metric.isin(audit.USGS_MEASURE)].claim_id)
    assert expected and expected <= compared


def test_the_audit_finds_what_the_articles_get_wrong():
    checks = audit.load().set_index("check_id")
    # a000 and a004 date India's import shares to different years.
    assert checks.loc["same_figure:a000-47", "verdict"] == INCONSISTENT
    # The world production a000 gives matches neither USGS edition.
    assert checks.loc["usgs:a000-13", "verdict"] == INCONSISTENT
    # Russia's and Vietnam's reserves are MCS2025's.
    assert checks.loc["usgs:a000-10", "compared_with"] == "USGS MCS2025"
    assert reference.load().shape[0] > 0


# --- the sweeps find what comparing every pair finds ---------------------------------------------

# Values close together on purpose: equal, within the rounding tolerance of each other, or apart.
_VALUES = (1.0, 1.0 + 1e-10, 1.5, 2.0, 90.0, 90.0 * (1 + 5e-10), 200 / 3, 66.67, 1e6, 1e6 + 1e-4)


@st.composite
def groups(draw) -> list[audit.Statement]:
    """Statements of one figure as the audit sees them: ranges, bounds, rounding, several dates."""
    size = draw(st.integers(min_value=0, max_value=14))
    found = []
    for index in range(size):
        low = draw(st.sampled_from(_VALUES))
        high = low + draw(st.sampled_from((0.0, 0.0, 0.5, 1e-10, 30.0)))
        found.append(audit.Statement(
            claim_ids=(f"a000-{index + 1:02d}",), source_id="a000", subject="China", metric="production_share",
            counterpart="world", period=draw(st.sampled_from(("", "", "2022", "2023", "2024"))), low=low, high=high,
            unit="percent", bound=draw(st.sampled_from(tuple(metadata.BOUNDS))),
            half_step=draw(st.sampled_from((0.0, 0.5, 0.05, 5e-11))), as_written=f"{low:g}"))
    return found


@given(groups())
def test_the_worst_pair_is_the_one_comparing_every_pair_finds(group):
    assert audit._worst_pair(group) == audit._worst_pair_by_scan(group)


@given(groups())
def test_clusters_by_sweeping_are_the_clusters_of_comparing_every_pair(group):
    def as_sets(clusters):
        return sorted(sorted(claim for statement in cluster for claim in statement.claim_ids) for cluster in clusters)

    assert as_sets(audit._clusters(group)) == as_sets(audit._clusters_by_scan(group))


def test_a_large_group_of_agreeing_bounds_is_compared_without_every_pair():
    # 20,000 statements of "over N%", every pair consistent: the quadratic scan would take minutes.
    group = [audit.Statement((f"a{index // 100:03d}-{index % 100:02d}",), f"a{index // 100:03d}", "China", "production_share",
                             "world", "", float(50 + index % 40), float(50 + index % 40), "percent", "lower_bound", 0.5, "over")
             for index in range(20_000)]
    verdict, a, b, reason = audit._worst_pair(group)
    assert (verdict, a, b, reason) == (CONSISTENT, group[0], group[1], "value")
    assert len(audit._clusters(group)) == 1
