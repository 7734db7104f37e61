"""The conclusions as schema.org ClaimReview markup: one record per claim, with the properties
fact-check markup requires, an address per claim, the standing in words, and a script element that
parses back to the same records and cannot be ended early by its text."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import CHECKOUT

from rare_earths import audit as audit_package
from rare_earths import vocabulary
from rare_earths.data import provenance, schemas
from rare_earths.data.tables import read_processed
from rare_earths.site import citation, claimreview

PAGE = "https://example.org/rare-earths/claims.html"


def at(claim_id: str) -> str:
    return f"{PAGE}#about-{claim_id}"


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    """data/processed/conclusions.csv, typed and validated as the pages read it."""
    return audit_package.conclusions.load()


@pytest.fixture(scope="module")
def claims() -> pd.DataFrame:
    return read_processed(schemas.CLAIMS, CHECKOUT.processed_claims_csv)


@pytest.fixture(scope="module")
def names():
    return provenance.source_names()


@pytest.fixture(scope="module")
def reviews(audit, claims, names) -> list[dict]:
    return claimreview.claim_reviews(audit, claims, names, at)


def test_one_review_per_claim_in_the_order_of_the_conclusions(audit, claims, reviews):
    assert len(audit) == len(claims) and len(reviews) == len(audit)
    assert [review["url"] for review in reviews] == [at(claim_id) for claim_id in audit.claim_id]


def test_every_review_has_the_properties_fact_check_markup_requires(reviews):
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"].strip()
        assert review["reviewRating"]["@type"] == "Rating" and review["reviewRating"]["alternateName"]
        assert review["url"].startswith(PAGE + "#about-a")
        assert review["author"] == {"@type": "Organization", "name": citation.authors()}
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["appearance"]["@type"] == "CreativeWork" and item["appearance"]["headline"]
        assert "datePublished" not in review


def test_each_check_has_its_own_address(reviews):
    urls = [review["url"] for review in reviews]
    assert len(set(urls)) == len(urls)
    for url in urls:
        assert re.fullmatch(r"about-a\d{3}-\d{2}", url.partition("#")[2])


def test_the_rating_is_the_standing_in_words(audit, reviews):
    labels = [review["reviewRating"]["alternateName"] for review in reviews]
    assert labels == [
        f"{vocabulary.STANDINGS[s].label} ({vocabulary.VERDICTS[v].label})"
        for s, v in zip(audit.standing, audit.verdict, strict=True)
    ]
    assert all("_" not in label for label in labels)
    assert "Does not hold (Contradicted)" in labels


def test_the_claim_reviewed_is_the_claims_quote(audit, claims, names, reviews):
    quotes = claims.set_index("claim_id").quote
    for conclusion, review in zip(audit.itertuples(), reviews, strict=True):
        assert review["claimReviewed"] == quotes[conclusion.claim_id]
        assert review["reviewBody"] == conclusion.explanation


def test_the_claim_appears_in_its_article_by_the_name_pages_give_it(audit, claims, names, reviews):
    source_of = claims.set_index("claim_id").source_id
    for conclusion, review in zip(audit.itertuples(), reviews, strict=True):
        name = names[source_of[conclusion.claim_id]]
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
        audit.head(3),
        claims,
        names,
        lambda c: f"article-a000.html#about-{c}",
        article_url=lambda s: f"article-{s}.html",
    )
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "article-a000.html"
    assert reviews[0]["url"] == "article-a000.html#about-a000-01"


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
    with pytest.raises(ValueError, match="conclusion of a000-01: the claim is not among"):
        claimreview.claim_reviews(audit.head(1), claims[claims.claim_id != "a000-01"], names, at)
    bad = audit.head(1).assign(standing="true")
    with pytest.raises(ValueError, match="standing 'true' or verdict"):
        claimreview.claim_reviews(bad, claims, names, at)


def test_the_script_parses_back_to_the_reviews(reviews):
    script = claimreview.json_ld_script(reviews)
    opening, closing = '<script type="application/ld+json">', "</script>"
    assert script.startswith(opening) and script.endswith(closing)
    body = script[len(opening) : -len(closing)]
    assert closing not in body
    assert json.loads(body) == reviews


def test_the_script_is_the_same_bytes_for_the_same_reviews(audit, claims, names, reviews):
    again = claimreview.claim_reviews(audit, claims, names, at)
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
