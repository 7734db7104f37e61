"""The subjects' vocabulary (data/raw/subjects.csv): a new subject is data, an alias finds its
subject (in the claims and in the USGS tables), and every mistake is one located error."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import make_project

from rare_earths import __main__ as cli
from rare_earths.data import reference, subjects
from rare_earths.errors import InputError

HEADER = "subject,kind,part_of,aliases,note\n"


def _vocabulary(tmp_path, rows: str):
    path = tmp_path / "subjects.csv"
    path.write_text(HEADER + "world,world,,World total (rounded),\n" + rows, encoding="utf-8")
    return path


def test_an_alias_names_its_subject_and_a_part_of_a_country_belongs_to_it(tmp_path):
    found = subjects.load(
        _vocabulary(tmp_path, "USA,country,,United States; US,\nIndia,country,,,\nIREL,part_of_country,India,,\n")
    )
    assert found.canonical("United States") == found.canonical("US") == found.canonical("USA") == "USA"
    assert found.canonical("United Kingdom") is None
    assert found.country_of("IREL") == "India"
    assert found.country_of("India") == "India"
    assert found.country_of("world") == "world"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("IREL,part_of_country,Atlantis,,\n", "line 3, column part_of: 'Atlantis' is not a subject of kind 'country'"),
        ("India,country,Asia,,\n", "line 3, column part_of: only a subject of kind 'part_of_country' has one"),
        ("USA,country,,US,\nUganda,country,,US,\n", "line 4, column aliases: 'US' is already an alias of 'USA'"),
        ("India,country,,,\nBurma,country,,India,\n", "line 4, column aliases: 'India' is already the subject 'India'"),
        ("China,country,,,\nchina,country,,,\n", "line 4, column subject: 'china' is already the subject 'China'"),
        ("Canada,country,,World,\n", "line 3, column aliases: 'World' is already the subject 'world'"),
        ("Canada,country,,Canada,\n", "line 3, column aliases: 'Canada' is the subject's own name"),
        ("China ,country,,,\n", "line 3, column subject: 'China ' has spaces around it"),
        ("China\u00a0,country,,,\n", "line 3, column subject: 'China.xa0' has spaces around it"),
        ("Earth,world,,,\n", "line 3, column kind: only 'world' is of kind 'world'"),
        ("India,nation,,,\n", "line 3, column kind"),
    ],
)
def test_a_mistake_in_the_vocabulary_is_named_by_line_and_column(tmp_path, rows, expected):
    with pytest.raises(InputError, match=expected):
        subjects.load(_vocabulary(tmp_path, rows))


def test_a_vocabulary_without_the_world_is_refused(tmp_path):
    path = tmp_path / "subjects.csv"
    path.write_text(HEADER + "India,country,,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no row for 'world'"):
        subjects.load(path)


def test_a_claim_about_an_unknown_subject_is_one_located_error_and_nothing_is_written(tmp_path, capsys):
    project = make_project(tmp_path / "project")
    claims = project.raw_claims_csv.read_text(encoding="utf-8")
    project.raw_claims_csv.write_text(claims.replace("a000-05,a000,Brazil,", "a000-05,a000,Brasil,", 1), "utf-8")
    assert cli.main(["--project", str(project.root), "data"]) == 1
    error = capsys.readouterr().err
    assert (
        "data/raw/claims.csv, line 6, column subject (a000-05): 'Brasil' is not a subject of data/raw/subjects.csv"
        in error
    )
    assert "Traceback" not in error
    assert not project.processed.exists() or not any(project.processed.iterdir())


def test_an_alias_in_the_claims_is_stored_as_its_subject(tmp_path, capsys):
    project = make_project(tmp_path / "project")
    claims = project.raw_claims_csv.read_text(encoding="utf-8")
    # a000-20: China's exports going to "USA"; written as USGS names the country.
    assert ",China,export_destination_value_share,USA," in claims
    project.raw_claims_csv.write_text(
        claims.replace(",export_destination_value_share,USA,", ",export_destination_value_share,United States,"),
        "utf-8",
    )
    assert cli.main(["--project", str(project.root), "data"]) == 0
    processed = pd.read_csv(project.processed_claims_csv, dtype=str, keep_default_na=False).set_index("claim_id")
    assert processed.loc["a000-20", "counterpart"] == "USA"
    assert processed.loc["a000-20", "country"] == "China"


def test_usgs_countries_are_named_as_the_vocabulary_names_them(checkout):
    """The USGS tables say "United States"; the claims and the tidy table say "USA"."""
    tidy = reference.tidy_raw(checkout)
    assert "United States" not in set(tidy.country)
    assert {"USA", "world", reference.REST_OF_WORLD} <= set(tidy.country)


def test_a_usgs_country_missing_from_the_vocabulary_is_named_by_its_file_and_line(tmp_path):
    project = make_project(tmp_path / "project")
    text = project.subjects_csv.read_text(encoding="utf-8")
    project.subjects_csv.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("Thailand,")) + "\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as raised:
        reference.tidy_raw(project)
    messages = [str(problem) for problem in raised.value.problems]
    assert any(
        m.startswith("data/raw/reference/usgs_mcs2025_rare_earths_world.csv, line ")
        and "column country: 'Thailand'" in m
        for m in messages
    ), messages
