"""The readers' site: every page of `registry.PAGES` (an index that leads with the bottom line, one
page per executed notebook, one page per article, a claims explorer, the sensitivity page and a
method page), each built by its registered builder from its template, with the stylesheet and the
processed tables to download.

Every page works opened from disk, offline, and is a function of its inputs alone: two runs give
the same bytes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from rare_earths import atomic, observed
from rare_earths.build import reader
from rare_earths.data import schemas
from rare_earths.data.tables import for_spreadsheets
from rare_earths.project import Project
from rare_earths.site import abbreviations, layout, registry
from rare_earths.site.model import Render, describe, load_site, parameters_of
from rare_earths.site.notebooks import chart_downloads

if TYPE_CHECKING:
    import pandas as pd


class UnregisteredPage(ValueError):
    """A builder wrote a page that `registry.PAGES` does not list, or left out one it does."""


def render(
    project: Project,
    executed_dir: Path | None = None,
    html_dir: Path | None = None,
    names: tuple[str, ...] | None = None,
    checks: pd.DataFrame | None = None,
    swept: bool = True,
    failures: tuple[layout.Failure, ...] = (),
) -> list[Path]:
    """Every page of the site, the stylesheet and the downloads (the tables, each chart's data and
    SVG), into `html_dir`; returns the files written. The parameters the pages state are read from the executed notebooks themselves, so the
    site says what its pages were computed with, whatever command made them. `swept`: the default
    sweep in reports/sweep/ is up to date with these notebooks (else the sensitivity page says so).
    `failures`: what failed in the run that built the site, stated at the top of every page."""
    executed_dir, html_dir = Path(executed_dir or project.executed), Path(html_dir or project.html)
    if names is None:  # every notebook of the folder, in the chain's order (their names begin with it)
        names = tuple(sorted(path.name for path in executed_dir.glob("*.ipynb")))
    notebooks = {name: reader.read(executed_dir / name) for name in names}
    site = load_site(project, checks, failures, names)
    site.results = {
        (name, entry["name"]): entry for name, notebook in notebooks.items() for entry in reader.recorded(notebook)
    }
    context = Render(
        site=site,
        notebooks=notebooks,
        pages=[describe(notebook, name) for name, notebook in notebooks.items()],
        values=parameters_of({name: reader.ran_with(notebook) for name, notebook in notebooks.items()}),
        swept=swept,
    )
    pages: dict[str, str] = {}
    for entry in registry.PAGES:  # every page built and checked against the registry before any is written
        written = entry.builder()(context)
        expected = entry.files(names, list(site.articles))
        if list(written) != expected:
            raise UnregisteredPage(
                f"the {entry.key!r} pages' builder wrote {sorted(written)}; registry.PAGES lists {sorted(expected)}"
            )
        pages.update({name: abbreviations.expand_first_uses(page) for name, page in written.items()})
    files = [atomic.write_text(html_dir / name, page) for name, page in pages.items()]
    for name, notebook in notebooks.items():  # each chart's data and SVG, linked under it on its page
        files += [atomic.write_text(html_dir / file, text) for file, text in chart_downloads(name, notebook).items()]
    files.append(atomic.write_text(html_dir / registry.STYLESHEET, layout.stylesheet()))
    tables = {Path(table.path).name: table for table in schemas.TABLES}
    for path in project.downloads:
        if path.name in tables:  # a processed table: safe to open in a spreadsheet
            files.append(atomic.write_text(html_dir / path.name, for_spreadsheets(tables[path.name], path)))
        else:
            observed.note_read(path)
            files.append(Path(shutil.copyfile(path, html_dir / path.name)))
    return files
