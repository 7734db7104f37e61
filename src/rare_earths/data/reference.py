"""The USGS reference tables, tidied: one row per edition, country, measure and year."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from rare_earths import observed
from rare_earths.data import schemas
from rare_earths.data.provenance import load_references
from rare_earths.data.subjects import Subjects
from rare_earths.data.subjects import load as load_subjects
from rare_earths.data.tables import read_processed, write_processed
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative

_PRODUCTION_COLUMN = re.compile(r"^prod_t_(\d{4})(_est)?$")
# USGS's row for the countries it does not list: the one row that names no subject.
REST_OF_WORLD = "Other"


def read_edition(path: Path) -> pd.DataFrame:
    """One USGS table as received, all text.

    The MCS 2025 file's last column, `notes`, is free text written without CSV quoting, and its
    world-total row reads `World reserves published as ">90,000,000".`: the commas split it into
    extra fields. Only `notes` is free text, so fields beyond the header's count are joined back
    into it; any other malformation is an error naming the line.
    """
    observed.note_read(path)
    with Path(path).open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header, records = rows[0], []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) < len(header):
            raise InputError([Problem(relative(path), f"{len(row)} fields, expected {len(header)}", line)])
        if len(row) > len(header):
            if header[-1] != "notes":
                raise InputError([Problem(relative(path), f"{len(row)} fields, expected {len(header)}", line)])
            row = [*row[: len(header) - 1], ",".join(row[len(header) - 1 :])]
        records.append(row)
    return pd.DataFrame(records, columns=header)


def tidy(edition_table: pd.DataFrame) -> pd.DataFrame:
    """One USGS edition as received (wide, one column per year) -> the `usgs` table's rows."""
    rows = []
    for record in edition_table.to_dict("records"):
        greater_than = "yes" if record.get("reserves_qualifier", "") == "greater_than" else "no"
        # The edition's note says where a production figure is a quota, a set number rather than a measurement.
        quota = "yes" if record.get("notes", "").startswith("Production quota") else "no"
        for column, text in record.items():
            match = _PRODUCTION_COLUMN.match(column)
            if match:
                measure, year, estimated = "mine_production", match.group(1), "yes" if match.group(2) else "no"
                qualifier, is_quota = "no", quota
            elif column == "reserves_t":
                measure, year, estimated, qualifier, is_quota = "reserves", "", "no", greater_than, "no"
            else:
                continue
            value = float(text) if text != "" else float("nan")
            rows.append(
                {
                    "edition": record["source"],
                    "country": record["country"],
                    "measure": measure,
                    "year": year,
                    "value_t": value,
                    "estimated": estimated,
                    "greater_than": qualifier,
                    "quota": is_quota,
                }
            )
    return pd.DataFrame(rows, columns=schemas.USGS.names)


def named_as_subjects(table: pd.DataFrame, subjects: Subjects, path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """One edition as received with its countries named as data/raw/subjects.csv names them
    ("United States" -> "USA", "World total (rounded)" -> "world"), and a problem for each row
    whose country the vocabulary does not hold (all but `REST_OF_WORLD`)."""
    problems, names = [], []
    for line, country in enumerate(table.country.tolist(), start=2):
        name = country if country == REST_OF_WORLD else subjects.canonical(country)
        if name is None:
            problems.append(Problem(relative(path), subjects.unknown(country, "country"), line, "country"))
        names.append(name or country)
    return table.assign(country=names), problems


def tidy_raw(project: Project | None = None) -> pd.DataFrame:
    """Both editions as received, checksums checked, tidied into the `usgs` table's rows, countries
    named as the subjects' vocabulary names them; each table's rows must be of the edition
    references.csv records for it."""
    project = project or Project.here()
    references = load_references(project.references_csv, project.reference)
    subjects = load_subjects(project.subjects_csv)
    tables, problems = [], []
    for index, row in references.iterrows():
        path = project.reference / row["file"]
        table, unknown = named_as_subjects(read_edition(path), subjects, path)
        problems += unknown
        named = sorted(set(table.source))
        if named != [f"MCS{row['edition']}"]:
            problems.append(
                Problem(
                    relative(project.references_csv),
                    f"edition {row['edition']!r}, but {row['file']} holds rows of {', '.join(named)}",
                    line_of(index),
                    "edition",
                )
            )
        tables.append(tidy(table))
    if problems:
        raise InputError(problems)
    return pd.concat(tables, ignore_index=True)


def build(output: Path | None = None, project: Project | None = None) -> Path:
    """Check the reference tables' checksums, tidy both editions, write data/processed/usgs.csv."""
    project = project or Project.here()
    return write_processed(schemas.USGS, tidy_raw(project), output or project.processed_usgs_csv)


def load(path: Path | None = None) -> pd.DataFrame:
    return read_processed(schemas.USGS, path)
