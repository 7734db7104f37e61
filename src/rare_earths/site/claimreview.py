"""Each claim's conclusion as schema.org ClaimReview markup: one fact-check record per claim, for
search engines and other readers of structured data.

schema.org reviews a claim, not a check, so each row of data/processed/conclusions.csv becomes
one `ClaimReview`: the claim reviewed (its quote), where it appeared (the article, by the name
pages give it, and its publisher where the article names one), the rating named by its standing
(`vocabulary.STANDINGS`' label, with the deciding verdict), the explanation, who reviewed it (the
suite's authors, from CITATION.cff) and the address of the claim's entry on its article's page.
`check_anchor` is the one place a check's address fragment is made; pages give the check the
same id. No date is given: the records describe the data, and the same data give the same markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from rare_earths import vocabulary
from rare_earths.site import citation


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


def claim_reviews(
    conclusions,
    claims,
    source_names: Mapping,
    claim_url: Callable[[str], str],
    *,
    article_url: Callable[[str], str] | None = None,
    citation_cff: Path | None = None,
) -> list[dict]:
    """One schema.org ClaimReview (a JSON-LD object) per conclusion, in the order of `conclusions`.

    `conclusions`: rows of data/processed/conclusions.csv (a DataFrame or mappings); `claims`: the
    rows of data/processed/claims.csv, for each claim's article and quote; `source_names`: each
    article's name for readers, `provenance.source_names()`; `claim_url(claim_id)`: the address of
    the claim's entry on a page. `article_url`, if given, maps a source_id to the address of the
    article's page. `citation_cff`: the project's CITATION.cff, whose authors are the reviewer.

    The rating is given in words (the standing's label, then the deciding verdict's) as
    `reviewRating.alternateName`, with no number: the standings are not points on one scale.
    Raises ValueError naming the claim if it, its article or its standing is not known."""
    quotes = {row["claim_id"]: row for row in _records(claims)}
    reviewer = _organization(citation.authors(citation_cff))
    reviews = []
    for conclusion in _records(conclusions):
        claim_id = str(conclusion["claim_id"])
        if claim_id not in quotes:
            raise ValueError(f"conclusion of {claim_id}: the claim is not among the claims given")
        claim = quotes[claim_id]
        if claim["source_id"] not in source_names:
            raise ValueError(f"conclusion of {claim_id}: article {claim['source_id']} has no name in source_names")
        if conclusion["standing"] not in vocabulary.STANDINGS or conclusion["verdict"] not in vocabulary.VERDICTS:
            raise ValueError(
                f"conclusion of {claim_id}: standing {conclusion['standing']!r} or verdict {conclusion['verdict']!r} is "
                f"not known; standings: {', '.join(vocabulary.STANDINGS)}"
            )
        name = source_names[claim["source_id"]]
        # An article's own title is its headline; a label this project assigned is said to be one.
        appearance = {"@type": "CreativeWork", "headline": name.full if name.assigned else name.title}
        if article_url is not None:
            appearance["url"] = article_url(claim["source_id"])
        item = {"@type": "Claim", "appearance": appearance}
        if name.publisher:
            item["author"] = _organization(name.publisher)
        rating = (
            f"{vocabulary.STANDINGS[conclusion['standing']].label} ({vocabulary.VERDICTS[conclusion['verdict']].label})"
        )
        reviews.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": claim_url(claim_id),
                "claimReviewed": str(claim["quote"]),
                "itemReviewed": item,
                "author": reviewer,
                "reviewRating": {"@type": "Rating", "alternateName": rating},
                "reviewBody": str(conclusion["explanation"]),
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
