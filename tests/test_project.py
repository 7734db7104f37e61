"""The project's settings read from the environment (rare_earths.project)."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rare_earths import __main__ as cli
from rare_earths import project as project_module


@pytest.mark.parametrize("url", ["https://user:secret@example.org/site/", "https://user@example.org/", "http://:x@h/"])
def test_a_site_address_with_credentials_is_refused_without_repeating_them(url, project, monkeypatch, capsys):
    monkeypatch.setenv(project_module.SITE_URL_VARIABLE, url)
    with pytest.raises(project_module.SiteAddressError, match="holds a user name or password"):
        project_module.site_url()
    assert cli.main(["--project", str(project.root), "run", "--no-sweep"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: RARE_EARTHS_SITE_URL: the site's address holds a user name or password")
    assert err.count("\n") == 1 and "secret" not in err and "user@" not in err
    assert not project.processed.exists(), "refused before anything ran"


def _root_by_pathlib(path):
    """root_as_written as it was written with pathlib, the reference for the string version."""
    from pathlib import Path

    absolute = Path(os.path.abspath(path))
    for folder in (absolute, *absolute.parents):
        if all((folder / marker).is_file() for marker in project_module.MARKERS):
            return folder
    return None


@settings(max_examples=60)
@given(
    parts=st.lists(st.sampled_from(["outer", "inner", "data", "raw", "x.csv", "..", ".", "", "link"]), max_size=6),
    trailing=st.booleans(),
)
def test_the_project_root_is_found_as_pathlib_finds_it(tmp_path_factory, parts, trailing):
    """Projects nested in projects, links, `..`, doubled and trailing slashes, missing files."""
    base = tmp_path_factory.getbasetemp() / "roots"
    if not base.exists():
        for root in (base / "outer", base / "outer" / "inner"):
            (root / "data" / "raw").mkdir(parents=True)
            (root / "params.yaml").write_text("", encoding="utf-8")
            (root / "data" / "raw" / "sources.csv").write_text("", encoding="utf-8")
        (base / "outer" / "link").symlink_to(base / "outer" / "inner")
        (base / "outer" / "inner" / "link").mkdir()
        (base / "outer" / "inner" / "link" / "params.yaml").mkdir()  # a marker that is a folder
    path = str(base) + "/" + "/".join(parts) + ("/" if trailing else "")
    expected = _root_by_pathlib(path)
    assert project_module.root_as_written(path) == expected
    # The answers remembered for folders walked through before, for every example of the run.
    assert project_module.root_as_written(path, _KNOWN) == expected
    assert project_module.relative(path, _KNOWN) == project_module.relative(path)


_KNOWN: dict = {}


def test_a_name_too_long_to_look_up_is_an_error_not_a_missing_marker(tmp_path):
    with pytest.raises(OSError):
        project_module.root_as_written(tmp_path / ("a" * 300) / "claims.csv")
