"""The page of each executed notebook: its cells as nbconvert writes them with the site's cell template
(`templates/page/`), in the site's layout (`templates/site/notebook.html.j2`), code hidden behind
"Show code", with the parameters it ran with."""

from __future__ import annotations

import copy

import nbformat
from markupsafe import Markup

from rare_earths.build import reader
from rare_earths.site import layout
from rare_earths.site.layout import Link
from rare_earths.site.model import Page, Render


def exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(layout.TEMPLATES)], template_name="page")
    exporter.exclude_input = False  # kept in the page, hidden until "Show code"
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def without_title(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without the "# Title" line of its first Markdown cell: the layout writes the
    page's one <h1> from it (`model.describe`)."""
    notebook = copy.deepcopy(notebook)
    first = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    first.source = first.source.strip().split("\n", 1)[1].lstrip("\n") if "\n" in first.source.strip() else ""
    return notebook


def cells(page: Page, notebook: nbformat.NotebookNode, html_exporter) -> Markup:
    """The notebook's cells as HTML (the page's title is left to the layout)."""
    body, _ = html_exporter.from_notebook_node(without_title(notebook), resources={"metadata": {"name": page.title}})
    return Markup(body)


def notebook_pages(render: Render) -> dict[str, str]:
    """A page per executed notebook, each linked to the one before and after it in the chain."""
    html_exporter = exporter()
    links = [Link(page.href, page.title) for page in render.pages]
    written = {}
    for position, page in enumerate(render.pages):
        notebook = render.notebooks[page.notebook]
        written[page.href] = render.site.page(
            "notebook.html.j2",
            title=page.title,
            current=page.href,
            page=page,
            cells=cells(page, notebook, html_exporter),
            ran_with=reader.ran_with(notebook),
            previous=links[position - 1] if position > 0 else None,
            following=links[position + 1] if position + 1 < len(links) else None,
        )
    return written
