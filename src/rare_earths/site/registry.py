"""Every page of the site, registered once: its file (or files, for a page per notebook or per
article), its title, its place in the navigation, its template and the function that builds it.

The navigation, the index's links, the renderer's list of pages, the files the site step records in
its manifest and the tests all read this list. Adding a page is one `Entry` here and one template in
`templates/site/`; `tests/site/test_site.py` fails on a registered page no link from the index
reaches, and on a page written that is not registered.

Cheap to import (no pandas, no nbconvert): the build step reads the list of files from here without
rendering anything. Builders are named "module:function" in `rare_earths.site` and imported only
when the site is rendered.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Beside the pages: the one stylesheet every page links.
STYLESHEET = "site.css"

# What a reader downloads for any one page, the stylesheet included, uncompressed. The pages that
# grow with the sources are split by article: an article's page grows with its own claims (about
# 3.5 KB each), and the audit page counts and links rather than lists every claim and check.
PAGE_WEIGHT_TARGET = 256 * 1024


def page_weights(html_dir: Path) -> dict[str, int]:
    """Bytes a reader downloads for each page: the page and the stylesheet it links."""
    style = (Path(html_dir) / STYLESHEET).stat().st_size
    return {path.name: path.stat().st_size + style for path in sorted(Path(html_dir).glob("*.html"))}


def heavy_pages(html_dir: Path) -> dict[str, int]:
    """The pages over PAGE_WEIGHT_TARGET, with their weights."""
    return {name: weight for name, weight in page_weights(html_dir).items() if weight > PAGE_WEIGHT_TARGET}


INDEX = "index.html"


def notebook_page(notebook: str) -> str:
    """The page of one executed notebook: "03-trade.ipynb" -> "03-trade.html"."""
    return Path(notebook).with_suffix(".html").name


def article_page(source_id: str) -> str:
    """The page of one article: its full text with every claim highlighted."""
    return f"article-{source_id}.html"


Files = Callable[[Sequence[str], Sequence[str]], list[str]]  # (notebooks, articles) -> the entry's files


@dataclass(frozen=True)
class Entry:
    """One page, or one family of pages (a page per notebook, a page per article)."""

    key: str  # names the entry; its template is templates/site/<key>.html.j2
    title: str  # the page's <h1>, or the heading of the index's section that lists a family
    nav: str  # its words in the navigation
    build: str | Callable  # (render) -> {file: HTML}, or its name "module:function" in rare_earths.site
    file: str | None = None  # a single page's file
    each: Files | None = None  # a family's files
    section: str | None = None  # a family: the id of the index's section listing it (the navigation links there)
    summary: str | None = None  # a single page the index lists under "Every claim, and how the numbers are made"

    @property
    def template(self) -> str:
        return f"{self.key}.html.j2"

    @property
    def href(self) -> str:
        """Where the navigation leads: the page, or the index's section listing the family."""
        return self.file if self.file is not None else f"{INDEX}#{self.section}"

    def files(self, notebooks: Sequence[str], articles: Sequence[str]) -> list[str]:
        return [self.file] if self.file is not None else self.each(notebooks, articles)

    def builder(self) -> Callable:
        if callable(self.build):
            return self.build
        module, function = self.build.split(":")
        return getattr(importlib.import_module(f"rare_earths.site.{module}"), function)


# In the order of the navigation, which is also the order of the index and of the files.
PAGES: tuple[Entry, ...] = (
    Entry("index", "Do the numbers hold up?", "Overview", "pages:index_page", file=INDEX),
    Entry(
        "notebook",
        "Reports",
        "Reports",
        "notebooks:notebook_pages",
        each=lambda notebooks, _: [notebook_page(name) for name in notebooks],
        section="reports",
    ),
    Entry(
        "article",
        "The articles, with every claim marked",
        "Articles",
        "pages:article_pages",
        each=lambda _, articles: [article_page(source_id) for source_id in articles],
        section="articles",
    ),
    Entry(
        "claims",
        "Claims explorer",
        "Claims",
        "pages:claims_page",
        file="claims.html",
        summary="Every figure the articles state, with its quote, its value as written and in standard units, "
        "and its verdicts; search, filter and sort.",
    ),
    Entry("sensitivity", "Sensitivity", "Sensitivity", "pages:sensitivity_page", file="sensitivity.html"),
    Entry(
        "method",
        "Method",
        "Method",
        "pages:method_page",
        file="method.html",
        summary="The pipeline, units and conversions, the parameters of this run, and the sources cited.",
    ),
)
BY_KEY = {entry.key: entry for entry in PAGES}


def page(key: str) -> Entry:
    """The entry registered as `key`; KeyError lists the keys there are."""
    if key not in BY_KEY:
        raise KeyError(f"no page registered as {key!r}; registered: {', '.join(BY_KEY)}")
    return BY_KEY[key]


def page_files(notebooks: Sequence[str], articles: Sequence[str]) -> list[str]:
    """Every page of the site built from these notebooks and articles, in the order of the index."""
    return [name for entry in PAGES for name in entry.files(notebooks, articles)]


def site_files(
    notebooks: Sequence[str], articles: Sequence[str], downloads: Sequence[Path], charts: Sequence[str] = ()
) -> list[str]:
    """Every file of the site: its pages, then the stylesheet, the downloads (the processed tables)
    and each chart's two (`chart_files`)."""
    return [*page_files(notebooks, articles), STYLESHEET, *(Path(path).name for path in downloads), *charts]


# A chart's downloads beside the pages, each under its link's words: the data it plots, the chart.
CHART_DOWNLOADS = {"csv": "Download this chart's data (CSV)", "svg": "the chart (SVG)"}


def chart_name(notebook: str, number: int) -> str:
    """The name of a notebook's chart `number` (from 1, in the page's order), its files' but for their
    suffix: ("04-demand.ipynb", 1) -> "04-demand-figure-1"."""
    return f"{Path(notebook).stem}-figure-{number}"


def chart_outputs(notebook: Mapping) -> list[Mapping]:
    """A notebook's charts: its outputs drawn as SVG (`figures.show`), in the order of the page.
    Reads nbformat's notebooks and plain JSON alike."""
    return [
        output
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if "image/svg+xml" in output.get("data", {})
    ]


def chart_files(folder: Path, notebooks: Sequence[str]) -> list[str]:
    """The files of every chart of these notebooks in `folder`: each chart's CSV and SVG. Read as
    JSON, cheap enough for a run that finds the site up to date."""
    files = []
    for notebook in notebooks:
        count = len(chart_outputs(json.loads((Path(folder) / notebook).read_text(encoding="utf-8"))))
        files += [f"{chart_name(notebook, n)}.{suffix}" for n in range(1, count + 1) for suffix in CHART_DOWNLOADS]
    return files


def source_ids(sources_csv: Path) -> list[str]:
    """The articles' ids, in the order of sources.csv: one page each. Read with the csv module,
    cheap enough for a run that finds the site up to date."""
    with open(sources_csv, encoding="utf-8", newline="") as file:
        return [row["source_id"] for row in csv.DictReader(file)]
