"""Reference: the articles' figures against the USGS Mineral Commodity Summaries 2024 and 2025.

A value or rank is compared with each edition; a share is recomputed on every base a writer
could have used (the article's own figures, each edition's rounded world total, the sum of the
countries each edition lists) and the base that reproduces it is named; a figure is set against
what USGS's mine output makes plausible for it (a floor for scope, a ceiling for a part).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

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
    what,
)
from rare_earths.audit.usgs import EDITIONS, Published, Tables
from rare_earths.data.units import Quantity

INCONCLUSIVE, IMPLAUSIBLE, CANNOT_CHECK, OUTDATED = "inconclusive", "implausible", "cannot_check", "outdated"
_BEST_FIRST = (CONSISTENT, WITHIN_ROUNDING, INCONCLUSIVE, CONTRADICTED)


@dataclass(frozen=True)
class Candidate:
    """One reference value for a statement: what it is, the value and the values its rounding admits."""

    edition: str  # "" for the article's own figures
    label: str  # "44 Mt of 115.4 Mt, the sum of the countries MCS2024 lists"
    value: float
    low: float
    high: float
    verdict: str


def _year(statement: Statement, usgs: Tables, edition: str, measure: str) -> tuple[str, bool]:
    """The year compared, and whether it is the statement's own (else the edition's latest)."""
    if measure != "mine_production":
        return "", True
    if statement.period:
        return str(metrics.period_end_year(statement.period)), True
    return usgs.latest_year(edition, measure), False


def _against(stated: Statement, value: float, low: float, high: float, lower_bound_only: bool = False) -> str:
    if lower_bound_only:  # the reference gives only a bound the stated figure meets, or it does not
        return INCONCLUSIVE if stated.admitted()[0] <= high else CONTRADICTED
    return judge(stated, value, (low, high))


def _best(candidates: list[Candidate]) -> str:
    return min((c.verdict for c in candidates), key=_BEST_FIRST.index, default=CANNOT_CHECK)


def _rank_candidate(stated: Statement, usgs: Tables, edition: str, measure: str, year: str) -> list[Candidate]:
    """The rank an edition gives the subject (above it, the countries whose figures exceed its own
    whatever their rounding); none if the edition does not list it."""
    countries = usgs.countries(edition, measure, year)
    names = [p.country for p in countries]
    if stated.subject not in names:
        return []
    own = countries[names.index(stated.subject)]
    above = [p for p in countries if p.low > own.high]
    rank = len(above) + 1
    ahead = ", ".join(f"{p.country} {p.words('Mt')}" for p in above)
    verdict = CONSISTENT if rank == int(stated.point) else CONTRADICTED
    label = f"in {edition} it ranks {text.ordinal(rank)}" + (f", behind {ahead}" if ahead else "")
    return [Candidate(edition, label, float(rank), rank, rank, verdict)]


def value_candidates(stated: Statement, usgs: Tables) -> list[Candidate]:
    """A reserve or production figure (or a rank by them) against each edition."""
    record = vocabulary.METRICS[stated.metric]
    measure = record.usgs_measure
    found = []
    for edition in EDITIONS:
        year, own_year = _year(stated, usgs, edition, measure)
        when = f" in {year}" if year else ""
        when += "" if own_year else " (the edition's latest year: the article gives none)"
        if record.rank_of:
            found += _rank_candidate(stated, usgs, edition, measure, year)
            continue
        published = usgs.get(edition, measure, stated.subject, year)
        if published is None:
            continue
        shown_in = text.display_unit(stated.unit, stated.point)
        found.append(
            Candidate(
                edition,
                f"{edition} gives {published.words(shown_in)}{when}",
                published.value,
                published.low,
                published.high,
                _against(stated, published.value, published.low, published.high, published.note == "lower bound"),
            )
        )
    return found


def share_candidates(stated: Statement, by: dict[tuple, list[Statement]], usgs: Tables) -> list[Candidate]:
    """A share on every base: the article's own whole, and each edition's world total and sum of
    listed countries; `by` is the statements indexed by SHARE_INDEX."""
    record = vocabulary.METRICS[stated.metric]
    part, own_whole = own_part_and_whole(stated, by)
    candidates = []

    def add(
        edition: str,
        part_value: tuple[float, float, float],
        part_words: str,
        whole: Published | Statement,
        whole_words: str,
        caveat: str = "",
    ) -> None:
        if isinstance(whole, Statement):
            whole_value, whole_low, whole_high, bound = whole.point, *whole.admitted(), False
        else:
            whole_value, whole_low, whole_high, bound = whole.value, whole.low, whole.high, whole.note == "lower bound"
        value = 100 * part_value[0] / whole_value
        low, high = 100 * part_value[1] / whole_high, 100 * part_value[2] / whole_low
        if bound:
            label = f"{part_words} of {whole_words} is at most {text.number(value)}% (a bound, which decides nothing)"
            candidates.append(Candidate(edition, label, value, 0.0, value, _against(stated, value, 0.0, value, True)))
            return
        # A range that shows as one number ("67.8% to 67.8%") is said as such.
        spread = "the same" if text.number(low) == text.number(high) else text.interval(low, high, "percent")
        label = f"{part_words} of {whole_words} is {text.number(value)}% ({spread} with their rounding{caveat})"
        candidates.append(Candidate(edition, label, value, low, high, _against(stated, value, low, high)))

    if part is not None and own_whole is not None:
        whole = own_whole
        add(
            "",
            (part.point, *part.admitted()),
            part.as_written,
            whole,
            f"{whole.as_written} (the article's own figures)",
        )
    for edition in EDITIONS:
        measure = record.usgs_measure
        year, own_year = _year(stated, usgs, edition, measure)
        when = f" in {year}" if year else ""
        published_part = usgs.get(edition, measure, stated.subject, year)
        unit = "Mt" if measure == "reserves" else "kt"
        # Over an edition's whole, the edition's own part, so that no share mixes two editions' figures;
        # the article's part only where the edition gives none.
        if published_part is not None:
            numerators = [
                (
                    (published_part.value, published_part.low, published_part.high),
                    f"{edition}'s {published_part.words(unit)}",
                )
            ]
        elif part is not None:
            numerators = [((part.point, *part.admitted()), part.as_written)]
        else:
            numerators = []
        world = usgs.get(edition, measure, "world", year)
        listed = usgs.listed_sum(edition, measure, year)
        for numerator, part_words in numerators:
            if world is not None:
                add(
                    edition, numerator, part_words, world, f"{edition}'s rounded world total{when}, {world.words(unit)}"
                )
            if listed.value:
                add(
                    edition,
                    numerator,
                    part_words,
                    listed,
                    f"{text.show(listed.value, 't', unit)}, the sum of the countries {edition} lists{when}",
                    # A world total given only as "more than" leaves countries without a figure out of the sum.
                    "; at most that, as the countries it gives no figure for are left out"
                    if world is not None and world.note == "lower bound"
                    else "",
                )
    return candidates


_MATCHING = (CONSISTENT, WITHIN_ROUNDING)
_CURRENT = "current at the article's date"


def _labels(candidates: list[Candidate]) -> str:
    return "; ".join(c.label for c in candidates)


def _decisive_edition(stated: Statement, published: list[Candidate], usgs: Tables) -> str:
    """The edition current at the article's date, or, where it lacks the figure, the latest that has it."""
    current = usgs.current(stated.source_id)
    if any(c.edition == current for c in published):
        return current
    return max(c.edition for c in published)


def _not_current(published: list[Candidate], current: str) -> str:
    """What the other editions give, named after the decisive one's."""
    others = [c for c in published if c.edition != current]
    return f" (not current then: {_labels(others)})" if others else ""


def _matched(best: str, current: str, now: list[Candidate]) -> tuple[str, Candidate]:
    """The sentence for a match in the decisive edition, naming what else that edition gives, and the match."""
    matching = [c for c in now if c.verdict == best]
    rest = [c for c in now if c not in matching]
    how = "matches" if best == CONSISTENT else "matches within rounding"
    but = f"; but {_labels(rest)}" if rest else ""
    return f"{how} {current}, {_CURRENT}: {_labels(matching)}{but}", matching[0]


def _outdated(current: str, now: list[Candidate], before: list[Candidate]) -> str:
    older = ", ".join(dict.fromkeys(c.edition for c in before))
    return f"matches only {older}, an older edition: {_labels(before)}; {current}, {_CURRENT}, gives: {_labels(now)}"


def _unmatched(best: str, current: str, now: list[Candidate]) -> tuple[str, str]:
    """(verdict, sentence) where no edition matches: a bound alone decides nothing, else a contradiction."""
    if best == INCONCLUSIVE:
        opening = f"is only within a bound in {current}, {_CURRENT}, which any plausible figure meets: "
        return INCONCLUSIVE, opening + _labels(now)
    return CONTRADICTED, f"matches no USGS figure; {current}, {_CURRENT}, gives: {_labels(now)}"


def _verdict_sentence(
    stated: Statement, candidates: list[Candidate], usgs: Tables
) -> tuple[str, str, Candidate | None]:
    """(verdict, sentence, the candidate shown as check_value), judged against the edition current at
    the article's date: a match there holds; a match only in an older edition is `outdated`; a
    bound alone is inconclusive; otherwise contradicted. The article's own figures, where they
    reproduce a share, are named but decide nothing here (`share_of_whole` checks them)."""
    published = [c for c in candidates if c.edition]
    if not published:
        return CANNOT_CHECK, "neither USGS edition gives a figure for it", None
    current = _decisive_edition(stated, published, usgs)
    now = [c for c in published if c.edition == current]
    but_others = _not_current(published, current)
    best = _best(now)
    if best in _MATCHING:
        sentence, shown = _matched(best, current, now)
        return best, sentence + but_others, shown
    own = [c for c in candidates if not c.edition]
    own_words = f"; the article's own figures give: {own[0].label}" if own else ""
    shown = min(now, key=lambda c: abs(c.value - stated.point))
    before = [c for c in published if c.edition < current and c.verdict in _MATCHING]
    if before:
        return OUTDATED, _outdated(current, now, before) + own_words, shown
    verdict, sentence = _unmatched(best, current, now)
    return verdict, sentence + but_others + own_words, shown


def _merged(found: list[Statement], wanted) -> list[list[Statement]]:
    """Statements a rule compares with USGS, one figure stated alike in one article compared once (each
    article has its own current edition, so articles are compared apart)."""
    merged: dict[tuple, list[Statement]] = {}
    for s in found:
        if wanted(vocabulary.METRICS[s.metric]):
            merged.setdefault(
                (s.source_id, s.subject, s.metric, s.counterpart, s.period, s.low, s.high, s.bound), []
            ).append(s)
    return list(merged.values())


def _claim_ids(group: list[Statement]) -> list[str]:
    return [c for s in group for c in s.claim_ids]


def _stated_words(group: list[Statement], unit: str) -> str:
    """The figure a group states, its period, its claims and what it admits, shown in `unit`."""
    stated = group[0]
    period = f" ({stated.period})" if stated.period else ""
    return (
        f"{what(stated)}{period}, {stated.as_written} ({', '.join(_claim_ids(group))}; "
        f"{text.interval(*stated.admitted(), unit)})"
    )


@rule(
    "usgs",
    "reference",
    "A reserve or production figure, or a rank by them, against the USGS edition current at the article's date "
    "(a match only in an older edition is outdated).",
    needs=("claims", "usgs"),
    evidence="primary",
)
def usgs_values(found: list[Statement], usgs: Tables) -> list[dict]:
    rows = []
    for group in _merged(found, lambda m: m.usgs_measure and not m.share_of):
        stated = group[0]
        candidates = value_candidates(stated, usgs)
        verdict, sentence, shown = _verdict_sentence(stated, candidates, usgs)
        compared = (
            "USGS " + " and ".join(dict.fromkeys(c.edition for c in candidates)) if candidates else "USGS (no figure)"
        )
        rows.append(
            check(
                "usgs",
                _claim_ids(group),
                stated,
                shown.value if shown else None,
                compared,
                verdict,
                f"{_stated_words(group, stated.unit)}, {sentence}.",
                judges=_claim_ids(group),
            )
        )
    return rows


@rule(
    "share_base",
    "reference",
    "A share recomputed on every base a source could have used (the article's own figures, each USGS edition's world "
    "total, the sum of the countries each edition lists), naming the base that reproduces it; judged on the edition "
    "current at the article's date.",
    needs=("claims", "usgs"),
    evidence="primary",
)
def share_base(found: list[Statement], usgs: Tables) -> list[dict]:
    rows = []
    by = index(found, *SHARE_INDEX)
    for group in _merged(found, lambda m: m.usgs_measure and m.share_of):
        stated = group[0]
        candidates = share_candidates(stated, by, usgs)
        verdict, sentence, shown = _verdict_sentence(stated, candidates, usgs)
        rows.append(
            check(
                "share_base",
                _claim_ids(group),
                stated,
                shown.value if shown else None,
                "bases: " + ", ".join(dict.fromkeys(c.edition or "the article's own figures" for c in candidates)),
                verdict,
                f"{_stated_words(group, 'percent')}, {sentence}.",
                judges=_claim_ids(group),
            )
        )
    return rows


@dataclass(frozen=True)
class _Side:
    """What sets a floor apart from a ceiling, for `_usgs_bounds`."""

    # The end of what the figure admits that could pass: a floor is met if its highest value meets it
    # ("180-202 kt" by 202 kt), a ceiling if its lowest does.
    end: int
    extreme: str
    limit: str
    beyond: str  # the outcome of a figure that fails
    fails: Callable[[float, float], bool]  # (share of mine output, the fraction allowed)


_SIDES = {
    "usgs_floor": _Side(1, "highest", "at least", "so it cannot mean what it says", operator.lt),
    "usgs_ceiling": _Side(0, "lowest", "at most", "more than is plausible", operator.gt),
}


class _Share(NamedTuple):
    """A figure as a share of one edition's mine output for its country."""

    edition: str
    year: str
    own_year: bool
    published: Published
    share: float


def _tonnes(stated: Statement, end: float) -> float:
    """`end`, in the statement's unit, in tonnes; a rate a year as a year's worth."""
    amount = Quantity(end, stated.unit) * (Quantity(1, "year") if "year" in stated.unit else 1)
    return float(amount.to("t").magnitude)


def _shares_of_mine_output(stated: Statement, usgs: Tables, measure: str, country: str, tonnes: float) -> list[_Share]:
    """`tonnes` against each edition's figure for the country, in the statement's year where the edition has it."""
    found = []
    for edition in EDITIONS:
        year, own_year = _year(stated, usgs, edition, measure)
        if year not in usgs.years(edition, measure):  # an edition too early for the year: its latest
            year, own_year = usgs.latest_year(edition, measure), False
        published = usgs.get(edition, measure, country, year)
        # A figure of zero bounds no share (the share of nothing is undefined): that edition says nothing here.
        if published is not None and published.value > 0:
            found.append(_Share(edition, year, own_year, published, tonnes / published.value))
    return found


def _shares_words(shares: list[_Share], where: str) -> str:
    return "; ".join(
        f"{text.number(100 * s.share)}% of the {text.show(s.published.value, 't', 'kt' if s.published.value < 1e6 else 'Mt')} "
        f"{where} mined in {s.year} per {s.edition}" + ("" if s.own_year else " (its latest year)")
        for s in shares
    )


def _judged_at(stated: Statement, end: float, side: _Side) -> str:
    """The value judged, where the figure's rounding and hedge move it off the figure as written."""
    shown = text.show(end, stated.unit)
    if shown == text.show(stated.point, stated.unit):
        return ""
    return f" (even at the {side.extreme} value its rounding and hedge admit, {shown})"


def _usgs_bounds(found: list[Statement], usgs: Tables, attribute: str, rule_name: str) -> list[dict]:
    """A figure against a floor or a ceiling set by a USGS measure of its subject's country."""
    side = _SIDES[attribute]
    rows = []
    for stated in found:
        declared = getattr(vocabulary.METRICS[stated.metric], attribute)
        if not declared:
            continue
        measure, fraction, why = declared
        country = stated.where
        end = stated.admitted()[side.end]
        shares = _shares_of_mine_output(stated, usgs, measure, country, _tonnes(stated, end))
        if not shares:
            continue
        current = usgs.current(stated.source_id)
        judged = [s for s in shares if s.edition == current] or shares[-1:]  # the current edition decides
        implausible = any(side.fails(s.share, fraction) for s in judged)
        verdict = IMPLAUSIBLE if implausible else CONSISTENT
        outcome = side.beyond if implausible else "which is plausible"
        rows.append(
            check(
                rule_name,
                stated.claim_ids,
                stated,
                judged[-1].published.value,
                f"USGS {' and '.join(s.edition for s in shares)} mine production",
                verdict,
                f"{what(stated)}, {stated.as_written}{_judged_at(stated, end, side)}, is "
                f"{_shares_words(shares, text.subject_name(country))}; it should be {side.limit} "
                f"{text.number(100 * fraction)}% ({why}), {outcome}.",
                # A figure within scale is not thereby right: only one out of scale is judged.
                judges=stated.claim_ids if implausible else [],
            )
        )
    return rows


@rule(
    "scope",
    "reference",
    "A figure whose metric implies a scale (world demand) against USGS's mine output: far below it, it must be a narrower measure.",
    needs=("claims", "usgs"),
    evidence="primary",
)
def scope(found: list[Statement], usgs: Tables) -> list[dict]:
    return _usgs_bounds(found, usgs, "usgs_floor", "scope")


@rule(
    "plausibility",
    "reference",
    "A figure that is a part of a USGS measure (NdPr of a country's mine output) against the most that part can plausibly be.",
    needs=("claims", "usgs"),
    evidence="primary",
)
def plausibility(found: list[Statement], usgs: Tables) -> list[dict]:
    return _usgs_bounds(found, usgs, "usgs_ceiling", "plausibility")
