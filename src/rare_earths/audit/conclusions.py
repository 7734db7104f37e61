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


# Below, a check is its row of the audit's table as a dict, by column name: each statement has a
# handful of checks, and DataFrame filters of them took 0.3 s of the data step's 1.2 s, where
# plain rows take 0.02 s.


def _tested_against(rows: list[dict], source_id: str, edition: str) -> str:
    """What the deciding checks tested the claim against, in words, strongest evidence first."""

    def others(kind: str) -> str:
        found = {claim[:4] for row in rows if row["evidence"] == kind for claim in _ids(row["claim_ids"])}
        return ", ".join(sorted(found - {source_id}))

    usgs = f"USGS {edition}, the edition current at the article's date"
    words = {
        # USGS, or a definition a check names (IUPAC's rare-earth elements)
        "primary": "; ".join(
            dict.fromkeys(
                row["compared_with"] if row["rule"] == "definition" else usgs
                for row in rows
                if row["evidence"] == "primary"
            )
        ),
        "other_article": f"another article, {others('other_article')}",
        "related_article": f"another article, {others('related_article')}, which retells the same reporting "
        "(not independent)",
        "coarser_article": f"another article, {others('coarser_article')}, which states it less precisely",
        "own_article": "only the article's own figures",
        "none": "nothing that could test it",
    }
    return "; and ".join(words[kind] for kind in sorted({row["evidence"] for row in rows}, key=_STRONGEST.index))


def _decide(rows: list[dict]) -> tuple[str, str, list[dict]]:
    """(standing, verdict, the deciding rows) from the checks that judge one statement."""
    failing = [row for row in rows if row["verdict"] in vocabulary.FAILING_VERDICTS]
    agreeing = [row for row in rows if row["verdict"] in vocabulary.AGREEING_VERDICTS]
    if any(row["evidence"] == "primary" for row in agreeing):
        # Two statements that disagree fail both, since either may be the wrong one; where USGS
        # current at the article's date bears this one out, the other is the wrong one.
        failing = [row for row in failing if row["verdict"] not in DISPUTES or row["evidence"] == "primary"]
    if failing:
        # Every failing check decides it; the most serious names the verdict and explains it.
        ordered = sorted(failing, key=lambda row: _SERIOUS.index(row["verdict"]))
        return "does_not_hold", ordered[0]["verdict"], ordered
    if agreeing:
        strongest = min((row["evidence"] for row in agreeing), key=_STRONGEST.index)
        deciding = [row for row in agreeing if row["evidence"] == strongest]
        verdict = max((row["verdict"] for row in deciding), key=_SERIOUS.index)  # as stated before within rounding
        standing = "confirmed" if strongest in vocabulary.INDEPENDENT_EVIDENCE else "consistent"
        return standing, verdict, [row for row in deciding if row["verdict"] == verdict]
    verdict = min((row["verdict"] for row in rows), key=_SERIOUS.index)
    return "unchecked", verdict, [row for row in rows if row["verdict"] == verdict]


def conclude(checks: pd.DataFrame, claims: pd.DataFrame, current: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per claim, in claim order (`schemas.CONCLUSIONS`). `current` names each article's
    USGS edition current at its date, for the words of `tested_against`. ValueError for a claim no
    check judges (the audit's `not_checked` rule judges every claim no other rule does)."""
    current = current or {}
    rows: list[dict] = checks.to_dict("records")
    judging: dict[str, list[int]] = {}
    naming: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        for claim in _ids(row["judges"]):
            judging.setdefault(claim, []).append(position)
        for claim in _ids(row["claim_ids"]):
            naming.setdefault(claim, []).append(position)
    records = []
    for _key, group in claims.sort_values("claim_id").groupby(list(SAME_STATEMENT), sort=False, dropna=False):
        members = list(group.claim_id)
        positions = sorted({p for claim in members for p in judging.get(claim, [])})
        if not positions:
            raise ValueError(f"no check judges {', '.join(members)}: every claim needs a conclusion")
        standing, verdict, deciding = _decide([rows[p] for p in positions])
        decided_by = [row["check_id"] for row in deciding]
        source_id = group.source_id.iloc[0]
        for claim in members:
            records.append(
                {
                    "claim_id": claim,
                    "source_id": source_id,
                    "standing": standing,
                    "verdict": verdict,
                    "decided_by": SEPARATOR.join(decided_by),
                    "related": SEPARATOR.join(
                        rows[p]["check_id"] for p in naming.get(claim, []) if rows[p]["check_id"] not in decided_by
                    ),
                    "evidence": min((row["evidence"] for row in deciding), key=_STRONGEST.index),
                    "tested_against": _tested_against(deciding, source_id, current.get(source_id, "")),
                    "explanation": deciding[0]["explanation"],
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
