"""Derivation: figures the articles imply but do not state, computed with the arithmetic shown."""

from __future__ import annotations

from rare_earths import metrics, text, vocabulary
from rare_earths.audit.against_usgs import CANNOT_CHECK, IMPLAUSIBLE
from rare_earths.audit.registry import check, rule
from rare_earths.audit.statements import Statement, index, spread, what
from rare_earths.data.units import ureg

DERIVED = "derived"


@rule("implied_price", "derivation", "A value and the quantity it is the value of, as a price per kilogram.")
def implied_price(found: list[Statement]) -> list[dict]:
    rows = []
    by = index(found, "source_id", "subject", "metric", "period")
    for stated in found:
        quantity_metric = vocabulary.METRICS[stated.metric].priced_by
        quantities = (
            by.get((stated.source_id, stated.subject, quantity_metric, stated.period), []) if quantity_metric else []
        )
        if not quantities:
            continue
        quantity = quantities[0]
        if quantity.point <= 0:  # "no magnets worth $30 million" has no price
            continue
        price = metrics.unit_price(stated.quantity(), quantity.quantity()).magnitude
        low, high = spread(metrics.unit_price, stated.figure(), quantity.figure())
        rows.append(
            check(
                "implied_price",
                [*stated.claim_ids, *quantity.claim_ids],
                stated,
                None,
                f"{stated.as_written} / {quantity.as_written}",
                DERIVED,
                f"{what(stated)}, {stated.as_written} for {quantity.as_written}, is {text.show(price, 'USD / kg')} "
                f"({text.show(stated.point, stated.unit)} / {text.number(quantity.quantity().to('kg').magnitude)} kg; "
                f"{text.show(low, 'USD / kg')} to {text.show(high, 'USD / kg')} with their rounding).",
                judges=[],  # a figure derived for the reader tests nothing
            )
        )
    return rows


@rule(
    "implied_ratio",
    "derivation",
    "Two quantities an article sets side by side (China's magnet output, IREL's plant), as a ratio.",
)
def implied_ratio(found: list[Statement]) -> list[dict]:
    rows = []
    by = index(found, "source_id", "metric")
    for stated in found:
        other_metric = vocabulary.METRICS[stated.metric].set_against
        for other in by.get((stated.source_id, other_metric), []) if other_metric else []:
            if other.point <= 0:
                continue
            # A yearly rate beside an amount with no period (consumption "1,700 tonnes"): a year's worth of it.
            yearly = [
                s.quantity() * (ureg.year if "year" in s.unit and "year" not in t.unit else 1)
                for s, t in ((stated, other), (other, stated))
            ]
            ratio = metrics.ratio(*yearly)
            rows.append(
                check(
                    "implied_ratio",
                    [*stated.claim_ids, *other.claim_ids],
                    stated,
                    None,
                    f"{stated.as_written} / {other.as_written}",
                    DERIVED,
                    f"{what(stated)}, {stated.as_written}, is {text.number(ratio)} times {what(other)}, {other.as_written} "
                    f"({text.show(stated.point, stated.unit)} / {text.show(other.point, other.unit)}"
                    + (
                        ", a year's worth against an amount for no stated period"
                        if "year" in stated.unit and "year" not in other.unit
                        else ""
                    )
                    + ")"
                    + (
                        f"; {stated.as_written} is a lower bound, so the ratio is too"
                        if stated.bound == "lower_bound"
                        else ""
                    )
                    + ".",
                    judges=[],
                    versus=other,
                )
            )
    return rows


@rule(
    "implied_value_in_whole",
    "derivation",
    "A quantity valued at the price its article implies, as a share of its country's value for the same period "
    "(the auto sector's 460 t of magnets within India's magnet import bill); implausible only above the whole.",
)
def implied_value_in_whole(found: list[Statement]) -> list[dict]:
    rows = []
    by = index(found, "source_id", "subject", "metric")
    values = index(found, "subject", "metric", "period")
    for stated in found:
        whole_metric = vocabulary.METRICS[stated.metric].valued_in
        country = stated.where  # a part of a country (IREL, its auto sector): not the country itself
        if not whole_metric or country == stated.subject:
            continue
        prices = [
            (value, quantity)
            for metric, record in vocabulary.METRICS.items()
            if record.priced_by
            for value in by.get((stated.source_id, stated.subject, metric), [])
            for quantity in by.get((stated.source_id, stated.subject, record.priced_by), [])[:1]
        ]
        for whole in values.get((country, whole_metric, stated.period), []) if prices else []:
            value, quantity = prices[0]
            if quantity.point <= 0 or whole.point <= 0:  # no price, or no whole to be a share of
                continue
            price = metrics.unit_price(value.quantity(), quantity.quantity())
            implied = float((price * stated.quantity()).to(whole.unit).magnitude)
            share = implied / whole.point
            above = implied > whole.admitted()[1]
            rows.append(
                check(
                    "implied_value_in_whole",
                    [*stated.claim_ids, *value.claim_ids, *quantity.claim_ids, *whole.claim_ids],
                    stated,
                    None,  # the implied value is in USD, the stated figure in tonnes: the sentence gives both
                    f"{whole.as_written} ({', '.join(whole.claim_ids)})",
                    IMPLAUSIBLE if above else DERIVED,
                    f"At the price {stated.source_id} implies ({value.as_written} for {quantity.as_written} in "
                    f"{value.period or 'another period'}: {text.show(price.magnitude, 'USD / kg')}; "
                    f"{', '.join(value.claim_ids + quantity.claim_ids)}), {what(stated)}, {stated.as_written} "
                    f"({', '.join(stated.claim_ids)}, {stated.period}), "
                    f"would be worth about {text.show(implied, whole.unit)}: {text.number(100 * share)}% of "
                    f"{what(whole)} in {whole.period}, {whole.as_written} ({', '.join(whole.claim_ids)}). "
                    + (
                        "A part cannot be worth more than its whole, so the quantity, the price or the whole is wrong."
                        if above
                        else "The price is of another period and a part may be any share of its whole, so this tests "
                        "neither figure."
                    ),
                    judges=list(stated.claim_ids) if above else [],
                    versus=whole,
                )
            )
    return rows


@rule(
    "projection_beside_a_stop",
    "derivation",
    "A projection for a period beside a statement that the flow it projects stopped within that period (700 t of "
    "magnets projected for 2025; none imported from China since April 4): what the projection then needs.",
)
def projection_beside_a_stop(found: list[Statement]) -> list[dict]:
    rows = []
    stops: dict[tuple, list[Statement]] = {}  # by what stopped, when and where
    for stop in found:
        if stop.high == 0:
            stops.setdefault((stop.metric, stop.period, stop.where), []).append(stop)
    for projected in found:
        level_metric = vocabulary.METRICS[projected.metric].projects
        if not level_metric or projected.low <= 0:
            continue
        for stop in stops.get((level_metric, projected.period, projected.where), []):
            rows.append(
                check(
                    "projection_beside_a_stop",
                    [*projected.claim_ids, *stop.claim_ids],
                    projected,
                    None,
                    f"claim {stop.claim_ids[0]} ({stop.as_written})",
                    CANNOT_CHECK,
                    f"{projected.source_id} projects {projected.as_written} of {vocabulary.METRICS[level_metric].said} for "
                    f"{text.subject_name(projected.subject)} in {projected.period} ({', '.join(projected.claim_ids)}), but "
                    f"{stop.source_id} says “{stop.as_written}” from {stop.counterpart} {stop.period_as_written} "
                    f"({', '.join(stop.claim_ids)}): the projection then needs the rest of "
                    f"the year, or other suppliers, to supply it. Neither says when the projection was made (and a "
                    "projection for a fiscal year that begins after the stop would fall wholly after it), so this "
                    "cannot tell whether it still held.",
                    judges=[],
                    versus=stop,
                )
            )
    return rows
