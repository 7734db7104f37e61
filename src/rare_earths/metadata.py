"""Every table's columns, and every controlled vocabulary, defined once.

Schemas (`schema()`), the column documentation (`docs/data-dictionary.md`, from `markdown()`) and
the checks on raw inputs are all generated from the definitions here, so a column is described in
exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandera.pandas as pa

# --- vocabularies --------------------------------------------------------------------------------

# metric -> (what it measures, canonical unit). The cleaning step refuses a claim whose unit does
# not convert to its metric's canonical unit: a reserve in percent is a capture error.
METRICS: dict[str, tuple[str, str]] = {
    "reserves": ("Rare-earth reserves (rare-earth-oxide equivalent where the source says).", "t"),
    "reserve_share": ("Share of world rare-earth reserves.", "percent"),
    "reserve_rank": ("Rank by rare-earth reserves among countries.", "rank"),
    "production": ("Rare-earth production, as the article words it (mine production unless stated).", "t"),
    "production_share": ("Share of world rare-earth production.", "percent"),
    "mine_to_metal_capacity_share": ("Share of world mine-to-metal capacity.", "percent"),
    "ree_processing_capacity_share": ("Share of world rare-earth processing capacity.", "percent"),
    "magnet_processing_capacity_share": ("Share of world processing capacity for rare-earth magnets.", "percent"),
    "magnet_processing_share": ("Share of the world's rare-earth magnets processed.", "percent"),
    "magnet_production_capacity_share": ("Share of world rare-earth magnet production capacity.", "percent"),
    "magnet_production_share": ("Share of world rare-earth magnet production.", "percent"),
    "magnet_production": ("Rare-earth magnet production per year.", "t / year"),
    "magnet_production_capacity": ("Rare-earth magnet production capacity per year.", "t / year"),
    "ndpr_production": ("Neodymium-praseodymium (NdPr) production per year.", "t / year"),
    "export_value_share": ("Share of world rare-earth export value.", "percent"),
    "export_quantity_share": ("Share of world rare-earth export quantity.", "percent"),
    "export_cagr": ("Compound annual growth rate of rare-earth exports.", "percent"),
    "export_destination_value_share": ("Share of the subject's export value going to the counterpart.", "percent"),
    "import_value_share": ("Share of the subject's rare-earth import value coming from the counterpart.", "percent"),
    "import_quantity_share": ("Share of the subject's rare-earth import quantity coming from the counterpart.", "percent"),
    "import_dependence_share": ("The subject's import dependence on the counterpart.", "percent"),
    "import_cagr": ("Compound annual growth rate of rare-earth imports.", "percent"),
    "import_decline": ("Decline in rare-earth imports over the period.", "percent"),
    "tariff_rate": ("Tariff imposed by the subject on imports from the counterpart.", "percent"),
    "magnet_imports": ("Rare-earth magnet imports in the period.", "t"),
    "magnet_imports_projected": ("Projected rare-earth magnet imports in the period.", "t"),
    "magnet_imports_value": ("Value of rare-earth magnet imports in the period.", "USD"),
    "magnet_imports_value_projected": ("Value of projected rare-earth magnet imports in the period.", "USD"),
    "magnet_imports_value_average": ("Average yearly value of rare-earth magnet imports.", "USD / year"),
    "ree_imports_value_average": ("Average yearly value of rare-earth element and compound imports.", "USD / year"),
    "demand": ("Rare-earth demand in the period.", "t"),
    "demand_projected": ("Projected rare-earth demand in the period.", "t"),
    "clean_tech_demand_share": ("Share of rare-earth demand used in clean technologies.", "percent"),
    "clean_tech_demand_share_projected": ("Projected share of rare-earth demand used in clean technologies.", "percent"),
    "consumption": ("Rare-earth metal consumption.", "t"),
    "consumption_projected": ("Expected rare-earth metal consumption in the period.", "t"),
    "budget_allocation": ("Government money allocated or earmarked.", "crore * INR"),
    "investment_expected": ("Investment expected from public sector enterprises.", "crore * INR"),
    "permit_applications": ("Export-permit applications filed and pending.", "count"),
    "permit_applicants": ("Applicants for export permits.", "count"),
    "permit_approval_share": ("Share of export-permit applications approved.", "percent"),
    "magnet_stock": ("Magnet stock held, in weeks of use.", "week"),
    "time_to_production_impact": ("Time until production is affected by the shortage.", "week"),
    "time_to_domestic_capability": ("Time needed to build domestic capability.", "year"),
    "element_count": ("Number of rare earth elements.", "count"),
    "ree_count_with_rich_reserves": ("Number of rare earth elements of which the subject has rich reserves.", "count"),
    "delegation_size": ("Members of a delegation.", "count"),
    # Levels that growth rates are computed from. No article states them yet; the audit looks for
    # them, so a growth rate becomes checkable as soon as its two levels are captured.
    "exports_value": ("Value of the subject's rare-earth exports (to the counterpart, if any) in the period.", "USD"),
    "exports_quantity": ("Quantity of the subject's rare-earth exports (to the counterpart, if any) in the period.", "t"),
    "imports_value": ("Value of the subject's rare-earth imports (from the counterpart, if any) in the period.", "USD"),
    "imports_quantity": ("Quantity of the subject's rare-earth imports (from the counterpart, if any) in the period.", "t"),
}

# metric -> (family, what exactly it measures). Metrics of one family are figures a reader would
# take for one another ("China's share"); the audit flags one number given for different measures.
# An empty "what" marks a metric whose article does not say what it measures.
MEASURES: dict[str, tuple[str, str]] = {
    "production_share": ("share of the world's rare-earth supply chain", "mine production"),
    "mine_to_metal_capacity_share": ("share of the world's rare-earth supply chain", "mine-to-metal capacity"),
    "ree_processing_capacity_share": ("share of the world's rare-earth supply chain", "rare-earth processing capacity"),
    "magnet_processing_capacity_share": ("share of the world's rare-earth supply chain", "magnet processing capacity"),
    "magnet_processing_share": ("share of the world's rare-earth supply chain", "magnets processed"),
    "magnet_production_capacity_share": ("share of the world's rare-earth supply chain", "magnet production capacity"),
    "magnet_production_share": ("share of the world's rare-earth supply chain", "magnet production"),
    "import_value_share": ("share of imports from one supplier", "import value"),
    "import_quantity_share": ("share of imports from one supplier", "import quantity"),
    "import_dependence_share": ("share of imports from one supplier", ""),
}

SUBJECTS: tuple[str, ...] = (
    "world", "China", "India", "Brazil", "Australia", "Russia", "Vietnam", "Japan", "South Korea",
    "USA", "Kazakhstan", "IREL", "Indian auto sector", "Indian firms", "Indian auto industry delegation",
    "European auto suppliers", "Government of India", "National Critical Mineral Mission",
    "rare earth elements",
)  # fmt: skip

# qualifier as written (lower case) -> what it makes of the figure.
QUALIFIERS: dict[str, str] = {
    "": "exact",
    "only": "exact",
    "estimated": "approximate",
    "approximately": "approximate",
    "around": "approximate",
    "about": "approximate",
    "nearly": "upper_bound",
    "over": "lower_bound",
    "at least": "lower_bound",
}

BOUNDS: dict[str, str] = {
    "exact": "The figure is stated as it is.",
    "approximate": "The figure is hedged ('around', 'approximately', 'estimated').",
    "lower_bound": "The true value is at or above the figure ('over', 'at least').",
    "upper_bound": "The true value is at or just below the figure ('nearly').",
}

CHECK_KINDS: dict[str, str] = {
    "recomputation": "A figure the articles derive from other figures, recomputed from those figures.",
    "cross_source": "Figures for the same thing compared across articles, or within one article.",
    "reference": "A reserve or production figure compared with the USGS Mineral Commodity Summaries 2024 and 2025.",
}

# check rule -> (its kind, what it checks). Each rule is one function in `rare_earths.audit`.
CHECK_RULES: dict[str, tuple[str, str]] = {
    "share_of_whole": ("recomputation", "A share recomputed from the part and the whole the same article states."),
    "implied_whole": ("recomputation", "Shares of one whole, each with its part stated: the wholes they imply must agree."),
    "parts_of_whole": ("recomputation", "Shares of one whole by the same article may add up to at most 100%."),
    "growth_rate": ("recomputation", "A growth rate or decline recomputed from the levels at the ends of its period."),
    "rank_from_figures": ("recomputation", "A rank against the same article's own figures for the others ranked."),
    "same_figure": ("cross_source", "Every statement of one subject's metric (same counterpart) must agree in value and in date."),
    "same_number_different_measure": ("cross_source", "One number given for different measures of one family (processing capacity, magnet production, mine production)."),
    "usgs": ("reference", "The figure against both USGS editions: the value, or the share or rank USGS's own figures give."),
    "one_edition": ("reference", "An article's figures that each match only one USGS edition must all match the same one."),
}

VERDICTS: dict[str, str] = {
    "consistent": "The figure holds as stated.",
    "consistent_within_rounding": "The figure holds once the rounding of the figures compared is allowed for.",
    "inconsistent": "The figures cannot all hold as stated.",
    "not_reproducible": "The figures needed to check it are not in the sources.",
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
}

# --- columns -------------------------------------------------------------------------------------

ID_PATTERNS = {
    "source_id": r"^a\d{3}$",
    "claim_id": r"^a\d{3}-\d{2}$",
    "sha256": r"^[0-9a-f]{64}$",
    "period": r"^$|^\d{4}$|^\d{4}-\d{4}$|^FY\d{4}-\d{2}$",
    "number": r"^$|^-?\d+(\.\d+)?$",
}


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    kind: str = "string"  # "string" or "number"
    required: bool = True  # a value in every row (for strings: not empty)
    unique: bool = False
    pattern: str | None = None  # regular expression every value matches
    allowed: tuple[str, ...] | None = None  # closed vocabulary
    unit: str = ""  # for a number column with one unit; "see `unit`" where the row says


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


def _c(name: str, description: str, **kwargs) -> Column:
    return Column(name, description, **kwargs)


SOURCE_ID = _c("source_id", "The article's id: `a` and the three-digit prefix of its file name.", pattern=ID_PATTERNS["source_id"])
CLAIM_ID = _c("claim_id", "Stable id of the claim: `<source_id>-<NN>`, numbered in reading order; never reused.", pattern=ID_PATTERNS["claim_id"], unique=True)
QUOTE = _c("quote", "Verbatim passage of the article that holds the figure.")
SUBJECT = _c("subject", "Who or what the figure is about.", allowed=SUBJECTS)
METRIC = _c("metric", "What the figure measures (see the metric vocabulary).", allowed=tuple(METRICS))
COUNTERPART = _c("counterpart", "The whole a share is of, or the other side of a trade flow; empty if none.", required=False)
VALUE_AS_WRITTEN = _c("value_as_written", "The number exactly as the article writes it, without unit or qualifier.")
UNIT_AS_WRITTEN = _c("unit_as_written", "The unit in the article's words (`fraction` and `rank` for figures written without one).")
QUALIFIER = _c("qualifier", "The hedge word as written ('over', 'around', ...); empty if none.", required=False)
PERIOD_AS_WRITTEN = _c("period_as_written", "The words of the quote that date the figure; empty if none.", required=False)
PERIOD = _c("period", "The period, normalised: `2023`, `2018-2023`, `FY2024-25` (April 2024 to March 2025); empty if not stated.", required=False, pattern=ID_PATTERNS["period"])
NOTE = _c("note", "What a reader needs to interpret the row; empty if nothing.", required=False)

SOURCES = Table(
    "sources",
    "data/raw/sources.csv",
    "The five source articles, one row each, with what each states about itself.",
    (
        replace(SOURCE_ID, unique=True),
        _c("file", "File name under data/raw/articles/.", unique=True),
        _c("title", "The article's title, where it states one.", required=False),
        _c("publisher", "The publisher, where the article names it.", required=False),
        _c("author", "The byline, where the article gives one.", required=False),
        _c("date", "Date of the article (ISO 8601), where it states one.", required=False, pattern=r"^$|^\d{4}-\d{2}-\d{2}$"),
        _c("sha256", "SHA-256 of the file as received.", pattern=ID_PATTERNS["sha256"]),
        NOTE,
    ),
)

REFERENCES = Table(
    "references",
    "data/raw/reference/references.csv",
    "The USGS reference tables, one row each, with their citation.",
    (
        _c("file", "File name under data/raw/reference/.", unique=True),
        _c("producer", "Who produced the data."),
        _c("title", "Title of the publication the table comes from."),
        _c("edition", "The publication's edition."),
        _c("doi", "DOI of the publication or its data release."),
        _c("licence", "Terms of use."),
        _c("sha256", "SHA-256 of the file as received.", pattern=ID_PATTERNS["sha256"]),
        NOTE,
    ),
)

RAW_CLAIMS = Table(
    "raw_claims",
    "data/raw/claims.csv",
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
        _c("range_low", "For a range: its low end, in the unit as written; empty otherwise.", required=False, pattern=ID_PATTERNS["number"]),
        _c("range_high", "For a range: its high end, in the unit as written; empty otherwise.", required=False, pattern=ID_PATTERNS["number"]),
        PERIOD_AS_WRITTEN,
        PERIOD,
        QUOTE,
        NOTE,
    ),
)

EXCLUSIONS = Table(
    "exclusions",
    "data/raw/exclusions.csv",
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
    "data/processed/claims.csv",
    "Every claim with its value in canonical units beside the figure as written.",
    (
        CLAIM_ID,
        SOURCE_ID,
        SUBJECT,
        METRIC,
        COUNTERPART,
        PERIOD,
        _c("value", "The value in canonical units; empty for a range.", kind="number", required=False, unit="see `unit`"),
        _c("value_low", "Low end of the figure in canonical units (the value itself if not a range).", kind="number", unit="see `unit`"),
        _c("value_high", "High end of the figure in canonical units (the value itself if not a range).", kind="number", unit="see `unit`"),
        _c("unit", "Canonical unit of value, value_low and value_high, as the project's pint registry parses it.", allowed=tuple(sorted({unit for _, unit in METRICS.values()}))),
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
    "data/processed/usgs.csv",
    "The two USGS editions' world mine production and reserves, one row per edition, country, measure and year.",
    (
        _c("edition", "Mineral Commodity Summaries edition: `MCS2024` or `MCS2025`.", allowed=("MCS2024", "MCS2025")),
        _c("country", "Country, or `World total (rounded)` (USGS's own rounded total, not the sum of the rows) or `Other`."),
        _c("measure", "`mine_production` (in the year) or `reserves` (as of the edition).", allowed=("mine_production", "reserves")),
        _c("year", "Year of the production figure; empty for reserves.", required=False, pattern=r"^$|^\d{4}$"),
        _c("value_t", "Metric tons of rare-earth-oxide equivalent; empty where USGS gives none ('NA').", kind="number", required=False, unit="t"),
        _c("estimated", "`yes` where the edition marks the figure as an estimate.", allowed=("yes", "no")),
        _c("greater_than", "`yes` where USGS publishes the figure as a lower bound ('>90,000,000').", allowed=("yes", "no")),
    ),
)

AUDIT = Table(
    "audit",
    "data/processed/audit.csv",
    "Every check of the articles' figures, one row per check: recomputations, comparisons between the articles, and comparisons with USGS.",
    (
        _c("check_id", "Stable id: the rule and the first claim the check involves (`share_of_whole:a000-14`).", unique=True),
        _c("kind", "What kind of check it is.", allowed=tuple(CHECK_KINDS)),
        _c("rule", "The rule that made the check (see the rule vocabulary).", allowed=tuple(CHECK_RULES)),
        _c("claim_ids", "The claims involved, separated by `; `.", pattern=r"^a\d{3}-\d{2}(; a\d{3}-\d{2})*$"),
        _c("stated_value", "The stated figure checked (its low end for a range or a lower bound), in `unit`.", kind="number", unit="see `unit`"),
        _c("check_value", "The value it is checked against: recomputed from its inputs, another statement of it, or USGS's; empty if there is none.", kind="number", required=False, unit="see `unit`"),
        _c("unit", "Unit of stated_value and check_value, as the project's pint registry parses it."),
        _c("compared_with", "What check_value is, in words (the formula, the other claim, or the USGS edition)."),
        _c("verdict", "Whether the figure holds.", allowed=tuple(VERDICTS)),
        _c("explanation", "One sentence a reader understands: what was compared and what came out."),
    ),
)

TABLES = (SOURCES, REFERENCES, RAW_CLAIMS, EXCLUSIONS, CLAIMS, USGS, AUDIT)


# --- schemas and documentation -------------------------------------------------------------------


def schema(table: Table) -> pa.DataFrameSchema:
    """The pandera schema for a table: exact columns in order, types, vocabularies, patterns."""
    columns = {}
    for column in table.columns:
        checks = []
        if column.pattern:
            checks.append(pa.Check.str_matches(column.pattern))
        if column.allowed is not None:
            allowed = list(column.allowed) + ([] if column.required else [""])
            checks.append(pa.Check.isin(allowed))
        if column.kind == "string":
            if column.required:
                checks.append(pa.Check.str_length(min_value=1))
            columns[column.name] = pa.Column(str, checks, nullable=False, unique=column.unique)
        else:
            columns[column.name] = pa.Column(float, checks, nullable=not column.required, unique=column.unique)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=table.name)


def markdown() -> str:
    """The data dictionary: every table, column and vocabulary, as Markdown."""
    lines = ["# Data dictionary", "", "Generated by `python -m rare_earths docs` from `src/rare_earths/metadata.py`; do not edit by hand.", ""]
    for table in TABLES:
        lines += [f"## `{table.path}`", "", table.description, "", "| column | type | unit | required | description |", "|---|---|---|---|---|"]
        for column in table.columns:
            required = "yes" if column.required else ""
            lines.append(f"| `{column.name}` | {column.kind} | {column.unit} | {required} | {column.description} |")
        lines.append("")
    lines += ["## Metrics", "", "| metric | canonical unit | description |", "|---|---|---|"]
    lines += [f"| `{name}` | `{unit}` | {description} |" for name, (description, unit) in METRICS.items()]
    lines += ["", "## Qualifiers", "", "| qualifier as written | bound |", "|---|---|"]
    lines += [f"| {word or '(none)'} | `{bound}` |" for word, bound in QUALIFIERS.items()]
    lines += ["", "## Bounds", "", "| bound | meaning |", "|---|---|"]
    lines += [f"| `{bound}` | {meaning} |" for bound, meaning in BOUNDS.items()]
    lines += ["", "## Check kinds", "", "| kind | meaning |", "|---|---|"]
    lines += [f"| `{kind}` | {meaning} |" for kind, meaning in CHECK_KINDS.items()]
    lines += ["", "## Check rules", "", "| rule | kind | what it checks |", "|---|---|---|"]
    lines += [f"| `{rule}` | `{kind}` | {meaning} |" for rule, (kind, meaning) in CHECK_RULES.items()]
    lines += ["", "## Verdicts", "", "| verdict | meaning |", "|---|---|"]
    lines += [f"| `{verdict}` | {meaning} |" for verdict, meaning in VERDICTS.items()]
    lines += ["", "## Exclusion reasons", "", "| reason | meaning |", "|---|---|"]
    lines += [f"| `{reason}` | {meaning} |" for reason, meaning in EXCLUSION_REASONS.items()]
    lines += ["", "## Subjects", "", ", ".join(f"`{subject}`" for subject in SUBJECTS), ""]
    return "\n".join(lines)
