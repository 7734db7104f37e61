"""Every number in every article is part of a claim or excluded with a reason."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import CHECKOUT

from rare_earths.data import claims, coverage, schemas
from rare_earths.data.provenance import load_articles, load_sources
from rare_earths.data.tables import read_raw
from rare_earths.errors import InputError


@pytest.fixture(scope="module")
def project():
    raw, _, articles, _ = claims.load_checked()
    return raw, coverage.load_exclusions(), articles


def test_every_number_in_every_article_is_covered(project):
    raw, exclusions, articles = project
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    missing = coverage.uncovered(articles, spans)
    assert not missing, "numbers neither claimed nor excluded:\n" + "\n".join(map(str, missing))


def test_no_number_is_both_claimed_and_excluded(project):
    raw, exclusions, articles = project
    clashes = coverage.double_counted(
        coverage.claim_spans(raw, articles), coverage.exclusion_spans(exclusions, articles)
    )
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
    tokens = [
        token for _, _, token in coverage.number_tokens("In FY25, 6-8 weeks, two-thirds of 1,345.5 and the fifth")
    ]
    assert tokens == ["25", "6", "8", "two", "thirds", "1,345.5", "fifth"]


def fixture_project(fixtures, articles_dir):
    sources = load_sources(fixtures / "sources.csv", articles_dir)
    raw = read_raw(schemas.RAW_CLAIMS, fixtures / "claims" / "good.csv")
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
    assert [(item.source_id, item.token) for item in coverage.uncovered(articles, spans)] == [
        ("a001", "third"),
        ("a001", "12"),
    ]


def test_an_exclusion_that_locates_nothing_is_refused(fixtures, tmp_path):
    broken = tmp_path / "exclusions.csv"
    broken.write_text(
        (fixtures / "exclusions.csv").read_text(encoding="utf-8").replace(",2025,date", ",2026,date"), encoding="utf-8"
    )
    raw, _, articles = fixture_project(fixtures, fixtures / "articles")
    with pytest.raises(
        InputError, match=r"exclusions.csv, line 3, column number_as_written: '2026' not found in the quote"
    ):
        coverage.exclusion_spans(coverage.load_exclusions(broken), articles, broken)


def test_an_unknown_exclusion_reason_is_refused(fixtures, tmp_path):
    broken = tmp_path / "exclusions.csv"
    shutil.copy(fixtures / "exclusions.csv", broken)
    broken.write_text(broken.read_text(encoding="utf-8").replace(",2025,date", ",2025,because"), encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3, column reason: 'because' is not in the allowed vocabulary"):
        coverage.load_exclusions(broken)


# --- zero quantities: "zero", "none", and a "no" in a quantity context ----------------------------


def tokens(text: str) -> list[str]:
    return [token for _, _, token in coverage.number_tokens(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("and no new import licences have been issued since then.", ["no"]),
        ("But no Indian player has got nod so far.", ["no"]),
        ("As of now, no rare earth magnets have been imported from China.", ["no"]),
        ("No magnets have been imported.", ["No"]),
        ("India has no publicly traded rare earth element (REE) firms with scaled production.", ["no"]),
        ("Of the 30 applications, none was approved.", ["30", "none"]),
        ("Output fell to zero in May.", ["zero"]),
        ("India talks amid the rare earth export ban", ["ban"]),  # an export ban or halt lets nothing through
        ("The recent halt in exports has left industries scrambling.", ["halt"]),
    ],
)
def test_zero_quantities_are_numbers(text, expected):
    assert tokens(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "India no longer imports magnets from China.",
        "There is no doubt that demand will rise.",
        "The issue will have no immediate impact on its production.",
        "Magnet crunch: No. of Indian applicants for rare earth permits so far",
        "No Heavy REE Strategy for the sector.",
        "There is no plan yet. Magnets have been imported since May.",  # the noun is in the next sentence
        "There is no reason for the committee of the board to think that it has got it right.",  # past the window
    ],
)
def test_ordinary_no_in_prose_is_not_a_number(text):
    assert tokens(text) == []


def test_no_before_a_bound_is_not_a_zero():
    assert tokens("Imports will be no more than 5 tonnes.") == ["5"]


def test_a_ranking_in_words_that_no_claim_captures_is_caught(fixtures):
    raw, exclusions, articles = fixture_project(fixtures, fixtures / "articles")
    articles = {
        **articles,
        "a001": articles["a001"] + "Brazil holds the largest stock; Chile follows; Peru the smallest.\n",
    }
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    assert [(item.source_id, item.token) for item in coverage.uncovered(articles, spans)] == [
        ("a001", "largest"),
        ("a001", "follows"),
        ("a001", "smallest"),
    ]


def test_a_rank_joined_to_an_ordinal_is_the_ordinals_figure():
    tokens = [token for _, _, token in coverage.number_tokens("the fifth-largest reserves, the largest output")]
    assert tokens == ["fifth", "largest"]


def zero_fixture(fixtures):
    """Fixture one, plus "Since then no magnets have been imported", which no claim captures."""
    folder = fixtures / "zero"
    articles = load_articles(load_sources(folder / "sources.csv", folder / "articles"), folder / "articles")
    raw = read_raw(schemas.RAW_CLAIMS, fixtures / "claims" / "good.csv")
    exclusions = coverage.load_exclusions(fixtures / "exclusions.csv")
    return raw[raw.source_id == "a000"], exclusions[exclusions.source_id == "a000"], articles


def test_an_uncaptured_zero_is_reported(fixtures):
    raw, exclusions, articles = zero_fixture(fixtures)
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    missing = coverage.uncovered(articles, spans)
    assert [(item.source_id, item.token) for item in missing] == [("a000", "no")]
    assert "no magnets have been imported" in missing[0].context


def test_the_zero_captured_as_a_claim_is_covered(fixtures):
    raw, exclusions, articles = zero_fixture(fixtures)
    zero = {
        **raw.iloc[0].to_dict(),
        "claim_id": "a000-06",
        "subject": "Country A",
        "metric": "magnet_imports",
        "value_as_written": "no",
        "unit_as_written": "t",
        "period_as_written": "Since then",
        "period": "2025",
        "quote": "Since then no magnets have been imported",
    }
    raw = pd.concat([raw, pd.DataFrame([zero])], ignore_index=True)
    figures = claims.check_claims(raw, articles, fixtures / "claims" / "good.csv")
    assert figures["a000-06"].low == 0 * figures["a000-06"].low.units
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(exclusions, articles)
    assert coverage.uncovered(articles, spans) == []


def test_an_exclusions_table_with_only_its_header_excludes_nothing(fixtures):
    raw, _, articles = fixture_project(fixtures, fixtures / "articles")
    exclusions = coverage.load_exclusions(fixtures / "exclusions_header_only.csv")
    assert exclusions.empty and list(exclusions.columns) == schemas.EXCLUSIONS.names
    assert coverage.exclusion_spans(exclusions, articles) == []
    # Valid as a table; coverage then names every number only the exclusions covered.
    missing = coverage.uncovered(articles, coverage.claim_spans(raw, articles))
    assert [(item.source_id, item.token) for item in missing] == [("a000", "2"), ("a000", "2025"), ("a001", "second")]


def test_an_empty_exclusions_file_is_a_located_error(tmp_path):
    empty = tmp_path / "exclusions.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"exclusions.csv, line 1: is empty: it needs at least its header line"):
        coverage.load_exclusions(empty)


def test_each_exclusion_is_named_by_the_line_it_starts_on():
    """exclusions.csv has quotes that span lines: a row's line is still the one it starts on."""
    from rare_earths.errors import line_of

    lines = CHECKOUT.exclusions_csv.read_text(encoding="utf-8").split("\n")
    exclusions = coverage.load_exclusions()
    assert any("\n" in quote for quote in exclusions.quote)
    for index, row in exclusions.iterrows():
        first = row.quote.split("\n")[0]
        assert lines[line_of(index) - 1].startswith(f"{row.source_id},") and first in lines[line_of(index) - 1], (
            index,
            row.quote,
        )


def test_an_exclusion_given_twice_is_a_located_error_naming_both_lines(tmp_path):
    path = tmp_path / "exclusions.csv"
    row = 'a000,"On April 2, 2025 a budget",2025,date,\n'
    path.write_text(
        "source_id,quote,number_as_written,reason,note\n"
        + row
        + 'a000,"On April 2, 2025 a budget",2,date,\n'
        + row.replace(",date,", ",date,said twice")
    )
    with pytest.raises(
        InputError, match=r"exclusions.csv, line 4, column number_as_written: repeats line 2 \(the same source_id"
    ):
        coverage.load_exclusions(path)
