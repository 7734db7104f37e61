"""The conclusions as schema.org ClaimReview markup: one record per claim, with the properties
fact-check markup requires, an absolute address per claim, dates and authors from the data, the
standing as a number and in words, and a script element that parses back to the same records and
cannot be ended early by its text. The site's own markup is read from pages rendered into a
temporary folder."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from conftest import CHECKOUT

from rare_earths import audit as audit_package
from rare_earths import project as project_module
from rare_earths import vocabulary
from rare_earths.data import provenance, schemas
from rare_earths.data.tables import read_processed, read_raw
from rare_earths.site import citation, claimreview, registry

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
        assert review["datePublished"] == "2025-08-14"  # the newest date the data state, not today's
        item = review["itemReviewed"]
        assert item["@type"] == "Claim" and item["author"]
        assert item["appearance"]["@type"] == "CreativeWork" and item["appearance"]["headline"]


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
            assert item["appearance"]["publisher"] == {"@type": "Organization", "name": name.publisher}
        else:
            assert "publisher" not in item["appearance"]


def test_an_article_address_is_given_where_the_renderer_has_one(audit, claims, names):
    reviews = claimreview.claim_reviews(
        audit.head(3),
        claims,
        names,
        lambda c: f"article-a000.html#about-{c}",
        article_url=lambda s: f"article-{s}.html",
        base_url="https://mirror.example.org/re/",
    )
    assert reviews[0]["itemReviewed"]["appearance"]["url"] == "https://mirror.example.org/re/article-a000.html"
    assert reviews[0]["url"] == "https://mirror.example.org/re/article-a000.html#about-a000-01"


def test_the_site_address_defaults_to_github_pages_and_the_environment_overrides_it(monkeypatch, audit, claims, names):
    monkeypatch.delenv(project_module.SITE_URL_VARIABLE, raising=False)
    owner, name = project_module.REPOSITORY.split("/")
    assert project_module.site_url() == f"https://{owner.lower()}.github.io/{name}/"
    monkeypatch.setenv(project_module.SITE_URL_VARIABLE, "https://preview.example.org/rare-earths")
    assert project_module.site_url() == "https://preview.example.org/rare-earths/"
    [review] = claimreview.claim_reviews(audit.head(1), claims, names, lambda c: f"article-a000.html#about-{c}")
    assert review["url"] == "https://preview.example.org/rare-earths/article-a000.html#about-a000-01"


@pytest.mark.parametrize(
    "url",
    [
        "article.html",
        "/rare-earths/",
        "ftp://example.org/",
        "https://example.org/?q=1",
        "javascript:alert(1)//",
        'https://example.org/a b"/',
        "https://example.org/</script><!--/",
    ],
)
def test_a_site_address_that_is_not_absolute_http_is_refused(monkeypatch, url):
    monkeypatch.setenv(project_module.SITE_URL_VARIABLE, url)
    with pytest.raises(project_module.SiteAddressError, match="RARE_EARTHS_SITE_URL="):
        project_module.site_url()


def test_a_run_with_a_bad_site_address_stops_before_anything_is_written(monkeypatch, capsys, tmp_path):
    """One line naming the variable, exit 1, and no step run (the project here has nothing built)."""
    from conftest import make_project

    from rare_earths.__main__ import main

    project = make_project(tmp_path / "project")
    monkeypatch.setenv(project_module.SITE_URL_VARIABLE, "javascript:alert(1)//")
    assert main(["--project", str(project.root), "run", "--no-sweep"]) == 1
    said = capsys.readouterr().err
    assert said.startswith("error: RARE_EARTHS_SITE_URL='javascript:alert(1)//'") and said.count("\n") == 1
    assert not project.processed_claims_csv.exists() and not project.html.exists()


def test_the_rating_scale_covers_every_standing_worst_to_best():
    assert set(claimreview.RATINGS) == set(vocabulary.STANDINGS)
    assert sorted(claimreview.RATINGS, key=claimreview.RATINGS.get) == [
        "does_not_hold",
        "unchecked",
        "consistent",
        "confirmed",
    ]
    assert (claimreview.WORST_RATING, claimreview.BEST_RATING) == (1, 4)


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
    assert claimreview.expand(json.loads(body)) == reviews


def test_the_script_names_what_reviews_share_once(audit, claims, names):
    """The reviewer, each article and its author are written once and named by their @id."""
    reviews = claimreview.claim_reviews(audit, claims, names, at, article_url=lambda source: f"article-{source}.html")
    body = claimreview.json_ld_script(reviews).split("\n")[1]
    graph = json.loads(body)
    headlines = {review["itemReviewed"]["appearance"]["headline"] for review in reviews}
    for headline in headlines:
        assert body.count('"headline":' + json.dumps(headline, ensure_ascii=False)) == 1
    assert body.count('"name":"The rare-earths notebook suite authors"') == 1
    assert len(graph["@graph"]) > len(reviews)
    assert claimreview.expand(graph) == reviews


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
    assert claimreview.expand(json.loads(body)) == hostile


# --- the markup on the built site ---------------------------------------------------------------------

SCRIPT = re.compile(r'<script type="application/ld\+json">\n(.*?)\n</script>', re.DOTALL)


@pytest.fixture(scope="module")
def published(site) -> dict[str, list[dict]]:
    """Each article's page's ClaimReview records, by source_id."""
    found = {}
    for source_id in registry.source_ids(CHECKOUT.sources_csv):
        [script] = SCRIPT.findall((site / registry.article_page(source_id)).read_text(encoding="utf-8"))
        found[source_id] = claimreview.expand(json.loads(script))
    return found


@pytest.fixture(scope="module")
def sources() -> dict[str, dict]:
    frame = read_raw(schemas.SOURCES, CHECKOUT.sources_csv)
    return {row["source_id"]: row for row in frame.to_dict("records")}


def every_review(published):
    return [review for reviews in published.values() for review in reviews]


def test_the_site_reviews_every_claim_once(published, audit):
    assert sorted(review["url"].partition("#about-")[2] for review in every_review(published)) == sorted(audit.claim_id)


def test_every_address_in_the_sites_markup_is_absolute_under_the_sites_address(published):
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(project_module.SITE_URL_VARIABLE, raising=False)
        base = project_module.site_url()
    assert base.startswith("https://") and ".github.io/" in base
    for source_id, reviews in published.items():
        page = base + registry.article_page(source_id)
        for review in reviews:
            claim_id = review["url"].partition("#about-")[2]
            assert review["url"] == f"{page}#about-{claim_id}" and claim_id.startswith(source_id + "-")
            assert review["itemReviewed"]["appearance"]["url"] == page
            urls = re.findall(r'"url": "([^"]*)"', json.dumps(review))
            assert urls and all(url.startswith(base) for url in urls), urls


def test_every_review_on_the_site_is_dated_by_the_newest_date_in_the_data(published, sources):
    references = read_raw(schemas.REFERENCES, CHECKOUT.references_csv)
    newest = max(
        date for date in [*(s["date"] for s in sources.values()), *(s["as_of"] for s in sources.values()),
                          *references.published] if date
    )  # fmt: skip
    assert {review["datePublished"] for review in every_review(published)} == {newest}


def test_every_claim_on_the_site_is_dated_by_its_article_where_the_article_is_dated(published, sources):
    for source_id, reviews in published.items():
        for review in reviews:
            item = review["itemReviewed"]
            if sources[source_id]["date"]:
                assert item["datePublished"] == item["appearance"]["datePublished"] == sources[source_id]["date"]
            else:
                assert "datePublished" not in item and "datePublished" not in item["appearance"]
    # Both branches are exercised: the sources have dated and undated articles.
    assert {bool(source["date"]) for source in sources.values()} == {True, False}


def test_every_claim_on_the_site_has_its_articles_byline_or_publisher_as_author(published, sources):
    for source_id, reviews in published.items():
        source = sources[source_id]
        for review in reviews:
            author = review["itemReviewed"]["author"]
            people = author if isinstance(author, list) else [author]
            if source["author"]:
                assert all(person["@type"] == "Person" for person in people)
                assert " and ".join(person["name"] for person in people) == source["author"]
            else:
                assert author == {"@type": "Organization", "name": source["publisher"] or claimreview.UNNAMED}
    assert published["a002"][0]["itemReviewed"]["author"] == [
        {"@type": "Person", "name": "Shine Jacob"},
        {"@type": "Person", "name": "Sohini Das"},
    ]
    assert published["a004"][0]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Rare Earth Exchanges"}


def test_every_rating_on_the_site_is_a_number_on_its_scale_and_words(published, audit):
    standing_of = dict(zip(audit.claim_id, audit.standing, strict=True))
    for review in every_review(published):
        rating = review["reviewRating"]
        claim_id = review["url"].partition("#about-")[2]
        assert rating["@type"] == "Rating"
        assert (rating["worstRating"], rating["bestRating"]) == (1, 4)
        assert rating["ratingValue"] == claimreview.RATINGS[standing_of[claim_id]]
        assert rating["alternateName"].startswith(vocabulary.STANDINGS[standing_of[claim_id]].label + " (")
        assert re.fullmatch(r"[A-Z][A-Za-z ,'-]+ \([A-Z][A-Za-z ,'-]+\)", rating["alternateName"]), rating


def test_the_sites_address_is_an_input_of_the_site_step(monkeypatch):
    """Pages built for one address are not up to date for another: the site step records it."""
    from rare_earths.site import step

    addresses = []
    for url in ("https://one.example/rare-earths/", "https://two.example/re/"):
        monkeypatch.setenv(project_module.SITE_URL_VARIABLE, url)
        addresses.append(step.site_step(CHECKOUT, (), swept=False).values["site_url"])
    assert addresses == ["https://one.example/rare-earths/", "https://two.example/re/"]
