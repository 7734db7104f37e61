"""The readers' site as its files say it: every page in the one layout, each claim id a link to its
sentence, each claim's standing, the downloads, and the same bytes on every rendering. (The
browser test opens the pages; these read the files.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rare_earths import audit, chain, claims, layout, params, paths, report, standing


def committed(name: str) -> nbformat.NotebookNode:
    return nbformat.read(paths.NOTEBOOKS / name, as_version=4)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The committed notebooks (executed with the defaults) rendered as the chain renders them."""
    html_dir = tmp_path_factory.mktemp("html")
    report.render(paths.NOTEBOOKS, html_dir)
    return html_dir


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


# --- the pages ---------------------------------------------------------------------------------------


def test_the_site_is_exactly_its_declared_files(site):
    assert sorted(path.name for path in site.iterdir()) == sorted(paths.site_files(chain.NOTEBOOKS))


def test_two_renderings_give_the_same_bytes(site, tmp_path):
    report.render(paths.NOTEBOOKS, tmp_path)
    for path in site.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs between two renderings"


def test_every_page_is_in_the_one_layout_and_loads_nothing_from_the_network(site):
    for name in paths.page_files(chain.NOTEBOOKS):
        page = read(site, name)
        outside_charts = re.sub(
            r"<svg\b.*?</svg>", "", page, flags=re.S
        )  # a chart's SVG carries its own drawing styles
        assert page.count('<link rel="stylesheet" href="site.css">') == 1 and "<style" not in outside_charts, (
            f"{name}: styles not from the one sheet"
        )
        assert page.count("<h1>") == 1, f"{name}: not one <h1>"
        for href in ("index.html", "claims.html", "method.html"):
            assert f'href="{href}"' in page, f"{name} does not link {href}"
        assert '<footer class="site-footer">' in page and "Cite this" in page, f"{name}: no footer"
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(https?:)?//", page), (
            f"{name} loads from the network"
        )


def test_the_downloads_are_the_processed_tables_as_they_are(site):
    for path in paths.DOWNLOADS:
        assert (site / path.name).read_bytes() == path.read_bytes()
    index = read(site, "index.html")
    for path in paths.DOWNLOADS:
        assert f'<a href="{path.name}" download>' in index


def test_the_index_leads_with_the_bottom_line_then_links_every_page(site):
    index = read(site, "index.html")
    table = audit.load()
    counted = standing.counts(standing.standing(table, claims.load().claim_id))
    line = re.search(r'<p class="bottom-line">(.*?)</p>', index, re.S).group(1)
    assert f"<strong>{counted['holds']} hold up</strong>" in line
    assert f"<strong>{counted['does not hold']} do not</strong>" in line
    assert f"<strong>{counted['not checked']} could not be checked</strong>" in line
    assert index.index('class="bottom-line"') < index.index('id="by-article"') < index.index('id="reports"')
    for name in chain.NOTEBOOKS:
        page = report.describe(committed(name), name)
        assert f'href="{page.href}"' in index and html.escape(page.summary) in index
    for source_id in paths.source_ids():
        assert f'href="{paths.article_page(source_id)}"' in index
    assert "<code>usd_inr</code>" in index


def test_each_articles_bar_adds_up_to_its_claims(site):
    index = read(site, "index.html")
    table = claims.load()
    for source_id in paths.source_ids():
        row = re.search(
            rf'<a href="{paths.article_page(source_id)}">[^<]*</a></th><td class="number">(\d+)</td>.*?'
            r'<span class="bar-words">(\d+) hold up, (\d+) do not hold, (\d+) could not be checked</span>',
            index,
            re.S,
        )
        assert row, f"no bar for {source_id}"
        total, *parts = map(int, row.groups())
        assert total == (table.source_id == source_id).sum() == sum(parts)


def test_the_claims_explorer_gives_every_claim_its_verdicts_and_standing(site):
    explorer = read(site, "claims.html")
    table, checks = claims.load(), audit.load()
    standings = standing.standing(checks, table.claim_id)
    rows = re.findall(
        r'<tr id="claim-([^"]+)" data-article="([^"]+)" data-status="([^"]+)" data-verdicts="([^"]*)">', explorer
    )
    assert [row[0] for row in rows] == list(table.claim_id)
    for claim_id, article, status, verdicts in rows:
        assert article == claim_id[:4] and status == standings[claim_id]
        expected = {
            row.verdict
            for row in checks.itertuples()
            if claim_id in standing.judged(row.check_id, row.kind, row.claim_ids, row.verdict)
        }
        assert set(verdicts.split()) == expected, f"{claim_id}: verdicts"
        assert expected or status == "not checked", f"{claim_id} stands without a check that judges it"
    for control in ("claims-search", "claims-article", "claims-status", "claims-verdict"):
        assert f'id="{control}"' in explorer
    row = table.loc[table.claim_id == "a002-12"].iloc[0]
    assert html.escape(row.quote) in explorer


def test_the_method_page_gives_pipeline_units_parameters_and_sources(site):
    method = read(site, "method.html")
    for section in ('id="pipeline"', 'id="units"', 'id="parameters"', 'id="sources"'):
        assert section in method
    for name, spec in params.specs().items():
        assert f"<code>{name}</code>" in method and html.escape(str(spec["source"])) in method
    assert "doi.org/10.3133/mcs2024" in method and 'id="source-a000"' in method


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_a_notebook_page_keeps_its_code_behind_a_button_and_states_its_parameters(site, name):
    page = read(site, Path(name).with_suffix(".html").name)
    assert "hl-ipython3" in page, "the code is not in the page"
    assert re.search(r'<button [^>]*class="code-toggle"[^>]*>Show code</button>', page), "no Show code button"
    assert "body:not(.show-code) .jp-CodeCell .jp-Cell-inputWrapper { display: none; }" in read(site, "site.css")
    ran_with = chain.ran_with(committed(name))
    for parameter, value in ran_with.items():
        assert f"<code>{parameter}</code> = {html.escape(str(value))}" in page


def test_reports_and_articles_link_to_their_neighbours(site):
    sequences = [
        [Path(name).with_suffix(".html").name for name in chain.NOTEBOOKS],
        [paths.article_page(source_id) for source_id in paths.source_ids()],
    ]
    for sequence in sequences:
        for position, name in enumerate(sequence):
            page = read(site, name)
            if position > 0:
                assert f'href="{sequence[position - 1]}" rel="prev"' in page, f"{name}: no link to the previous page"
            if position + 1 < len(sequence):
                assert f'href="{sequence[position + 1]}" rel="next"' in page, f"{name}: no link to the next page"


def test_every_claim_id_in_a_pages_text_is_a_link_to_its_sentence(site):
    known = set(claims.load().claim_id)
    for name in paths.page_files(chain.NOTEBOOKS):
        page = read(site, name)
        text = re.sub(r"<(a|script|style|svg|pre|code|textarea|title)\b.*?</\1\s*>", "", page, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
        bare = sorted({claim for claim in layout.CLAIM_ID.findall(text)} & {tuple(c.split("-")) for c in known})
        assert not bare, f"{name}: claim ids left as plain text: {bare[:5]}"
        for claim_id in re.findall(r'<a href="article-a\d{3}\.html#(a\d{3}-\d{2})">', page):
            assert claim_id in known


# --- the layout's parts --------------------------------------------------------------------------------


def test_claim_ids_become_links_in_text_only():
    page = (
        '<p title="a000-01">See a000-01 and a001-02; a009-99 is unknown.</p><a href="x">a000-01</a>'
        "<script>var id = 'a000-01';</script><svg><text>a000-01</text></svg><code>a000-01</code>"
    )
    linked = layout.link_claims(page, {"a000-01", "a001-02"})
    assert linked.count('<a href="article-a00') == 2
    assert '<a href="article-a000.html#a000-01">a000-01</a>' in linked
    assert '<a href="article-a001.html#a001-02">a001-02</a>' in linked
    assert 'title="a000-01"' in linked and "a009-99 is unknown" in linked
    assert "var id = 'a000-01'" in linked and "<text>a000-01</text>" in linked and "<code>a000-01</code>" in linked


def test_an_article_id_in_text_becomes_its_name():
    class Name:
        short = "A Publisher"

    linked = layout.link_claims("<p>as a000 says (a000-01)</p>", {"a000-01"}, {"a000": Name()})
    assert '<a href="article-a000.html">A Publisher</a> says' in linked
    assert '<a href="article-a000.html#a000-01">a000-01</a>' in linked


def test_tables_scroll_in_their_own_box_and_long_pages_get_contents():
    wrapped = layout.wrap_tables("<p>x</p><table><tr><td>1</td></tr></table>")
    assert wrapped.startswith('<p>x</p><div class="table-wrap" role="region"') and 'tabindex="0"' in wrapped
    body = "".join(f'<h2 id="s{n}">Section {n}<a class="anchor-link" href="#s{n}">¶</a></h2>' for n in range(3))
    contents = layout.contents(body)
    assert [f'href="#s{n}"' in contents for n in range(3)] == [True] * 3 and "¶" not in contents
    assert layout.contents(body[: body.index('<h2 id="s2"')]) == "", "a short page needs no contents"


# --- standing ---------------------------------------------------------------------------------------------


def check(check_id: str, verdict: str, claim_ids: str, kind: str = "recomputation") -> dict:
    return {"check_id": check_id, "kind": kind, "claim_ids": claim_ids, "verdict": verdict}


def test_a_failing_check_blames_its_subject_and_a_holding_one_backs_its_inputs():
    checks = pd.DataFrame(
        [
            check("share_of_whole:a000-03", "contradicted", "a000-01; a000-02; a000-03"),
            check("share_of_whole:a000-06", "consistent", "a000-04; a000-05; a000-06"),
        ]
    )
    found = standing.standing(checks, [f"a000-0{n}" for n in range(1, 8)])
    assert found["a000-03"] == "does not hold" and found["a000-01"] == found["a000-02"] == "not checked"
    assert found["a000-04"] == found["a000-05"] == found["a000-06"] == "holds"
    assert found["a000-07"] == "not checked"


def test_a_dropped_hedge_blames_the_restatement_and_a_clash_of_dates_both():
    checks = pd.DataFrame(
        [
            check("dropped_hedge:a000-01", "hedge_dropped", "a000-01; a000-02", "cross_source"),
            check("same_figure:a000-03", "date_conflict", "a000-03; a001-01", "cross_source"),
        ]
    )
    found = standing.standing(checks, ["a000-01", "a000-02", "a000-03", "a001-01"])
    assert found == {
        "a000-01": "not checked",
        "a000-02": "does not hold",
        "a000-03": "does not hold",
        "a001-01": "does not hold",
    }


def test_every_verdict_has_one_group():
    from rare_earths import metadata

    assert sorted(verdict for verdicts in standing.GROUPS.values() for verdict in verdicts) == sorted(metadata.VERDICTS)


verdicts = st.sampled_from([verdict for group in standing.GROUPS.values() for verdict in group])


@given(st.lists(verdicts, min_size=1, max_size=6), verdicts)
def test_one_more_check_never_lifts_a_claim_that_does_not_hold(found, extra):
    rows = [check(f"rule{n}:a000-01", verdict, "a000-01") for n, verdict in enumerate(found)]
    before = standing.standing(pd.DataFrame(rows), ["a000-01"])["a000-01"]
    after = standing.standing(pd.DataFrame([*rows, check("extra:a000-01", extra, "a000-01")]), ["a000-01"])["a000-01"]
    assert standing.PRECEDENCE.index(after) <= standing.PRECEDENCE.index(before) or before == "not checked"
    if before == "does not hold":
        assert after == "does not hold"


def test_the_real_audit_gives_every_claim_a_standing():
    table = claims.load()
    found = standing.standing(audit.load(), table.claim_id)
    assert set(found) == set(table.claim_id) and set(found.values()) <= set(standing.PRECEDENCE)


def test_each_check_is_published_once_as_a_claim_review_whose_address_resolves(site):
    import json

    page = read(site, report.AUDIT_NOTEBOOK.replace(".ipynb", ".html"))
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    reviews = [review for block in blocks for review in json.loads(block)]
    checks = audit.load()
    assert len(reviews) == len(checks)
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] and review["author"]["name"] and review["reviewRating"]["alternateName"]
        page_name, anchor = review["url"].split("#")
        assert page_name == report.AUDIT_NOTEBOOK.replace(".ipynb", ".html") and f'id="{anchor}"' in page
    assert len({review["url"] for review in reviews}) == len(reviews)


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_charts_are_inline_vector_graphics_that_say_what_they_show(site, name):
    page = read(site, Path(name).with_suffix(".html").name)
    charts = re.findall(r"<svg\b[^>]*>", page)
    assert "data:image/png" not in page, "a chart is a bitmap"
    for tag in charts:
        label = re.search(r'aria-label="([^"]+)"', tag)
        assert 'role="img"' in tag and label and len(label.group(1)) > 20, f"a chart without a description: {tag[:200]}"


def test_every_page_weighs_less_than_the_target(site):
    weights = report.page_weights(site)
    assert set(weights) == set(paths.page_files(chain.NOTEBOOKS))
    heavy = {name: weight for name, weight in weights.items() if weight > report.PAGE_WEIGHT_TARGET}
    assert not heavy, f"over {report.PAGE_WEIGHT_TARGET // 1024} KB with the stylesheet: {heavy}"


def test_the_sensitivity_page_names_for_each_moving_result_the_parameter_that_moves_it_most(site):
    from rare_earths import params, sensitivity
    from rare_earths import results as recorded

    sweep_csv = paths.SWEEP / "results.csv"
    if not sweep_csv.is_file():
        pytest.fail(
            f"{paths.relative(sweep_csv)} is missing: `make reports` runs the default sweep (`make test` does)",
            pytrace=False,
        )
    page = read(site, paths.SENSITIVITY_PAGE[0])
    specs = params.specs()
    found = sensitivity.results(recorded.read(sweep_csv), {name: spec["default"] for name, spec in specs.items()})
    moving = [result for result in found if result.moved_by is not None]
    assert moving, "no result moves across the default sweep"
    for result in moving:
        figure = re.search(
            rf'<figure class="sensitivity" id="{result.notebook[:-6]}-{result.name}">(.*?)</figure>', page, re.S
        )
        assert figure, f"no chart for {result.notebook} {result.name}"
        label = specs[result.moved_by.parameter]["label"]
        assert f"{label[:1].upper()}{label[1:]} moves it most" in html.unescape(figure.group(1))
        assert figure.group(1).count('<span class="swing"') == len(result.swings)
    for result in found:
        assert html.escape(result.label) in page


def test_a_build_that_skipped_the_sweep_shows_none_on_the_sensitivity_page(tmp_path):
    report.render(paths.NOTEBOOKS, tmp_path, swept=False)
    page = read(tmp_path, paths.SENSITIVITY_PAGE[0])
    assert "did not run the sensitivity sweep" in page and 'class="sensitivity"' not in page
