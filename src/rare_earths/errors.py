"""Errors about input data that name the file, the line and the column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row, or file) of an input."""

    file: str  # relative to the repository
    message: str
    line: int | None = None  # line in the file, header = line 1
    column: str | None = None
    row_id: str | None = None  # the row's id (a claim_id), where it has one

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(f"column {self.column}")
        located = ", ".join(where) + (f" ({self.row_id})" if self.row_id else "")
        return f"{located}: {self.message}"


class InputError(Exception):
    """Bad input: every problem found, so one run shows everything there is to fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} in the input data; nothing was written:"
        super().__init__("\n".join([header, *(f"  {problem}" for problem in self.problems)]))

    def _render_traceback_(self) -> list[str]:
        return said_alone(self)


def said_alone(error: Exception) -> list[str]:
    """What IPython shows for an error that says all there is to say (its `_render_traceback_`):
    its message, without the library's frames, so a notebook run by hand shows one clear error."""
    return f"{type(error).__name__}: {error}".splitlines()


def line_of(index: int) -> int:
    """The file line of a DataFrame row read from a CSV with one header line.

    `tables.read_raw` indexes each row by the line its record starts on, minus 2, so this is the
    file's physical line even after a quoted field that spans lines or a blank line.
    """
    return int(index) + 2
