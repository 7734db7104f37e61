"""How numbers and captions appear to readers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rare_earths import figures  # noqa: E402


def _cells(html: str) -> str:
    """A table's HTML without each cell's column name (the label a phone's card shows)."""
    return re.sub(r' data-label="[^"]*"', "", html)


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (15400.0, "15,400"),
        (160000.0, "160,000"),
        (31.714617, "31.7"),
        (0.00123456, "0.00123"),
        (3 / 460 * 100, "0.652"),
        (115.4, "115"),
        (2106.4, "2,106"),
        (2.0, "2"),
        (-1234.6, "-1,235"),
    ],
)
def test_table_numbers_are_readable_without_exponents_at_the_precision_of_the_articles(number, shown):
    assert figures.readable(number) == shown


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).filter(lambda x: x == 0 or abs(x) > 1e-9))
def test_a_table_number_is_never_in_exponent_form_and_keeps_three_significant_digits(number):
    shown = figures.readable(number)
    assert "e" not in shown.lower()
    back = float(shown.replace(",", ""))
    assert abs(back - number) <= max(0.5, abs(number) * 0.005 + 1e-12)


def test_a_column_of_years_has_no_thousands_separator_but_a_rate_a_year_has():
    frame = pd.DataFrame({"Base year": [2024], "Year": [2050], "Tonnes a year": [160000], "Growth a year (%)": [3.2]})
    shown = figures.table_html(frame)
    assert ">2024<" in shown and ">2050<" in shown and ">160,000<" in shown and ">3.2<" in shown


def test_rows_of_different_measures_show_each_value_with_its_unit_as_a_sentence_does():
    frame = pd.DataFrame(
        {
            "measure": ["above", "rest", "price", "count"],
            "value": [16.87, 235.0, 42.857, 30.0],
            "unit": ["percent", "USD million / year", "USD / kg", "applications"],
        }
    )
    shown = figures.with_units(frame)
    assert list(shown.columns) == ["measure", "value"]
    assert list(shown.value) == ["16.9%", "235 USD million a year", "42.9 USD/kg", "30 applications"]


def test_a_caption_ends_with_its_sorted_unique_claims():
    text = figures.caption_text(2, "Something computed.", ["a000-03", "a000-01", "a000-03"])
    assert text == "**Figure 2.** Something computed. Claims: a000-01; a000-03."


def test_a_caption_drawn_from_every_claim_says_so_in_words_and_counts_them():
    every = ["a000-01", "a000-02", "a001-01"]
    text = figures.caption_text(1, "The checks by kind.", ["a001-01", "a000-02", "a000-01", "a000-02"], every=every)
    assert text == "**Figure 1.** The checks by kind. Claims: every claim the articles state (3 claims)."
    some = figures.caption_text(1, "The checks by kind.", ["a000-02", "a000-01"], every=every)
    assert some == "**Figure 1.** The checks by kind. Claims: a000-01; a000-02.", "some of them: named"


def test_every_verdict_has_its_own_colour():
    from rare_earths import vocabulary

    assert list(figures.VERDICT_COLOURS) == list(vocabulary.VERDICTS)
    assert len(set(figures.VERDICT_COLOURS.values())) == len(vocabulary.VERDICTS)


def test_tables_leave_out_a_positional_index_but_keep_a_named_one_as_a_column():
    positional = _cells(figures.table_html(pd.DataFrame({"country": ["China", "India"], "reserves_mt": [44.0, 6.9]})))
    assert ">0<" not in positional and '<th scope="col">country</th>' in positional and "<td>China</td>" in positional
    named = _cells(
        figures.table_html(
            pd.DataFrame({"checks": [9, 21]}, index=pd.Index(["recomputation", "cross source"], name="kind"))
        )
    )
    assert "<td>recomputation</td>" in named and '<th scope="col">kind</th>' in named
    filtered = _cells(figures.table_html(pd.DataFrame({"country": ["China", "India", "Brazil"]}).iloc[[0, 2]]))
    assert ">2<" not in filtered, "an unnamed index left by a filter says nothing"


def test_a_table_has_one_header_row_a_dash_for_missing_and_numbers_marked_and_readable():
    pivot = pd.DataFrame(
        {"a000": [1.0, float("nan")], "a001": [15400.0, 2.0]}, index=pd.Index(["x", "y"], name="Measure")
    )
    pivot.columns.name = "source_id"
    shown = _cells(figures.table_html(pivot))
    assert shown.count("<tr>") == 3 and "source_id" not in shown, "one header row, no column-axis name"
    assert "NaN" not in shown and f'<td class="number">{figures.MISSING}</td>' in shown
    assert '<td class="number">15,400</td>' in shown and '<th scope="col" class="number">a001</th>' in shown
    years = _cells(figures.table_html(pd.DataFrame({"Base year": [2024], "Tonnes": [1700]})))
    assert ">2024<" in years and ">1,700<" in years
    multi = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("claims", "a000"), ("claims", "a001")]))
    assert '<th scope="col" class="number">claims a000</th>' in _cells(figures.table_html(multi))


def test_a_reader_table_refuses_names_from_the_code_outside_code_columns():
    frame = pd.DataFrame({"share_pct": [38.0], "bound": ["lower_bound"], "name": ["usd_inr"]})
    with pytest.raises(ValueError, match="share_pct.*lower_bound"):
        figures.table(frame, code=["name"])
    ok = figures.table(
        frame.assign(bound="lower bound"), {"share_pct": "Share of world (%)", "name": "Parameter"}, code=["Parameter"]
    )
    html = _cells(ok._repr_html_())
    assert "<td><code>usd_inr</code></td>" in html and "Share of world (%)" in html
    assert "Share of world (%)" in repr(ok) and "38" in repr(ok)


def test_a_table_too_wide_for_a_phone_or_a_tablet_reads_as_cards_there_each_cell_named_by_its_column():
    prose = figures.table(pd.DataFrame({"Verdict": ["Holds"], "What was found": ["x " * 60], "Checks": [3]}))
    html = prose._repr_html_()
    assert html.startswith('<table class="dataframe cards">')
    assert '<td data-label="Verdict">Holds</td>' in html and '<td class="number" data-label="Checks">3</td>' in html
    short = figures.table(pd.DataFrame({"Country": ["China", "India"], "Reserves (Mt)": [44.0, 6.9]}))._repr_html_()
    assert short.startswith('<table class="dataframe">') and '<td data-label="Country">China</td>' in short
    many = pd.DataFrame({f"Verdict number {n}": [n * 1000] for n in range(12)}, index=pd.Index(["checks"], name="Kind"))
    assert figures.table_html(many).startswith('<table class="dataframe cards wide">')


@given(st.lists(st.text(alphabet="abc 1,.", max_size=30), min_size=1, max_size=6), st.integers(0, 40))
def test_a_wider_column_never_makes_a_table_fit(cells, extra):
    table = {"Column": cells}
    wider = {"Column": [cell + "x" * extra for cell in cells]}
    for characters in (figures.PHONE_CHARACTERS, figures.TABLET_CHARACTERS):
        assert figures.fits(table, characters) or not figures.fits(wider, characters)


def test_parameters_show_their_names_in_code_and_the_rest_in_words():
    from rare_earths.build import params

    html = figures.parameters(params.table(usd_inr=84.57))._repr_html_()
    assert '<td data-label="Parameter">The rupee–dollar rate</td>' in html
    assert (
        '<td data-label="Name in the code"><code>usd_inr</code></td>' in html
        and '<th scope="col">Parameter</th>' in html
    )
    assert not figures.SNAKE_CASE.search(html.replace("<code>usd_inr</code>", ""))


def bars():
    figures.setup()
    fig, ax = plt.subplots()
    ax.barh(["China", "India"], [44.0, 6.9])
    figures.label_bars(ax, "%")
    figures.title(ax, "China has more reserves than India, by the article's figures")
    return fig


def test_a_figure_is_the_same_svg_twice_with_text_as_text_no_png_and_its_alt():
    figures.setup()
    first, second = figures.svg(bars(), "A bar chart & its finding"), figures.svg(bars(), "A bar chart & its finding")
    assert first == second, "same figure, same bytes"
    assert "<text" in first and "image/png" not in first and "base64" not in first
    assert (
        'aria-label="A bar chart &amp; its finding"' in first
        and "<title>A bar chart &amp; its finding</title>" in first
    )
    assert "44%" in first and "6.9%" in first, "value labels on the bars"
    assert "Date" not in first and "Matplotlib v" not in first
    plt.close("all")


RESERVES = pd.DataFrame({"Country": ["China", "India"], "Reserves (Mt)": [44.0, 6.9]})


def test_show_displays_one_svg_with_its_alt_and_data_and_closes_the_figure(monkeypatch):
    figures.setup()
    shown = []
    monkeypatch.setattr(figures, "display", lambda *objects, **options: shown.append((objects, options)))
    fig = bars()
    figures.show(fig, "Horizontal bar chart of reserves: China 44 Mt, India 6.9 Mt.", data=RESERVES)
    ((objects, options),) = shown
    assert objects[0]._repr_svg_().startswith("<svg")
    assert options["metadata"] == {
        "image/svg+xml": {
            "alt": "Horizontal bar chart of reserves: China 44 Mt, India 6.9 Mt.",
            "csv": "Country,Reserves (Mt)\nChina,44.0\nIndia,6.9\n",
        }
    }
    assert not plt.fignum_exists(fig.number), "closed, so the inline backend adds no PNG"
    with pytest.raises(ValueError, match="alt text"):
        figures.show(bars(), " ", data=RESERVES)
    plt.close("all")


def test_labels_wrap_between_words_only():
    assert (
        figures.wrap("Indian auto sector magnet imports, FY2024-25") == "Indian auto sector\nmagnet imports,\nFY2024-25"
    )


def test_a_list_reads_as_a_sentence():
    from rare_earths import text

    assert [text.listing(items) for items in ([], ["Russia"], ["Russia", "Vietnam"], ["A", "B", "C"])] == [
        "",
        "Russia",
        "Russia and Vietnam",
        "A, B and C",
    ]


def test_a_table_can_give_each_row_an_address():
    frame = pd.DataFrame({"Claims": ["a000-01", "a000-02"], "Verdict": ["Holds", "Contradicted"]})
    shown = figures.table(frame, row_ids=["check-one", "check-two"])._repr_html_()
    assert '<tr id="check-one">' in shown and '<tr id="check-two">' in shown
    with pytest.raises(ValueError, match="1 row ids for 2 rows"):
        figures.table(frame, row_ids=["check-one"])._repr_html_()


def test_a_tables_claim_ids_lead_to_their_sentences_and_its_text_is_escaped():
    shown = _cells(
        figures.table_html(
            pd.DataFrame({"Claims a000-01": ["a000-01; a001-02 <b>&", "a0001 a000-1"], "Unit": ["a000-01", "t"]}),
            code=["Unit"],
        )
    )
    assert '<th scope="col">Claims <a href="article-a000.html#a000-01">a000-01</a></th>' in shown
    assert (
        '<td><a href="article-a000.html#a000-01">a000-01</a>; <a href="article-a001.html#a001-02">a001-02</a> '
        "&lt;b&gt;&amp;</td>"
    ) in shown
    assert "<td>a0001 a000-1</td>" in shown and "<td><code>a000-01</code></td>" in shown


# --- a chart's size: its text reads at 12 px or more on a 390 px phone ---------------------------------


def test_the_rule_gives_the_figures_width_and_a_text_size_that_reads_at_12_px_on_a_phone():
    svg_width_pt = (figures.FIGURE_WIDTH + 2 * figures.PAD) * 72  # a figure filled to its edges
    assert figures.TEXT_PT * figures.PHONE_PX / svg_width_pt >= figures.MIN_TEXT_PX
    assert figures.FIGSIZE[0] == figures.FIGURE_WIDTH == figures.size(7)[0]
    # drawn wider than the phone's column, never enlarged: on a desktop at its natural size
    assert figures.FIGURE_WIDTH * 96 > figures.PHONE_PX


def test_a_charts_text_is_measured_as_a_phones_column_scales_it():
    svg = '<svg width="600pt" height="300pt"><text style="font-size: 10px; fill: red">big &amp; small</text></svg>'
    assert figures.phone_text_px(svg) == [(pytest.approx(10 * 358 / 600), "big & small")]
    narrow = '<svg width="200pt" height="300pt"><text style="font-size: 10px">a</text></svg>'
    assert figures.phone_text_px(narrow) == [(pytest.approx(10 * 4 / 3), "a")], "never enlarged past its natural size"


def test_every_text_of_a_chart_drawn_by_the_rule_reads_at_12_px_on_a_phone():
    figures.setup()
    fig = bars()
    ax = fig.axes[0]
    ax.set(xlabel="reserves (Mt of rare-earth oxide)")
    sizes = figures.phone_text_px(figures.svg(fig, "Reserves"))
    assert sizes and min(px for px, _ in sizes) >= figures.MIN_TEXT_PX, sorted(sizes)[:3]
    plt.close("all")


def test_show_refuses_a_chart_whose_text_a_phone_would_shrink_under_12_px(monkeypatch):
    figures.setup()
    monkeypatch.setattr(figures, "display", lambda *objects, **options: None)
    fig, ax = plt.subplots(figsize=(8, 4))  # wider than the rule: scaled down on the phone
    ax.barh(["China", "India"], [44.0, 6.9])
    with pytest.raises(ValueError, match=r"under 12 px.*'China' at 1\d\.\d px|under 12 px"):
        figures.show(fig, "Reserves", data=RESERVES)
    fig, ax = plt.subplots()
    ax.barh(["China", "India"], [44.0, 6.9])
    ax.annotate("a footnote", (6.9, 1), fontsize=7)
    with pytest.raises(ValueError, match="'a footnote' at"):
        figures.show(fig, "Reserves", data=RESERVES)
    plt.close("all")


def test_a_legend_below_the_plot_takes_the_columns_that_fit_the_figures_width():
    figures.setup()
    frame = pd.DataFrame(
        {
            "country": ["China"] * 4,
            "value": [1.0, 2.0, 3.0, 4.0],
            "source": [f"a long name of source {n}" for n in range(4)],
        }
    )
    fig, ax = plt.subplots()
    sns.barplot(data=frame, y="country", x="value", hue="source", ax=ax)
    figures.legend_below(ax, title="source", columns=4)
    (legend,) = fig.legends
    fig.draw_without_rendering()
    assert legend.get_window_extent().width <= fig.bbox.width and legend._ncols < 4
    assert [text.get_text() for text in legend.get_texts()] == list(frame.source), "in the data's order"
    assert min(px for px, _ in figures.phone_text_px(figures.svg(fig, "x"))) >= figures.MIN_TEXT_PX
    plt.close("all")


def test_a_title_spans_the_figure_wrapped_to_fit():
    figures.setup()
    fig = bars()
    assert fig.get_suptitle() == "China has more reserves than India, by\nthe article's figures"
    assert all(len(line) <= figures.TITLE_WIDTH for line in fig.get_suptitle().splitlines())
    plt.close("all")


# --- a chart's data: exactly what it plots ------------------------------------------------------------

# Below the years a line is drawn over (2000...), so that a value is never also a year.
_VALUE = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False).filter(lambda value: abs(value) > 1e-3)


def _drawn(kind: str, values: list[float]) -> plt.Figure:
    fig, ax = plt.subplots()
    places = [f"place {n}" for n in range(len(values))]
    if kind == "bars":
        ax.barh(places, values)
    elif kind == "columns":
        ax.bar(places, values)
    elif kind == "line":
        ax.plot(range(2000, 2000 + len(values)), values)
    else:  # dots against categories, as a strip plot draws them
        ax.scatter(values, places)
    return fig


@given(st.sampled_from(["bars", "columns", "line", "dots"]), st.lists(_VALUE, min_size=1, max_size=8, unique=True))
def test_the_values_a_chart_plots_are_read_from_its_artists(kind, values):
    fig = _drawn(kind, values)
    found = sorted(figures.plotted_values(fig))
    expected = values + (list(range(2000, 2000 + len(values))) if kind == "line" else [])
    assert [figures._same(v) for v in found] == sorted(figures._same(v) for v in expected)
    plt.close(fig)


@given(
    st.sampled_from(["bars", "columns", "line", "dots"]),
    st.lists(_VALUE, min_size=2, max_size=8, unique_by=figures._same),
    st.data(),
)
def test_data_that_lack_any_plotted_value_are_refused_and_data_that_hold_them_all_are_not(kind, values, draw):
    fig = _drawn(kind, values)
    frame = pd.DataFrame({"Place": [f"place {n}" for n in range(len(values))], "Value (t)": values})
    if kind == "line":
        frame["Year"] = range(2000, 2000 + len(values))
    figures.check_data(fig, frame)
    figures.check_data(fig, frame.assign(**{"Another (t)": 1.5}))  # more than plotted is no lie
    dropped = draw.draw(st.integers(min_value=0, max_value=len(values) - 1))
    with pytest.raises(ValueError, match=r"lacks [12] of the values it plots"):  # a line's row: its value and year
        figures.check_data(fig, frame.drop(index=dropped))
    plt.close(fig)


def test_a_frame_missing_a_plotted_series_is_refused():
    fig, ax = plt.subplots()
    years = np.arange(2024, 2031)
    ax.fill_between(years, years * 0.5, years * 0.7, alpha=0.3)  # the band between the two: no datum
    ax.plot(years, years * 0.5)
    ax.plot(years, years * 0.7)
    ax.axvline(2026, linestyle="--")  # a reference line, no datum
    both = pd.DataFrame({"Year": years, "Low (kt)": years * 0.5, "High (kt)": years * 0.7})
    figures.check_data(fig, both)
    with pytest.raises(ValueError, match="lacks 7 of the values it plots"):
        figures.check_data(fig, both.drop(columns="High (kt)"))
    plt.close(fig)


def test_values_are_the_same_to_nine_significant_figures():
    fig, ax = plt.subplots()
    ax.bar(["a", "b"], [0.1 + 0.2, 2 / 3])
    figures.check_data(fig, pd.DataFrame({"Value": [0.3, 0.666666667]}))
    with pytest.raises(ValueError, match="0.666667"):
        figures.check_data(fig, pd.DataFrame({"Value": [0.3, 0.66666667]}))
    plt.close(fig)


def test_a_charts_data_are_words_with_units_numbers_unrounded_and_safe_in_a_spreadsheet():
    frame = pd.DataFrame({"Base": ["=SUM(A1)", "world total"], "Share (%)": [67.41573033707866, -1.5]})
    assert figures.chart_data(frame) == ("Base,Share (%)\n'=SUM(A1),67.41573033707866\nworld total,-1.5\n")
    named = pd.DataFrame({"Share (%)": [1.0]}, index=pd.Index(["China"], name="Country"))
    assert figures.chart_data(named) == "Country,Share (%)\nChina,1.0\n", "a named index is the first column"
    with pytest.raises(ValueError, match="share_pct"):
        figures.chart_data(frame.rename(columns={"Share (%)": "share_pct"}))
