"""Reading and writing the project's tables, each checked against its schema in `metadata`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.errors

from . import atomic, metadata
from .errors import InputError, Problem, line_of
from .paths import ROOT, relative

# Processed numbers are written with 12 significant digits: enough to round-trip every figure the
# sources state, and the same text on every platform.
FLOAT_FORMAT = "%.12g"


def _problems_from(error: pandera.errors.SchemaErrors, path: Path, id_column: str | None, frame: pd.DataFrame) -> list[Problem]:
    problems = []
    cases = error.failure_cases.sort_values(["index", "column"], na_position="first", key=lambda s: s.astype(str))
    for case in cases.itertuples(index=False):
        index = case.index if pd.notna(case.index) else None
        row_id = None
        if index is not None and id_column in frame.columns:
            row_id = str(frame.at[index, id_column]) or None
        check = str(case.check)
        value = case.failure_case
        if check.startswith("column_in_dataframe") or check.startswith("column_in_schema"):
            message = f"column {value!r} missing" if "in_dataframe" in check else f"unexpected column {value!r}"
        elif check == "field_uniqueness" or "unique" in check:
            message = f"duplicate value {value!r}: must be unique"
        elif check == "str_length(1, None)":
            message = "empty, but required"
        elif check.startswith("isin"):
            message = f"{value!r} is not in the allowed vocabulary (see docs/data-dictionary.md)"
        elif check.startswith("str_matches"):
            message = f"{value!r} does not match the pattern {check.removeprefix('str_matches')}"
        else:
            message = f"{value!r} fails {check}"
        column = case.column if isinstance(case.column, str) else None
        problems.append(Problem(relative(path), message, line_of(index) if index is not None else None, column, row_id))
    return problems


def read_raw(table: metadata.Table, path: Path | None = None) -> pd.DataFrame:
    """A raw table as strings (empty cell = ""), validated; InputError names every bad cell."""
    path = Path(path) if path is not None else ROOT / table.path
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError([Problem(relative(path), f"cannot be read as UTF-8 CSV: {error}")]) from error
    id_column = "claim_id" if "claim_id" in table.names else None
    try:
        return metadata.schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        raise InputError(_problems_from(error, path, id_column, frame)) from None


def read_processed(table: metadata.Table, path: Path | None = None) -> pd.DataFrame:
    """A processed table with typed columns, validated against its schema."""
    path = Path(path) if path is not None else ROOT / table.path
    dtypes = {column.name: (str if column.kind == "string" else float) for column in table.columns}
    numbers = [column.name for column in table.columns if column.kind == "number"]
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values={name: [""] for name in numbers}, encoding="utf-8")
    return metadata.schema(table).validate(frame)


def write_processed(table: metadata.Table, frame: pd.DataFrame, path: Path | None = None) -> Path:
    """Validate, then write atomically: a reader sees the old file or the new one, never half."""
    path = Path(path) if path is not None else ROOT / table.path
    validated = metadata.schema(table).validate(frame)
    return atomic.write_text(path, validated.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n"))
