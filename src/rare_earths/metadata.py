"""Every table's columns, and every controlled vocabulary, defined once.

Schemas (`schema()`), the column documentation (`docs/data-dictionary.md`, from `markdown()`) and
the checks on raw inputs are all generated from the definitions here, so a column is described in
exactly one place.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandera.pandas as pa

from . import paths

# --- vocabularies --------------------------------------------------------------------------------

# --- metrics: everything the project knows about a metric, in one record ----------------------


@dataclass(frozen=True)
class Metric:
    """One metric: what it measures, its unit, how a sentence names it, and how the audit checks it.

    The cleaning step refuses a claim whose unit does not convert to `unit` (a reserve in percent
    is a capture error); the audit's rules find what they check through the other fields, so a
    newly captured claim of a known metric is checked without touching the rules.
    """

    name: str
    meaning: str
    unit: str  # canonical unit, as the project's pint registry parses it
    words: str = ""  # the metric in a sentence ("share of world reserves"); default: its name in words
    family: str = ""  # figures a reader would take for one another ("China's share" of the supply chain)
    measure: str = ""  # within its family, what exactly it measures; empty where the article does not say
    share_of: str = ""  # a share: the metric its part and whole are stated in ("reserve_share" -> "reserves")
    growth_of: tuple[str, ...] = ()  # a growth rate or decline: the level metrics it can be recomputed from
    rank_of: str = ""  # a rank: the metric it ranks by
    average_of: str = ""  # a yearly average: the metric of one year's level
    year_rank_of: str = ""  # a rank of one year's level among the years of an average ("the highest in four years")
    usgs_measure: str = ""  # the USGS measure it is checked against ("reserves", "mine_production")
    priced_by: str = ""  # a value: the quantity metric it is the value of (700 t worth USD 30 million)
    set_against: str = ""  # a quantity worth setting beside another metric's, as a ratio (China's output, IREL's plant)
    # The least share of a USGS measure the figure can be, as (measure, fraction, why): a figure below it
    # cannot mean what its metric says (world demand far below world mine output).
    usgs_floor: tuple[str, float, str] = ()
    # The most share of a USGS measure the figure can be, as (measure, fraction, why): a part of the whole.
    usgs_ceiling: tuple[str, float, str] = ()
    # A count that a positive figure of this metric implies is at least one, for the same country (or
    # the world) and counterpart: NdPr produced in a country implies a separation facility there, so
    # "no separation facilities" cannot hold beside it; permits approved for European suppliers imply
    # permits granted, so an export "ban" on everyone cannot either.
    presupposes: str = ""
    # An event that happens more than once (an official statement): its dates are a series of
    # occasions, never one figure stated twice.
    recurring: bool = False
    # A date of the first occasion of a recurring event (`recurring` metric named here): any occasion
    # dated earlier contradicts it.
    first_of: str = ""
    # A quantity whose value, at the price its article implies, is a part of this value metric of its
    # country in the same period (the auto sector's 460 t within India's magnet import bill).
    valued_in: str = ""
    # A projection: the metric whose level it projects for its period (700 t of magnet imports in 2025).
    projects: str = ""

    @property
    def said(self) -> str:
        return self.words or self.name.replace("_", " ")


SUPPLY_CHAIN = "share of the world's rare-earth supply chain"
IMPORT_SUPPLIER = "share of imports from one supplier"
PERMITS = "requests for Chinese export permits"
WEEKS_LEFT = "weeks before the magnet shortage bites"

_METRICS: tuple[Metric, ...] = (
    Metric("reserves", "Rare-earth reserves (rare-earth-oxide equivalent where the source says).", "t",
           usgs_measure="reserves"),
    Metric("reserve_share", "Share of world rare-earth reserves.", "percent", "share of world reserves",
           share_of="reserves", usgs_measure="reserves"),
    Metric("reserve_rank", "Rank by rare-earth reserves among countries.", "rank", "rank by reserves",
           rank_of="reserves", usgs_measure="reserves"),
    Metric("central_asia_trade_partner_rank", "Rank among the counterpart's trading partners in Central Asia.", "rank",
           "rank among trading partners in Central Asia"),
    Metric("automaker_rank", "Rank among the counterpart's automakers.", "rank", "rank among automakers"),
    Metric("production", "Rare-earth production, as the article words it (mine production unless stated).", "t",
           usgs_measure="mine_production"),
    Metric("production_share", "Share of world rare-earth production.", "percent", "share of world production",
           family=SUPPLY_CHAIN, measure="mine production", share_of="production", usgs_measure="mine_production"),
    Metric("mine_to_metal_capacity_share", "Share of world mine-to-metal capacity.", "percent",
           family=SUPPLY_CHAIN, measure="mine-to-metal capacity"),
    Metric("ree_processing_capacity_share", "Share of world rare-earth processing capacity.", "percent",
           family=SUPPLY_CHAIN, measure="rare-earth processing capacity"),
    Metric("magnet_processing_capacity_share", "Share of world processing capacity for rare-earth magnets.", "percent",
           family=SUPPLY_CHAIN, measure="magnet processing capacity"),
    Metric("magnet_processing_share", "Share of the world's rare-earth magnets processed.", "percent",
           family=SUPPLY_CHAIN, measure="magnets processed"),
    Metric("magnet_production_capacity_share", "Share of world rare-earth magnet production capacity.", "percent",
           family=SUPPLY_CHAIN, measure="magnet production capacity"),
    Metric("magnet_production_share", "Share of world rare-earth magnet production.", "percent", "share of world magnet production",
           family=SUPPLY_CHAIN, measure="magnet production"),
    Metric("magnet_production", "Rare-earth magnet production per year.", "t / year", set_against="magnet_production_capacity"),
    Metric("magnet_production_capacity", "Rare-earth magnet production capacity per year.", "t / year"),
    Metric("ndpr_production", "Neodymium-praseodymium (NdPr) production per year.", "t / year", "NdPr production",
           presupposes="separation_facilities", set_against="consumption",
           usgs_ceiling=("mine_production", 1 / 3, "NdPr is a part of the rare-earth oxide mined; in the monazite and "
                         "bastnäsite ores mined at scale it is about a fifth, and this project takes a third as the most "
                         "any year's NdPr output can plausibly be of the country's mine output")),
    Metric("export_value_share", "Share of world rare-earth export value.", "percent", "share of world export value"),
    Metric("export_quantity_share", "Share of world rare-earth export quantity.", "percent", "share of world export quantity"),
    Metric("export_cagr", "Compound annual growth rate of rare-earth exports.", "percent", "exports",
           growth_of=("exports_value", "exports_quantity")),
    Metric("export_destination_value_share", "Share of the subject's export value going to the counterpart.", "percent",
           "share of export value going to one destination"),
    Metric("import_value_share", "Share of the subject's rare-earth import value coming from the counterpart.", "percent",
           "share of imports by value", family=IMPORT_SUPPLIER, measure="import value"),
    Metric("import_quantity_share", "Share of the subject's rare-earth import quantity coming from the counterpart.", "percent",
           "share of imports by quantity", family=IMPORT_SUPPLIER, measure="import quantity"),
    Metric("import_dependence_share", "The subject's import dependence on the counterpart.", "percent", "import dependence",
           family=IMPORT_SUPPLIER),
    Metric("import_cagr", "Compound annual growth rate of rare-earth imports.", "percent", "imports",
           growth_of=("imports_value", "imports_quantity")),
    Metric("import_decline", "Decline in rare-earth imports over the period.", "percent", "imports",
           growth_of=("imports_value", "imports_quantity")),
    Metric("tariff_rate", "Tariff imposed by the subject on imports from the counterpart.", "percent"),
    Metric("magnet_imports", "Rare-earth magnet imports in the period.", "t", valued_in="magnet_imports_value"),
    Metric("magnet_imports_projected", "Projected rare-earth magnet imports in the period.", "t", "projected magnet imports",
           projects="magnet_imports"),
    Metric("magnet_imports_value", "Value of rare-earth magnet imports in the period.", "USD", "magnet import value"),
    Metric("magnet_imports_value_projected", "Value of projected rare-earth magnet imports in the period.", "USD",
           "projected magnet import value", priced_by="magnet_imports_projected"),
    Metric("magnet_imports_value_average", "Average yearly value of rare-earth magnet imports.", "USD / year",
           "average yearly magnet import value", average_of="magnet_imports_value"),
    Metric("magnet_imports_value_rank", "Rank of the period's magnet import value among the years of the "
           "article's average.", "rank", "rank of the magnet import value among the years averaged",
           year_rank_of="magnet_imports_value"),
    Metric("ree_imports_value_average", "Average yearly value of rare-earth element and compound imports.", "USD / year",
           "average yearly import value of rare-earth elements and compounds"),
    Metric("demand", "Rare-earth demand in the period.", "t",
           usgs_floor=("mine_production", 0.5, "the world uses about what it mines in a year, since stocks change by far "
                       "less, so total rare-earth demand below half of world mine output must be a narrower measure")),
    Metric("demand_projected", "Projected rare-earth demand in the period.", "t", "projected demand",
           usgs_floor=("mine_production", 0.5, "demand grows with output, so world rare-earth demand projected below "
                       "half of what the world mines today must be a narrower measure, as today's demand figure is")),
    Metric("clean_tech_demand_share", "Share of rare-earth demand used in clean technologies.", "percent"),
    Metric("clean_tech_demand_share_projected", "Projected share of rare-earth demand used in clean technologies.", "percent"),
    Metric("consumption", "Rare-earth metal consumption.", "t"),
    Metric("consumption_projected", "Expected rare-earth metal consumption in the period.", "t", "expected consumption"),
    Metric("budget_allocation", "Government money allocated or earmarked.", "crore * INR"),
    Metric("investment_expected", "Investment expected from public sector enterprises.", "crore * INR"),
    Metric("permit_applications", "Export-permit applications filed and pending.", "count", "export-permit applications",
           family=PERMITS, measure="applications"),
    Metric("permit_applicants", "Applicants for export permits.", "count", "export-permit applicants",
           family=PERMITS, measure="applicants"),
    Metric("permit_approval_share", "Share of export-permit applications approved.", "percent",
           presupposes="permit_approvals"),
    Metric("permit_approvals", "Export permits granted to the subject so far (`world`: to anyone; an export 'ban' or "
           "'halt' grants none).", "count", "export permits granted"),
    Metric("import_licences_issued", "Import licences issued for the subject's imports from the counterpart in the period.", "count",
           "import licences issued"),
    Metric("magnet_stock", "Magnet stock held, in weeks of use.", "week", "magnet stock",
           family=WEEKS_LEFT, measure="stock in weeks of use"),
    Metric("time_to_production_impact", "Time until production is affected by the shortage.", "week",
           "time until production is hit", family=WEEKS_LEFT, measure="time until production is hit"),
    Metric("time_to_domestic_capability", "Time needed to build domestic capability.", "year"),
    Metric("element_count", "Number of rare earth elements.", "count", "number of elements"),
    Metric("ree_count_with_rich_reserves", "Number of rare earth elements of which the subject has rich reserves.", "count",
           "number of REEs with rich reserves"),
    Metric("delegation_size", "Members of a delegation.", "count"),
    Metric("separation_facilities", "Domestic facilities separating high-purity rare-earth oxides (announced).",
           "count", "domestic separation facilities"),
    Metric("offtake_agreements", "Formalised offtake or processing agreements with the counterpart (announced).",
           "count", "offtake or processing agreements"),
    Metric("listed_ree_firms", "Publicly traded rare-earth firms with scaled production.", "count",
           "publicly traded rare-earth firms with scaled production"),
    # Dates (unit `date`: see rare_earths.units.parse_date), compared by the days their words admit.
    Metric("export_controls_date", "When China announced or imposed its export controls on rare-earth items "
           "(magnets among them) in 2025.", "date", "export controls on rare-earth items"),
    Metric("launch_date", "When a programme was launched; for a government mission, its approval by the Union "
           "Cabinet.", "date", "launch"),
    Metric("talks_acknowledgment_date", "A day the Indian government officially said it was in talks with China on "
           "rare-earth supplies.", "date", "official acknowledgment of talks with China", recurring=True),
    Metric("first_talks_acknowledgment_date", "The day the Indian government first officially said it was in talks "
           "with China on rare-earth supplies.", "date", "first official acknowledgment of talks with China",
           first_of="talks_acknowledgment_date"),
    # Levels that growth rates are computed from. No article states them yet; the audit looks for
    # them, so a growth rate becomes checkable as soon as its two levels are captured.
    Metric("exports_value", "Value of the subject's rare-earth exports (to the counterpart, if any) in the period.", "USD"),
    Metric("exports_quantity", "Quantity of the subject's rare-earth exports (to the counterpart, if any) in the period.", "t"),
    Metric("imports_value", "Value of the subject's rare-earth imports (from the counterpart, if any) in the period.", "USD"),
    Metric("imports_quantity", "Quantity of the subject's rare-earth imports (from the counterpart, if any) in the period.", "t"),
)  # fmt: skip
METRICS: dict[str, Metric] = {metric.name: metric for metric in _METRICS}

# subject -> the country it is a part of, where the subject is not a country itself: its USGS figures
# are that country's, and its imports a part of that country's.
COUNTRY_OF: dict[str, str] = {"IREL": "India", "Indian auto sector": "India"}

SUBJECTS: tuple[str, ...] = (
    "world", "China", "India", "Brazil", "Australia", "Russia", "Vietnam", "Japan", "South Korea",
    "USA", "Kazakhstan", "IREL", "Indian auto sector", "Indian firms", "Indian auto industry delegation",
    "European auto suppliers", "Government of India", "National Critical Mineral Mission", "Maruti Suzuki",
    "rare earth elements",
)  # fmt: skip

# How far "around" and "nearly" reach: the project's convention, one basis for every figure. A
# hedged figure admits the wider of its rounding and this fraction of its value.
HEDGE_REACH = 0.05

# hedge as written (lower case) -> (the bound it makes of the figure, what it means). The audit
# reads a statement's interval from these meanings (`rare_earths.audit.statements`).
HEDGES: dict[str, tuple[str, str]] = {
    "": ("exact", "No hedge: the figure admits every value that rounds to it as written ('67%' is 66.5% to 67.5%)."),
    "only": ("exact", "Stresses that the figure is small; it does not hedge it."),
    "estimated": ("exact", "Names the figure as an estimate, as every reserve figure is; it does not widen it."),
    "approximately": ("approximate", f"Within {HEDGE_REACH:.0%} of the figure, or its rounding if wider."),
    "around": ("approximate", f"Within {HEDGE_REACH:.0%} of the figure, or its rounding if wider."),
    "about": ("approximate", f"Within {HEDGE_REACH:.0%} of the figure, or its rounding if wider."),
    "only around": ("approximate", f"As 'around' (within {HEDGE_REACH:.0%}); 'only' stresses that it is small."),
    "nearly": ("upper_bound", f"Just below the figure: from {HEDGE_REACH:.0%} under it up to the figure."),
    "over": ("lower_bound", "Above the figure, with no upper end stated."),
    "at least": ("lower_bound", "At or above the figure, with no upper end stated."),
    "mostly": (
        "exact",
        "Hedges where the figure comes from, not its size: the figure is a total, more than half of "
        "it from the counterpart the sentence names.",
    ),
}
QUALIFIERS: dict[str, str] = {hedge: bound for hedge, (bound, _) in HEDGES.items()}

BOUNDS: dict[str, str] = {
    "exact": "The figure is stated as it is.",
    "approximate": "The figure is hedged ('around', 'approximately', 'estimated').",
    "lower_bound": "The true value is at or above the figure ('over', 'at least').",
    "upper_bound": "The true value is at or just below the figure ('nearly').",
}

CHECK_KINDS: dict[str, str] = {
    "recomputation": "A figure the articles derive from other figures, recomputed from those figures.",
    "cross_source": "Figures for the same thing compared across articles, or within one article.",
    "reference": "A figure compared with primary data: the USGS Mineral Commodity Summaries 2024 and 2025, or a "
    "standard definition.",
    "derivation": "A figure the articles imply but do not state (a price, a ratio), computed for the reader.",
    "unchecked": "A claim no rule can check, with the reason.",
}

# verdict -> (what it means, an example from these articles), most serious first: pages list
# findings in this order. Each verdict means one thing; the explanation of a check says why.
VERDICTS: dict[str, tuple[str, str]] = {
    "contradicted": (
        "The figures cannot all hold as stated, even allowing for their rounding and hedges.",
        "a000 says India ranks fifth by reserves, yet the reserves it gives put India third.",
    ),
    "implausible": (
        "The arithmetic can hold, but the figure is out of scale with primary data on the same thing.",
        "93 kt of world rare-earth demand in 2024 is about a quarter of what USGS says the world mined.",
    ),
    "outdated": (
        "The figure matches only a USGS edition older than the one current at the article's date; the current "
        "edition says otherwise.",
        "India 'ranks fifth' by reserves, as in MCS2024; MCS2025, current when the article was written, puts it third.",
    ),
    "hedge_dropped": (
        "A restatement drops a hedge the other statement had, so it says more than its source.",
        "'460 tons ... mostly from China' restated as '460 tons ... from China'.",
    ),
    "date_conflict": (
        "One figure is given for different dates.",
        "India's 81% import share by value is dated 2022 in a000 and 2023 in a004.",
    ),
    "ambiguous": (
        "The figures can all hold, but the same words stand for different measures, so a reader cannot tell "
        "which one a bare figure means.",
        "'over 90%' is China's share of magnet processing capacity in a000 and of magnet production capacity in a001.",
    ),
    "inconclusive": (
        "The only reference is a bound that the figure meets: the comparison could not have failed, so it "
        "confirms nothing.",
        "38% of world reserves against MCS2025's world total of 'more than 90 Mt'.",
    ),
    "cannot_check": (
        "The check needs figures the sources do not give.",
        "A 10% growth rate of India's imports with no period stated.",
    ),
    "consistent_within_rounding": (
        "The figures agree only once their rounding, or a hedge, is allowed for.",
        "240 kt of 356 kt is 67.4%, stated as 67%.",
    ),
    "consistent": ("The figures agree as stated.", "China's 44 Mt of reserves, the figure both USGS editions give."),
    "derived": (
        "A figure the articles imply but do not state, computed with the arithmetic shown; there is nothing to "
        "compare it with.",
        "700 t worth USD 30 million is USD 42.9 a kilogram.",
    ),
    "not_checked": (
        "No rule can check the claim; the explanation says why.",
        "A 50-member delegation: no other source or primary table gives it.",
    ),
}

# Each verdict as pages name it for readers, in words a headline could use.
VERDICT_LABELS: dict[str, str] = {
    "contradicted": "Contradicted",
    "implausible": "Out of scale",
    "outdated": "Outdated",
    "hedge_dropped": "Hedge dropped",
    "date_conflict": "Dates clash",
    "ambiguous": "Ambiguous",
    "inconclusive": "Inconclusive",
    "cannot_check": "Cannot be checked",
    "consistent_within_rounding": "Holds within rounding",
    "consistent": "Holds",
    "derived": "Derived",
    "not_checked": "Not checked",
}

# Verdicts by what they say of the claims a check judges: it fails them, it agrees with them, or
# neither (the check could not decide, or only derived a figure for the reader).
FAILING_VERDICTS = ("contradicted", "implausible", "outdated", "hedge_dropped", "date_conflict")
AGREEING_VERDICTS = ("consistent", "consistent_within_rounding")

# What a check tested a figure against, strongest first (`audit.csv`'s `evidence`). Only the first
# two are independent of the article: they make a claim `confirmed`.
EVIDENCE: dict[str, str] = {
    "primary": "Primary data: USGS, of the edition current at the article's date, or a standard definition (IUPAC's "
    "rare-earth elements).",
    "other_article": "Another article, independent of this one, that states the same figure (subject, measure and "
    "period) itself.",
    "related_article": "Another article that retells the same reporting (`sources.csv`'s `shares_reporting_with`): "
    "it agrees, but it is not independent.",
    "own_article": "Only the article's own figures: its arithmetic or its restatements of the figure.",
    "none": "Nothing that tests the figure: the check could not decide, or only derived a figure for the reader.",
}
INDEPENDENT_EVIDENCE = ("primary", "other_article")

# A claim's one conclusion (`conclusions.csv`'s `standing`), decided once from every check that
# judges it (`rare_earths.audit.conclusions`, which documents the precedence), in the order pages
# list them: standing -> (label for readers, what it means).
STANDINGS: dict[str, tuple[str, str]] = {
    "confirmed": (
        "Confirmed",
        "Independent evidence agrees: USGS data current at the article's date, or another article that states the "
        "same figure.",
    ),
    "consistent": (
        "Consistent with its own article only",
        "It agrees with the article's own figures (its arithmetic, its restatements), but nothing independent of "
        "the article tested it.",
    ),
    "does_not_hold": (
        "Does not hold",
        "A check found it contradicted, out of scale with primary data, outdated, stated without its hedge, or "
        "given two dates.",
    ),
    "unchecked": ("Could not be checked", "Nothing here could test it; its explanation says why."),
}

EXCLUSION_REASONS: dict[str, str] = {
    "date": "A calendar date, a year or a fiscal-year label that is not a claim's period.",
    "list_index": "The numbering of a list item.",
    "element_number": "An atomic number.",
    "ordinal_in_prose": "An ordinal that does not rank a quantity ('the first official acknowledgment').",
    "count_in_prose": "A number word in ordinary prose, not a measured figure ('the two sides').",
    "event_chronology": "The length of a diplomatic event or the gap between two ('a two-day visit').",
    "denominator": "The whole in 'N out of M', captured as its own claim elsewhere.",
    "vague_quantity": "A word that names no number ('hundreds', 'multifold').",
    "zero_in_prose": "A word that can state a zero, used of something not measured ('output may come to a halt').",
}

# --- columns -------------------------------------------------------------------------------------

ID_PATTERNS = {
    "source_id": r"^a\d{3}$",
    "claim_id": r"^a\d{3}-\d{2}$",
    "sha256": r"^[0-9a-f]{64}$",
    "period": r"^$|^\d{4}$|^\d{4}-\d{4}$|^FY\d{4}-\d{2}$",
    "number": r"^$|^-?\d+(\.\d+)?$",
}
CLAIM_LIST = r"^a\d{3}-\d{2}(; a\d{3}-\d{2})*$"  # claim ids separated by "; "


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kind: str = "string"  # "string" or "number"
    required: bool = True  # a value in every row (for strings: not empty)
    unique: bool = False
    pattern: str | None = None  # regular expression every value matches
    allowed: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None  # closed vocabulary (or where to read it)
    unit: str = ""  # for a number column with one unit; "see `unit`" where the row says

    def vocabulary(self) -> tuple[str, ...] | None:
        """The values allowed, if the vocabulary is closed; read from its registry where it has one."""
        return self.allowed() if callable(self.allowed) else self.allowed


@dataclass(frozen=True)
class Table:
    name: str
    path: str  # relative to the repository
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _at(path) -> str:
    """A table's path as the metadata records it: relative to the repository, from `paths` (the one place it is written)."""
    return paths.relative(path)


def _c(name: str, description: str, **kwargs) -> Column:
    return Column(name, description, **kwargs)


SOURCE_ID = _c(
    "source_id", "The article's id: `a` and the three-digit prefix of its file name.", pattern=ID_PATTERNS["source_id"]
)
CLAIM_ID = _c(
    "claim_id",
    "Stable id of the claim: `<source_id>-<NN>`, numbered in reading order; never reused.",
    pattern=ID_PATTERNS["claim_id"],
    unique=True,
)
QUOTE = _c("quote", "Verbatim passage of the article that holds the figure.")
SUBJECT = _c("subject", "Who or what the figure is about.", allowed=SUBJECTS)
METRIC = _c("metric", "What the figure measures (see the metric vocabulary).", allowed=tuple(METRICS))
COUNTERPART = _c(
    "counterpart", "The whole a share is of, or the other side of a trade flow; empty if none.", required=False
)
VALUE_AS_WRITTEN = _c("value_as_written", "The number exactly as the article writes it, without unit or qualifier.")
UNIT_AS_WRITTEN = _c(
    "unit_as_written", "The unit in the article's words (`fraction` and `rank` for figures written without one)."
)
QUALIFIER = _c("qualifier", "The hedge word as written ('over', 'around', ...); empty if none.", required=False)
PERIOD_AS_WRITTEN = _c(
    "period_as_written", "The words of the quote that date the figure; empty if none.", required=False
)
PERIOD = _c(
    "period",
    "The period, normalised: `2023`, `2018-2023`, `FY2024-25` (April 2024 to March 2025); empty if not stated.",
    required=False,
    pattern=ID_PATTERNS["period"],
)
NOTE = _c("note", "What a reader needs to interpret the row; empty if nothing.", required=False)

SOURCES = Table(
    "sources",
    _at(paths.SOURCES_CSV),
    "The five source articles, one row each, with what each states about itself.",
    (
        replace(SOURCE_ID, unique=True),
        _c("file", "File name under data/raw/articles/.", unique=True),
        _c("title", "The article's title, where it states one.", required=False),
        _c(
            "label",
            "For an article that states no title: a short description assigned by this project, which pages show "
            "marked as assigned. Empty when the article has a title.",
            required=False,
        ),
        _c("publisher", "The publisher, where the article names it.", required=False),
        _c("author", "The byline, where the article gives one.", required=False),
        _c(
            "date",
            "Date of the article (ISO 8601), where it states one.",
            required=False,
            pattern=r"^$|^\d{4}-\d{2}-\d{2}$",
        ),
        _c(
            "as_of",
            "The date the article's figures are judged at (ISO 8601): its date line where it has one, else the latest "
            "dated event it reports (the note says which). The USGS edition current then is the one its figures are "
            "judged against.",
            pattern=r"^\d{4}-\d{2}-\d{2}$",
        ),
        _c(
            "shares_reporting_with",
            "The other articles that retell the same reporting as this one (their ids, separated by `; `), so that "
            "they do not confirm each other; the note says why. Empty if none.",
            required=False,
            pattern=r"^$|^a\d{3}(; a\d{3})*$",
        ),
        _c("sha256", "SHA-256 of the file as received.", pattern=ID_PATTERNS["sha256"]),
        NOTE,
    ),
)

REFERENCES = Table(
    "references",
    _at(paths.REFERENCES_CSV),
    "The USGS reference tables, one row each, with their citation.",
    (
        _c("file", "File name under data/raw/reference/.", unique=True),
        _c("producer", "Who produced the data."),
        _c("title", "Title of the publication the table comes from."),
        _c("edition", "The publication's edition."),
        _c(
            "published",
            "The date the edition was released (ISO 8601): from then until the next edition's release it is the "
            "current one.",
            pattern=r"^\d{4}-\d{2}-\d{2}$",
        ),
        _c("doi", "DOI of the publication or its data release."),
        _c("licence", "Terms of use."),
        _c("sha256", "SHA-256 of the file as received.", pattern=ID_PATTERNS["sha256"]),
        NOTE,
    ),
)

RAW_CLAIMS = Table(
    "raw_claims",
    _at(paths.RAW_CLAIMS_CSV),
    "Every quantitative figure in the articles, one row per occurrence, captured by hand.",
    (
        CLAIM_ID,
        SOURCE_ID,
        SUBJECT,
        METRIC,
        COUNTERPART,
        VALUE_AS_WRITTEN,
        UNIT_AS_WRITTEN,
        QUALIFIER,
        _c(
            "range_low",
            "For a range: its low end, in the unit as written; empty otherwise.",
            required=False,
            pattern=ID_PATTERNS["number"],
        ),
        _c(
            "range_high",
            "For a range: its high end, in the unit as written; empty otherwise.",
            required=False,
            pattern=ID_PATTERNS["number"],
        ),
        PERIOD_AS_WRITTEN,
        PERIOD,
        QUOTE,
        NOTE,
    ),
)

EXCLUSIONS = Table(
    "exclusions",
    _at(paths.EXCLUSIONS_CSV),
    "Numbers in the articles that are not claims, each with the reason.",
    (
        SOURCE_ID,
        _c("quote", "Verbatim passage of the article that locates the number."),
        _c("number_as_written", "The number exactly as written; a substring of `quote`."),
        _c("reason", "Why the number is not a claim.", allowed=tuple(EXCLUSION_REASONS)),
        NOTE,
    ),
)

CLAIMS = Table(
    "claims",
    _at(paths.PROCESSED_CLAIMS_CSV),
    "Every claim with its value in canonical units beside the figure as written.",
    (
        CLAIM_ID,
        SOURCE_ID,
        SUBJECT,
        METRIC,
        COUNTERPART,
        PERIOD,
        _c(
            "value",
            "The value in canonical units; empty for a range.",
            kind="number",
            required=False,
            unit="see `unit`",
        ),
        _c(
            "value_low",
            "Low end of the figure in canonical units (the value itself if not a range).",
            kind="number",
            unit="see `unit`",
        ),
        _c(
            "value_high",
            "High end of the figure in canonical units (the value itself if not a range).",
            kind="number",
            unit="see `unit`",
        ),
        _c(
            "unit",
            "Canonical unit of value, value_low and value_high, as the project's pint registry parses it.",
            allowed=tuple(sorted({metric.unit for metric in METRICS.values()})),
        ),
        _c("bound", "What the qualifier makes of the figure.", allowed=tuple(BOUNDS)),
        QUALIFIER,
        VALUE_AS_WRITTEN,
        UNIT_AS_WRITTEN,
        PERIOD_AS_WRITTEN,
        QUOTE,
        NOTE,
    ),
)

USGS = Table(
    "usgs",
    _at(paths.PROCESSED_USGS_CSV),
    "The two USGS editions' world mine production and reserves, one row per edition, country, measure and year.",
    (
        _c("edition", "Mineral Commodity Summaries edition: `MCS2024` or `MCS2025`.", allowed=("MCS2024", "MCS2025")),
        _c(
            "country",
            "Country, or `World total (rounded)` (USGS's own rounded total, not the sum of the rows) or `Other`.",
        ),
        _c(
            "measure",
            "`mine_production` (in the year) or `reserves` (as of the edition).",
            allowed=("mine_production", "reserves"),
        ),
        _c("year", "Year of the production figure; empty for reserves.", required=False, pattern=r"^$|^\d{4}$"),
        _c(
            "value_t",
            "Metric tons of rare-earth-oxide equivalent; empty where USGS gives none ('NA').",
            kind="number",
            required=False,
            unit="t",
        ),
        _c("estimated", "`yes` where the edition marks the figure as an estimate.", allowed=("yes", "no")),
        _c(
            "greater_than",
            "`yes` where USGS publishes the figure as a lower bound ('>90,000,000').",
            allowed=("yes", "no"),
        ),
        _c(
            "quota",
            "`yes` where the edition's note says the production figure is a quota (a set number, not a measurement).",
            allowed=("yes", "no"),
        ),
    ),
)


def _rule_names() -> tuple[str, ...]:
    """The audit's rules, from the audit's own registry (read when a schema or document is made)."""
    from .audit.registry import RULES

    return tuple(RULES)


AUDIT = Table(
    "audit",
    _at(paths.PROCESSED_AUDIT_CSV),
    "Every check of the articles' figures, one row per check: recomputations, comparisons between the articles, and comparisons with USGS.",
    (
        _c(
            "check_id",
            "Stable id: the rule and the first claim the check involves (`share_of_whole:a000-14`).",
            unique=True,
        ),
        _c("kind", "What kind of check it is.", allowed=tuple(CHECK_KINDS)),
        _c("rule", "The rule that made the check (see the rule vocabulary).", allowed=_rule_names),
        _c("claim_ids", "The claims involved, separated by `; `.", pattern=CLAIM_LIST),
        _c(
            "judges",
            "The claims whose conclusion this check speaks for, separated by `; `; empty for a check that judges none "
            "(it derives a figure for the reader, or finds only that a set of shares fits within 100%). The other "
            "claims involved are its inputs.",
            required=False,
            pattern="^$|" + CLAIM_LIST,
        ),
        _c(
            "evidence",
            "What the judged claims were tested against (see the evidence vocabulary).",
            allowed=tuple(EVIDENCE),
        ),
        _c(
            "stated_value",
            "The stated figure checked (its low end for a range or a lower bound), in `unit`.",
            kind="number",
            unit="see `unit`",
        ),
        _c(
            "check_value",
            "The value it is checked against: recomputed from its inputs, another statement of it, or USGS's; empty if there is none.",
            kind="number",
            required=False,
            unit="see `unit`",
        ),
        _c("unit", "Unit of stated_value and check_value, as the project's pint registry parses it."),
        _c("compared_with", "What check_value is, in words (the formula, the other claim, or the USGS edition)."),
        _c("verdict", "Whether the figure holds.", allowed=tuple(VERDICTS)),
        _c("explanation", "One sentence a reader understands: what was compared and what came out."),
    ),
)

CONCLUSIONS = Table(
    "conclusions",
    _at(paths.PROCESSED_CONCLUSIONS_CSV),
    "One conclusion per claim, decided once from every check that judges it (`rare_earths.audit.conclusions`): "
    "its standing, the verdict and checks that decided it, what it was tested against and one sentence for readers. "
    "Every page, notebook and ClaimReview reads it.",
    (
        replace(CLAIM_ID, unique=True),
        SOURCE_ID,
        _c("standing", "The claim's one conclusion (see the standing vocabulary).", allowed=tuple(STANDINGS)),
        _c("verdict", "The verdict that decided the standing.", allowed=tuple(VERDICTS)),
        _c("decided_by", "The ids of the checks whose verdict decided it, separated by `; `."),
        _c(
            "related",
            "Other checks that name the claim without judging it (it was one of their inputs), separated by `; `.",
            required=False,
        ),
        _c("evidence", "What it was tested against (see the evidence vocabulary).", allowed=tuple(EVIDENCE)),
        _c("tested_against", "What it was tested against, in words: the USGS edition, the other article, or nothing."),
        _c("explanation", "One sentence for readers: what decided the conclusion and why."),
    ),
)

RESULTS = Table(
    "results",
    _at(paths.REPORTS / "results.csv"),
    "The notebooks' key results, one row per result, as each notebook recorded it in its own code "
    "(`rare_earths.results.record`) and its executed copy keeps it. A sweep's table (`python -m rare_earths sweep`, "
    "in its folder) has one row per scenario and result, and after these columns one per parameter of its grid: the "
    "value the notebook ran with, empty where the notebook does not declare the parameter.",
    (
        _c("notebook", "The notebook that recorded the result (its file name)."),
        _c("name", "The result's id, unique within its notebook (snake_case).", pattern=r"^[a-z][a-z0-9_]*$"),
        _c("label", "The result's name for readers, as pages show it."),
        _c("value", "The value, in `unit`; empty for a range.", kind="number", required=False, unit="see `unit`"),
        _c("low", "Low end of the value (the value itself if not a range).", kind="number", unit="see `unit`"),
        _c("high", "High end of the value (the value itself if not a range).", kind="number", unit="see `unit`"),
        _c(
            "unit",
            "Unit of value, low and high, as the project's pint registry writes it (`%`, `t / yr`); empty if dimensionless.",
            required=False,
        ),
        _c(
            "claims",
            "The claims the result rests on, separated by `; `; empty if it rests on none (USGS data alone).",
            required=False,
        ),
        _c("meaning", "What the result is, in one line."),
        _c(
            "tolerance",
            "The relative difference the numeric regression test allows the result (`rare_earths.results.compare`).",
            kind="number",
        ),
    ),
)

TABLES = (SOURCES, REFERENCES, RAW_CLAIMS, EXCLUSIONS, CLAIMS, USGS, AUDIT, CONCLUSIONS, RESULTS)


# --- schemas and documentation -------------------------------------------------------------------


def schema(table: Table) -> pa.DataFrameSchema:
    """The pandera schema for a table: exact columns in order, types, vocabularies, patterns."""
    columns = {}
    for column in table.columns:
        checks = []
        if column.pattern:  # "$" would also match before a final newline ("2023\n"): end at the very end
            checks.append(pa.Check.str_matches(re.sub(r"(?<!\\)\$", r"\\Z", column.pattern)))
        if column.vocabulary() is not None:
            allowed = list(column.vocabulary()) + ([] if column.required else [""])
            checks.append(pa.Check.isin(allowed))
        if column.kind == "string":
            if column.required:
                checks.append(pa.Check.str_length(min_value=1))
            columns[column.name] = pa.Column(str, checks, nullable=False, unique=column.unique)
        else:
            # A number is finite: 10^400 read as a float is infinity, which no figure can be. An empty
            # cell (NaN) is allowed where the column is not required; pandera leaves NaN out of checks.
            checks.append(pa.Check(lambda values: values.abs() < math.inf, name="finite"))
            columns[column.name] = pa.Column(float, checks, nullable=not column.required, unique=column.unique)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=table.name)


def markdown() -> str:
    """The data dictionary: every table, column and vocabulary, as Markdown."""
    lines = [
        "# Data dictionary",
        "",
        "Generated by `python -m rare_earths docs` from `src/rare_earths/metadata.py`; do not edit by hand.",
        "",
    ]
    for table in TABLES:
        lines += [
            f"## `{table.path}`",
            "",
            table.description,
            "",
            "| column | type | unit | required | description |",
            "|---|---|---|---|---|",
        ]
        for column in table.columns:
            required = "yes" if column.required else ""
            lines.append(f"| `{column.name}` | {column.kind} | {column.unit} | {required} | {column.description} |")
        lines.append("")
    lines += ["## Metrics", "", "| metric | canonical unit | description |", "|---|---|---|"]
    lines += [f"| `{metric.name}` | `{metric.unit}` | {metric.meaning} |" for metric in METRICS.values()]
    lines += ["", "## Qualifiers (hedges)", "", "| qualifier as written | bound | what it means |", "|---|---|---|"]
    lines += [f"| {word or '(none)'} | `{bound}` | {meaning} |" for word, (bound, meaning) in HEDGES.items()]
    lines += ["", "## Bounds", "", "| bound | meaning |", "|---|---|"]
    lines += [f"| `{bound}` | {meaning} |" for bound, meaning in BOUNDS.items()]
    lines += ["", "## Check kinds", "", "| kind | meaning |", "|---|---|"]
    lines += [f"| `{kind}` | {meaning} |" for kind, meaning in CHECK_KINDS.items()]
    from .audit.registry import RULES  # the rules declare themselves where they are written

    lines += ["", "## Check rules", "", "| rule | kind | needs | what it checks |", "|---|---|---|---|"]
    lines += [
        f"| `{rule.name}` | `{rule.kind}` | {', '.join(rule.needs)} | {rule.meaning} |" for rule in RULES.values()
    ]
    lines += [
        "",
        "## Verdicts",
        "",
        "Most serious first; the label is the verdict's name on the site.",
        "",
        "| verdict | label | meaning | example |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{verdict}` | {VERDICT_LABELS[verdict]} | {meaning} | {example} |"
        for verdict, (meaning, example) in VERDICTS.items()
    ]
    lines += [
        "",
        "## Standings",
        "",
        "A claim's one conclusion, in the order it is decided.",
        "",
        "| standing | label | meaning |",
        "|---|---|---|",
    ]
    lines += [f"| `{name}` | {label} | {meaning} |" for name, (label, meaning) in STANDINGS.items()]
    lines += [
        "",
        "## Evidence",
        "",
        "What a check tested a figure against, strongest first.",
        "",
        "| evidence | meaning |",
        "|---|---|",
    ]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in EVIDENCE.items()]
    from . import reference
    from .audit.usgs import calibration_markdown

    lines += [
        "",
        "## USGS world totals: tolerance calibrated from the editions",
        "",
        "A country's figure admits half a unit of its third significant digit. USGS rounds world totals more coarsely, "
        "so a world total admits, either side, the gap between it and the sum of the rows the same edition prints "
        "beside it for the same measure and year (countries and 'Other'), never less than half a unit of its third "
        "significant digit (`rare_earths.audit.usgs.world_reach`):",
        "",
        *calibration_markdown(reference.tidy_raw()),
    ]
    lines += ["", "## Exclusion reasons", "", "| reason | meaning |", "|---|---|"]
    lines += [f"| `{reason}` | {meaning} |" for reason, meaning in EXCLUSION_REASONS.items()]
    lines += ["", "## Subjects", "", ", ".join(f"`{subject}`" for subject in SUBJECTS), ""]
    return "\n".join(lines)
