"""What the audit knows of the articles besides their claims, from sources.csv: the USGS edition
current at each article's date, and the articles that retell the same reporting (which therefore
cannot confirm each other)."""

from __future__ import annotations

import pandas as pd

from rare_earths.audit.statements import SEPARATOR
from rare_earths.audit.usgs import current_editions
from rare_earths.data import provenance
from rare_earths.project import Project


def article_context(project: Project | None = None) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each article's current USGS edition (`usgs.current_editions`) and the articles it shares
    reporting with (`related_articles`)."""
    project = project or Project.here()
    sources = provenance.load_sources(project.sources_csv, project.articles)
    references = provenance.load_references(project.references_csv, project.reference)
    return current_editions(sources, references), related_articles(sources)


def related_articles(sources: pd.DataFrame) -> dict[str, set[str]]:
    """Each article and the articles that retell the same reporting, both ways round."""
    related: dict[str, set[str]] = {}
    for row in sources.itertuples():
        for other in filter(None, row.shares_reporting_with.split(SEPARATOR)):
            related.setdefault(row.source_id, set()).add(other)
            related.setdefault(other, set()).add(row.source_id)
    return related
