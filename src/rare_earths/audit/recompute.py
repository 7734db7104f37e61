"""Recomputation: a figure the articles derive from others, recomputed from those others."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rare_earths import metrics, text, vocabulary
from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import (
    CONSISTENT,
    CONTRADICTED,
    SHARE_INDEX,
    WITHIN_ROUNDING,
    Statement,
    index,
    judge,
    own_part_and_whole,
    spread,
    what,
)
from rare_earths.audit.usgs import Tables
from rare_earths.data.units import CARDINALS, Quantity

CANNOT_CHECK = "cannot_check"
_OUTCOME = {
    CONSISTENT: "as stated",
    WITHIN_ROUNDING: "which the stated {s} matches only within rounding",
    CONTRADICTED: "not the stated {s}",
}


def _outcome(verdict: str, stated: Statement) -> str:
    return _OUTCOME[verdict].format(s=stated.as_written)


def _share_inputs(found: list[Statement]):
    """Each share with the part and (if stated) the whole its own article gives for the same period."""
    by = index(found, *SHARE_INDEX)
    for stated in found:
        if vocabulary.METRICS[stated.metric].share_of:
            part, whole = own_part_and_whole(stated, by)
            if part is not None:
                yield stated, part, whole


@rule("share_of_whole", "recomputation", "A share recomputed from the part and the whole the same article states.")
def share_of_whole(found: list[Statement]) -> list[dict]:
    rows = []
    for stated, part, whole in _share_inputs(found):
        if whole is None:
            continue
        value = metrics.share(part.quantity(), whole.quantity()).to("percent").magnitude
        low, high = spread(metrics.share, part.figure(), whole.figure())
        verdict = judge(stated, value, (low, high))
        rows.append(
            check(
                "share_of_whole",
                [*stated.claim_ids, *part.claim_ids, *whole.claim_ids],
                stated,
                value,
                f"{part.as_written} / {whole.as_written}",
                verdict,
                f"{text.possessive(stated.subject)} {part.as_written} of {text.possessive(text.subject_name(whole.subject))} "
                f"{whole.as_written} is {text.number(value)}% ({text.interval(low, high, 'percent')} with their rounding), "
                f"{_outcome(verdict, stated)} ({text.interval(*stated.admitted(), 'percent')}).",
            )
        )
    return rows


@rule(
    "implied_whole",
    "recomputation",
    "Shares of one whole, each with its part stated: the wholes they imply must agree.",
)
def implied_whole(found: list[Statement]) -> list[dict]:
    groups: dict[tuple, list[tuple[Statement, Statement]]] = {}
    for stated, part, whole in _share_inputs(found):
        if whole is None:
            groups.setdefault((stated.source_id, stated.metric, stated.counterpart, stated.period), []).append(
                (stated, part)
            )
    rows = []
    for pairs in groups.values():
        (first_share, first_part), *others = pairs
        whole = first_part.quantity() / Quantity(first_share.point, "percent").to("dimensionless")
        for stated, part in others:
            value = metrics.share(part.quantity(), whole).to("percent").magnitude
            low, high = spread(
                lambda p, first, share: metrics.share(p, first / share.to("dimensionless")),
                part.figure(),
                first_part.figure(),
                first_share.figure(),
            )
            verdict = judge(stated, value, (low, high))
            rows.append(
                check(
                    "implied_whole",
                    [*first_share.claim_ids, *first_part.claim_ids, *stated.claim_ids, *part.claim_ids],
                    stated,
                    value,
                    f"{part.as_written} of the whole implied by {first_part.as_written} at {first_share.as_written}",
                    verdict,
                    f"{text.possessive(first_part.subject)} {first_part.as_written} at {first_share.as_written} implies a whole of "
                    f"{text.show(whole.to(part.unit).magnitude, part.unit)}, of which {text.possessive(stated.subject)} {part.as_written} is "
                    f"{text.number(value)}% ({text.interval(low, high, 'percent')} with their rounding), {_outcome(verdict, stated)}.",
                )
            )
    return rows


def _shares_of_one_whole(shares: list[Statement], fixed: str, varying: str) -> dict[tuple, dict[str, Statement]]:
    """(source, metric, whole, period) -> {part: its first share}: the whole is the `fixed` field, the part
    the `varying` one (the counterpart's shares by subject, or the subject's by counterpart)."""
    groups: dict[tuple, dict[str, Statement]] = {}
    for statement in shares:
        key = (statement.source_id, statement.metric, getattr(statement, fixed), statement.period)
        groups.setdefault(key, {}).setdefault(getattr(statement, varying), statement)
    return groups


def _sum_verdict(total: float, lowest: float) -> str:
    """Within 100% as stated, only with their rounding, or over it either way."""
    if total <= 100 + 1e-9:
        return CONSISTENT
    return WITHIN_ROUNDING if lowest <= 100 + 1e-9 else CONTRADICTED


def _sum_outcome(verdict: str, total: float, lowest: float) -> str:
    if verdict == WITHIN_ROUNDING:
        return "over 100% only by their rounding"
    if verdict == CONTRADICTED:
        return "more than the whole"
    if abs(total - 100) < 1e-9:
        return (
            f"the whole of it, leaving nothing to any other (with their rounding, at most {text.number(100 - lowest)}%)"
        )
    return f"leaving {text.number(100 - total)}% to others not named"


def _whole_words(whole: str, metric: str) -> str:
    """The whole the shares divide: "world reserves", "China's exports"."""
    said = vocabulary.METRICS[metric].said.removeprefix("share of ").removeprefix("world ")
    return f"{'world' if whole == 'world' else text.possessive(whole)} {said}"


@rule(
    "parts_of_whole",
    "recomputation",
    "Shares of one whole in one article add up to at most 100% (a check that they fit, not that each is right).",
)
def parts_of_whole(found: list[Statement]) -> list[dict]:
    shares = [s for s in found if vocabulary.METRICS[s.metric].unit == "percent" and s.metric.endswith("_share")]
    rows = []
    for fixed, varying in (("counterpart", "subject"), ("subject", "counterpart")):
        for (source_id, metric, whole, _period), by_part in _shares_of_one_whole(shares, fixed, varying).items():
            if len(by_part) < 2 or not whole:
                continue
            parts = list(by_part.values())
            claim_ids = [c for p in parts for c in p.claim_ids]
            total = sum(part.point for part in parts)
            lowest = sum(part.admitted()[0] for part in parts)
            verdict = _sum_verdict(total, lowest)
            listed = " + ".join(f"{name} {part.as_written}" for name, part in by_part.items())
            whole_of_all = replace(parts[0], low=100.0, high=100.0, hedge="", half_step=0.0, as_written="100%")
            rows.append(
                check(
                    "parts_of_whole",
                    claim_ids,
                    whole_of_all,
                    total,
                    "sum of the shares (at most 100%)",
                    verdict,
                    f"Shares of {_whole_words(whole, metric)} in {source_id}: {listed} add up to {text.number(total)}%, "
                    f"{_sum_outcome(verdict, total, lowest)}.",
                    # Shares that fit within the whole are not shown right by it: only a sum over 100% judges them.
                    judges=claim_ids if verdict == CONTRADICTED else [],
                )
            )
    return rows


def _levels_at_ends(
    by: dict[tuple, list[Statement]], levels: tuple[str, ...], stated: Statement, first: str, last: str
) -> tuple[Statement, Statement] | None:
    """The first of the `levels` any article states at both ends of the period, for the same subject and
    counterpart: the first statement of each end."""
    for level in levels:
        start = by.get((level, stated.subject, stated.counterpart, first))
        end = by.get((level, stated.subject, stated.counterpart, last))
        if start and end:
            return start[0], end[0]
    return None


@rule("growth_rate", "recomputation", "A growth rate or decline recomputed from the levels at the ends of its period.")
def growth_rate(found: list[Statement]) -> list[dict]:
    rows = []
    by = index(found, "metric", "subject", "counterpart", "period")
    for stated in found:
        levels = vocabulary.METRICS[stated.metric].growth_of
        if not levels:
            continue
        whose = what(stated) + (f" from {stated.counterpart}" if stated.counterpart else "")
        decline = stated.metric.endswith("decline")
        kind = "decline" if decline else "growth rate"
        if not stated.period:
            rows.append(
                check(
                    "growth_rate",
                    stated.claim_ids,
                    stated,
                    None,
                    "levels at the ends of the period (no period stated)",
                    CANNOT_CHECK,
                    f"{stated.source_id} does not say over which years {whose} changed, so its "
                    f"{stated.as_written} {kind} cannot be recomputed.",
                )
            )
            continue
        first, last = stated.period.split("-")
        pair = _levels_at_ends(by, levels, stated, first, last)
        if pair is None:
            rows.append(
                check(
                    "growth_rate",
                    stated.claim_ids,
                    stated,
                    None,
                    f"levels in {first} and {last} (not in the sources)",
                    CANNOT_CHECK,
                    f"No article gives {whose} for {first} and {last}, by value or by quantity, so the "
                    f"stated {stated.as_written} {kind} over {stated.period} cannot be recomputed.",
                )
            )
            continue
        start, end = pair
        years = metrics.span_years(stated.period)

        def formula(a, b, years=years, decline=decline):
            return (1 - b / a).to("percent") if decline else metrics.cagr(a, b, years)

        value = formula(start.quantity(), end.quantity()).magnitude
        low, high = spread(formula, start.figure(), end.figure())
        verdict = judge(stated, value, (low, high))
        rows.append(
            check(
                "growth_rate",
                [*stated.claim_ids, *start.claim_ids, *end.claim_ids],
                stated,
                value,
                f"from {start.as_written} ({first}) to {end.as_written} ({last})",
                verdict,
                f"From {start.as_written} in {first} to {end.as_written} in {last}, {whose} changed by "
                f"{text.number(value)}% {'in all' if decline else 'a year'} ({text.interval(low, high, 'percent')} with "
                f"their rounding), {_outcome(verdict, stated)}.",
                evidence="own_article" if {start.source_id, end.source_id} == {stated.source_id} else "other_article",
            )
        )
    return rows


def _largest_figures(statements: list[Statement], subject: str) -> dict[str, Statement]:
    """One figure per other country of an article: the largest it gives (it may restate one with another hedge)."""
    figures: dict[str, Statement] = {}
    for s in statements:
        if s.subject not in (subject, "world") and (s.subject not in figures or s.point > figures[s.subject].point):
            figures[s.subject] = s
    return figures


def _rank_outcome(
    stated: Statement, computed: int, subject: Statement, candidates: list[str], edition: str
) -> tuple[str, str]:
    """(verdict, words) for a stated rank against the one the article's figures give."""
    wanted = int(stated.point)
    if wanted == computed:
        return CONSISTENT, f"which makes it {text.ordinal(computed)}, as stated"
    if wanted < computed:
        return CONTRADICTED, f"so it cannot rank {stated.as_written}"
    missing = wanted - computed
    if len(candidates) >= missing:
        return CANNOT_CHECK, (
            f"which makes it {text.ordinal(computed)} among them; {stated.as_written} needs {missing} more above it, "
            f"and the article gives no figure for {', '.join(candidates)}, which {edition} puts above it"
        )
    return CONTRADICTED, (
        f"which makes it {text.ordinal(computed)}; {stated.as_written} needs {missing} more "
        f"{'country' if missing == 1 else 'countries'} above it, but of the countries {stated.source_id} gives no "
        f"figure for, {'only ' + ', '.join(candidates) + ' has' if candidates else 'none has'} more than "
        f"{text.show(subject.admitted()[1], subject.unit)} in {edition}, the USGS edition current at its date"
    )


def _above_and_below(figures: dict[str, Statement], subject: Statement) -> tuple[list[Statement], list[Statement]]:
    """The other countries' figures above the subject's whatever their rounding, and the rest; largest first."""
    above = sorted((s for s in figures.values() if s.admitted()[0] > subject.admitted()[1]), key=lambda s: -s.point)
    below = sorted((s for s in figures.values() if s not in above), key=lambda s: -s.point)
    return above, below


def _unlisted_above(
    usgs: Tables, edition: str, measure: str, figures: dict[str, Statement], subject: Statement
) -> list[str]:
    """Countries the article gives no figure for that the edition puts above the subject's figure."""
    return sorted(
        p.country
        for p in usgs.countries(edition, measure)
        if p.country not in figures and p.country != subject.subject and p.value > subject.admitted()[1]
    )


def _countries_words(statements: list[Statement]) -> str:
    return ", ".join(f"{s.subject} ({s.as_written})" for s in statements)


@rule(
    "rank_from_figures",
    "recomputation",
    "A rank against the article's own figures for the others ranked; the countries it needs above the subject must "
    "exist among those it does not give a figure for (USGS lists every country with reserves).",
    needs=("claims", "usgs"),
)
def rank_from_figures(found: list[Statement], usgs: Tables) -> list[dict]:
    rows = []
    by = index(found, "source_id", "metric")
    for stated in found:
        base = vocabulary.METRICS[stated.metric].rank_of
        article = by.get((stated.source_id, base), []) if base else []
        own = [s for s in article if s.subject == stated.subject]
        if not own:
            continue
        subject = own[0]
        figures = _largest_figures(article, stated.subject)
        above, below = _above_and_below(figures, subject)
        edition = usgs.current(stated.source_id)
        candidates = _unlisted_above(usgs, edition, vocabulary.METRICS[base].usgs_measure, figures, subject)
        verdict, outcome = _rank_outcome(stated, len(above) + 1, subject, candidates, edition)
        lower = f" and {_countries_words(below)} below it" if below else ""
        rows.append(
            check(
                "rank_from_figures",
                [*stated.claim_ids, *subject.claim_ids, *(c for s in figures.values() for c in s.claim_ids)],
                stated,
                float(len(above) + 1),
                f"rank among {stated.source_id}'s own figures",
                verdict,
                f"{stated.source_id} ranks {stated.subject} “{stated.as_written}” ({', '.join(stated.claim_ids)}); "
                f"its own {vocabulary.METRICS[base].said} figures put {_countries_words(above) or 'no country'} above "
                f"{text.possessive(stated.subject)} {subject.as_written}{lower}, {outcome}.",
            )
        )
    return rows


_YEARS = re.compile(r"\b(\w+) years\b")


def _window(statements: list[Statement]) -> tuple[int, str, str] | None:
    """The number of years an article's averages run over, from its own words ('over the past four
    years'): (years, the claim whose words give them, the words)."""
    for statement in statements:
        match = _YEARS.search(statement.period_as_written)
        if match and (match.group(1).isdigit() or match.group(1).lower() in CARDINALS):
            word = match.group(1)
            years = int(word) if word.isdigit() else CARDINALS[word.lower()]
            return years, statement.claim_ids[0], statement.period_as_written
    return None


@dataclass(frozen=True)
class _OtherYears:
    """What a yearly average over `years` years leaves, on average, for the years besides the one level given."""

    years: int
    one_year: float  # the level given, in its unit
    others: float  # the other years' average
    low: float  # and its range with the figures' rounding
    high: float


def _other_years(stated: Statement, level: Statement, years: int) -> _OtherYears:
    average = stated.point  # per year, in USD a year
    one_year = level.quantity().to(level.unit).magnitude
    return _OtherYears(
        years,
        one_year,
        (years * average - one_year) / (years - 1),
        (years * stated.admitted()[0] - level.admitted()[1]) / (years - 1),
        (years * stated.admitted()[1] - level.admitted()[0]) / (years - 1),
    )


def _average_outcome(other: _OtherYears, level: Statement) -> tuple[str, str]:
    """(verdict, words): the level can fit within the average, unless it is more than all the years together."""
    if other.high < 0:
        return CONTRADICTED, "more than all the years together, which cannot be"
    rank = "above" if other.one_year > other.others else "not above"
    return CONSISTENT, (
        f"which leaves {text.show(other.others, level.unit)} a year on average for the other {other.years - 1} "
        f"({text.interval(max(other.low, 0), other.high, level.unit)} with their rounding), so "
        f"{level.period or 'that year'} is {rank} their average"
        + (" and can be the highest of the years" if other.one_year >= other.others else "")
    )


def _year_ranks(same_subject: list[Statement], level_metric: str, level: Statement) -> list[Statement]:
    """A rank the article gives the level's year among those years ("the highest figure in four years")."""
    return [
        s
        for s in same_subject
        if vocabulary.METRICS[s.metric].year_rank_of == level_metric and s.period == level.period
    ]


def _highest_check(
    ranked: Statement, stated: Statement, level: Statement, window_claim: str, window_said: str, other: _OtherYears
) -> dict:
    """The highest can be so only if the other years average no more than it."""
    holds = int(ranked.point) != 1 or other.one_year >= max(other.low, 0)
    return check(
        "average_of_parts",
        [*ranked.claim_ids, *stated.claim_ids, *level.claim_ids, window_claim],
        ranked,
        None,
        f"{level.as_written} against the other years' average",
        CONSISTENT if holds else CONTRADICTED,
        f"{level.period} is called {ranked.as_written} of {window_said} ({', '.join(ranked.claim_ids)}): "
        f"with {stated.as_written} on average ({', '.join(stated.claim_ids)}) and {level.as_written} in "
        f"{level.period} ({', '.join(level.claim_ids)}), the other {other.years - 1} years average "
        f"{text.show(other.others, level.unit)}, "
        + (
            "so it can be the highest (the years themselves are not given, so it is not shown to be)."
            if holds
            else "more than it, so at least one of them is higher and it cannot be the highest."
        ),
    )


@rule(
    "average_of_parts",
    "recomputation",
    "A yearly average over several years against one year's level: what it leaves for the other years.",
)
def average_of_parts(found: list[Statement]) -> list[dict]:
    rows = []
    by = index(found, "source_id", "subject", "metric")
    by_source_subject = index(found, "source_id", "subject")
    same_unit = index(found, "source_id", "unit")
    for stated in found:
        level_metric = vocabulary.METRICS[stated.metric].average_of
        if not level_metric:
            continue
        levels = by.get((stated.source_id, stated.subject, level_metric), [])
        # The window may be worded once for several averages: "averaged ... over the past four years".
        window = _window([stated, *same_unit[(stated.source_id, stated.unit)]])
        if not levels or window is None:
            continue
        years, window_claim, window_words = window
        level = levels[0]
        other = _other_years(stated, level, years)
        verdict, outcome = _average_outcome(other, level)
        window_said = f"the {years} years of “{window_words}” ({window_claim})"
        rows.append(
            check(
                "average_of_parts",
                [*stated.claim_ids, *level.claim_ids, window_claim],
                stated,
                other.others,
                f"{years} × {stated.as_written} − {level.as_written}, over {years - 1} years",
                verdict,
                f"{what(stated)}, {stated.as_written} ({', '.join(stated.claim_ids)}), over {window_said}, with "
                f"{level.as_written} in {level.period} ({', '.join(level.claim_ids)}), is "
                f"{text.show(years * stated.point, level.unit)} in all, {outcome}.",
            )
        )
        ranks = _year_ranks(by_source_subject.get((stated.source_id, stated.subject), []), level_metric, level)
        rows += [_highest_check(ranked, stated, level, window_claim, window_said, other) for ranked in ranks]
    return rows
