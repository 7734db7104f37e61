"""Every claim accounted for: a claim that no rule checks gets a row of its own saying why."""

from __future__ import annotations

from functools import cache

from rare_earths import text, vocabulary
from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import SEPARATOR, Statement, index, what

NOT_CHECKED = "not_checked"


@cache  # the vocabulary is fixed while the process runs; asked once per pair of statements
def family(metric: str) -> frozenset[str]:
    """The metrics that measure the same thing another way: a quantity and its value, a level and its
    projection (magnet imports in tonnes, their value in USD, their projection)."""
    record = vocabulary.METRICS[metric]
    linked = {metric, record.valued_in, record.projects}
    linked |= {name for name, other in vocabulary.METRICS.items() if metric in (other.valued_in, other.projects)}
    return frozenset(linked - {""})


def _near(statement: Statement, found: list[Statement]) -> list[Statement]:
    """Other articles' statements of the same thing another way: another subject of the same country,
    another period, or a related measure (`family`)."""
    related = family(statement.metric)
    return [
        s for s in found if s.source_id != statement.source_id and s.metric in related and s.where == statement.where
    ]


def reason(
    statement: Statement, found: list[Statement], statements_of: dict[tuple, list[Statement]]
) -> tuple[str, list[str]]:
    """Why no rule can check a statement: what a check of it would need that the sources lack, and
    the other claims the reason names. `statements_of` is the statements indexed by metric and subject."""
    text_, named = _reason(statement, found, statements_of)
    return text_, [claim for s in named for claim in s.claim_ids]


def _reason(
    statement: Statement, found: list[Statement], statements_of: dict[tuple, list[Statement]]
) -> tuple[str, list[Statement]]:
    record = vocabulary.METRICS[statement.metric]
    primary = "no primary table covers it (the USGS tables give only mine production and reserves)"
    if record.usgs_measure:
        return "USGS gives no figure to compare it with", []
    others = [s for s in statements_of[(statement.metric, statement.subject)] if s is not statement]
    if record.recurring:
        return (
            f"it dates one occasion of an event that recurs, so other dates ({'; '.join(s.cite() for s in others)}) "
            "are other occasions, not the same figure"
            if others
            else "it dates one occasion of an event that recurs, and no other article dates this occasion"
        ), others
    if others:
        listed = "; ".join(
            f"{', '.join(s.claim_ids)}: {s.as_written}"
            + (f", {s.item}" if s.item else "")
            + (f", {s.counterpart}" if s.counterpart else "")
            + (f" ({s.period})" if s.period else "")
            for s in others
        )
        # Say only what does differ: the item (two budgets), the period, the counterpart.
        differs = [
            what
            for what, attribute in (("item", "item"), ("period", "period"), ("counterpart", "counterpart"))
            if any(getattr(s, attribute) != getattr(statement, attribute) for s in others)
        ]
        said = " or ".join(", ".join(differs).rsplit(", ", 1)) if differs else "period or counterpart"
        return (f"its other statements ({listed}) are of another {said}, so not the same figure, and {primary}"), others
    if statement.metric.endswith("_share"):
        return f"no article gives the part and the whole it is a share of, and {primary}", []
    near = _near(statement, found)
    if near:
        listed = "; ".join(
            f"{', '.join(s.claim_ids)}: {what(s)}, {s.as_written}" + (f" ({s.period})" if s.period else "")
            for s in near
        )
        return f"other articles give it only for another subject, period or measure ({listed}), and {primary}", near
    return f"no other article gives a figure for {what(statement)}, and {primary}", []


def _checks_by_claim(checks: list[dict]) -> dict[str, list[int]]:
    """The positions in `checks` of the checks that use each claim."""
    positions: dict[str, list[int]] = {}
    for position, row in enumerate(checks):
        for claim in dict.fromkeys(row["claim_ids"].split(SEPARATOR)):
            positions.setdefault(claim, []).append(position)
    return positions


def _used_by(claims: tuple[str, ...], checks: list[dict], positions: dict[str, list[int]]) -> tuple[str, list[str]]:
    """What the checks that used these claims without judging them did with them, in sentences, and
    the claims those sentences name. `positions` is `_checks_by_claim(checks)`."""
    done: dict[str, list[str]] = {}
    named: list[str] = []
    for row in (checks[at] for at in sorted({at for claim in claims for at in positions.get(claim, [])})):
        judged = [claim for claim in row["judges"].split(SEPARATOR) if claim]
        if judged:  # it judged others, with this claim as their evidence
            named += judged
            what_it_did = f"only as evidence about {', '.join(judged)}, without testing it"
        elif row["verdict"] == "derived":
            what_it_did = "derived a figure from it, which tests nothing"
        elif row["verdict"] in vocabulary.FAILING_VERDICTS + vocabulary.AGREEING_VERDICTS:
            what_it_did = "could only have found it out of line, and did not"
        else:
            what_it_did = "could not tell"
        done.setdefault(what_it_did, []).append(f"the {row['rule'].replace('_', ' ')} check")
    sentences = (
        f"{'; '.join(dict.fromkeys(rules))} used it, but {what_it_did}." for what_it_did, rules in done.items()
    )
    return " ".join(sentence[:1].upper() + sentence[1:] for sentence in sentences), named


@rule(
    "not_checked",
    "unchecked",
    "A claim that no other rule checks, with the reason no rule can.",
    needs=("claims", "checked"),
)
def not_checked(found: list[Statement], checks: list[dict]) -> list[dict]:
    rows = []
    statements_of = index(found, "metric", "subject")
    judged = {claim for row in checks for claim in row["judges"].split(SEPARATOR) if claim}
    positions = _checks_by_claim(checks)
    for statement in found:
        if any(claim in judged for claim in statement.claim_ids):
            continue
        because, named = reason(statement, found, statements_of)
        used_by, evidence_for = _used_by(statement.claim_ids, checks, positions)
        whose = what(statement)
        rows.append(
            check(
                "not_checked",
                # The other statements its reason names are inputs: named to say why they do not check it.
                [*statement.claim_ids, *named, *evidence_for],
                statement,
                None,
                "nothing to compare it with",
                NOT_CHECKED,
                whose
                + (f" ({statement.counterpart})" if statement.counterpart not in ("", "world", *whose.split()) else "")
                + f", {statement.as_written}"
                + (f" ({statement.period})" if statement.period else "")
                + f", is not checked: {because}."
                + (f" {used_by}" if used_by else "")
                + (f" It admits {text.interval(*statement.admitted(), statement.unit)}." if statement.hedge else ""),
            )
        )
    return rows
