"""Dates: a statement that something happened first on a day, against the occasions other statements date.

Dates are figures like any other (unit `date`, the days their words admit: `rare_earths.data.units.parse_date`),
so two statements of one event's date are compared by `cross_source.same_figure`. An event that
recurs (an official statement) is different: its dates are occasions, and only a claim that one of
them was the *first* can be tested against them. One occasion dated before it refutes it.
"""

from __future__ import annotations

from rare_earths import text, vocabulary
from rare_earths.audit.cross_source import independence
from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import CONTRADICTED, Statement, index


@rule(
    "first_occurrence",
    "cross_source",
    "A date given as the first occasion of an event (the first official acknowledgment of talks) against every "
    "occasion of that event the articles date: one dated before it refutes it.",
    needs=("claims", "related"),
)
def first_occurrence(found: list[Statement], related: dict[str, set[str]]) -> list[dict]:
    rows = []
    occasions = index(found, "metric", "subject", "counterpart")
    for first in found:
        recurring = vocabulary.METRICS[first.metric].first_of
        if not recurring:
            continue
        dated = occasions.get((recurring, first.subject, first.counterpart), [])
        earlier = sorted((s for s in dated if s.admitted()[1] < first.admitted()[0]), key=lambda s: s.admitted()[1])
        if not earlier:
            continue  # no occasion before it is known, which does not show that there was none: no verdict
        before = earlier[0]
        rows.append(
            check(
                "first_occurrence",
                [*first.claim_ids, *before.claim_ids],
                first,
                before.admitted()[1],
                f"claim {before.claim_ids[0]} ({before.as_written})",
                CONTRADICTED,
                f"{first.source_id} says the {vocabulary.METRICS[first.metric].said} was on "
                f"{text.interval(*first.admitted(), first.unit)} ({', '.join(first.claim_ids)}), but {before.source_id} "
                f"reports one on {before.cite()}, which is earlier"
                + (f" (“{before.as_written}” read as of the date of {before.source_id})" if before.read_as() else "")
                + f": {text.interval(*first.admitted(), first.unit)} was not the first, unless {before.source_id} is wrong.",
                evidence=independence([first, before], related),
            )
        )
    return rows
