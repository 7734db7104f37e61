"""The scaling benchmark's synthetic tables, and the column-wise cleaning they time: the tables are
what they claim to be, and cleaning a table gives exactly what cleaning each row alone gives.
(Speed is measured by `python -m benchmarks.scaling`, never asserted here.)"""

from __future__ import annotations

import datetime
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `benchmarks` lives beside src/, not in the installed package
    sys.path.insert(0, str(ROOT))

from conftest import CHECKOUT  # noqa: E402

from benchmarks import scaling, synthetic  # noqa: E402
from rare_earths import vocabulary  # noqa: E402
from rare_earths.data import claims, schemas, subjects, units  # noqa: E402
from rare_earths.data.provenance import load_sources  # noqa: E402
from rare_earths.data.units import canonical_unit, parse_figure  # noqa: E402

SUBJECTS = subjects.load(CHECKOUT.subjects_csv)

PATH = Path("synthetic.csv")
REAL = len(synthetic.real_claims())


def cleaned(table: pd.DataFrame) -> pd.DataFrame:
    return claims.clean(table, claims.parse_figures(table, PATH))


def clean_row_by_row(raw: pd.DataFrame) -> pd.DataFrame:
    """The reference: each row's figure parsed and converted on its own, as the cleaning step did
    before it worked column by column."""
    records = []
    as_of = claims.article_dates(load_sources(CHECKOUT.sources_csv, CHECKOUT.articles))
    for row in raw.itertuples(index=False):
        figure = parse_figure(row.value_as_written, row.unit_as_written, as_of.get(row.source_id))
        unit = canonical_unit(figure.units)
        canonical = figure.to(unit)
        single = not figure.is_range
        records.append(
            {
                "claim_id": row.claim_id,
                "source_id": row.source_id,
                "subject": SUBJECTS.canonical(row.subject),
                "metric": row.metric,
                "counterpart": SUBJECTS.canonical(row.counterpart) if row.counterpart else "",
                "item": row.item,
                "country": SUBJECTS.country_of(SUBJECTS.canonical(row.subject)),
                "period": row.period,
                "value": float(canonical.low.magnitude) if single else math.nan,
                "value_low": float(canonical.low.magnitude),
                "value_high": float(canonical.high.magnitude),
                "unit": unit,
                "bound": vocabulary.QUALIFIERS[row.qualifier.lower()],
                "qualifier": row.qualifier,
                "value_as_written": row.value_as_written,
                "unit_as_written": row.unit_as_written,
                "period_as_written": row.period_as_written,
                "quote": row.quote,
                "note": row.note,
            }
        )
    return pd.DataFrame.from_records(records, columns=schemas.CLAIMS.names)


# --- the synthetic tables ------------------------------------------------------------------------


@pytest.mark.parametrize("factor", [0, 1, 3])
def test_a_table_is_factor_times_the_real_one_with_valid_unique_ids(factor):
    table = synthetic.synthetic_claims(factor)
    assert len(table) == factor * REAL
    assert list(table.columns) == schemas.RAW_CLAIMS.names
    schemas.schema(schemas.RAW_CLAIMS).validate(table)  # ids unique and of the raw pattern, subjects known
    assert (table.source_id == table.claim_id.str[:4]).all()


def test_the_same_seed_gives_the_same_table_and_another_seed_another():
    first, again, other = (
        synthetic.synthetic_claims(2, seed=7),
        synthetic.synthetic_claims(2, seed=7),
        synthetic.synthetic_claims(2, seed=8),
    )
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_each_real_row_is_copied_factor_times_with_its_metric_and_unit():
    real = synthetic.real_claims()
    table = synthetic.synthetic_claims(3)
    keys = ["metric", "counterpart", "unit_as_written", "qualifier", "period"]
    assert Counter(map(tuple, table[keys].to_numpy())) == Counter(
        {key: 3 * count for key, count in Counter(map(tuple, real[keys].to_numpy())).items()}
    )
    assert set(table.subject) <= set(SUBJECTS.kinds)
    assert not set(table.value_as_written) <= set(real.value_as_written)  # the values are perturbed


def test_ids_cover_exactly_100000_claims():
    assert synthetic.claim_id(0) == "a000-00" and synthetic.claim_id(99_999) == "a999-99"
    with pytest.raises(ValueError, match="100,000"):
        synthetic.claim_id(100_000)
    with pytest.raises(ValueError):
        synthetic.synthetic_table(100_001)


_REAL = synthetic.real_claims()


@pytest.mark.parametrize("text", sorted(set(_REAL.value_as_written[_REAL.unit_as_written != units.DATE_UNIT])))
def test_a_perturbed_value_keeps_its_format(text):
    low, high = units.parse_number(text)
    for draws in np.random.default_rng(0).random((50, 3)):
        new, range_low, range_high = synthetic.perturb(text, draws)
        new_low, new_high = units.parse_number(new)  # still a number the parser reads
        assert (new_low != new_high) == (low != high)  # a range stays a range, a value a value
        assert new_low <= new_high
        if new_low != new_high:
            assert (float(range_low), float(range_high)) == (new_low, new_high)
        else:
            assert range_low == range_high == ""


@pytest.mark.parametrize("text", sorted(set(_REAL.value_as_written[_REAL.unit_as_written == units.DATE_UNIT])))
def test_a_perturbed_date_is_a_date_in_full(text):
    for draws in np.random.default_rng(0).random((20, 3)):
        new, range_low, range_high = synthetic.perturb(text, draws, units.DATE_UNIT)
        low, high = units.parse_date(new)  # reads without its article's date
        assert range_low == range_high == "" and (low == high or text[:4].isdigit())


def test_cleaning_a_x10_table_raises_nothing():
    table = synthetic.synthetic_claims(10, seed=3)
    result = cleaned(table)
    schemas.schema(schemas.CLAIMS).validate(result)  # every unit fits its metric's canonical unit
    assert len(result) == 10 * REAL


def test_copies_keeping_their_quotes_pass_every_check_against_the_articles():
    table = synthetic.synthetic_claims(10, seed=4, perturb_values=False)
    as_of = dict.fromkeys(table.source_id.unique(), datetime.date(2025, 6, 13))  # for "April 4", "Thursday"
    figures = claims.check_claims(table, synthetic.synthetic_articles(table), PATH, as_of)
    assert len(figures) == len(table)


def test_a_x1_table_has_the_real_tables_units():
    real_raw, real_figures, _, _ = claims.load_checked()
    real = claims.clean(real_raw, real_figures)
    assert Counter(cleaned(synthetic.synthetic_claims(1)).unit) == Counter(real.unit)


# --- column-wise cleaning = row-by-row cleaning --------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_cleaning_a_table_gives_exactly_what_cleaning_each_row_alone_gives(seed):
    sample = synthetic.synthetic_claims(100, seed=seed).sample(400, random_state=seed)
    expected = clean_row_by_row(sample)
    pd.testing.assert_frame_equal(claims.clean(sample, claims.parse_figures(sample, PATH)), expected, check_exact=True)
    # A plain dict of figures, as callers may pass, gives the same.
    as_dict = {
        claim_id: parse_figure(value, unit)
        for claim_id, value, unit in zip(sample.claim_id, sample.value_as_written, sample.unit_as_written, strict=True)
    }
    pd.testing.assert_frame_equal(claims.clean(sample, as_dict), expected, check_exact=True)


def test_the_real_claims_clean_as_row_by_row():
    raw, figures, _, _ = claims.load_checked()
    pd.testing.assert_frame_equal(claims.clean(raw, figures), clean_row_by_row(raw), check_exact=True)


def test_parsed_figures_look_up_as_parse_figure_gives():
    table = synthetic.synthetic_claims(1, seed=5)
    figures = claims.parse_figures(table, PATH)
    assert len(figures) == len(table) and list(figures) == table.claim_id.tolist()
    for row in table.itertuples():
        assert figures[row.claim_id] == parse_figure(row.value_as_written, row.unit_as_written)


# --- the benchmark's report ----------------------------------------------------------------------


def test_the_report_shows_every_size_and_says_whether_the_target_is_met():
    timings = [
        scaling.Timing(label, size, 1e-6 * size, 2e-5 * size, 4e-5 * size)
        for label, size in (("x1", 81), ("x10", 810), ("x100", 8_100), ("x1000", 81_000), ("100,000", 100_000))
    ]
    text = scaling.report(timings, "pinned to CPU 0", 5)
    assert "| x1000 | 81,000 | 0.081 | 1.0 | 1.00 |" in text
    assert "target: 100,000 claims cleaned in under 2 s: met (0.100 s)" in text
    assert "cleaning 1.00" in text and "audit 1.00" in text
    slow = [scaling.Timing(t.label, t.claims, 3.0, t.checks, t.audit) if t.claims == 100_000 else t for t in timings]
    assert "under 2 s: not met" in scaling.report(slow, "", 5)
