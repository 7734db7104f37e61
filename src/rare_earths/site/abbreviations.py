"""Abbreviations expanded at their first use on each page: "USGS (the United States Geological
Survey)", the abbreviation in an `<abbr>`, so a reader on a phone or on paper meets the words, not
only a tooltip. What is an abbreviation, and what it means, is declared once, in
`vocabulary.ABBREVIATIONS`; the method page lists them all.

Only running prose inside the page's <main> is touched: a paragraph, a list item, a definition.
Never the articles' own words (the article's text, a quotation in <q>, a figure as written), nor
code, links, headings, tables, labels or charts, whose words must stay as they are or stay short;
an abbreviation met there first is expanded where prose first uses it. Attributes are never touched.
The pages are the project's own HTML, so a tokenizer that tells tags from text is enough.
"""

from __future__ import annotations

import html
import re

from rare_earths import vocabulary

# Elements whose words are not the pages' prose to expand, with everything inside them.
_KEPT_WHOLE = re.compile(r"<(script|style|svg|pre|code|textarea|title)\b.*?</\1\s*>", re.S | re.I)
_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)([^>]*?)(/?)\s*>", re.S)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose words are left as they are, and classes that mark the articles' own words.
_LEFT = {
    "a",
    "q",
    "abbr",
    "code",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "th",
    "td",
    "caption",
    "button",
    "label",
    "option",
    "select",
    "summary",
    "nav",
    "header",
    "footer",
    "figcaption",
    "dt",
    "cite",
}
_VERBATIM = {"article-text", "verbatim"}
_PROSE = {"p", "li", "dd"}

_PATTERN = re.compile(
    "|".join(rf"(?P<a{n}>\b(?:{entry.pattern})\b)" for n, entry in enumerate(vocabulary.ABBREVIATIONS))
)
_MEANINGS = [entry.meaning for entry in vocabulary.ABBREVIATIONS]


def _meaning(match: re.Match) -> tuple[int, str]:
    number = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
    return number, _MEANINGS[number]


def expand_first_uses(page: str) -> str:
    """`page` with the first use of each abbreviation in its main prose expanded."""
    start, end = page.find("<main"), page.rfind("</main>")
    if start < 0 or end < 0:
        return page
    return page[:start] + _expanded(page[start:end]) + page[end:]


def _expanded(main: str) -> str:
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # open elements: (name, whether its words are left as they are)
    met: set[int] = set()
    for piece in _pieces(main):
        if piece.startswith("<"):
            out.append(piece)
            _follow(piece, stack)
            continue
        left = any(kept for _, kept in stack) or not any(name in _PROSE for name, _ in stack)
        out.append(piece if left else _expand_text(piece, met))
    return "".join(out)


def _pieces(main: str):
    """Tags (a raw-text element whole, as one piece) and the text between them."""
    position = 0
    for found in re.finditer(f"{_KEPT_WHOLE.pattern}|{_TOKEN.pattern}", main, re.S | re.I):
        if found.start() > position:
            yield main[position : found.start()]
        yield found.group(0)
        position = found.end()
    if position < len(main):
        yield main[position:]


def _follow(tag: str, stack: list[tuple[str, bool]]) -> None:
    found = _TAG.match(tag)
    if found is None or tag.startswith("<!--"):
        return
    closing, name, attributes, self_closing = found.group(1), found.group(2).lower(), found.group(3), found.group(4)
    if closing:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == name:
                del stack[depth:]
                break
        return
    if name in _VOID or self_closing or _KEPT_WHOLE.match(tag):
        return
    classes = set()
    for value in _CLASS.findall(attributes):
        classes.update((value[0] or value[1]).split())
    stack.append((name, name in _LEFT or bool(classes & _VERBATIM)))


def _expand_text(text: str, met: set[int]) -> str:
    """Escaped text, its abbreviations not yet met expanded (once each)."""

    def expand(match: re.Match) -> str:
        number, meaning = _meaning(match)
        if number in met or match.string.startswith((" (", "'s", "’s", "&#x27;s"), match.end()):
            # A parenthesis of the writer's own follows ("kt (quota)"), or a possessive ("IREL's"):
            # the words would garble it, so they wait for the next use.
            return match.group(0)
        met.add(number)
        words = html.escape(meaning, quote=True)
        return f'<abbr title="{words}">{match.group(0)}</abbr> ({words})'

    # The text is already escaped HTML; an abbreviation never spans an entity.
    return _PATTERN.sub(expand, text)


# What `_expand_text` adds: the <abbr> around an abbreviation and its meaning after it.
_ADDED = re.compile(r'<abbr title="[^"]*">([^<]*)</abbr> \((?:[^()]|\([^()]*\))*\)')


def taken_out(page: str) -> str:
    """`page` without the expansions `expand_first_uses` added: the page as it was written."""
    return _ADDED.sub(r"\1", page)


def glossary() -> list[tuple[str, str]]:
    """Every abbreviation with its meaning, in alphabetical order: the method page's list."""
    return sorted(
        ((entry.words, entry.meaning) for entry in vocabulary.ABBREVIATIONS), key=lambda pair: pair[0].lower()
    )
