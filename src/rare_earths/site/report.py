"""The readers' site, in one layout (`layout.py`): an index that leads with the bottom line, one page
per executed notebook, one page per article (its full text, every claim highlighted), a claims
explorer with each claim's verdicts, and a method page; with the processed tables to download.

Every page works opened from disk, offline, and is a function of its inputs alone: two runs give
the same bytes.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from rare_earths import atomic, observed, paths
from rare_earths.build import reader
from rare_earths.paths import CLAIMS_PAGE, METHOD_PAGE, SENSITIVITY_PAGE
from rare_earths.project import Project
from rare_earths.site import layout
from rare_earths.site.layout import Link

if TYPE_CHECKING:
    import pandas as pd

from rare_earths.site.model import Page, Site, describe, load_site, parameters_of
from rare_earths.site.pages import (
    article_pages,
    claims_page,
    data_read,
    index_page,
    method_page,
    sensitivity_page,
)

# --- the pages -------------------------------------------------------------------------------------


def exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(layout.TEMPLATES)], template_name="page")
    exporter.exclude_input = False  # kept in the page, hidden until "Show code"
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


CODE_TOGGLE = """<div class="code-toggle-bar"><button type="button" class="code-toggle" aria-pressed="false" hidden>Show code</button></div>
"""
CODE_TOGGLE_SCRIPT = """(function () {
  /* Without this script the button stays hidden, and so does the code. */
  var button = document.querySelector("button.code-toggle");
  button.hidden = false;
  button.addEventListener("click", function () {
    var shown = document.body.classList.toggle("show-code");
    button.setAttribute("aria-pressed", shown ? "true" : "false");
    button.textContent = shown ? "Hide code" : "Show code";
  });
})();
"""
_FIRST_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>\s*", re.S)


def notebook_page(
    page: Page,
    notebook: nbformat.NotebookNode,
    html_exporter,
    site: Site,
    values: dict[str, Any],
    previous: Link | None,
    following: Link | None,
) -> str:
    body, _ = html_exporter.from_notebook_node(notebook, resources={"metadata": {"name": page.title}})
    body = _FIRST_H1.sub("", body, count=1)  # the layout writes the page's one <h1>
    # pandas writes the corner over a table's index as an empty header cell: name it for screen readers.
    body = body.replace("<th></th>", '<th><span class="visually-hidden">row</span></th>')
    source = f'<p class="source-note">Made from <code>notebooks/{html.escape(page.notebook)}</code>, run with '
    source += ", ".join(f"<code>{html.escape(k)}</code> = {html.escape(str(v))}" for k, v in values.items()) + ".</p>\n"
    return site.page(
        page.title,
        CODE_TOGGLE + body + source,
        current=page.href,
        previous=previous,
        following=following,
        script=CODE_TOGGLE_SCRIPT,
    )


def render(
    project: Project,
    executed_dir: Path | None = None,
    html_dir: Path | None = None,
    names: tuple[str, ...] | None = None,
    checks: pd.DataFrame | None = None,
    swept: bool = True,
) -> list[Path]:
    """Every page of the site, the stylesheet and the downloads, into `html_dir`; returns the files
    written. The parameters the pages state are read from the executed notebooks themselves, so the
    site says what its pages were computed with, whatever command made them. `swept`: the default
    sweep in reports/sweep/ is up to date with these notebooks (else the sensitivity page says so)."""
    executed_dir, html_dir = Path(executed_dir or project.executed), Path(html_dir or project.html)
    if names is None:  # every notebook of the folder, in the chain's order (their names begin with it)
        names = tuple(sorted(path.name for path in executed_dir.glob("*.ipynb")))
    notebooks = {}
    for name in names:
        notebooks[name] = reader.read(executed_dir / name)
    values = parameters_of({name: reader.ran_with(notebook) for name, notebook in notebooks.items()})
    pages = [describe(notebook, name) for name, notebook in notebooks.items()]
    site = load_site(project, checks)
    site.results = {
        (name, entry["name"]): entry for name, notebook in notebooks.items() for entry in reader.recorded(notebook)
    }
    written: dict[str, str] = {}
    html_exporter = exporter()
    links = [Link(page.href, page.title) for page in pages]
    for position, page in enumerate(pages):
        notebook = notebooks[page.notebook]
        ran = reader.ran_with(notebook)
        written[page.href] = notebook_page(
            page,
            notebook,
            html_exporter,
            site,
            ran,
            links[position - 1] if position > 0 else None,
            links[position + 1] if position + 1 < len(links) else None,
        )
    written.update(article_pages(site))
    written[paths.INDEX_PAGE] = index_page(site, pages, values)
    written[CLAIMS_PAGE[0]] = claims_page(site)
    written[SENSITIVITY_PAGE[0]] = sensitivity_page(site, swept)
    reads = {
        name: data_read(notebook.metadata.get("rare_earths", {}).get("used", []))
        for name, notebook in notebooks.items()
    }
    written[METHOD_PAGE[0]] = method_page(site, pages, values, reads)
    order = paths.page_files(names, list(site.articles))
    files = [atomic.write_text(html_dir / name, written[name]) for name in order]
    files.append(atomic.write_text(html_dir / paths.STYLESHEET, layout.stylesheet()))
    for path in project.downloads:
        observed.note_read(path)
        target = html_dir / path.name
        shutil.copyfile(path, target)
        files.append(target)
    return files


# What a reader downloads for any one page, the stylesheet included, uncompressed: notebook pages
# weighed 352-464 KB when each inlined the JupyterLab theme; the heaviest now is the audit page,
# whose table of every check carries the quotes and whose ClaimReview data repeats the verdicts.
PAGE_WEIGHT_TARGET = 256 * 1024


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes a reader downloads for each page: the page and the stylesheet it links."""
    style = (Path(html_dir) / paths.STYLESHEET).stat().st_size
    return {path.name: path.stat().st_size + style for path in sorted(Path(html_dir).glob("*.html"))}
