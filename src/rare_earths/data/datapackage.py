"""data/processed/datapackage.json: the processed tables described as a Frictionless data package.

Generated from the column definitions in `rare_earths.data.schemas` (names, types, descriptions, units,
constraints) and the provenance in data/raw/sources.csv and data/raw/reference/references.csv,
so the tables can be reused, and checked, by any Frictionless tool without this project's code:
`frictionless validate data/processed/datapackage.json`. The descriptor holds no timestamp: the
same tables and sources give the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from rare_earths import atomic, vocabulary
from rare_earths.data import schemas
from rare_earths.data.tables import read_raw
from rare_earths.project import Project

NAME = "datapackage.json"
# The processed tables, in the order they are built.
TABLES = (schemas.CLAIMS, schemas.USGS, schemas.AUDIT, schemas.CONCLUSIONS)

TITLES = {
    "claims": "Claims in canonical units",
    "usgs": "USGS world mine production and reserves of rare earths, 2024 and 2025 editions",
    "audit": "Audit of the articles' figures",
    "conclusions": "One conclusion per claim",
}

# The tables are written by pandas (tables.write_processed): UTF-8, comma-separated, a header row,
# fields quoted only when they must be (doubled quotes inside), "\n" line ends.
DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True, "header": True}

ARTICLES_LICENCE = {
    "name": "news-articles-quoted-for-research",
    "title": (
        "The claims quote the news articles verbatim, for research and verification of their figures. "
        "The articles' copyright stays with their publishers; this package grants no licence to reuse the quotations."
    ),
}

# The project's own work in the tables (what is captured about each figure, its canonical value,
# the audit), on the terms data/raw/TERMS.md states.
PROJECT_LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0: the project's own work in these tables (data/raw/TERMS.md)",
}

UNIT_FIELD = "unit"  # the column that gives the unit of a number column whose unit varies by row


def _pattern(regex: str) -> str:
    """A metadata pattern as a Table Schema pattern: implicitly anchored, without the empty
    alternative (an empty cell is a missing value, which no constraint but `required` checks).
    Alternatives are grouped, as readers anchor the whole pattern (`^(a|b)$`, not `^a|b$`)."""
    alternatives, depth, start = [], 0, 0
    for index, char in enumerate(regex + "|"):
        if char == "(" and regex[index - 1 : index] != "\\":
            depth += 1
        elif char == ")" and regex[index - 1 : index] != "\\":
            depth -= 1
        elif char == "|" and depth == 0:
            alternatives.append(regex[start:index].removeprefix("^").removesuffix("$"))
            start = index + 1
    kept = [alternative for alternative in alternatives if alternative]
    return kept[0] if len(kept) == 1 else "(" + "|".join(kept) + ")"


def field(column: schemas.Column) -> dict:
    """A Table Schema field for a column: name, type, description, unit and constraints."""
    described = {"name": column.name, "type": column.kind, "description": column.description}
    if column.unit.startswith("see "):
        described["unitField"] = UNIT_FIELD  # custom property: the unit is in this row's `unit`
    elif column.unit:
        described["unit"] = column.unit  # custom property: a unit of the project's pint registry
    constraints: dict = {"required": column.required}
    if column.unique:
        constraints["unique"] = True
    if column.pattern:
        constraints["pattern"] = _pattern(column.pattern)
    if column.vocabulary() is not None:
        constraints["enum"] = list(column.vocabulary())
    described["constraints"] = constraints
    return described


def resource(table: schemas.Table, licences: list[dict]) -> dict:
    """A tabular data resource for a processed table, its path relative to data/processed/."""
    return {
        "name": table.name,
        "path": Path(table.path).name,
        "profile": "tabular-data-resource",
        "title": TITLES[table.name],
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": DIALECT,
        "licenses": licences,
        "schema": {
            "fields": [field(column) for column in table.columns],
            "missingValues": [""],
            **(
                {"primaryKey": keys[0]}
                if len(keys := [c.name for c in table.columns if c.unique and c.required]) == 1
                else {}
            ),
        },
    }


def descriptor(sources_path: Path | None = None, references_path: Path | None = None) -> dict:
    """The data package: every processed table, its fields and licence, and every source."""
    articles = read_raw(schemas.SOURCES, sources_path or Project.here().sources_csv)
    references = read_raw(schemas.REFERENCES, references_path or Project.here().references_csv)
    usgs_licences = [
        {"name": "other-pd", "title": f"{licence}: {', '.join(rows.title)}"}
        for licence, rows in references.groupby("licence", sort=True)
    ]
    sources = []
    for row in articles.itertuples():
        source = {
            "title": row.title or f"{row.label} (label assigned by this project)",
            "path": f"../raw/articles/{row.file}",
            "source_id": row.source_id,
        }
        source.update({key: getattr(row, key) for key in ("publisher", "author", "date") if getattr(row, key)})
        source["sha256"] = row.sha256
        sources.append(source)
    for row in references.itertuples():
        sources.append(
            {
                "title": row.title,
                "path": f"https://doi.org/{row.doi}",
                "publisher": row.producer,
                "edition": row.edition,
                "doi": row.doi,
                "license": row.licence,
                "file": f"../raw/reference/{row.file}",
                "sha256": row.sha256,
            }
        )
    per_table = {
        "claims": [PROJECT_LICENCE, ARTICLES_LICENCE],
        "usgs": usgs_licences,
        "audit": [PROJECT_LICENCE, ARTICLES_LICENCE, *usgs_licences],
        "conclusions": [PROJECT_LICENCE, ARTICLES_LICENCE, *usgs_licences],
    }
    return {
        "profile": "tabular-data-package",
        "name": "rare-earths-india-processed",
        "title": f"India's rare-earth supply chain: figures from {vocabulary.count_word(len(articles))} news articles, the USGS "
        "reference data, and their audit",
        "description": (
            "The processed tables of the rare-earths research suite (data/processed/), generated by `python -m rare_earths data` "
            "from data/raw/. `claims` holds every figure the articles state, in canonical units beside the words it came from; "
            "`usgs` the USGS Mineral Commodity Summaries 2024 and 2025 world mine production and reserves; `audit` every check of "
            "the articles' figures, recomputed, compared across the articles and with USGS; `conclusions` one conclusion per claim "
            "(confirmed, consistent but not independently confirmed, does not hold, or unchecked), decided from the checks that judge it. "
            "A field's `unit` (custom property) is its unit in the project's pint registry (src/rare_earths/data/units.txt: `t` is the "
            "metric tonne); a number field whose unit varies by row has `unitField` instead, the field that gives it. "
            "Source paths are relative to this file; article sources carry their SHA-256 as received."
        ),
        "licenses": [PROJECT_LICENCE, ARTICLES_LICENCE, *usgs_licences],
        "sources": sources,
        "resources": [resource(table, per_table[table.name]) for table in TABLES],
    }


def path() -> Path:
    """Where the descriptor goes: beside the processed tables (looked up at call time, as tests move them)."""
    return Project.here().processed_claims_csv.parent / NAME


def render(package: dict) -> str:
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def build(output: Path | None = None, *, sources_path: Path | None = None, references_path: Path | None = None) -> Path:
    """Write data/processed/datapackage.json (atomically) and return its path."""
    output = output or path()
    return atomic.write_text(output, render(descriptor(sources_path, references_path)))
