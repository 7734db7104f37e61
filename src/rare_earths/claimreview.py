"""The audit as schema.org ClaimReview markup: one fact-check record per check, for search engines
and other readers of structured data.

Each check of data/processed/audit.csv becomes one `ClaimReview` (the properties of the fact-check
markup search engines read): the claim reviewed (the quote of the check's main claim, the one its
id names), where it appeared (the article, by the name pages give it, and its publisher where the
article names one), the verdict in the words pages use, the explanation, who reviewed it (the
suite's authors, from CITATION.cff) and the address of the check on its page. `check_anchor` is the
one place that address's fragment is made; pages give the check the same id. No date is given:
the records describe the data, and the same data give the same markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping

from . import citation, metadata


def check_anchor(check_id: str) -> str:
    """The HTML id (and URL fragment) of a check: "check-" and its id with every character other
    than an ASCII letter or digit replaced by "-" ("share_of_whole:a000-14" ->
    "check-share-of-whole-a000-14")."""
    return "check-" + re.sub(r"[^A-Za-z0-9]", "-", check_id)


def _records(table) -> list[dict]:
    """Rows of a DataFrame, or mappings as they are."""
    return table.to_dict("records") if hasattr(table, "to_dict") else [dict(row) for row in table]


def main_claim(check: Mapping) -> str:
    """The claim a check is about: the one its id names after the rule (`usgs:a000-13` -> a000-13),
    else the first it involves."""
    involved = [claim_id.strip() for claim_id in str(check["claim_ids"]).split(";") if claim_id.strip()]
    named = str(check["check_id"]).partition(":")[2]
    return named if named in involved else involved[0]


def _organization(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def claim_reviews(
    checks, claims, source_names: Mapping, page_url: str, *, article_url: Callable[[str], str] | None = None
) -> list[dict]:
    """One schema.org ClaimReview (a JSON-LD object) per check, in the order of `checks`.

    `checks`: the rows of data/processed/audit.csv (a DataFrame or mappings); `claims`: the rows
    of data/processed/claims.csv, for each claim's article and quote; `source_names`: each
    article's name for readers, `provenance.source_names()`; `page_url`: the page that shows the
    checks (its own fragment, if any, is dropped), to which `#` and `check_anchor(check_id)` are
    added. `article_url`, if given, maps a source_id to the address of the article's page.

    The verdict is given in words (`metadata.VERDICT_LABELS`) as `reviewRating.alternateName`,
    with no number: the verdicts are not points on one scale ('Derived' and 'Not checked' say
    nothing of truth). Raises ValueError naming the check if a claim, an article or a verdict is
    not known."""
    quotes = {row["claim_id"]: row for row in _records(claims)}
    base = page_url.partition("#")[0]
    reviewer = _organization(citation.authors())
    reviews = []
    for check in _records(checks):
        check_id = str(check["check_id"])
        claim_id = main_claim(check)
        if claim_id not in quotes:
            raise ValueError(f"check {check_id}: claim {claim_id} is not among the claims given")
        claim = quotes[claim_id]
        if claim["source_id"] not in source_names:
            raise ValueError(f"check {check_id}: article {claim['source_id']} has no name in source_names")
        if check["verdict"] not in metadata.VERDICT_LABELS:
            raise ValueError(
                f"check {check_id}: verdict {check['verdict']!r} is not one of {', '.join(metadata.VERDICT_LABELS)}"
            )
        name = source_names[claim["source_id"]]
        # An article's own title is its headline; a label this project assigned is said to be one.
        appearance = {"@type": "CreativeWork", "headline": name.full if name.assigned else name.title}
        if article_url is not None:
            appearance["url"] = article_url(claim["source_id"])
        item = {"@type": "Claim", "appearance": appearance}
        if name.publisher:
            item["author"] = _organization(name.publisher)
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"{base}#{check_anchor(check_id)}",
                "claimReviewed": str(claim["quote"]),
                "itemReviewed": item,
                "author": reviewer,
                "reviewRating": {"@type": "Rating", "alternateName": metadata.VERDICT_LABELS[check["verdict"]]},
                "reviewBody": str(check["explanation"]),
            }
        )
    return reviews


def json_ld_script(reviews: Iterable[Mapping]) -> str:
    """A `<script type="application/ld+json">` element holding the reviews as one compact JSON
    array: keys sorted, text as written (not \\u-escaped), so the same reviews give the same bytes.
    "</" is written "<\\/" and "<!--" as "\\u003c!--" (the same JSON), so no quote or explanation
    can end the script or open a comment inside it."""
    text = json.dumps(list(reviews), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<!--", "\\u003c!--").replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'
