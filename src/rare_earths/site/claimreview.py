"""Each claim's conclusion as schema.org ClaimReview markup: one fact-check record per claim, for
search engines and other readers of structured data.

schema.org reviews a claim, not a check, so each row of data/processed/conclusions.csv becomes
one `ClaimReview`: the claim reviewed (its quote), who made it (the article's byline, else its
publisher, from data/raw/sources.csv) and when (the article's date, where it states one), where it
appeared (the article, by the name pages give it, with its publisher and date), the rating (a
number on the scale `RATINGS` declares and the standing's label in words, with the deciding
verdict), the explanation, who reviewed it (the suite's authors, from CITATION.cff) and the
address of the claim's entry on its article's page. Every address is absolute, under the
published site's (`project.site_url`), so the records can be read away from the site.
`check_anchor` is the one place a check's address fragment is made; pages give the check the
same id.

The review's date is the data's, not the clock's: the newest date the received data state (an
article's date or the date it is judged as of, a USGS edition's publication), so the same data
give the same markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from urllib.parse import urljoin, urlparse

from rare_earths import vocabulary
from rare_earths.data import schemas
from rare_earths.data.tables import read_raw
from rare_earths.project import Project, site_url
from rare_earths.site import citation

# The rating as a number, for readers that want one: how far the evidence supports the claim, from
# evidence against it (1) through none either way (2) and its own article's figures only (3) to
# independent evidence (4). `alternateName` says the same in words.
RATINGS: dict[str, int] = {"does_not_hold": 1, "unchecked": 2, "consistent": 3, "confirmed": 4}
WORST_RATING, BEST_RATING = min(RATINGS.values()), max(RATINGS.values())
# An article that names neither an author nor a publisher: its author is still said to be unknown.
CONTEXT = "https://schema.org"
UNNAMED = "Unnamed (the article names no author or publisher)"


def check_anchor(check_id: str) -> str:
    """The HTML id (and URL fragment) of a check: "check-" and its id with every character other
    than an ASCII letter or digit replaced by "-" ("share_of_whole:a000-14" ->
    "check-share-of-whole-a000-14")."""
    return "check-" + re.sub(r"[^A-Za-z0-9]", "-", check_id)


def _records(table) -> list[dict]:
    """Rows of a DataFrame, or mappings as they are."""
    return table.to_dict("records") if hasattr(table, "to_dict") else [dict(row) for row in table]


def _organization(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def _people(byline: str) -> list[dict]:
    """A byline's people ("Shine Jacob and Sohini Das"), each a schema.org Person."""
    return [{"@type": "Person", "name": name} for name in re.split(r",\s*|\s+and\s+", byline.strip()) if name]


def _author(source) -> dict | list[dict]:
    """Who made an article's claims: the people of its byline, else its publisher, else said to be
    unnamed (an Organization: no person is named)."""
    if source["author"]:
        people = _people(source["author"])
        return people[0] if len(people) == 1 else people
    return _organization(source["publisher"] or UNNAMED)


def review_date(project: Project) -> str:
    """The reviews' date (YYYY-MM-DD): the newest date the received data state, an article's date
    or the date it is judged as of (sources.csv) or a USGS edition's publication (references.csv)."""
    sources = read_raw(schemas.SOURCES, project.sources_csv)
    references = read_raw(schemas.REFERENCES, project.references_csv)
    dates = [*sources["date"], *sources["as_of"], *references["published"]]
    return max(date for date in dates if date)


def claim_reviews(
    conclusions,
    claims,
    source_names: Mapping,
    claim_url: Callable[[str], str],
    *,
    article_url: Callable[[str], str] | None = None,
    citation_cff: Path | None = None,
    base_url: str | None = None,
) -> list[dict]:
    """One schema.org ClaimReview (a JSON-LD object) per conclusion, in the order of `conclusions`.

    `conclusions`: rows of data/processed/conclusions.csv (a DataFrame or mappings); `claims`: the
    rows of data/processed/claims.csv, for each claim's article and quote; `source_names`: each
    article's name for readers, `provenance.source_names()`; `claim_url(claim_id)`: the address of
    the claim's entry on a page. `article_url`, if given, maps a source_id to the address of the
    article's page. `citation_cff`: the project's CITATION.cff, whose authors are the reviewer; the
    project is the folder holding it (by default the one holding the working directory), whose
    sources.csv gives each article's byline, publisher and date. An address given relative is
    made absolute against `base_url` (by default `project.site_url()`).

    The rating is given as a number (`RATINGS`, with the scale's best and worst) and in words (the
    standing's label, then the deciding verdict's) as `reviewRating.alternateName`.
    Raises ValueError naming the claim if it, its article or its standing is not known."""
    project = Project.here() if citation_cff is None else Project(Path(citation_cff).parent)
    base = site_url() if base_url is None else base_url
    sources = {row["source_id"]: row for row in _records(read_raw(schemas.SOURCES, project.sources_csv))}
    published = review_date(project)
    quotes = {row["claim_id"]: row for row in _records(claims)}
    reviewer = _organization(citation.authors(project.citation_cff))
    reviews = []
    for conclusion in _records(conclusions):
        claim_id = str(conclusion["claim_id"])
        if claim_id not in quotes:
            raise ValueError(f"conclusion of {claim_id}: the claim is not among the claims given")
        claim = quotes[claim_id]
        if claim["source_id"] not in source_names or claim["source_id"] not in sources:
            raise ValueError(f"conclusion of {claim_id}: article {claim['source_id']} has no name in source_names")
        if conclusion["standing"] not in vocabulary.STANDINGS or conclusion["verdict"] not in vocabulary.VERDICTS:
            raise ValueError(
                f"conclusion of {claim_id}: standing {conclusion['standing']!r} or verdict {conclusion['verdict']!r} is "
                f"not known; standings: {', '.join(vocabulary.STANDINGS)}"
            )
        name, source = source_names[claim["source_id"]], sources[claim["source_id"]]
        # An article's own title is its headline; a label this project assigned is said to be one.
        appearance = {"@type": "CreativeWork", "headline": name.full if name.assigned else name.title}
        if article_url is not None:
            appearance["url"] = urljoin(base, article_url(claim["source_id"]))
        if source["publisher"]:
            appearance["publisher"] = _organization(source["publisher"])
        item = {"@type": "Claim", "author": _author(source), "appearance": appearance}
        if source["date"]:
            item["datePublished"] = appearance["datePublished"] = source["date"]
        rating = (
            f"{vocabulary.STANDINGS[conclusion['standing']].label} ({vocabulary.VERDICTS[conclusion['verdict']].label})"
        )
        reviews.append(
            {
                "@context": CONTEXT,
                "@type": "ClaimReview",
                "url": urljoin(base, claim_url(claim_id)),
                "datePublished": published,
                "claimReviewed": str(claim["quote"]),
                "itemReviewed": item,
                "author": reviewer,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": RATINGS[conclusion["standing"]],
                    "bestRating": BEST_RATING,
                    "worstRating": WORST_RATING,
                    "alternateName": rating,
                },
                "reviewBody": str(conclusion["explanation"]),
            }
        )
    return reviews


def _graph(reviews: Iterable[Mapping]) -> dict:
    """The reviews as one JSON-LD graph: what many reviews share (the reviewer, each article, its
    author) is a node given once, which each review names by its "@id", so a page grows by what is
    its claims' own. The ids are fragments of the page the graph is on ("#article-a000",
    "#article-a000-author", "#reviewers"), as JSON-LD resolves them. `expand` gives the reviews back."""
    nodes: dict[str, dict] = {}

    def named(value, node_id: str) -> dict:
        if not isinstance(value, dict):  # several people: written where they are
            return value
        node = {"@id": node_id, **value}
        if nodes.setdefault(node_id, node) != node:
            raise ValueError(f"two different nodes would be named {node_id}")
        return {"@id": node_id}

    written = []
    for review in reviews:
        review = {key: value for key, value in review.items() if key != "@context"}
        item = dict(review["itemReviewed"])
        page = item["appearance"].get("url")
        if page:
            article = "#" + Path(urlparse(page).path).stem
            item["author"] = named(item["author"], f"{article}-author")
            item["appearance"] = named(item["appearance"], article)
        review["itemReviewed"] = item
        review["author"] = named(review["author"], "#reviewers")
        written.append(review)
    return {"@context": CONTEXT, "@graph": [*nodes.values(), *written]}


def expand(graph: Mapping) -> list[dict]:
    """The ClaimReviews of a graph written by `json_ld_script`, each whole, as `claim_reviews` made
    them: every {"@id": ...} that names a node replaced by the node."""
    nodes = {node["@id"]: node for node in graph["@graph"] if node.get("@type") != "ClaimReview"}

    def whole(value):
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in nodes:
            return whole({key: item for key, item in nodes[value["@id"]].items() if key != "@id"})
        if isinstance(value, dict):
            return {key: whole(item) for key, item in value.items()}
        if isinstance(value, list):
            return [whole(item) for item in value]
        return value

    return [
        {"@context": graph["@context"], **whole(node)} for node in graph["@graph"] if node.get("@type") == "ClaimReview"
    ]


def json_ld_script(reviews: Iterable[Mapping]) -> str:
    """A `<script type="application/ld+json">` element holding the reviews as one compact JSON-LD
    graph (`_graph`): keys sorted, text as written (not \\u-escaped), so the same reviews give the
    same bytes. "</" is written "<\\/" and "<!--" as "\\u003c!--" (the same JSON), so no quote or
    explanation can end the script or open a comment inside it."""
    text = json.dumps(_graph(reviews), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<!--", "\\u003c!--").replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'
