"""The one layout of every page of the site, `templates/site/base.html.j2` (head, header and
navigation, in-page contents, previous and next, footer: downloads, how to cite, licences, build
version), the Jinja environment every page template is rendered in, and the links from claim ids
to the sentences they came from (`Links`, the templates' `claims` filter).

Pages give their title and body block; everything around it is written once, in the base template.
Templates write words with their claim ids linked as `{{ words | claims }}`, and each table in the
box that scrolls it with `macros.scrolls`; nothing edits a page once it is written.
Styles are in one stylesheet (`templates/site/site.css`, with the article pages'
`templates/article.css`), written beside the pages as `registry.STYLESHEET`.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from rare_earths import observed, vocabulary
from rare_earths.site import registry

TEMPLATES = Path(__file__).with_name("templates")
STYLE_SOURCES = (TEMPLATES / "site" / "site.css", TEMPLATES / "article.css")
SITE_TITLE = "India's rare-earth supply chain"

# A claim id as every page writes it ("a002-12"): the article's id, then the claim's number.
CLAIM_ID = re.compile(rf"\b({vocabulary.SOURCE_ID})-(\d{{2}})\b")


def claim_href(claim_id: str) -> str:
    """Where a claim id leads: its sentence, highlighted, on its article's page."""
    return f"{registry.article_page(claim_id[:4])}#{claim_id}"


def same_page(href: str, here: str) -> str:
    """`href` as written on page `here`: its fragment alone if it leads to a place on that page."""
    return href[len(here) :] if here and href.startswith(f"{here}#") else href


def stylesheet() -> str:
    """The site's stylesheet: the base styles, then the article pages'."""
    return "\n".join(path.read_text(encoding="utf-8") for path in STYLE_SOURCES if path.is_file())


@dataclass(frozen=True)
class Link:
    href: str
    title: str


@dataclass(frozen=True)
class Failure:
    """A notebook run that failed in the build that made the pages, as every page states it first."""

    notebook: str  # its file name
    run: str  # as the run named it: the notebook, or a sweep's run ("04-demand.ipynb [usd_inr=80]")
    what: str  # "failed in cell 7: ValueError: ...", or "did not run: a notebook it needs failed"
    sweep: bool = False  # a run of the sensitivity sweep
    report: str = ""  # the report's title, as readers know it
    page: str = ""  # its page in these pages (its last complete run), if it has one


@dataclass(frozen=True)
class Footer:
    """What the footer of every page states; the same for every page of one build."""

    cite: str
    version: str
    licences: tuple[tuple[str, str], ...]  # (what, terms)
    downloads: tuple[tuple[str, str, str, str], ...]  # (file, the link's words, what it holds, its format)
    failures: tuple[Failure, ...] = ()  # what failed in the run that built these pages, stated first on each


_TAG = re.compile(r"<[^>]*>")
# A claim id ("a002-12") or an article id standing alone ("a002"), in plain text.
_ID = re.compile(rf"\b(?P<claim>{vocabulary.SOURCE_ID}-\d{{2}})\b|\b(?P<source>{vocabulary.SOURCE_ID})\b(?!-\d)")


@dataclass(frozen=True)
class Links:
    """The claims and articles a page's text may name: each claim id of `known` becomes a link to its
    sentence, each article id of `names` (source_id -> provenance.SourceName) the article's name
    linking to its page. Applied to plain text where a page writes it (the `claims` filter, the
    notebooks' Markdown), never to HTML already written."""

    known: frozenset[str] = frozenset()
    names: Mapping[str, Any] = field(default_factory=dict)
    here: str = ""  # the page they are on: a claim on it is linked by its fragment alone ("#a000-54")

    def __call__(self, text: str, escape: Callable[[str], str] = html.escape) -> Markup:
        """`text` escaped by `escape`, with its claim ids and article ids linked."""
        out, position = [], 0
        for found in _ID.finditer(text):
            out += [escape(text[position : found.start()]), self.link(found.group(0), escape)]
            position = found.end()
        out.append(escape(text[position:]))
        return Markup("".join(out))

    def link(self, name: str, escape: Callable[[str], str] = html.escape) -> str:
        """One claim id or article id as a link, if this page knows it; else as it is."""
        if name in self.known:
            # Styled by its address (site.css): pages carry hundreds.
            return f'<a href="{same_page(claim_href(name), self.here)}">{name}</a>'
        if name in self.names:
            return f'<a href="{registry.article_page(name)}">{html.escape(self.names[name].short)}</a>'
        return escape(name)


@jinja2.pass_context
def _claims(context: jinja2.runtime.Context, text, quote: bool = True) -> Markup:
    """`{{ words | claims }}`: plain words with their claim ids and article ids linked (the page's
    `claim_links`); `claims(quote=False)` escapes as the article pages' text does (&, < and > only)."""
    if isinstance(text, Markup):
        raise TypeError("the claims filter links ids in plain text, not in HTML: give it the words")
    return context["claim_links"](str(text), functools.partial(html.escape, quote=quote))


def _text(value) -> Markup:
    """`{{ words | text }}`: escaped as the article pages' text always was, &, < and > only (their
    apostrophes stay as written)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=False))


_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_DIALOG = re.compile(r"<dialog\b.*?</dialog>", re.S)


def headings(body: str) -> list[tuple[str, str]]:
    """The page's second-level headings, (anchor, words), for its own contents: the base template
    lists them on pages long enough to need it."""
    shown = _DIALOG.sub("", body)  # a dialog's heading is not a place on the page until it opens
    return [
        (anchor, html.unescape(" ".join(_TAG.sub("", text).replace("¶", "").split())))
        for anchor, text in _H2.findall(shown)
    ]


def contents(body: str, minimum: int = 3) -> str:
    """The page's own contents (its second-level headings), on pages long enough to need one."""
    return environment().get_template("contents.html.j2").render(contents=headings(body), minimum=minimum)


def _escaped(value) -> Markup:
    """What `{{ value }}` writes: HTML as it is (Markup), anything else escaped as `html.escape`
    escapes it (quotes as &quot; and &#x27;), the escaping these pages have always had, so a page's
    bytes do not change with the template engine (markupsafe alone writes &#34; and &#39;)."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def _date_words(iso: str) -> str:
    # here: rare_earths.text pulls in pandera, which a command that renders no page never needs
    from rare_earths import text

    return text.date_words(iso)


@functools.cache
def environment() -> jinja2.Environment:
    """Every page template's environment: autoescaped, strict about undefined names, and with the
    site's files (`asset`), registry (`navigation`) and filters (`claims`, `text`, `headings`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES / "site"),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(claims=_claims, text=_text, headings=headings, date_words=_date_words)
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


def render(template: str, *, claim_links: Links | None = None, **context) -> str:
    """A whole page: `template` (which extends base.html.j2) with `context`; `claim_links` are the
    claims and articles its `claims` filter links."""
    note_templates()
    return environment().get_template(template).render(claim_links=claim_links or Links(), **context)
