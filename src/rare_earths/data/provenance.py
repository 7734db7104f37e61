"""Where every raw file came from, and proof that it is still the file that was received."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import pandas as pd

from rare_earths import observed, vocabulary
from rare_earths.data import schemas
from rare_earths.data.tables import read_raw
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative


def sha256(path: Path) -> str:
    observed.note_read(path)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _outside(name: str, folder: Path) -> str | None:
    """Why `name` is not a file name inside `folder`, or None: a catalogue names files in its own
    folder, so "..", an absolute path or a sub-folder would read a file nobody catalogued there."""
    if Path(name).is_absolute() or PureWindowsPath(name).is_absolute() or "/" in name or "\\" in name:
        return f"{name!r} is a path; give the bare name of a file in {relative(folder)}/"
    if name in {".", ".."}:
        return f"{name!r} is not a file name; give the name of a file in {relative(folder)}/"
    if not (folder / name).resolve().is_relative_to(Path(folder).resolve()):
        return f"{name!r} leads outside {relative(folder)}/ (a link?); give a file that is in the folder"
    return None


def _check_catalogue(catalogue: pd.DataFrame, catalogue_path: Path, folder: Path) -> list[Problem]:
    problems = []
    listed = set(catalogue["file"])
    for index, row in catalogue.iterrows():
        path = folder / row["file"]
        where = dict(file=relative(catalogue_path), line=line_of(index), column="sha256")
        if (outside := _outside(row["file"], folder)) is not None:
            problems.append(Problem(**{**where, "column": "file"}, message=outside))
        elif not path.is_file():
            problems.append(Problem(**{**where, "column": "file"}, message=f"{relative(path)} does not exist"))
        elif (actual := sha256(path)) != row["sha256"]:
            problems.append(
                Problem(
                    **where,
                    message=f"{relative(path)} has changed: its SHA-256 is {actual}, not the recorded {row['sha256']}",
                )
            )
    for path in sorted(folder.iterdir()):
        if path.suffix in {".txt", ".csv"} and path != catalogue_path and path.name not in listed:
            problems.append(
                Problem(
                    relative(catalogue_path),
                    f"{relative(path)} is not listed, so it has no recorded origin or checksum",
                )
            )
    return problems


def _calendar_dates(row, index: int, path: Path, columns: tuple[str, ...]) -> list[Problem]:
    """The schema has checked the form YYYY-MM-DD; here, that each is a day of the calendar."""
    problems = []
    for column in columns:
        if not row[column]:
            continue
        try:
            datetime.date.fromisoformat(row[column])
        except ValueError as error:
            problems.append(
                Problem(
                    relative(path), f"{row[column]!r} is not a date of the calendar ({error})", line_of(index), column
                )
            )
    return problems


def _shared_reporting(sources: pd.DataFrame, path: Path) -> list[Problem]:
    """Each article `shares_reporting_with` names is another listed article, once, and names this
    one back: a link recorded on one side only is a typo the other side would hide."""
    problems = []
    named = {
        row.source_id: [a for a in row.shares_reporting_with.split(vocabulary.SEPARATOR) if a]
        for row in sources.itertuples()
    }
    for index, row in sources.iterrows():
        where = dict(file=relative(path), line=line_of(index), column="shares_reporting_with")
        others = named[row["source_id"]]
        for other in others:
            if other == row["source_id"]:
                problems.append(Problem(**where, message=f"names the article itself ({other})"))
            elif other not in named:
                problems.append(Problem(**where, message=f"{other!r} is no article of this table"))
            elif row["source_id"] not in named[other]:
                problems.append(
                    Problem(**where, message=f"names {other}, but {other}'s row does not name {row['source_id']} back")
                )
        if len(set(others)) != len(others):
            problems.append(Problem(**where, message="names an article twice"))
    return problems


def load_sources(path: Path, articles: Path) -> pd.DataFrame:
    """sources.csv, after checking that every article is listed and unchanged."""
    sources = read_raw(schemas.SOURCES, path)
    problems = _check_catalogue(sources, path, articles)
    for index, row in sources.iterrows():
        expected = "a" + row["file"][:3]
        if row["source_id"] != expected and _outside(row["file"], articles) is None:
            problems.append(
                Problem(
                    relative(path),
                    f"{row['source_id']!r} should be {expected!r}, from the file name",
                    line_of(index),
                    "source_id",
                )
            )
        if bool(row["title"]) == bool(row["label"]):
            message = (
                "has both a title and an assigned label: pages show the title; leave label empty"
                if row["title"]
                else "states no title, so it needs a label: a short description, which pages show as assigned by this project"
            )
            problems.append(Problem(relative(path), message, line_of(index), "label"))
        undated = _calendar_dates(row, index, path, ("date", "as_of"))
        problems += undated
        if not undated and row["date"] and row["as_of"] and row["as_of"] != row["date"]:
            problems.append(
                Problem(
                    relative(path),
                    f"{row['as_of']!r} differs from the article's date {row['date']!r}: an article with a date line is "
                    "judged as of that date",
                    line_of(index),
                    "as_of",
                )
            )
    problems += _shared_reporting(sources, path)
    if problems:
        raise InputError(problems)
    return sources


def load_references(path: Path | None = None, folder: Path | None = None) -> pd.DataFrame:
    """references.csv, after checking that every USGS table is listed and unchanged."""
    path, folder = path or Project.here().references_csv, folder or Project.here().reference
    references = read_raw(schemas.REFERENCES, path)
    problems = _check_catalogue(references, path, folder)
    for index, row in references.iterrows():
        problems += _calendar_dates(row, index, path, ("published",))
    # Each edition is released after the one before it: "current at a date" depends on that order.
    ordered = sorted(references.iterrows(), key=lambda item: item[1]["edition"])
    for (_, before), (index, row) in zip(ordered, ordered[1:], strict=False):
        if row["published"] <= before["published"]:
            problems.append(
                Problem(
                    relative(path),
                    f"edition {row['edition']} is released {row['published']}, not after edition {before['edition']} "
                    f"({before['published']})",
                    line_of(index),
                    "published",
                )
            )
    if problems:
        raise InputError(problems)
    return references


def load_articles(sources: pd.DataFrame, articles: Path) -> dict[str, str]:
    """source_id -> the article's text, exactly as received."""
    for row in sources.itertuples():
        observed.note_read(articles / row.file)
    return {row.source_id: (articles / row.file).read_text(encoding="utf-8") for row in sources.itertuples()}


@dataclass(frozen=True)
class SourceName:
    """How pages name an article: its own title where it states one (with its publisher, where it
    names one), else the label this project assigned, said to be assigned."""

    source_id: str
    title: str
    publisher: str
    assigned: bool

    @property
    def short(self) -> str:
        """The name in a sentence or a table cell: the publisher, else the title."""
        return self.publisher or self.title

    @property
    def brief(self) -> str:
        """The name where space is short (a chart's label or legend): the publisher, else the title's
        first words."""
        if self.publisher:
            return self.publisher
        words = self.title.split()
        return self.title if len(words) <= 4 else " ".join(words[:4]).rstrip(",:;") + "…"

    @property
    def full(self) -> str:
        """The name as a heading or citation gives it."""
        name = f"{self.publisher}: {self.title}" if self.publisher else self.title
        return f"{name} (label assigned by this project)" if self.assigned else name


def source_names(path: Path | None = None) -> dict[str, SourceName]:
    """source_id -> how pages name the article, from sources.csv."""
    sources = read_raw(schemas.SOURCES, path or Project.here().sources_csv)
    return {
        row.source_id: SourceName(row.source_id, row.title or row.label, row.publisher, not row.title)
        for row in sources.itertuples()
    }
