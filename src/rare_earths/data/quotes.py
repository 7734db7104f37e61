"""Where a claim's quote stands in its article, and where its figure stands in the quote: the
offsets the cleaning step checks, the coverage check accounts for and the article pages mark."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def in_words(word: str, quote: str) -> bool:
    """`word` stands in `quote` as a word, not as part of one: "t" is not found in "the"."""
    return re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", quote) is not None


@lru_cache(maxsize=4096)
def _standalone(number: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9A-Za-z])(?<!\d[.,]){re.escape(number)}(?![0-9A-Za-z])(?![.,]\d)")


def find_number(text: str, number: str) -> list[int]:
    """Start offsets of `number` in `text` where it stands alone: "2" is not found in "2025" or "FY2"."""
    return [match.start() for match in _standalone(number).finditer(text)]


@dataclass(frozen=True)
class Located:
    """Where a row's quote, and a part of it, stand in the article (character offsets)."""

    quote_start: int
    part_start: int
    part_end: int


@dataclass(frozen=True)
class NotLocated:
    """Why a row could not be located: its quote (`in_quote` False) or the part inside the quote."""

    in_quote: bool
    message: str


def locate(article: str, quote: str, part: str, *, is_number: bool = True) -> Located | NotLocated:
    """Locate `part` inside the one occurrence of `quote` in `article`, or say what is wrong."""
    count = article.count(quote)
    if count == 0:
        return NotLocated(False, "quote not found verbatim in the article")
    if count > 1:
        return NotLocated(False, f"quote occurs {count} times in the article; lengthen it so that it locates one place")
    start = article.index(quote)
    offsets = (
        find_number(quote, part) if is_number else [match.start() for match in re.finditer(re.escape(part), quote)]
    )
    if not offsets:
        return NotLocated(True, f"{part!r} not found in the quote")
    return Located(start, start + offsets[0], start + offsets[0] + len(part))
