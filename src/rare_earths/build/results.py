"""Key results, recorded by the notebooks' own code, and the numeric regression test built on them.

A notebook states each of its key results once, in a cell:

    results.record("implied_cagr_high", cagr, claims=["a002-11", "a002-12"],
                   meaning="India's implied consumption growth to 2032, from the earliest base year.")

`record` shows a short line for the reader ("**Implied cagr high**: 3.03 %/yr (claims a002-11,
a002-12)") and puts the result, as JSON, in the same output under the MIME type `MIME_TYPE`, so the
executed notebook is itself the record: nothing is written beside it. `collect` reads a notebook's
results back in cell order, `table` makes one table of many notebooks' (with the parameters they ran
with, for a sweep), `write` and `read` keep it as CSV (`schemas.RESULTS`), and `compare` tells
what changed between two such tables beyond each result's stated tolerance.

A value is a pint Quantity of the project's registry, or a (low, high) pair of them for a range;
it stays a Quantity until it is shown. Each result states the relative tolerance its regression test
allows (`DEFAULT_TOLERANCE` unless it says otherwise: a result computed through a numerical method
may state a looser one).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rare_earths import atomic, vocabulary
from rare_earths.errors import InputError, Problem
from rare_earths.project import relative

MIME_TYPE = "application/vnd.rare-earths.result+json"
DEFAULT_TOLERANCE = 1e-9  # relative: results are recomputed exactly, so only rounding may differ
FLOAT_FORMAT = "%.12g"  # as the processed tables are written (`tables.FLOAT_FORMAT`)
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
CLAIM_PATTERN = re.compile(vocabulary.ID_PATTERNS["claim_id"])
COLUMNS = ("notebook", "name", "label", "value", "low", "high", "unit", "claims", "meaning", "tolerance")
NUMBERS = ("value", "low", "high", "tolerance")


class ResultRepeated(InputError):
    """A notebook recorded two results under one name; `cell` is the first cell that repeated one."""

    def __init__(self, problems: list[Problem], cell: int):
        super().__init__(problems)
        self.cell = cell


# --- recording, in a notebook --------------------------------------------------------------------


def _quantity(value: Any, what: str):
    from rare_earths.data.units import ureg  # here: pint costs 0.26 s, which a run with nothing to do never pays

    if not isinstance(value, ureg.Quantity):
        raise TypeError(
            f"{what} must be a pint Quantity of the project's registry (rare_earths.data.units.ureg), got {type(value).__name__}"
        )
    magnitude = value.magnitude
    try:
        number = float(magnitude)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be one number with its unit, got {magnitude!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {number!r}")
    return number, value.units


def result(
    name: str,
    value: Any,
    *,
    claims: Iterable[str],
    meaning: str,
    tolerance: float = DEFAULT_TOLERANCE,
    label: str | None = None,
) -> dict[str, Any]:
    """The record of one result, as JSON stores it; ValueError or TypeError naming what is wrong.

    `value` is a Quantity, or a (low, high) pair of Quantities in units that convert to each other
    (the high end is converted to the low end's unit). `label` names it for the reader; by default its
    name in words ("implied_cagr_high" -> "Implied cagr high").
    """
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(
            f"result name {name!r}: write it in snake_case (lower-case letters, digits and _), e.g. implied_cagr_high"
        )
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"result {name}: a range is a (low, high) pair, got {len(value)} values")
        low_quantity, high_quantity = value
        low, unit = _quantity(low_quantity, f"result {name}: the low end")
        _quantity(high_quantity, f"result {name}: the high end")
        try:
            high = float(high_quantity.to(unit).magnitude)
        except Exception as error:  # pint's DimensionalityError
            raise ValueError(f"result {name}: the range's ends are in units that do not convert ({error})") from None
        if low > high:
            raise ValueError(f"result {name}: the range's low end {low!r} is above its high end {high!r}")
        point = None
    else:
        point, unit = _quantity(value, f"result {name}")
        low = high = point
    claims = [claims] if isinstance(claims, str) else list(claims)
    bad = [claim for claim in claims if not isinstance(claim, str) or not CLAIM_PATTERN.match(claim)]
    if bad:
        raise ValueError(f"result {name}: {', '.join(map(repr, bad))} is not a claim id (a000-01)")
    if len(set(claims)) != len(claims):
        raise ValueError(f"result {name}: a claim is named twice in {claims}")
    if not isinstance(meaning, str) or not meaning.strip() or "\n" in meaning:
        raise ValueError(f"result {name}: give its meaning in one line")
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or not 0 <= tolerance < 1:
        raise ValueError(
            f"result {name}: the tolerance is a relative one, from 0 up to (not including) 1, got {tolerance!r}"
        )
    return {
        "name": name,
        "label": label or name.replace("_", " ").capitalize(),
        "value": point,
        "low": low,
        "high": high,
        "unit": str(unit),  # the registry's own string for it ("%", "t / yr"), which it parses back
        "claims": claims,
        "meaning": meaning.strip(),
        "tolerance": float(tolerance),
    }


def shown(record: Mapping[str, Any]) -> str:
    """A result's value for a reader, as a sentence writes it (`text.show_recorded`): '3.03%',
    '2.57–3.03% a year', '15,400 t'."""
    from rare_earths import text  # here: text costs 0.65 s (pint, pandas), which a run with nothing to do never pays

    if record["value"] is not None and not _is_nan(record["value"]):
        return text.show_recorded(record["value"], record["unit"])
    return f"{text.number(record['low'])}–{text.show_recorded(record['high'], record['unit'])}"


def _cited(record: Mapping[str, Any]) -> str:
    claims = list(record["claims"])
    return f" ({'claim' if len(claims) == 1 else 'claims'} {', '.join(claims)})" if claims else ""


def line(record: Mapping[str, Any]) -> str:
    """The line a notebook shows for a result, in Markdown. The label is escaped: Markdown passes
    HTML through, and a page renders this line (claim ids are checked, values are formatted)."""
    return f"**{html.escape(record['label'], quote=False)}**: {shown(record)}{_cited(record)}"


def plain_line(record: Mapping[str, Any]) -> str:
    """The same line as plain text, as a script run prints it."""
    return f"{record['label']}: {shown(record)}{_cited(record)}"


def bundle(record: Mapping[str, Any]) -> dict[str, Any]:
    """The display output of a result: the line for readers, and the record under MIME_TYPE."""
    return {"text/plain": plain_line(record), "text/markdown": line(record), MIME_TYPE: dict(sorted(record.items()))}


def record(
    name: str,
    value: Any,
    *,
    claims: Iterable[str],
    meaning: str,
    tolerance: float = DEFAULT_TOLERANCE,
    label: str | None = None,
) -> None:
    """Record one key result of the notebook running this cell: show its line, keep its record in
    the cell's output. Names are unique within a notebook (`collect` refuses a notebook that repeats one)."""
    data = bundle(result(name, value, claims=claims, meaning=meaning, tolerance=tolerance, label=label))
    from IPython import get_ipython  # here: IPython costs 0.04 s, which a run with nothing to do never pays

    if get_ipython() is None:  # run as a plain script: the line is all there is to show
        print(data["text/plain"])
        return
    from IPython.display import display  # here: as get_ipython, above

    display(data, raw=True)


# --- reading them back ---------------------------------------------------------------------------


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def collect(notebook) -> list[dict[str, Any]]:
    """Every result an executed notebook recorded, in cell order. `notebook` is a path or a
    NotebookNode (or its JSON as a dict). InputError for a result recorded twice under one name."""
    where = relative(notebook) if isinstance(notebook, str | Path) else "the notebook"
    if isinstance(notebook, str | Path):
        try:
            notebook = json.loads(Path(notebook).read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as error:
            raise InputError([Problem(where, f"is not a readable notebook: {error}")]) from None
    found, seen, problems, cells = [], set(), [], []
    for position, cell in enumerate(notebook.get("cells", []), start=1):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {}) if output.get("output_type") in ("display_data", "execute_result") else {}
            if MIME_TYPE not in data:
                continue
            payload = data[MIME_TYPE]
            entry = json.loads(payload) if isinstance(payload, str) else dict(payload)
            if entry["name"] in seen:
                cell_number = cell.get("execution_count") or position  # as the chain names a cell: its execution count
                cells.append(cell_number)
                problems.append(
                    Problem(
                        where,
                        f"result {entry['name']} is recorded twice (again in cell {cell_number}); "
                        "give each result its own name",
                    )
                )
            seen.add(entry["name"])
            found.append(entry)
    if problems:
        raise ResultRepeated(problems, cells[0])
    return found


def parameter_text(value: Any) -> str:
    """A parameter's value as a table and a folder name show it: 80, 84.57, 2024, MCS2025."""
    if isinstance(value, float):
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def rows(
    records: Iterable[Mapping[str, Any]], notebook: str, scenario: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """One table row per result of one notebook; a column per parameter of `scenario`."""
    nan = float("nan")
    return [
        {
            "notebook": notebook,
            "name": entry["name"],
            "label": entry["label"],
            "value": nan if entry["value"] is None else float(entry["value"]),
            "low": float(entry["low"]),
            "high": float(entry["high"]),
            "unit": entry["unit"],
            "claims": vocabulary.SEPARATOR.join(entry["claims"]),
            "meaning": entry["meaning"],
            "tolerance": float(entry["tolerance"]),
            **{parameter: parameter_text(value) for parameter, value in (scenario or {}).items()},
        }
        for entry in records
    ]


def frame(table_rows: Iterable[Mapping[str, Any]], parameters: Iterable[str] = ()):
    """The rows as a table with the results' columns (typed, also when there is no row), then one
    column per parameter, empty where a row has none."""
    import pandas as pd  # here: pandas costs 0.24 s, which a run with nothing to do never pays

    parameters = list(parameters)
    columns = [*COLUMNS, *parameters]
    built = pd.DataFrame([{column: row.get(column, "") for column in columns} for row in table_rows], columns=columns)
    return built.astype({column: (float if column in NUMBERS else str) for column in columns})


def table(executed_dir: Path, names: Iterable[str], scenario: Mapping[str, Any] | None = None):
    """The results of the executed notebooks `names` in `executed_dir`, in that order: a DataFrame
    with the columns of `schemas.RESULTS`, plus one per parameter of `scenario` (the values they
    ran with), if given."""
    found = [row for name in names for row in rows(collect(Path(executed_dir) / name), name, scenario)]
    return frame(found, scenario or {})


def validated(results):
    """The table checked against `schemas.RESULTS` (its own columns; a parameter column holds text)."""
    # here: pandas and pandera (schemas) cost 0.35 s, which a run with nothing to do never pays
    import pandas as pd

    from rare_earths.data import schemas

    own = schemas.schema(schemas.RESULTS).validate(results[list(schemas.RESULTS.names)])
    parameters = [column for column in results.columns if column not in schemas.RESULTS.names]
    return pd.concat([own, results[parameters].astype(str)], axis=1)


def write(results, path: Path) -> Path:
    """Validate, then write the table as CSV atomically (12 significant digits, as the processed tables)."""
    text = validated(results).to_csv(index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    return atomic.write_text(Path(path), text)


def read(path: Path):
    """A results table as `write` wrote it, typed and validated."""
    import pandas as pd  # here: pandas costs 0.24 s, which a run with nothing to do never pays

    header = pd.read_csv(path, nrows=0, encoding="utf-8").columns
    dtypes = {column: (float if column in NUMBERS else str) for column in header}
    loaded = pd.read_csv(
        path, dtype=dtypes, keep_default_na=False, na_values={column: [""] for column in NUMBERS}, encoding="utf-8"
    )
    return validated(loaded)


def ran_with(notebook: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters an executed notebook ran with: its defaults, overridden as papermill recorded."""
    record = notebook.get("metadata", {}).get("papermill", {})
    return {**record.get("default_parameters", {}), **(record.get("parameters") or {})}


def chain_table(executed_dir: Path, names: Iterable[str]):
    """The chain's results: every executed notebook's results, in chain order, each row with the
    parameters its notebook ran with (a column per parameter, empty where a notebook does not
    declare it), so notebooks run alone with other values (--only --set) are told apart, never
    mixed unseen."""
    found, parameters = [], {}
    for name in names:
        if (Path(executed_dir) / name).is_file():
            notebook = json.loads((Path(executed_dir) / name).read_text(encoding="utf-8"))
            values = ran_with(notebook)
            parameters.update(dict.fromkeys(values))
            found += rows(collect(notebook), name, values)
    return frame(found, parameters)


def build(executed_dir: Path, names: Iterable[str], path: Path) -> Path:
    """The chain's results table (`chain_table`), written to `path`."""
    return write(chain_table(executed_dir, names), path)


# --- the regression test -------------------------------------------------------------------------


def _short(notebook: str) -> str:
    """A notebook as a message names it: its number ('04-demand.ipynb' -> '04'), else its stem."""
    stem = Path(notebook).stem
    number = re.match(r"^\d+", stem)
    return number.group() if number else stem


def _said(row: Mapping[str, Any], digits: int = 3) -> str:
    """A table row's value with `digits` significant digits and its unit: '3.03 %', '2.57–3.03 %/yr'."""
    # here: text and pint cost 0.65 s, which a run with nothing to do never pays
    from rare_earths import text
    from rare_earths.data.units import ureg

    unit = f" {ureg.Unit(row['unit']):~P}" if row["unit"] else ""
    if not _is_nan(row["value"]):
        return f"{text.number(row['value'], digits, trim=False)}{unit}"
    return f"{text.number(row['low'], digits, trim=False)}–{text.number(row['high'], digits, trim=False)}{unit}"


def _change(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """'3.03 % → 3.1 %', with as few significant digits (3 at least) as tell the two apart."""
    for digits in range(3, 18):
        if _said(old, digits) != _said(new, digits):
            return f"{_said(old, digits)} → {_said(new, digits)}"
    return f"{_said(old, 17)} → {_said(new, 17)}"


def _close(expected: float, actual: float, tolerance: float) -> bool:
    if _is_nan(expected) or _is_nan(actual):
        return _is_nan(expected) and _is_nan(actual)
    return math.isclose(expected, actual, rel_tol=tolerance, abs_tol=0.0)


def compare(expected, actual) -> list[str]:
    """What changed from `expected` to `actual` (two results tables), one message per result: a value
    beyond the result's tolerance (as the expected table states it), a unit that no longer converts,
    a result missing or new. A result is its notebook and name, and its scenario's parameters where
    the tables have them. No message: the results hold."""
    from rare_earths.data.units import ureg  # here: pint costs 0.26 s, which a run with nothing to do never pays

    keys = [
        "notebook",
        "name",
        *sorted({column for results in (expected, actual) for column in results.columns if column not in COLUMNS}),
    ]

    def indexed(results) -> dict[tuple, dict]:
        records = results.to_dict("records")
        return {
            tuple("" if _is_nan(row.get(column, "")) else str(row.get(column, "")) for column in keys): row
            for row in records
        }

    def named(key: tuple) -> str:
        scenario = ", ".join(f"{column}={value}" for column, value in zip(keys[2:], key[2:], strict=True) if value)
        return f"{_short(key[0])} {key[1]}" + (f" ({scenario})" if scenario else "")

    before, after = indexed(expected), indexed(actual)
    messages = []
    for key, old in before.items():
        new = after.get(key)
        if new is None:
            messages.append(f"{named(key)}: missing (was {_said(old)})")
            continue
        if new["unit"] != old["unit"]:
            try:
                factor = float(ureg.Quantity(1.0, new["unit"]).to(old["unit"]).magnitude)
            except Exception:  # pint's DimensionalityError, or a unit the registry no longer knows
                messages.append(f"{named(key)}: {_said(old)} → {_said(new)}, in a unit that does not convert")
                continue
            new = {**new, "unit": old["unit"], **{field: new[field] * factor for field in ("value", "low", "high")}}
        tolerance = float(old["tolerance"])
        if not all(_close(old[field], new[field], tolerance) for field in ("value", "low", "high")):
            messages.append(f"{named(key)}: {_change(old, new)}")
    messages += [f"{named(key)}: new ({_said(row)})" for key, row in after.items() if key not in before]
    return messages
