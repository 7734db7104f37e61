"""Every claim accounted for: a claim that no rule checks gets a row of its own saying why."""

from __future__ import annotations

from rare_earths import text, vocabulary
from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import Statement, index, what

NOT_CHECKED = "not_checked"


def reason(statement: Statement, statements_of: dict[tuple, list[Statement]]) -> str:
    """Why no rule can check a statement: what a check of it would need that the sources lack.
    `statements_of` is the statements indexed by metric and subject."""
    record = vocabulary.METRICS[statement.metric]
    if record.usgs_measure:
        return "USGS gives no figure to compare it with"
    others = [s for s in statements_of[(statement.metric, statement.subject)] if s is not statement]
    if record.recurring:
        return (
            f"it dates one occasion of an event that recurs, so other dates ({'; '.join(s.as_written for s in others)}) "
            "are other occasions, not the same figure"
            if others
            else "it dates one occasion of an event that recurs, and no other article dates this occasion"
        )
    if others:
        listed = "; ".join(
            f"{', '.join(s.claim_ids)}: {s.as_written}"
            + (f", {s.counterpart}" if s.counterpart else "")
            + (f" ({s.period})" if s.period else "")
            for s in others
        )
        return f"its other statements ({listed}) are of another period or counterpart, so not the same figure"
    primary = "no primary table covers it (the USGS tables give only mine production and reserves)"
    if statement.metric.endswith("_share"):
        return f"no article gives the part and the whole it is a share of, and {primary}"
    return f"no other article states {what(statement)}, and {primary}"


@rule(
    "not_checked",
    "unchecked",
    "A claim that no other rule checks, with the reason no rule can.",
    needs=("claims", "checked"),
)
def not_checked(found: list[Statement], checked: set[str]) -> list[dict]:
    rows = []
    statements_of = index(found, "metric", "subject")
    for statement in found:
        if any(claim in checked for claim in statement.claim_ids):
            continue
        others = [s for s in statements_of[(statement.metric, statement.subject)] if s is not statement]
        rows.append(
            check(
                "not_checked",
                # The other statements its reason names are inputs: named to say why they do not check it.
                [*statement.claim_ids, *(c for s in others for c in s.claim_ids)],
                statement,
                None,
                "nothing to compare it with",
                NOT_CHECKED,
                f"{what(statement)}"
                + (f" ({statement.counterpart})" if statement.counterpart not in ("", "world") else "")
                + f", {statement.as_written}"
                + (f" ({statement.period})" if statement.period else "")
                + f", is not checked: {reason(statement, statements_of)}."
                + (f" It admits {text.interval(*statement.admitted(), statement.unit)}." if statement.hedge else ""),
            )
        )
    return rows
