"""The chain's parameters: defaults, meanings and sources in params.yaml; overrides checked here."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from rare_earths.errors import InputError, Problem
from rare_earths.project import Project, relative

_TYPES = {"float": float, "int": int, "str": str}


class ParameterError(ValueError):
    """A parameter that does not exist, or a value it does not allow."""


class ParameterFileError(InputError):
    """params.yaml itself is malformed: not YAML, or a parameter declared without what it needs."""


# What every declaration must give, and the bounds and vocabularies it may give (with their reasons).
REQUIRED_KEYS = ("default", "type", "description")
BOUNDS = ("minimum", "minimum_exclusive", "maximum_exclusive")


def _declared_name(key: yaml.Node) -> str | None:
    """A parameter's name as declared, or None where the key is not text (a number, a list)."""
    if isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:str":
        return key.value
    return None


def specs(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every parameter's declaration from params.yaml, in file order.

    ParameterFileError, naming the line, for a file that is not YAML or a declaration that lacks a
    default, a known type or a description, gives a bound that is not a number, or whose default
    breaks its own declaration.
    """
    path = path or Project.here().params_yaml
    path = Path(path)
    where = relative(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ParameterFileError([Problem(where, f"cannot be read as UTF-8 text: {error}")]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        declared = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"not valid YAML: {error.problem or error.context}"
        if error.problem and error.context and error.context_mark:  # where the unclosed bracket or block began
            message += f" ({error.context}, line {error.context_mark.line + 1}, column {error.context_mark.column + 1})"
        raise ParameterFileError(
            [Problem(where, message, mark.line + 1 if mark else None, str(mark.column + 1) if mark else None)]
        ) from None
    except yaml.YAMLError as error:
        raise ParameterFileError([Problem(where, f"not valid YAML: {error}")]) from None
    if not isinstance(root, yaml.MappingNode) or not isinstance(declared, dict) or not declared:
        raise ParameterFileError(
            [Problem(where, "must map each parameter's name to its declaration (default, type, description)", 1)]
        )
    problems = []
    seen: set[str] = set()
    for key, _ in root.value:
        name, line = _declared_name(key), key.start_mark.line + 1
        if name is None:
            problems.append(
                Problem(where, f"{key.value!r} is not a parameter name (a name is text, like usd_inr)", line)
            )
            continue
        if name in seen:
            problems.append(
                Problem(where, f"parameter {name} is declared twice; the last declaration would silently win", line)
            )
        seen.add(name)
        spec = declared[name]
        if not isinstance(spec, dict):
            problems.append(
                Problem(
                    where, f"parameter {name}: its declaration must be a mapping with {', '.join(REQUIRED_KEYS)}", line
                )
            )
            continue
        missing = [needed for needed in REQUIRED_KEYS if needed not in spec]
        if missing:
            problems.append(
                Problem(
                    where,
                    f"parameter {name}: no {', '.join(missing)} (every parameter declares {', '.join(REQUIRED_KEYS)})",
                    line,
                )
            )
            continue
        if spec["type"] not in _TYPES:
            problems.append(
                Problem(where, f"parameter {name}: type {spec['type']!r} is not one of {', '.join(_TYPES)}", line)
            )
            continue
        bad_bounds = [
            bound
            for bound in BOUNDS
            if bound in spec and (isinstance(spec[bound], bool) or not isinstance(spec[bound], int | float))
        ]
        if bad_bounds:
            problems.append(Problem(where, f"parameter {name}: {', '.join(bad_bounds)} must be a number", line))
            continue
        try:
            _convert(name, spec, spec["default"])
        except ParameterError as error:
            problems.append(Problem(where, f"its default breaks its own declaration: {error}", line))
        swept = spec.get("sweep", [spec["default"]])
        if not isinstance(swept, list) or not swept:
            problems.append(
                Problem(where, f"parameter {name}: sweep must list the values the default sweep tries", line)
            )
            continue
        for value in swept:
            try:
                _convert(name, spec, value)
            except ParameterError as error:
                problems.append(Problem(where, f"a value of its sweep breaks its own declaration: {error}", line))
    if problems:
        raise ParameterFileError(problems)
    return declared


def _convert(name: str, spec: Mapping[str, Any], value: Any) -> Any:
    kind = spec["type"]
    try:
        converted = _TYPES[kind](value)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(f"parameter {name}: {value!r} is not a {kind}") from None
    if isinstance(converted, float) and not math.isfinite(converted):
        raise ParameterError(f"parameter {name}: must be a finite number, got {value!r}")
    if "allowed" in spec and converted not in spec["allowed"]:
        raise ParameterError(f"parameter {name}: {value!r} is not one of {', '.join(map(str, spec['allowed']))}")
    if "minimum" in spec and not converted >= spec["minimum"]:
        why = f" ({spec['minimum_reason']})" if "minimum_reason" in spec else ""
        raise ParameterError(f"parameter {name}: must be at least {spec['minimum']}{why}, got {value!r}")
    if "minimum_exclusive" in spec and not converted > spec["minimum_exclusive"]:
        raise ParameterError(f"parameter {name}: must be greater than {spec['minimum_exclusive']}, got {value!r}")
    if "maximum_exclusive" in spec and not converted < spec["maximum_exclusive"]:
        why = f" ({spec['maximum_reason']})" if "maximum_reason" in spec else ""
        raise ParameterError(f"parameter {name}: must be less than {spec['maximum_exclusive']}{why}, got {value!r}")
    return converted


def parse_assignments(assignments: Iterable[str]) -> dict[str, str]:
    """["usd_inr=86", ...] -> {"usd_inr": "86", ...}; ParameterError for a parameter given twice."""
    parsed = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"{assignment!r}: write parameters as name=value, e.g. usd_inr=86.0")
        name = name.strip()
        if name in parsed:
            raise ParameterError(
                f"parameter {name} is given twice ({name}={parsed[name]} and {name}={value.strip()}); give it once"
            )
        parsed[name] = value.strip()
    return parsed


def default_grid(path: Path | None = None) -> dict[str, list[Any]]:
    """The sensitivity sweep `make reports` runs: each parameter's `sweep` values in params.yaml
    (the default among them), each parameter that declares some."""
    path = path or Project.here().params_yaml
    return {
        name: [_convert(name, spec, value) for value in spec["sweep"]]
        for name, spec in specs(path).items()
        if "sweep" in spec
    }


def resolve(overrides: Mapping[str, Any] | None = None, path: Path | None = None) -> dict[str, Any]:
    """The defaults with `overrides` applied, every value checked against its declaration."""
    path = path or Project.here().params_yaml
    declared = specs(path)
    unknown = sorted(set(overrides or {}) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    values = {name: spec["default"] for name, spec in declared.items()}
    values.update(overrides or {})
    return {name: _convert(name, declared[name], value) for name, value in values.items()}


def table(path: Path | None = None, **values: Any):
    """The parameters a notebook ran with: value, unit, default and where the default comes from."""
    path = path or Project.here().params_yaml
    import pandas as pd  # here, not at the top: the chain imports this module before any table

    declared = specs(path)
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    rows = [
        {
            "parameter": name,
            "value": str(value),
            "unit": declared[name].get("unit", ""),
            "default": str(declared[name]["default"]),
            "meaning": declared[name]["description"],
            "source of the default": declared[name].get("source", ""),
        }
        for name, value in values.items()
    ]
    return pd.DataFrame(rows).set_index("parameter")
