"""The page of each executed notebook: its cells as nbconvert writes them with the site's cell template
(`templates/page/`), in the site's layout (`templates/site/notebook.html.j2`), code hidden behind
"Show code", with the parameters it ran with. The page opens on the notebook's key results, as its
code recorded them (`rare_earths.build.results`): what it found first, how it got there after.

Claim ids in the notebooks' words become links where the words become HTML: in tables as
`rare_earths.figures.table` writes them, in Markdown (cells, and the captions the notebooks display)
as nbconvert renders it (`exporter`). Two things are added to the cells nbconvert has finished
(`finish`), the one edit of HTML already written: why, see there.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import json
import re
from pathlib import Path

import jinja2
import nbformat
from markupsafe import Markup
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from rare_earths import vocabulary
from rare_earths.build import reader, results
from rare_earths.site import layout, registry
from rare_earths.site.layout import Link, Links
from rare_earths.site.model import Page, Render, describe


@functools.lru_cache(maxsize=4)  # one per set of claim ids: a run renders each notebook's cells with the same
def exporter(known: frozenset[str] = frozenset()):
    """nbconvert's HTML exporter with the site's cell template, whose Markdown links the claim ids of
    `known` to their sentences."""
    links = Links(known)  # claim ids only: articles are named in `finish`

    class Renderer(IPythonRenderer):
        """nbconvert's Markdown renderer, writing each known claim id of the text as a link; the
        text of links and images, code and raw HTML are left as they are."""

        linking = True

        def text(self, text: str) -> str:
            return str(links(text, escape=super().text)) if self.linking else super().text(text)

        def render_token(self, token, state):
            if token["type"] not in ("link", "image"):
                return super().render_token(token, state)
            self.linking, before = False, self.linking
            try:
                return super().render_token(token, state)
            finally:
                self.linking = before

    class Exporter(HTMLExporter):
        @jinja2.pass_context
        def markdown2html(self, context, source):
            """As nbconvert's (HTMLExporter.markdown2html), with `Renderer`."""
            cell = context.get("cell", {})
            renderer = Renderer(
                escape=False,
                attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=context.get("resources", {}).get("metadata", {}).get("path", ""),
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

    made = Exporter(extra_template_basedirs=[str(layout.TEMPLATES)], template_name="page")
    made.known = known  # part of what its cells are made from (`cells`)
    made.exclude_input = False  # kept in the page, hidden until "Show code"
    made.exclude_input_prompt = True
    made.exclude_output_prompt = True
    return made


# Where templates/page/ put a table output; a tag; an article id standing alone; the elements whose
# text is not prose (links already, code, charts, scripts and styles).
TABLE_START, TABLE_END = "<!--table-->", "<!--/table-->"
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)?[^>]*>")
_SOURCE_ID = re.compile(rf"\b{vocabulary.SOURCE_ID}\b(?!-\d)")
_KEPT = {"a", "script", "style", "svg", "pre", "code", "textarea", "title"}


def finish(cells: str, names: dict) -> str:
    """The cells nbconvert wrote, with each table output (marked by templates/page/) in the box that
    scrolls it (templates/site/macros.html.j2's `scrolls`, numbered by its place on the page), and each
    article id in their text as the article's name, linking its page.

    The one edit of HTML already written, for two reasons: nbconvert's HTMLExporter passes every
    page it writes through BeautifulSoup, which sorts attributes and rewrites character references,
    so markup written before it cannot keep the site's own; and the kernels that wrote the notebooks'
    tables and captions do not know the articles' names (sources.csv, which most notebooks never read,
    and reading it would make each depend on it). Claim ids are linked where the text is made."""

    def name(found: re.Match) -> str:
        source_id = found.group(0)
        if source_id not in names:
            return source_id
        return f'<a href="{registry.article_page(source_id)}">{html.escape(names[source_id].short)}</a>'

    out, position, kept, tables = [], 0, 0, 0
    for tag in _TAG.finditer(cells):
        text = cells[position : tag.start()]
        out.append(text if kept else _SOURCE_ID.sub(name, text))
        if tag.group(0) == TABLE_START:
            tables += 1
            out.append(f'<div class="table-wrap" role="region" aria-label="Table {tables}" tabindex="0">')
        elif tag.group(0) == TABLE_END:
            out.append("</div>")
        else:
            out.append(tag.group(0))
        if (tag.group(2) or "").lower() in _KEPT:
            kept += -1 if tag.group(1) else 1
        position = tag.end()
    out.append(cells[position:] if kept else _SOURCE_ID.sub(name, cells[position:]))
    return "".join(out)


def without_title(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook without the "# Title" line of its first Markdown cell: the layout writes the
    page's one <h1> from it (`model.describe`)."""
    notebook = copy.deepcopy(notebook)
    first = next(cell for cell in notebook.cells if cell.cell_type == "markdown")
    first.source = first.source.strip().split("\n", 1)[1].lstrip("\n") if "\n" in first.source.strip() else ""
    return notebook


def chart_downloads(name: str, notebook: nbformat.NotebookNode) -> dict[str, str]:
    """The files of each chart of the notebook `name`, by their names (`registry.chart_name`): the
    data it plots as CSV, as `figures.show` recorded it in the output's metadata, and the chart's SVG
    as the page shows it. A chart without its data is refused: a reader is offered both."""
    files = {}
    for number, output in enumerate(registry.chart_outputs(notebook), start=1):
        chart = registry.chart_name(name, number)
        data = output.get("metadata", {}).get("image/svg+xml", {}).get("csv")
        if data is None:
            raise ValueError(
                f"{name}: chart {number} has no data recorded (show it with figures.show(..., data=frame))"
            )
        files[f"{chart}.csv"] = data
        files[f"{chart}.svg"] = output["data"]["image/svg+xml"]
    return files


def with_downloads(name: str, notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each chart's output named for its downloads (`download` in its metadata),
    which the cell template links under it."""
    for number, output in enumerate(registry.chart_outputs(notebook), start=1):
        output.setdefault("metadata", {}).setdefault("image/svg+xml", {})["download"] = registry.chart_name(
            name, number
        )
    return notebook


# Each notebook's cells as nbconvert wrote them, by everything they are made from. A run renders a
# notebook's cells as soon as it is executed (`prepare`), while the other notebooks still run; the
# site step, after the last, finds them here instead of waiting for nbconvert (about 0.3 s a page).
_CELLS: dict[tuple, str] = {}


def cells(page: Page, notebook: nbformat.NotebookNode, html_exporter) -> str:
    """The notebook's cells as nbconvert writes them (the page's title is left to the layout), each
    chart with the links to its downloads."""
    made_from = json.dumps(notebook, sort_keys=True, ensure_ascii=False).encode("utf-8")
    key = (page.notebook, page.title, hashlib.sha256(made_from).hexdigest(), getattr(html_exporter, "known", None))
    if key not in _CELLS:
        shown = with_downloads(page.notebook, without_title(notebook))  # a copy: the notebook read stays as it is
        _CELLS[key], _ = html_exporter.from_notebook_node(shown, resources={"metadata": {"name": page.title}})
        while len(_CELLS) > 32:  # a long process (a test worker) keeps the latest only
            del _CELLS[next(iter(_CELLS))]
    return _CELLS[key]


def prepare(executed: Path, known: frozenset[str]) -> None:
    """Render the cells of the executed notebook at `executed` now, for the site step to find: a
    run calls it as each notebook finishes. What is wrong with the notebook is left for the site
    step to say, where it stops the pages with one located error."""
    try:
        notebook = reader.read(executed)
        cells(describe(notebook, executed.name), notebook, exporter(known))
    except (OSError, ValueError, KeyError, StopIteration):
        return


def key_results(notebook: nbformat.NotebookNode) -> list[dict[str, object]]:
    """The key results the notebook recorded, in cell order, as its page opens on them: each one's
    label, value as a sentence writes it, claims and meaning."""
    return [
        {
            "label": record["label"],
            "shown": results.shown(record),
            "claims": record["claims"],
            "meaning": record["meaning"],
        }
        for record in results.collect(notebook)
    ]


def notebook_pages(render: Render) -> dict[str, str]:
    """A page per executed notebook, each linked to the one before and after it in the chain."""
    html_exporter = exporter(frozenset(render.site.known))
    links = [Link(page.href, page.title) for page in render.pages]
    written = {}
    for position, page in enumerate(render.pages):
        notebook = render.notebooks[page.notebook]
        written[page.href] = render.site.page(
            "notebook.html.j2",
            title=page.title,
            current=page.href,
            page=page,
            cells=Markup(finish(cells(page, notebook, html_exporter), render.site.names)),
            key_results=key_results(notebook),
            ran_with=reader.ran_with(notebook),
            previous=links[position - 1] if position > 0 else None,
            following=links[position + 1] if position + 1 < len(links) else None,
        )
    return written
