"""Whether each claim holds up, in the three words every page uses: "holds", "does not hold",
"not checked".

A check judges its subject (the claim after the colon of its id, "share_of_whole:a000-14"). A
check across articles judges every statement it compares, since either may be the one that is
wrong. A check that holds also stands behind the figures it was computed from (240 kt and 356 kt
reproduce the stated 67%); a check that fails does not blame them: the figure that does not hold
is its subject's. A dropped hedge blames the restatement, not the hedged statement it restates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

HOLDS, FAILS, UNCHECKED = "holds", "does not hold", "not checked"
# The order in which a claim's checks decide its standing: one that fails outweighs one that holds.
PRECEDENCE = (FAILS, HOLDS, UNCHECKED)
GROUPS: dict[str, tuple[str, ...]] = {
    HOLDS: ("consistent", "consistent_within_rounding", "derived"),
    FAILS: ("contradicted", "implausible", "hedge_dropped", "date_conflict"),
    UNCHECKED: ("ambiguous", "inconclusive", "cannot_check", "not_checked"),
}
# What a reader is told each group means.
MEANINGS = {
    HOLDS: "hold up",
    FAILS: "do not hold",
    UNCHECKED: "could not be checked",
}
SEPARATOR = "; "


def verdict_group(verdict: str) -> str:
    """The group of a verdict: holds, does not hold, or not checked."""
    for group, verdicts in GROUPS.items():
        if verdict in verdicts:
            return group
    raise KeyError(f"{verdict!r} is no verdict of the audit")


def subject(check_id: str) -> str:
    """The claim a check judges: the part of its id after the rule's name."""
    return check_id.split(":", 1)[1]


def judged(check_id: str, kind: str, claim_ids: str, verdict: str) -> list[str]:
    """The claims whose standing this check speaks for."""
    involved = claim_ids.split(SEPARATOR)
    group = verdict_group(verdict)
    if verdict == "hedge_dropped":  # the restatement says more than its source; the hedged statement is sound
        return [claim for claim in involved if claim != subject(check_id)]
    if kind == "cross_source":  # two statements compared: the verdict is as much the one's as the other's
        return involved
    if group == HOLDS:
        return involved
    return [subject(check_id)]


def standing(checks: pd.DataFrame, claim_ids: Iterable[str]) -> dict[str, str]:
    """Each claim's standing, from every check that speaks for it; a claim no check speaks for is
    not checked (every claim is in some check, if only as `not_checked`, so this is rare)."""
    found: dict[str, set[str]] = {claim: set() for claim in claim_ids}
    for row in checks.itertuples():
        group = verdict_group(row.verdict)
        for claim in judged(row.check_id, row.kind, row.claim_ids, row.verdict):
            found.setdefault(claim, set()).add(group)
    return {
        claim: next((group for group in PRECEDENCE if group in groups), UNCHECKED) for claim, groups in found.items()
    }


def counts(standings: dict[str, str]) -> dict[str, int]:
    """How many claims stand in each group, in the order pages show them."""
    return {group: sum(1 for value in standings.values() if value == group) for group in (HOLDS, FAILS, UNCHECKED)}
