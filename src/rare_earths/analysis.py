"""The articles' calculations, topic by topic, as tables the notebooks show and plot.

Every function takes the processed claims (and the tidy USGS table where it compares) and
returns a DataFrame whose numeric columns name their unit (`reserves_mt`, `share_pct`,
`value_usd_million`). Each row carries the ids of the claims it uses (`claim_ids`, separated by
"; "), so a reader can go from any number on a page back to the quote it came from.
"""

from __future__ import annotations

import math

import pandas as pd
import pint

from rare_earths import metrics, text, vocabulary
from rare_earths.data import units
from rare_earths.data.claims import figure_of
from rare_earths.data.units import Figure, Quantity, is_money, to_usd
from rare_earths.vocabulary import EDITIONS

SEPARATOR = vocabulary.SEPARATOR  # between the claim ids a row rests on


# --- selecting claims ----------------------------------------------------------------------------


def select(
    claims: pd.DataFrame,
    metric: str,
    subject: str | None = None,
    counterpart: str | None = None,
    source_id: str | None = None,
) -> pd.DataFrame:
    """The claims of one metric (and subject, counterpart, source), in claim order."""
    rows = claims[claims.metric == metric]
    if source_id is not None:
        rows = rows[rows.source_id == source_id]
    if subject is not None:
        rows = rows[rows.subject == subject]
    if counterpart is not None:
        rows = rows[rows.counterpart == counterpart]
    return rows.sort_values("claim_id")


def distinct(
    claims: pd.DataFrame,
    metric: str,
    subject: str | None = None,
    counterpart: str | None = None,
    source_id: str | None = None,
) -> pd.DataFrame:
    """One row per distinct figure (subject, item, counterpart, period, low, high), with every claim stating it."""
    rows = select(claims, metric, subject, counterpart, source_id)
    keys = ["subject", "item", "counterpart", "period", "value_low", "value_high", "unit"]
    grouped = rows.groupby(keys, sort=False, dropna=False).agg(claim_ids=("claim_id", SEPARATOR.join)).reset_index()
    return grouped


def one(
    claims: pd.DataFrame,
    metric: str,
    subject: str | None = None,
    counterpart: str | None = None,
    source_id: str | None = None,
) -> tuple[Figure, str]:
    """The single figure the articles give for a metric, and the claims that state it.

    Raises if the articles give different figures: the calculation would have to choose, and the
    caller should say which it uses.
    """
    rows = distinct(claims, metric, subject, counterpart, source_id)
    if len(rows) != 1:
        described = ", ".join(
            f"{row.value_low:g}-{row.value_high:g} {row.unit} ({row.claim_ids})" for row in rows.itertuples()
        )
        raise LookupError(f"{len(rows)} different figures for {metric} {subject or ''}: {described or 'none'}")
    claim_ids = rows.iloc[0].claim_ids
    return figure_of(claims, claim_ids.split(SEPARATOR)[0]), claim_ids


def one_value(claims: pd.DataFrame, metric: str, subject: str | None = None) -> tuple[Figure, str]:
    """The one value the articles give for a metric, though they date it differently ("so far",
    "since then"), and every claim that states it; LookupError if the values differ."""
    rows = distinct(claims, metric, subject)
    if rows.empty or rows.value_low.nunique() != 1 or rows.value_high.nunique() != 1:
        raise LookupError(f"{metric} {subject or ''}: the articles give {len(rows)} different values, or none")
    claim_ids = _ids(*rows.claim_ids)
    return figure_of(claims, claim_ids.split(SEPARATOR)[0]), claim_ids


def _ids(*groups: str) -> str:
    ids = []
    for group in groups:
        ids += [claim_id for claim_id in group.split(SEPARATOR) if claim_id not in ids]
    return SEPARATOR.join(sorted(ids))


def _magnitude(quantity: pint.Quantity, unit: str) -> float:
    return float(quantity.to(unit).magnitude)


# --- the sources and the units they write -------------------------------------------------------


def articles(sources: pd.DataFrame, claims: pd.DataFrame) -> pd.DataFrame:
    """One row per article, as readers know it: its title (or, lacking one, the description this
    project gives it), publisher, date in words (or the date it is judged as of), and how many
    claims it holds."""
    counts = claims.groupby("source_id").size()
    rows = []
    for row in sources.sort_values("source_id").itertuples():
        dated = text.date_words(row.date) if row.date else f"undated; judged as of {text.date_words(row.as_of)}"
        rows.append(
            {
                "source_id": row.source_id,
                "title": row.title or f"{row.label} (no title; described by this project)",
                "publisher": row.publisher or None,
                "date": dated,
                "claims": int(counts.get(row.source_id, 0)),
            }
        )
    return pd.DataFrame(rows).set_index("source_id")


def units_in_use(claims: pd.DataFrame) -> pd.DataFrame:
    """Each unit the articles write and the standard unit it is read into, with how many claims
    use it and one of them as an example: its figure in the article's words and in the standard
    unit, so a reader sees the conversion."""
    rows = []
    for (written, unit), group in claims.sort_values("claim_id").groupby(["unit_as_written", "unit"], sort=True):
        example = group.iloc[0]
        rows.append(
            {
                "unit_as_written": written,
                "unit": units.CANONICAL_UNIT_WORDS.get(unit, unit),
                "claims": len(group),
                "example": example.claim_id,
                "example_as_written": text.as_written(
                    example.quote, example.value_as_written, example.unit_as_written, example.qualifier
                ),
                "example_standard": text.interval(example.value_low, example.value_high, unit),
            }
        )
    return pd.DataFrame(rows)


def money_in_usd(claims: pd.DataFrame, usd_inr: float) -> pd.DataFrame:
    """Every money claim with a single value, in millions of US dollars (a year, for yearly amounts),
    rupees converted at `usd_inr`."""
    rows = []
    for row in claims.sort_values("claim_id").itertuples():
        amount = Quantity(row.value_low, row.unit)
        if not is_money(amount) or row.value_low != row.value_high:
            continue
        rows.append(
            {
                "claim_id": row.claim_id,
                "subject": row.subject,
                "metric": row.metric,
                "value_as_written": row.value_as_written,
                "unit_as_written": row.unit_as_written,
                "as_written": text.as_written(row.quote, row.value_as_written, row.unit_as_written, row.qualifier),
                "value": row.value,
                "unit": row.unit,
                "standard": text.show(row.value, row.unit),
                "value_usd_million": float(to_usd(amount, usd_inr).magnitude) / 1e6,
            }
        )
    return pd.DataFrame(rows)


def metric_words(metric: str) -> str:
    """A metric as a reader's table names it: 'share of world reserves' for reserve_share."""
    return vocabulary.METRICS[metric].said


def share_measure(metric: str) -> str:
    """What a share of the world is a share of, in a few words, for a chart's labels: 'magnet
    production' for magnet_production_share, 'reserves' for reserve_share."""
    record = vocabulary.METRICS[metric]
    return record.measure or record.said.removeprefix("share of world ").removesuffix(" share")


# --- reserves and production ---------------------------------------------------------------------


def reserves_comparison(claims: pd.DataFrame, usgs: pd.DataFrame) -> pd.DataFrame:
    """Each country's reserves as the articles state them, beside both USGS editions, in Mt."""
    stated = distinct(claims, "reserves")
    reserves = usgs[usgs.measure == "reserves"].pivot_table(index="country", columns="edition", values="value_t")
    rows = []
    for row in stated.itertuples():
        reference = reserves.loc[row.subject] if row.subject in reserves.index else {}
        rows.append(
            {
                "country": row.subject,
                "articles_mt": row.value_low / 1e6,
                **{f"usgs_{edition.lower()}_mt": reference.get(edition, float("nan")) / 1e6 for edition in EDITIONS},
                "claim_ids": row.claim_ids,
            }
        )
    return pd.DataFrame(rows)


# --- trade ---------------------------------------------------------------------------------------


def export_growth(claims: pd.DataFrame) -> pd.DataFrame:
    """China's stated export CAGR and the growth multiple it implies over its period."""
    rows = []
    for row in distinct(claims, "export_cagr", "China").itertuples():
        rate = Quantity(row.value_low, "percent")
        years = metrics.span_years(row.period)
        rows.append(
            {
                "period": row.period,
                "years": years,
                "cagr_pct": row.value_low,
                "growth_multiple": metrics.growth_multiple(rate, years),
                "claim_ids": row.claim_ids,
            }
        )
    return pd.DataFrame(rows)


def value_against_quantity(claims: pd.DataFrame) -> pd.DataFrame:
    """Value share against quantity share: their ratio is the flow's price relative to the whole's."""
    pairs = [
        ("China's exports, share of world", "export_value_share", "export_quantity_share", "China", "world"),
        ("India's imports, share from China", "import_value_share", "import_quantity_share", "India", "China"),
    ]
    rows = []
    for label, value_metric, quantity_metric, subject, counterpart in pairs:
        values = distinct(claims, value_metric, subject, counterpart)
        quantities = distinct(claims, quantity_metric, subject, counterpart)
        for value_row in values.itertuples():
            quantity_row = quantities[quantities.period == value_row.period].iloc[0]
            rows.append(
                {
                    "flow": label,
                    "period": value_row.period,
                    "value_share_pct": value_row.value_low,
                    "quantity_share_pct": quantity_row.value_low,
                    "relative_unit_value": value_row.value_low / quantity_row.value_low,
                    "claim_ids": _ids(value_row.claim_ids, quantity_row.claim_ids),
                }
            )
    return pd.DataFrame(rows)


def export_destinations(claims: pd.DataFrame) -> pd.DataFrame:
    """China's export value by destination as stated, with the remainder the articles leave unnamed."""
    rows = distinct(claims, "export_destination_value_share", "China")
    table = pd.DataFrame({"destination": rows.counterpart, "share_pct": rows.value_low, "claim_ids": rows.claim_ids})
    rest = pd.DataFrame(
        [
            {
                "destination": "other (not stated)",
                "share_pct": 100 - table.share_pct.sum(),
                "claim_ids": _ids(*rows.claim_ids),
            }
        ]
    )
    return pd.concat([table, rest], ignore_index=True)


def magnet_import_values(claims: pd.DataFrame, usd_inr: float) -> pd.DataFrame:
    """India's magnet and REE import values: the four-year averages and FY25, in USD and ₹ crore."""
    average, average_ids = one(claims, "magnet_imports_value_average", "India")
    latest, latest_ids = one(claims, "magnet_imports_value", "India")
    compounds, compounds_ids = one(claims, "ree_imports_value_average", "India")
    year = Quantity(1, "year")
    items = [
        ("magnets, yearly average over four years", average.low * year, average_ids),
        ("magnets, FY2024-25", latest.low, latest_ids),
        ("REEs and compounds, yearly average over four years", compounds.low * year, compounds_ids),
    ]
    rows = [
        {
            "item": label,
            "value_usd_million": _magnitude(value, "USD") / 1e6,
            "value_inr_crore": _magnitude(value.to("crore * INR", "fx", usd_inr=usd_inr), "crore * INR"),
            "claim_ids": ids,
        }
        for label, value, ids in items
    ]
    return pd.DataFrame(rows)


def magnet_import_comparisons(claims: pd.DataFrame) -> pd.DataFrame:
    """FY25 against the four-year average, what that leaves for the other three years, magnets against REEs."""
    average, average_ids = one(claims, "magnet_imports_value_average", "India")
    latest, latest_ids = one(claims, "magnet_imports_value", "India")
    compounds, compounds_ids = one(claims, "ree_imports_value_average", "India")
    yearly_average = _magnitude(average.low, "USD / year") / 1e6
    fy25 = _magnitude(latest.low, "USD") / 1e6
    rows = [
        {
            "comparison": "FY2024-25 above the four-year average",
            "value": 100 * (fy25 / yearly_average - 1),
            "unit": "percent",
            "claim_ids": _ids(average_ids, latest_ids),
        },
        {
            "comparison": "average of the other three years, if FY2024-25 is one of the four",
            "value": (4 * yearly_average - fy25) / 3,
            "unit": "USD million / year",
            "claim_ids": _ids(average_ids, latest_ids),
        },
        {
            "comparison": "magnet imports as a multiple of REE and compound imports (averages)",
            "value": metrics.ratio(average.low, compounds.low),
            "unit": "times",
            "claim_ids": _ids(average_ids, compounds_ids),
        },
    ]
    return pd.DataFrame(rows)


def auto_sector_magnets(claims: pd.DataFrame) -> pd.DataFrame:
    """The auto sector's magnet imports: FY25, the 2025 projection, its growth and implied price."""
    imported, imported_ids = one(claims, "magnet_imports", "Indian auto sector", counterpart="")
    projected, projected_ids = one(claims, "magnet_imports_projected", "Indian auto sector")
    value, value_ids = one(claims, "magnet_imports_value_projected", "Indian auto sector")
    rows = [
        {
            "measure": "imported, FY2024-25",
            "value": _magnitude(imported.low, "t"),
            "unit": "t",
            "claim_ids": imported_ids,
        },
        {
            "measure": "projected imports, 2025",
            "value": _magnitude(projected.low, "t"),
            "unit": "t",
            "claim_ids": projected_ids,
        },
        {
            # A calendar year's projection against a fiscal year's imports (April 2024 to March 2025):
            # said as such, and to the two digits "460" gives, not the four a division prints.
            "measure": "2025 projection (calendar year) against FY2024-25 imports (April to March)",
            "value": metrics.to_significant(_magnitude(metrics.share(projected.low, imported.low), "percent") - 100, 2),
            "unit": "percent",
            "claim_ids": _ids(imported_ids, projected_ids),
        },
        {
            "measure": "projected value",
            "value": _magnitude(value.low, "USD") / 1e6,
            "unit": "USD million",
            "claim_ids": value_ids,
        },
        {
            "measure": "implied price",
            "value": metrics.to_significant(_magnitude(metrics.unit_price(value.low, projected.low), "USD / kg"), 2),
            "unit": "USD / kg",
            "claim_ids": _ids(projected_ids, value_ids),
        },
    ]
    return pd.DataFrame(rows)


# --- demand --------------------------------------------------------------------------------------


def iea_demand(claims: pd.DataFrame) -> pd.DataFrame:
    """IEA world demand now and projected, the implied CAGR range, and clean technologies' part."""
    now, now_ids = one(claims, "demand", "world")
    later, later_ids = one(claims, "demand_projected", "world")
    share_now, share_now_ids = one(claims, "clean_tech_demand_share", "world")
    share_later, share_later_ids = one(claims, "clean_tech_demand_share_projected", "world")
    start_year = metrics.period_end_year(select(claims, "demand", "world").period.iloc[0])
    end_year = metrics.period_end_year(select(claims, "demand_projected", "world").period.iloc[0])
    years = end_year - start_year
    demand_cagr = metrics.over_range(lambda a, b: metrics.cagr(a, b, years), now, later)
    clean_now = metrics.over_range(metrics.part_of, now, share_now)
    clean_later = metrics.over_range(metrics.part_of, later, share_later)
    clean_cagr = metrics.over_range(lambda a, b: metrics.cagr(a, b, years), clean_now, clean_later)
    rows = [
        ("world demand", start_year, now.to("kt"), "kt", now_ids),
        ("world demand", end_year, later.to("kt"), "kt", later_ids),
        ("world demand, implied CAGR", f"{start_year}-{end_year}", demand_cagr, "percent", _ids(now_ids, later_ids)),
        ("clean-technology share", start_year, share_now, "percent", share_now_ids),
        ("clean-technology share", end_year, share_later, "percent", share_later_ids),
        ("clean-technology demand", start_year, clean_now.to("kt"), "kt", _ids(now_ids, share_now_ids)),
        ("clean-technology demand", end_year, clean_later.to("kt"), "kt", _ids(later_ids, share_later_ids)),
        (
            "clean-technology demand, implied CAGR",
            f"{start_year}-{end_year}",
            clean_cagr,
            "percent",
            _ids(now_ids, later_ids, share_now_ids, share_later_ids),
        ),
    ]
    return pd.DataFrame(
        [
            {
                "measure": measure,
                "year": str(year),
                "low": _magnitude(figure.low, unit),
                "high": _magnitude(figure.high, unit),
                "unit": unit,
                "claim_ids": ids,
            }
            for measure, year, figure, unit, ids in rows
        ]
    )


def iea_demand_path(claims: pd.DataFrame) -> pd.DataFrame:
    """The yearly path from today's demand to each end of the projected range, in kt (a band)."""
    now, _ = one(claims, "demand", "world")
    later, _ = one(claims, "demand_projected", "world")
    start_year = metrics.period_end_year(select(claims, "demand", "world").period.iloc[0])
    end_year = metrics.period_end_year(select(claims, "demand_projected", "world").period.iloc[0])
    paths = []
    for end, label in ((later.low, "low"), (later.high, "high")):
        rate = metrics.cagr(now.low, end, end_year - start_year)
        path = metrics.yearly_path(now.low.to("kt"), rate, start_year, end_year).rename(
            columns={"value": f"demand_{label}_kt"}
        )
        paths.append(path.set_index("year"))
    return pd.concat(paths, axis=1).reset_index()


def india_consumption(claims: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """India's consumption growth implied by 1,700 t now and 15,400 t by 2032, from `base_year`."""
    now, now_ids = one(claims, "consumption", "India")
    later, later_ids = one(claims, "consumption_projected", "India")
    end_year = metrics.period_end_year(select(claims, "consumption_projected", "India").period.iloc[0])
    if base_year >= end_year:
        raise ValueError(f"consumption_base_year {base_year} must be before the projection year {end_year}")
    rate = metrics.cagr(now.low, later.low, end_year - base_year)
    return pd.DataFrame(
        [
            {
                "base_year": base_year,
                "target_year": end_year,
                "base_t": _magnitude(now.low, "t"),
                "target_t": _magnitude(later.low, "t"),
                "growth_multiple": metrics.ratio(later.low, now.low),
                "implied_cagr_pct": _magnitude(rate, "percent"),
                "claim_ids": _ids(now_ids, later_ids),
            }
        ]
    )


def india_consumption_sensitivity(claims: pd.DataFrame, base_years: range) -> pd.DataFrame:
    """The implied CAGR for each candidate base year: the article does not date the 1,700 t."""
    return pd.concat([india_consumption(claims, year) for year in base_years], ignore_index=True)


# --- capacity and policy -------------------------------------------------------------------------


def capacity_comparison(claims: pd.DataFrame) -> pd.DataFrame:
    """Magnet quantities side by side, in t a year, with IREL's plant as a share of each: a comparison
    of scale only, since the plant makes samarium-cobalt magnets and the articles do not say what kind
    the auto sector imports or China makes (mostly neodymium magnets, by other sources). IREL's NdPr
    output is left out: it is a rare-earth oxide, not magnets."""
    plant, plant_ids = one(claims, "magnet_production_capacity", "IREL")
    items = [
        ("IREL magnet plant capacity (samarium-cobalt magnets)", plant.low, plant_ids),
        (
            "Indian auto sector magnet imports, FY2024-25",
            *_per_year(one(claims, "magnet_imports", "Indian auto sector", counterpart="")),
        ),
        (
            "Indian auto sector magnet imports, 2025 projection",
            *_per_year(one(claims, "magnet_imports_projected", "Indian auto sector")),
        ),
        ("China magnet production (over)", *one(claims, "magnet_production", "China")),
    ]
    rows = []
    for label, figure, ids in items:
        quantity = figure.low if isinstance(figure, Figure) else figure
        rows.append(
            {
                "item": label,
                "t_per_year": _magnitude(quantity, "t / year"),
                "irel_plant_as_pct": _magnitude(metrics.share(plant.low, quantity), "percent"),
                "claim_ids": _ids(ids, plant_ids) if "IREL magnet" not in label else ids,
            }
        )
    return pd.DataFrame(rows)


def _per_year(found: tuple[Figure, str]) -> tuple[pint.Quantity, str]:
    """A yearly quantity (imports in a fiscal or calendar year) as a rate, for comparison with capacity."""
    figure, ids = found
    return figure.low / Quantity(1, "year"), ids


def budgets(claims: pd.DataFrame, usd_inr: float) -> pd.DataFrame:
    """Every budget and expected investment the articles give, one row per distinct figure (two
    budgets of one subject are two rows, told apart by their `item`), in ₹ crore and in US dollars
    at `usd_inr`, each to as many significant digits as its rupee figure was written with.

    No total: a mission's budget is government spending, while investment expected from public
    sector enterprises is not a budget; and all are converted at one rate, though the money is
    spent over several years."""
    written = claims.set_index("claim_id").value_as_written
    rows = []
    for metric in ("budget_allocation", "investment_expected"):
        for row in distinct(claims, metric).itertuples():
            first = row.claim_ids.split(SEPARATOR)[0]
            amount = figure_of(claims, first).low
            digits = metrics.significant_digits(written[first])
            rows.append(
                {
                    "subject": row.subject,
                    "item": row.item or metric_words(metric),
                    "metric": metric,
                    "inr_crore": _magnitude(amount, "crore * INR"),
                    "usd_million": metrics.to_significant(_magnitude(to_usd(amount, usd_inr), "USD") / 1e6, digits),
                    "claim_ids": row.claim_ids,
                }
            )
    return pd.DataFrame(rows, columns=["subject", "item", "metric", "inr_crore", "usd_million", "claim_ids"])


def magnet_production_shares(claims: pd.DataFrame) -> pd.DataFrame:
    """Magnet production shares by country as stated, with their sum."""
    rows = distinct(claims, "magnet_production_share")
    table = pd.DataFrame({"country": rows.subject, "share_pct": rows.value_low, "claim_ids": rows.claim_ids})
    total = pd.DataFrame([{"country": "sum", "share_pct": table.share_pct.sum(), "claim_ids": _ids(*rows.claim_ids)}])
    return pd.concat([table, total], ignore_index=True)


def china_shares(claims: pd.DataFrame) -> pd.DataFrame:
    """Every share of the world the articles give China, with what exactly it is a share of, in the article's words."""
    rows = claims[(claims.subject == "China") & (claims.counterpart == "world") & claims.metric.str.endswith("_share")]
    return (
        pd.DataFrame(
            {
                "metric": rows.metric,
                "share_pct": rows.value_low,
                "bound": rows.bound,
                "as_written": [
                    text.as_written(row.quote, row.value_as_written, row.unit_as_written, row.qualifier)
                    for row in rows.itertuples()
                ],
                "source_id": rows.source_id,
                "claim_id": rows.claim_id,
            }
        )
        .sort_values(["metric", "claim_id"])
        .reset_index(drop=True)
    )


def stock_depletion(claims: pd.DataFrame, step_weeks: float = 0.5) -> pd.DataFrame:
    """Magnet stock remaining week by week if no magnets arrive, for each end of the stated cover."""
    cover, _ = one(claims, "magnet_stock", "Indian auto sector")
    weeks_low, weeks_high = _magnitude(cover.low, "week"), _magnitude(cover.high, "week")
    steps = math.ceil(weeks_high / step_weeks)  # through the week the larger stock runs out
    rows = []
    for index in range(steps + 1):
        week = index * step_weeks
        rows.append(
            {
                "week": week,
                "stock_left_low_pct": max(0.0, 100 * (1 - week / weeks_low)),
                "stock_left_high_pct": max(0.0, 100 * (1 - week / weeks_high)),
            }
        )
    return pd.DataFrame(rows)


def permits(claims: pd.DataFrame) -> pd.DataFrame:
    """China's export permits for magnets: Indian applications and approvals, and the European approval rate."""
    applications, applications_ids = one(claims, "permit_applications", "Indian firms")
    applicants, applicants_ids = one(claims, "permit_applicants", "Indian firms")
    approvals, approvals_ids = one_value(claims, "permit_approvals", "Indian firms")  # a002 and a003: none
    approved, approved_ids = one(claims, "permit_approval_share", "European auto suppliers")
    return pd.DataFrame(
        [
            {
                "measure": "Indian applications pending",
                "value": applications.low.magnitude,
                "unit": "applications",
                "claim_ids": applications_ids,
            },
            {
                "measure": "Indian applicants (fact box)",
                "value": applicants.low.magnitude,
                "unit": "applicants",
                "claim_ids": applicants_ids,
            },
            {
                "measure": "Indian permits granted so far",
                "value": approvals.low.magnitude,
                "unit": "permits",
                "claim_ids": approvals_ids,
            },
            {
                "measure": "European applications approved",
                "value": approved.low.magnitude,
                "unit": "percent",
                "claim_ids": approved_ids,
            },
        ]
    )
