"""Column metadata: every column described once, schemas strict, and the data dictionary current."""

from __future__ import annotations

import re

import pandas as pd
import pandera.errors
import pytest
from conftest import CHECKOUT

from rare_earths import vocabulary
from rare_earths.data import schemas
from rare_earths.data.schemas import CLAIMS, TABLES, schema
from rare_earths.data.units import CANONICAL_UNITS
from rare_earths.site import dictionary
from rare_earths.vocabulary import METRICS

DATA_DICTIONARY = CHECKOUT.data_dictionary
SchemaError = (pandera.errors.SchemaError, pandera.errors.SchemaErrors)

# A valid value for each column whose values follow a pattern.
SAMPLES = {
    "source_id": "a001",
    "claim_id": "a001-01",
    "claim_ids": "a001-01; a002-03",
    "sha256": "0" * 64,
    "period": "2023",
    "date": "2024-01-01",
    "as_of": "2024-06-01",
    "published": "2024-01-31",
    "judges": "a001-01",
    "shares_reporting_with": "a002",
    "range_low": "180",
    "range_high": "202",
    "year": "2023",
}

by_table = pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)


def sample(column: schemas.Column):
    if column.kind == "number":
        return 1.0
    if column.vocabulary() is not None:
        return column.vocabulary()[0]
    value = SAMPLES.get(column.name, "x")
    if column.pattern:
        assert re.search(column.pattern, value), f"test sample {value!r} does not fit {column.name}"
    return value


def valid_frame(table: schemas.Table) -> pd.DataFrame:
    return pd.DataFrame({column.name: [sample(column)] for column in table.columns})


@by_table
def test_every_column_is_described(table):
    assert table.description.strip()
    for column in table.columns:
        assert column.description.strip(), f"{table.name}.{column.name} has no description"


@by_table
def test_column_names_are_unique(table):
    duplicates = sorted({name for name in table.names if table.names.count(name) > 1})
    assert not duplicates, f"{table.name} repeats {duplicates}"


@by_table
def test_a_valid_row_passes(table):
    frame = valid_frame(table)
    validated = schema(table).validate(frame)
    assert list(validated.columns) == table.names


@by_table
def test_an_extra_column_fails(table):
    frame = valid_frame(table).assign(extra="x")
    with pytest.raises(SchemaError):
        schema(table).validate(frame)


@by_table
def test_a_missing_column_fails(table):
    for name in table.names:
        frame = valid_frame(table).drop(columns=[name])
        with pytest.raises(SchemaError):
            schema(table).validate(frame)


@by_table
def test_columns_out_of_order_fail(table):
    frame = valid_frame(table)
    with pytest.raises(SchemaError):
        schema(table).validate(frame[list(reversed(table.names))])


def test_claims_unit_vocabulary_is_the_metrics_canonical_units():
    assert set(CLAIMS.column("unit").allowed) == {metric.unit for metric in METRICS.values()}


def test_claims_schema_refuses_a_unit_outside_the_vocabulary():
    frame = valid_frame(CLAIMS).assign(unit="kg")
    with pytest.raises(SchemaError):
        schema(CLAIMS).validate(frame)


@pytest.mark.parametrize("metric", METRICS)
def test_metric_canonical_unit_is_a_canonical_unit(metric):
    unit = METRICS[metric].unit
    assert unit in set(CANONICAL_UNITS.values()) | {"week", "year"}


def test_markdown_documents_every_table_and_column():
    text = dictionary.markdown()
    sections = re.split(r"^## ", text, flags=re.MULTILINE)
    for table in TABLES:
        heading = f"`{table.path}`"
        matching = [section for section in sections if section.startswith(heading)]
        assert len(matching) == 1, f"no single section for {table.path}"
        for column in table.columns:
            assert f"| `{column.name}` |" in matching[0], f"{table.path}: column {column.name} undocumented"
    for metric in METRICS:
        assert f"`{metric}`" in text


def test_committed_data_dictionary_is_current():
    assert DATA_DICTIONARY.exists(), "docs/data-dictionary.md is missing: run `python -m rare_earths docs`"
    assert DATA_DICTIONARY.read_text(encoding="utf-8") == dictionary.markdown(), (
        "docs/data-dictionary.md is stale: run `python -m rare_earths docs`"
    )


def test_every_verdict_has_a_label_in_words():
    labels = {name: verdict.label for name, verdict in vocabulary.VERDICTS.items()}
    for label in labels.values():
        assert label and "_" not in label and label[0].isupper()
    assert len(set(labels.values())) == len(vocabulary.VERDICTS), "two verdicts share a label"
