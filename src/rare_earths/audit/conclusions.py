"""Each claim's one conclusion, decided once from the checks that judge it (`conclusions.csv`).

Every page, notebook and ClaimReview reads this table; none decides a standing of its own.

A check judges the claims in its `judges` column: the figure it tested, never the figures it
only used as inputs (a check of 67% against 240 kt of 356 kt judges the 67%). A check that judges
nothing (a figure derived for the reader, shares that fit within 100%) is only *related* to the
claims it names. Statements that are one statement (the same article, subject, metric,
counterpart and period: a sentence repeated in an FAQ, or the same figure said twice) are
concluded together, so they conclude alike by construction.

The precedence, applied to the checks that judge a statement:

1. `does_not_hold`: any failing verdict (`vocabulary.FAILING_VERDICTS`); all failing checks decide
   it, the most serious names its verdict. Two statements that disagree (`DISPUTES`) fail both,
   since either may be wrong, unless USGS current at the article's date bears one out: then the
   dispute is the other's;
2. `confirmed`: an agreeing verdict on independent evidence (USGS current at the article's date,
   or another article stating the same figure that does not retell the same reporting), the
   strongest evidence deciding;
3. `consistent`: an agreeing verdict on the article's own figures, or on an article that retells
   the same reporting, only;
4. `unchecked`: nothing agreed or failed; the most informative remaining verdict says why.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from rare_earths import vocabulary
from rare_earths.audit.context import article_context
from rare_earths.audit.statements import SEPARATOR
from rare_earths.data import schemas
from rare_earths.data.claims import load as load_claims
from rare_earths.data.tables import read_processed, write_processed
from rare_earths.project import Project

# The claims that are one statement: the same figure, subject and period in one article.
SAME_STATEMENT = ("source_id", "subject", "metric", "counterpart", "period", "value_low", "value_high")
# The order in which a standing is decided (see the module's docstring): the first that applies.
PRECEDENCE = ("does_not_hold", "confirmed", "consistent", "unchecked")
# Verdicts that set two statements against each other: either may be the wrong one.
DISPUTES = ("contradicted", "date_conflict")
_SERIOUS = list(vocabulary.VERDICTS)  # most serious first
_STRONGEST = list(vocabulary.EVIDENCE)  # strongest first


def _ids(cell: str) -> list[str]:
    return [claim for claim in cell.split(SEPARATOR) if claim]


def _tested_against(rows: pd.DataFrame, source_id: str, edition: str) -> str:
    """What the deciding checks tested the claim against, in words, strongest evidence first."""

    def others(kind: str) -> str:
        found = rows[rows.evidence == kind].claim_ids
        return ", ".join(sorted({claim[:4] for ids in found for claim in _ids(ids) if claim[:4] != source_id}))

    primary = rows[rows.evidence == "primary"]
    usgs = f"USGS {edition}, the edition current at the article's date"
    words = {
        # USGS, or a definition a check names (IUPAC's rare-earth elements)
        "primary": "; ".join(
            dict.fromkeys(r.compared_with if r.rule == "definition" else usgs for r in primary.itertuples())
        ),
        "other_article": f"another article, {others('other_article')}",
        "related_article": f"another article, {others('related_article')}, which retells the same reporting "
        "(not independent)",
        "coarser_article": f"another article, {others('coarser_article')}, which states it less precisely",
        "own_article": "only the article's own figures",
        "none": "nothing that could test it",
    }
    return "; and ".join(words[kind] for kind in sorted(set(rows.evidence), key=_STRONGEST.index))


def _decide(rows: pd.DataFrame) -> tuple[str, str, pd.DataFrame]:
    """(standing, verdict, the deciding rows) from the checks that judge one statement."""
    failing = rows[rows.verdict.isin(vocabulary.FAILING_VERDICTS)]
    agreeing = rows[rows.verdict.isin(vocabulary.AGREEING_VERDICTS)]
    primary = agreeing[agreeing.evidence == "primary"]
    if not primary.empty:
        # Two statements that disagree fail both, since either may be the wrong one; where USGS
        # current at the article's date bears this one out, the other is the wrong one.
        failing = failing[~failing.verdict.isin(DISPUTES) | (failing.evidence == "primary")]
    if not failing.empty:
        verdict = min(failing.verdict, key=_SERIOUS.index)
        # Every failing check decides it; the most serious names the verdict and explains it.
        return "does_not_hold", verdict, failing.iloc[failing.verdict.map(_SERIOUS.index).argsort(kind="stable")]
    if not agreeing.empty:
        strongest = min(agreeing.evidence, key=_STRONGEST.index)
        deciding = agreeing[agreeing.evidence == strongest]
        verdict = max(deciding.verdict, key=_SERIOUS.index)  # as stated before within rounding
        standing = "confirmed" if strongest in vocabulary.INDEPENDENT_EVIDENCE else "consistent"
        return standing, verdict, deciding[deciding.verdict == verdict]
    verdict = min(rows.verdict, key=_SERIOUS.index)
    return "unchecked", verdict, rows[rows.verdict == verdict]


def conclude(checks: pd.DataFrame, claims: pd.DataFrame, current: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per claim, in claim order (`schemas.CONCLUSIONS`). `current` names each article's
    USGS edition current at its date, for the words of `tested_against`. ValueError for a claim no
    check judges (the audit's `not_checked` rule judges every claim no other rule does)."""
    current = current or {}
    judging: dict[str, list[int]] = {}
    naming: dict[str, list[int]] = {}
    for position, row in enumerate(checks.itertuples()):
        for claim in _ids(row.judges):
            judging.setdefault(claim, []).append(position)
        for claim in _ids(row.claim_ids):
            naming.setdefault(claim, []).append(position)
    records = []
    for _key, group in claims.sort_values("claim_id").groupby(list(SAME_STATEMENT), sort=False, dropna=False):
        members = list(group.claim_id)
        positions = sorted({p for claim in members for p in judging.get(claim, [])})
        if not positions:
            raise ValueError(f"no check judges {', '.join(members)}: every claim needs a conclusion")
        standing, verdict, deciding = _decide(checks.iloc[positions])
        evidence = min(deciding.evidence, key=_STRONGEST.index)
        source_id = group.source_id.iloc[0]
        for claim in members:
            related = [
                checks.check_id.iloc[p]
                for p in naming.get(claim, [])
                if checks.check_id.iloc[p] not in set(deciding.check_id)
            ]
            records.append(
                {
                    "claim_id": claim,
                    "source_id": source_id,
                    "standing": standing,
                    "verdict": verdict,
                    "decided_by": SEPARATOR.join(deciding.check_id),
                    "related": SEPARATOR.join(related),
                    "evidence": evidence,
                    "tested_against": _tested_against(deciding, source_id, current.get(source_id, "")),
                    "explanation": deciding.explanation.iloc[0],
                }
            )
    return pd.DataFrame(records, columns=schemas.CONCLUSIONS.names).sort_values("claim_id").reset_index(drop=True)


def counts(conclusions: pd.DataFrame) -> dict[str, int]:
    """How many claims stand in each standing, in the order of `vocabulary.STANDINGS`."""
    found = conclusions.standing.value_counts()
    return {standing: int(found.get(standing, 0)) for standing in vocabulary.STANDINGS}


def build(
    checks: pd.DataFrame,
    output: Path | None = None,
    claims_path: Path | None = None,
    project: Project | None = None,
) -> Path:
    """Write data/processed/conclusions.csv from the audit's checks and the processed claims."""
    current, _ = article_context(project)
    table = conclude(checks, load_claims(claims_path), current)
    return write_processed(schemas.CONCLUSIONS, table, output or (project or Project.here()).processed_conclusions_csv)


def load(path: Path | None = None) -> pd.DataFrame:
    return read_processed(schemas.CONCLUSIONS, path)
