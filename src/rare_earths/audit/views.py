"""The audit as the notebooks and pages show it: tables read from audit.csv, in plain words."""

from __future__ import annotations

import pandas as pd

from rare_earths import text, vocabulary
from rare_earths.audit.against_usgs import share_candidates, value_candidates
from rare_earths.audit.registry import RULES
from rare_earths.audit.statements import SEPARATOR, SHARE_INDEX, index, statements
from rare_earths.audit.usgs import EDITIONS, Tables

# Verdicts a reader must see first, in the metadata's order (most serious first).
FINDINGS = vocabulary.FINDINGS
# Verdicts of a check that could not be made, or of a claim no rule checks.
UNCHECKED = ("cannot_check", "not_checked")


def plain(name: str) -> str:
    """A vocabulary name in words: 'consistent_within_rounding' -> 'consistent within rounding'."""
    return name.replace("_", " ")


# What a rule is given, in words.
NEEDS = {
    "claims": "the claims",
    "usgs": "the USGS tables",
    "related": "the articles that share reporting",
    "checked": "the other checks",
}


def rules_table() -> pd.DataFrame:
    """Every rule with its kind, what it needs and what it checks, from the registry, in words."""
    return pd.DataFrame(
        [
            {
                "Kind": vocabulary.CHECK_KIND_LABELS[r.kind],
                "Rule": plain(r.name),
                "Needs": ", ".join(NEEDS.get(n, plain(n)) for n in r.needs),
                "What it checks": r.meaning,
            }
            for r in sorted(RULES.values(), key=lambda r: list(vocabulary.CHECK_KINDS).index(r.kind))
        ]
    )


def standings_table(conclusions: pd.DataFrame) -> pd.DataFrame:
    """Claims by article (rows) and standing (columns), with totals."""
    counted = pd.crosstab(
        conclusions.source_id, pd.Categorical(conclusions.standing, categories=list(vocabulary.STANDINGS)), dropna=False
    )
    counted.columns = [vocabulary.STANDINGS[s].label for s in counted.columns]
    counted.index.name = "Article"
    counted.columns.name = None
    counted["Total"] = counted.sum(axis=1)
    counted.loc["Total"] = counted.sum()
    return counted


def verdicts_table() -> pd.DataFrame:
    """Every verdict with what it means and an example, most serious first."""
    return pd.DataFrame(
        [{"Verdict": v.label, "Meaning": v.meaning, "Example": v.example} for v in vocabulary.VERDICTS.values()]
    )


def counts(table: pd.DataFrame) -> pd.DataFrame:
    """Checks by kind (rows) and verdict (columns), every kind and verdict shown, with totals."""
    counted = pd.crosstab(
        pd.Categorical(table.kind, categories=list(vocabulary.CHECK_KINDS)),
        pd.Categorical(table.verdict, categories=list(vocabulary.VERDICTS)),
        dropna=False,
    )
    counted.index = [vocabulary.CHECK_KIND_LABELS[kind] for kind in counted.index]
    counted.columns = [vocabulary.VERDICTS[verdict].label for verdict in counted.columns]
    counted.index.name = "Kind of check"
    counted.columns.name = None
    counted["Total"] = counted.sum(axis=1)
    counted.loc["Total"] = counted.sum()
    return counted


def unchecked_counts(table: pd.DataFrame) -> pd.DataFrame:
    """The checks that could not be made, by kind (rows) and verdict (columns): only the kinds that
    have one, so the table grows with the kinds of check, not with the claims."""
    counted = counts(table[table.verdict.isin(UNCHECKED)])
    labels = [vocabulary.VERDICTS[verdict].label for verdict in UNCHECKED]
    return counted.loc[counted.Total > 0, [*labels, "Total"]]


def headlines(table: pd.DataFrame) -> pd.DataFrame:
    """The findings a reader should see first: every check whose verdict is in FINDINGS, grouped by
    verdict (most serious first), then by check id."""
    order = {verdict: position for position, verdict in enumerate(vocabulary.VERDICTS)}
    found = table[table.verdict.isin(FINDINGS)]
    return (
        found.assign(_order=found.verdict.map(order))
        .sort_values(["_order", "check_id"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def findings(table: pd.DataFrame) -> pd.DataFrame:
    """The headlines as a reader's table: verdict in words, the claims and the explanation."""
    found = headlines(table)
    return pd.DataFrame(
        {
            "Verdict": found.verdict.map(lambda v: vocabulary.VERDICTS[v].label),
            "Claims judged": found.judges,  # not the claims it only used, which its explanation names
            "What was found": found.explanation,
        }
    )


def for_readers(table: pd.DataFrame, claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Checks as a reader's table: the rule and verdict in words, the claims (by id, which the pages
    link), the explanation and, given the claims, their quotes. No check id: it is a name from the
    code ('share_of_whole:a000-14'), and the rule and claims say the same in words."""
    shown = pd.DataFrame(
        {
            "Rule": table.rule.map(plain).to_numpy(),
            "Verdict": table.verdict.map(lambda v: vocabulary.VERDICTS[v].label).to_numpy(),
            "Claims": table.claim_ids.to_numpy(),
            "What was found": table.explanation.to_numpy(),
        }
    )
    if claims is not None:
        shown["Quotes"] = with_quotes(table, claims).quotes.to_numpy()
    return shown


def with_quotes(table: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Each check with the quotes of its claims, each prefixed by its claim id."""
    quotes = claims.set_index("claim_id").quote
    return table.assign(
        quotes=[" | ".join(f"{claim}: “{quotes[claim]}”" for claim in ids.split(SEPARATOR)) for ids in table.claim_ids]
    )


def accounted_for(table: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """Each claim and the checks it appears in: every claim appears at least once (as 'not checked' if no rule checks it)."""
    checks_of: dict[str, list[str]] = {}
    for row in table.itertuples():
        for claim in row.claim_ids.split(SEPARATOR):
            checks_of.setdefault(claim, []).append(f"{plain(row.rule)}: {vocabulary.VERDICTS[row.verdict].label}")
    return pd.DataFrame(
        {
            "claim": claims.claim_id,
            "checks": [len(checks_of.get(c, [])) for c in claims.claim_id],
            "verdicts": [SEPARATOR.join(checks_of.get(c, [])) for c in claims.claim_id],
        }
    )


def edition_differences(claims: pd.DataFrame, usgs_table: pd.DataFrame) -> pd.DataFrame:
    """How far each reserve and production figure is from each USGS edition, in percent of USGS's
    value; shares are in `share_bases`, ranks in the audit."""
    usgs = Tables(usgs_table)
    rows = []
    seen = set()
    for stated in statements(claims):
        record = vocabulary.METRICS[stated.metric]
        key = (stated.subject, stated.metric, stated.period, stated.point)
        if not record.usgs_measure or record.share_of or record.rank_of or key in seen:
            continue
        seen.add(key)
        unit = text.display_unit(stated.unit, stated.point)
        for candidate in value_candidates(stated, usgs):
            label = f"{'world' if stated.subject == 'world' else text.possessive(stated.subject)} {record.said}"
            scale = 1e6 if unit == "Mt" else 1e3 if unit == "kt" else 1.0
            rows.append(
                {
                    "figure": label + (f" ({stated.period})" if stated.period else ""),
                    "edition": candidate.edition,
                    "stated": stated.point / scale,
                    "usgs": candidate.value / scale,
                    "unit": unit,
                    "difference_pct": 100 * (stated.point - candidate.value) / candidate.value,
                    "claim_ids": stated.ids,
                }
            )
    return pd.DataFrame(rows, columns=["figure", "edition", "stated", "usgs", "unit", "difference_pct", "claim_ids"])


def share_bases(claims: pd.DataFrame, usgs_table: pd.DataFrame) -> pd.DataFrame:
    """Every share the articles give of a USGS measure, recomputed on every base, with whether it
    reproduces the stated figure (`reproduces`, in words: a base that does not is no finding about
    the share); `whole` names the base's whole in a few words, for a chart's labels."""
    usgs = Tables(usgs_table)
    found = statements(claims)
    by = index(found, *SHARE_INDEX)
    rows = []
    for stated in found:
        record = vocabulary.METRICS[stated.metric]
        if not (record.usgs_measure and record.share_of):
            continue
        for candidate in share_candidates(stated, by, usgs):
            whole = (
                "the article's own figures"
                if not candidate.edition
                else "sum of listed countries"
                if "the sum of the countries" in candidate.label
                else "world total"
            )
            rows.append(
                {
                    "share": f"{text.possessive(stated.subject)} {record.said}",
                    "stated": stated.as_written,
                    "base": candidate.edition or "the article's own figures",
                    "whole": whole,
                    "arithmetic": candidate.label,
                    "share_pct": candidate.value,
                    "verdict": candidate.verdict,
                    "reproduces": REPRODUCES[candidate.verdict],
                    "claim_ids": stated.ids,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["share", "stated", "base", "whole", "arithmetic", "share_pct", "verdict", "reproduces", "claim_ids"],
    )


# Whether one base gives a stated share, in words: a base that does not is no verdict on the share
# (the share is judged on the edition current at its article's date, `against_usgs.share_base`).
REPRODUCES = {
    "consistent": "gives it",
    "consistent_within_rounding": "gives it within rounding",
    "inconclusive": "only a bound",
    "contradicted": "does not give it",
}


__all__ = [
    "EDITIONS",
    "REPRODUCES",
    "standings_table",
    "FINDINGS",
    "UNCHECKED",
    "NEEDS",
    "accounted_for",
    "counts",
    "edition_differences",
    "findings",
    "for_readers",
    "headlines",
    "plain",
    "rules_table",
    "share_bases",
    "unchecked_counts",
    "verdicts_table",
    "with_quotes",
]
