"""The one layout of every page of the site: head, header and navigation, in-page contents,
previous and next, footer (downloads, how to cite, licences, build version), and the links from
every claim id to the sentence it came from.

Pages give their title and body; everything around it is written here once. Styles are in one
stylesheet (`templates/site/site.css`, with the article pages' `templates/article.css`), written
beside the pages as `paths.STYLESHEET`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from rare_earths import paths, vocabulary

TEMPLATES = Path(__file__).with_name("templates")
STYLE_SOURCES = (TEMPLATES / "site" / "site.css", TEMPLATES / "article.css")
SITE_TITLE = "India's rare-earth supply chain"

# A claim id as every page writes it ("a002-12"): the article's id, then the claim's number; and
# an article's id alone ("a002"), which pages show as the article's name.
CLAIM_ID = re.compile(rf"\b({vocabulary.SOURCE_ID})-(\d{{2}})\b")
SOURCE_ID = re.compile(rf"\b({vocabulary.SOURCE_ID})\b(?!-\d)")


def claim_href(claim_id: str) -> str:
    """Where a claim id leads: its sentence, highlighted, on its article's page."""
    return f"{paths.article_page(claim_id[:4])}#{claim_id}"


def stylesheet() -> str:
    """The site's stylesheet: the base styles, then the article pages'."""
    return "\n".join(path.read_text(encoding="utf-8") for path in STYLE_SOURCES if path.is_file())


@dataclass(frozen=True)
class Link:
    href: str
    title: str


@dataclass(frozen=True)
class Footer:
    """What the footer of every page states; the same for every page of one build."""

    cite: str
    version: str
    licences: tuple[tuple[str, str], ...]  # (what, terms)
    downloads: tuple[tuple[str, str], ...]  # (file, what it holds)


# Elements whose text is not prose a claim id in which should become a link: links already,
# scripts and styles, inline charts (SVG), code, and the document's title.
_SKIPPED = re.compile(r"<(a|script|style|svg|pre|code|textarea|title)\b.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")


def link_claims(page: str, known: set[str], names: dict | None = None) -> str:
    """Every claim id of `known` in the page's text, as a link to its sentence; every article id of
    `names` (source_id -> provenance.SourceName), as the article's name linking to its page.
    Attributes, links, scripts, code and charts are left as they are."""
    names = names or {}

    def link_source(match: re.Match) -> str:
        source_id = match.group(0)
        if source_id not in names:
            return source_id
        return f'<a href="{paths.article_page(source_id)}">{html.escape(names[source_id].short)}</a>'

    def in_text(text: str) -> str:
        def link(match: re.Match) -> str:
            claim_id = match.group(0)
            if claim_id not in known:
                return claim_id
            return f'<a href="{claim_href(claim_id)}">{claim_id}</a>'  # styled by its address (site.css): pages carry hundreds'

        def both(piece: str) -> str:
            return CLAIM_ID.sub(link, SOURCE_ID.sub(link_source, piece))

        pieces = _TAG.split(text)
        tags = _TAG.findall(text)
        out = [both(pieces[0])]
        for tag, piece in zip(tags, pieces[1:], strict=True):
            out += [tag, both(piece)]
        return "".join(out)

    out, position = [], 0
    for skipped in _SKIPPED.finditer(page):
        out += [in_text(page[position : skipped.start()]), skipped.group(0)]
        position = skipped.end()
    out.append(in_text(page[position:]))
    return "".join(out)


_TABLE = re.compile(r"(<table\b.*?</table>)", re.S)


def wrap_tables(body: str) -> str:
    """Each table in a box that scrolls sideways on a narrow screen, so the page itself never does;
    the box can take keyboard focus, so the table can be scrolled without a mouse, and is named by
    its place on the page (a screen reader lists each box by its name, so no two share one)."""
    count = 0

    def wrap(match: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<div class="table-wrap" role="region" aria-label="Table {count}, scrolls sideways" tabindex="0">{match.group(1)}</div>'

    return _TABLE.sub(wrap, body)


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)


def contents(body: str, minimum: int = 3) -> str:
    """The page's own contents (its second-level headings), on pages long enough to need one."""
    headings = [(anchor, " ".join(_TAG.sub("", text).replace("¶", "").split())) for anchor, text in _H2.findall(body)]
    if len(headings) < minimum:
        return ""
    items = "\n".join(
        f'    <li><a href="#{html.escape(anchor, quote=True)}">{html.escape(html.unescape(text))}</a></li>'
        for anchor, text in headings
    )
    return f"""<nav class="contents" aria-label="On this page">
  <details open><summary>On this page</summary>
  <ol>
{items}
  </ol></details>
</nav>
"""


def navigation(current: str) -> str:
    """The same few links on every page: the index, its sections of reports and articles, the claims, the method."""
    entries = [
        (paths.INDEX_PAGE, "Overview"),
        (f"{paths.INDEX_PAGE}#reports", "Reports"),
        (f"{paths.INDEX_PAGE}#articles", "Articles"),
        (paths.CLAIMS_PAGE[0], "Claims"),
        (paths.SENSITIVITY_PAGE[0], "Sensitivity"),
        (paths.METHOD_PAGE[0], "Method"),
    ]
    here = ' aria-current="page"'
    items = "\n".join(
        f'      <li><a href="{href}"{here if href == current else ""}>{title}</a></li>' for href, title in entries
    )
    return f"""<nav class="site-nav" aria-label="Site">
    <ul>
{items}
    </ul>
  </nav>"""


def pager(previous: Link | None, following: Link | None) -> str:
    """Links to the previous and next page of a sequence (the reports, or the articles)."""
    if previous is None and following is None:
        return ""
    parts = []
    if previous is not None:
        parts.append(
            f'  <a class="previous" href="{previous.href}" rel="prev"><small>Previous</small>{html.escape(previous.title)}</a>'
        )
    if following is not None:
        parts.append(
            f'  <a class="next" href="{following.href}" rel="next"><small>Next</small>{html.escape(following.title)}</a>'
        )
    return '<nav class="pager" aria-label="Previous and next">\n' + "\n".join(parts) + "\n</nav>\n"


def footer_html(footer: Footer) -> str:
    downloads = "\n".join(
        f'        <li><a href="{html.escape(name)}" download>{html.escape(name)}</a>: {html.escape(what)}</li>'
        for name, what in footer.downloads
    )
    licences = " ".join(f"{html.escape(what)}: {html.escape(terms)}." for what, terms in footer.licences)
    return f"""<footer class="site-footer">
  <div class="inner">
    <h2>Data</h2>
    <ul>
{downloads}
    </ul>
    <h2>Cite this</h2>
    <p>{html.escape(footer.cite)}</p>
    <p>{licences}</p>
    <p>Build {html.escape(footer.version)}. Made by <code>make reports</code> from the articles, the claims captured
    from them, USGS data and the notebooks; every number is computed, and each cites the claims it rests on.</p>
  </div>
</footer>"""


def page(
    title: str,
    body: str,
    *,
    current: str,
    footer: Footer,
    known_claims: set[str],
    names: dict | None = None,
    lede: str = "",
    previous: Link | None = None,
    following: Link | None = None,
    head: str = "",
    script: str = "",
    before_main: str = "",
    body_class: str = "",
) -> str:
    """A whole page of the site: `body` (HTML, starting after the page's <h1>) in the one layout."""
    body = wrap_tables(body)
    lede_html = f'  <p class="lede">{html.escape(lede)}</p>\n' if lede else ""
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{html.escape(title)}: {SITE_TITLE}</title>
<link rel="stylesheet" href="{paths.STYLESHEET}">
{head}</head>
<body{f' class="{body_class}"' if body_class else ""}>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header">
  <div class="inner">
  <a class="site-title" href="{paths.INDEX_PAGE}">{SITE_TITLE}</a>
  {navigation(current)}
  </div>
</header>
<main id="main">
{before_main}  <h1>{html.escape(title)}</h1>
{lede_html}{contents(body)}{body}
{pager(previous, following)}</main>
{footer_html(footer)}
{f"<script>{script}</script>" if script else ""}
</body>
</html>
"""
    return link_claims(document, known_claims, names)
