"""The articles' web-page furniture: lines received with an article that are not its text (a
mailing-list box, a comment form, a photograph's caption), declared in the curated
`data/raw/furniture.csv`, each a whole line of its article.

The articles stay exactly as received; the furniture is only told apart where it is shown: the
article pages dim and label it and leave it out on paper.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rare_earths.data import schemas
from rare_earths.data.tables import read_raw
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative


def load(path: Path | None = None) -> pd.DataFrame:
    return read_raw(schemas.FURNITURE, path or Project.here().furniture_csv)


def check(
    furniture: pd.DataFrame, articles: dict[str, str], path: Path | None = None, claims: pd.DataFrame | None = None
) -> None:
    """InputError naming the file, line and column of each row that is not one whole line of its
    article, that names an unknown article, or that repeats another row; or, given the `claims`
    (claim_id, source_id, quote), that holds or lies within a claim's quote of its article: the
    pages would dim and label the claim's words as furniture."""
    path = path or Project.here().furniture_csv
    quotes: dict[str, list[tuple[str, str]]] = {}  # each article's claims: (claim_id, quote)
    for claim in [] if claims is None else claims.itertuples(index=False):
        quotes.setdefault(claim.source_id, []).append((claim.claim_id, claim.quote))
    problems = []
    seen: set[tuple[str, str]] = set()
    for index, row in furniture.iterrows():

        def problem(message: str, column: str = "line", index=index) -> Problem:
            return Problem(relative(path), message, line_of(index), column)

        article = articles.get(row.source_id)
        if article is None:
            problems.append(problem(f"unknown source {row.source_id!r}", "source_id"))
        elif row.line.strip() != row.line or not row.line:
            problems.append(problem("a line without spaces around it, and not empty"))
        elif row.line not in {line.strip() for line in article.split("\n")}:
            problems.append(problem(f"{row.line[:60]!r} is not a whole line of article {row.source_id}"))
        elif (row.source_id, row.line) in seen:
            problems.append(problem("this line is declared twice"))
        else:
            shared = [
                claim_id
                for claim_id, quote in quotes.get(row.source_id, [])
                if quote and (row.line in quote or quote in row.line)
            ]
            if shared:
                problems.append(
                    problem(f"{row.line[:60]!r} shares its words with the quote of claim {', '.join(shared)}")
                )
        seen.add((row.source_id, row.line))
    if problems:
        raise InputError(problems)


def lines_of(furniture: pd.DataFrame, source_id: str) -> dict[str, str]:
    """An article's furniture: each line as written -> what it is."""
    own = furniture[furniture.source_id == source_id]
    return dict(zip(own.line, own.what, strict=True))
