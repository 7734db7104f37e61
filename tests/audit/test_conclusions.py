"""One conclusion per claim: the precedence, statements concluded alike, editions by date, the
world-total tolerance, and the integrity of every explanation in the real audit."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import CHECKOUT
from hypothesis import given
from hypothesis import strategies as st

from rare_earths import audit, vocabulary
from rare_earths.audit import conclusions
from rare_earths.audit.usgs import Tables, current_editions, world_reach
from rare_earths.data import claims, provenance, reference

FAILING = list(vocabulary.FAILING_VERDICTS)
ORDER = list(conclusions.PRECEDENCE)


def claim(claim_id: str, **fields) -> dict:
    row = {"claim_id": claim_id, "source_id": claim_id[:4], "subject": "China", "metric": "reserves"}
    row.update({"counterpart": "", "period": "", "value_low": 1.0, "value_high": 1.0} | fields)
    return row


def check(
    check_id: str, verdict: str, claim_ids: str, judges: str | None = None, evidence: str = "own_article"
) -> dict:
    judged = claim_ids if judges is None else judges
    if verdict not in FAILING + list(vocabulary.AGREEING_VERDICTS) or not judged:
        evidence = "none"
    return {
        "check_id": check_id,
        "claim_ids": claim_ids,
        "judges": judged,
        "evidence": evidence,
        "verdict": verdict,
        "explanation": f"{check_id} found {verdict}.",
        "rule": check_id.split(":")[0],
        "compared_with": "the rule's reference",
    }


def conclude(checks: list[dict], claim_rows: list[dict]) -> dict[str, str]:
    table = conclusions.conclude(pd.DataFrame(checks), pd.DataFrame(claim_rows))
    return dict(zip(table.claim_id, table.standing, strict=True))


def test_the_precedence_names_every_standing_once():
    assert sorted(conclusions.PRECEDENCE) == sorted(vocabulary.STANDINGS)


def test_a_check_judges_only_its_subject_and_an_input_stays_unjudged():
    found = conclude(
        [
            check("share_of_whole:a000-03", "contradicted", "a000-01; a000-02; a000-03", judges="a000-03"),
            check("not_checked:a000-01", "not_checked", "a000-01"),
            check("not_checked:a000-02", "not_checked", "a000-02"),
        ],
        [claim("a000-01"), claim("a000-02", metric="production"), claim("a000-03", metric="production_share")],
    )
    assert found == {"a000-01": "unchecked", "a000-02": "unchecked", "a000-03": "does_not_hold"}


def test_only_independent_evidence_confirms():
    rows = [
        claim("a000-01"),
        claim("a000-02", metric="production"),
        claim("a000-03", metric="demand"),
    ]  # three statements
    found = conclude(
        [
            check("usgs:a000-01", "consistent", "a000-01", evidence="primary"),
            check("same_figure:a000-02", "consistent", "a000-02", evidence="own_article"),
            check("implied_price:a000-03", "derived", "a000-03", judges=""),
            check("not_checked:a000-03", "not_checked", "a000-03"),
        ],
        rows,
    )
    assert found == {"a000-01": "confirmed", "a000-02": "consistent", "a000-03": "unchecked"}


def test_one_statement_said_twice_concludes_alike():
    # The same subject, metric and period in one article: a sentence its FAQ repeats.
    rows = [claim("a000-04"), claim("a000-39")]
    table = conclusions.conclude(
        pd.DataFrame(
            [
                check("usgs:a000-04", "consistent", "a000-04", evidence="primary"),
                check("share_base:a000-39", "outdated", "a000-39", evidence="primary"),
            ]
        ),
        pd.DataFrame(rows),
    )
    assert set(table.standing) == {"does_not_hold"} and set(table.decided_by) == {"share_base:a000-39"}


def test_a_figure_usgs_bears_out_is_not_pulled_down_by_another_statement_that_contradicts_it():
    # The same article gives China's reserves as 44 Mt (USGS agrees) and, later, 99 Mt.
    rows = [claim("a000-03"), claim("a000-54")]
    rows[0]["value_low"] = rows[0]["value_high"] = 44e6
    rows[1]["value_low"] = rows[1]["value_high"] = 99e6
    table = conclusions.conclude(
        pd.DataFrame(
            [
                check("same_figure:a000-03", "contradicted", "a000-03; a000-54", evidence="own_article"),
                check("usgs:a000-03", "consistent", "a000-03", evidence="primary"),
                check("usgs:a000-54", "contradicted", "a000-54", evidence="primary"),
            ]
        ),
        pd.DataFrame(rows),
    ).set_index("claim_id")
    assert table.standing["a000-03"] == "confirmed" and table.decided_by["a000-03"] == "usgs:a000-03"
    assert "same_figure:a000-03" in table.related["a000-03"]
    assert table.standing["a000-54"] == "does_not_hold"
    assert table.decided_by["a000-54"] == "same_figure:a000-03; usgs:a000-54"  # every failing check decides


def test_an_article_judged_before_every_edition_is_refused():
    from rare_earths.errors import InputError

    references = pd.DataFrame({"edition": ["2024", "2025"], "published": ["2024-01-31", "2025-01-31"]})
    sources = pd.DataFrame({"source_id": ["a000"], "as_of": ["2020-05-01"]})
    with pytest.raises(InputError, match=r"line 2, column as_of: 2020-05-01 is before every USGS edition here"):
        current_editions(sources, references)


def test_a_claim_no_check_judges_is_an_error():
    with pytest.raises(ValueError, match="no check judges a000-02"):
        conclude(
            [check("usgs:a000-01", "consistent", "a000-01; a000-02", judges="a000-01")],
            [claim("a000-01"), claim("a000-02", metric="x")],
        )


verdicts = st.sampled_from(list(vocabulary.VERDICTS))
evidence = st.sampled_from(list(vocabulary.EVIDENCE))


@given(st.lists(st.tuples(verdicts, evidence), min_size=1, max_size=6), st.tuples(verdicts, evidence))
def test_one_more_check_never_lifts_a_claim_that_does_not_hold(found, extra):
    rows = [check(f"rule{n}:a000-01", v, "a000-01", evidence=e) for n, (v, e) in enumerate(found)]
    before = conclude(rows, [claim("a000-01")])["a000-01"]
    after = conclude([*rows, check("extra:a000-01", *extra[:1], "a000-01", evidence=extra[1])], [claim("a000-01")])
    all_checks = [*found, extra]
    borne_out = any(v in vocabulary.AGREEING_VERDICTS and e == "primary" for v, e in all_checks)
    # A dispute between two statements does not fail one that USGS current at its date bears out.
    counts = [
        (v, e)
        for v, e in all_checks
        if v in FAILING and not (borne_out and v in conclusions.DISPUTES and e != "primary")
    ]
    assert (after["a000-01"] == "does_not_hold") == bool(counts)
    if before == "does_not_hold" and not (extra[0] in vocabulary.AGREEING_VERDICTS and extra[1] == "primary"):
        assert after["a000-01"] == "does_not_hold"
    else:  # a check that does not fail can only strengthen a standing that is not a failure
        assert before == "does_not_hold" or ORDER.index(after["a000-01"]) <= ORDER.index(before)


# --- editions by date and the world-total tolerance --------------------------------------------------


def test_each_article_is_judged_against_the_edition_current_at_its_date():
    references = pd.DataFrame({"edition": ["2024", "2025"], "published": ["2024-01-31", "2025-01-31"]})
    sources = pd.DataFrame({"source_id": ["a000", "a001", "a002"], "as_of": ["2025-01-30", "2025-01-31", "2024-05-01"]})
    assert current_editions(sources, references) == {"a000": "MCS2024", "a001": "MCS2025", "a002": "MCS2024"}


def test_world_totals_admit_the_gap_each_edition_shows_between_its_rows_and_its_total():
    usgs = reference.tidy_raw()
    reach = world_reach(usgs)
    tables = Tables(usgs)
    for edition, measure, year in reach:
        world, listed = tables.get(edition, measure, "world", year), tables.listed_sum(edition, measure, year)
        assert world.low <= listed.value <= world.high, f"{edition} {measure} {year}: own rows outside its total"
    assert reach[("MCS2024", "reserves", "")] == pytest.approx((115_414_500 - 110_000_000) / 110_000_000)
    # A total printed to three significant digits and matching its rows keeps that precision.
    world_2023 = tables.get("MCS2025", "mine_production", "world", "2023")
    assert (world_2023.low, world_2023.high) == (375_500, 376_500)
    # A country's figure keeps half a unit of its third significant digit.
    india = tables.get("MCS2025", "reserves", "India")
    assert (india.low, india.high) == (6_895_000, 6_905_000)


def test_a_figure_matching_only_an_older_edition_is_outdated_and_says_what_the_current_one_gives():
    checks = audit.load()
    rank = checks[checks.check_id == "usgs:a000-07"].iloc[0]
    assert rank.verdict == "outdated" and rank.evidence == "primary"
    assert "matches only MCS2024" in rank.explanation and "in MCS2025 it ranks 3rd" in rank.explanation
    share = checks[checks.check_id == "share_base:a000-04"].iloc[0]
    assert share.verdict == "outdated" and "48.4%" in share.explanation


# --- the real conclusions ---------------------------------------------------------------------------------

CLAIM_ID = re.compile(r"\ba\d{3}-\d{2}\b")


@pytest.fixture(scope="module")
def real():
    return audit.load(), claims.load(), conclusions.load()


def test_every_claim_has_exactly_one_conclusion_decided_by_checks_that_judge_it(real):
    checks, table, concluded = real
    assert list(concluded.claim_id) == sorted(table.claim_id)
    by_id = checks.set_index("check_id")
    for row in concluded.itertuples():
        deciding = row.decided_by.split("; ")
        for check_id in deciding:
            assert row.claim_id in by_id.judges[check_id].split("; "), f"{row.claim_id}: {check_id} does not judge it"
        verdicts = [by_id.verdict[check_id] for check_id in deciding]
        assert verdicts[0] == row.verdict  # the first deciding check names the verdict
        if row.standing == "does_not_hold":
            assert set(verdicts) <= set(vocabulary.FAILING_VERDICTS)
        else:
            assert set(verdicts) == {row.verdict}
        assert not set(filter(None, row.related.split("; "))) & set(deciding)
        if row.standing == "confirmed":
            assert row.evidence in vocabulary.INDEPENDENT_EVIDENCE
        if row.standing == "consistent":
            assert row.evidence in ("own_article", "related_article", "coarser_article")


def test_statements_that_are_one_statement_conclude_alike(real):
    _, table, concluded = real
    merged = table.merge(concluded, on=["claim_id", "source_id"])
    for key, group in merged.groupby(list(conclusions.SAME_STATEMENT), dropna=False):
        assert group.standing.nunique() == 1 and group.verdict.nunique() == 1, f"{key}: {list(group.claim_id)}"


def test_every_explanation_names_only_claims_its_check_involves_and_judges_only_those(real):
    checks, _, _ = real
    for row in checks.itertuples():
        involved = set(row.claim_ids.split("; "))
        named = set(CLAIM_ID.findall(row.explanation))
        assert named <= involved, f"{row.check_id} names {sorted(named - involved)}, which it does not involve"
        assert set(filter(None, row.judges.split("; "))) <= involved


def test_every_input_of_a_check_is_used_in_its_explanation(real):
    # An input shows in the explanation by its id or by its figure as written.
    checks, table, _ = real
    written = table.set_index("claim_id")
    for row in checks.itertuples():
        for claim_id in row.claim_ids.split("; "):
            figure = str(written.value_as_written[claim_id])
            assert claim_id in row.explanation or figure in row.explanation, f"{row.check_id}: {claim_id} unused"


def test_no_other_article_is_said_only_where_no_other_article_states_the_subjects_measure(real):
    checks, table, _ = real
    for row in checks[checks.verdict == "not_checked"].itertuples():
        (claim_id,) = row.claim_ids.split("; ")[:1]
        own = table[table.claim_id == claim_id].iloc[0]
        elsewhere = table[
            (table.source_id != own.source_id) & (table.subject == own.subject) & (table.metric == own.metric)
        ]
        if "no other article gives a figure for" in row.explanation:
            assert elsewhere.empty, (
                f"{row.check_id} says no other article gives a figure for it, but {list(elsewhere.claim_id)} do"
            )


def test_checks_that_can_only_refute_confirm_nothing(real):
    # Shares that fit within 100%, a figure within USGS's scale, a figure derived for the reader.
    checks, _, _ = real
    fit_only = checks[checks.rule.isin(["parts_of_whole", "scope", "plausibility", "implied_price", "implied_ratio"])]
    assert not fit_only.empty
    for row in fit_only.itertuples():
        assert (row.judges == "") == (row.verdict not in vocabulary.FAILING_VERDICTS), row.check_id


def test_a_dropped_hedge_across_articles_is_no_fault_of_the_exact_one(real):
    checks, _, _ = real
    for row in checks[checks.verdict == "hedge_dropped"].itertuples():
        assert len({claim[:4] for claim in row.claim_ids.split("; ")}) == 1, row.check_id


def test_different_measures_sharing_a_number_are_never_a_restatement(real):
    checks, table, _ = real
    metric_of = table.set_index("claim_id").metric
    for row in checks[checks.verdict.isin(vocabulary.AGREEING_VERDICTS + ("hedge_dropped",))].itertuples():
        if row.rule in ("same_figure", "dropped_hedge"):
            assert metric_of[row.claim_ids.split("; ")].nunique() == 1, row.check_id


def test_sources_record_the_date_each_article_is_judged_at():
    sources = provenance.load_sources(*provenance_paths())
    assert sources.as_of.str.match(r"^\d{4}-\d{2}-\d{2}$").all()


def provenance_paths():

    return CHECKOUT.sources_csv, CHECKOUT.articles
