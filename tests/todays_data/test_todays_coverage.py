"""What the coverage rule finds in today's articles: every zero ("no", "ban", "halt") and every
ranking word, and what covers it, pinned so that a change to the rule or to the capture shows what
it adds or drops. Adding an article adds rows here (see tests/todays_data/test_todays_analysis.py
for what this folder is); the rule itself is tested in tests/data/test_coverage.py.
"""

from __future__ import annotations

import pytest

from rare_earths.data import claims, coverage


@pytest.fixture(scope="module")
def captured():
    raw, _, articles, _ = claims.load_checked()
    return raw, coverage.load_exclusions(), articles


def test_the_zero_quantities_of_the_articles(captured):
    """Every "no" the rule finds in the five articles, and what covers it: pinned, so that a change
    to the rule or to the noun list shows what it adds or drops."""
    raw, exclusions, articles = captured
    table = coverage.report(raw, exclusions, articles)
    zeros = table[table.token.str.lower().isin(["no", "none", "zero", "ban", "halt"])]
    found = [
        (row.source_id, articles[row.source_id][row.offset : row.offset + 30], row.covered_by, row.detail.split(",")[0])
        for row in zeros.itertuples()
    ]
    assert found == [
        ("a002", "no Indian player has got nod s", "claim", "a002-13"),
        ("a002", "halt soon. Germany's BMW has s", "exclusion", "(zero_in_prose)"),
        ("a003", "ban\n\nAs China’s export ban on ", "claim", "a003-07"),
        ("a003", "ban on rare earth magnets disr", "claim", "a003-08"),
        ("a003", "halt in exports has left indus", "claim", "a003-09"),
        ("a003", "no rare earth magnets have bee", "claim", "a003-04"),
        ("a003", "no new import licences have be", "claim", "a003-05"),
        ("a003", "ban.\n\nTags:", "claim", "a003-10"),
        ("a004", "No domestic separation facilit", "claim", "a004-12"),
        ("a004", "No formalized offtake or proce", "claim", "a004-13"),
        ("a004", "halt to Japan—prove that overr", "claim", "a004-15"),
        ("a004", "no publicly traded rare earth ", "claim", "a004-14"),
    ]


def test_rankings_in_words_are_found_and_each_is_covered(captured):
    """Every word that ranks without a number, and what covers it: pinned as the zeros are."""
    raw, exclusions, articles = captured
    table = coverage.report(raw, exclusions, articles)
    ranks = table[table.token.str.lower().isin(list(coverage.RANKING_WORDS))]
    found = [(row.source_id, row.token, row.covered_by, row.detail.split(",")[0]) for row in ranks.itertuples()]
    assert found == [
        ("a000", "largest", "claim", "a000-49"),
        ("a000", "follows", "claim", "a000-50"),
        ("a000", "largest", "claim", "a000-51"),
        ("a000", "largest", "claim", "a000-52"),
        ("a000", "followed", "claim", "a000-53"),
        ("a001", "highest", "claim", "a001-08"),
        ("a002", "largest", "claim", "a002-14"),
        ("a004", "follows", "exclusion", "(ordinal_in_prose)"),
    ]
