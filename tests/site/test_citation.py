"""How to cite the suite, its licences and its build: CITATION.cff is valid and agrees with
pyproject.toml, the declared repository and data/raw/TERMS.md, the 'cite this' line and the BibTeX
entry (read back by pybtex, as a reference manager reads it) say what the file says, and the build
version is the checkout's commit, the same on every call, and says why where there is none."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import jsonschema
import pybtex.database
import pytest
import yaml
from conftest import CHECKOUT

from rare_earths import project as project_module
from rare_earths.site import citation

# The Citation File Format 1.2.0 schema, vendored unchanged from
# https://github.com/citation-file-format/citation-file-format/blob/1.2.0/schema.json
# (tag 1.2.0, commit 396f738fb025b1d8acdb02a56ffc923f95dc8999); its SHA-256 is checked below.
CFF_SCHEMA = Path(__file__).with_name("cff-1.2.0.schema.json")
CFF_SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"


class _CffLoader(yaml.SafeLoader):
    """YAML as the CFF schema reads it: a date (date-released: 2026-03-01) stays text, as the schema's
    `"type": "string", "format": "date"` expects, instead of becoming a Python date."""


_CffLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def cff_problems(path: Path) -> list[str]:
    """Every way the file breaks the CFF 1.2.0 schema (formats such as dates and URLs checked too)."""
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_CffLoader)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


# --- CITATION.cff -----------------------------------------------------------------------------------


def test_the_vendored_schema_is_the_published_one():
    assert hashlib.sha256(CFF_SCHEMA.read_bytes()).hexdigest() == CFF_SCHEMA_SHA256
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_citation_file_is_valid_citation_file_format():
    assert cff_problems(CHECKOUT.citation_cff) == []
    assert citation.citation()["cff-version"] == "1.2.0", "the schema checked is the version the file declares"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda cff: cff.pop("authors"), "'authors' is a required property"),
        (lambda cff: cff.update({"date-released": "2026-13-01"}), "date-released: '2026-13-01' is not a 'date'"),
        (lambda cff: cff.update({"license": "Not-A-Licence"}), "license: 'Not-A-Licence' is not valid"),
        (lambda cff: cff.update({"repository-code": "not a url"}), "repository-code: 'not a url' is not"),
    ],
    ids=["no authors", "impossible date", "unknown licence", "not a URL"],
)
def test_the_validator_refuses_a_broken_citation_file(tmp_path, change, says):
    cff = yaml.safe_load(CHECKOUT.citation_cff.read_text(encoding="utf-8"))
    change(cff)
    bad = tmp_path / "CITATION.cff"
    bad.write_text(yaml.safe_dump(cff), encoding="utf-8")
    problems = cff_problems(bad)
    assert any(says in problem for problem in problems), problems


def test_a_release_date_is_valid_as_the_schema_reads_it(tmp_path):
    cff = yaml.safe_load(CHECKOUT.citation_cff.read_text(encoding="utf-8"))
    good = tmp_path / "CITATION.cff"
    good.write_text(yaml.safe_dump(cff) + "date-released: 2026-03-01\n", encoding="utf-8")
    assert cff_problems(good) == []


def test_citation_version_and_licence_agree_with_pyproject():
    project = tomllib.loads((CHECKOUT.root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    cff = citation.citation()
    assert str(cff["version"]) == project["version"]
    assert cff["license"] == project["license"]["text"] == "MIT"


def test_the_citation_gives_its_release_and_the_repository_the_site_is_published_from():
    cff = citation.citation()
    assert cff["date-released"] == "2026-12-05"  # text, as the schema reads it
    assert cff["repository-code"] == project_module.REPOSITORY_URL
    owner, name = project_module.REPOSITORY.split("/")
    assert cff["url"] == f"https://{owner.lower()}.github.io/{name}/"


def test_the_authors_are_one_entity_not_a_person():
    assert citation.citation()["authors"] == [{"name": "The rare-earths notebook suite authors"}]


def test_the_data_licence_is_stated_apart_from_the_codes_as_terms_md_gives_it():
    cff = citation.citation()
    [data] = [reference for reference in cff["references"] if reference["type"] == "data"]
    assert cff["license"] == "MIT" and data["license"] == "CC-BY-4.0"
    assert citation.licences()["Curated tables and processed data"].startswith("CC BY 4.0")
    assert data["authors"] == cff["authors"] and str(data["version"]) == str(cff["version"])
    assert data["repository-code"] == cff["repository-code"]
    assert "data/raw/TERMS.md" in data["notes"] and "not licensed for reuse" in data["notes"]


def test_the_licence_file_is_the_licence_the_citation_names():
    lines = CHECKOUT.license.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"{citation.citation()['license']} License"
    assert "Copyright (c) 2025-2026 The rare-earths notebook suite authors" in lines


# --- the 'cite this' line ---------------------------------------------------------------------------


def test_cite_line_says_what_the_citation_file_says():
    cff = citation.citation()
    line = citation.cite_line()
    assert line == (
        "The rare-earths notebook suite authors. 2026. India's rare-earth supply chain: a reproducible audit of "
        "news articles. Version 0.1.0. MIT licence."
    )
    assert cff["title"] in line and f"Version {cff['version']}" in line and f"{cff['license']} licence" in line
    assert line.startswith(cff["authors"][0]["name"] + ". ")
    assert "\n" not in line


def test_cite_line_gives_the_year_of_a_release_date_and_names_people(tmp_path):
    cff = yaml.safe_load(CHECKOUT.citation_cff.read_text(encoding="utf-8"))
    cff["date-released"] = "2026-03-01"
    cff["authors"] = [
        {"given-names": "Asha", "family-names": "Rao"},
        {"name": "A Lab"},
        {"given-names": "Li", "family-names": "Wei"},
    ]
    path = tmp_path / "CITATION.cff"
    path.write_text(yaml.safe_dump(cff), encoding="utf-8")
    assert citation.cite_line(path) == (
        "Asha Rao, A Lab and Li Wei. 2026. India's rare-earth supply chain: a reproducible "
        "audit of news articles. Version 0.1.0. MIT licence."
    )


# --- the BibTeX entry ---------------------------------------------------------------------------------


def read_bibtex(text: str) -> pybtex.database.Entry:
    """The one entry of `text`, as pybtex's BibTeX reader gives it (strict: an error is raised)."""
    entries = pybtex.database.parse_string(text, "bibtex").entries
    assert len(entries) == 1, list(entries)
    return next(iter(entries.values()))


def test_bibtex_reads_the_authors_as_one_corporate_name_with_year_version_and_url():
    cff = citation.citation()
    text = citation.bibtex()
    entry = read_bibtex(text)
    assert text.startswith("@software{rare-earths-2026,\n") and citation.bibtex_key() == "rare-earths-2026"
    assert "YourReferenceHere" not in text
    [author] = entry.persons["author"]
    assert author.first_names == [] and author.middle_names == [] and author.prelast_names == []
    assert author.last_names == ["{The rare-earths notebook suite authors}"]
    assert entry.fields["year"] == "2026" == cff["date-released"][:4]
    assert entry.fields["version"] == "0.1.0" == str(cff["version"])
    assert entry.fields["url"] == cff["repository-code"] == project_module.REPOSITORY_URL
    assert entry.fields["title"] == "{" + cff["title"] + "}"
    assert entry.fields["license"] == "MIT"
    assert citation.bibtex() == text


def test_bibtex_names_people_by_family_and_given_names_and_escapes_what_bibtex_reads_as_markup(tmp_path):
    cff = yaml.safe_load(CHECKOUT.citation_cff.read_text(encoding="utf-8"))
    cff["authors"] = [
        {"given-names": "Asha", "family-names": "Rao"},
        {"name": "Lab & Co {unbalanced"},
        {"given-names": "Ludwig", "name-particle": "van", "family-names": "Beethoven"},
    ]
    cff["title"] = "Rare earths: 90% of 100_000 t & $5 {of}"
    del cff["date-released"]
    path = tmp_path / "CITATION.cff"
    path.write_text(yaml.safe_dump(cff), encoding="utf-8")
    entry = read_bibtex(citation.bibtex(path))
    rao, lab, beethoven = entry.persons["author"]
    assert (rao.first_names, rao.last_names) == (["Asha"], ["Rao"])
    assert len(lab.last_names) == 1 and lab.first_names == [] and "Lab \\& Co" in lab.last_names[0]
    assert (beethoven.first_names, beethoven.prelast_names, beethoven.last_names) == (
        ["Ludwig"],
        ["van"],
        ["Beethoven"],
    )
    assert entry.fields["title"] == r"{Rare earths: 90\% of 100\_000 t \& \$5 \textbraceleft{}of\textbraceright{}}"
    assert "year" not in entry.fields and citation.bibtex_key(path) == "rare-earths"


# --- licences for a page footer ----------------------------------------------------------------------


def test_licences_state_the_code_and_each_kind_of_data_in_one_line():
    stated = citation.licences()
    assert list(stated) == ["Code", "Articles", "USGS tables", "Curated tables and processed data"]
    assert stated["Code"] == "MIT License"
    assert "not licensed for reuse" in stated["Articles"] and "publishers" in stated["Articles"]
    assert "public domain" in stated["USGS tables"]
    assert stated["Curated tables and processed data"].startswith("CC BY 4.0")
    assert all(value and "\n" not in value for value in stated.values())


def test_licences_refuse_a_terms_heading_without_its_part(tmp_path):
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(CHECKOUT.license, tmp_path / "LICENSE")
    (tmp_path / "data" / "raw" / "TERMS.md").write_text("# Terms\n\n## Everything is free\n", encoding="utf-8")
    with pytest.raises(ValueError, match="should read 'Part: statement'"):
        citation.licences(tmp_path)


# --- the build's version -----------------------------------------------------------------------------


def git(root: Path, *arguments: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True, env=environment
    ).stdout.strip()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A clean clone of this repository's committed HEAD (the working tree itself may hold edits)."""
    if shutil.which("git") is None or not (CHECKOUT.root / ".git").exists():
        pytest.skip("needs git and this repository's history")
    clone = tmp_path_factory.mktemp("checkout") / "rare-earths"
    git(CHECKOUT.root, "clone", "--quiet", "--no-hardlinks", str(CHECKOUT.root), str(clone))
    return clone


def test_build_version_of_a_clean_checkout_is_its_commit(checkout):
    assert citation.build_version(checkout) == git(checkout, "rev-parse", "--short=12", "HEAD")
    assert len(citation.build_version(checkout)) >= 12


def test_build_version_is_the_same_on_every_call(checkout):
    assert citation.build_version(checkout) == citation.build_version(checkout)


def test_a_changed_tracked_file_marks_the_build_modified_and_an_untracked_one_does_not(checkout):
    commit = git(checkout, "rev-parse", "--short=12", "HEAD")
    (checkout / "notes-of-a-reader.txt").write_text("untracked\n", encoding="utf-8")
    assert citation.build_version(checkout) == commit
    readme = checkout / "README.md"
    original = readme.read_bytes()
    readme.write_bytes(original + b"\nAn edit.\n")
    try:
        assert citation.build_version(checkout) == commit + "+modified"
        assert citation.build_version(checkout) == citation.build_version(checkout)
    finally:
        readme.write_bytes(original)
    assert citation.build_version(checkout) == commit


def test_build_version_of_this_tree_is_its_commit_possibly_modified():
    if shutil.which("git") is None or not (CHECKOUT.root / ".git").exists():
        pytest.skip("needs git and this repository's history")
    version = citation.build_version()
    commit, _, modified = version.partition("+")
    assert len(commit) >= 12 and all(char in "0123456789abcdef" for char in commit) and modified in ("", "modified")


def test_outside_a_git_checkout_the_build_version_says_so(tmp_path):
    assert citation.build_version(tmp_path) == "unknown (not a git checkout)"
    assert citation.build_version(tmp_path / "does-not-exist") == "unknown (not a git checkout)"


def test_a_broken_checkout_or_a_missing_git_gives_a_reason_not_an_error(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # a .git that is no repository
    assert citation.build_version(tmp_path) == "unknown (git could not read the checkout)"
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert citation.build_version(CHECKOUT.root) == "unknown (git is not installed)"


def test_the_apa_citation_gives_authors_year_title_version_and_address():
    from conftest import CHECKOUT

    cff = citation.citation(CHECKOUT.citation_cff)
    said = citation.apa(CHECKOUT.citation_cff)
    assert said.startswith(f"{citation.authors(CHECKOUT.citation_cff)}. ({str(cff['date-released'])[:4]}). ")
    assert f"{cff['title']} (Version {cff['version']}) [Computer software]. {cff['repository-code']}" in said
