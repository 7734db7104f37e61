"""The one layout of every page of the site, `templates/site/base.html.j2` (head, header and
navigation, in-page contents, previous and next, footer: downloads, how to cite, licences, build
version), the Jinja environment every page template is rendered in, and the links from every claim
id to the sentence it came from.

Pages give their title and body block; everything around it is written once, in the base template.
Styles are in one stylesheet (`templates/site/site.css`, with the article pages'
`templates/article.css`), written beside the pages as `registry.STYLESHEET`.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from rare_earths import observed, vocabulary
from rare_earths.site import registry

TEMPLATES = Path(__file__).with_name("templates")
STYLE_SOURCES = (TEMPLATES / "site" / "site.css", TEMPLATES / "article.css")
SITE_TITLE = "India's rare-earth supply chain"

# A claim id as every page writes it ("a002-12"): the article's id, then the claim's number; and
# an article's id alone ("a002"), which pages show as the article's name.
CLAIM_ID = re.compile(rf"\b({vocabulary.SOURCE_ID})-(\d{{2}})\b")
SOURCE_ID = re.compile(rf"\b({vocabulary.SOURCE_ID})\b(?!-\d)")


def claim_href(claim_id: str) -> str:
    """Where a claim id leads: its sentence, highlighted, on its article's page."""
    return f"{registry.article_page(claim_id[:4])}#{claim_id}"


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
        return f'<a href="{registry.article_page(source_id)}">{html.escape(names[source_id].short)}</a>'

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

    return Markup(_TABLE.sub(wrap, body))


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)


def headings(body: str) -> list[tuple[str, str]]:
    """The page's second-level headings, (anchor, words), for its own contents: the base template
    lists them on pages long enough to need it."""
    return [
        (anchor, html.unescape(" ".join(_TAG.sub("", text).replace("¶", "").split())))
        for anchor, text in _H2.findall(body)
    ]


def contents(body: str, minimum: int = 3) -> str:
    """The page's own contents (its second-level headings), on pages long enough to need one."""
    return environment().get_template("contents.html.j2").render(contents=headings(body), minimum=minimum)


def _escaped(value) -> Markup:
    """What `{{ value }}` writes: HTML as it is (Markup), anything else escaped as `html.escape`
    escapes it (quotes as &quot; and &#x27;), the escaping these pages have always had, so a page's
    bytes do not change with the template engine (markupsafe alone writes &#34; and &#39;)."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


@functools.cache
def environment() -> jinja2.Environment:
    """Every page template's environment: autoescaped, strict about undefined names, and with the
    site's files (`asset`), registry (`navigation`) and filters (`wrap_tables`, `headings`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "site"),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(wrap_tables=wrap_tables, headings=headings)
    env.globals.update(
        site_title=Markup(html.escape(SITE_TITLE, quote=False)),
        stylesheet=registry.STYLESHEET,
        index=registry.INDEX,
        navigation=registry.PAGES,
        asset=asset,
    )
    return env


def asset(name: str) -> Markup:
    """A file of templates/site/ written into a page as it is (the scripts): the project's own code."""
    return Markup((TEMPLATES / "site" / name).read_text(encoding="utf-8"))


def note_templates() -> None:
    """Record every file of templates/ as read (templates, scripts, styles): the pages are made from
    them as much as from the code, so the site step's manifest lists them and a change to one
    renders the pages again."""
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file():
            observed.note_read(path)


def render(template: str, *, known_claims: set[str], names: dict | None = None, **context) -> str:
    """A whole page: `template` (which extends base.html.j2) with `context`; then every claim id in
    its text linked to its sentence and every article id named (`link_claims`)."""
    note_templates()
    page = environment().get_template(template).render(**context)
    return link_claims(page, known_claims, names)
