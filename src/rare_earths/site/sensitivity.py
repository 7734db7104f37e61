"""How far each recorded result moves when one parameter moves, from a sweep's results table.

A sweep (`sweep.py`) runs each notebook once per value of the parameters it declares and records
its results with the parameter values as columns. For each result and each parameter its notebook
declares, the swing is the result's range over that parameter's values, the others held at their
defaults: the bars of a tornado chart, widest first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rare_earths.build.results import parameter_text
from rare_earths.data import schemas

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Swing:
    """One parameter's effect on one result: (parameter value, result) at each value swept."""

    parameter: str
    points: tuple[tuple[str, float], ...]

    @property
    def low(self) -> float:
        return min(value for _, value in self.points)

    @property
    def high(self) -> float:
        return max(value for _, value in self.points)

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass(frozen=True)
class Result:
    notebook: str
    name: str
    label: str
    meaning: str
    unit: str
    baseline: float  # at every parameter's default
    swings: tuple[Swing, ...]  # widest first

    @property
    def moved_by(self) -> Swing | None:
        """The parameter that moves the result most, or None if none moves it."""
        return self.swings[0] if self.swings and self.swings[0].width > 0 else None


def _central(row: Any) -> float:
    """A result's value; a range's midpoint."""
    return float(row.value) if not math.isnan(row.value) else (float(row.low) + float(row.high)) / 2


def _others_at(row: Any, at_default: dict[str, str], varied: str | None = None) -> bool:
    """Whether the run held every parameter but `varied` at its default."""
    return all(getattr(row, parameter) == value for parameter, value in at_default.items() if parameter != varied)


def results(sweep: pd.DataFrame, defaults: dict[str, Any]) -> list[Result]:
    """Every result of the sweep with the swing of each parameter its notebook declares, in the
    table's order. A result whose default scenario the sweep lacks is left out (it has no baseline)."""
    own = set(schemas.RESULTS.names)
    parameters = [column for column in sweep.columns if column not in own]
    found = []
    for (notebook, name), rows in sweep.groupby(["notebook", "name"], sort=False):
        declared = [p for p in parameters if (rows[p] != "").all()]
        at_default = {p: parameter_text(defaults[p]) for p in declared}  # as the sweep's table writes it
        base = [row for row in rows.itertuples() if _others_at(row, at_default)]
        if not base:
            continue
        swings = []
        for parameter in declared:
            points = tuple(
                (getattr(row, parameter), _central(row))
                for row in rows.itertuples()
                if _others_at(row, at_default, parameter)
            )
            swings.append(Swing(parameter, points))
        first = base[0]
        found.append(
            Result(
                notebook,
                name,
                first.label,
                first.meaning,
                first.unit,
                _central(first),
                tuple(sorted(swings, key=lambda swing: -swing.width)),
            )
        )
    return found
