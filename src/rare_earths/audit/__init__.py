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
kinds and hedges are defined in `rare_earths.vocabulary`; sentences are written with
`rare_earths.text`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rare_earths import vocabulary

# Importing each kind's module registers its rules; `statements` is used below.
from rare_earths.audit import (  # noqa: F401
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
from rare_earths.audit.context import article_context, related_articles
from rare_earths.audit.registry import RULES, Rule
from rare_earths.audit.statements import SEPARATOR, Statement
from rare_earths.audit.usgs import Tables
from rare_earths.audit.views import (
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
from rare_earths.data import claims, reference, schemas
from rare_earths.data.tables import read_processed, write_processed
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import Project, relative

__all__ = [
    "RULES",
    "SEPARATOR",
    "Rule",
    "Statement",
    "accounted_for",
    "article_context",
    "audit",
    "build",
    "conclusions",
    "counts",
    "edition_differences",
    "findings",
    "headlines",
    "load",
    "plain",
    "related_articles",
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
    given = {"claims": found, "usgs": Tables(usgs_table, current), "related": related or {}, "checked": []}
    rows: list[dict] = []
    for registered in sorted(
        RULES.values(), key=lambda r: "checked" in r.needs
    ):  # the rule that needs every other's checks last
        if "checked" in registered.needs:  # every other rule's checks, judging or not
            given["checked"] = list(rows)
        rows += registered.function(*(given[need] for need in registered.needs))
    types = {column.name: "str" if column.kind == "string" else "float64" for column in schemas.AUDIT.columns}
    table = pd.DataFrame(rows, columns=schemas.AUDIT.names).astype(types)  # typed even when empty
    # Kinds in the order the metadata declares them, rules in the order they are registered within each.
    kinds = list(vocabulary.CHECK_KINDS)
    order = {name: (kinds.index(r.kind), position) for position, (name, r) in enumerate(RULES.items())}
    table = (
        table.assign(_order=table.rule.map(order))
        .sort_values(["_order", "check_id"], kind="stable")
        .drop(columns="_order")
    )
    return table.reset_index(drop=True)


def build(
    output: Path | None = None,
    claims_path: Path | None = None,
    usgs_path: Path | None = None,
    project: Project | None = None,
) -> Path:
    """The audit step: read the processed claims and USGS tables, write data/processed/audit.csv."""
    table = audit(claims.load(claims_path), reference.load(usgs_path), *article_context(project))
    return write_processed(schemas.AUDIT, table, output or (project or Project.here()).processed_audit_csv)


def load(path: Path | None = None) -> pd.DataFrame:
    """data/processed/audit.csv, validated against its schema; every rule it names must be registered
    (the schema, in the data layer, checks only the name's form)."""
    path = path or Project.here().processed_audit_csv
    table = read_processed(schemas.AUDIT, path)
    unknown = [(index, rule) for index, rule in zip(table.index, table.rule, strict=True) if rule not in RULES]
    if unknown:
        index, rule = unknown[0]
        raise InputError(
            [Problem(relative(path), f"unknown rule {rule!r}; registered: {', '.join(RULES)}", line_of(index), "rule")]
        )
    return table
