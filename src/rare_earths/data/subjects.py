"""Who or what the figures are about: the curated vocabulary of subjects (`data/raw/subjects.csv`).

Each subject has a kind (`vocabulary.SUBJECT_KINDS`), the country it is a part of where it is
one (IREL: India), and its aliases: the other names USGS or an article gives it ("United States"
for `USA`). A claim may name a subject by an alias; the processed tables name the subject, and
the tidy USGS table names its countries the same way, so a figure finds its USGS row whatever
either source calls the country. A new article's new subject is a row here, not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rare_earths import vocabulary
from rare_earths.data import schemas
from rare_earths.data.tables import read_raw
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative


@dataclass(frozen=True)
class Subjects:
    """The vocabulary, read and checked: every name (subject or alias) -> its subject."""

    path: Path
    kinds: dict[str, str]  # subject -> kind
    part_of: dict[str, str]  # subject -> the country it is a part of
    names: dict[str, str]  # subject or alias -> subject

    def canonical(self, name: str) -> str | None:
        """The subject a name stands for ("United States" -> "USA"), or None if it is not known."""
        return self.names.get(name)

    def country_of(self, subject: str) -> str:
        """The country a subject is or is a part of; the world is `world`; any other subject is itself."""
        return self.part_of.get(subject, subject)

    def unknown(self, name: str, column: str) -> str:
        """What to say of a name the vocabulary does not hold."""
        return (
            f"{name!r} is not a subject of {relative(self.path)}: add it there (its kind, and its other names as "
            f"aliases), or give the {column} as that file names it"
        )


def load(path: Path | None = None) -> Subjects:
    """data/raw/subjects.csv, checked: InputError naming every bad cell by line and column."""
    path = path or Project.here().subjects_csv
    table = read_raw(schemas.SUBJECTS, path)
    problems = _problems(table, path)
    if problems:
        raise InputError(problems)
    names: dict[str, str] = {}
    for row in table.itertuples(index=False):
        names[row.subject] = row.subject
        names.update({alias: row.subject for alias in _aliases(row.aliases)})
    return Subjects(
        path,
        dict(zip(table.subject, table.kind, strict=True)),
        {row.subject: row.part_of for row in table.itertuples(index=False) if row.part_of},
        names,
    )


def _aliases(cell: str) -> list[str]:
    return [alias.strip() for alias in cell.split(vocabulary.SEPARATOR.strip()) if alias.strip()]


def _problems(table: pd.DataFrame, path: Path) -> list[Problem]:
    """A part of a country names a country; no name stands for two subjects, even written with
    other capitals; a name is written with single spaces only; the world is there, once."""
    where = relative(path)
    countries = set(table.subject[table.kind == "country"])
    problems, seen = [], {}  # a name, case folded -> (the name, the subject it stands for)
    worlds = table.subject[table.kind == "world"].tolist()
    if vocabulary.WORLD not in worlds:
        problems.append(
            Problem(where, f"has no row for {vocabulary.WORLD!r} of kind 'world', which USGS's totals name")
        )
    for index, row in table.iterrows():
        line = line_of(index)
        if row.kind == "world" and row.subject != vocabulary.WORLD:
            problems.append(
                Problem(
                    where,
                    f"only {vocabulary.WORLD!r} is of kind 'world' (its other names are its aliases)",
                    line,
                    "kind",
                )  # fmt: skip
            )
        if row.kind == "part_of_country" and row.part_of not in countries:
            problems.append(
                Problem(where, f"{row.part_of!r} is not a subject of kind 'country' in this file", line, "part_of")
            )
        if row.kind != "part_of_country" and row.part_of:
            problems.append(Problem(where, f"only a subject of kind 'part_of_country' has one (this is a {row.kind})",
                                    line, "part_of"))  # fmt: skip
        for name, column in [(row.subject, "subject"), *((alias, "aliases") for alias in _aliases(row.aliases))]:
            if name != " ".join(name.split()) or not name.isprintable():
                problems.append(Problem(where, f"{name!r} has spaces around it, doubled or unusual", line, column))
            key = name.casefold()
            if key in seen and (seen[key][1] != row.subject or column == "aliases"):
                earlier, subject = seen[key]
                said = "the subject's own name" if subject == row.subject else (
                    f"already {'the subject' if earlier == subject else 'an alias of'} {subject!r}"
                )  # fmt: skip
                problems.append(Problem(where, f"{name!r} is {said}", line, column))
            seen.setdefault(key, (name, row.subject))
    return problems


def canonical_names(raw: pd.DataFrame, subjects: Subjects) -> tuple[dict[str, list[str]], dict[int, list]]:
    """Each of the raw claims' `subject` and `counterpart` columns with every alias replaced by its
    subject, and the problems of the rows (by position) whose names the vocabulary does not hold, as
    [(column, message), ...]."""
    problems: dict[int, list] = {}
    columns = {}
    for column in ("subject", "counterpart"):
        names = []
        for position, name in enumerate(raw[column].tolist()):
            found = subjects.canonical(name) if name else ""
            if found is None:
                problems.setdefault(position, []).append((column, subjects.unknown(name, column)))
            names.append(found or "")
        columns[column] = names
    return columns, problems
