"""Raw data is immutable and traceable: every file listed with its origin and checksum."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from rare_earths import paths, provenance
from rare_earths.errors import InputError

SHARED = paths.ROOT.parent / "shared"
# Files under data/raw/ that are catalogues or hand-made records rather than received inputs.
RECORDS = {"sources.csv", "claims.csv", "exclusions.csv", "reference/references.csv", "reference/README.md"}


def catalogue(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_raw_file_matches_its_recorded_checksum():
    recorded = {paths.ARTICLES / row["file"]: row["sha256"] for row in catalogue(paths.SOURCES_CSV)}
    recorded |= {paths.REFERENCE / row["file"]: row["sha256"] for row in catalogue(paths.REFERENCES_CSV)}
    assert len(recorded) == 7
    for path, sha256 in recorded.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256, path.name


def test_every_file_under_data_raw_is_accounted_for():
    listed = {f"articles/{row['file']}" for row in catalogue(paths.SOURCES_CSV)}
    listed |= {f"reference/{row['file']}" for row in catalogue(paths.REFERENCES_CSV)}
    present = {path.relative_to(paths.RAW).as_posix() for path in paths.RAW.rglob("*") if path.is_file()}
    assert present == listed | RECORDS


def test_the_loaders_accept_the_project_data():
    sources = provenance.load_sources(paths.SOURCES_CSV, paths.ARTICLES)
    assert sources.source_id.tolist() == ["a000", "a001", "a002", "a003", "a004"]
    references = provenance.load_references()
    assert set(references.edition) == {"2024", "2025"}
    assert all(references.doi.str.startswith("10."))


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="the shared seeds folder is not beside this checkout")
def test_articles_are_the_seeds_unchanged():
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        assert (paths.ARTICLES / seed.name).read_bytes() == seed.read_bytes(), seed.name
    for table in sorted((SHARED / "reference").glob("*.csv")):
        assert (paths.REFERENCE / table.name).read_bytes() == table.read_bytes(), table.name


def test_an_unlisted_article_is_refused(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(paths.ARTICLES, articles)
    (articles / "005_unlisted.txt").write_text("An article nobody catalogued: 12 tons.\n", encoding="utf-8")
    with pytest.raises(InputError, match="005_unlisted.txt is not listed"):
        provenance.load_sources(paths.SOURCES_CSV, articles)


def test_a_missing_article_is_refused(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(paths.ARTICLES, articles)
    (articles / "002_f4c02cfd83920d99.txt").unlink()
    with pytest.raises(InputError, match=r"sources.csv, line 4, column file: .*002_f4c02cfd83920d99.txt does not exist"):
        provenance.load_sources(paths.SOURCES_CSV, articles)


def test_a_changed_reference_table_is_refused(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE, folder)
    table = folder / "usgs_mcs2025_rare_earths_world.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("44000000", "44000001"), encoding="utf-8")
    with pytest.raises(InputError, match="usgs_mcs2025_rare_earths_world.csv has changed"):
        provenance.load_references(folder / "references.csv", folder)
