"""Cross-source: statements of one figure compared, across articles and within one.

Every comparison here rests on facts about intervals on a line, so none compares every pair: a set
of intervals that overlap two by two share a common point (Helly's theorem in one dimension), so
whether any two statements of a figure contradict each other is read from the largest low end and
the smallest high end; figures given two dates, and one number used for several measures, come
from one sort and one sweep. Each is linear after sorting; tests check each against every pair.
"""

from __future__ import annotations

import math

from rare_earths import text, vocabulary
from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import (
    CONSISTENT,
    CONTRADICTED,
    WITHIN_ROUNDING,
    Statement,
    agree,
    index,
    overlap,
    what,
)

DATE_CONFLICT, AMBIGUOUS, HEDGE_DROPPED = "date_conflict", "ambiguous", "hedge_dropped"
_WORST = {CONSISTENT: 0, WITHIN_ROUNDING: 1, DATE_CONFLICT: 2, CONTRADICTED: 3}


def conflicting_pair(group: list[Statement]) -> tuple[Statement, Statement] | None:
    """Two statements whose admitted values cannot both hold, if any two cannot: the one with the
    highest low end and the one with the lowest high end (Helly). Compares values only."""
    if len(group) < 2:
        return None
    highest_low = max(group, key=lambda s: s.admitted()[0])
    lowest_high = min(group, key=lambda s: s.admitted()[1])
    if overlap(highest_low.admitted(), lowest_high.admitted()):
        return None
    return tuple(sorted((highest_low, lowest_high), key=lambda s: s.claim_ids[0]))


def comparable_classes(group: list[Statement]) -> list[list[Statement]]:
    """The statements that must agree in value: those of one period together with the undated ones
    (two figures of two different years are a series, not a conflict); all of them if none is dated."""
    periods = sorted({s.period for s in group if s.period})
    undated = [s for s in group if not s.period]
    if not periods:
        return [group]
    return [[s for s in group if s.period == period] + undated for period in periods]


def dated_twice(group: list[Statement]) -> tuple[Statement, Statement] | None:
    """Two statements dated to different periods whose values overlap (one figure given two dates):
    a sweep in order of low end keeping, for the statements before, the highest high end of each of
    the two periods that reach furthest."""
    dated = sorted((s for s in group if s.period), key=lambda s: (s.admitted()[0], s.claim_ids[0]))
    best: list[Statement] = []  # at most two, of different periods, by high end
    for statement in dated:
        for earlier in best:
            if earlier.period != statement.period and overlap(earlier.admitted(), statement.admitted()):
                return earlier, statement
        by_period = {s.period: s for s in best}
        if statement.period not in by_period or statement.admitted()[1] > by_period[statement.period].admitted()[1]:
            by_period[statement.period] = statement
        best = sorted(by_period.values(), key=lambda s: -s.admitted()[1])[:2]
    return None


def worst_pair(group: list[Statement]) -> tuple[str, Statement, Statement] | None:
    """The most serious finding among the statements of one figure, with the two statements it is
    about: a contradiction, else one value given two dates, else the restatements compared with the
    first of their period; None for a series of different years, which is no finding."""
    conflict = next(filter(None, (conflicting_pair(c) for c in comparable_classes(group))), None)
    if conflict:
        return CONTRADICTED, *conflict
    twice = dated_twice(group)
    if twice:
        return DATE_CONFLICT, *twice
    compared = [(c[0], other, agree(c[0], other)) for c in comparable_classes(group) for other in c[1:]]
    if not compared:
        return (CONSISTENT, group[0], group[0]) if len(group) == 1 else None
    verdict = max((v for _, _, v in compared), key=_WORST.get)
    return next((verdict, a, b) for a, b, v in compared if v == verdict)


def independence(group: list[Statement], related: dict[str, set[str]]) -> str:
    """What the statements of one figure are to each other: each has an independent article beside
    it, or only articles that retell the same reporting, or only its own article."""
    articles = {s.source_id for s in group}
    if len(articles) == 1:
        return "own_article"
    independent = all(articles - {a} - related.get(a, set()) for a in articles)
    return "other_article" if independent else "related_article"


def _same_figure_sentence(verdict: str, whose: str, a: Statement, b: Statement, group: list[Statement]) -> str:
    if verdict == CONTRADICTED:
        return (
            f"{whose} is {a.cite()} but {b.cite()}: {text.interval(*a.admitted(), a.unit)} and "
            f"{text.interval(*b.admitted(), b.unit)} have no value in common, so the statements disagree."
        )
    if verdict == DATE_CONFLICT:
        return (
            f"{whose} is {a.as_written} for {a.period} in {a.source_id} ({', '.join(a.claim_ids)}) and "
            f"{b.as_written} for {b.period} in {b.source_id} ({', '.join(b.claim_ids)}): one figure given two dates."
        )
    return _naming_undated(_agreement_sentence(verdict, whose, a, b, group), group)


def _agreement_sentence(verdict: str, whose: str, a: Statement, b: Statement, group: list[Statement]) -> str:
    """One statement restated alike, statements that agree, or statements that agree only within rounding."""
    if len(group) == 1:
        return f"{whose}: {a.source_id} states it {len(a.claim_ids)} times ({', '.join(a.claim_ids)}), always as {a.as_written}."
    if verdict == CONSISTENT:
        return (
            f"{whose}: stated {sum(len(s.claim_ids) for s in group)} times, and the statements agree: "
            + "; ".join(s.cite() for s in group)
            + "."
        )
    return (
        f"{whose} is {a.cite()} and {b.cite()}: {text.show(a.point, a.unit)} and {text.show(b.point, b.unit)} differ, "
        f"but agree within their rounding ({text.interval(*a.admitted(), a.unit)} and {text.interval(*b.admitted(), b.unit)})."
    )


def _naming_undated(sentence: str, group: list[Statement]) -> str:
    """`sentence`, naming the claims that give no year where others of the figure give one."""
    undated = [c for s in group if not s.period for c in s.claim_ids]
    if not undated or not any(s.period for s in group):
        return sentence
    return sentence.rstrip(".") + f"; {', '.join(undated)} give{'s' if len(undated) == 1 else ''} no year."


def _claim_ids(statements: list[Statement]) -> list[str]:
    return [c for s in statements for c in s.claim_ids]


def _whose(group: list[Statement], counterpart: str) -> str:
    """What the figure is, with its counterpart unless that is the world."""
    return what(group[0]) + (f" ({counterpart})" if counterpart and counterpart != "world" else "")


def _coarser_sentence(sentence: str, ids: list[str]) -> str:
    return (
        sentence.rstrip(".") + f"; but no independent article states {', '.join(ids)} as precisely as "
        f"{'they are' if len(ids) > 1 else 'it is'} written, so the agreement bears out only what both say."
    )


@rule(
    "same_figure",
    "cross_source",
    "Every statement of one subject's metric (same counterpart) must agree in value, and one value must not be given two "
    "dates. Agreement confirms only where another article that does not retell the same reporting states it. The "
    "dates of an event that recurs are occasions, not one figure, and are not compared.",
    needs=("claims", "related"),
)
def same_figure(found: list[Statement], related: dict[str, set[str]]) -> list[dict]:
    rows = []
    for (_subject, _item, metric, counterpart), group in index(
        found, "subject", "item", "metric", "counterpart"
    ).items():
        if vocabulary.METRICS[metric].recurring:  # the dates of occasions, not one figure (`first_occurrence`)
            continue
        claim_ids = _claim_ids(group)
        found_pair = worst_pair(group) if len(claim_ids) >= 2 else None
        if found_pair is None:
            continue
        verdict, a, b = found_pair
        compared_with = f"claim {b.claim_ids[0]} ({b.as_written})" if b is not group[0] else "its restatements"
        evidence = independence(group, related)
        sentence = _same_figure_sentence(verdict, _whose(group, counterpart), a, b, group)
        coarser = _only_coarser_support(group, related) if evidence == "other_article" and verdict in AGREEING else []
        confirmed = [s for s in group if s not in coarser]
        if confirmed:
            rows.append(
                check("same_figure", claim_ids, confirmed[0], b.point, compared_with, verdict, sentence,
                      judges=_claim_ids(confirmed), evidence=evidence)
            )  # fmt: skip
        if coarser:
            ids = _claim_ids(coarser)
            rows.append(
                check(
                    "same_figure",
                    claim_ids,
                    coarser[0],
                    b.point,
                    compared_with,
                    verdict,
                    _coarser_sentence(sentence, ids),
                    judges=ids,
                    evidence="coarser_article",
                )
            )
    return rows


AGREEING = (CONSISTENT, WITHIN_ROUNDING)


def _only_coarser_support(group: list[Statement], related: dict[str, set[str]]) -> list[Statement]:
    """The statements that no independent article states at least as precisely: none of whose
    statements admits only values this one admits ("2025" does not bear out "January 2025")."""
    result = []
    for statement in group:
        low, high = statement.admitted()
        independent = [
            s
            for s in group
            if s.source_id != statement.source_id and s.source_id not in related.get(statement.source_id, set())
        ]
        if not any(low <= s.admitted()[0] and s.admitted()[1] <= high for s in independent):
            result.append(statement)
    return result


def same_number(a: Statement, b: Statement) -> bool:
    """Is one figure the other's number: does either's own value lie within what the other admits?
    ("around 90%" and "over 90%" are; "around 90%" and "85%", whose intervals only touch, are not.)"""
    return within(a.point, b.admitted()) or within(b.point, a.admitted())


def within(value: float, interval: tuple[float, float]) -> bool:
    return overlap((value, value), interval)


def clusters(group: list[Statement]) -> list[list[Statement]]:
    """Statements linked by `same_number`, directly or through others: one sort by value, one sweep.

    In order of value, a statement joins the cluster before it when its value is within what one
    of them admits (the highest upper end so far) or their largest value is within what it admits;
    a statement reaching back past that cluster's start merges the clusters it reaches.
    """
    result: list[list[Statement]] = []
    reach: list[float] = []  # for each cluster, the highest upper end of what its statements admit
    for statement in sorted(group, key=lambda s: (s.point, s.claim_ids[0])):
        low, high = statement.admitted()
        if result and (
            within(statement.point, (-math.inf, reach[-1])) or within(result[-1][-1].point, (low, math.inf))
        ):
            result[-1].append(statement)
            reach[-1] = max(reach[-1], high)
        else:
            result.append([statement])
            reach.append(high)
        while len(result) >= 2 and within(result[-2][-1].point, (low, math.inf)):
            merged, merged_reach = result.pop(), reach.pop()
            result[-1].extend(merged)
            reach[-1] = max(reach[-1], merged_reach)
    return [sorted(cluster, key=lambda s: s.claim_ids[0]) for cluster in result]


def _measure_families(found: list[Statement]) -> dict[tuple, list[Statement]]:
    """The statements of each (subject, counterpart, family of measures), for metrics that belong to one."""
    groups: dict[tuple, list[Statement]] = {}
    for statement in found:
        family = vocabulary.METRICS[statement.metric].family
        if family:
            groups.setdefault((statement.subject, statement.counterpart, family), []).append(statement)
    return groups


def _listing(metric: str, members: list[Statement]) -> str:
    """A metric's measure (or words) with what `members` of that metric say and their claims."""
    ids = ", ".join(c for s in members if s.metric == metric for c in s.claim_ids)
    words = " / ".join(dict.fromkeys(s.as_written for s in members if s.metric == metric))
    return f"{vocabulary.METRICS[metric].measure or vocabulary.METRICS[metric].said} ({words}: {ids})"


def _others_differ(others: list[Statement]) -> str:
    if not others:
        return ""
    return "; other figures of the family differ: " + ", ".join(
        _listing(m, others) for m in dict.fromkeys(s.metric for s in others)
    )


def _several_measures(
    subject: str, family: str, cluster: list[Statement], named: list[str], unnamed: list[str], rest: str
) -> tuple[list[str], str]:
    """(claims judged, explanation) where the number is given for two or more named measures."""
    values = " / ".join(dict.fromkeys(s.as_written for s in cluster))
    unnamed_too = (", and " + ", ".join(_listing(m, cluster) for m in unnamed)) if unnamed else ""
    explanation = (
        f"The same figure ({values}) is given as {text.possessive(subject)} {family} for {len(named)} different "
        f"measures: {', '.join(_listing(m, cluster) for m in named)}{unnamed_too}. They can all be true, and may "
        f"be one fact said two ways, but they are different measures, so none confirms another{rest}."
    )
    # Every figure of the cluster is a bare number a reader can take for another measure.
    return [c for s in cluster for c in s.claim_ids], explanation


def _unclear_measure(
    subject: str, cluster: list[Statement], named: list[str], unnamed: list[str], rest: str
) -> tuple[list[str], str]:
    """(claims judged, explanation) where one named measure shares its number with figures that do not
    say which measure they are: those are unclear."""
    explanation = (
        f"{text.possessive(subject)} {', '.join(_listing(m, cluster) for m in unnamed)} is not said to be of "
        f"value or of quantity; it shares its number with the {_listing(named[0], cluster)}, a different "
        f"measure, so that figure does not confirm it{rest}."
    )
    return [c for s in cluster if not vocabulary.METRICS[s.metric].measure for c in s.claim_ids], explanation


def _explain(
    subject: str, family: str, cluster: list[Statement], metrics_in: list[str], others: list[Statement]
) -> tuple[list[str], str]:
    """(claims judged, explanation) for one number given for several measures of a family."""
    named = [m for m in metrics_in if vocabulary.METRICS[m].measure]
    unnamed = [m for m in metrics_in if not vocabulary.METRICS[m].measure]
    rest = _others_differ(others)
    if len(named) >= 2:
        return _several_measures(subject, family, cluster, named, unnamed, rest)
    return _unclear_measure(subject, cluster, named, unnamed, rest)


@rule(
    "same_number_different_measure",
    "cross_source",
    "One number given for different measures of one family (processing capacity, magnet production, mine production).",
)
def same_number_different_measure(found: list[Statement]) -> list[dict]:
    rows = []
    for (subject, _counterpart, family), group in _measure_families(found).items():
        for cluster in clusters(group):
            metrics_in = list(dict.fromkeys(s.metric for s in cluster))
            if len(metrics_in) < 2:
                continue
            members = {id(s) for s in cluster}
            others = [s for s in group if id(s) not in members]
            judged, explanation = _explain(subject, family, cluster, metrics_in, others)
            rows.append(
                check(
                    "same_number_different_measure",
                    # The family's other figures are named as differing: inputs, not judged.
                    [c for s in cluster + others for c in s.claim_ids],
                    cluster[0],
                    None,
                    "the same number for: "
                    + ", ".join(vocabulary.METRICS[m].measure or "unspecified" for m in metrics_in),
                    AMBIGUOUS,
                    explanation,
                    judges=judged,
                )
            )
    return rows


def _hedged(statement: Statement) -> bool:
    """A hedge that changes what the figure says: one that widens or bounds it, or 'mostly'."""
    return statement.bound != "exact" or statement.hedge == "mostly"


def _unhedged_restatement(hedged: Statement, plain: list[Statement]) -> Statement | None:
    """The first of the `plain` statements that restates `hedged` without its hedge."""
    for b in plain:
        # "mostly from China" names no counterpart of its own; a plain "from China" is the same total.
        same_counterpart = b.counterpart == hedged.counterpart or (hedged.hedge == "mostly" and not hedged.counterpart)
        if overlap(hedged.admitted(), b.admitted()) and same_counterpart:
            return b
    return None


@rule(
    "dropped_hedge",
    "cross_source",
    "A figure an article restates without the hedge ('around', 'mostly', 'over') it first gave it with says more than "
    "its source. Only within one article: another article that states the figure exactly reports it independently.",
)
def dropped_hedge(found: list[Statement]) -> list[dict]:
    rows = []
    for group in index(found, "source_id", "subject", "item", "metric", "period").values():
        plain = [s for s in group if not _hedged(s)]
        for a in (s for s in group if _hedged(s)):
            match = _unhedged_restatement(a, plain)
            if match is None:
                continue
            mostly = a.hedge == "mostly"
            hedge_words = f"{a.hedge} from {match.counterpart}" if mostly else a.hedge
            rows.append(
                check(
                    "dropped_hedge",
                    [*a.claim_ids, *match.claim_ids],
                    a,
                    match.point,
                    f"claim {match.claim_ids[0]} ({match.as_written})",
                    HEDGE_DROPPED,
                    f"{what(a)} is “{a.as_written}”, hedged “{hedge_words}”, in {', '.join(a.claim_ids)}, but "
                    f"{match.as_written}{' from ' + match.counterpart if mostly else ''} without the hedge in "
                    f"{', '.join(match.claim_ids)}: the restatement says more than the first statement.",
                    judges=match.claim_ids,
                )
            )
    return rows


@rule(
    "absence_against_figure",
    "cross_source",
    "A statement that something does not exist ('no domestic separation facilities', an export 'ban') against a "
    "figure, in any article, that presupposes it for the same country, or anywhere if the absence is the world's "
    "(NdPr produced in the same country takes a separation facility; permits approved take permits granted).",
    needs=("claims", "related"),
)
def absence_against_figure(found: list[Statement], related: dict[str, set[str]]) -> list[dict]:
    rows = []
    zeros: dict[tuple, list[Statement]] = {}  # the absences, by what is absent and for whom
    for s in found:
        if s.high == 0:
            zeros.setdefault((s.metric, s.counterpart), []).append(s)
    for stated in found:
        presupposed = vocabulary.METRICS[stated.metric].presupposes
        if not presupposed or stated.low <= 0:
            continue
        country = stated.where
        for absent in zeros.get((presupposed, stated.counterpart), []):
            where = absent.where
            if where not in (country, "world"):
                continue
            said = vocabulary.METRICS[absent.metric].said
            takes = (
                f"{stated.source_id} says {what(stated)} is {stated.as_written} ({', '.join(stated.claim_ids)}), "
                f"which cannot be without at least one of the {said} "
                + (f"in {country}" if where == country else f"to {stated.subject}")
            )
            if vocabulary.METRICS[absent.metric].announced:  # "none announced" may mean no new one
                verdict = AMBIGUOUS
                sentence = (
                    f"{absent.source_id} says “{absent.as_written}” ({', '.join(absent.claim_ids)}), but {takes}. "
                    f"As worded, it may mean only that no new one has been announced, which nothing here tests; "
                    f"read as “there are none”, it does not hold."
                )
            else:
                verdict = CONTRADICTED
                sentence = (
                    f"{absent.source_id} says “{absent.as_written}” ({', '.join(absent.claim_ids)}), but {takes}: "
                    "both cannot hold, unless the absence is narrower than it says (only new ones, only one kind, "
                    "or only some buyers)."
                )
            rows.append(
                check(
                    "absence_against_figure",
                    [*absent.claim_ids, *stated.claim_ids],
                    absent,
                    None,
                    f"claim {stated.claim_ids[0]} ({stated.as_written})",
                    verdict,
                    sentence,
                    evidence=independence([absent, stated], related),
                    versus=stated,
                )
            )
    return rows
