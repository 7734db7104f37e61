"""The cleaning step: the real claims, and every bad-input path on small broken fixtures."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pandas as pd
import pandera.errors
import pytest
from conftest import CHECKOUT, make_project

from rare_earths import __main__ as cli
from rare_earths.data import claims, quotes, schemas, units
from rare_earths.data.provenance import load_articles, load_sources
from rare_earths.data.tables import read_raw, write_processed
from rare_earths.errors import InputError, Problem, line_of
from rare_earths.project import relative

PATH_FOR_MESSAGES = Path("synthetic/claims.csv")


def build_fixture(fixtures: Path, claims_file: str, output: Path, sources: str = "sources.csv") -> Path:
    return claims.build(
        claims_path=fixtures / "claims" / claims_file,
        sources_path=fixtures / sources,
        articles_dir=fixtures / "articles",
        output=output,
    )


# --- the real claims -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checked():
    return claims.load_checked()


@pytest.fixture(scope="module")
def processed(checked) -> pd.DataFrame:
    raw, figures, _, _ = checked
    return claims.clean(raw, figures)


def test_every_quote_occurs_verbatim_once_in_its_article(checked):
    raw, _, articles, _ = checked
    for row in raw.itertuples():
        assert articles[row.source_id].count(row.quote) == 1, row.claim_id


def test_every_value_as_written_occurs_in_its_quote(checked):
    raw, _, _, _ = checked
    for row in raw.itertuples():
        assert quotes.find_number(row.quote, row.value_as_written), row.claim_id


# Claims captured after their article's first capture. An id is never reused or renumbered, so a
# later capture takes the next free number, wherever its figure stands in the article.
# Captured after the first pass, numbered after it (ids are never reused): zero quantities ("no new
# import licences"), then rankings in words ("the largest") and statements of absence ("no domestic
# separation facilities ... have been announced"), then dates ("April 4", "launched in 2025"), then an export "ban" or "halt".
CAPTURED_LATER = {
    "a002-13", "a003-04", "a003-05",
    "a000-49", "a000-50", "a000-51", "a000-52", "a000-53", "a001-08", "a002-14", "a004-12", "a004-13", "a004-14",
    "a000-54", "a000-55", "a000-56", "a000-57", "a000-58", "a000-59", "a000-60", "a000-61", "a001-09", "a001-10",
    "a002-15", "a002-16", "a003-06", "a003-07", "a003-08", "a003-09", "a003-10", "a004-15",
}  # fmt: skip


def test_claim_ids_count_up_per_article_and_first_captures_are_in_reading_order(checked):
    raw, _, articles, _ = checked
    assert raw.claim_id.tolist() == sorted(raw.claim_id)
    for source_id, group in raw.groupby("source_id"):
        numbers = [int(claim_id.split("-")[1]) for claim_id in group.claim_id]
        assert numbers == list(range(1, len(group) + 1)), source_id  # none skipped, none reused
        first = group[~group.claim_id.isin(CAPTURED_LATER)]
        figures_at = [
            quotes.locate(articles[source_id], row.quote, row.value_as_written).part_start for row in first.itertuples()
        ]
        assert figures_at == sorted(figures_at), source_id


def test_the_articles_figures_are_read_in_canonical_units(processed):
    by_id = processed.set_index("claim_id")
    assert by_id.loc["a000-03", ["value", "unit"]].tolist() == [44_000_000, "t"]  # 44 million metric tons
    assert by_id.loc["a000-12", ["value", "unit"]].tolist() == [240_000, "t"]  # 240 kilotons
    assert by_id.loc["a000-28", ["value_low", "value_high", "unit"]].tolist() == [180_000, 202_000, "t"]
    assert pd.isna(by_id.loc["a000-28", "value"])  # a range has no single value
    assert by_id.loc["a000-31", ["value", "unit"]].tolist() == [3, "t / year"]  # 3,000 kg annual
    assert by_id.loc["a000-24", ["value", "unit"]].tolist() == [30_000_000, "USD"]  # $30 million
    assert by_id.loc["a001-01", ["value", "unit"]].tolist() == [1345, "crore * INR"]
    assert by_id.loc["a001-06", ["value", "unit"]].tolist() == [249e6, "USD / year"]
    assert by_id.loc["a002-02", ["value_low", "value_high", "unit"]].tolist() == [6, 8, "week"]
    assert by_id.loc["a004-07", "value"] == pytest.approx(200 / 3)  # two-thirds, in percent


def test_zero_quantities_are_zero_in_their_metrics_units(processed):
    by_id = processed.set_index("claim_id")
    assert by_id.loc["a002-13", ["value", "unit", "metric"]].tolist() == [
        0,
        "count",
        "permit_approvals",
    ]  # no Indian player
    assert by_id.loc["a003-04", ["value", "unit", "metric"]].tolist() == [
        0,
        "t",
        "magnet_imports",
    ]  # no magnets, written without a unit
    assert by_id.loc["a003-05", ["value", "unit", "metric"]].tolist() == [
        0,
        "count",
        "permit_approvals",
    ]  # no new import licences: China's, as a002-13's permits
    assert by_id.loc["a004-12", ["value", "unit", "metric"]].tolist() == [0, "count", "separation_facilities"]
    assert by_id.loc["a000-49", ["value", "unit"]].tolist() == [1, "rank"]  # the largest
    assert by_id.loc["a000-50", ["value", "unit"]].tolist() == [2, "rank"]  # Brazil follows


def test_qualifiers_become_bounds(processed):
    by_id = processed.set_index("claim_id")
    assert by_id.loc["a000-01", "bound"] == "lower_bound"  # over 90%
    assert by_id.loc["a000-08", "bound"] == "approximate"  # approximately 6.9 million metric tons
    assert by_id.loc["a003-03", "bound"] == "lower_bound"  # at least two to three years
    assert by_id.loc["a000-04", "bound"] == "exact"


def test_the_processed_claims_depend_on_no_parameter(processed):
    # Rupees stay rupees: the notebooks convert at their usd_inr, so a new rate reruns only them.
    assert not any("usd" in column for column in processed.columns)
    assert processed.set_index("claim_id").loc["a001-03", ["value", "unit"]].tolist() == [16_300, "crore * INR"]


def test_processed_table_matches_its_schema_and_metadata(processed):
    schemas.schema(schemas.CLAIMS).validate(processed)
    assert list(processed.columns) == schemas.CLAIMS.names
    assert set(processed.claim_id) == set(claims.load_checked()[0].claim_id)


# --- writing and reading -------------------------------------------------------------------------


def test_two_runs_write_byte_identical_files(tmp_path):
    first = claims.build(output=tmp_path / "first.csv")
    second = claims.build(output=tmp_path / "second.csv")
    assert first.read_bytes() == second.read_bytes()


def test_written_file_reads_back_equal(tmp_path, processed):
    written = claims.build(output=tmp_path / "claims.csv")
    pd.testing.assert_frame_equal(claims.load(written), processed, check_exact=False, rtol=1e-11)


def test_reading_a_corrupted_processed_file_fails_its_schema(tmp_path):
    written = claims.build(output=tmp_path / "claims.csv")
    text = written.read_text(encoding="utf-8").replace(",t,", ",furlong,", 1)
    written.write_text(text, encoding="utf-8")
    with pytest.raises(pandera.errors.SchemaError, match="unit"):
        claims.load(written)


def test_output_has_no_absolute_paths_or_machine_details(tmp_path):
    text = claims.build(output=tmp_path / "claims.csv").read_text(encoding="utf-8")
    assert str(CHECKOUT.root) not in text and str(tmp_path) not in text


# --- bad input: one test per case, each naming file, line and column, writing nothing -------------

BROKEN = [
    ("unknown_unit.csv", 4, "unit_as_written", "unknown unit 'capacity'"),
    ("value_not_a_number.csv", 2, "value_as_written", "not a number the parser can read: 'forty-four'"),
    ("unknown_source.csv", 7, "source_id", "unknown source 'a009'"),
    ("duplicate_claim_id.csv", 6, "claim_id", "duplicate value 'a000-01'"),
    ("quote_not_in_article.csv", 3, "quote", "quote not found verbatim in the article"),
    ("range_mismatch.csv", 6, "range_high", "9 does not match '6-8'"),
    ("unit_wrong_for_metric.csv", 2, "unit_as_written", "cannot measure reserve_share"),
    ("date_not_readable.csv", 3, "value_as_written", "not a date the parser can read: 'April 2, 2025 a budget'"),
]


@pytest.mark.parametrize(("claims_file", "line", "column", "message"), BROKEN, ids=[case[0] for case in BROKEN])
def test_bad_claims_are_refused_with_file_line_and_column(fixtures, tmp_path, claims_file, line, column, message):
    output = tmp_path / "claims.csv"
    with pytest.raises(InputError) as raised:
        build_fixture(fixtures, claims_file, output)
    text = str(raised.value)
    assert f"tests/fixtures/claims/{claims_file}, line {line}, column {column}" in text
    assert message in text
    assert not output.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_a_changed_article_is_refused(fixtures, tmp_path):
    output = tmp_path / "claims.csv"
    with pytest.raises(InputError) as raised:
        build_fixture(fixtures, "good.csv", output, sources="sources_bad_checksum.csv")
    text = str(raised.value)
    assert "tests/fixtures/sources_bad_checksum.csv, line 3, column sha256" in text
    assert "001_fixture.txt has changed" in text
    assert not output.exists()


def test_bad_input_keeps_the_previous_output(fixtures, tmp_path):
    output = build_fixture(fixtures, "good.csv", tmp_path / "claims.csv")
    before = output.read_bytes()
    with pytest.raises(InputError):
        build_fixture(fixtures, "unknown_unit.csv", output)
    assert output.read_bytes() == before


def _with_row(fixtures: Path, tmp_path: Path, row: str) -> Path:
    """The clean fixture with one more row, as a fixture folder in `tmp_path`."""
    folder = tmp_path / "fixtures"
    (folder / "claims").mkdir(parents=True)
    good = (fixtures / "claims" / "good.csv").read_text(encoding="utf-8")
    (folder / "claims" / "plus.csv").write_text(good + row + "\n", encoding="utf-8")
    shutil.copy(fixtures / "sources.csv", folder / "sources.csv")
    shutil.copytree(fixtures / "articles", folder / "articles")
    return folder


DATE_ROW = 'a000-09,a000,National Critical Mineral Mission,launch_date,,,{value},date,{qualifier},,,,,"On April 2, 2025 a budget",'


@pytest.mark.parametrize(
    ("written", "first", "last"), [("April 2", "2025-04-02", "2025-04-02"), ("2025", "2025-01-01", "2025-12-31")]
)
def test_a_date_is_stored_as_the_days_its_words_admit_read_as_of_its_article(fixtures, tmp_path, written, first, last):
    folder = _with_row(fixtures, tmp_path, DATE_ROW.format(value=written, qualifier=""))
    table = claims.load(build_fixture(folder, "plus.csv", tmp_path / "claims.csv")).set_index("claim_id")
    row = table.loc["a000-09"]  # the fixture articles are read as of 2025-06-01: "April 2" is April 2, 2025
    assert row.unit == "date" and row.bound == "exact"
    assert [str(units.from_day_number(row.value_low)), str(units.from_day_number(row.value_high))] == [first, last]


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (
            'a000-09,a000,China,reserves,,,"April 2",date,,,,,,"On April 2, 2025 a budget",',
            "unit_as_written",
            "whose unit is t",
        ),
        (
            "a000-09,a000,China,launch_date,,,6-8,weeks,,6,8,,,importers hold 6-8 weeks of magnet stock,",
            "unit_as_written",
            "whose unit is date",
        ),
        (
            'a000-09,a000,China,launch_date,,,"April 2",date,,2,2,,,"On April 2, 2025 a budget",',
            "range_low",
            "the days its words admit",
        ),
    ],
)
def test_a_date_in_the_wrong_place_is_one_clear_error(fixtures, tmp_path, row, column, says):
    folder = _with_row(fixtures, tmp_path, row)
    with pytest.raises(InputError) as raised:
        build_fixture(folder, "plus.csv", tmp_path / "claims.csv")
    assert [(p.line, p.column) for p in raised.value.problems] == [(8, column)] and says in str(raised.value)


def test_a_date_takes_no_qualifier(fixtures, tmp_path):
    folder = _with_row(fixtures, tmp_path, DATE_ROW.format(value="April 2", qualifier="On"))
    with pytest.raises(InputError) as raised:
        build_fixture(folder, "plus.csv", tmp_path / "claims.csv")
    assert [(p.line, p.column) for p in raised.value.problems] == [(8, "qualifier"), (8, "qualifier")]
    assert "a date takes no qualifier" in str(raised.value)


def test_the_clean_fixture_passes(fixtures, tmp_path):
    table = claims.load(build_fixture(fixtures, "good.csv", tmp_path / "claims.csv"))
    assert table.claim_id.tolist() == ["a000-01", "a000-02", "a000-03", "a000-04", "a000-05", "a001-01"]


def test_command_line_exits_non_zero_and_names_the_cell(fixtures, tmp_path, capsys):
    project = make_project(
        tmp_path,
        claims=fixtures / "claims" / "unknown_unit.csv",
        sources=fixtures / "sources.csv",
        articles=fixtures / "articles",
    )
    previous = project.processed_claims_csv
    previous.parent.mkdir(parents=True)
    previous.write_text("previous output\n", encoding="utf-8")
    assert cli.main(["--project", str(project.root), "data"]) == 1
    assert "data/raw/claims.csv, line 4, column unit_as_written (a000-03)" in capsys.readouterr().err
    assert previous.read_text(encoding="utf-8") == "previous output\n"


def test_a_copy_of_the_raw_data_with_one_edited_byte_is_refused(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(CHECKOUT.articles, articles)
    edited = articles / "003_61b66ccfd8cb0b26.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("90%", "80%"), encoding="utf-8")
    with pytest.raises(InputError, match="003_61b66ccfd8cb0b26.txt has changed"):
        claims.load_checked(articles_dir=articles)


# --- unit words: in the quote as words; a zero's canonical unit may stand in ----------------------


def _fixture_with(fixtures, **changes) -> tuple[pd.DataFrame, dict[str, str]]:
    """The fixture's claims and articles, with claim a000-01 (44 million metric tons) changed."""
    raw = pd.read_csv(fixtures / "claims" / "good.csv", dtype=str, keep_default_na=False)
    for column, value in changes.items():
        raw.loc[0, column] = value
    articles = load_articles(load_sources(fixtures / "sources.csv", fixtures / "articles"), fixtures / "articles")
    return raw, articles


def test_a_unit_word_must_stand_in_the_quote_as_a_word(fixtures):
    # "t" is a letter of "metric" and "tons", but no word of the quote.
    raw, articles = _fixture_with(fixtures, unit_as_written="million t")
    assert _problems(raw, articles, PATH_FOR_MESSAGES) == [
        Problem(relative(PATH_FOR_MESSAGES), "'t' is not in the quote", line_of(0), "unit_as_written", "a000-01")
    ]


@pytest.mark.parametrize("zero", ["no", "none", "zero"])
def test_a_zero_written_without_a_unit_takes_its_metrics_canonical_unit(fixtures, zero):
    # a000-01 becomes a zero of reserves in a sentence that gives no unit word
    raw, articles = _fixture_with(fixtures, value_as_written=zero, unit_as_written="t", quote=f"made {zero} magnets")
    articles = {**articles, "a000": articles["a000"] + f"Its magnet plant made {zero} magnets.\n"}
    figures = claims.check_claims(raw, articles, PATH_FOR_MESSAGES)
    assert claims.clean(raw, figures).set_index("claim_id").loc["a000-01", ["value", "unit"]].tolist() == [0, "t"]


@pytest.mark.parametrize(
    ("value", "unit", "messages"),
    [
        ("44", "t", ["'t' is not in the quote"]),  # only a zero may take a unit the quote does not give
        ("no", "kg", ["'kg' is not in the quote"]),  # a zero's stand-in unit is a canonical one
        (
            "no",
            "million t",
            ["'million' is not in the quote", "'t' is not in the quote"],
        ),  # the whole unit, not a word of it
    ],
)
def test_a_unit_missing_from_the_quote_is_refused_unless_a_zeros_canonical_unit(fixtures, value, unit, messages):
    raw, articles = _fixture_with(fixtures, value_as_written=value, unit_as_written=unit, quote=f"made {value} magnets")
    articles = {**articles, "a000": articles["a000"] + f"Its magnet plant made {value} magnets.\n"}
    problems = _problems(raw, articles, PATH_FOR_MESSAGES)
    assert [(problem.column, problem.message) for problem in problems] == [
        ("unit_as_written", text) for text in messages
    ]


# --- checking a table column by column finds what checking each row alone finds ------------------


def _row_by_row(raw: pd.DataFrame, articles: dict[str, str], path: Path) -> list[Problem]:
    problems = []
    for index, row in raw.iterrows():
        _, row_problems = claims._check_row(row, articles)
        problems += [
            Problem(relative(path), message, line_of(index), column, row.claim_id) for column, message in row_problems
        ]
    return problems


def _problems(raw: pd.DataFrame, articles: dict[str, str], path: Path) -> list[Problem]:
    try:
        claims.check_claims(raw, articles, path)
    except InputError as error:
        return error.problems
    return []


@pytest.mark.parametrize(
    "claims_file", sorted(path.name for path in (Path(__file__).parents[1] / "fixtures" / "claims").glob("*.csv"))
)
def test_every_fixture_gives_the_problems_of_checking_each_row_alone(fixtures, claims_file):
    path = fixtures / "claims" / claims_file
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)  # unvalidated: check_claims on its own
    articles = load_articles(load_sources(fixtures / "sources.csv", fixtures / "articles"), fixtures / "articles")
    assert _problems(raw, articles, path) == _row_by_row(raw, articles, path)


def test_planted_faults_in_a_large_table_give_the_problems_of_checking_each_row_alone():
    if str(CHECKOUT.root) not in sys.path:  # `benchmarks` lives beside src/, not in the installed package
        sys.path.insert(0, str(CHECKOUT.root))
    from benchmarks import synthetic

    raw = synthetic.synthetic_claims(3, seed=9, perturb_values=False)
    articles = synthetic.synthetic_articles(raw)
    ranges = raw.index[raw.range_low != ""]
    singles = raw.index[(raw.range_low == "") & (raw.unit_as_written == "%")]
    raw.loc[singles[0], "unit_as_written"] = "furlongs"  # unknown unit, and not in the quote
    raw.loc[singles[1], "value_as_written"] = "forty-four"  # not a number
    raw.loc[ranges[0], "range_high"] = "999"  # range end does not match
    raw.loc[singles[2], "metric"] = "reserves"  # a share cannot measure reserves
    raw.loc[singles[3], "source_id"] = "a998"  # unknown source: nothing else checked
    raw.loc[singles[3], "metric"] = "reserves"
    raw.loc[singles[4], "range_low"] = "5"  # not a range
    raw.loc[ranges[1], ["value_as_written", "range_low", "range_high"]] = ["8-6", "8", "6"]  # written high-low
    raw.loc[singles[5], "qualifier"] = "roughly"  # unknown qualifier, not in the quote
    raw.loc[singles[6], ["value_as_written", "unit_as_written"]] = [
        "forty-four",
        "furlongs",
    ]  # both: the number is reported
    problems = _problems(raw, articles, PATH_FOR_MESSAGES)
    assert problems == _row_by_row(raw, articles, PATH_FOR_MESSAGES)
    assert {problem.column for problem in problems} >= {
        "unit_as_written",
        "value_as_written",
        "range_high",
        "range_low",
        "source_id",
        "qualifier",
    }


def test_parse_figures_reports_the_figure_problems_check_claims_reports(fixtures):
    for claims_file in (
        "unknown_unit.csv",
        "value_not_a_number.csv",
        "range_mismatch.csv",
        "unit_wrong_for_metric.csv",
    ):
        path = fixtures / "claims" / claims_file
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        with pytest.raises(InputError) as raised:
            claims.parse_figures(raw, path)
        articles = load_articles(load_sources(fixtures / "sources.csv", fixtures / "articles"), fixtures / "articles")
        figure_columns = {"value_as_written", "unit_as_written", "range_low", "range_high"}
        expected = [
            p for p in _row_by_row(raw, articles, path) if p.column in figure_columns and "quote" not in p.message
        ]
        assert raised.value.problems == expected


# --- unreadable or empty tables, line numbers, figures too large to be numbers -------------------


def _cli_data(
    capsys,
    claims_path: Path,
    root: Path,
    *,
    sources: Path | None = None,
    articles: Path | None = None,
) -> str:
    """`python -m rare_earths data --force` in a project at `root` with these inputs: the exit code
    must be 1 and data/processed/ untouched; returns the error output."""
    fixture_dir = Path(__file__).parents[1] / "fixtures"
    project = make_project(
        root,
        claims=claims_path,
        sources=sources or fixture_dir / "sources.csv",
        articles=articles or fixture_dir / "articles",
    )
    assert cli.main(["--project", str(project.root), "data", "--force"]) == 1
    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert not project.processed.exists() or not any(project.processed.iterdir())
    return error


UNREADABLE = [
    ("claims/header_only.csv", "data/raw/claims.csv, line 2: has no claims, only its header"),
    ("unreadable/claims_empty.csv", "data/raw/claims.csv, line 1: is empty: it needs at least its header line"),
    (
        "unreadable/claims_not_utf8.csv",
        "data/raw/claims.csv, line 3, column note: byte 0xe9 at character 87 of the line is not UTF-8",
    ),
    (
        "claims/multiline_note.csv",
        "data/raw/claims.csv, line 5, column unit_as_written (a000-03): unknown unit 'capacity'",
    ),
]


@pytest.mark.parametrize(("claims_file", "message"), UNREADABLE, ids=[case[0] for case in UNREADABLE])
def test_an_empty_or_unreadable_claims_table_is_one_located_error(fixtures, tmp_path, capsys, claims_file, message):
    error = _cli_data(capsys, fixtures / claims_file, tmp_path / "project")
    assert "error: 1 problem in the input data" in error
    assert message in error


def test_line_numbers_are_physical_lines_after_a_field_that_spans_lines(fixtures):
    raw = read_raw(schemas.RAW_CLAIMS, fixtures / "claims" / "multiline_note.csv")
    assert raw.loc[raw.claim_id == "a000-02", "note"].item() == "A note on two lines:\nthe second line."
    assert [line_of(index) for index in raw.index] == [2, 3, 5, 6, 7, 8]


def test_a_record_with_too_many_fields_is_named_by_its_line(tmp_path):
    broken = tmp_path / "claims.csv"
    good = (Path(__file__).parents[1] / "fixtures" / "claims" / "good.csv").read_text(encoding="utf-8")
    broken.write_text(
        good.replace("a budget of ₹1,345 crore", "a budget of ₹1", 1).replace(
            '"a budget of ₹1",', "a budget of ₹1,345 crore,"
        ),
        encoding="utf-8",
    )
    columns = len(schemas.RAW_CLAIMS.names)
    with pytest.raises(InputError, match=rf"claims.csv, line 5: {columns + 1} fields, but the header has {columns}"):
        read_raw(schemas.RAW_CLAIMS, broken)


def _with_a_huge_figure(fixtures: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """The fixture project with a figure of 10^400 t: its article states it, so only its size is wrong."""
    huge = "1" + "0" * 400
    articles = tmp_path / "articles"
    shutil.copytree(fixtures / "articles", articles)
    article = articles / "001_fixture.txt"
    article.write_text(article.read_text(encoding="utf-8") + f"It holds {huge} tonnes of reserves.\n", encoding="utf-8")
    sources = tmp_path / "sources.csv"
    old = (fixtures / "articles" / "001_fixture.txt").read_bytes()
    sources.write_text(
        (fixtures / "sources.csv")
        .read_text(encoding="utf-8")
        .replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(article.read_bytes()).hexdigest()),
        encoding="utf-8",
    )
    claims_csv = tmp_path / "claims.csv"
    claims_csv.write_text(
        (fixtures / "claims" / "good.csv").read_text(encoding="utf-8")
        + f"a001-02,a001,China,reserves,,,{huge},tonnes,,,,,,It holds {huge} tonnes of reserves,\n",
        encoding="utf-8",
    )
    return claims_csv, sources, articles


def test_a_figure_too_large_to_be_a_number_is_refused_by_the_cleaning_step(fixtures, tmp_path, capsys):
    claims_csv, sources, articles = _with_a_huge_figure(fixtures, tmp_path)
    error = _cli_data(capsys, claims_csv, tmp_path / "project", sources=sources, articles=articles)
    assert "data/raw/claims.csv, line 8, column value_as_written (a001-02): '1000" in error
    assert "is too large to be stored as a number (in its canonical unit it is inf)" in error


def test_the_processed_schema_refuses_a_number_that_is_not_finite(tmp_path, processed):
    table = processed.copy()
    table.loc[0, "value_low"] = float("inf")
    with pytest.raises(pandera.errors.SchemaError, match="finite"):
        write_processed(schemas.CLAIMS, table, tmp_path / "claims.csv")
    assert not (tmp_path / "claims.csv").exists()
    written = write_processed(schemas.CLAIMS, processed, tmp_path / "claims.csv")
    assert claims.load(written)["value"].isna().any()  # an empty value (a range) is still allowed
    text = pd.read_csv(written, dtype=str, keep_default_na=False)
    text.loc[0, "value_high"] = "inf"
    text.to_csv(written, index=False)
    with pytest.raises(pandera.errors.SchemaError, match="finite"):
        claims.load(written)
