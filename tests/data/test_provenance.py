"""Raw data is immutable and traceable: every file listed with its origin and checksum."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from conftest import CHECKOUT, make_project

from rare_earths.data import provenance, schemas
from rare_earths.data.tables import read_raw
from rare_earths.errors import InputError

SHARED = CHECKOUT.root.parent / "shared"
# Files under data/raw/ that are catalogues or hand-made records rather than received inputs.
RECORDS = {
    "sources.csv",
    "claims.csv",
    "exclusions.csv",
    "furniture.csv",
    "subjects.csv",
    "reference/references.csv",
    "reference/README.md",
}
# Documentation of the data, not data: the terms on which each file is redistributed.
DOCUMENTS = {"TERMS.md"}


def catalogue(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_raw_file_matches_its_recorded_checksum():
    recorded = {CHECKOUT.articles / row["file"]: row["sha256"] for row in catalogue(CHECKOUT.sources_csv)}
    recorded |= {CHECKOUT.reference / row["file"]: row["sha256"] for row in catalogue(CHECKOUT.references_csv)}
    # One file a row: no two rows name the same file.
    assert len(recorded) == len(catalogue(CHECKOUT.sources_csv)) + len(catalogue(CHECKOUT.references_csv)) > 0
    for path, sha256 in recorded.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, path.name


def test_every_file_under_data_raw_is_accounted_for():
    listed = {f"articles/{row['file']}" for row in catalogue(CHECKOUT.sources_csv)}
    listed |= {f"reference/{row['file']}" for row in catalogue(CHECKOUT.references_csv)}
    present = {path.relative_to(CHECKOUT.raw).as_posix() for path in CHECKOUT.raw.rglob("*") if path.is_file()}
    assert present == listed | RECORDS | DOCUMENTS


def test_the_loaders_accept_the_project_data():
    sources = provenance.load_sources(CHECKOUT.sources_csv, CHECKOUT.articles)
    assert sources.source_id.tolist() == [row["source_id"] for row in catalogue(CHECKOUT.sources_csv)]
    references = provenance.load_references()
    assert set(references.edition) == {"2024", "2025"}
    assert all(references.doi.str.startswith("10."))


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="the shared seeds folder is not beside this checkout")
def test_articles_are_the_seeds_unchanged():
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        assert (CHECKOUT.articles / seed.name).read_bytes() == seed.read_bytes(), seed.name
    for table in sorted((SHARED / "reference").glob("*.csv")):
        assert (CHECKOUT.reference / table.name).read_bytes() == table.read_bytes(), table.name


def test_an_unlisted_article_is_refused(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(CHECKOUT.articles, articles)
    (articles / "005_unlisted.txt").write_text("An article nobody catalogued: 12 tons.\n", encoding="utf-8")
    with pytest.raises(InputError, match="005_unlisted.txt is not listed"):
        provenance.load_sources(CHECKOUT.sources_csv, articles)


def test_a_missing_article_is_refused(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(CHECKOUT.articles, articles)
    (articles / "002_f4c02cfd83920d99.txt").unlink()
    with pytest.raises(
        InputError, match=r"sources.csv, line 4, column file: .*002_f4c02cfd83920d99.txt does not exist"
    ):
        provenance.load_sources(CHECKOUT.sources_csv, articles)


def test_a_changed_reference_table_is_refused(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(CHECKOUT.reference, folder)
    table = folder / "usgs_mcs2025_rare_earths_world.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("44000000", "44000001"), encoding="utf-8")
    with pytest.raises(InputError, match="usgs_mcs2025_rare_earths_world.csv has changed"):
        provenance.load_references(folder / "references.csv", folder)


# --- dates of the calendar; files inside their folder; empty catalogues ---------------------------

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_an_impossible_date_is_refused_with_its_line(tmp_path):
    with pytest.raises(InputError) as raised:
        provenance.load_sources(FIXTURES / "sources_impossible_date.csv", FIXTURES / "articles")
    assert str(raised.value).endswith(
        "sources_impossible_date.csv, line 3, column date: '2025-13-45' is not a date of the calendar (month must be in 1..12)"
    )
    assert len(raised.value.problems) == 1


@pytest.mark.parametrize("date", ["2025-02-29", "2025-04-31", "2025-00-10"])
def test_a_day_that_no_calendar_has_is_refused(tmp_path, date):
    sources = tmp_path / "sources.csv"
    sources.write_text(
        (FIXTURES / "sources.csv").read_text(encoding="utf-8").replace("Fixture two,,,,,", f"Fixture two,,,,{date},"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=rf"line 3, column date: '{date}' is not a date of the calendar"):
        provenance.load_sources(sources, FIXTURES / "articles")


def test_a_judging_date_no_calendar_has_is_refused(tmp_path):
    sources = tmp_path / "sources.csv"
    sources.write_text(
        (FIXTURES / "sources.csv").read_text(encoding="utf-8").replace(",2025-06-01,,f76", ",2025-02-30,,f76"),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"line 3, column as_of: '2025-02-30' is not a date of the calendar"):
        provenance.load_sources(sources, FIXTURES / "articles")


def test_a_real_date_is_accepted(tmp_path):
    sources = tmp_path / "sources.csv"
    sources.write_text(
        (FIXTURES / "sources.csv")
        .read_text(encoding="utf-8")
        .replace("Fixture two,,,,,2025-06-01", "Fixture two,,,,2024-02-29,2024-02-29"),
        encoding="utf-8",
    )
    assert provenance.load_sources(sources, FIXTURES / "articles").date.tolist() == ["", "2024-02-29"]


def edited_sources(tmp_path, old: str, new: str) -> Path:
    sources = tmp_path / "sources.csv"
    text = (FIXTURES / "sources.csv").read_text(encoding="utf-8")
    assert old in text
    sources.write_text(text.replace(old, new, 1), encoding="utf-8")
    return sources


def test_an_article_with_a_date_line_is_judged_as_of_that_date(tmp_path):
    sources = edited_sources(tmp_path, "Fixture two,,,,,2025-06-01", "Fixture two,,,,2025-08-14,2024-06-01")
    with pytest.raises(InputError, match=r"line 3, column as_of: '2024-06-01' differs from the article's date"):
        provenance.load_sources(sources, FIXTURES / "articles")


@pytest.mark.parametrize(
    ("one", "two", "message"),
    [
        ("a009", "", "line 2, column shares_reporting_with: 'a009' is no article of this table"),
        ("a000", "", "line 2, column shares_reporting_with: names the article itself"),
        ("a001", "", "line 2, column shares_reporting_with: names a001, but a001's row does not name a000 back"),
        ("a001; a001", "a000", "line 2, column shares_reporting_with: names an article twice"),
        ("a001\n", "a000", "line 2, column shares_reporting_with: .*does not match"),
    ],
)
def test_shared_reporting_names_other_articles_that_name_it_back(tmp_path, one, two, message):
    text = (FIXTURES / "sources.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [
        text[0],
        text[1].replace(",2025-06-01,,", f',2025-06-01,"{one}",'),
        text[2].replace(",2025-06-01,,", f",2025-06-01,{two},"),
    ]
    sources = tmp_path / "sources.csv"
    sources.write_text("".join(rows).replace("\\n", "\n"), encoding="utf-8")
    with pytest.raises(InputError, match=message):
        provenance.load_sources(sources, FIXTURES / "articles")


def reference_catalogue(tmp_path, old: str, new: str) -> tuple[Path, Path]:
    folder = tmp_path / "reference"
    shutil.copytree(CHECKOUT.reference, folder)
    table = folder / "references.csv"
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, new, 1), encoding="utf-8")
    return table, folder


@pytest.mark.parametrize(
    ("published", "message"),
    [
        ("2025-13-45", "line 3, column published: '2025-13-45' is not a date of the calendar"),
        ("2025-02-30", "line 3, column published: '2025-02-30' is not a date of the calendar"),
        ("2023-01-01", "line 3, column published: edition 2025 is released 2023-01-01, not after edition 2024"),
    ],
)
def test_an_editions_release_is_a_real_date_after_the_one_before(tmp_path, published, message):
    table, folder = reference_catalogue(tmp_path, ",2025,2025-01-31,", f",2025,{published},")
    with pytest.raises(InputError, match=message):
        provenance.load_references(table, folder)


def test_an_edition_must_be_the_one_its_table_holds(project):
    from rare_earths.data import reference

    text = project.references_csv.read_text(encoding="utf-8")
    project.references_csv.write_text(text.replace(",2025,2025-01-31,", ",2026,2026-01-31,", 1), encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"line 3, column edition: edition '2026', but usgs_mcs2025_rare_earths_world.csv holds rows of MCS2025",
    ):
        reference.tidy_raw(project)


def test_a_file_outside_the_articles_folder_is_refused_unread(tmp_path):
    with pytest.raises(InputError) as raised:
        provenance.load_sources(FIXTURES / "sources_outside_folder.csv", FIXTURES / "articles")
    text = str(raised.value)
    assert (
        "sources_outside_folder.csv, line 3, column file: '../sources.csv' is a path; give the bare name of a file in tests/fixtures/articles/"
        in text
    )
    assert "has changed" not in text  # the file outside was not read


@pytest.mark.parametrize(
    "name", ["../../claims.csv", "/etc/passwd", "sub/../001_fixture.txt", "..", "C:\\Windows\\win.ini"]
)
def test_a_catalogue_names_files_in_its_folder_only(tmp_path, name):
    sources = tmp_path / "sources.csv"
    sources.write_text(
        (FIXTURES / "sources.csv").read_text(encoding="utf-8").replace("a001,001_fixture.txt", f"a001,{name}"),
        encoding="utf-8",
    )
    with pytest.raises(
        InputError,
        match=r"sources.csv, line 3, column file: .* give the (bare )?name of a file in tests/fixtures/articles/",
    ):
        provenance.load_sources(sources, FIXTURES / "articles")


def test_a_link_that_leads_out_of_the_folder_is_refused(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(FIXTURES / "articles", articles)
    (articles / "001_fixture.txt").unlink()
    (articles / "001_fixture.txt").symlink_to(FIXTURES / "articles" / "001_fixture.txt")
    with pytest.raises(
        InputError, match=r"line 3, column file: '001_fixture.txt' leads outside .*articles/ \(a link\?\)"
    ):
        provenance.load_sources(FIXTURES / "sources.csv", articles)


def test_a_reference_file_outside_its_folder_is_refused(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(CHECKOUT.reference, folder)
    table = folder / "references.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("usgs_mcs2024_rare_earths_world.csv,", "../../sources.csv,", 1),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"references.csv, line 2, column file: '../../sources.csv' is a path"):
        provenance.load_references(table, folder)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "sources.csv, line 1: is empty: it needs at least its header line"),
        (
            "source_id,file,title,label,publisher,author,date,as_of,shares_reporting_with,sha256,note\n",
            "sources.csv: .*000_fixture.txt is not listed",
        ),
    ],
)
def test_an_empty_sources_table_is_a_located_error(tmp_path, text, message):
    sources = tmp_path / "sources.csv"
    sources.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        provenance.load_sources(sources, FIXTURES / "articles")


def test_the_command_line_names_a_bad_source_and_exits_non_zero(tmp_path, capsys):
    from rare_earths import __main__ as cli

    project = make_project(
        tmp_path,
        sources=FIXTURES / "sources_impossible_date.csv",
        articles=FIXTURES / "articles",
        claims=FIXTURES / "claims" / "good.csv",
    )
    assert cli.main(["--project", str(project.root), "data", "--force"]) == 1
    error = capsys.readouterr().err
    assert "error: 1 problem" in error and "data/raw/sources.csv, line 3, column date: '2025-13-45'" in error
    assert "Traceback" not in error
    assert not project.processed.exists() or not any(project.processed.iterdir())


def test_every_article_is_named_by_its_title_or_a_label_said_to_be_assigned():
    names = provenance.source_names()
    sources = read_raw(schemas.SOURCES, CHECKOUT.sources_csv)
    for row in sources.itertuples():
        name = names[row.source_id]
        if row.title:
            assert name.title == row.title and not name.assigned and "assigned" not in name.full
        else:
            assert name.title == row.label and name.assigned and name.full.endswith("(label assigned by this project)")
        assert row.source_id not in name.full


@pytest.mark.parametrize(
    ("title", "label", "says"),
    [
        ("", "", "states no title, so it needs a label"),
        ("A title", "A label", "has both a title and an assigned label"),
    ],
)
def test_an_article_needs_exactly_one_of_title_and_label(tmp_path, title, label, says):
    sources = read_raw(schemas.SOURCES, CHECKOUT.sources_csv)
    sources.loc[0, ["title", "label"]] = [title, label]
    path = tmp_path / "sources.csv"
    sources.to_csv(path, index=False)
    with pytest.raises(InputError) as raised:
        provenance.load_sources(path, CHECKOUT.articles)
    assert says in str(raised.value) and "sources.csv, line 2, column label" in str(raised.value)


def test_a_brief_name_is_the_publisher_or_the_titles_first_words():
    names = provenance.source_names()
    for name in names.values():
        assert name.brief == name.publisher if name.publisher else name.title.startswith(name.brief.removesuffix("…"))
        assert len(name.brief.split()) <= 4


def test_no_count_of_the_articles_is_written_into_the_code_notebooks_or_citation():
    """The case: "five" sat in the site's code, the data package, CITATION.cff and notebook 01, so
    an added article left them saying five. A count of the sources is derived from sources.csv
    (`vocabulary.count_word`), never written."""
    import re

    from rare_earths import vocabulary

    words = "|".join(vocabulary._COUNT_WORDS[1:])
    written = re.compile(rf"\b({words}|\d+) (news |source )?articles\b", re.IGNORECASE)
    places = [
        *(CHECKOUT.root / "src" / "rare_earths").rglob("*.py"),
        *(CHECKOUT.root / "src" / "rare_earths" / "site" / "templates").rglob("*.j2"),
        CHECKOUT.citation_cff,
    ]
    found = [f"{path.name}: {match.group()}" for path in places for match in written.finditer(path.read_text("utf-8"))]
    for notebook in CHECKOUT.notebooks.glob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        found += [f"{notebook.name}: {m.group()}" for cell in cells for m in written.finditer("".join(cell["source"]))]
    assert not found, found


def test_the_data_package_counts_the_articles_it_describes(project):
    from rare_earths import vocabulary
    from rare_earths.data import datapackage

    count = len(provenance.load_sources(project.sources_csv, project.articles))
    title = datapackage.descriptor(project.sources_csv, project.references_csv)["title"]
    assert f"from {vocabulary.count_word(count)} news articles" in title


def test_a_missing_processed_table_names_the_command_that_makes_it(project):
    """The case: a notebook opened before `make data` gave FileNotFoundError and ten NameErrors."""
    from rare_earths.data import claims

    with pytest.raises(InputError, match=r"data/processed/claims\.csv: is missing: .*run `make data`"):
        claims.load(project.processed_claims_csv)
