"""Every table's columns, defined once: the pandera schemas (`schema()`), the checks on raw inputs,
the data dictionary and the data package are all generated from the definitions here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandera.pandas as pa

from rare_earths.project import LAYOUT
from rare_earths.vocabulary import (
    BOUNDS,
    CHECK_KINDS,
    CLAIM_LIST,
    EDITIONS,
    EVIDENCE,
    EXCLUSION_REASONS,
    ID_PATTERNS,
    METRICS,
    STANDINGS,
    SUBJECT_KINDS,
    VERDICTS,
    listed,
)
from rare_earths.vocabulary import SOURCE_ID as SOURCE_ID_PATTERN


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
    path: str  # relative to a project's root
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _at(path: Path) -> str:
    """A table's path as the metadata records it: relative to a project's root, from its layout
    (`project.LAYOUT`, the one place it is written)."""
    return path.as_posix()


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
SUBJECT = _c(
    "subject",
    "Who or what the figure is about: a subject of data/raw/subjects.csv, or one of its aliases (the processed "
    "tables name the subject).",
)
METRIC = _c("metric", "What the figure measures (see the metric vocabulary).", allowed=tuple(METRICS))
COUNTERPART = _c(
    "counterpart",
    "The whole a share is of, or the other side of a trade flow (a subject, or an alias, of data/raw/subjects.csv); "
    "empty if none.",
    required=False,
)
ITEM = _c(
    "item",
    "What the figure is of, in a few words, where its subject and metric do not say it: above all where one "
    "subject states several figures of one metric that are different things (two budgets: 'rare earth magnet "
    "manufacturing support', 'a magnet production scheme'); empty otherwise. Tables and charts label the figure "
    "with it. Figures with different items are not taken for one figure restated (never compared, never a "
    "contradiction), so give the same words to the same thing in every article.",
    required=False,
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
    _at(LAYOUT.sources_csv),
    "The source articles, one row each, with what each states about itself.",
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
            pattern="^$|" + listed(SOURCE_ID_PATTERN),
        ),
        _c("sha256", "SHA-256 of the file as received.", pattern=ID_PATTERNS["sha256"]),
        NOTE,
    ),
)

REFERENCES = Table(
    "references",
    _at(LAYOUT.references_csv),
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
    _at(LAYOUT.raw_claims_csv),
    "Every quantitative figure in the articles, one row per occurrence, captured by hand.",
    (
        CLAIM_ID,
        SOURCE_ID,
        SUBJECT,
        METRIC,
        COUNTERPART,
        ITEM,
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

SUBJECTS = Table(
    "subjects",
    _at(LAYOUT.subjects_csv),
    "Who or what the figures are about, one row each: every subject the claims name and every country USGS lists.",
    (
        _c("subject", "The subject as the processed tables name it (`world` for the whole world).", unique=True),
        _c("kind", "What the subject is.", allowed=tuple(SUBJECT_KINDS)),
        _c(
            "part_of",
            "For a part of a country (kind `part_of_country`): the country, a subject of kind `country`; empty "
            "otherwise.",
            required=False,
        ),
        _c(
            "aliases",
            "Other names for the subject, separated by `; `: how USGS or an article names it ('United States' for "
            "`USA`). A claim may give an alias; the processed tables give the subject.",
            required=False,
        ),
        NOTE,
    ),
)

EXCLUSIONS = Table(
    "exclusions",
    _at(LAYOUT.exclusions_csv),
    "Numbers in the articles that are not claims, each with the reason.",
    (
        SOURCE_ID,
        _c("quote", "Verbatim passage of the article that locates the number."),
        _c("number_as_written", "The number exactly as written; a substring of `quote`."),
        _c("reason", "Why the number is not a claim.", allowed=tuple(EXCLUSION_REASONS)),
        NOTE,
    ),
)

FURNITURE = Table(
    "furniture",
    _at(LAYOUT.furniture_csv),
    "Lines of the articles as received that are their web pages' furniture (a mailing-list box, a comment "
    "form, a photograph's caption), not article text: the article pages show them dimmed and labelled, and "
    "leave them out on paper.",
    (
        SOURCE_ID,
        _c("line", "A whole line of the article, exactly as written (without the spaces around it)."),
        _c("what", "What the line is, in a reader's words: 'the web page's comment form'."),
    ),
)

CLAIMS = Table(
    "claims",
    _at(LAYOUT.processed_claims_csv),
    "Every claim with its value in canonical units beside the figure as written.",
    (
        CLAIM_ID,
        SOURCE_ID,
        SUBJECT,
        METRIC,
        COUNTERPART,
        ITEM,
        _c(
            "country",
            "The country the subject is or is a part of (IREL: `India`), whose USGS figures are the subject's; "
            "`world` for the world; for any other subject, the subject itself.",
        ),
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
            "Canonical unit of value, value_low and value_high, as the project's pint registry parses it. `date` is "
            "a calendar date counted in days since 1 January 1970 (20182 is 4 April 2025); a date written as a month "
            "or a year is the range of its days.",
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
    _at(LAYOUT.processed_usgs_csv),
    "The two USGS editions' world mine production and reserves, one row per edition, country, measure and year.",
    (
        _c(
            "edition",
            f"Mineral Commodity Summaries edition: {' or '.join(f'`{edition}`' for edition in EDITIONS)}.",
            allowed=EDITIONS,
        ),
        _c(
            "country",
            "The country, as data/raw/subjects.csv names it (USGS's 'United States' is `USA`); `world` for USGS's "
            "'World total (rounded)' (its own rounded total, not the sum of the rows); or `Other`, the countries "
            "USGS does not list.",
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


AUDIT = Table(
    "audit",
    _at(LAYOUT.processed_audit_csv),
    "Every check of the articles' figures, one row per check: recomputations, comparisons between the articles, and comparisons with USGS.",
    (
        _c(
            "check_id",
            "Stable id: the rule and the first claim the check involves (`share_of_whole:a000-14`).",
            unique=True,
        ),
        _c("kind", "What kind of check it is.", allowed=tuple(CHECK_KINDS)),
        _c(
            "rule", "The rule that made the check (see the rule vocabulary).", pattern=r"^[a-z][a-z_]*$"
        ),  # registered: `audit.load`
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
    _at(LAYOUT.processed_conclusions_csv),
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
    _at(LAYOUT.results_csv),
    "The notebooks' key results, one row per result, as each notebook recorded it in its own code "
    "(`rare_earths.build.results.record`) and its executed copy keeps it. After these columns comes one per "
    "parameter: the value the notebook ran with, empty where the notebook does not declare the parameter (so a "
    "notebook run alone with another value is told apart). A sweep's table (`python -m rare_earths sweep`, in its "
    "folder) has one row per scenario and result, with a column per parameter of its grid.",
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
            "The relative difference the numeric regression test allows the result (`rare_earths.build.results.compare`).",
            kind="number",
        ),
    ),
)

TABLES = (SOURCES, REFERENCES, SUBJECTS, RAW_CLAIMS, EXCLUSIONS, FURNITURE, CLAIMS, USGS, AUDIT, CONCLUSIONS, RESULTS)


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
