"""The site's pages, declared once: their files and titles, in the order of the index."""

from __future__ import annotations

import csv
from pathlib import Path

from rare_earths.project import LAYOUT

# The site's pages besides one per notebook, declared once: (file, title in the navigation).
INDEX_PAGE = "index.html"
CLAIMS_PAGE = ("claims.html", "Claims explorer")
METHOD_PAGE = ("method.html", "Method")
SENSITIVITY_PAGE = ("sensitivity.html", "Sensitivity")
EXTRA_PAGES = (CLAIMS_PAGE, SENSITIVITY_PAGE, METHOD_PAGE)
# Beside the pages: the one stylesheet every page links, and the processed tables to download
# (`Project.downloads`).
STYLESHEET = "site.css"


def article_page(source_id: str) -> str:
    """The page of one article: its full text with every claim highlighted."""
    return f"article-{source_id}.html"


def source_ids(sources_csv: Path) -> list[str]:
    """The articles' ids, in the order of sources.csv (read with the csv module: cheap enough for a
    run that finds the site up to date)."""
    with open(sources_csv, encoding="utf-8", newline="") as file:
        return [row["source_id"] for row in csv.DictReader(file)]


def page_files(notebooks, articles) -> list[str]:
    """Every page of the site built from these notebooks and articles, in the order of the index:
    the one list the renderer, the run's record of the site and the browser test all use."""
    return [
        INDEX_PAGE,
        *(Path(name).with_suffix(".html").name for name in notebooks),
        *(article_page(a) for a in articles),
        *(href for href, _ in EXTRA_PAGES),
    ]


def site_files(notebooks, articles) -> list[str]:
    """Every file of the site: its pages, then the stylesheet and the downloads."""
    return [*page_files(notebooks, articles), STYLESHEET, *(path.name for path in LAYOUT.downloads)]
