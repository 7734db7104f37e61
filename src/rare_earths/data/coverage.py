"""Coverage: every number in every article is a claim or an exclusion with a reason.

A number is any run of digits ("2,025", "6.9", the "25" of "FY25"), any number word
(`NUMBER_WORDS`: cardinals, fractions, ordinals, "zero", "none", an export "ban" or "halt" and their
other forms, and "hundreds" or "multifold"),
a word that ranks without a number (`rank_words`, `RANKING_WORDS`: "the largest", "Brazil follows",
"the highest figure in four years", "the smallest"; not the "largest" of "fifth-largest", which the
ordinal's figure covers),
and a "no" that states a zero quantity or an absence (`zero_nos`: "no new import licences", "no
domestic separation facilities ... have been announced"). A claim covers the characters of its
`value_as_written` and `period_as_written`; an exclusion covers its `number_as_written`, each
located inside its quote, inside its article.

A "no" is a zero quantity ("no new import licences have been issued") when, read in its sentence:

1. it is not "No." (the abbreviation of "number": "No. of Indian applicants"), nor the first word
   of "no more", "no less", "no fewer", "no longer", "no later", "no sooner" (a bound or an idiom
   whose figure, if any, is written in digits or words elsewhere), and
2. one of the `NO_WINDOW` (8) words after it, before the sentence ends, is either a counted or
   measured noun (`COUNTED_NOUNS`: the unit words the parser reads as a count or a mass, and the
   things the metrics count or weigh: magnets, licences, permits, imports, firms ...), or the
   start of a perfect "has/have/had been" or "has/have/had got" ("no Indian player has got nod",
   "no rare earth magnets have been imported").

Eight words reach past a noun phrase of a few modifiers ("no publicly traded rare earth element
(REE) firms"); ordinary prose stays out ("no immediate impact on its production", "there is no
doubt", "no longer"). The rule leans towards finding too many: a "no" it finds that is not a
figure of the audit is excluded with a reason, as a number word in prose is; one it missed would
be a figure lost without a trace.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rare_earths.data import schemas
from rare_earths.data.quotes import Located, NotLocated, locate
from rare_earths.data.tables import read_raw
from rare_earths.data.units import CARDINALS, FRACTION_DENOMINATORS, ORDINALS, RANK_WORDS, UNIT_WORDS, ZERO_WORDS
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative

NUMBER_WORDS = sorted(
    {*CARDINALS, *ORDINALS, *FRACTION_DENOMINATORS, *(set(ZERO_WORDS) - {"no"}), "thirteen", "fourteen",
     "sixteen", "seventeen", "eighteen", "nineteen", "sixty", "seventy", "eighty", "ninety", "hundreds",
     "thousand", "thousands", "dozen", "dozens", "twice", "double", "triple", "multifold",
     "bans", "banned", "halts", "halted"},
    key=len, reverse=True,
)  # fmt: skip
NUMBER_TOKEN = re.compile(rf"\d+(?:[.,]\d+)*|\b(?:{'|'.join(NUMBER_WORDS)})\b", re.IGNORECASE)

# --- "no" as a zero quantity (see the module docstring) ------------------------------------------

NO_WINDOW = 8  # words after a "no" in which its counted noun or its verb must stand
# Nouns that make a "no" before them a zero quantity: the unit words the parser reads as a count
# ("applications", "player", "licences"), masses, and what the metrics count or weigh.
COUNTED_NOUNS = frozenset({
    *(word for word, unit in UNIT_WORDS.items() if unit == "count"),
    "ton", "tons", "tonne", "tonnes", "kg", "kilograms", "kilotons", "kilotonnes",
    "magnet", "magnets", "licence", "license", "licenses", "permit", "permits", "imports", "exports",
    "shipment", "shipments", "firm", "firms", "company", "companies", "facilities", "agreements",
})  # fmt: skip
# Words after which a "no" is a bound or an idiom, not a zero ("no more than 5 tonnes", "no longer").
NOT_A_ZERO_BEFORE = frozenset({"more", "less", "fewer", "longer", "later", "sooner"})
_NO = re.compile(r"\bno\b(?!\.)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_WORD = re.compile(r"[^\W_][\w’'-]*")
_PERFECT = ({"has", "have", "had"}, {"been", "got"})


def _is_zero_context(words: list[str]) -> bool:
    """Rule 2 of the module docstring, on the (lower-case) words after a "no"."""
    if words and words[0] in NOT_A_ZERO_BEFORE:
        return False
    window = words[:NO_WINDOW]
    if any(word in COUNTED_NOUNS for word in window):
        return True
    first, second = _PERFECT
    return any(
        word in first and following in second for word, following in zip(window, words[1 : NO_WINDOW + 1], strict=False)
    )


def zero_nos(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every "no" in `text` that states a zero quantity."""
    found = []
    for match in _NO.finditer(text):
        end = _SENTENCE_END.search(text, match.end())
        rest = text[match.end() : end.start() if end else len(text)]
        if _is_zero_context([word.lower() for word in _WORD.findall(rest)]):
            found.append((match.start(), match.end(), match.group()))
    return found


@dataclass(frozen=True)
class Span:
    source_id: str
    start: int
    end: int
    covered_by: str  # "claim a000-03" or "exclusion (date), line 7"
    line: int | None = None  # an exclusion's line in exclusions.csv

    def covers(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.source_id == other.source_id and self.start < other.end and other.start < self.end


# The words the parser reads as a rank, and superlatives that rank from the bottom, which it does
# not: a "smallest" or "lowest" is a ranking a capturer must see, even if no number states it.
RANKING_WORDS = (*RANK_WORDS, "smallest", "lowest")
_RANK_WORD = re.compile(rf"\b(?:{'|'.join(RANKING_WORDS)})\b", re.IGNORECASE)
_ORDINAL_AND_HYPHEN = re.compile(rf"\b(?:{'|'.join(ORDINALS)})-$", re.IGNORECASE)


def rank_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every word that ranks without a number, except one joined to an
    ordinal ("fifth-largest"), whose rank the ordinal already states."""
    return [
        (match.start(), match.end(), match.group())
        for match in _RANK_WORD.finditer(text)
        if not _ORDINAL_AND_HYPHEN.search(text[max(0, match.start() - 12) : match.start()])
    ]


def number_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) of every number in a text, in the order they stand: digits, number words,
    words that rank, and the "no"s that state a zero quantity or an absence."""
    tokens = [(match.start(), match.end(), match.group()) for match in NUMBER_TOKEN.finditer(text)]
    return sorted(tokens + rank_words(text) + zero_nos(text))


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
    path = path or Project.here().exclusions_csv
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
        line = line_of(index)
        spans.append(
            Span(row.source_id, where.part_start, where.part_end, f"exclusion ({row.reason}), line {line}", line)
        )
    if problems:
        raise InputError(problems)
    return spans


@dataclass(frozen=True)
class Uncovered:
    source_id: str
    token: str
    context: str
    line: int = 0  # where it stands in its article
    column: int = 0

    def __str__(self) -> str:
        return f"{self.source_id}, line {self.line}, column {self.column}: {self.token!r} in ...{self.context}..."


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
                line, column = text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)
                missing.append(Uncovered(source_id, token, context, line, column))
    return missing


def double_counted(claim: list[Span], excluded: list[Span]) -> list[str]:
    """Exclusions that cover a number a claim covers too: a number is either a claim or excluded."""
    clashes = []
    for exclusion in excluded:
        for span in claim:
            if span.overlaps(exclusion):
                clashes.append(f"{exclusion.source_id}: {exclusion.covered_by} overlaps {span.covered_by}")
    return clashes


UNCOVERED_SHOWN = 20  # listed in the error; the rest are counted


def check(raw_claims: pd.DataFrame, exclusions: pd.DataFrame, articles: dict[str, str], path: Path) -> None:
    """InputError unless every number in every article is covered once: by a claim, or by one
    exclusion. An exclusion of a claim's own number would set the claim's figure aside on its page;
    two exclusions of one number, or a number neither claims nor exclusions cover (a header-only
    exclusions.csv), would pass into the audit and the notebooks uncounted. The claims are assumed
    checked (claims.check_claims); `exclusions` is read from `path`."""
    excluded = exclusion_spans(exclusions, articles, path)
    claimed = claim_spans(raw_claims, articles)
    problems = []
    for index, exclusion in enumerate(excluded):
        number = articles[exclusion.source_id][exclusion.start : exclusion.end]
        claim = next((span for span in claimed if span.overlaps(exclusion)), None)
        earlier = next((span for span in excluded[:index] if span.overlaps(exclusion)), None)
        if claim is not None:
            why = f"{number!r} is the figure of {claim.covered_by}: a number is a claim or excluded, never both"
        elif earlier is not None:
            why = f"{number!r} is the number line {earlier.line} excludes already: each number is excluded once"
        else:
            continue
        problems.append(Problem(relative(path), f"{why}; remove this row", exclusion.line, "number_as_written"))
    missing = uncovered(articles, claimed + excluded)
    if missing:
        shown = [f"    {item}" for item in missing[:UNCOVERED_SHOWN]]
        if len(missing) > UNCOVERED_SHOWN:
            shown.append(f"    ... and {len(missing) - UNCOVERED_SHOWN} more")
        problems.append(
            Problem(
                relative(path),
                f"{len(missing)} number{'s' if len(missing) != 1 else ''} in the articles "
                f"{'are' if len(missing) != 1 else 'is'} neither a claim nor excluded: add each to "
                "claims.csv, or here with the reason it is not a figure of the audit\n" + "\n".join(shown),
            )
        )
    if problems:
        raise InputError(problems)


def load_exclusions(path: Path | None = None) -> pd.DataFrame:
    return read_raw(schemas.EXCLUSIONS, path or Project.here().exclusions_csv)


def report(raw_claims: pd.DataFrame, exclusions: pd.DataFrame, articles: dict[str, str]) -> pd.DataFrame:
    """One row per number token: the article, the token and what covers it (for notebooks)."""
    spans = claim_spans(raw_claims, articles) + exclusion_spans(exclusions, articles)
    rows = []
    for source_id, text in sorted(articles.items()):
        for start, end, token in number_tokens(text):
            cover = next(
                (span.covered_by for span in spans if span.source_id == source_id and span.covers(start, end)), ""
            )
            kind, _, detail = cover.partition(" ")
            rows.append(
                {
                    "source_id": source_id,
                    "offset": start,
                    "token": token,
                    "covered_by": kind or "nothing",
                    "detail": detail,
                }
            )
    return pd.DataFrame(rows)
