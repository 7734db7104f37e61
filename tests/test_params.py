"""The chain's parameters: defaults from params.yaml, overrides checked before anything runs."""

from __future__ import annotations

import pytest
import yaml

from rare_earths import params, paths
from rare_earths.params import ParameterError, parse_assignments, resolve


def test_defaults_come_from_params_yaml():
    declared = yaml.safe_load(paths.PARAMS_YAML.read_text(encoding="utf-8"))
    values = resolve()
    assert set(values) == set(declared)
    assert values["usd_inr"] == declared["usd_inr"]["default"]
    assert isinstance(values["usd_inr"], float)


def test_defaults_are_read_from_the_file_not_hard_coded(tmp_path):
    path = tmp_path / "params.yaml"
    path.write_text(
        "usd_inr:\n  default: 90.5\n  type: float\n  minimum_exclusive: 0\n"
        "  description: test\n  source: test\n",
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


def test_override_with_spaces_and_an_integer():
    values = resolve(parse_assignments([" usd_inr = 86 "]))
    assert values["usd_inr"] == 86.0
    assert isinstance(values["usd_inr"], float)


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
