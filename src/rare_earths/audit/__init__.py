"""Do the articles' numbers add up? Every check of their figures, as one table (audit.csv).

The audit is a set of rules (`registry.RULES`), one module per kind of check:

- `recompute`: a figure the articles derive from others, recomputed from those others;
- `cross_source`: statements of one figure compared, across articles and within one;
- `against_usgs`: figures against the two USGS editions, with the base of every share named;
- `dates`: a date given as an event's first occasion, against the occasions other statements date;
- `definitions`: a count of a defined group (the rare-earth elements) against its definition;
- `derived`: figures the articles imply (a price, a ratio), with the arithmetic;
- `unchecked`: every claim no rule checks, with the reason.

Each rule works on `statements.Statement`s (each figure with the values its rounding and hedge
admit) and never on a list of claim ids, so a newly captured claim is checked at once. Verdicts,
kinds and hedges are defined in `rare_earths.metadata`; sentences are written with
`rare_earths.text`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import metadata, paths
from ..tables import read_processed, write_processed

# Importing each kind's module registers its rules; `statements` is used below.
from . import (  # noqa: F401
    against_usgs,
    conclusions,
    cross_source,
    dates,
    definitions,
    derived,
    recompute,
    statements,
    unchecked,
)
from .registry import RULES, Rule
from .statements import SEPARATOR, Statement
from .usgs import Tables
from .views import (
    accounted_for,
    counts,
    edition_differences,
    findings,
    headlines,
    plain,
    rules_table,
    share_bases,
    verdicts_table,
    with_quotes,
)

__all__ = [
    "RULES",
    "SEPARATOR",
    "Rule",
    "Statement",
    "accounted_for",
    "audit",
    "build",
    "conclusions",
    "counts",
    "edition_differences",
    "findings",
    "headlines",
    "load",
    "plain",
    "rules_table",
    "share_bases",
    "verdicts_table",
    "with_quotes",
]


def audit(
    claims: pd.DataFrame,
    usgs_table: pd.DataFrame,
    current: dict[str, str] | None = None,
    related: dict[str, set[str]] | None = None,
) -> pd.DataFrame:
    """Every check, one row each, in the order of the rules, then by check id. `current` maps each
    article to the USGS edition current at its date (`usgs.current_editions`); `related` each
    article to those that retell the same reporting (`related_articles`)."""
    found = statements.statements(claims)
    given = {"claims": found, "usgs": Tables(usgs_table, current), "related": related or {}, "checked": set()}
    rows: list[dict] = []
    for registered in sorted(
        RULES.values(), key=lambda r: "checked" in r.needs
    ):  # the rule that needs every other's checks last
        if "checked" in registered.needs:  # judged by a check, not merely one of its inputs
            given["checked"] = {claim for row in rows for claim in row["judges"].split(SEPARATOR) if claim}
        rows += registered.function(*(given[need] for need in registered.needs))
    types = {column.name: "str" if column.kind == "string" else "float64" for column in metadata.AUDIT.columns}
    table = pd.DataFrame(rows, columns=metadata.AUDIT.names).astype(types)  # typed even when empty
    # Kinds in the order the metadata declares them, rules in the order they are registered within each.
    kinds = list(metadata.CHECK_KINDS)
    order = {name: (kinds.index(r.kind), position) for position, (name, r) in enumerate(RULES.items())}
    table = (
        table.assign(_order=table.rule.map(order))
        .sort_values(["_order", "check_id"], kind="stable")
        .drop(columns="_order")
    )
    return table.reset_index(drop=True)


def build(output: Path | None = None, claims_path: Path | None = None, usgs_path: Path | None = None) -> Path:
    """The audit step: read the processed claims and USGS tables, write data/processed/audit.csv."""
    from .. import claims, reference

    table = audit(claims.load(claims_path), reference.load(usgs_path), *article_context())
    return write_processed(metadata.AUDIT, table, output or paths.PROCESSED_AUDIT_CSV)


def load(path: Path | None = None) -> pd.DataFrame:
    return read_processed(metadata.AUDIT, path or paths.PROCESSED_AUDIT_CSV)


def article_context() -> tuple[dict[str, str], dict[str, set[str]]]:
    """What the audit knows of the articles from sources.csv: each one's current USGS edition
    (`usgs.current_editions`) and the articles it shares reporting with (`related_articles`)."""
    from .. import provenance
    from .usgs import current_editions

    sources = provenance.load_sources(paths.SOURCES_CSV, paths.ARTICLES)
    return current_editions(sources, provenance.load_references()), related_articles(sources)


def related_articles(sources: pd.DataFrame) -> dict[str, set[str]]:
    """Each article and the articles that retell the same reporting, both ways round."""
    related: dict[str, set[str]] = {}
    for row in sources.itertuples():
        for other in filter(None, row.shares_reporting_with.split(SEPARATOR)):
            related.setdefault(row.source_id, set()).add(other)
            related.setdefault(other, set()).add(row.source_id)
    return related
