"""Every path the project reads or writes, in one place."""

from __future__ import annotations

import csv
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
PROCESSED_CONCLUSIONS_CSV = PROCESSED / "conclusions.csv"

PARAMS_YAML = ROOT / "params.yaml"

NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
EXECUTED = REPORTS / "executed"
HTML = REPORTS / "html"
RESULTS_CSV = REPORTS / "results.csv"  # every executed notebook's recorded results
SWEEP = REPORTS / "sweep"  # the sensitivity sweep's runs and its results.csv
# The processed tables the site offers to download, beside its pages.
DOWNLOADS = (
    PROCESSED_CLAIMS_CSV,
    PROCESSED_CONCLUSIONS_CSV,
    PROCESSED_AUDIT_CSV,
    PROCESSED_USGS_CSV,
    PROCESSED / "datapackage.json",
)
# Held by every run that writes data/processed/ or reports/: one run at a time in a tree.
RUN_LOCK = REPORTS / ".run.lock"


def relative(path: Path) -> str:
    """A path as shown in messages and outputs: relative to the repository, never absolute."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return Path(path).as_posix()


def source_ids(sources_csv: Path | None = None) -> list[str]:
    """The articles' ids, in the order of sources.csv (read with the csv module: cheap enough for a
    run that finds the site up to date)."""
    with open(sources_csv or SOURCES_CSV, encoding="utf-8", newline="") as file:
        return [row["source_id"] for row in csv.DictReader(file)]
