"""Coverage: every number in every article is a claim or an exclusion with a reason.

A number is any run of digits ("2,025", "6.9", the "25" of "FY25") and any number word
(`NUMBER_WORDS`: cardinals, fractions, ordinals, and "hundreds" or "multifold"). A claim covers the
characters of its `value_as_written` and `period_as_written`; an exclusion covers its
`number_as_written`, each located inside its quote, inside its article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import metadata, paths
from .claims import Located, NotLocated, locate
from .errors import InputError, Problem, line_of
from .paths import relative
from .tables import read_raw
from .units import CARDINALS, FRACTION_DENOMINATORS, ORDINALS

NUMBER_WORDS = sorted(
    {*CARDINALS, *ORDINALS, *FRACTION_DENOMINATORS, "thirteen", "fourteen", "sixteen", "seventeen",
     "eighteen", "nineteen", "sixty", "seventy", "eighty", "ninety", "hundreds", "thousand",
     "thousands", "dozen", "dozens", "twice", "double", "triple", "multifold"},
    key=len, reverse=True,
)  # fmt: skip
NUMBER_TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    source_id: str
    start: int
    end: int
    covered_by: str  # "claim a000-03" or "exclusion (date), line 7"

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end


def number_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every number in a text."""
    return [(match.start(), match.end(), match.group()) for match in NUMBER_TOKEN.finditer(text)]


def claim_spans(raw_claims: pd.DataFrame, articles: dict[str, str]) -> list[Span]:
    """The characters each claim covers; the claims are assumed checked (claims.check_claims)."""
    spans = []
    for row in raw_claims.itertuples(index=False):
        article = articles[row.source_id]
        parts = [(row.value_as_written, True)]
        if row.period_as_written:
            parts.append((row.period_as_written, False))
        for part, is_number in parts:
            where = locate(article, row.quote, part, is_number=is_number)
            if isinstance(where, Located):
                spans.append(Span(row.source_id, where.part_start, where.part_end, f"claim {row.claim_id}"))
    return spans


def exclusion_spans(exclusions: pd.DataFrame, articles: dict[str, str], path: Path | None = None) -> list[Span]:
    """The characters each exclusion covers; InputError for an exclusion that locates nothing."""
    path = path or paths.EXCLUSIONS_CSV
    spans, problems = [], []
    for index, row in exclusions.iterrows():
        article = articles.get(row.source_id)
        if article is None:
            problems.append(Problem(relative(path), f"unknown source {row.source_id!r}", line_of(index), "source_id"))
            continue
        where = locate(article, row.quote, row.number_as_written)
        if isinstance(where, NotLocated):
            column = "number_as_written" if where.in_quote else "quote"
            problems.append(Problem(relative(path), where.message, line_of(index), column))
            continue
        spans.append(Span(row.source_id, where.part_start, where.part_end, f"exclusion ({row.reason}), line {line_of(index)}"))
    if problems:
        raise InputError(problems)
    return spans


@dataclass(frozen=True)
class Uncovered:
    source_id: str
    token: str
    context: str

    def __str__(self) -> str:
        return f"{self.source_id}: {self.token!r} in ...{self.context}..."


def uncovered(articles: dict[str, str], spans: list[Span]) -> list[Uncovered]:
    """Every number token that no claim or exclusion covers."""
    by_source: dict[str, list[Span]] = {}
    for span in spans:
        by_source.setdefault(span.source_id, []).append(span)
    missing = []
    for source_id, text in sorted(articles.items()):
        for start, end, token in number_tokens(text):
            if not any(span.covers(start, end) for span in by_source.get(source_id, [])):
                context = " ".join(text[max(0, start - 40) : end + 30].split())
                missing.append(Uncovered(source_id, token, context))
    return missing


def double_counted(claim: list[Span], excluded: list[Span]) -> list[str]:
    """Exclusions that cover a number a claim covers too: a number is either a claim or excluded."""
    clashes = []
    for exclusion in excluded:
        for span in claim:
            if span.source_id == exclusion.source_id and span.start < exclusion.end and exclusion.start < span.end:
                clashes.append(f"{exclusion.source_id}: {exclusion.covered_by} overlaps {span.covered_by}")
    return clashes


def load_exclusions(path: Path | None = None) -> pd.DataFrame:
    return read_raw(metadata.EXCLUSIONS, path or paths.EXCLUSIONS_CSV)


def report(raw_claims: pd.DataFrame, exclusions: pd.DataFrame, articles: dict[str, str]) -> pd.DataFrame:
    """One row per number token: the article, the token and what covers it (for notebooks)."""
    spans = claim_spans(raw_claims, articles) + exclusion_spans(exclusions, articles)
    rows = []
    for source_id, text in sorted(articles.items()):
        for start, end, token in number_tokens(text):
            cover = next((span.covered_by for span in spans if span.source_id == source_id and span.covers(start, end)), "")
            kind, _, detail = cover.partition(" ")
            rows.append({"source_id": source_id, "offset": start, "token": token, "covered_by": kind or "nothing", "detail": detail})
    return pd.DataFrame(rows)
