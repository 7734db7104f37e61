"""The chain's parameters: defaults from params.yaml, overrides checked before anything runs."""

from __future__ import annotations

import re

import pytest
import yaml
from conftest import CHECKOUT

from rare_earths.build import params
from rare_earths.build.params import Declaration, ParameterError, parse_assignments, resolve
from rare_earths.errors import InputError


def test_defaults_come_from_params_yaml():
    declared = yaml.safe_load(CHECKOUT.params_yaml.read_text(encoding="utf-8"))
    values = resolve()
    assert set(values) == set(declared)
    assert values["usd_inr"] == declared["usd_inr"]["default"]
    assert isinstance(values["usd_inr"], float)


def test_defaults_are_read_from_the_file_not_hard_coded(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(
        "usd_inr:\n  default: 90.5\n  type: float\n  minimum_exclusive: 0\n  description: test\n  source: test\n",
        encoding="utf-8",
    )
    assert resolve(path=path) == {"usd_inr": 90.5}


def test_usd_inr_says_what_it_means_and_where_it_comes_from():
    spec = params.specs()["usd_inr"]
    assert isinstance(spec.get("source"), str) and spec["source"].strip()
    assert isinstance(spec.get("description"), str) and spec["description"].strip()


def test_override_on_the_command_line():
    values = resolve(parse_assignments(["usd_inr=86.0"]))
    assert values["usd_inr"] == 86.0
    assert isinstance(values["usd_inr"], float)


def test_override_with_an_integer():
    values = resolve(parse_assignments(["usd_inr=86"]))
    assert values["usd_inr"] == 86.0
    assert isinstance(values["usd_inr"], float)


@pytest.mark.parametrize(
    ("assignment", "said"),
    [
        ("usd_inr=86 ", r"parameter usd_inr: '86 ' has spaces around it; give the value alone, e\.g\. usd_inr=86 \("),
        ("usd_inr= 86", r"parameter usd_inr: ' 86' has spaces around it"),
        (
            "usd_inr=1_000",
            r"parameter usd_inr: '1_000' has '_' in it; write the number in plain digits, e\.g\. usd_inr=1000",
        ),
        ("consumption_base_year=2_024", r"parameter consumption_base_year: '2_024' has '_' in it"),
        ("reference_edition=MCS2025 ", r"parameter reference_edition: 'MCS2025 ' has spaces around it"),
    ],
)
def test_a_value_with_spaces_around_it_or_underscores_in_a_number_is_refused_saying_what_is_allowed(assignment, said):
    with pytest.raises(ParameterError, match=said) as refused:
        resolve(parse_assignments([assignment]))
    name = assignment.split("=")[0]
    assert Declaration(**params.specs()[name]).allows() in str(refused.value)


def test_unknown_parameter_is_named():
    with pytest.raises(ParameterError, match="usd_eur"):
        resolve(parse_assignments(["usd_eur=1.1"]))


@pytest.mark.parametrize("value", ["abc", "", "0", "0.0", "-3", "nan", "inf"])
def test_bad_usd_inr_is_refused_and_named(value):
    with pytest.raises(ParameterError, match="usd_inr"):
        resolve(parse_assignments([f"usd_inr={value}"]))


@pytest.mark.parametrize("assignment", ["usd_inr", "usd_inr 86", "=86", "  =86"])
def test_assignment_must_be_name_equals_value(assignment):
    with pytest.raises(ParameterError, match="name=value"):
        parse_assignments([assignment])


# --- the base year's lower bound; a parameter given twice; a malformed params.yaml ---------------


@pytest.mark.parametrize("value", ["-5", "0", "202", "2014"])
def test_a_base_year_before_the_plausible_years_is_refused(value):
    with pytest.raises(
        ParameterError, match=rf"parameter consumption_base_year: must be at least 2015 \(.*a002-11.*\), got '{value}'"
    ):
        resolve(parse_assignments([f"consumption_base_year={value}"]))


@pytest.mark.parametrize("value", ["2015", "2024", "2031"])
def test_every_plausible_base_year_is_accepted(value):
    assert resolve(parse_assignments([f"consumption_base_year={value}"]))["consumption_base_year"] == int(value)


def test_the_base_years_bounds_are_declared_with_their_reasons():
    spec = params.specs()["consumption_base_year"]
    assert spec["minimum"] <= spec["default"] < spec["maximum_exclusive"]
    assert "a002" in spec["minimum_reason"] and "2025" in spec["minimum_reason"]


def test_a_parameter_given_twice_is_refused_and_named():
    with pytest.raises(
        ParameterError, match=r"parameter usd_inr is given twice \(usd_inr=86 and usd_inr=87\); give it once"
    ):
        parse_assignments(["usd_inr=86", "usd_inr=87"])
    with pytest.raises(ParameterError, match="usd_inr is given twice"):
        parse_assignments(["usd_inr=86", " usd_inr =86"])


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400"])
def test_a_rate_that_is_not_a_finite_number_is_refused(value):
    with pytest.raises(ParameterError, match=rf"parameter usd_inr: must be a finite number, got '{value}'"):
        resolve(parse_assignments([f"usd_inr={value}"]))


def test_the_command_line_refuses_a_parameter_given_twice_before_anything_runs(project, monkeypatch, capsys):
    from rare_earths import __main__ as cli
    from rare_earths.build import chain, steps

    def must_not_run(*args, **kwargs):
        raise AssertionError("a step ran with a bad parameter")

    monkeypatch.setattr(steps, "build_data", must_not_run)
    monkeypatch.setattr(chain, "run", must_not_run)
    for arguments, message in (
        (["--set", "usd_inr=86", "--set", "usd_inr=87"], "parameter usd_inr is given twice"),
        (["--set", "consumption_base_year=202"], "must be at least 2015"),
        (["--set", "usd_inr=nan"], "must be a finite number"),
    ):
        assert cli.main(["--project", str(project.root), "run", *arguments]) == 1
        error = capsys.readouterr().err  # one error line (a line saying the run waits for another may come first)
        assert [line for line in error.splitlines() if line.startswith("error")] == [error.splitlines()[-1]]
        assert error.splitlines()[-1].startswith("error: parameter ") and message in error and "Traceback" not in error


GOOD = "usd_inr:\n  default: 90.5\n  type: float\n  minimum_exclusive: 0\n  description: test\n"
MALFORMED = [
    (
        "usd_inr:\n  type: float\n  description: test\n",
        "params.yaml, line 1, column 1: parameter usd_inr: no default (every parameter declares default, type, description)",
    ),
    (GOOD + "  source: [unclosed\n", "params.yaml, line 7, column 1: not valid YAML"),
    ("usd_inr: 90.5\n", "params.yaml, line 1, column 10: parameter usd_inr: its declaration must be a mapping"),
    ("- usd_inr\n", "params.yaml, line 1: must map each parameter's name to its declaration"),
    ("", "params.yaml, line 1: must map each parameter's name"),
    (
        GOOD.replace("float", "decimal"),
        "params.yaml, line 3, column 9: parameter usd_inr: type 'decimal' is not one of float, int, str",
    ),
    (
        GOOD.replace("90.5", "-1"),
        "params.yaml, line 2, column 12: its default breaks its own declaration: parameter usd_inr: must be greater than 0, got -1",
    ),
    (
        GOOD.replace("minimum_exclusive: 0", "minimum_exclusive: zero"),
        "params.yaml, line 4, column 22: parameter usd_inr: minimum_exclusive must be a number",
    ),
    (GOOD + GOOD, "params.yaml, line 6, column 1: parameter usd_inr is declared twice"),
    (
        "1:\n  default: 1\n  type: int\n  description: test\n",
        "params.yaml, line 1, column 1: '1' is not a parameter name",
    ),
    (
        GOOD.replace("minimum_exclusive", "minimum_exlusive"),
        "params.yaml, line 4, column 21: parameter usd_inr: minimum_exlusive is not a key of a declaration (one of: default, type, description,",
    ),
    (
        GOOD + "  sweep: 80\n",
        "params.yaml, line 6, column 10: parameter usd_inr: sweep must be a list of values",
    ),
]


@pytest.mark.parametrize(("text", "message"), MALFORMED, ids=range(len(MALFORMED)))
def test_a_malformed_params_yaml_is_one_located_error(tmp_path, text, message):
    path = tmp_path / "params.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        resolve(path=path)


def test_the_command_line_reports_a_malformed_params_yaml(project, capsys):
    from rare_earths import __main__ as cli

    project.params_yaml.write_text(GOOD + "  source: [unclosed\n", encoding="utf-8")
    assert cli.main(["--project", str(project.root), "run", "--set", "usd_inr=86"]) == 1
    error = capsys.readouterr().err
    assert "params.yaml, line 7, column 1: not valid YAML" in error and "Traceback" not in error
    assert not project.processed.exists(), "nothing runs before the parameters are read"


def test_the_default_sweep_is_each_parameters_sweep_values_with_its_default():
    grid = params.default_grid()
    specs = params.specs()
    assert set(grid) == {name for name, spec in specs.items() if "sweep" in spec} and grid
    for name, values in grid.items():
        assert specs[name]["default"] in values, (
            f"{name}: the sweep leaves out the default, the sensitivity page's baseline"
        )
        assert len(set(values)) == len(values) >= 2


def test_a_sweep_value_the_parameter_does_not_allow_is_refused_with_its_line(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(
        "usd_inr:\n  default: 84.57\n  type: float\n  minimum_exclusive: 0\n  sweep: [80, -1]\n  description: test\n",
        encoding="utf-8",
    )
    with pytest.raises(
        params.ParameterFileError,
        match=r"params.yaml, line 5, column 15: a value of its sweep breaks its own declaration: parameter usd_inr: must be greater than 0, got -1",
    ):
        params.specs(path)


def test_an_inclusive_maximum_admits_its_bound_and_refuses_above_it(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(
        "recycling_rate:\n  default: 5.0\n  type: float\n  minimum: 0\n  maximum: 100\n"
        "  maximum_reason: a share of the whole\n  description: A share of demand met by recycling.\n",
        encoding="utf-8",
    )
    assert params.resolve({"recycling_rate": "100"}, path)["recycling_rate"] == 100.0
    with pytest.raises(
        ParameterError, match=r"recycling_rate: must be at most 100 \(a share of the whole\), got '100.5'"
    ):
        params.resolve({"recycling_rate": "100.5"}, path)


def test_reading_the_declarations_is_recorded_as_a_read_of_params_yaml(project):
    """A page or notebook that shows a parameter's description or source is rebuilt when it changes."""
    from rare_earths import observed

    point = observed.mark()
    params.specs(project.params_yaml)
    assert str(project.params_yaml.resolve()) in observed.reads_since(point)


def test_a_key_given_twice_in_a_declaration_is_refused_with_its_line(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(
        "usd_inr:\n  default: 84.57\n  type: float\n  default: 90.0\n  description: Rupees per dollar.\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"line 4, column 3: parameter usd_inr: default is given twice"):
        params.specs(path)


@pytest.mark.parametrize("name", ["usd-inr", "<b>rate</b>", "2024", "class", "usd inr"])
def test_a_parameter_name_must_be_an_identifier(tmp_path, name):
    path = tmp_path / "params.yaml"
    path.write_text(f"'{name}':\n  default: 1.0\n  type: float\n  description: A rate.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1, column 1: .* is not a parameter name \(a name is an identifier"):
        params.specs(path)


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"consumption_base_year": 2040}, "parameter consumption_base_year: must be less than 2032"),
        ({"consumption_base_year": "2022"}, "'2022' is a str; params.yaml declares an int (write it as 2022)"),
        ({"reference_edition": "MCS2023"}, "parameter reference_edition: 'MCS2023' is not one of MCS2024, MCS2025"),
        ({"usd_inr": -1.0}, "parameter usd_inr: must be at least 1 (the rupee has never been worth a US dollar"),
        ({"usd_inr": 1e-310}, "parameter usd_inr: must be at least 1"),
        ({"usd_inr": True}, "parameter usd_inr: True is a bool; params.yaml declares a float"),
        (
            {"consumption_base_year": True},
            "parameter consumption_base_year: True is a bool; params.yaml declares an int",
        ),
        ({"no_such": 1}, "unknown parameter no_such"),
    ],
)
def test_a_notebooks_parameters_are_checked_in_the_notebook_by_the_command_lines_rules(values, says):
    """The case: in JupyterLab or papermill, `consumption_base_year = 2040` failed at cells 7 and
    11, '2022' was a TypeError and MCS2023 a KeyError deep in pandas. Each notebook's parameters
    table (`params.table`, its second cell) checks them first, with the command line's words."""
    with pytest.raises(params.ParameterError, match=re.escape(says)):
        params.table(CHECKOUT.params_yaml, **values)
    params.check(CHECKOUT.params_yaml, usd_inr=85, consumption_base_year=2022, reference_edition="MCS2024")


def test_in_a_notebook_a_bad_parameter_is_its_message_alone():
    """IPython shows an error's `_render_traceback_` in place of its traceback: a notebook run by
    hand (JupyterLab, papermill) shows the parameter and what it allows, not the library's frames."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shown = []
    shell._showtraceback = lambda kind, value, lines: shown.extend(lines)
    shell.run_cell(
        f"from rare_earths.build import params\nparams.check({str(CHECKOUT.params_yaml)!r}, consumption_base_year=2040)"
    )
    assert shown == [
        "ParameterError: parameter consumption_base_year: must be less than 2032 (the base year must come before "
        "2032, the year of India's expected consumption (a002-12)), got 2040"
    ]
