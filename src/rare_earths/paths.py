"""Every path the project reads or writes, in one place."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DATA = ROOT / "data"
RAW = DATA / "raw"
ARTICLES = RAW / "articles"
REFERENCE = RAW / "reference"
SOURCES_CSV = RAW / "sources.csv"
REFERENCES_CSV = REFERENCE / "references.csv"
RAW_CLAIMS_CSV = RAW / "claims.csv"
EXCLUSIONS_CSV = RAW / "exclusions.csv"

PROCESSED = DATA / "processed"
PROCESSED_CLAIMS_CSV = PROCESSED / "claims.csv"
PROCESSED_USGS_CSV = PROCESSED / "usgs.csv"
PROCESSED_AUDIT_CSV = PROCESSED / "audit.csv"

PARAMS_YAML = ROOT / "params.yaml"

NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
EXECUTED = REPORTS / "executed"
HTML = REPORTS / "html"
# The site's pages besides one per notebook, declared once: (file, title in the navigation).
INDEX_PAGE = "index.html"
CLAIMS_PAGE = ("claims.html", "Claims explorer")
METHOD_PAGE = ("method.html", "Method")
EXTRA_PAGES = (CLAIMS_PAGE, METHOD_PAGE)
# Held by every run that writes data/processed/ or reports/: one run at a time in a tree.
RUN_LOCK = REPORTS / ".run.lock"


def relative(path: Path) -> str:
    """A path as shown in messages and outputs: relative to the repository, never absolute."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()


def page_files(notebooks) -> list[str]:
    """Every page of the site built from these notebooks, in the order of the navigation: the one
    list the renderer, the run's record of the site and the browser test all use."""
    return [INDEX_PAGE, *(Path(name).with_suffix(".html").name for name in notebooks), *(href for href, _ in EXTRA_PAGES)]
