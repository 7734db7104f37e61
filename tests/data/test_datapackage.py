"""data/processed/datapackage.json: a Frictionless data package of the processed tables, generated
from the column metadata, valid by the `frictionless` package, stable to the byte, and able to fail."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import frictionless
import pytest
from conftest import make_project

from rare_earths.build import steps
from rare_earths.data import datapackage
from rare_earths.project import Project


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """A project of its own whose data step has run: data/processed/ with its descriptor."""
    project = make_project(tmp_path_factory.mktemp("project"))
    steps.build_data(project)
    return project


@pytest.fixture(scope="module")
def package(built) -> Path:
    return built.datapackage_json


def _errors(report: frictionless.Report) -> list[list]:
    return report.flatten(["taskNumber", "rowNumber", "fieldName", "type", "note"])


def test_the_real_data_package_is_valid_with_no_error(package, built):
    report = frictionless.validate(str(package))
    assert report.valid, _errors(report)
    assert report.stats["errors"] == 0 and report.warnings == []
    assert [task.name for task in report.tasks] == [table.name for table in datapackage.TABLES]
    for task, table in zip(report.tasks, datapackage.TABLES, strict=True):
        assert task.valid and task.warnings == []
        rows = sum(1 for _ in csv.DictReader(open(built.root / table.path, encoding="utf-8", newline="")))
        assert task.stats["rows"] == rows > 0, f"{table.name}: frictionless read {task.stats['rows']} rows of {rows}"


def test_every_column_of_every_processed_table_is_described_with_its_unit(package):
    described = json.loads(package.read_text(encoding="utf-8"))
    resources = {resource["name"]: resource for resource in described["resources"]}
    assert list(resources) == ["claims", "usgs", "audit", "conclusions"]
    for table in datapackage.TABLES:
        resource = resources[table.name]
        assert resource["path"] == Path(table.path).name and (package.parent / resource["path"]).is_file()
        assert resource["description"] == table.description and resource["licenses"]
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == table.names, f"{table.name}: fields differ from metadata's columns"
        for column, f in zip(table.columns, fields, strict=True):
            assert f["description"] == column.description
            assert f["type"] == column.kind
            assert f["constraints"]["required"] == column.required
            assert f["constraints"].get("unique", False) == column.unique
            assert f["constraints"].get("enum") == (
                list(column.vocabulary()) if column.vocabulary() is not None else None
            )
            if column.unit == "see `unit`":
                assert f["unitField"] == "unit" and "unit" in table.names, f"{table.name}.{column.name}"
            else:
                assert f.get("unit", "") == column.unit, f"{table.name}.{column.name}"
    assert resources["usgs"]["schema"]["fields"][4] == {
        **resources["usgs"]["schema"]["fields"][4],
        "name": "value_t",
        "unit": "t",
    }


def test_sources_and_licences_come_from_the_raw_catalogues(package, built):
    described = json.loads(package.read_text(encoding="utf-8"))
    sources = described["sources"]
    articles = [s for s in sources if "source_id" in s]
    with built.sources_csv.open(encoding="utf-8", newline="") as stream:
        assert [s["source_id"] for s in articles] == [row["source_id"] for row in csv.DictReader(stream)]
    for source in articles:
        assert (package.parent / source["path"]).resolve().is_file()
    usgs = [s for s in sources if "doi" in s]
    assert [s["doi"] for s in usgs] == ["10.3133/mcs2024", "10.5066/P13XCP3R"]
    assert all(
        s["path"] == f"https://doi.org/{s['doi']}" and s["license"] == "Public domain (U.S. Government work)"
        for s in usgs
    )
    names = {licence["name"] for licence in described["licenses"]}
    assert names == {"CC-BY-4.0", "news-articles-quoted-for-research", "other-pd"}


def test_the_descriptor_is_the_same_bytes_when_rebuilt(package, built, tmp_path):
    catalogues = dict(sources_path=built.sources_csv, references_path=built.references_csv)
    first, second = (
        datapackage.build(tmp_path / "a.json", **catalogues),
        datapackage.build(tmp_path / "b.json", **catalogues),
    )
    assert first.read_bytes() == second.read_bytes() == package.read_bytes()


def test_the_cleaning_step_rebuilds_a_missing_descriptor(project, capsys):
    steps.build_data(project)
    descriptor = project.datapackage_json
    assert descriptor.is_file() and frictionless.validate(str(descriptor)).valid
    descriptor.unlink()
    capsys.readouterr()
    steps.build_data(project)
    assert "up to date" not in capsys.readouterr().out and descriptor.is_file()
    steps.build_data(project)
    assert "data/processed/ is up to date" in capsys.readouterr().out  # the step names the folder it builds


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"^a\d{3}$", r"a\d{3}"),
        (r"^$|^\d{4}$|^\d{4}-\d{4}$|^FY\d{4}-\d{2}$", r"(\d{4}|\d{4}-\d{4}|FY\d{4}-\d{2})"),
        (r"^a\d{3}-\d{2}(; a\d{3}-\d{2})*$", r"a\d{3}-\d{2}(; a\d{3}-\d{2})*"),
    ],
)
def test_patterns_become_table_schema_patterns(pattern, expected):
    assert datapackage._pattern(pattern) == expected


def _broken_copy(package: Path, folder: Path, table: str, row: int, column: str, value: str) -> Path:
    """The package copied to `folder`, with one cell of one table changed."""
    for resource in json.loads(package.read_text(encoding="utf-8"))["resources"]:
        shutil.copyfile(package.parent / resource["path"], folder / resource["path"])
    shutil.copyfile(package, folder / package.name)
    path = folder / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    rows[row][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)
    return folder / package.name


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "expected"),
    [
        ("claims", 3, "bound", "roughly", [("bound", "constraint-error")]),  # not in the enum
        ("claims", 5, "period", "last year", [("period", "constraint-error")]),  # does not match the pattern
        ("claims", 7, "claim_id", "a000-01", [("claim_id", "unique-error"), (None, "primary-key")]),  # row 1's id again
        ("claims", 2, "value_low", "ninety", [("value_low", "type-error")]),  # not a number
        ("usgs", 4, "edition", "", [("edition", "constraint-error")]),  # required, and empty
        ("audit", 1, "verdict", "plausible", [("verdict", "constraint-error")]),  # not in the enum
    ],
)
def test_a_broken_table_is_reported_invalid(package, tmp_path, table, row, column, value, expected):
    report = frictionless.validate(str(_broken_copy(package, tmp_path, table, row, column, value)))
    assert not report.valid
    task = next(task for task in report.tasks if task.name == table)
    # Exactly the planted fault: on the changed row (the header is row 1), nothing else.
    assert [
        (error.row_number, error.field_name if hasattr(error, "field_name") else None, error.type)
        for error in task.errors
    ] == [(row + 1, field_name, kind) for field_name, kind in expected], _errors(report)
    assert all(other.valid for other in report.tasks if other is not task)
