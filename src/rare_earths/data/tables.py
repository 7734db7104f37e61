"""Reading and writing the project's tables, each checked against its schema in `rare_earths.data.schemas`."""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path

import pandas as pd
import pandera.errors

from rare_earths import atomic, observed
from rare_earths.data import schemas
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative

# Processed numbers are written with 12 significant digits: enough to round-trip every figure the
# sources state, and the same text on every platform.
FLOAT_FORMAT = "%.12g"


def _problems_from(
    error: pandera.errors.SchemaErrors, path: Path, id_column: str | None, frame: pd.DataFrame
) -> list[Problem]:
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
        elif check == "finite":
            message = f"{value!r} is not a finite number"
        elif check.startswith("str_matches"):
            message = f"{value!r} does not match the pattern {check.removeprefix('str_matches')}"
        else:
            message = f"{value!r} fails {check}"
        column = case.column if isinstance(case.column, str) else None
        problems.append(Problem(relative(path), message, line_of(index) if index is not None else None, column, row_id))
    return problems


def _decode(data: bytes, path: Path) -> str:
    """The file's text; a byte that is not UTF-8 is named by its line and column, not its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        before = data[line_start : error.start].decode("utf-8", errors="replace")
        # The CSV column: the fields of the line up to the bad byte (a field that spans lines is rare
        # enough that the line and character are then what the reader needs).
        fields = next(csv.reader(io.StringIO(before + "x")), [""])
        header = next(csv.reader(io.StringIO(data.split(b"\n", 1)[0].decode("utf-8", errors="replace"))), [])
        column = header[len(fields) - 1] if line > 1 and len(fields) <= len(header) else None
        message = (
            f"byte 0x{data[error.start]:02x} at character {len(before) + 1} of the line is not UTF-8; "
            "save the file as UTF-8"
        )
        raise InputError([Problem(relative(path), message, line, column)]) from None


def read_csv_records(path: Path) -> tuple[list[str], list[int], list[list[str]]]:
    """(header, start line of each record, records) of a CSV file, read with the csv module.

    A record's line is the file's physical line where the record starts, so a quoted field that
    spans lines (a note with a line break) does not shift the lines of the records after it. Blank
    lines are skipped, as pandas skips them. InputError for a file that cannot be read, is empty,
    is not UTF-8, or has a record whose fields do not match the header.
    """
    observed.note_read(path)
    where = relative(path)
    # A pipe or a device in a table's place would be read forever (or until memory runs out).
    if Path(path).exists() and not Path(path).is_file():
        raise InputError([Problem(where, "is not a regular file: a table is a file of CSV text")])
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError([Problem(where, f"cannot be read: {error.strerror or error}")]) from None
    text = _decode(data, path).removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    lines: list[int] = []
    records: list[list[str]] = []
    problems: list[Problem] = []
    start = 1
    try:
        for row in reader:
            if row and header is None:
                header = row
            elif row:
                if len(row) != len(header):
                    problems.append(
                        Problem(
                            where,
                            f"{len(row)} fields, but the header has {len(header)}"
                            f"{' (a comma in an unquoted field?)' if len(row) > len(header) else ''}",
                            start,
                        )
                    )
                lines.append(start)
                records.append(row)
            start = reader.line_num + 1
    except csv.Error as error:
        why = "a quote opened in this record is never closed" if "end of data" in str(error) else str(error)
        raise InputError([Problem(where, f"not valid CSV in the record that starts here: {why}", start)]) from None
    if header is None:
        raise InputError([Problem(where, "is empty: it needs at least its header line", 1)])
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        problems.append(
            Problem(where, f"column {', '.join(map(repr, repeated))} appears more than once in the header", 1)
        )
    if problems:
        raise InputError(problems)
    return header, lines, records


def read_raw(table: schemas.Table, path: Path | None = None) -> pd.DataFrame:
    """A raw table as strings (empty cell = ""), validated; InputError names every bad cell.

    The frame's index is each record's starting line in the file minus 2, so that
    `errors.line_of(index)` is the line a reader finds the record on (0, 1, 2 ... when no record
    spans lines and no line is blank).
    """
    path = Path(path) if path is not None else Project.here().root / table.path
    header, lines, records = read_csv_records(path)
    frame = pd.DataFrame(
        records, columns=header, index=pd.Index([line - 2 for line in lines], dtype="int64"), dtype=str
    )
    if lines == list(range(2, len(lines) + 2)):
        frame.index = pd.RangeIndex(len(lines))
    id_column = "claim_id" if "claim_id" in table.names else None
    try:
        validated = schemas.schema(table).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as error:
        raise InputError(_problems_from(error, path, id_column, frame)) from None
    _refuse_repeats(validated, table, path)
    return validated


# The columns that tell a curated table's rows apart: a row that repeats another in them says
# nothing new (and a second exclusion of the same number would pass unnoticed as two).
DISTINCT_BY = {schemas.EXCLUSIONS.name: ("source_id", "quote", "number_as_written")}


def _refuse_repeats(frame: pd.DataFrame, table: schemas.Table, path: Path) -> None:
    """InputError naming each row that repeats an earlier one in `DISTINCT_BY`, with both lines."""
    columns = DISTINCT_BY.get(table.name)
    if columns is None:
        return
    first: dict[tuple, int] = {}
    problems = []
    for index, key in zip(frame.index, frame[list(columns)].itertuples(index=False, name=None), strict=True):
        if key in first:
            message = f"repeats line {line_of(first[key])} (the same {', '.join(columns)}): give each row once"
            problems.append(Problem(relative(path), message, line_of(index), columns[-1]))
        else:
            first[key] = index
    if problems:
        raise InputError(problems)


class StaleDataWarning(UserWarning):
    """data/processed/ was built from other inputs than the project now holds."""


def warn_if_stale(project: Project) -> None:
    """A notebook run by hand after data/raw/ or the code changed reads tables that no longer match
    them: say so, and which command rebuilds them (a warning: the tables can still be read)."""
    from rare_earths.build import steps  # here: the build's modules are not needed to read a table

    changed = steps.data_changes(project)
    if changed:
        shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        warnings.warn(
            StaleDataWarning(
                f"{relative(project.processed)}/ is out of date ({shown} changed since it was built): "
                "run `make data` in the project's folder, then run this notebook again"
            ),
            stacklevel=3,
        )


def read_processed(table: schemas.Table, path: Path | None = None) -> pd.DataFrame:
    """A processed table with typed columns, validated against its schema; read from the project's
    data/processed/ (no `path`), a warning if that folder is out of date (`warn_if_stale`)."""
    project = Project.here() if path is None else None
    path = Path(path) if path is not None else project.root / table.path
    if not path.is_file():  # a notebook opened before the data step ran, most likely
        raise InputError(
            [Problem(relative(path), "is missing: the data step makes it; run `make data` in the project's folder")]
        )
    if project is not None:
        warn_if_stale(project)
    dtypes = {column.name: (str if column.kind == "string" else float) for column in table.columns}
    numbers = [column.name for column in table.columns if column.kind == "number"]
    observed.note_read(path)
    frame = pd.read_csv(
        path, dtype=dtypes, keep_default_na=False, na_values={name: [""] for name in numbers}, encoding="utf-8"
    )
    return schemas.schema(table).validate(frame)


def write_processed(table: schemas.Table, frame: pd.DataFrame, path: Path | None = None) -> Path:
    """Validate, then write atomically: a reader sees the old file or the new one, never half."""
    path = Path(path) if path is not None else Project.here().root / table.path
    validated = schemas.schema(table).validate(frame)
    return atomic.write_text(path, validated.to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n"))


# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def for_spreadsheets(table: schemas.Table, path: Path) -> str:
    """A processed table as the site offers it to download: every text cell that a spreadsheet
    would run as a formula (it begins with `FORMULA_STARTS`) is prefixed with an apostrophe, which
    spreadsheets show and do not run; numbers (-5.2) and every other cell are as written."""
    text = Path(path).read_text(encoding="utf-8")
    observed.note_read(path)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    textual = [index for index, name in enumerate(rows[0]) if table.column(name).kind == "string"] if rows else []
    changed = False
    for row in rows[1:]:
        for index in textual:
            if row[index].startswith(FORMULA_STARTS):
                row[index], changed = "'" + row[index], True
    if not changed:
        return text  # byte for byte the processed table
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
