"""The project's settings read from the environment (rare_earths.project)."""

from __future__ import annotations

import pytest

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
