"""How numbers and captions appear to readers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from rare_earths import figures  # noqa: E402


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (15400.0, "15,400"),
        (160000.0, "160,000"),
        (31.714617, "31.71"),
        (0.001875, "0.001875"),
        (2.0, "2"),
        (-1234.5, "-1,234"),
    ],
)
def test_table_numbers_are_readable_without_exponents(number, shown):
    assert figures.readable(number) == shown


def test_a_caption_ends_with_its_sorted_unique_claims():
    text = figures.caption_text(2, "Something computed.", ["a000-03", "a000-01", "a000-03"])
    assert text == "**Figure 2.** Something computed. Claims: a000-01; a000-03."


def test_every_verdict_has_its_own_colour():
    from rare_earths import vocabulary

    assert list(figures.VERDICT_COLOURS) == list(vocabulary.VERDICTS)
    assert len(set(figures.VERDICT_COLOURS.values())) == len(vocabulary.VERDICTS)


def test_tables_leave_out_a_positional_index_but_keep_a_named_one_as_a_column():
    positional = figures.table_html(pd.DataFrame({"country": ["China", "India"], "reserves_mt": [44.0, 6.9]}))
    assert ">0<" not in positional and '<th scope="col">country</th>' in positional and "<td>China</td>" in positional
    named = figures.table_html(
        pd.DataFrame({"checks": [9, 21]}, index=pd.Index(["recomputation", "cross source"], name="kind"))
    )
    assert "<td>recomputation</td>" in named and '<th scope="col">kind</th>' in named
    filtered = figures.table_html(pd.DataFrame({"country": ["China", "India", "Brazil"]}).iloc[[0, 2]])
    assert ">2<" not in filtered, "an unnamed index left by a filter says nothing"


def test_a_table_has_one_header_row_a_dash_for_missing_and_numbers_marked_and_readable():
    pivot = pd.DataFrame(
        {"a000": [1.0, float("nan")], "a001": [15400.0, 2.0]}, index=pd.Index(["x", "y"], name="Measure")
    )
    pivot.columns.name = "source_id"
    shown = figures.table_html(pivot)
    assert shown.count("<tr>") == 3 and "source_id" not in shown, "one header row, no column-axis name"
    assert "NaN" not in shown and f'<td class="number">{figures.MISSING}</td>' in shown
    assert '<td class="number">15,400</td>' in shown and '<th scope="col" class="number">a001</th>' in shown
    years = figures.table_html(pd.DataFrame({"Base year": [2024], "Tonnes": [1700]}))
    assert ">2024<" in years and ">1,700<" in years
    multi = pd.DataFrame([[1, 2]], columns=pd.MultiIndex.from_tuples([("claims", "a000"), ("claims", "a001")]))
    assert '<th scope="col" class="number">claims a000</th>' in figures.table_html(multi)


def test_a_reader_table_refuses_names_from_the_code_outside_code_columns():
    frame = pd.DataFrame({"share_pct": [38.0], "bound": ["lower_bound"], "name": ["usd_inr"]})
    with pytest.raises(ValueError, match="share_pct.*lower_bound"):
        figures.table(frame, code=["name"])
    ok = figures.table(
        frame.assign(bound="lower bound"), {"share_pct": "Share of world (%)", "name": "Parameter"}, code=["Parameter"]
    )
    html = ok._repr_html_()
    assert "<td><code>usd_inr</code></td>" in html and "Share of world (%)" in html
    assert "Share of world (%)" in repr(ok) and "38" in repr(ok)


def test_a_table_of_sentences_names_each_cell_by_its_column_for_a_phones_cards_and_one_of_numbers_does_not():
    prose = figures.table(pd.DataFrame({"Verdict": ["Holds"], "What was found": ["x " * 60], "Checks": [3]}))
    html = prose._repr_html_()
    assert html.startswith('<table class="dataframe prose">')
    assert '<td data-label="Verdict">Holds</td>' in html and '<td class="number" data-label="Checks">3</td>' in html
    short = figures.table(pd.DataFrame({"Country": ["China", "India"], "Reserves (Mt)": [44.0, 6.9]}))._repr_html_()
    assert short.startswith('<table class="dataframe">') and "data-label" not in short


def test_parameters_show_their_names_in_code_and_the_rest_in_words():
    from rare_earths.build import params

    html = figures.parameters(params.table(usd_inr=84.57))._repr_html_()
    assert '<td data-label="Parameter"><code>usd_inr</code></td>' in html and '<th scope="col">Parameter</th>' in html
    assert not figures.SNAKE_CASE.search(html.replace("<code>usd_inr</code>", ""))


def bars():
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


def test_show_displays_one_svg_with_its_alt_and_closes_the_figure(monkeypatch):
    shown = []
    monkeypatch.setattr(figures, "display", lambda *objects, **options: shown.append((objects, options)))
    fig = bars()
    figures.show(fig, "Horizontal bar chart of reserves: China 44 Mt, India 6.9 Mt.")
    ((objects, options),) = shown
    assert objects[0]._repr_svg_().startswith("<svg")
    assert options["metadata"] == {
        "image/svg+xml": {"alt": "Horizontal bar chart of reserves: China 44 Mt, India 6.9 Mt."}
    }
    assert not plt.fignum_exists(fig.number), "closed, so the inline backend adds no PNG"
    with pytest.raises(ValueError, match="alt text"):
        figures.show(bars(), " ")
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
    shown = figures.table_html(
        pd.DataFrame({"Claims a000-01": ["a000-01; a001-02 <b>&", "a0001 a000-1"], "Unit": ["a000-01", "t"]}),
        code=["Unit"],
    )
    assert '<th scope="col">Claims <a href="article-a000.html#a000-01">a000-01</a></th>' in shown
    assert (
        '<td><a href="article-a000.html#a000-01">a000-01</a>; <a href="article-a001.html#a001-02">a001-02</a> '
        "&lt;b&gt;&amp;</td>"
    ) in shown
    assert "<td>a0001 a000-1</td>" in shown and "<td><code>a000-01</code></td>" in shown
