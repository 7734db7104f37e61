"""The readers' site as its files say it: every page in the one layout, each claim id a link to its
sentence, each claim's standing, the downloads, and the same bytes on every rendering. (The
browser test opens the pages; these read the files.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
import pytest
from conftest import CHECKOUT
from markupsafe import Markup

from rare_earths import audit, figures, text, vocabulary
from rare_earths import project as project_module
from rare_earths.audit import views
from rare_earths.audit.usgs import current_editions
from rare_earths.build import chain, params, reader, results
from rare_earths.data import claims, provenance
from rare_earths.site import abbreviations, claimreview, layout, notebooks, registry, report, standing


def committed(name: str) -> nbformat.NotebookNode:
    return nbformat.read(CHECKOUT.notebooks / name, as_version=4)


def read(site: Path, name: str) -> str:
    return (site / name).read_text(encoding="utf-8")


# --- the pages ---------------------------------------------------------------------------------------


def test_the_site_is_exactly_its_declared_files(site):
    assert sorted(path.name for path in site.iterdir()) == sorted(
        registry.site_files(
            chain.NOTEBOOKS,
            registry.source_ids(CHECKOUT.sources_csv),
            CHECKOUT.downloads,
            registry.chart_files(CHECKOUT.notebooks, chain.NOTEBOOKS),
        )
    )


def test_every_registered_page_is_reached_by_links_from_the_index(site):
    """A registered page no chain of links from index.html reaches: give it a `summary` (the index
    lists it), a `nav` entry, or a link from a page that is reached."""
    reached, waiting = {registry.INDEX}, [registry.INDEX]
    while waiting:
        for href in re.findall(r'<a [^>]*href="([^"#]*)[^"]*"', read(site, waiting.pop())):
            name = html.unescape(href)
            if name.endswith(".html") and (site / name).is_file() and name not in reached:
                reached.add(name)
                waiting.append(name)
    unreached = sorted(set(registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv))) - reached)
    assert not unreached, f"registered pages no link from {registry.INDEX} leads to: {unreached}"


def test_every_page_written_is_registered(site):
    """A page in the site that `registry.PAGES` does not list: register it (an `Entry`), so the
    navigation, the index and the build's manifest know it."""
    registered = set(registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv)))
    stray = sorted(path.name for path in site.glob("*.html") if path.name not in registered)
    assert not stray, f"pages written that registry.PAGES does not list: {stray}"


def test_a_builder_that_writes_an_unregistered_page_is_refused(monkeypatch, tmp_path):
    def index_and_more(render):
        return {registry.INDEX: "<p>index</p>", "stray.html": "<p>stray</p>"}

    monkeypatch.setattr(
        registry, "PAGES", (registry.Entry("index", "Index", "Overview", index_and_more, file=registry.INDEX),)
    )
    with pytest.raises(report.UnregisteredPage, match="stray.html"):
        report.render(CHECKOUT, CHECKOUT.notebooks, tmp_path, names=chain.NOTEBOOKS[:1])
    assert not (tmp_path / "stray.html").exists()


def test_the_navigation_is_the_registry_in_its_order(site):
    expected = [(entry.href, entry.nav) for entry in registry.PAGES]
    for name in registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv)):
        nav = read(site, name).split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
        assert re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', nav) == expected, name


def test_two_renderings_give_the_same_bytes(site, tmp_path, monkeypatch):
    monkeypatch.delenv(project_module.SITE_URL_VARIABLE, raising=False)  # as `site` was rendered
    report.render(CHECKOUT, CHECKOUT.notebooks, tmp_path)
    for path in site.iterdir():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs between two renderings"


def test_every_page_is_in_the_one_layout_and_loads_nothing_from_the_network(site):
    for name in registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv)):
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


def test_a_downloaded_text_cell_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not(tmp_path):
    import csv

    from rare_earths.data import schemas, tables

    rows = list(csv.DictReader(CHECKOUT.processed_claims_csv.open(encoding="utf-8", newline="")))
    rows[0]["note"] = '=HYPERLINK("http://example.com","click")'
    rows[1]["note"] = "@SUM(A1:A2)"
    rows[2]["value_low"] = "-5.2"  # a number, not a formula
    planted = tmp_path / "claims.csv"
    with planted.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    safe = list(csv.DictReader(tables.for_spreadsheets(schemas.CLAIMS, planted).splitlines()))
    assert safe[0]["note"] == "'" + rows[0]["note"] and safe[1]["note"] == "'@SUM(A1:A2)"
    assert safe[2]["value_low"] == "-5.2"
    assert [row for row in safe[3:]] == rows[3:]


def test_the_downloads_are_the_processed_tables_as_they_are(site):
    for path in CHECKOUT.downloads:
        assert (site / path.name).read_bytes() == path.read_bytes()
    index = read(site, "index.html")
    for path in CHECKOUT.downloads:
        assert f'<a href="{path.name}" download>' in index


def test_the_index_leads_with_the_bottom_line_then_links_every_page(site):
    index = abbreviations.taken_out(read(site, "index.html"))
    counted = audit.conclusions.counts(audit.conclusions.load())
    line = " ".join(re.search(r'<p class="bottom-line">(.*?)</p>', index, re.S).group(1).split())
    assert f"Of the {sum(counted.values())} claims" in line
    assert f"<strong>{counted['confirmed']} are confirmed</strong> by primary data or an independent article" in line
    assert f"<strong>{counted['consistent']} are consistent but not independently confirmed</strong>" in line
    assert f"<strong>{counted['does_not_hold']} do not hold</strong>" in line
    assert f"<strong>{counted['unchecked']} could not be checked</strong>" in line
    assert index.index('class="bottom-line"') < index.index('id="by-article"') < index.index('id="reports"')
    for name in chain.NOTEBOOKS:
        page = report.describe(committed(name), name)
        assert f'href="{page.href}"' in index and html.escape(page.summary) in index
    for source_id in registry.source_ids(CHECKOUT.sources_csv):
        assert f'href="{registry.article_page(source_id)}"' in index
    # The run's parameters by the words readers know them by (params.yaml's labels), not their names.
    for name, spec in params.specs().items():
        assert f'<th scope="row">{html.escape(spec["label"])}</th>' in index and f"<code>{name}</code>" not in index


def test_the_findings_say_why_their_claims_add_up_to_more_than_the_claims_that_do_not_hold(site):
    """A claim is listed under each failing verdict a check of it found; the bottom line counts it
    once. The sums differ, and the page says why, with the bottom line's count."""
    index = " ".join(abbreviations.taken_out(read(site, "index.html")).split())
    counted = audit.conclusions.counts(audit.conclusions.load())
    failing = {verdict.label for verdict in vocabulary.VERDICTS.values() if verdict.says == "fails"}
    headings = re.findall(
        r'<h3 id="[^"]*"><span class="verdict[^"]*">([^<]+)</span> \(\d+ findings? on (\d+) claims?\)', index
    )
    assert headings, "no finding's heading counts its claims"
    listed = sum(int(claims_) for label, claims_ in headings if label in failing)
    assert listed >= counted["does_not_hold"]
    assert f"the {counted['does_not_hold']} that do not hold, above, count each claim once" in index
    assert "the claims under Ambiguous are not among them" in index
    # What the page says holds: the claims under the failing headings are those that do not hold.
    checks, concluded = audit.load(), audit.conclusions.load()
    failing_checks = checks[checks.verdict.isin(vocabulary.FAILING_VERDICTS)]
    judged = set(failing_checks.judges.str.split("; ").explode())
    assert judged == set(concluded.claim_id[concluded.standing == "does_not_hold"])


def test_each_articles_bar_adds_up_to_its_claims(site):
    index = read(site, "index.html")
    table, concluded = claims.load(), audit.conclusions.load()
    for source_id in registry.source_ids(CHECKOUT.sources_csv):
        row = re.search(
            rf'<a href="{registry.article_page(source_id)}">[^<]*</a>(?: <span class="publisher">[^<]*</span>)?</th><td class="number" data-label="Claims">(\d+)</td>.*?'
            r'<span class="bar-words">([^<]*)</span>',
            index,
            re.S,
        )
        assert row, f"no bar for {source_id}"
        parts = [int(n) for n in re.findall(r"(\d+) ", row.group(2))]
        own = concluded[concluded.source_id == source_id]
        assert int(row.group(1)) == (table.source_id == source_id).sum() == sum(parts) == len(own)
        for standing_name, count in audit.conclusions.counts(own).items():
            if count:
                assert standing.counted(standing_name, count) in row.group(2)


def test_the_claims_explorer_gives_every_claim_its_verdicts_and_standing(site):
    explorer = read(site, "claims.html")
    table, checks = claims.load(), audit.load()
    concluded = audit.conclusions.load()
    standings = dict(zip(concluded.claim_id, concluded.standing, strict=True))
    deciding = dict(zip(concluded.claim_id, concluded.verdict, strict=True))
    rows = re.findall(
        r'<tr id="claim-([^"]+)" data-article="([^"]+)" data-status="([^"]+)" data-verdicts="([^"]*)">', explorer
    )
    assert [row[0] for row in rows] == list(table.claim_id)
    for claim_id, article, status, verdicts in rows:
        assert article == claim_id[:4] and status == standings[claim_id]
        judged = {row.verdict for row in checks.itertuples() if claim_id in row.judges.split("; ")}
        assert judged, f"{claim_id} stands without a check that judges it"
        assert verdicts == deciding[claim_id] and verdicts in judged, f"{claim_id}: its deciding verdict"
    options = set(
        re.findall(r'<option value="([a-z_]+)">', explorer.split('id="claims-verdict"')[1].split("</select>")[0])
    )
    assert options == set(deciding.values())  # no option that finds nothing
    for control in ("claims-search", "claims-article", "claims-status", "claims-verdict"):
        assert f'id="{control}"' in explorer
    row = table.loc[table.claim_id == "a002-12"].iloc[0]
    assert html.escape(row.quote) in explorer


def test_the_method_page_gives_pipeline_units_parameters_and_sources(site):
    method = read(site, "method.html")
    for section in ('id="pipeline"', 'id="units"', 'id="parameters"', 'id="sources"'):
        assert section in method
    for spec in params.specs().values():  # by their labels, not their names in the code
        label = spec["label"][:1].upper() + spec["label"][1:]
        assert f'<th scope="row">{html.escape(label)}</th>' in method and html.escape(str(spec["source"])) in method
    assert "doi.org/10.3133/mcs2024" in method and 'id="source-a000"' in method


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_a_notebook_page_keeps_its_code_behind_a_button_and_states_its_parameters(site, name):
    page = read(site, Path(name).with_suffix(".html").name)
    # Every code cell's source is in the page, whole, as plain escaped text (nothing colours it).
    code = [cell.source for cell in committed(name).cells if cell.cell_type == "code"]
    shown = [
        html.unescape(block) for block in re.findall(r'<div class="highlight"><pre[^>]*>(.*?)</pre></div>', page, re.S)
    ]
    assert [block.rstrip("\n") for block in shown] == [source.rstrip("\n") for source in code], (
        "the code is not in the page"
    )
    assert re.search(r'<button [^>]*class="code-toggle"[^>]*>Show code</button>', page), "no Show code button"
    assert "body:not(.show-code) .jp-CodeCell .jp-Cell-inputWrapper { display: none; }" in read(site, "site.css")
    ran_with = reader.ran_with(committed(name))
    for parameter, value in ran_with.items():
        assert f"<code>{parameter}</code> = {html.escape(str(value))}" in page


@pytest.mark.parametrize("name", chain.NOTEBOOKS)
def test_a_notebook_page_opens_on_its_key_results_before_how_they_are_worked_out(site, name):
    page = abbreviations.taken_out(read(site, Path(name).with_suffix(".html").name))  # "USD", as recorded
    recorded = results.collect(committed(name))
    assert recorded, f"{name} records no key result"
    box = re.search(r'<section class="key-results-box"[^>]*>(.*?)</section>', page, re.S)
    assert box, f"{name}: no key results box"
    assert box.start() < page.index('class="code-toggle"') < page.index('class="jp-Cell '), (
        f"{name}: the key results do not come before the notebook's cells"
    )
    items = re.findall(r"<dt>(.*?)</dt>\s*<dd><strong>(.*?)</strong>\. ", box.group(1))
    assert [(html.unescape(label), html.unescape(value)) for label, value in items] == [
        (record["label"], results.shown(record)) for record in recorded
    ]
    for record in recorded:
        for claim_id in record["claims"]:
            assert f'#{claim_id}">{claim_id}</a>' in box.group(1), f"{name}: {record['name']} does not link {claim_id}"


def test_each_article_page_says_when_the_article_is_dated_and_what_its_figures_are_judged_against(site):
    sources = provenance.load_sources(CHECKOUT.sources_csv, CHECKOUT.articles)
    editions = current_editions(sources, provenance.load_references(CHECKOUT.references_csv, CHECKOUT.reference))
    for row in sources.itertuples():
        page = abbreviations.taken_out(read(site, registry.article_page(row.source_id)))
        lede = html.unescape(" ".join(re.search(r'<p class="lede">(.*?)</p>', page, re.S).group(1).split()))
        assert (
            f"Dated {text.date_words(row.date)};" if row.date else "It states no date; its figures are judged as of"
        ) in lede, lede
        assert text.date_words(row.as_of) in lede and lede.endswith(f": {editions[row.source_id]}."), lede


def test_reports_and_articles_link_to_their_neighbours(site):
    sequences = [
        [Path(name).with_suffix(".html").name for name in chain.NOTEBOOKS],
        [registry.article_page(source_id) for source_id in registry.source_ids(CHECKOUT.sources_csv)],
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
    for name in registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv)):
        page = read(site, name)
        text = re.sub(r"<(a|script|style|svg|pre|code|textarea|title)\b.*?</\1\s*>", "", page, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text)
        bare = sorted({claim for claim in layout.CLAIM_ID.findall(text)} & {tuple(c.split("-")) for c in known})
        assert not bare, f"{name}: claim ids left as plain text: {bare[:5]}"
        for article, claim_id in re.findall(r'<a href="(article-a\d{3}\.html)?#(a\d{3}-\d{2})">', page):
            assert claim_id in known
            assert article or name == registry.article_page(claim_id[:4]), "a fragment alone only on its own page"


def test_every_page_with_its_stylesheet_is_under_the_page_weight_target(site):
    """What a reader on a phone downloads for one page. The pages that grow with the sources are
    split by article (each article's claims and checks on its own page); the audit page counts and
    links rather than lists every claim and check."""
    heavy = {
        name: weight for name, weight in registry.page_weights(site).items() if weight > registry.PAGE_WEIGHT_TARGET
    }
    assert not heavy, f"pages over {registry.PAGE_WEIGHT_TARGET // 1024} KB with their stylesheet: " + ", ".join(
        f"{name} {weight // 1024} KB" for name, weight in heavy.items()
    )


def test_each_check_has_one_address_in_the_card_of_a_claim_it_judges_and_every_link_to_it_lands(site):
    checks = audit.load()
    pages = {
        name: read(site, name)
        for name in registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv))
    }
    anchors = {}
    for name, page in pages.items():
        for anchor in re.findall(r'<li id="(check-[^"]+)"', page):
            assert anchor not in anchors, f"{anchor} on {anchors.get(anchor)} and {name}"
            anchors[anchor] = name
    for check in checks.itertuples():
        home = (check.judges.split("; ") if check.judges else check.claim_ids.split("; "))[0]
        assert anchors.get(claimreview.check_anchor(check.check_id)) == registry.article_page(home[:4]), check.check_id
    for name, page in pages.items():
        for target, anchor in re.findall(r'href="([^"#]*)#(check-[^"]+)"', page):
            assert anchors.get(anchor) == (target or name), f"{name}: a link to {target}#{anchor} lands nowhere"


# --- the layout's parts --------------------------------------------------------------------------------


KNOWN = layout.Links(frozenset({"a000-01", "a001-02"}))


def page_of(template: str, links: layout.Links = KNOWN, **context) -> str:
    """`template`, written in the site's environment with the claims and articles of `links`."""
    return layout.environment().from_string(template).render(claim_links=links, **context)


def test_claim_ids_become_links_in_text_only():
    linked = page_of(
        '<p title="{{ claim }}">{{ words | claims }}</p><a href="x">{{ claim }}</a>'
        "<script>var id = '{{ claim }}';</script><svg><text>{{ claim }}</text></svg><code>{{ claim }}</code>",
        words="See a000-01 and a001-02; a009-99 is unknown.",
        claim="a000-01",
    )
    assert linked.count('<a href="article-a00') == 2
    assert '<a href="article-a000.html#a000-01">a000-01</a>' in linked
    assert '<a href="article-a001.html#a001-02">a001-02</a>' in linked
    assert 'title="a000-01"' in linked and "a009-99 is unknown" in linked
    assert "var id = 'a000-01'" in linked and "<text>a000-01</text>" in linked and "<code>a000-01</code>" in linked


class Name:
    short = "A Publisher"


def test_an_article_id_in_text_becomes_its_name():
    linked = layout.Links(frozenset({"a000-01"}), {"a000": Name()})("as a000 says (a000-01)")
    assert '<a href="article-a000.html">A Publisher</a> says' in linked
    assert '<a href="article-a000.html#a000-01">a000-01</a>' in linked


def test_linked_text_is_escaped_and_the_filter_takes_no_html():
    class Hostile:
        short = '<img src=x onerror="alert(1)">'

    links = layout.Links(frozenset({"a000-01"}), {"a000": Hostile()})
    linked = page_of("<p>{{ words | claims }}</p>", links, words="<script>alert(1)</script> & a000's a000-01 'quoted'")
    assert "<script>" not in linked and "<img" not in linked
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in linked and "&#x27;quoted&#x27;" in linked
    assert '<a href="article-a000.html">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</a>&#x27;s' in linked
    bare = page_of("<p>{{ words | claims(quote=False) }}</p>", links, words="<b>a000-01's</b>")
    assert bare == '<p>&lt;b&gt;<a href="article-a000.html#a000-01">a000-01</a>\'s&lt;/b&gt;</p>'
    with pytest.raises(TypeError, match="plain text"):
        page_of("{{ words | claims }}", links, words=Markup("<b>a000-01</b>"))


def test_tables_scroll_in_their_own_box_and_long_pages_get_contents():
    wrapped = page_of(
        '{% import "macros.html.j2" as macros %}{% set tables = namespace(count=0) %}'
        "<p>x</p>{% call macros.scrolls(tables) %}<table><tr><td>1</td></tr></table>{% endcall %}"
        "{% call macros.scrolls(tables) %}<table></table>{% endcall %}"
    )
    assert wrapped.startswith('<p>x</p><div class="table-wrap" role="region"') and 'tabindex="0"' in wrapped
    assert 'aria-label="Table 1"' in wrapped and 'aria-label="Table 2"' in wrapped
    body = "".join(f'<h2 id="s{n}">Section {n}<a class="anchor-link" href="#s{n}">¶</a></h2>' for n in range(3))
    contents = layout.contents(body)
    assert [f'href="#s{n}"' in contents for n in range(3)] == [True] * 3 and "¶" not in contents
    assert layout.contents(body[: body.index('<h2 id="s2"')]) == "", "a short page needs no contents"
    closed = '<dialog id="card"><h2 id="card-heading">Claim</h2></dialog>'
    assert "card-heading" not in layout.contents(body + closed), "a closed dialog's heading is no place to go"


def test_the_site_and_the_notebooks_tables_lead_a_claim_to_one_address():
    assert figures.claim_href("a002-12") == layout.claim_href("a002-12") == "article-a002.html#a002-12"


# --- the notebooks' pages ------------------------------------------------------------------------------


def markdown_cell(source: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_markdown_cell(source)]
    )
    return notebook


def test_claim_ids_in_a_notebooks_markdown_become_links_where_it_is_rendered():
    source = "See a000-01, `a000-01` in code, [a000-01](elsewhere.html), a009-99 and a001-02 & <b>bold</b>."
    body, _ = notebooks.exporter(frozenset({"a000-01", "a001-02"})).from_notebook_node(markdown_cell(source))
    assert body.count('<a href="article-a000.html#a000-01">a000-01</a>') == 1
    assert '<a href="article-a001.html#a001-02">a001-02</a>' in body
    assert "<code>a000-01</code>" in body and '<a href="elsewhere.html">a000-01</a>' in body
    assert "a009-99 and" in body and "&amp; <b>bold</b>" in body


def test_a_notebooks_tables_scroll_in_boxes_and_name_their_articles():
    class Quoted:
        short = "It's <b>"

    cells = (
        f"<p>a000 and a001</p><div>{notebooks.TABLE_START}<table><tr><th>a000</th><td><code>a000</code></td>"
        f'<td><a href="x">a000</a></td><td>a000-01 a0001</td></tr></table>{notebooks.TABLE_END}</div>'
        f"<pre>a000</pre>{notebooks.TABLE_START}<table></table>{notebooks.TABLE_END}"
    )
    finished = notebooks.finish(cells, {"a000": Quoted()})
    named = '<a href="article-a000.html">It&#x27;s &lt;b&gt;</a>'
    assert finished.startswith(f"<p>{named} and a001</p><div>")
    assert (
        f'<div class="table-wrap" role="region" aria-label="Table 1" tabindex="0"><table><tr><th>{named}</th>'
        in finished
    )
    assert (
        "<td><code>a000</code></td>" in finished
        and '<a href="x">a000</a>' in finished
        and "<pre>a000</pre>" in finished
    )
    assert "<td>a000-01 a0001</td></tr></table></div></div>" in finished
    assert 'aria-label="Table 2" tabindex="0"><table></table></div>' in finished
    assert "<!--" not in finished


# --- a site that says what it was built from -----------------------------------------------------


def test_a_build_with_failures_says_so_first_on_every_page_escaped(tmp_path):
    failures = (
        layout.Failure(
            "05-capacity-and-policy.ipynb", "05-capacity-and-policy.ipynb", "failed in cell 3: ValueError: <b>bad</b>"
        ),
    )
    report.render(CHECKOUT, CHECKOUT.notebooks, tmp_path, failures=failures)
    title = committed("05-capacity-and-policy.ipynb").cells[0].source.splitlines()[0].removeprefix("# ")
    for page in tmp_path.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        notice = text.index('class="notice"')
        assert text.index("</h1>") < notice, page.name
        assert "This build is incomplete" in text and html.escape(title, quote=False) in text
        assert "&lt;b&gt;bad&lt;/b&gt;" in text and "<b>bad</b>" not in text
        assert "Its page is from its last complete run, not from this build." in text
        stale = page.name == "05-capacity-and-policy.html"
        assert ("This page is one of them" in text) == stale, page.name
        assert ("is up to date with this build's data" in text) != stale, page.name


def test_the_sensitivity_page_says_when_the_other_pages_ran_with_other_values(tmp_path):
    """The case: after `make reports PARAMS="usd_inr=86"` the sensitivity page called the sweep's
    baseline "default" beside pages computed at 86, and pointed to results.csv for it."""
    notebooks_dir = tmp_path / "executed"
    notebooks_dir.mkdir()
    for name in chain.NOTEBOOKS:
        notebook = committed(name)
        if "usd_inr" in notebook.metadata.papermill.default_parameters:
            notebook.metadata.papermill.parameters = {"usd_inr": 86.0}
        nbformat.write(notebook, notebooks_dir / name)
    report.render(CHECKOUT, notebooks_dir, tmp_path / "html")
    text = read(tmp_path / "html", "sensitivity.html")
    assert "did not run the sensitivity sweep" not in text, "no default sweep in reports/sweep/: run `make reports`"
    assert "ran with other values than the defaults" in text and "86.0" in text
    assert "reports/results.csv" not in text and "(default:" not in text


def test_the_index_says_by_what_evidence_the_confirmed_claims_were_confirmed_and_it_adds_up(site):
    concluded = audit.conclusions.load()
    confirmed = concluded[concluded.standing == "confirmed"]
    index = abbreviations.taken_out(read(site, registry.INDEX))
    said = html.unescape(re.search(r"confirmed by independent evidence: ([^<]*)", index).group(1))
    usgs, defined, other = (int(n) for n in re.findall(r"(\d+) by ", said))
    assert usgs + defined + other == len(confirmed)
    assert defined == confirmed.decided_by.str.startswith("definition:").sum()
    assert other == (confirmed.evidence == "other_article").sum()


def test_a_page_over_the_weight_target_is_named_with_its_weight(tmp_path):
    (tmp_path / registry.STYLESHEET).write_text("x" * 1024, encoding="utf-8")
    (tmp_path / "light.html").write_text("x", encoding="utf-8")
    (tmp_path / "heavy.html").write_text("x" * registry.PAGE_WEIGHT_TARGET, encoding="utf-8")
    assert registry.heavy_pages(tmp_path) == {"heavy.html": registry.PAGE_WEIGHT_TARGET + 1024}


def test_the_index_states_its_conclusion_before_any_question(site):
    page = read(site, registry.INDEX)
    concluded = audit.conclusions.load()
    counted = concluded.standing.value_counts()
    heading = html.unescape(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1))
    assert "?" not in heading
    assert heading.startswith(f"{counted['does_not_hold']} of the {len(concluded)} claims")


def test_the_index_lists_the_articles_weakest_first_with_their_rates_and_names_the_weakest(site):
    page = read(site, registry.INDEX)
    concluded = audit.conclusions.load()
    table = page[page.index('<table class="bars">') : page.index("</table>", page.index('<table class="bars">'))]
    rows = re.findall(r'<tr><th scope="row"><a href="article-(a\d{3})\.html">', table)
    share = {
        source: (concluded[concluded.source_id == source].standing == "does_not_hold").mean()
        for source in set(concluded.source_id)
    }
    assert sorted(rows) == sorted(share) and [share[s] for s in rows] == sorted(share.values(), reverse=True)
    weakest = re.search(r'<p class="judgement">Weakest: (.*?), where', page).group(1)
    first = re.search(r'<tr><th scope="row"><a href="[^"]+">(.*?)</a>', table).group(1)
    assert weakest == first
    for source in rows:  # four rates a row, adding up to 100% (to rounding)
        row = table[table.index(f"article-{source}.html") :].split("</tr>")[0]
        rates = [int(rate) for rate in re.findall(r'<td class="number" data-label="[^"]+">(\d+)%</td>', row)]
        assert len(rates) == 4 and abs(sum(rates) - 100) <= 2


def test_every_finding_on_the_index_has_an_address_and_a_link_to_it(site):
    page = read(site, registry.INDEX)
    found = page[page.index('id="findings"') : page.index('id="reports"')]
    anchors = re.findall(r'<(?:h3|li) id="(finding-[^"]+)"', found)
    assert anchors and len(anchors) == len(set(anchors))
    for anchor in anchors:
        assert f'href="#{anchor}"' in found
    # Each finding names the claims it judges first; a claim it only used (a confirmed reserve in a
    # rank) is said to be used, not listed among those found wanting.
    for row in views.headlines(audit.load()).itertuples():
        anchor = claimreview.check_anchor(row.check_id).removeprefix("check-")
        item = found[found.index(f'id="finding-{anchor}"') :].split("</li>")[0]
        judged = re.search(r'<span class="claims">Judges (.*?)(?:; uses (.*?))?\.</span>', item)
        assert judged, item
        assert re.findall(r"a\d{3}-\d{2}", re.sub(r"<[^>]+>", "", judged.group(1))) == row.judges.split("; ")


def test_the_index_says_how_to_cite_the_suite_in_apa_and_bibtex_with_both_licences(site):
    from rare_earths.site import citation

    page = read(site, registry.INDEX)
    cite = page[page.index('id="cite"') : page.index('id="parameters"')]
    assert html.escape(citation.apa(CHECKOUT.citation_cff)) in cite
    assert f"<pre>{html.escape(citation.bibtex(CHECKOUT.citation_cff))}</pre>" in cite
    assert "Code: MIT" in cite and "CC BY 4.0" in cite
