"""The audit's rules, each declared once where it is written.

A rule is a function from the article statements (and, if it says it needs them, the USGS
tables) to checks. `@rule(...)` registers it with its name, kind, meaning and needs; the runner
(`rare_earths.audit.audit`), the audit table's schema, the data dictionary and the notebook's rules
table all read `RULES`, so a new rule is one decorated function in one of the kind modules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rare_earths import text, vocabulary
from rare_earths.audit.statements import SEPARATOR, Statement


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str  # one of vocabulary.CHECK_KINDS
    meaning: str  # what it checks, in one sentence
    needs: tuple[str, ...]  # "claims", and "usgs" where it reads the USGS tables
    evidence: str  # what its checks test the judged claims against (vocabulary.EVIDENCE), unless a check says
    function: Callable


RULES: dict[str, Rule] = {}
# What a rule can be given: the article statements, the USGS tables, the articles that share their
# reporting (`related`: source_id -> the ids it shares reporting with), and the checks every rule
# that needs no "checked" has already made (for the rule that accounts for the rest).
NEEDS = ("claims", "usgs", "related", "checked")


def rule(name: str, kind: str, meaning: str, needs: tuple[str, ...] = ("claims",), evidence: str = "own_article"):
    """Register a rule: a function given, in the order of NEEDS, what `needs` names (`found` for "claims")."""
    if kind not in vocabulary.CHECK_KINDS:
        raise ValueError(f"rule {name}: unknown kind {kind!r}; known: {', '.join(vocabulary.CHECK_KINDS)}")
    if evidence not in vocabulary.EVIDENCE:
        raise ValueError(f"rule {name}: unknown evidence {evidence!r}; known: {', '.join(vocabulary.EVIDENCE)}")
    if set(needs) - set(NEEDS):
        raise ValueError(f"rule {name}: needs {needs}; a rule can need {', '.join(NEEDS)}")

    def register(function: Callable) -> Callable:
        if name in RULES:
            raise ValueError(f"rule {name} is registered twice")
        RULES[name] = Rule(name, kind, meaning, tuple(needs), evidence, function)
        return function

    return register


def check(
    rule_name: str,
    claim_ids: Iterable[str],
    stated: Statement,
    check_value: float | None,
    compared_with: str,
    verdict: str,
    explanation: str,
    *,
    judges: Iterable[str] | None = None,
    evidence: str | None = None,
    versus: Statement | None = None,
) -> dict:
    """One row of the audit table; values shown in the unit a reader expects (Mt, kt, %).

    `judges`: the claims whose conclusion the check speaks for; by default the stated figure's
    own (`stated.claim_ids`), never its inputs. `evidence`: what they were tested against; by
    default the rule's. A check that judges nothing, or whose verdict decides nothing, has
    evidence "none". `versus`: for a rule that sets one figure against several others, the other,
    whose first claim then completes the check's id (`absence_against_figure:a003-07/a002-03`)."""
    judged = list(stated.claim_ids if judges is None else judges)
    involved = set(claim_ids)
    if not set(judged) <= involved:
        raise ValueError(f"{rule_name}: judges {sorted(set(judged) - involved)}, which it does not involve")
    if verdict not in vocabulary.FAILING_VERDICTS + vocabulary.AGREEING_VERDICTS or not judged:
        evidence = "none"
    unit = text.display_unit(stated.unit, stated.point)
    factor = text.factor(stated.unit, unit) if unit != stated.unit else 1.0
    return {
        "check_id": f"{rule_name}:{stated.claim_ids[0]}" + (f"/{versus.claim_ids[0]}" if versus else ""),
        "kind": RULES[rule_name].kind,
        "rule": rule_name,
        "claim_ids": SEPARATOR.join(sorted(involved)),
        "judges": SEPARATOR.join(sorted(set(judged))),
        "evidence": evidence or RULES[rule_name].evidence,
        "stated_value": stated.point * factor,
        "check_value": check_value * factor if check_value is not None and math.isfinite(check_value) else math.nan,
        "unit": unit,
        "compared_with": compared_with,
        "verdict": verdict,
        "explanation": explanation
        if re.match(rf"{vocabulary.SOURCE_ID}\b", explanation)
        else explanation[:1].upper() + explanation[1:],
    }
