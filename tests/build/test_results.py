"""Key results recorded from the notebooks' code: the record, reading it back, the table, and the
numeric regression comparison."""

from __future__ import annotations

import json
import math

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rare_earths.build import execution, results
from rare_earths.data import schemas
from rare_earths.data.units import ureg
from rare_earths.errors import InputError

Q = ureg.Quantity


def notebook_with(*records: dict) -> nbformat.NotebookNode:
    """A notebook whose cells display these records as `results.record` does, one cell each."""
    notebook = nbformat.v4.new_notebook()
    for position, entry in enumerate(records):
        cell = nbformat.v4.new_code_cell(f"cell {position}")
        cell.outputs = [
            nbformat.v4.new_output("stream", text="printed\n"),
            nbformat.v4.new_output("display_data", data=results.bundle(entry)),
        ]
        notebook.cells.append(cell)
    return nbformat.reads(nbformat.writes(notebook), as_version=4)  # as a notebook file stores it


GROWTH = results.result(
    "implied_growth",
    (Q(2.5712, "percent / year"), Q(3.0312, "percent / year")),
    claims=["a003-04", "a003-05"],
    meaning="India's implied consumption growth to 2032.",
)
TONNES = results.result(
    "consumption", Q(15.4, "kt"), claims=["a002-12"], meaning="Expected consumption in 2032.", tolerance=1e-3
)


# --- the record ----------------------------------------------------------------------------------


def test_a_range_is_shown_in_one_line_with_its_claims():
    assert results.line(GROWTH) == "**Implied growth**: 2.57–3.03% a year (claims a003-04, a003-05)"
    assert results.line(TONNES) == "**Consumption**: 15.4 kt (claim a002-12)"


def test_a_label_is_escaped_in_the_markdown_a_page_renders_and_kept_as_written_in_plain_text():
    from rare_earths.site import notebooks

    label = 'Times <img src=x onerror="alert(1)"> & <b>more</b>'
    record = results.result("growth", Q(1.73, "dimensionless"), claims=[], meaning="m.", label=label)
    assert results.bundle(record)["text/plain"] == f"{label}: 1.73"
    assert results.bundle(record)["text/markdown"] == (
        '**Times &lt;img src=x onerror="alert(1)"&gt; &amp; &lt;b&gt;more&lt;/b&gt;**: 1.73'
    )
    page, _ = notebooks.exporter().from_notebook_node(notebook_with(record))
    assert "<img" not in page and "<b>more" not in page and "Times &lt;img" in page


def test_the_record_is_plain_json_with_the_registrys_unit():
    assert GROWTH == {
        "name": "implied_growth",
        "label": "Implied growth",
        "value": None,
        "low": 2.5712,
        "high": 3.0312,
        "unit": "% / yr",
        "claims": ["a003-04", "a003-05"],
        "meaning": "India's implied consumption growth to 2032.",
        "tolerance": 1e-9,
    }
    assert ureg.Unit(GROWTH["unit"]) == ureg.Unit("percent / year"), "the unit string reads back as the unit"
    data = results.bundle(GROWTH)
    assert set(data) == {"text/plain", "text/markdown", results.MIME_TYPE}
    assert list(data[results.MIME_TYPE]) == sorted(data[results.MIME_TYPE]), "sorted keys"
    assert json.loads(json.dumps(data[results.MIME_TYPE])) == GROWTH


def test_a_range_in_two_units_is_read_in_the_low_ends():
    entry = results.result("band", (Q(1, "t"), Q(2500, "kg")), claims=[], meaning="A band.")
    assert (entry["low"], entry["high"], entry["unit"]) == (1.0, 2.5, "t")


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"name": "Implied Growth"}, "snake_case"),
        ({"value": 3.0}, "pint Quantity"),
        ({"value": Q(float("nan"), "t")}, "finite"),
        ({"value": (Q(3, "t"), Q(2, "t"))}, "above its high end"),
        ({"value": (Q(3, "t"), Q(2, "percent"))}, "do not convert"),
        ({"claims": ["a3-4"]}, "not a claim id"),
        ({"claims": ["a000-01", "a000-01"]}, "named twice"),
        ({"meaning": ""}, "one line"),
        ({"tolerance": -0.1}, "relative"),
    ],
)
def test_a_bad_result_is_refused_naming_what_is_wrong(arguments, words):
    given_ = {"name": "consumption", "value": Q(1, "t"), "claims": ["a000-01"], "meaning": "m", **arguments}
    with pytest.raises((ValueError, TypeError), match=words):
        results.result(given_.pop("name"), given_.pop("value"), **given_)


def test_record_outside_a_kernel_prints_its_line(capsys):
    results.record("consumption", Q(15.4, "kt"), claims=["a002-12"], meaning="Expected consumption.")
    assert capsys.readouterr().out == "Consumption: 15.4 kt (claim a002-12)\n"


# --- reading them back ---------------------------------------------------------------------------


def test_collect_reads_every_result_in_cell_order():
    assert results.collect(notebook_with(GROWTH, TONNES)) == [GROWTH, TONNES]
    assert results.collect(nbformat.v4.new_notebook()) == []


def test_a_result_recorded_twice_is_refused(tmp_path):
    path = tmp_path / "04-demand.ipynb"
    nbformat.write(notebook_with(GROWTH, TONNES, GROWTH), path)
    with pytest.raises(InputError, match="implied_growth is recorded twice"):
        results.collect(path)


def test_a_notebook_records_its_results_as_it_runs(fixtures, tmp_path):
    executed = execution.execute(
        "06-records-growth.ipynb", {"rate": 0.1}, tmp_path, notebooks_dir=fixtures / "notebooks"
    ).output
    found = results.collect(executed)
    assert [entry["name"] for entry in found] == ["total_growth", "rate_band"]
    assert found[0]["value"] == pytest.approx(100 * (1.1**10 - 1)) and found[0]["unit"] == "%"
    assert (found[1]["low"], found[1]["high"], found[1]["tolerance"]) == (pytest.approx(9.0), pytest.approx(11.0), 1e-6)
    text = executed.read_text(encoding="utf-8")
    assert "**Total growth**: 159.4% (claim a000-01)" in text


def test_the_table_has_the_schemas_columns_then_the_scenarios(tmp_path):
    nbformat.write(notebook_with(GROWTH, TONNES), tmp_path / "04-demand.ipynb")
    table = results.table(tmp_path, ["04-demand.ipynb"], {"consumption_base_year": 2020, "usd_inr": 84.57})
    assert list(table.columns) == [*schemas.RESULTS.names, "consumption_base_year", "usd_inr"]
    assert table.to_dict("records")[1] == {
        "notebook": "04-demand.ipynb",
        "name": "consumption",
        "label": "Consumption",
        "value": 15.4,
        "low": 15.4,
        "high": 15.4,
        "unit": "kt",
        "claims": "a002-12",
        "meaning": "Expected consumption in 2032.",
        "tolerance": 1e-3,
        "consumption_base_year": "2020",
        "usd_inr": "84.57",
    }
    assert math.isnan(table.value[0]) and table.claims[0] == "a003-04; a003-05"
    assert list(results.table(tmp_path, ["04-demand.ipynb"]).columns) == schemas.RESULTS.names


def test_write_is_deterministic_and_reads_back(tmp_path):
    nbformat.write(notebook_with(GROWTH, TONNES), tmp_path / "04-demand.ipynb")
    table = results.table(tmp_path, ["04-demand.ipynb"], {"usd_inr": 80.0})
    first = results.write(table, tmp_path / "one.csv").read_bytes()
    assert results.write(table, tmp_path / "two.csv").read_bytes() == first
    assert first.decode().splitlines()[0] == "notebook,name,label,value,low,high,unit,claims,meaning,tolerance,usd_inr"
    assert (
        first.decode()
        .splitlines()[1]
        .startswith("04-demand.ipynb,implied_growth,Implied growth,,2.5712,3.0312,% / yr,a003-04; a003-05,")
    )
    assert results.compare(table, results.read(tmp_path / "one.csv")) == []


def test_no_result_writes_the_header_alone(tmp_path):
    path = results.write(results.frame([], ["usd_inr"]), tmp_path / "results.csv")
    assert (
        path.read_text(encoding="utf-8") == "notebook,name,label,value,low,high,unit,claims,meaning,tolerance,usd_inr\n"
    )
    assert results.read(path).empty


def test_a_table_breaking_the_schema_is_not_written(tmp_path):
    table = results.frame(results.rows([TONNES], "04-demand.ipynb")).assign(name="Not Snake")
    with pytest.raises(Exception, match="str_matches"):
        results.write(table, tmp_path / "results.csv")
    assert not (tmp_path / "results.csv").exists()


# --- the regression comparison -------------------------------------------------------------------


def table_of(*entries: dict, notebook: str = "04-demand.ipynb") -> pd.DataFrame:
    return results.frame(results.rows(entries, notebook))


def test_a_change_beyond_the_tolerance_is_named_with_both_values():
    changed = results.result("implied_cagr_high", Q(3.10, "percent"), claims=["a002-11"], meaning="m")
    before = results.result("implied_cagr_high", Q(3.03, "percent"), claims=["a002-11"], meaning="m")
    assert results.compare(table_of(before), table_of(changed)) == ["04 implied_cagr_high: 3.03 % → 3.10 %"]


def test_a_change_within_the_stated_tolerance_passes():
    loose = results.result("consumption", Q(15.4, "kt"), claims=["a002-12"], meaning="m", tolerance=1e-3)
    moved = results.result("consumption", Q(15.4 * (1 + 5e-4), "kt"), claims=["a002-12"], meaning="m")
    assert results.compare(table_of(loose), table_of(moved)) == []
    assert results.compare(table_of(moved), table_of(loose)) != [], (
        "the expected table's tolerance is the one that holds"
    )


def test_the_same_value_in_another_unit_passes_and_an_unconvertible_one_is_named():
    in_tonnes = results.result("consumption", Q(15400, "t"), claims=["a002-12"], meaning="m")
    assert results.compare(table_of(TONNES), table_of(in_tonnes)) == []
    in_percent = results.result("consumption", Q(15.4, "percent"), claims=["a002-12"], meaning="m")
    assert results.compare(table_of(TONNES), table_of(in_percent)) == [
        "04 consumption: 15.4 kt → 15.4 %, in a unit that does not convert"
    ]


def test_a_missing_and_a_new_result_are_named():
    assert results.compare(table_of(GROWTH, TONNES), table_of(TONNES)) == [
        "04 implied_growth: missing (was 2.57–3.03 %/yr)"
    ]
    assert results.compare(table_of(TONNES), table_of(GROWTH, TONNES)) == ["04 implied_growth: new (2.57–3.03 %/yr)"]


def test_a_range_that_moves_is_named_by_its_ends_and_scenarios_are_told_apart():
    moved = results.result(
        "implied_growth", (Q(2.5712, "percent / year"), Q(3.1, "percent / year")), claims=["a003-04"], meaning="m"
    )
    expected = results.frame(
        results.rows([GROWTH], "04-demand.ipynb", {"consumption_base_year": 2020})
        + results.rows([GROWTH], "04-demand.ipynb", {"consumption_base_year": 2022}),
        ["consumption_base_year"],
    )
    actual = results.frame(
        results.rows([GROWTH], "04-demand.ipynb", {"consumption_base_year": 2020})
        + results.rows([moved], "04-demand.ipynb", {"consumption_base_year": 2022}),
        ["consumption_base_year"],
    )
    assert results.compare(expected, actual) == [
        "04 implied_growth (consumption_base_year=2022): 2.57–3.03 %/yr → 2.57–3.10 %/yr"
    ]


finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda value: abs(value) > 1e-6)
names = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
units = st.sampled_from(["t", "percent", "USD / kg", "t / year", "crore * INR", "count"])
tolerances = st.sampled_from([0.0, 1e-9, 1e-6, 1e-3])


@st.composite
def tables(draw) -> pd.DataFrame:
    entries = []
    for name in draw(st.lists(names, min_size=1, max_size=6, unique=True)):
        low = draw(finite)
        value = Q(low, draw(units)) if draw(st.booleans()) else (Q(low, "t"), Q(low + abs(draw(finite)), "t"))
        entries.append(results.result(name, value, claims=["a000-01"], meaning="m", tolerance=draw(tolerances)))
    return table_of(*entries)


@settings(max_examples=60)
@given(tables())
def test_a_table_compared_with_itself_gives_no_message(table):
    assert results.compare(table, table) == []
    assert results.compare(table, table.iloc[::-1]) == [], "row order is no change"


@settings(max_examples=60)
@given(tables(), st.data())
def test_scaling_one_value_beyond_its_tolerance_gives_exactly_one_message_naming_it(table, data):
    row = data.draw(st.integers(min_value=0, max_value=len(table) - 1))
    factor = data.draw(st.one_of(st.floats(min_value=1.01, max_value=100), st.floats(min_value=0.001, max_value=0.99)))
    scaled = table.copy()
    for column in ("value", "low", "high"):
        scaled.loc[row, column] = scaled.loc[row, column] * factor
    if scaled.loc[row, "low"] > scaled.loc[row, "high"]:  # a negative range stays low to high
        scaled.loc[row, ["low", "high"]] = scaled.loc[row, ["high", "low"]].to_numpy()
    messages = results.compare(table, scaled)
    assert len(messages) == 1
    assert messages[0].startswith(f"04 {table.name[row]}: ") and "→" in messages[0]


def test_build_writes_the_chains_results_in_chain_order(tmp_path):
    nbformat.write(notebook_with(TONNES), tmp_path / "04-demand.ipynb")
    nbformat.write(notebook_with(GROWTH), tmp_path / "03-trade.ipynb")
    written = results.build(
        tmp_path, ["03-trade.ipynb", "04-demand.ipynb", "05-capacity-and-policy.ipynb"], tmp_path / "results.csv"
    )
    table = results.read(written)
    assert list(zip(table.notebook, table.name, strict=True)) == [
        ("03-trade.ipynb", "implied_growth"),
        ("04-demand.ipynb", "consumption"),
    ]


def test_results_csv_made_again_from_the_same_notebooks_is_up_to_date_and_not_rewritten(project, capsys):
    """The case: its manifest named it ./reports/results.csv, the check reports/results.csv, so
    every run rewrote it."""
    import os

    from rare_earths.build import steps

    project.executed.mkdir(parents=True)
    nbformat.write(notebook_with(TONNES), project.executed / "04-demand.ipynb")
    steps.build_results(project, ("04-demand.ipynb",))
    assert capsys.readouterr().out.startswith("wrote reports/results.csv")
    os.utime(project.results_csv, ns=(0, 0))  # a rewrite would change it
    steps.build_results(project, ("04-demand.ipynb",))
    assert capsys.readouterr().out == "reports/results.csv is up to date\n"
    assert project.results_csv.stat().st_mtime_ns == 0


def test_results_csv_drops_a_notebook_no_longer_collected(project, capsys):
    """A notebook that failed keeps its old executed copy, which the last run read: results.csv must
    still be made again without it, not judged up to date by the files it used before."""
    from rare_earths.build import steps

    project.executed.mkdir(parents=True)
    nbformat.write(notebook_with(GROWTH), project.executed / "03-trade.ipynb")
    nbformat.write(notebook_with(TONNES), project.executed / "04-demand.ipynb")
    steps.build_results(project, ("03-trade.ipynb", "04-demand.ipynb"))
    assert "04-demand.ipynb" in project.results_csv.read_text(encoding="utf-8")
    capsys.readouterr()
    steps.build_results(project, ("03-trade.ipynb",))
    assert capsys.readouterr().out.startswith("wrote reports/results.csv")
    assert "04-demand.ipynb" not in project.results_csv.read_text(encoding="utf-8")
