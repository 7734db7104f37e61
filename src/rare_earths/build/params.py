"""The chain's parameters: defaults, meanings and sources in params.yaml; overrides checked here."""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, TypeAdapter, ValidationError

from rare_earths import observed
from rare_earths.errors import InputError, Problem, said_alone
from rare_earths.project import Project, relative

_TYPES = {"float": float, "int": int, "str": str}
_NUMBER = StrictInt | StrictFloat  # a bound: a number as written (2015 stays 2015), never a bool or a string


class ParameterError(ValueError):
    """A parameter that does not exist, or a value it does not allow."""

    def _render_traceback_(self) -> list[str]:
        return said_alone(self)


class ParameterFileError(InputError):
    """params.yaml itself is malformed: not YAML, or a parameter declared without what it needs."""


# What every declaration must give (`Declaration` says what it may give besides).
REQUIRED_KEYS = ("default", "type", "description")


class Declaration(BaseModel):
    """One parameter's declaration in params.yaml: what it must give, what it may, nothing else (a
    misspelt key is an error, not a bound silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Any
    type: Literal["float", "int", "str"]
    description: str
    label: str | None = None
    unit: str | None = None
    source: str | None = None
    minimum: _NUMBER | None = None
    minimum_reason: str | None = None
    minimum_exclusive: _NUMBER | None = None
    maximum: _NUMBER | None = None
    maximum_exclusive: _NUMBER | None = None
    maximum_reason: str | None = None
    allowed: list[StrictStr | StrictInt | StrictFloat] | None = Field(default=None, min_length=1)
    sweep: list[Any] | None = Field(default=None, min_length=1)

    def convert(self, name: str, value: Any) -> Any:
        """`value` (a default, a sweep value or a `--set` string) as the declared type, within the
        declared bounds and vocabulary; ParameterError naming the parameter and what it allows."""
        if isinstance(value, str):  # as written on the command line: exactly the value, nothing pydantic would forgive
            if value != value.strip():
                raise ParameterError(
                    f"parameter {name}: {value!r} has spaces around it; give the value alone, "
                    f"e.g. {name}={value.strip()} ({self.allows()})"
                )
            if self.type != "str" and "_" in value:
                raise ParameterError(
                    f"parameter {name}: {value!r} has '_' in it; write the number in plain digits, "
                    f"e.g. {name}={value.replace('_', '')} ({self.allows()})"
                )
        try:
            converted = self._values().validate_python(value)
        except ValidationError as error:
            raise ParameterError(f"parameter {name}: {self._refusal(error.errors()[0]['type'], value)}") from None
        if self.allowed is not None and converted not in self.allowed:
            raise ParameterError(f"parameter {name}: {value!r} is not one of {', '.join(map(str, self.allowed))}")
        return converted

    def allows(self) -> str:
        """What it allows, in a few words: "one of MCS2024, MCS2025", "at least 2015, less than 2032"."""
        if self.allowed is not None:
            return f"one of {', '.join(map(str, self.allowed))}"
        bounds = [
            f"{words} {bound}"
            for words, bound in (
                ("at least", self.minimum),
                ("greater than", self.minimum_exclusive),
                ("at most", self.maximum),
                ("less than", self.maximum_exclusive),
            )
            if bound is not None
        ]
        return ", ".join(bounds) or f"any {self.type}"

    def _values(self) -> TypeAdapter:
        bounds = Field(ge=self.minimum, gt=self.minimum_exclusive, le=self.maximum, lt=self.maximum_exclusive)
        if self.type == "float":
            return TypeAdapter(Annotated[float, bounds, Field(allow_inf_nan=False)])
        # A str parameter takes a number written bare in params.yaml as its text.
        return TypeAdapter(Annotated[_TYPES[self.type], bounds], config=ConfigDict(coerce_numbers_to_str=True))

    def _refusal(self, kind: str, value: Any) -> str:
        """What the declaration allows, in the words of params.yaml, for pydantic's error `kind`."""
        minimum_why = f" ({self.minimum_reason})" if self.minimum_reason else ""
        maximum_why = f" ({self.maximum_reason})" if self.maximum_reason else ""
        said = {
            "finite_number": "must be a finite number",
            "greater_than_equal": f"must be at least {self.minimum}{minimum_why}",
            "greater_than": f"must be greater than {self.minimum_exclusive}",
            "less_than_equal": f"must be at most {self.maximum}{maximum_why}",
            "less_than": f"must be less than {self.maximum_exclusive}{maximum_why}",
        }
        if kind in said:
            return f"{said[kind]}, got {value!r}"
        return f"{value!r} is not {'an' if self.type == 'int' else 'a'} {self.type}"


_DECLARATIONS = TypeAdapter(dict[str, Declaration])

# pydantic's error kinds, said of one key of a declaration (pydantic's own message for any other).
_SAID_OF_A_KEY = {
    "missing": f"no {{key}} (every parameter declares {', '.join(REQUIRED_KEYS)})",
    "literal_error": f"{{key}} {{given!r}} is not one of {', '.join(_TYPES)}",
    "int_type": "{key} must be a number",
    "float_type": "{key} must be a number",
    "string_type": "{key} must be text",
    "list_type": "{key} must be a list of values",
    "too_short": "{key} must list at least one value",
    "extra_forbidden": f"{{key}} is not a key of a declaration (one of: {', '.join(Declaration.model_fields)})",
}


def _declared_name(key: yaml.Node) -> str | None:
    """A parameter's name as declared, or None where the key is no name: not text (a number, a
    list), or not a Python identifier, which a notebook's parameters cell could not assign (and
    which pages would show as it is written)."""
    if isinstance(key, yaml.ScalarNode) and key.tag == "tag:yaml.org,2002:str":
        name = key.value
        return name if name.isidentifier() and not keyword.iskeyword(name) else None
    return None


def _read(path: Path, where: str) -> tuple[yaml.Node, Any]:
    """The file as a YAML node tree (for lines and columns) and as Python values."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ParameterFileError([Problem(where, f"cannot be read as UTF-8 text: {error}")]) from None
    try:
        # Parsed once: the node tree, then the values made from it (as yaml.safe_load makes them).
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
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


def _at(where: str, node: yaml.Node, message: str) -> Problem:
    return Problem(where, message, node.start_mark.line + 1, str(node.start_mark.column + 1))


def _names(root: yaml.MappingNode, where: str) -> tuple[list[str], list[Problem]]:
    """The parameters' names in file order, and the keys that are no name or a name declared twice."""
    names, problems = [], []
    for key, _ in root.value:
        name = _declared_name(key)
        if name is None:
            problems.append(
                _at(where, key, f"{key.value!r} is not a parameter name (a name is an identifier, like usd_inr)")
            )
        elif name in names:
            problems.append(
                _at(where, key, f"parameter {name} is declared twice; the last declaration would silently win")
            )
        else:
            names.append(name)
    return names, problems


def _keys_twice(root: yaml.MappingNode, where: str) -> list[Problem]:
    """A key given twice inside one declaration (two `default:`): YAML keeps the last, silently."""
    problems = []
    for key, declaration in root.value:
        if isinstance(declaration, yaml.MappingNode):
            seen: set[str] = set()
            for inner, _ in declaration.value:
                if inner.value in seen:
                    problems.append(
                        _at(
                            where,
                            inner,
                            f"parameter {key.value}: {inner.value} is given twice; the last would silently win",
                        )
                    )
                seen.add(inner.value)
    return problems


def _node(root: yaml.Node, location: tuple) -> yaml.Node:
    """The node of params.yaml an error's location points to: the value at that path (steps past a
    plain value name a type pydantic tried, not a place), or, for a key that is missing, the name
    of the parameter that lacks it."""
    key, here = root, root
    for step in location:
        if isinstance(here, yaml.MappingNode):
            entry = next(((name, value) for name, value in here.value if name.value == str(step)), None)
            if entry is None:
                return key
            key, here = entry
        elif isinstance(here, yaml.SequenceNode) and isinstance(step, int) and step < len(here.value):
            here = here.value[step]
        else:
            return here
    return here


def _schema_problem(root: yaml.Node, where: str, error: dict) -> Problem:
    """One pydantic error of a declaration, located in the file and said in params.yaml's words."""
    name, *rest = error["loc"]
    key = next((str(step) for step in rest if isinstance(step, str)), "")
    if not key:  # the declaration itself is not a mapping
        message = f"its declaration must be a mapping with {', '.join(REQUIRED_KEYS)}"
    else:
        template = _SAID_OF_A_KEY.get(error["type"], "{key}: {message}")
        message = template.format(key=key, given=error.get("input"), message=error["msg"])
    return _at(where, _node(root, error["loc"]), f"parameter {name}: {message}")


def _values_problems(root: yaml.Node, where: str, name: str, declaration: Declaration) -> list[Problem]:
    """A default or a sweep value that breaks its own declaration, each at its place in the file."""
    checked = [(declaration.default, (name, "default"), "its default")]
    checked += [
        (value, (name, "sweep", index), "a value of its sweep") for index, value in enumerate(declaration.sweep or [])
    ]
    problems = []
    for value, location, what in checked:
        try:
            declaration.convert(name, value)
        except ParameterError as error:
            problems.append(_at(where, _node(root, location), f"{what} breaks its own declaration: {error}"))
    return problems


def _load(path: Path | None) -> tuple[dict[str, dict[str, Any]], dict[str, Declaration]]:
    """params.yaml as written (each declaration a dict, in file order) and as checked declarations.

    ParameterFileError, naming the line and column of each problem, for a file that is not YAML, a
    declaration that lacks a default, a known type or a description, gives a bound that is not a
    number or a key no declaration has, or whose default or sweep breaks its own declaration.
    """
    path = Path(path or Project.here().params_yaml)
    observed.note_read(path)  # a page or notebook that shows a declaration is rebuilt when it changes
    where = relative(path)
    root, declared = _read(path, where)
    if not isinstance(root, yaml.MappingNode) or not isinstance(declared, dict) or not declared:
        raise ParameterFileError(
            [Problem(where, "must map each parameter's name to its declaration (default, type, description)", 1)]
        )
    names, problems = _names(root, where)
    problems += _keys_twice(root, where)
    try:
        declarations = _DECLARATIONS.validate_python({name: declared[name] for name in names})
    except ValidationError as error:
        said = [_schema_problem(root, where, each) for each in error.errors()]
        # dict.fromkeys: a bound that is neither int nor float is one problem, not one per member of the union
        raise ParameterFileError(problems + list(dict.fromkeys(said))) from None
    for name, declaration in declarations.items():
        problems += _values_problems(root, where, name, declaration)
    if problems:
        raise ParameterFileError(sorted(problems, key=lambda problem: problem.line or 0))
    return {name: declared[name] for name in names}, declarations


def specs(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Every parameter's declaration from params.yaml, in file order, as written (checked by `Declaration`).

    ParameterFileError, naming the line and column, for a malformed file or declaration (see `_load`).
    """
    return _load(path)[0]


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
        parsed[name] = value  # as given: a value with spaces around it is refused by its declaration
    return parsed


def default_grid(path: Path | None = None) -> dict[str, list[Any]]:
    """The sensitivity sweep `make reports` runs: each parameter's `sweep` values in params.yaml
    (the default among them), each parameter that declares some."""
    return {
        name: [declaration.convert(name, value) for value in declaration.sweep]
        for name, declaration in _load(path)[1].items()
        if declaration.sweep is not None
    }


def resolve(overrides: Mapping[str, Any] | None = None, path: Path | None = None) -> dict[str, Any]:
    """The defaults with `overrides` applied, every value checked against its declaration."""
    declared = _load(path)[1]
    unknown = sorted(set(overrides or {}) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    values = {name: declaration.default for name, declaration in declared.items()}
    values.update(overrides or {})
    return {name: declared[name].convert(name, value) for name, value in values.items()}


def check(path: Path | None = None, **values: Any) -> None:
    """A notebook's parameters as its kernel holds them (edited in JupyterLab, or injected by
    papermill), checked by the rules the command line applies (params.yaml): ParameterError naming
    the parameter and what it allows. A value of another type than declared ('2022' for an int) is
    refused too, as the notebook would use it as it is."""
    declared = _load(path or Project.here().params_yaml)[1]
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(f"unknown parameter {', '.join(unknown)}; known: {', '.join(declared)}")
    for name, value in values.items():
        if isinstance(value, bool):  # a number to Python, but never what a parameter means
            raise ParameterError(
                f"parameter {name}: {value!r} is a bool; params.yaml declares "
                f"{'an' if declared[name].type == 'int' else 'a'} {declared[name].type}"
            )
        converted = declared[name].convert(name, value)
        if type(converted) is not type(value) and not (isinstance(value, int) and isinstance(converted, float)):
            raise ParameterError(
                f"parameter {name}: {value!r} is a {type(value).__name__}; params.yaml declares "
                f"{'an' if declared[name].type == 'int' else 'a'} {declared[name].type} (write it as {converted!r})"
            )


def cell_line(name: str, path: Path | None = None) -> str:
    """The line that declares a parameter in a notebook's parameters cell: its type, default and,
    as a comment, its label, unit and what it allows, which `papermill --help-notebook` shows
    ("usd_inr: float = 84.57  # the rupee–dollar rate, INR per USD; at least 1, at most 1000")."""
    declared = _load(path or Project.here().params_yaml)[1][name]
    meaning = ", ".join(part for part in (declared.label or name, declared.unit) if part)
    default = declared.convert(name, declared.default)
    return f"{name}: {declared.type} = {default!r}  # {meaning}; {declared.allows()}"


def _sentence_case(words: str) -> str:
    """'the rupee–dollar rate' -> 'The rupee–dollar rate' (a label as a table's row begins it)."""
    return words[:1].upper() + words[1:]


def table(path: Path | None = None, **values: Any):
    """The parameters a notebook ran with, checked first (`check`): each by its label, with its name
    in the code, value, unit, default and where the default comes from."""
    path = path or Project.here().params_yaml
    import pandas as pd  # here: pandas costs 0.24 s, which a run with nothing to do (it imports this module) never pays

    check(path, **values)
    declared = specs(path)
    rows = [
        {
            "parameter": _sentence_case(declared[name].get("label", name)),
            "name": name,
            "value": str(value),
            "unit": declared[name].get("unit") or None,  # none: a dash, not an empty cell
            "default": str(declared[name]["default"]),
            "meaning": declared[name]["description"],
            "source of the default": declared[name].get("source", ""),
        }
        for name, value in values.items()
    ]
    return pd.DataFrame(rows).set_index("parameter")
