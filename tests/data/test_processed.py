"""Reading the project's tables (rare_earths.data.tables): from data/processed/ as a notebook does, a
missing table names the command that makes it, and tables built from other inputs than the project
now holds are flagged with the same command; a table that is not a file is refused, not read."""

from __future__ import annotations

import warnings

import pytest

from rare_earths.build import steps
from rare_earths.data import claims
from rare_earths.data.tables import StaleDataWarning
from rare_earths.errors import InputError


def test_a_table_read_before_the_data_step_names_the_command_that_makes_it(project, monkeypatch):
    monkeypatch.chdir(project.root)
    with pytest.raises(InputError, match=r"data/processed/claims.csv: is missing: .* run `make data`"):
        claims.load()


def test_tables_built_from_other_inputs_are_flagged_with_the_command_that_rebuilds_them(project, monkeypatch):
    steps.build_data(project)
    monkeypatch.chdir(project.root)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims.load()  # current: no warning
    raw = project.raw_claims_csv
    raw.write_text(raw.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.warns(
        StaleDataWarning, match=r"data/processed/ is out of date \(data/raw/claims.csv changed .*make data"
    ):
        table = claims.load()
    assert len(table) > 0, "the tables can still be read"
    steps.build_data(project)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims.load()


def test_a_pipe_in_a_tables_place_is_refused_not_read_forever(project, monkeypatch):
    import os

    project.subjects_csv.unlink()
    os.mkfifo(project.subjects_csv)
    with pytest.raises(InputError, match=r"data/raw/subjects.csv: is not a regular file"):
        steps.build_data(project)
