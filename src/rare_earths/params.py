"""The chain's parameters: defaults, meanings and sources in params.yaml; overrides checked here."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from . import paths

_TYPES = {"float": float, "int": int, "str": str}


class ParameterError(ValueError):
    """A parameter that does not exist, or a value it does not allow."""


def specs(path: Path = paths.PARAMS_YAML) -> dict[str, dict[str, Any]]:
    """Every parameter's declaration from params.yaml, in file order."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def _convert(name: str, spec: Mapping[str, Any], value: Any) -> Any:
    kind = spec["type"]
    try:
        converted = _TYPES[kind](value)
    except (TypeError, ValueError):
        raise ParameterError(f"parameter {name}: {value!r} is not a {kind}") from None
    if isinstance(converted, float) and not math.isfinite(converted):
        raise ParameterError(f"parameter {name}: must be a finite number, got {value!r}")
    if "allowed" in spec and converted not in spec["allowed"]:
        raise ParameterError(f"parameter {name}: {value!r} is not one of {', '.join(map(str, spec['allowed']))}")
    if "minimum_exclusive" in spec and not converted > spec["minimum_exclusive"]:
        raise ParameterError(f"parameter {name}: must be greater than {spec['minimum_exclusive']}, got {value!r}")
    if "maximum_exclusive" in spec and not converted < spec["maximum_exclusive"]:
        why = f" ({spec['maximum_reason']})" if "maximum_reason" in spec else ""
        raise ParameterError(f"parameter {name}: must be less than {spec['maximum_exclusive']}{why}, got {value!r}")
    return converted


def parse_assignments(assignments: Iterable[str]) -> dict[str, str]:
    """["usd_inr=86", ...] -> {"usd_inr": "86", ...}."""
    parsed = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"{assignment!r}: write parameters as name=value, e.g. usd_inr=86.0")
        parsed[name.strip()] = value.strip()
    return parsed


def resolve(overrides: Mapping[str, Any] | None = None, path: Path = paths.PARAMS_YAML) -> dict[str, Any]:
    """The defaults with `overrides` applied, every value checked against its declaration."""
    declared = specs(path)
    unknown = sorted(set(overrides or {}) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    values = {name: spec["default"] for name, spec in declared.items()}
    values.update(overrides or {})
    return {name: _convert(name, declared[name], value) for name, value in values.items()}


def table(path: Path = paths.PARAMS_YAML, **values: Any):
    """The parameters a notebook ran with: value, unit, default and where the default comes from."""
    import pandas as pd  # here, not at the top: the chain imports this module before any table

    declared = specs(path)
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    rows = [{"parameter": name, "value": str(value), "unit": declared[name].get("unit", ""), "default": str(declared[name]["default"]),
             "meaning": declared[name]["description"], "source of the default": declared[name].get("source", "")}
            for name, value in values.items()]
    return pd.DataFrame(rows).set_index("parameter")
