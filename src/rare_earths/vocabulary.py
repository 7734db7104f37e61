"""Every controlled vocabulary of the project, defined once: metrics, subjects, hedges, check kinds,
verdicts, standings, evidence, exclusion reasons and the id grammar.

A leaf: it imports nothing of the project, so every layer (data, audit, build, site) can read it.
The tables' columns are in `rare_earths.data.schemas`; the data dictionary is generated from both
(`rare_earths.site.dictionary`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    # Counts what has been announced ("no ... facilities have been announced"): a figure that takes one
    # in operation leaves such an absence ambiguous (no new one announced?), not contradicted.
    announced: bool = False
    # A flow that can stop (permits granted, imports): the only figures an export "ban" or "halt" states.
    flow: bool = False
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
    Metric("magnet_imports", "Rare-earth magnet imports in the period.", "t", valued_in="magnet_imports_value", flow=True),
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
           "'halt' grants none).", "count", "export permits granted", flow=True),
    Metric("import_licences_issued", "Import licences issued for the subject's imports from the counterpart in the period.", "count",
           "import licences issued", flow=True),
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
           "count", "domestic separation facilities", announced=True),
    Metric("offtake_agreements", "Formalised offtake or processing agreements with the counterpart (announced).",
           "count", "offtake or processing agreements", announced=True),
    Metric("listed_ree_firms", "Publicly traded rare-earth firms with scaled production.", "count",
           "publicly traded rare-earth firms with scaled production"),
    # Dates (unit `date`: see rare_earths.data.units.parse_date), compared by the days their words admit.
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
    Metric("exports_quantity", "Quantity of the subject's rare-earth exports (to the counterpart, if any) in the period.", "t", flow=True),
    Metric("imports_value", "Value of the subject's rare-earth imports (from the counterpart, if any) in the period.", "USD"),
    Metric("imports_quantity", "Quantity of the subject's rare-earth imports (from the counterpart, if any) in the period.", "t", flow=True),
)  # fmt: skip
METRICS: dict[str, Metric] = {metric.name: metric for metric in _METRICS}

# What a subject is (`data/raw/subjects.csv`'s `kind`). The subjects themselves are curated data,
# with their aliases and the country each belongs to: a new article brings its subjects as data.
SUBJECT_KINDS: dict[str, str] = {
    "world": "The whole world: the world totals of USGS and of the articles.",
    "country": "A country: USGS's figures for it are its own (USGS may name it differently: see `aliases`).",
    "part_of_country": "A firm or sector of one country (`part_of`) whose quantities are a part of that country's: "
    "its output is within the country's USGS figures, its imports within the country's imports.",
    "other": "Anything else a figure is about (a government's budget, a programme, firms abroad, the elements "
    "themselves): no USGS figure or national total contains its figures.",
}
WORLD = "world"  # the subject that is the whole world, as claims and the tidy USGS table name it

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
# Each kind of check in readers' words, as tables and charts name it.
CHECK_KIND_LABELS: dict[str, str] = {
    "recomputation": "Recomputed",
    "cross_source": "Across articles",
    "reference": "Against primary data",
    "derivation": "Derived for the reader",
    "unchecked": "No rule applies",
}


@dataclass(frozen=True)
class Verdict:
    """One verdict of the audit, everything about it in one place: what it means, an example, the
    words pages use, what it says of the claims a check judges, whether readers see it among the
    findings first, and its colour in charts (Okabe-Ito, with Paul Tol's for the rest)."""

    name: str
    label: str  # readers' words, short enough for a headline
    meaning: str
    example: str
    says: str  # of the claims a check judges: "fails", "agrees", or "neither" (it could not decide, or derived)
    finding: bool  # a reader sees it first (the index's findings, notebook 06's headlines)
    colour: str

    @property
    def css(self) -> str:
        """Its class suffix on pages: "fails", "holds" or "unchecked"."""
        return {"fails": "fails", "agrees": "holds", "neither": "unchecked"}[self.says]


# Most serious first: the order pages, charts and the data dictionary list them in.
_VERDICTS: tuple[Verdict, ...] = (
    Verdict("contradicted", "Contradicted",
            "The figures cannot all hold as stated, even allowing for their rounding and hedges.",
            "a000 says India ranks fifth by reserves, yet the reserves it gives put India third.",
            "fails", True, "#D55E00"),
    Verdict("implausible", "Out of scale",
            "The arithmetic can hold, but the figure is out of scale with primary data on the same thing.",
            "93 kt of world rare-earth demand in 2024 is about a quarter of what USGS says the world mined.",
            "fails", True, "#E69F00"),
    Verdict("outdated", "Outdated",
            "The figure matches only a USGS edition older than the one current at the article's date; the current "
            "edition says otherwise.",
            "India 'ranks fifth' by reserves, as in MCS2024; MCS2025, current when the article was written, puts it "
            "third.",
            "fails", True, "#882255"),
    Verdict("hedge_dropped", "Hedge dropped",
            "A restatement drops a hedge the other statement had, so it says more than its source.",
            "'460 tons ... mostly from China' restated as '460 tons ... from China'.",
            "fails", True, "#CC79A7"),
    Verdict("date_conflict", "Dates clash", "One figure is given for different dates.",
            "India's 81% import share by value is dated 2022 in a000 and 2023 in a004.",
            "fails", True, "#F0E442"),
    Verdict("ambiguous", "Ambiguous",
            "The figures can all hold, but the same words stand for different measures, so a reader cannot tell "
            "which one a bare figure means.",
            "'over 90%' is China's share of magnet processing capacity in a000 and of magnet production capacity in "
            "a001.",
            "neither", True, "#AA4499"),
    Verdict("inconclusive", "Inconclusive",
            "The only reference is a bound that the figure meets: the comparison could not have failed, so it "
            "confirms nothing.",
            "38% of world reserves against MCS2025's world total of 'more than 90 Mt'.",
            "neither", False, "#BBBBBB"),
    Verdict("cannot_check", "Cannot be checked", "The check needs figures the sources do not give.",
            "A 10% growth rate of India's imports with no period stated.", "neither", False, "#777777"),
    Verdict("consistent_within_rounding", "Holds within rounding",
            "The figures agree only once their rounding, or a hedge, is allowed for.",
            "240 kt of 356 kt is 67.4%, stated as 67%.", "agrees", False, "#56B4E9"),
    Verdict("consistent", "Holds", "The figures agree as stated.",
            "China's 44 Mt of reserves, the figure both USGS editions give.", "agrees", False, "#0072B2"),
    Verdict("derived", "Derived",
            "A figure the articles imply but do not state, computed with the arithmetic shown; there is nothing to "
            "compare it with.",
            "700 t worth USD 30 million is USD 42.9 a kilogram.", "neither", False, "#44AA99"),
    Verdict("not_checked", "Not checked", "No rule can check the claim; the explanation says why.",
            "A 50-member delegation: no other source or primary table gives it.", "neither", False, "#DDDDDD"),
)  # fmt: skip
VERDICTS: dict[str, Verdict] = {verdict.name: verdict for verdict in _VERDICTS}
# Derived, for the code that asks one question of many verdicts.
FAILING_VERDICTS = tuple(v.name for v in _VERDICTS if v.says == "fails")
AGREEING_VERDICTS = tuple(v.name for v in _VERDICTS if v.says == "agrees")
FINDINGS = tuple(v.name for v in _VERDICTS if v.finding)

# What a check tested a figure against, strongest first (`audit.csv`'s `evidence`). Only the first
# two are independent of the article: they make a claim `confirmed`.
EVIDENCE: dict[str, str] = {
    "primary": "Primary data: USGS, of the edition current at the article's date, or a standard definition (IUPAC's "
    "rare-earth elements).",
    "other_article": "Another article, independent of this one, that states the same figure (subject, measure and "
    "period) itself.",
    "related_article": "Another article that retells the same reporting (`sources.csv`'s `shares_reporting_with`): "
    "it agrees, but it is not independent.",
    "coarser_article": "Another article, independent of this one, that states the figure less precisely ('2025' "
    "for 'January 2025', 'around 90%' for '92%'): it bears out only what both say, so it does not confirm.",
    "own_article": "Only the article's own figures: its arithmetic or its restatements of the figure.",
    "none": "Nothing that tests the figure: the check could not decide, or only derived a figure for the reader.",
}
INDEPENDENT_EVIDENCE = ("primary", "other_article")


# A claim's one conclusion is decided once from every check that judges it
# (`rare_earths.audit.conclusions`, which documents the precedence).
@dataclass(frozen=True)
class Standing:
    """One conclusion a claim can reach (`conclusions.csv`'s `standing`): its readers' label, what it
    means, and how a count of claims reads ("1 does not hold", "13 do not hold")."""

    name: str
    label: str
    meaning: str
    one: str
    many: str

    @property
    def css(self) -> str:
        """Its class on pages: "confirmed", "consistent", "does-not-hold", "unchecked"."""
        return self.name.replace("_", "-")

    def counted(self, count: int) -> str:
        return f"{count} {self.one if count == 1 else self.many}"


# In the order they are decided and shown.
_STANDINGS: tuple[Standing, ...] = (
    Standing("confirmed", "Confirmed",
             "Independent evidence agrees: USGS data current at the article's date, or another article that states "
             "the same figure.", "confirmed", "confirmed"),
    Standing("consistent", "Consistent, not independently confirmed",
             "It agrees with the article's own figures (its arithmetic, its restatements), or with an article that "
             "retells the same reporting or states the figure less precisely; nothing independent of the article "
             "tested it as precisely as it is stated.",
             "consistent but not independently confirmed", "consistent but not independently confirmed"),
    Standing("does_not_hold", "Does not hold",
             "A check found it contradicted, out of scale with primary data, outdated, stated without its hedge, or "
             "given two dates.", "does not hold", "do not hold"),
    Standing("unchecked", "Could not be checked", "Nothing here could test it; its explanation says why.",
             "could not be checked", "could not be checked"),
)  # fmt: skip
STANDINGS: dict[str, Standing] = {standing.name: standing for standing in _STANDINGS}

EXCLUSION_REASONS: dict[str, str] = {
    "date": "A calendar date, a year or a fiscal-year label that is not a claim's period.",
    "list_index": "The numbering of a list item.",
    "element_number": "An atomic number.",
    "ordinal_in_prose": "An ordinal that does not rank a quantity, such as 'the first meeting'.",
    "count_in_prose": "A number word in ordinary prose, not a measured figure, such as 'both sides'.",
    "event_chronology": "The length of a diplomatic event or the gap between two, such as 'a week-long visit'.",
    "denominator": "The whole in 'N out of M', captured as its own claim elsewhere.",
    "vague_quantity": "A word that names no number, such as 'hundreds' or 'multifold'.",
    "zero_in_prose": "A word that can state a zero, used of something not measured, such as 'output may come to a halt'.",
}

# --- columns -------------------------------------------------------------------------------------

# The id grammar, written once: an article is `a` and its file's three-digit prefix ("a002"), a claim
# its article's id and a two-digit number ("a002-12"); lists of either are joined by SEPARATOR.
SOURCE_ID = r"a\d{3}"
CLAIM_ID = rf"{SOURCE_ID}-\d{{2}}"
SEPARATOR = "; "
# The USGS Mineral Commodity Summaries editions the reference tables hold, oldest first.
EDITIONS = ("MCS2024", "MCS2025")

# --- abbreviations: what readers meet on the pages, expanded at first use on each page -----------


@dataclass(frozen=True)
class Abbreviation:
    """An abbreviation as the glossary writes it, its meaning, and the forms the pages use (a regular
    expression, matched as a whole word and case-sensitively; by default the abbreviation itself)."""

    words: str
    meaning: str
    forms: str = ""

    @property
    def pattern(self) -> str:
        return self.forms or re.escape(self.words)


# The pages write the first use of each on a page as "USGS (the United States Geological Survey)",
# with an <abbr>; the method page lists them all.
ABBREVIATIONS = (
    Abbreviation("USGS", "the United States Geological Survey"),
    *(
        Abbreviation(edition, f"the USGS's Mineral Commodity Summaries {edition.removeprefix('MCS')}")
        for edition in EDITIONS
    ),
    Abbreviation("IEA", "the International Energy Agency"),
    Abbreviation("IUPAC", "the International Union of Pure and Applied Chemistry"),
    Abbreviation("Mt", "megatonnes, millions of tonnes"),
    Abbreviation("kt", "kilotonnes, thousands of tonnes"),
    Abbreviation("REE", "rare-earth elements", r"REEs?"),
    Abbreviation("NdPr", "neodymium-praseodymium, the rare-earth metals of the strongest magnets"),
    Abbreviation(
        "IREL", "IREL (India) Limited, formerly Indian Rare Earths Limited, the state-owned rare-earth company"
    ),
    Abbreviation(
        "CAGR", "compound annual growth rate: the constant yearly growth that leads from one figure to another"
    ),
    Abbreviation("PLI", "production-linked incentive, a subsidy paid on what is produced"),
    Abbreviation("NCMM", "the National Critical Mineral Mission"),
    Abbreviation("MEA", "India's Ministry of External Affairs"),
    Abbreviation("EV", "electric vehicle", r"EVs?"),
    Abbreviation("FY", "fiscal year: India's runs from April to March", r"FY(?:\d{2,4}(?:-\d{2})?)?"),
    Abbreviation("USD", "United States dollars"),
    Abbreviation("INR", "Indian rupees"),
)


def listed(pattern: str) -> str:
    """A column of `pattern`s joined by SEPARATOR, anchored."""
    return rf"^{pattern}({SEPARATOR}{pattern})*$"


ID_PATTERNS = {
    "source_id": rf"^{SOURCE_ID}$",
    "claim_id": rf"^{CLAIM_ID}$",
    "sha256": r"^[0-9a-f]{64}$",
    "period": r"^$|^\d{4}$|^\d{4}-\d{4}$|^FY\d{4}-\d{2}$",
    "number": r"^$|^-?\d+(\.\d+)?$",
}
CLAIM_LIST = listed(CLAIM_ID)


_COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def count_word(count: int) -> str:
    """A count as a sentence says it: "five" up to twelve, digits above ("14")."""
    return _COUNT_WORDS[count] if 0 <= count < len(_COUNT_WORDS) else str(count)
