"""Derivation: figures the articles imply but do not state, computed with the arithmetic shown."""

from __future__ import annotations

from .. import metadata, metrics, text
from .registry import check, rule
from .statements import Statement, index, spread, what

DERIVED = "derived"


@rule("implied_price", "derivation", "A value and the quantity it is the value of, as a price per kilogram.")
def implied_price(found: list[Statement]) -> list[dict]:
    rows = []
    by = index(found, "source_id", "subject", "metric", "period")
    for stated in found:
        quantity_metric = metadata.METRICS[stated.metric].priced_by
        quantities = (
            by.get((stated.source_id, stated.subject, quantity_metric, stated.period), []) if quantity_metric else []
        )
        if not quantities:
            continue
        quantity = quantities[0]
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
        other_metric = metadata.METRICS[stated.metric].set_against
        for other in by.get((stated.source_id, other_metric), []) if other_metric else []:
            ratio = metrics.ratio(stated.quantity(), other.quantity())
            rows.append(
                check(
                    "implied_ratio",
                    [*stated.claim_ids, *other.claim_ids],
                    stated,
                    None,
                    f"{stated.as_written} / {other.as_written}",
                    DERIVED,
                    f"{what(stated)}, {stated.as_written}, is {text.number(ratio)} times {what(other)}, {other.as_written} "
                    f"({text.show(stated.point, stated.unit)} / {text.show(other.point, other.unit)})"
                    + (
                        f"; {stated.as_written} is a lower bound, so the ratio is too"
                        if stated.bound == "lower_bound"
                        else ""
                    )
                    + ".",
                    judges=[],
                )
            )
    return rows
