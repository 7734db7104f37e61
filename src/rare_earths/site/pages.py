"""The readers' pages other than the notebooks': the index that leads with the bottom line, the article
pages, the claims explorer, the sensitivity page and the method page. Each is a function of the
`Site` (`rare_earths.site.model`) and returns the page's HTML in the site's one layout.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rare_earths import observed, paths
from rare_earths.paths import CLAIMS_PAGE, METHOD_PAGE, SENSITIVITY_PAGE
from rare_earths.site import layout
from rare_earths.site.layout import Link

if TYPE_CHECKING:
    pass

from rare_earths.site.model import AUDIT_NOTEBOOK, Page, Site


def verdict_html(verdict: str) -> str:
    """A verdict's label (the Verdict record), styled by what it says of the claims it judges."""
    from rare_earths.site.standing import verdict_class
    from rare_earths.vocabulary import VERDICTS

    label = html.escape(VERDICTS[verdict].label)
    return f'<span class="verdict verdict-{verdict_class(verdict)}">{label}</span>'


def check_href(check_id: str) -> str:
    from rare_earths.site.claimreview import check_anchor

    return f"{Path(AUDIT_NOTEBOOK).with_suffix('.html').name}#{check_anchor(check_id)}"


def claim_reviews_script(site: Site, source_id: str) -> str:
    """The conclusions of one article's claims as schema.org ClaimReview, each at its claim's entry."""
    from rare_earths.site import claimreview

    page = paths.article_page(source_id)
    own = site.conclusions[site.conclusions.source_id == source_id]
    reviews = claimreview.claim_reviews(
        own, site.claims, site.names, lambda claim_id: f"{page}#about-{claim_id}", article_url=lambda _: page
    )
    return claimreview.json_ld_script(reviews) + "\n"


def article_pages(site: Site) -> dict[str, str]:
    from rare_earths.site import article_page

    links = [Link(paths.article_page(source_id), site.names[source_id].short) for source_id in site.articles]
    pages = {}
    for position, source_id in enumerate(site.articles):
        name = site.names[source_id]
        previous = links[position - 1] if position > 0 else None
        following = links[position + 1] if position + 1 < len(links) else None
        body = article_page.article_body(
            source_id,
            site.articles[source_id],
            site.claims,
            site.checks,
            site.exclusions,
            site.conclusions,
            claim_page=CLAIMS_PAGE[0],
            check_href=check_href,
        )
        lede = (
            "Assigned by this project: the article states no title of its own."
            if name.assigned
            else (f"Published by {name.publisher}." if name.publisher else "The article names no publisher.")
        )
        pages[paths.article_page(source_id)] = site.page(
            name.title,
            body,
            current=paths.article_page(source_id),
            lede=lede,
            previous=previous,
            following=following,
            head=claim_reviews_script(site, source_id),
        )
    return pages


def bottom_line(site: Site) -> str:
    """The index's opening: of all the figures, how many were confirmed by independent evidence, how
    many agree only with their own article, how many do not hold and how many could not be
    checked (conclusions.csv, the one place each is decided)."""
    from rare_earths import vocabulary
    from rare_earths.audit.conclusions import counts
    from rare_earths.site import standing

    counted = counts(site.conclusions)
    total = sum(counted.values())
    confirmed = site.conclusions[site.conclusions.standing == "confirmed"]
    primary = int((confirmed.evidence == "primary").sum())
    other = len(confirmed) - primary
    failing = site.conclusions[site.conclusions.standing == "does_not_hold"].verdict.value_counts()
    why = ", ".join(
        f"{failing[verdict]} {vocabulary.VERDICTS[verdict].label.lower()}"
        for verdict in vocabulary.VERDICTS
        if verdict in failing
    )
    tally = {
        "confirmed": f"confirmed by independent evidence: {primary} by USGS data current at the article's date, "
        f"{other} by another article that states the same figure",
        "consistent": "consistent only with their own article (its arithmetic or its restatements): nothing "
        "independent tested them",
        "does_not_hold": f"do not hold ({why}): an outdated figure matches only a USGS edition older than the one "
        "current when the article was written; a clash of dates marks both statements, since either may be wrong",
        "unchecked": "could not be checked: nothing here could test them, or a test could not decide; each says why",
    }
    items = "\n".join(
        f'    <li class="{standing.css_class(name)}"><strong>{counted[name]}</strong> {html.escape(tally[name])}</li>'
        for name in vocabulary.STANDINGS
    )
    return f"""  <p class="bottom-line">Of the {total} figures these articles state, <strong>{counted["confirmed"]} are
  confirmed</strong> by primary data or an independent article, <strong>{counted["consistent"]} are consistent only
  with their own article</strong>, <strong>{counted["does_not_hold"]} do not hold</strong>, and
  <strong>{counted["unchecked"]} could not be checked</strong>.</p>
  <ul class="tally">
{items}
  </ul>
"""


def verdicts_by_article(site: Site) -> str:
    """A bar for each article: its claims by standing."""
    from rare_earths import vocabulary
    from rare_earths.audit.conclusions import counts
    from rare_earths.site import standing

    rows = []
    for source_id, name in site.names.items():
        own = site.conclusions[site.conclusions.source_id == source_id]
        counted = counts(own)
        segments = "".join(
            f'<span class="{standing.css_class(group)}" style="width:{100 * count / max(1, len(own)):.1f}%"></span>'
            for group, count in counted.items()
            if count
        )
        words = ", ".join(standing.counted(group, count) for group, count in counted.items() if count)
        rows.append(
            f'    <tr><th scope="row"><a href="{paths.article_page(source_id)}">{html.escape(name.brief)}</a></th>'
            f'<td class="number">{len(own)}</td><td><div class="bar" aria-hidden="true">{segments}</div>'
            f'<span class="bar-words">{html.escape(words)}</span></td></tr>'
        )
    legend = "".join(
        f'<li class="{standing.css_class(group)}">{html.escape(standing.label(group))}</li>'
        for group in vocabulary.STANDINGS
    )
    return f"""  <h2 id="by-article">Claims by article</h2>
  <ul class="legend" aria-hidden="true">{legend}</ul>
  <table class="bars">
    <caption class="visually-hidden">Claims of each article by their conclusion</caption>
    <thead><tr><th scope="col">Article</th><th scope="col" class="number">Claims</th><th scope="col">What came of them</th></tr></thead>
    <tbody>
{chr(10).join(rows)}
    </tbody>
  </table>
"""


def findings_html(site: Site) -> str:
    """What does not hold, then what could not be decided, grouped by verdict (most serious first)."""
    from rare_earths import vocabulary
    from rare_earths.audit import headlines

    sections = []
    for verdict, rows in headlines(site.checks).groupby("verdict", sort=False):
        items = "\n".join(
            f'    <li>{html.escape(row.explanation)} <span class="claims">Claims: {html.escape(row.claim_ids)}.</span></li>'
            for row in rows.itertuples()
        )
        claims = sorted({claim for ids in rows.judges for claim in ids.split(vocabulary.SEPARATOR) if claim})
        counted = f"{len(rows)} finding{'s' if len(rows) != 1 else ''} on {len(claims)} claim{'s' if len(claims) != 1 else ''}"
        sections.append(f"""  <h3>{verdict_html(verdict)} ({counted})</h3>
  <p>{html.escape(vocabulary.VERDICTS[verdict].meaning)}</p>
  <ul class="findings">
{items}
  </ul>
""")
    audit_href = Path(AUDIT_NOTEBOOK).with_suffix(".html").name
    return f"""  <h2 id="findings">What does not hold, and what is unclear</h2>
  <p>Most serious first. <a href="{audit_href}">The audit page</a> has every check, with its arithmetic and its quotes.</p>
{"".join(sections)}"""


def index_page(site: Site, pages: list[Page], values: dict[str, Any]) -> str:
    reports = "\n".join(
        f'    <li><h3><a href="{page.href}">{html.escape(page.title)}</a></h3>\n      <p>{html.escape(page.summary)}</p></li>'
        for page in pages
    )
    articles = "\n".join(
        f'    <li><h3><a href="{paths.article_page(source_id)}">{html.escape(name.title)}</a></h3>\n'
        f"      <p>{html.escape(name.publisher or 'Publisher not stated')}"
        f"{' · title assigned by this project' if name.assigned else ''}</p></li>"
        for source_id, name in site.names.items()
    )
    parameters = "\n".join(
        f'      <tr><th scope="row"><code>{html.escape(name)}</code></th><td>{html.escape(str(value))}</td></tr>'
        for name, value in values.items()
    )
    body = f"""{bottom_line(site)}{verdicts_by_article(site)}{findings_html(site)}
  <h2 id="reports">Reports</h2>
  <ul class="pages">
{reports}
  </ul>
  <h2 id="articles">The articles, with every claim marked</h2>
  <ul class="pages">
{articles}
  </ul>
  <h2 id="more">Every claim, and how the numbers are made</h2>
  <ul class="pages">
    <li><h3><a href="{CLAIMS_PAGE[0]}">{CLAIMS_PAGE[1]}</a></h3>
      <p>Every figure the articles state, with its quote, its value as written and in canonical units, and its verdicts; search, filter and sort.</p></li>
    <li><h3><a href="{METHOD_PAGE[0]}">{METHOD_PAGE[1]}</a></h3>
      <p>The pipeline, units and conversions, the parameters of this run, and the sources cited.</p></li>
  </ul>
  <h2 id="parameters">Parameters of this run</h2>
  <table>
    <tbody>
{parameters}
    </tbody>
  </table>
  <p>Meanings and sources are on the <a href="{METHOD_PAGE[0]}#parameters">method page</a>; each page states the ones it ran with.</p>
"""
    return site.page(
        "Do the numbers hold up?",
        body,
        current=paths.INDEX_PAGE,
        lede="Five news articles on India's dependence on China for rare earths and magnets, every figure traced to "
        "its sentence and checked.",
    )


EXPLORER_SCRIPT = layout.TEMPLATES / "site" / "explorer.js"


def claims_page(site: Site) -> str:
    """The claims explorer: every claim with its article, figure as written and canonical, verdicts and quote."""
    from rare_earths import text, vocabulary
    from rare_earths.site import standing

    status = site.status()
    concluded = site.conclusions.set_index("claim_id")
    rows = []
    for row in site.claims.itertuples():
        conclusion = concluded.loc[row.claim_id]
        verdicts = (
            f'<span class="standing standing-{standing.css_class(conclusion.standing)}">'
            f"{html.escape(standing.label(conclusion.standing))}</span>: {verdict_html(conclusion.verdict)}"
            f' <span class="tested-against">(tested against {html.escape(conclusion.tested_against)})</span>'
        )
        canonical = (
            text.show(row.value, row.unit)
            if row.value_low == row.value_high
            else text.interval(row.value_low, row.value_high, row.unit)
        )
        metric = vocabulary.METRICS[row.metric]
        rows.append(
            f'      <tr id="claim-{row.claim_id}" data-article="{row.source_id}" data-status="{html.escape(status[row.claim_id])}" '
            f'data-verdicts="{conclusion.verdict}">'
            f'<td data-label="Claim">{row.claim_id}</td><td data-label="Article">{html.escape(site.names[row.source_id].brief)}</td>'
            f'<td data-label="What it measures">{html.escape(text.subject_name(row.subject))}: {html.escape(metric.said)}</td>'
            f'<td data-label="As written">{html.escape(text.as_written(row.quote, row.value_as_written, row.unit_as_written, row.qualifier))}</td>'
            f'<td data-label="Canonical value" class="number" data-sort="{row.value_low:.12g}">{html.escape(canonical)}</td>'
            f'<td data-label="Conclusion">{verdicts}</td>'
            f'<td data-label="Quote">&ldquo;{html.escape(row.quote)}&rdquo;</td></tr>'
        )
    article_options = "".join(
        f'<option value="{source_id}">{html.escape(name.brief)}</option>' for source_id, name in site.names.items()
    )
    status_options = "".join(
        f'<option value="{name}">{html.escape(standing.label)}</option>'
        for name, standing in vocabulary.STANDINGS.items()
    )
    deciding = set(site.conclusions.verdict)  # only verdicts that decide some claim: no option finds nothing
    verdict_options = "".join(
        f'<option value="{name}">{html.escape(verdict.label)}</option>'
        for name, verdict in vocabulary.VERDICTS.items()
        if name in deciding
    )
    body = f"""  <p>Every figure the five articles state, with the words it came from, the value as written and in canonical units,
  and the verdicts of the checks on it. A claim id leads to its sentence in the article. Search, filter and sort: the
  address of the page keeps your choices, so a view can be shared.</p>
  <div id="claims-controls" class="controls" hidden>
    <div><label for="claims-search">Search</label><input id="claims-search" type="search" autocomplete="off"></div>
    <div><label for="claims-article">Article</label><select id="claims-article"><option value="">All articles</option>{article_options}</select></div>
    <div><label for="claims-status">Conclusion</label><select id="claims-status"><option value="">Any</option>{status_options}</select></div>
    <div><label for="claims-verdict">Deciding verdict</label><select id="claims-verdict"><option value="">Any verdict</option>{verdict_options}</select></div>
    <p id="claims-count" role="status"></p>
  </div>
  <table id="claims">
    <caption class="visually-hidden">Every claim of the five articles</caption>
    <thead>
      <tr><th scope="col">Claim</th><th scope="col">Article</th><th scope="col">What it measures</th><th scope="col">As written</th>
        <th scope="col" class="number" data-numeric>Canonical value</th><th scope="col">Conclusion</th><th scope="col">Quote</th></tr>
    </thead>
    <tbody>
{chr(10).join(rows)}
    </tbody>
  </table>
"""
    return site.page(
        CLAIMS_PAGE[1],
        body,
        current=CLAIMS_PAGE[0],
        script=EXPLORER_SCRIPT.read_text(encoding="utf-8"),
    )


def _sentence(words: str) -> str:
    """Words as the start of a sentence: the first letter upper case, the rest as written ("USGS" stays)."""
    return words[:1].upper() + words[1:]


def sensitivity_page(site: Site, swept: bool = True) -> str:
    """Each recorded result's range across the default sweep (params.yaml's `sweep` values), as a
    tornado chart: a bar per parameter its notebook declares, widest first, the default marked; the
    title names the parameter that moves it most."""
    from rare_earths import text
    from rare_earths.build import params
    from rare_earths.site import sensitivity

    specs = params.specs(site.project.params_yaml)
    label = {name: spec.get("label", name) for name, spec in specs.items()}
    sweep_csv = site.project.sweep / "results.csv"
    if not swept or not sweep_csv.is_file():  # a sweep older than these notebooks would mix two builds
        body = (
            "  <p>This build did not run the sensitivity sweep (it ran part of the chain, or was asked not to): "
            "<code>make reports</code> runs it.</p>\n"
        )
        return site.page(
            SENSITIVITY_PAGE[1],
            body,
            current=SENSITIVITY_PAGE[0],
        )
    from rare_earths.build import results as recorded

    observed.note_read(sweep_csv)
    found = sensitivity.results(recorded.read(sweep_csv), {name: spec["default"] for name, spec in specs.items()})
    grid = params.default_grid()
    figures, steady = [], []
    for result in found:
        moved = result.moved_by
        if moved is None:
            steady.append(result)
            continue
        unit = result.unit

        def show(value: float, unit: str = unit) -> str:
            return html.escape(text.show_recorded(value, unit))

        span = max(swing.high for swing in result.swings) - min(swing.low for swing in result.swings) or 1
        start = min(swing.low for swing in result.swings)
        rows = []
        for swing in result.swings:
            left, width = 100 * (swing.low - start) / span, max(0.8, 100 * swing.width / span)
            base = 100 * (result.baseline - start) / span
            points = "; ".join(f"{html.escape(value)}: {show(at)}" for value, at in swing.points)
            rows.append(
                f'    <tr><th scope="row">{html.escape(_sentence(label[swing.parameter]))} <code>{swing.parameter}</code></th>'
                f'<td><div class="tornado" aria-hidden="true"><span class="swing" style="left:{left:.1f}%;width:{width:.1f}%"></span>'
                f'<span class="baseline" style="left:{base:.1f}%"></span></div><span class="bar-words">{points}</span></td></tr>'
            )
        title = (
            f"{html.escape(_sentence(label[moved.parameter]))} moves it most: from {show(moved.low)} to {show(moved.high)}"
            f" (default: {show(result.baseline)})"
        )
        figures.append(f"""  <figure class="sensitivity" id="{result.notebook.removesuffix(".ipynb")}-{result.name}">
    <figcaption><strong>{html.escape(result.label)}</strong> ({html.escape(result.notebook.removesuffix(".ipynb"))}).
      {title}. <small>{html.escape(result.meaning)}</small></figcaption>
    <table class="bars">
    <thead><tr><th scope="col">Parameter</th><th scope="col">The result at each value</th></tr></thead>
    <tbody>
{chr(10).join(rows)}
    </tbody>
    </table>
  </figure>
""")
    steady_items = "\n".join(
        f"    <li><strong>{html.escape(result.label)}</strong> ({html.escape(result.notebook.removesuffix('.ipynb'))}): "
        f"{html.escape(text.show_recorded(result.baseline, result.unit))}. {html.escape(result.meaning)}</li>"
        for result in steady
    )
    values = "; ".join(
        f"{html.escape(label[name])} (<code>{name}</code>): {', '.join(html.escape(str(v)) for v in grid_values)}"
        for name, grid_values in grid.items()
    )
    body = f"""  <p>How far each result the notebooks record moves when one assumption moves, the others held at their defaults.
  The sweep runs each notebook once per value of the parameters it declares: {values}. The defaults and their sources are on the
  <a href="{METHOD_PAGE[0]}#parameters">method page</a>; the results of the default run are in <code>reports/results.csv</code>,
  those of the sweep in <code>reports/sweep/results.csv</code>.</p>
  <h2 id="moved">Results that move</h2>
  <p>Each bar spans the result's range over one parameter's values; the mark is the default.</p>
{"".join(figures) or "  <p>None of the results moves across these values.</p>"}
  <h2 id="steady">Results no parameter of the sweep moves</h2>
  <ul>
{steady_items}
  </ul>
  <p>A larger sweep, on this machine or a Dask cluster: <code>make sweep GRID="usd_inr=78,80,82,84.57,86,88,90"</code> (see the README).</p>
"""
    return site.page(
        SENSITIVITY_PAGE[1],
        body,
        current=SENSITIVITY_PAGE[0],
        lede="Which assumptions the findings depend on, and how much.",
    )


def data_read(used: list[str]) -> list[str]:
    """The data files a notebook read, from what it recorded using; a folder's many files as the folder."""
    shown = set()
    for name in used:
        if name.startswith("data/"):
            folder = name.rsplit("/", 1)[0]
            shown.add(folder + "/" if folder in ("data/raw/articles", "data/raw/reference") else name)
    return sorted(shown)


def method_page(site: Site, pages: list[Page], values: dict[str, Any], reads: dict[str, list[str]]) -> str:
    """The pipeline, units and conversions, parameters of this run, the sources cited, and what each notebook read."""
    from rare_earths import vocabulary
    from rare_earths.build import params
    from rare_earths.data import provenance, units

    notebook_items = "\n".join(
        f'    <li><a href="{page.href}">{html.escape(page.title)}</a> (<code>notebooks/{html.escape(page.notebook)}</code>), '
        f"reads {', '.join(f'<code>{html.escape(read)}</code>' for read in reads.get(page.notebook, ()))}</li>"
        for page in pages
    )
    canonical = "\n".join(
        f"      <tr><td>{html.escape(dimension.replace('_', ' '))}</td><td><code>{html.escape(unit)}</code></td></tr>"
        for dimension, unit in units.CANONICAL_UNITS.items()
    )
    metrics = "\n".join(
        f"      <tr><td>{html.escape(m.said.capitalize())} <code>{html.escape(m.name)}</code></td><td>{html.escape(m.meaning)}</td>"
        f"<td><code>{html.escape(m.unit)}</code></td></tr>"
        for m in vocabulary.METRICS.values()
    )
    specs = params.specs(site.project.params_yaml)
    parameters = "\n".join(
        f'      <tr><th scope="row"><code>{html.escape(name)}</code></th><td class="number">{html.escape(str(values.get(name, spec["default"])))}</td>'
        f'<td>{html.escape(str(spec.get("unit", "")))}</td><td class="number">{html.escape(str(spec["default"]))}</td>'
        f"<td>{html.escape(str(spec['description']))}</td><td>{html.escape(str(spec.get('source', '')))}</td></tr>"
        for name, spec in specs.items()
    )
    sources = provenance.load_sources(site.project.sources_csv, site.project.articles)
    articles = "\n".join(
        f'      <tr id="source-{row.source_id}"><th scope="row"><a href="{paths.article_page(row.source_id)}">'
        f"{html.escape(site.names[row.source_id].full)}</a></th><td>{html.escape(row.author) or '—'}</td><td>{html.escape(row.date) or '—'}</td>"
        f"<td><code>data/raw/articles/{html.escape(row.file)}</code></td><td>{html.escape(row.note) or '—'}</td></tr>"
        for row in sources.itertuples()
    )
    references = "\n".join(
        f"      <tr><td>{html.escape(row.producer)}, <cite>{html.escape(row.title)}</cite>, {html.escape(row.edition)}</td>"
        f'<td><a href="https://doi.org/{html.escape(row.doi)}">doi:{html.escape(row.doi)}</a></td>'
        f"<td>{html.escape(row.licence)}</td><td><code>data/raw/reference/{html.escape(row.file)}</code></td></tr>"
        for row in provenance.load_references(site.project.references_csv, site.project.reference).itertuples()
    )
    rate = html.escape(str(values.get("usd_inr", specs.get("usd_inr", {}).get("default", ""))))
    body = f"""  <h2 id="pipeline">Pipeline</h2>
  <ol>
    <li><strong>Capture.</strong> Every figure in the five articles is written once in <code>data/raw/claims.csv</code>,
      with the verbatim quote it came from; every other number in the articles is listed in
      <code>data/raw/exclusions.csv</code> with the reason it is no claim.</li>
    <li><strong>Clean</strong> (<code>make data</code>). Each article is checked against its recorded SHA-256, each quote
      against its article, each figure against its quote, each unit against the project's registry and the metric's
      canonical unit; then every claim is read into canonical units (<code>data/processed/claims.csv</code>), both USGS
      editions are made tidy (<code>data/processed/usgs.csv</code>), and the audit recomputes and compares the
      figures (<code>data/processed/audit.csv</code>). None of this depends on a parameter.</li>
    <li><strong>Analyse</strong> (<code>make reports</code>). Each notebook is executed by papermill with the parameters
      of the run, in its own process:
      <ul>
{notebook_items}
      </ul></li>
    <li><strong>Publish.</strong> The executed notebooks become these pages (code hidden behind &ldquo;Show code&rdquo;),
      with a page per article, the <a href="{CLAIMS_PAGE[0]}">claims explorer</a> and the <a href="{paths.INDEX_PAGE}">overview</a>.
      A step reruns only when what it used (code, data, parameters, locked packages) changes.</li>
  </ol>

  <h2 id="units">Units and conversions</h2>
  <p>Units are read with <a href="https://pint.readthedocs.io/">pint</a> and the project's own registry
  (<code>src/rare_earths/data/units.txt</code>), which defines every unit the sources use and no other.
  &ldquo;Tons&rdquo;, &ldquo;tonnes&rdquo; and &ldquo;metric tons&rdquo; are the metric tonne (1,000 kg), as these sources
  mean; <code>kt</code> is the kilotonne; a year is 365.25 days; crore is 10<sup>7</sup> and lakh 10<sup>5</sup>.
  A range (&ldquo;180,000-202,000&rdquo;) keeps both ends; a qualifier (&ldquo;over&rdquo;, &ldquo;around&rdquo;) makes the
  figure a bound. Rupees become dollars only in the notebooks, at the parameter <code>usd_inr</code>
  (here {rate} rupees per US dollar).</p>
  <table>
    <caption>Canonical unit of each kind of quantity in the processed tables (durations stay in weeks or years)</caption>
    <thead><tr><th scope="col">Kind of quantity</th><th scope="col">Canonical unit</th></tr></thead>
    <tbody>
{canonical}
    </tbody>
  </table>
  <h3 id="metrics">What each claim can measure</h3>
  <table>
    <thead><tr><th scope="col">Measure</th><th scope="col">Meaning</th><th scope="col">Canonical unit</th></tr></thead>
    <tbody>
{metrics}
    </tbody>
  </table>

  <h2 id="parameters">Parameters used</h2>
  <table>
    <thead><tr><th scope="col">Parameter</th><th scope="col" class="number">Value in this run</th><th scope="col">Unit</th>
      <th scope="col" class="number">Default</th><th scope="col">Meaning</th><th scope="col">Source of the default</th></tr></thead>
    <tbody>
{parameters}
    </tbody>
  </table>

  <h2 id="sources">Sources cited</h2>
  <h3>The articles</h3>
  <table>
    <thead><tr><th scope="col">Article</th><th scope="col">Byline</th><th scope="col">Date</th><th scope="col">File</th><th scope="col">Note</th></tr></thead>
    <tbody>
{articles}
    </tbody>
  </table>
  <h3 id="references">Reference data</h3>
  <table>
    <thead><tr><th scope="col">Publication</th><th scope="col">DOI</th><th scope="col">Licence</th><th scope="col">File</th></tr></thead>
    <tbody>
{references}
    </tbody>
  </table>
"""
    return site.page(
        METHOD_PAGE[1],
        body,
        current=METHOD_PAGE[0],
        lede="How every number on these pages is made, from the articles to the figures.",
    )


# --- the whole site --------------------------------------------------------------------------------
