"""Every number in every article is part of a claim or excluded with a reason."""

from __future__ import annotations

import shutil

import pytest

from rare_earths import claims, coverage, metadata
from rare_earths.errors import InputError
from rare_earths.provenance import load_articles, load_sources
from rare_earths.tables import read_raw


@pytest.fixture(scope="module")
def project():
    raw, _, articles = claims.load_checked()
    return raw, coverage.load_exclusions(), articles


def test_every_number_in_every_article_is_covered(project):
    raw, exclusions, articles = project
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    missing = coverage.uncovered(articles, spans)
    assert not missing, "numbers neither claimed nor excluded:\n" + "\n".join(map(str, missing))


def test_no_number_is_both_claimed_and_excluded(project):
    raw, exclusions, articles = project
    clashes = coverage.double_counted(coverage.claim_spans(raw, articles), coverage.exclusion_spans(exclusions, articles))
    assert clashes == []


def test_every_claim_locates_its_figure(project):
    raw, _, articles = project
    spans = coverage.claim_spans(raw, articles)
    assert {span.covered_by for span in spans} >= {f"claim {claim_id}" for claim_id in raw.claim_id}


def test_the_report_accounts_for_every_token(project):
    raw, exclusions, articles = project
    table = coverage.report(raw, exclusions, articles)
    assert set(table.covered_by) == {"claim", "exclusion"}
    assert len(table) == sum(len(coverage.number_tokens(text)) for text in articles.values())


def test_number_tokens_find_digits_and_words():
    tokens = [token for _, _, token in coverage.number_tokens("In FY25, 6-8 weeks, two-thirds of 1,345.5 and the fifth")]
    assert tokens == ["25", "6", "8", "two", "thirds", "1,345.5", "fifth"]


def fixture_project(fixtures, articles_dir):
    sources = load_sources(fixtures / "sources.csv", articles_dir)
    raw = read_raw(metadata.RAW_CLAIMS, fixtures / "claims" / "good.csv")
    exclusions = coverage.load_exclusions(fixtures / "exclusions.csv")
    return raw, exclusions, load_articles(sources, articles_dir)


def test_the_fixture_is_fully_covered(fixtures):
    raw, exclusions, articles = fixture_project(fixtures, fixtures / "articles")
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    assert coverage.uncovered(articles, spans) == []


def test_a_number_added_to_an_article_is_caught(fixtures, tmp_path):
    raw, exclusions, articles = fixture_project(fixtures, fixtures / "articles")
    articles = {**articles, "a001": articles["a001"] + "Exports rose by a third, to 12 kilotons.\n"}
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    assert [(item.source_id, item.token) for item in coverage.uncovered(articles, spans)] == [("a001", "third"), ("a001", "12")]


def test_an_exclusion_that_locates_nothing_is_refused(fixtures, tmp_path):
    broken = tmp_path / "exclusions.csv"
    broken.write_text((fixtures / "exclusions.csv").read_text(encoding="utf-8").replace(",2025,date", ",2026,date"), encoding="utf-8")
    raw, _, articles = fixture_project(fixtures, fixtures / "articles")
    with pytest.raises(InputError, match=r"exclusions.csv, line 3, column number_as_written: '2026' not found in the quote"):
        coverage.exclusion_spans(coverage.load_exclusions(broken), articles, broken)


def test_an_unknown_exclusion_reason_is_refused(fixtures, tmp_path):
    broken = tmp_path / "exclusions.csv"
    shutil.copy(fixtures / "exclusions.csv", broken)
    broken.write_text(broken.read_text(encoding="utf-8").replace(",2025,date", ",2025,because"), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3, column reason: 'because' is not in the allowed vocabulary"):
        coverage.load_exclusions(broken)
