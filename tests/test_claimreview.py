"""The audit as schema.org ClaimReview markup: one record per check of the real audit, with the
properties fact-check markup requires, an address per check, verdicts in words, and a script
element that parses back to the same records and cannot be ended early by its text."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from rare_earths import audit as audit_package
from rare_earths import citation, claimreview, metadata, paths, provenance
from rare_earths.tables import read_processed

PAGE = "https://example.org/rare-earths/claims.html"


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    """data/processed/audit.csv, typed and validated as the pages read it."""
    return audit_package.load()


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return read_processed(metadata.CLAIMS, paths.PROCESSED_CLAIMS_CSV)


@pytest.fixture(scope="module")
def names():
    return provenance.source_names()


@pytest.fixture(scope="module")
def reviews(audit, claims, names) -> list[dict]:
    return claimreview.claim_reviews(audit, claims, names, PAGE)


def test_one_review_per_check_in_the_order_of_the_audit(audit, reviews):
    assert len(audit) > 0 and len(reviews) == len(audit)
    assert [review["url"] for review in reviews] == [
        f"{PAGE}#{claimreview.check_anchor(check_id)}" for check_id in audit.check_id
    ]


def test_every_review_has_the_properties_fact_check_markup_requires(reviews):
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"].strip()
        assert review["reviewRating"]["@type"] == "Rating" and review["reviewRating"]["alternateName"]
        assert review["url"].startswith(PAGE + "#check-")
        assert review["author"] == {"@type": "Organization", "name": citation.authors()}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["@type"] == "CreativeWork" and item["appearance"]["headline"]
        assert "datePublished" not in review


def test_each_check_has_its_own_address(reviews):
    urls = [review["url"] for review in reviews]
    assert len(set(urls)) == len(urls)
    for url in urls:
        assert re.fullmatch(r"check-[A-Za-z0-9-]+", url.partition("#")[2])


def test_verdicts_are_given_in_words(audit, reviews):
    labels = [review["reviewRating"]["alternateName"] for review in reviews]
    assert labels == [metadata.VERDICT_LABELS[verdict] for verdict in audit.verdict]
    assert all("_" not in label for label in labels)
    assert "Contradicted" in labels


def test_the_claim_reviewed_is_the_quote_of_the_claim_the_check_names(audit, claims, names, reviews):
    quotes = claims.set_index("claim_id").quote
    for check, review in zip(audit.itertuples(), reviews, strict=True):
        claim_id = claimreview.main_claim(check._asdict())
        assert claim_id in check.claim_ids.split("; ")
        assert review["claimReviewed"] == quotes[claim_id]
        assert review["reviewBody"] == check.explanation
    usgs = reviews[list(audit.check_id).index("usgs:a000-13")]
    assert usgs["claimReviewed"] == quotes["a000-13"]


def test_the_claim_appears_in_its_article_by_the_name_pages_give_it(audit, claims, names, reviews):
    source_of = claims.set_index("claim_id").source_id
    for check, review in zip(audit.itertuples(), reviews, strict=True):
        name = names[source_of[claimreview.main_claim(check._asdict())]]
        item = review["itemReviewed"]
        assert item["appearance"]["headline"] == (name.full if name.assigned else name.title)
        if name.publisher:
            assert item["author"] == {"@type": "Organization", "name": name.publisher}
        else:
            assert "author" not in item
    publishers = {review["itemReviewed"].get("author", {}).get("name") for review in reviews}
    assert "Rare Earth Exchanges" in publishers


def test_an_article_address_is_given_where_the_renderer_has_one(audit, claims, names):
    reviews = claimreview.claim_reviews(
        audit.head(3), claims, names, "claims.html#top", article_url=lambda source: f"article-{source}.html"
    )
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "article-a000.html"
    assert reviews[0]["url"] == "claims.html#check-share-of-whole-a000-14"


@pytest.mark.parametrize(
    ("check_id", "anchor"),
    [
        ("share_of_whole:a000-14", "check-share-of-whole-a000-14"),
        ("same_number_different_measure:a000-01", "check-same-number-different-measure-a000-01"),
        ("odd id/with spaces:ü", "check-odd-id-with-spaces--"),
    ],
)
def test_check_anchor_is_url_safe(check_id, anchor):
    assert claimreview.check_anchor(check_id) == anchor


def test_an_unknown_claim_or_verdict_is_named(audit, claims, names):
    with pytest.raises(ValueError, match="check share_of_whole:a000-14: claim a000-14 is not among"):
        claimreview.claim_reviews(audit.head(1), claims[claims.claim_id != "a000-14"], names, PAGE)
    bad = audit.head(1).assign(verdict="true")
    with pytest.raises(ValueError, match="verdict 'true' is not one of"):
        claimreview.claim_reviews(bad, claims, names, PAGE)


def test_the_script_parses_back_to_the_reviews(reviews):
    script = claimreview.json_ld_script(reviews)
    opening, closing = '<script type="application/ld+json">', "</script>"
    assert script.startswith(opening) and script.endswith(closing)
    body = script[len(opening) : -len(closing)]
    assert closing not in body
    assert json.loads(body) == reviews


def test_the_script_is_the_same_bytes_for_the_same_reviews(audit, claims, names, reviews):
    again = claimreview.claim_reviews(audit, claims, names, PAGE)
    assert claimreview.json_ld_script(again) == claimreview.json_ld_script(reviews)


def test_no_text_can_end_the_script_or_open_a_comment(reviews):
    hostile = [
        {
            **reviews[0],
            "claimReviewed": "a </script><script>alert(1)</script> b <!-- c",
            "reviewBody": "India’s 81% — ≥ 90%",
        }
    ]
    script = claimreview.json_ld_script(hostile)
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "</" not in body and "<!--" not in body
    assert "India’s 81% — ≥ 90%" in body  # text as written, not \u-escaped
    assert json.loads(body) == hostile
