"""Each chart of a notebook page with its two downloads: the data it plots, exactly as the notebook
recorded them (`figures.show(..., data=frame)`), and the chart as SVG, linked right under it."""

from __future__ import annotations

import html
import re

import nbformat
import pytest
from conftest import CHECKOUT

from rare_earths import figures
from rare_earths.build import chain
from rare_earths.site import notebooks, registry


def charts(name: str) -> list:
    return registry.chart_outputs(nbformat.read(CHECKOUT.notebooks / name, as_version=4))


def test_every_notebook_page_has_charts_and_the_site_declares_their_files():
    files = registry.chart_files(CHECKOUT.notebooks, chain.NOTEBOOKS)
    for name in chain.NOTEBOOKS:
        assert charts(name), f"{name} shows no chart"
    assert len(files) == 2 * sum(len(charts(name)) for name in chain.NOTEBOOKS)
    assert "04-demand-figure-1.csv" in files and "04-demand-figure-1.svg" in files


def test_each_charts_csv_is_the_data_its_notebook_recorded_and_its_svg_the_chart_shown(site):
    for name in chain.NOTEBOOKS:
        for number, output in enumerate(charts(name), start=1):
            chart = registry.chart_name(name, number)
            recorded = output.metadata["image/svg+xml"]["csv"]
            assert (site / f"{chart}.csv").read_text(encoding="utf-8") == recorded, f"{chart}.csv"
            assert (site / f"{chart}.svg").read_text(encoding="utf-8") == output.data["image/svg+xml"], f"{chart}.svg"
            header = recorded.splitlines()[0]
            assert not figures.SNAKE_CASE.search(header), f"{chart}.csv: names from the code in its header: {header}"


def test_the_demand_path_is_offered_as_plotted_year_by_year(site):
    lines = (site / "04-demand-figure-1.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        'Year,"Demand as the article states it, to the low end (kt)","Demand as the article states it, to the high end (kt)"'
    )
    assert [line.split(",")[0] for line in lines[1:]] == [str(year) for year in range(2024, 2051)]


def test_every_chart_has_both_links_right_under_it(site):
    for name in chain.NOTEBOOKS:
        page = (site / registry.notebook_page(name)).read_text(encoding="utf-8")
        shown = re.findall(r'<figure class="chart[^"]*">(.*?)</figure>', page, flags=re.S)
        assert len(shown) == len(charts(name)), f"{registry.notebook_page(name)}: {len(shown)} charts shown"
        for number, figure in enumerate(shown, start=1):
            chart = registry.chart_name(name, number)
            after = figure.split("</svg>", 1)[1]
            links = dict(
                (html.unescape(words), href)
                for href, words in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', after)
            )
            assert links == {
                registry.CHART_DOWNLOADS["csv"]: f"{chart}.csv",
                registry.CHART_DOWNLOADS["svg"]: f"{chart}.svg",
            }, f"{registry.notebook_page(name)}, chart {number}: {links}"


def test_a_chart_without_its_data_is_refused():
    notebook = nbformat.read(CHECKOUT.notebooks / "04-demand.ipynb", as_version=4)
    del registry.chart_outputs(notebook)[1].metadata["image/svg+xml"]["csv"]
    with pytest.raises(ValueError, match="04-demand.ipynb: chart 2 has no data recorded"):
        notebooks.chart_downloads("04-demand.ipynb", notebook)
