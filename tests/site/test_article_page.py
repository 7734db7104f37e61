"""The article pages' main content (`rare_earths.site.article_page`): the whole text of each article,
every claim highlighted under its own id, every number set aside marked with its reason, a summary
that adds up, well-formed HTML, and the same bytes on every rendering; and a small made-up article
whose quotes nest, cross each other and cross a line break."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from conftest import CHECKOUT

from rare_earths import audit, vocabulary
from rare_earths.data import claims, provenance, schemas, tables
from rare_earths.data.quotes import find_number
from rare_earths.site import article_page, registry, standing
from rare_earths.site.layout import Links

CSS = Path(article_page.__file__).with_name("templates") / "article.css"
SITE_CSS = CSS.parent / "site" / "site.css"


def defined_in_both_themes(css: str) -> set[str]:
    """The custom properties a stylesheet sets in its light :root and again for the dark theme."""
    light = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    dark = re.search(r"prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{(.*?)\}", css, re.S).group(1)
    named = lambda block: set(re.findall(r"(--[\w-]+)\s*:", block))  # noqa: E731
    return named(light) & named(dark)


# The custom properties the site's stylesheet defines for both themes; the article styles use no other.
PROPERTIES = defined_in_both_themes(SITE_CSS.read_text(encoding="utf-8"))
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# What a paragraph of the text may hold: phrasing content only.
PHRASING = {"mark", "span", "a", "br", "q", "strong", "em", "sup", "sub", "small", "code"}
SUMMARY = re.compile(r"(\d+) claims? \(([^)]*)\) and (\d+) numbers? set aside\.")


def summary_counts(fragment: str) -> tuple[int, dict[str, int], int]:
    """(claims, count by standing label in lower case, numbers set aside) from an article's summary."""
    total, parts, excluded = SUMMARY.search(fragment).groups()
    counted = {words: int(n) for n, words in re.findall(r"(\d+) ([^,]+)", parts)}
    return int(total), counted, int(excluded)


def normal(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """Reads a fragment and records what the tests look at: problems of nesting, ids, the text, and
    within the article's text, the claims whose marks hold each character and the numbers set aside."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict, int]] = []
        self.problems: list[str] = []
        self.ids: Counter = Counter()
        self.text: list[str] = []
        self.region: list[str] = []  # the text inside <div class="article-text">
        self.held: list[frozenset] = []  # for each character of `region`, the claims whose marks hold it
        self.within: list[
            tuple
        ] = []  # for each character of `region`, its open elements (tag, attributes), outermost first
        self.excluded: list[tuple[int, int, dict]] = []  # (start, end, attributes) in `region`
        self.refs: list[dict] = []
        self.hrefs: list[str] = []
        self.described_by: list[str] = []
        self.in_region = False
        self.feed(fragment)
        self.close()
        if self.stack:
            self.problems.append(f"never closed: {[tag for tag, _, _ in self.stack]}")

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids[found["id"]] += 1
        if "href" in found:
            self.hrefs.append(found["href"])
        if "aria-describedby" in found:
            self.described_by += found["aria-describedby"].split()
        if tag == "a" and "claim-ref" in found.get("class", "").split():
            self.refs.append(found)
        if tag == "a" and any(open_tag == "a" for open_tag, _, _ in self.stack):
            self.problems.append("a link inside a link")
        if any(open_tag == "p" for open_tag, _, _ in self.stack) and tag not in PHRASING:
            self.problems.append(f"<{tag}> inside a paragraph")
        if tag in VOID:
            return
        self.stack.append((tag, found, len(self.held)))
        if tag == "div" and "article-text" in found.get("class", "").split():
            self.in_region = True

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID:
            self.problems.append(f"<{tag}/> is not a void element")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problems.append(f"</{tag}> closes a void element")
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1][0] if self.stack else 'nothing'}>")
            return
        _, found, opened = self.stack.pop()
        if self.in_region and tag == "span" and "excluded" in found.get("class", "").split():
            self.excluded.append((opened, len(self.held), found))
        if tag == "div" and "article-text" in found.get("class", "").split():
            self.in_region = False

    def handle_data(self, data):
        self.text.append(data)
        if self.in_region:
            holding = frozenset(
                found["data-claim"] for tag, found, _ in self.stack if tag == "mark" and "data-claim" in found
            )
            self.region.append(data)
            self.held += [holding] * len(data)
            self.within += [tuple((tag, found) for tag, found, _ in self.stack)] * len(data)

    @property
    def region_text(self) -> str:
        return "".join(self.region)


# --- the real articles ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def inputs():
    sources = provenance.load_sources(CHECKOUT.sources_csv, CHECKOUT.articles)
    return {
        "articles": provenance.load_articles(sources, CHECKOUT.articles),
        "claims": claims.load(),
        "checks": audit.load(),
        "exclusions": tables.read_raw(schemas.EXCLUSIONS, CHECKOUT.exclusions_csv),
        "conclusions": audit.conclusions.load(),
    }


def render(inputs, source_id: str, **kwargs) -> str:
    return article_page.article_body(
        source_id,
        inputs["articles"][source_id],
        inputs["claims"],
        inputs["checks"],
        inputs["exclusions"],
        inputs["conclusions"],
        **kwargs,
    )


def check_href(check_id: str) -> str:
    return f"06-audit.html#check-{check_id}"


@pytest.fixture(scope="module", params=registry.source_ids(CHECKOUT.sources_csv))
def article(request, inputs):
    source_id = request.param
    fragment = render(inputs, source_id, check_href=check_href)
    return source_id, fragment, Page(fragment)


def test_the_html_is_well_formed_with_unique_ids(article):
    _, fragment, page = article
    assert page.problems == []
    assert [name for name, count in page.ids.items() if count > 1] == []
    assert "<html" not in fragment and "<head" not in fragment and "<script" not in fragment


def test_the_page_holds_the_whole_text_of_the_article_and_nothing_else_in_it(article, inputs):
    source_id, _, page = article
    text = normal(inputs["articles"][source_id])
    assert text in normal("".join(page.text))
    assert (
        normal(page.region_text) == text
    )  # nothing added inside the text: the reference numbers come from the stylesheet


def test_every_claim_has_one_element_with_its_id_and_all_its_quote_marked(article, inputs):
    source_id, _, page = article
    own = inputs["claims"][inputs["claims"].source_id == source_id]
    assert len(own) > 0
    region = page.region_text
    for row in own.itertuples():
        assert page.ids[row.claim_id] == 1, row.claim_id
        assert page.ids[f"about-{row.claim_id}"] == 1, row.claim_id
        assert region.count(row.quote) == 1, row.claim_id
        start = region.index(row.quote)
        unmarked = [
            region[i]
            for i in range(start, start + len(row.quote))
            if not region[i].isspace() and row.claim_id not in page.held[i]
        ]
        assert unmarked == [], row.claim_id
    marked = {claim for held in page.held for claim in held}
    assert marked == set(own.claim_id)


def test_every_claim_links_to_what_was_found_its_checks_and_the_explorer(article, inputs):
    source_id, fragment, page = article
    own = inputs["claims"][inputs["claims"].source_id == source_id]
    assert sorted(ref["href"] for ref in page.refs) == sorted(f"#about-{claim}" for claim in own.claim_id)
    # One number for a claim everywhere: its id's ("a002-08" is 8), on the reference and its entry.
    assert sorted(int(ref["data-n"]) for ref in page.refs) == sorted(int(c.split("-")[1]) for c in own.claim_id)
    assert all(int(ref["data-n"]) == int(ref["href"].rpartition("-")[2]) for ref in page.refs)
    for claim in own.claim_id:
        assert f'<li id="about-{claim}" value="{int(claim.split("-")[1])}"' in fragment
    listed = [int(n) for n in re.findall(r'<li id="about-[a-z0-9-]+" value="(\d+)"', fragment)]
    assert listed == sorted(listed), "the list goes by number, so a printed number is found in its place"
    for ref in page.refs:
        assert ref["aria-label"].strip()  # a name for screen readers; its card is the entry it links to
    for claim in own.claim_id:
        assert f"claims.html#claim-{claim}" in page.hrefs
        assert page.hrefs.count(f"#{claim}") >= 1
        for check in inputs["checks"][
            inputs["checks"].claim_ids.str.split(audit.SEPARATOR).map(lambda ids, c=claim: c in ids)
        ].itertuples():
            assert check_href(check.check_id) in page.hrefs
    for href in page.hrefs:  # every link within the page lands on an element of it
        if href.startswith("#"):
            assert page.ids[href[1:]] == 1, href


def test_every_number_set_aside_is_marked_with_its_reason(article, inputs):
    source_id, _, page = article
    exclusions = inputs["exclusions"][inputs["exclusions"].source_id == source_id]
    region = page.region_text
    marked = {(start, end): found for start, end, found in page.excluded}
    for row in exclusions.itertuples():
        where = region.index(row.quote)  # the coverage check guarantees the quote is there once
        start = where + find_number(row.quote, row.number_as_written)[0]
        found = marked.get((start, start + len(row.number_as_written)))
        assert found is not None, (row.number_as_written, row.quote)
        assert vocabulary.EXCLUSION_REASONS[row.reason] in found["data-reason"]
        assert found["tabindex"] == "0" and found["aria-describedby"] == f"set-aside-{row.reason}"
    assert len(page.excluded) == len(exclusions)
    assert all(page.ids[target] == 1 for target in page.described_by)


def test_the_summary_counts_add_up(article, inputs):
    source_id, fragment, _ = article
    own = inputs["claims"][inputs["claims"].source_id == source_id]
    total, counted, excluded = summary_counts(fragment)
    assert total == sum(counted.values()) == len(own)
    assert excluded == (inputs["exclusions"].source_id == source_id).sum()
    concluded = inputs["conclusions"][inputs["conclusions"].source_id == source_id]
    said = [standing.counted(s, n).split(" ", 1) for s, n in audit.conclusions.counts(concluded).items() if n]
    assert counted == {words: int(number) for number, words in said}


def test_the_same_inputs_give_the_same_bytes(inputs):
    shuffled = {
        **inputs,
        "claims": inputs["claims"].sample(frac=1, random_state=3),
        "exclusions": inputs["exclusions"].sample(frac=1, random_state=5),
    }
    for source_id in registry.source_ids(CHECKOUT.sources_csv):
        first = render(inputs, source_id, check_href=check_href)
        assert render(inputs, source_id, check_href=check_href) == first
        assert render(shuffled, source_id, check_href=check_href) == first


def test_without_check_addresses_verdicts_are_not_links(inputs):
    fragment = render(inputs, "a000")
    assert 'class="verdict verdict-' in fragment and "06-audit.html" not in fragment
    assert Page(fragment).problems == []


# --- a made-up article whose quotes nest and cross --------------------------------------------------


TEXT = "A made-up title\n\nChina holds 44 Mt of the world's 110 Mt, or 40%, in 2024.\nSecond line with 7 things, & <more>.\n"
QUOTES = {  # claim id -> (quote, value as written, unit as written, value, unit)
    "a900-01": ("China holds 44 Mt of the world's 110 Mt", "44", "Mt", 44e6, "t"),
    "a900-02": ("the world's 110 Mt, or 40%", "110", "Mt", 110e6, "t"),  # starts inside a900-01, ends after it
    "a900-03": ("110 Mt", "110", "Mt", 110e6, "t"),  # inside both
    "a900-04": ("40%, in 2024", "40", "%", 40.0, "percent"),  # starts where a900-02 ends; holds a number set aside
    "a900-05": ("in 2024.\nSecond line with 7 things", "7", "things", 7.0, "count"),  # runs over a line break
    "a900-06": ("7 things, & <more>.\n", "7", "things", 7.0, "count"),  # ends on a line break; characters to escape
}


def made_up():
    rows = []
    for claim_id, (quote, written, unit_written, value, unit) in QUOTES.items():
        rows.append(
            {
                "claim_id": claim_id,
                "source_id": "a900",
                "quote": quote,
                "value_as_written": written,
                "unit_as_written": unit_written,
                "qualifier": "",
                "value": value,
                "value_low": value,
                "value_high": value,
                "unit": unit,
                "bound": "exact",
                "period": "",
                "subject": claim_id,  # each its own statement
                "metric": "reserves",
                "counterpart": "",
                "note": "A note & more." if claim_id == "a900-06" else "",
            }
        )
    found = pd.DataFrame(rows)
    checks = pd.DataFrame(
        [
            {
                "check_id": "same_figure:a900-01",
                "kind": "cross_source",
                "rule": "same_figure",
                "claim_ids": "a900-01; a900-03",
                "judges": "a900-01; a900-03",
                "evidence": "own_article",
                "verdict": "consistent",
                "explanation": "44 Mt and 110 Mt agree.",
            },
            {
                "check_id": "share_of_whole:a900-04",
                "kind": "recomputation",
                "rule": "share_of_whole",
                "claim_ids": "a900-01; a900-02; a900-04",
                "judges": "a900-04",
                "evidence": "own_article",
                "verdict": "contradicted",
                "explanation": "44 of 110 is 40%, & yet <no>.",
            },
            {
                "check_id": "usgs:a900-02",
                "kind": "reference",
                "rule": "usgs",
                "claim_ids": "a900-02",
                "judges": "a900-02",
                "evidence": "none",
                "verdict": "inconclusive",
                "explanation": "A bound.",
            },
            {
                "check_id": "unchecked:a900-05",
                "kind": "unchecked",
                "rule": "unchecked",
                "claim_ids": "a900-05",
                "judges": "a900-05",
                "evidence": "none",
                "verdict": "not_checked",
                "explanation": "No source.",
            },
            {
                "check_id": "unchecked:a900-06",
                "kind": "unchecked",
                "rule": "unchecked",
                "claim_ids": "a900-06",
                "judges": "a900-06",
                "evidence": "none",
                "verdict": "not_checked",
                "explanation": "None.",
            },
        ]
    )
    exclusions = pd.DataFrame(
        [
            {
                "source_id": "a900",
                "quote": "or 40%, in 2024.",
                "number_as_written": "2024",
                "reason": "date",
                "note": "",
            },
            {
                "source_id": "a900",
                "quote": "\nSecond line",
                "number_as_written": "Second",
                "reason": "ordinal_in_prose",
                "note": "Not a rank.",
            },
            {
                "source_id": "a000",
                "quote": "elsewhere",
                "number_as_written": "1",
                "reason": "date",
                "note": "",
            },  # another article's: not used
        ]
    )
    return found, checks, exclusions


def test_quotes_that_nest_and_cross_give_well_formed_marks():
    found, checks, exclusions = made_up()
    concluded = audit.conclusions.conclude(checks, found)
    fragment = article_page.article_body(
        "a900", TEXT, found, checks, exclusions, concluded, claim_page="explore.html", check_href=check_href
    )
    page = Page(fragment)
    assert page.problems == []
    assert normal(page.region_text) == normal(TEXT)
    for claim_id, (quote, *_) in QUOTES.items():
        assert page.ids[claim_id] == 1
        start = TEXT.index(quote)
        # `region` drops the blank line, so offsets differ from TEXT's by what came before the first paragraph
        shift = page.region_text.index("China") - TEXT.index("China")
        assert all(
            claim_id in page.held[i + shift] for i in range(start, start + len(quote)) if not TEXT[i].isspace()
        ), claim_id
        assert f'href="explore.html#claim-{claim_id}"' in fragment
    assert "claim-continued" in fragment  # a900-02 crosses a900-01's end, so it is closed there and opened again
    assert fragment.count('data-claim="a900-02"') >= 2 and fragment.count('id="a900-02"') == 1
    assert "&amp; &lt;more&gt;." in fragment and "<more>" not in fragment
    # a900-01's contradicted check is about a900-04: its entry says so; a900-04 does not hold.
    about_01 = fragment[fragment.index('id="about-a900-01"') : fragment.index('id="about-a900-02"')]
    assert "The verdict is about a900-04; this figure was one of its inputs." in about_01
    assert "Consistent, not independently confirmed" in about_01
    assert "Does not hold" in fragment[fragment.index('id="about-a900-04"') : fragment.index('id="about-a900-05"')]
    assert summary_counts(fragment) == (
        6,
        {"consistent but not independently confirmed": 2, "does not hold": 1, "could not be checked": 3},
        2,
    )
    assert len(page.excluded) == 2 and page.ids["set-aside-date"] == page.ids["set-aside-ordinal_in_prose"] == 1
    # every reference link sits inside a paragraph, including the one whose quote ends on a line break
    assert re.search(r'<a class="claim-ref" href="#about-a900-06"[^>]*></a></p>', fragment)


# --- quotes that nest and cross, and each claim's own figure ---------------------------------------------


FIGURES_TEXT = (
    "Heading\n\nIn 2023 China mined 240 kt of the world's 356 kt, or 67%, and India mined 2.9 kt, about 0.8%, of it.\n"
)
FIGURES = {  # claim id -> (quote, value as written, unit as written, what its figure reads as in the text)
    # Nested: b900-02 lies inside b900-01, and b900-01's figure (67%) inside b900-02.
    "b900-01": ("China mined 240 kt of the world's 356 kt, or 67%", "67", "%", "67%"),
    "b900-02": ("240 kt of the world's 356 kt, or 67%", "356", "kt", "356 kt"),
    # Overlapping: b900-03 starts inside both and ends inside b900-04, which holds b900-03's figure (2.9 kt).
    "b900-03": ("or 67%, and India mined 2.9 kt", "2.9", "kt", "2.9 kt"),
    "b900-04": ("India mined 2.9 kt, about 0.8%", "0.8", "%", "about 0.8%"),
}


def figures_article(quotes: dict[str, tuple[str, str, str, str]] = FIGURES):
    """Claims, checks (one each) and conclusions for FIGURES_TEXT."""
    units = {"%": ("percent", 1.0), "kt": ("t", 1e3)}
    found = pd.DataFrame(
        [
            {
                "claim_id": claim_id,
                "source_id": "b900",
                "quote": quote,
                "value_as_written": written,
                "unit_as_written": unit_written,
                "qualifier": "about" if claim_id == "b900-04" else "",
                "value": float(written) * units[unit_written][1],
                "value_low": float(written) * units[unit_written][1],
                "value_high": float(written) * units[unit_written][1],
                "unit": units[unit_written][0],
                "bound": "exact",
                "period": "2023",
                "subject": claim_id,
                "metric": "production",
                "counterpart": "",
                "note": "",
            }
            for claim_id, (quote, written, unit_written, _) in quotes.items()
        ]
    )
    checks = pd.DataFrame(
        [
            {
                "check_id": f"unchecked:{claim_id}",
                "kind": "unchecked",
                "rule": "unchecked",
                "claim_ids": claim_id,
                "judges": claim_id,
                "evidence": "none",
                "verdict": "not_checked",
                "explanation": "No source.",
            }
            for claim_id in quotes
        ]
    )
    exclusions = pd.DataFrame(columns=["source_id", "quote", "number_as_written", "reason", "note"])
    return found, checks, exclusions, audit.conclusions.conclude(checks, found)


def figure_links(page: Page, start: int, end: int) -> set[tuple[str, str]]:
    """(where a click goes, which card the pointer shows) for each character of region[start:end]:
    the innermost link holding it, and the innermost element with a title (the browser's tooltip)."""
    found = set()
    for within in page.within[start:end]:
        link = next((found for tag, found in reversed(within) if tag == "a"), {})
        titled = next((found for _, found in reversed(within) if "title" in found), {})
        found.add((link.get("href", ""), titled.get("title", "")))
    return found


def test_each_claims_figure_links_to_its_own_card_where_quotes_nest_and_overlap():
    found, checks, exclusions, concluded = figures_article()
    fragment = article_page.article_body("b900", FIGURES_TEXT, found, checks, exclusions, concluded)
    page = Page(fragment)
    assert page.problems == []
    assert normal(page.region_text) == normal(FIGURES_TEXT)  # nothing added to the text, nothing lost
    region = page.region_text
    for claim_id, (quote, _, _, figure) in FIGURES.items():
        start = region.index(quote) + quote.index(figure)
        # Where the click goes and what the pointer shows, on every character of the figure: this claim's.
        assert figure_links(page, start, start + len(figure)) == {(f"#about-{claim_id}", "")}, claim_id
        # The card it opens (its entry, which claim-card.js shows in place) names this figure.
        entry = fragment[fragment.index(f'id="about-{claim_id}"') :]
        assert f"<q>{figure}</q>" in entry[: entry.index("</li>")], claim_id
        assert page.ids[claim_id] == 1 and page.ids[f"about-{claim_id}"] == 1
        # Its quote is still marked in full, under its own claim, with the quotes around it.
        assert all(claim_id in page.held[i] for i in range(region.index(quote), region.index(quote) + len(quote)))
    # The figures are the innermost marks' business no more: without their links, the 67% would show
    # b900-02's card, and the 2.9 kt b900-04's.
    mark_of = lambda i: next(found["data-claim"] for tag, found in reversed(page.within[i]) if tag == "mark")  # noqa: E731
    assert mark_of(region.index("67%")) == "b900-03" and mark_of(region.index("2.9")) == "b900-04"
    assert fragment.count('class="figure-link"') == len(FIGURES)
    assert all(
        f'tabindex="-1" data-figure="{claim_id}"' in fragment for claim_id in FIGURES
    )  # the reference is the keyboard's


def test_a_reference_written_inside_a_figures_link_closes_it_first():
    # Figures give their shared characters to the innermost claim, so no quote of the articles ends
    # inside another's figure; were one to, its reference would be a link inside a link.
    Span = article_page.Span
    spans = [Span(0, 6, "figure", "figure:x", rank=2), Span(2, 4, "claim", "y")]
    opening = {"figure:x": ('<a class="figure-link" href="#about-x">',) * 2, "y": ("<mark>", "<mark>")}
    ref = '<a class="claim-ref" href="#about-y"></a>'
    written = article_page._Text("356 kt\n", spans, opening, {4: [ref]}).write()
    assert written == (
        f'<p><a class="figure-link" href="#about-x">35<mark>6 </mark></a>{ref}<a class="figure-link" href="#about-x">kt</a></p>'
    )
    assert Page(written).problems == []


def test_figures_that_share_characters_go_to_the_innermost_claim():
    text = "Output was 356 kt, or 67% of it.\n"
    claims_ = pd.DataFrame(
        [
            {
                "claim_id": "c1",
                "quote": "Output was 356 kt, or 67%",
                "value_as_written": "356",
                "unit_as_written": "kt",
                "qualifier": "",
            },
            {
                "claim_id": "c2",
                "quote": "356 kt, or 67%",
                "value_as_written": "356",
                "unit_as_written": "kt",
                "qualifier": "",
            },
            {"claim_id": "c3", "quote": "67% of it", "value_as_written": "67", "unit_as_written": "%", "qualifier": ""},
        ]
    )
    spans = article_page.figure_spans(text, claims_)
    assert [(text[span.start : span.end], span.key) for span in spans] == [
        ("356 kt", "figure:c2"),
        ("67%", "figure:c3"),
    ]


def test_an_article_without_claims_or_numbers_set_aside():
    found, checks, exclusions = made_up()
    fragment = article_page.article_body(
        "a901", "Nothing to see.\n", found, checks, exclusions, audit.conclusions.conclude(checks, found)
    )
    assert Page(fragment).problems == []
    assert "0 claims () and 0 numbers set aside." in fragment


def test_a_quote_that_is_not_in_the_article_is_refused():
    found, checks, exclusions = made_up()
    with pytest.raises(ValueError, match="a900-01"):
        article_page.article_body(
            "a900", TEXT.replace("China", "India"), found, checks, exclusions, audit.conclusions.conclude(checks, found)
        )


# --- verdicts and styles ---------------------------------------------------------------------------------


def test_verdicts_are_styled_by_what_they_say_of_the_claims_they_judge():
    assert {standing.verdict_class(verdict) for verdict in vocabulary.VERDICTS} == {"holds", "fails", "unchecked"}
    assert standing.verdict_class("outdated") == standing.verdict_class("hedge_dropped") == "fails"
    assert standing.verdict_class("derived") == standing.verdict_class("ambiguous") == "unchecked"
    assert [standing.css_class(s) for s in vocabulary.STANDINGS] == [
        "confirmed",
        "consistent",
        "does-not-hold",
        "unchecked",
    ]


def test_the_stylesheet_uses_only_the_sites_colours_and_keeps_hover_information_in_print():
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    assert set(re.findall(r"var\((--[\w-]+)\)", css)) <= PROPERTIES
    assert not re.search(r"^\s*--[\w-]+\s*:", css, re.M)  # defines none of its own
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|hsla?\(", css)  # no colour outside the properties
    assert css.count("{") == css.count("}")
    assert "overflow-wrap" in css and "@media print" in css


def test_what_the_lists_say_is_escaped_and_names_claims_and_articles():
    found, checks, exclusions = made_up()
    found.loc[found.claim_id == "a900-06", "note"] = "<script>x</script> as a900-01 says & a000's"
    checks.loc[checks.check_id == "usgs:a900-02", "explanation"] = "<img src=x onerror=alert(1)> per a000"
    exclusions.loc[0, "note"] = "<b>not</b> a900-04"

    class Hostile:
        short = '"<i>A</i>"'

    links = Links(frozenset(QUOTES), {"a000": Hostile()})
    fragment = article_page.article_body(
        "a900", TEXT, found, checks, exclusions, audit.conclusions.conclude(checks, found), links=links
    )
    assert Page(fragment).problems == []
    assert "<script>" not in fragment and "<img" not in fragment and "<b>" not in fragment and "<i>" not in fragment
    named = '<a href="article-a000.html">&quot;&lt;i&gt;A&lt;/i&gt;&quot;</a>'
    assert (
        f'&lt;script&gt;x&lt;/script&gt; as <a href="article-a900.html#a900-01">a900-01</a> says &amp; {named}\'s'
        in fragment
    )
    assert f"&lt;img src=x onerror=alert(1)&gt; per {named}" in fragment
    assert '(&lt;b&gt;not&lt;/b&gt; <a href="article-a900.html#a900-04">a900-04</a>)' in fragment
    about_01 = fragment[fragment.index('id="about-a900-01"') : fragment.index('id="about-a900-02"')]
    assert 'The verdict is about <a href="article-a900.html#a900-04">a900-04</a>; this figure' in about_01
    # the article's own text is never linked: its marks hold its words only
    assert normal(Page(fragment).region_text) == normal(TEXT)


def test_the_page_opens_with_its_verdict_listing_every_claim_that_does_not_hold(article, inputs):
    """Like a fact-checker's "Claim / Our verdict" box: before the text, the claims that do not hold,
    the most serious verdict first, each linked to its sentence."""
    source_id, fragment, _ = article
    concluded = inputs["conclusions"][inputs["conclusions"].source_id == source_id]
    box = fragment[fragment.index('<section class="verdict-box') : fragment.index("</section>")]
    assert fragment.index('<section class="verdict-box') < fragment.index('id="article-text"')
    listed = re.findall(r'<li><a class="claim-back" href="#([a-z0-9-]+)"', box)
    failing = concluded[concluded.standing == "does_not_hold"]
    assert sorted(listed) == sorted(failing.claim_id)
    order = list(vocabulary.VERDICTS)
    ranks = [order.index(failing.set_index("claim_id").verdict[claim]) for claim in listed]
    assert ranks == sorted(ranks), "the most serious verdict first"
    groups = failing.groupby(["verdict", "tested_against"]).ngroups
    assert box.count(", tested against ") == groups, "what a group was tested against is said once"
    said = f"{len(failing)} of its {len(concluded)} claims" if len(failing) else "None of its"
    assert said in box


def test_each_highlight_shows_its_claims_conclusion_in_colour_and_line_with_a_key_in_words(article, inputs):
    source_id, fragment, _ = article
    concluded = inputs["conclusions"].set_index("claim_id").standing
    marks = re.findall(r'<mark class="claim claim-([a-z-]+)" id="([a-z0-9-]+)"', fragment)
    assert len(marks) == (inputs["claims"].source_id == source_id).sum()
    for css, claim in marks:
        assert css == standing.css_class(concluded[claim]), claim
    # A figure shows its own claim's conclusion, also where another claim's quote holds it (a000's
    # "fifth", which does not hold, inside a confirmed claim's quote).
    figures = re.findall(r'data-figure="([a-z0-9-]+)" data-standing="([a-z-]+)"', fragment)
    assert len(figures) == len(marks)
    for claim, css in figures:
        assert css == standing.css_class(concluded[claim]), claim
    key = fragment[
        fragment.index('<div class="article-key">') : fragment.index("</div>", fragment.index("article-key"))
    ]
    for record in vocabulary.STANDINGS.values():
        assert f'<span class="key-sample {record.css}">{record.label}</span>' in key
    assert "hover" not in key  # words that hold on a phone and on paper
    css = re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S)
    looks = set()
    for record in vocabulary.STANDINGS.values():
        rule = re.search(rf"\.claim-{record.css}:is\(mark\)[^{{]*\{{([^}}]*)\}}", css).group(1)
        tint = re.search(r"background:\s*var\((--[\w-]+)\)", rule).group(1)
        line = re.search(r"text-decoration:\s*underline\s+(\w+)", rule)
        looks.add((tint, line.group(1) if line else "none"))
    assert len({tint for tint, _ in looks}) == len({line for _, line in looks}) == len(vocabulary.STANDINGS)
    printed = css[css.index("@media print") :]
    assert "mark.claim" in printed and "print-color-adjust: exact" in printed


def test_the_web_pages_furniture_is_dimmed_and_labelled_but_left_as_written():
    found, checks, exclusions = made_up()
    concluded = audit.conclusions.conclude(checks, found)
    text = TEXT + "LEAVE A REPLY\n"
    fragment = article_page.article_body(
        "a900", text, found, checks, exclusions, concluded, furniture={"LEAVE A REPLY": "the <web> page's comment form"}
    )
    page = Page(fragment)
    assert page.problems == []
    assert normal(page.region_text) == normal(text)  # the label is the stylesheet's: the words are the article's
    assert '<p class="furniture" data-what="the &lt;web&gt; page&#x27;s comment form">LEAVE A REPLY</p>' in fragment
    assert fragment.count('class="furniture"') == 1  # the article's own lines are not
    assert "web page's own furniture" in fragment  # the key says what the dimmed lines are
    plain = article_page.article_body("a900", text, found, checks, exclusions, concluded)
    assert 'class="furniture"' not in plain and "web page's own furniture" not in plain
