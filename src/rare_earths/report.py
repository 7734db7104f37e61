"""The readers' site: one HTML page per executed notebook (code hidden behind a "Show code"
button), a claims explorer, a method page, and an index leading with the audit's findings.

Every page is self-contained (styles and scripts inline, figures as data: URIs) and loads
nothing from the network, so the site works opened from disk, offline; and every page is a
function of its inputs alone, so two runs give the same bytes.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from . import atomic, chain, paths
from .paths import CLAIMS_PAGE, EXTRA_PAGES, METHOD_PAGE  # the site's pages, declared once in paths

if TYPE_CHECKING:
    import pandas as pd

TEMPLATES = Path(__file__).with_name("templates")


@dataclass(frozen=True)
class Page:
    notebook: str
    title: str
    summary: str

    @property
    def href(self) -> str:
        return Path(self.notebook).with_suffix(".html").name


def describe(notebook: nbformat.NotebookNode, name: str) -> Page:
    """Title and summary from the notebook's first Markdown cell: "# Title", then one paragraph."""
    first = next((cell for cell in notebook.cells if cell.cell_type == "markdown"), None)
    lines = first.source.strip().splitlines() if first else []
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"{name}: the first Markdown cell must start with '# Title' and a summary paragraph")
    paragraphs = "\n".join(lines[1:]).strip().split("\n\n")
    return Page(name, lines[0][2:].strip(), " ".join(paragraphs[0].split()))


# The pages that are not notebooks, in the navigation bar after the notebooks' pages.

_CAPTION = re.compile(r"^\*\*(Figure \d+\.)\*\*\s*")


def _plain(markdown: str) -> str:
    """A caption's Markdown as the plain text a screen reader reads out."""
    return " ".join(_CAPTION.sub(r"\1 ", markdown.strip()).replace("**", "").replace("`", "").split())


def describe_figures(notebook: nbformat.NotebookNode) -> int:
    """Give every figure (an image/png output) alt text: the caption shown after it
    (`figures.caption`, "**Figure N.** ... Claims: ..."), so the words a sighted reader sees under
    the figure are the words a screen reader reads for it; the template writes them as `alt`.
    Returns how many figures had no caption to read (they get a generic alt text)."""
    outputs = [(index, output) for index, cell in enumerate(notebook.cells) if cell.cell_type == "code" for output in cell.get("outputs", [])]
    uncaptioned = 0
    for position, (_, output) in enumerate(outputs):
        if "image/png" not in output.get("data", {}):
            continue
        caption = None
        for _, later in outputs[position + 1:]:
            data = later.get("data", {})
            if "image/png" in data:
                break  # the next figure: this one has no caption
            markdown = data.get("text/markdown", "")
            if _CAPTION.match(markdown):
                caption = _plain(markdown)
                break
        if caption is None:
            uncaptioned += 1
            caption = "A figure without a caption."
        output.setdefault("metadata", {}).setdefault("image/png", {})["alt"] = caption
    return uncaptioned


def exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="report")
    # The code stays in the page, hidden until the reader presses "Show code" (the template).
    exporter.exclude_input = False
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def render(executed_dir: Path | None = None, html_dir: Path | None = None, names: tuple[str, ...] = chain.NOTEBOOKS,
           checks: pd.DataFrame | None = None) -> list[Path]:
    """Render every executed notebook, then the index, which leads with the audit's findings
    (`checks`, by default this run's data/processed/audit.csv); returns the pages written. The
    parameters the index and method page state are read from the executed notebooks themselves,
    so the site says what its pages were computed with, whatever command made them."""
    executed_dir, html_dir = executed_dir or paths.EXECUTED, html_dir or paths.HTML
    notebooks = {name: nbformat.read(executed_dir / name, as_version=4) for name in names}
    values = parameters_of({name: chain.ran_with(notebook) for name, notebook in notebooks.items()})
    pages = [describe(notebook, name) for name, notebook in notebooks.items()]
    html_exporter = exporter()
    written = []
    for page in pages:
        resources = {
            "metadata": {"name": page.title},
            "report_notebook": page.notebook,
            "report_pages": [*({"href": other.href, "title": other.title, "current": other is page} for other in pages),
                             *({"href": href, "title": title, "current": False} for href, title in EXTRA_PAGES)],
        }
        notebook = notebooks[page.notebook]
        describe_figures(notebook)
        body, _ = html_exporter.from_notebook_node(notebook, resources=resources)
        # pandas writes the corner over a table's index as an empty header cell: name it for
        # screen readers (axe: empty-table-header), without showing anything new.
        body = body.replace("<th></th>", '<th><span class="visually-hidden">row</span></th>')
        target = html_dir / page.href
        atomic.write_text(target, body)
        written.append(target)
    if checks is None and paths.PROCESSED_AUDIT_CSV.exists():
        from . import audit  # here: it brings pandas and pandera, which only the index needs

        checks = audit.load()
    index = html_dir / "index.html"
    atomic.write_text(index, index_html(pages, values, checks))
    claims_page, method_page = html_dir / CLAIMS_PAGE[0], html_dir / METHOD_PAGE[0]
    atomic.write_text(claims_page, claims_html(pages))
    reads = {name: data_read(notebook.metadata.get("rare_earths", {}).get("used", [])) for name, notebook in notebooks.items()}
    atomic.write_text(method_page, method_html(pages, values, reads=reads))
    return [index, *written, claims_page, method_page]


def parameters_of(ran_with: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each parameter's value across the executed notebooks: the value, where they agree; where they
    do not (a notebook run alone with an override), every value with the notebooks that used it."""
    found: dict[str, dict[str, list[str]]] = {}
    for name, values in ran_with.items():
        for parameter, value in values.items():
            found.setdefault(parameter, {}).setdefault(repr(value), []).append(name.removesuffix(".ipynb"))
    result: dict[str, Any] = {}
    for parameter, by_value in sorted(found.items()):
        if len(by_value) == 1:
            result[parameter] = next(iter(ran_with[n + ".ipynb"][parameter] for n in next(iter(by_value.values()))))
        else:
            result[parameter] = "; ".join(f"{value} in {', '.join(names)}" for value, names in by_value.items())
    return result


AUDIT_NOTEBOOK = "06-audit.ipynb"


def findings_html(checks: pd.DataFrame | None, pages: list[Page]) -> str:
    """The audit's headline: how many claims were checked, the checks by verdict, then every finding
    a reader must see, grouped by verdict (most serious first), each verdict with its meaning."""
    if checks is None or checks.empty:
        return ""
    from . import audit, metadata

    counted = checks.verdict.value_counts()
    summary = ", ".join(f"{counted[verdict]} {audit.plain(verdict)}" for verdict in metadata.VERDICTS if counted.get(verdict, 0))
    claims_in = {claim for ids in checks.claim_ids for claim in ids.split(audit.SEPARATOR)}
    unchecked = {claim for ids in checks[checks.verdict == "not_checked"].claim_ids for claim in ids.split(audit.SEPARATOR)}
    audit_page = next((page for page in pages if page.notebook == AUDIT_NOTEBOOK), None)
    link = f' <a href="{audit_page.href}">{html.escape(audit_page.title)}</a> has every check, with its quotes.' if audit_page else ""
    found = audit.headlines(checks)
    sections = []
    for verdict, rows in found.groupby("verdict", sort=False):
        meaning = metadata.VERDICTS[verdict][0]
        items = "\n".join(
            f"    <li>{html.escape(row.explanation)} <span class=\"claims\">(claims {html.escape(row.claim_ids)})</span></li>"
            for row in rows.itertuples()
        )
        sections.append(f"""  <h3>{html.escape(audit.plain(verdict).capitalize())} ({len(rows)})</h3>
  <p>{html.escape(meaning)}</p>
  <ul class="findings">
{items}
  </ul>
""")
    return f"""  <h2>Key findings</h2>
  <p>The audit made {len(checks)} checks of the {len(claims_in)} claims: {summary}.
  {len(claims_in) - len(unchecked)} claims are checked by at least one rule; {len(unchecked)} no rule can check, each with the reason.{link}</p>
{"".join(sections)}"""


# The pages written here (index, claims explorer, method) share one look with the notebooks' pages.
STYLE = """
    body { font-family: system-ui, sans-serif; margin: 0; line-height: 1.5; color: #1a1a1a; background: #fff; }
    main { max-width: 60em; margin: 1.5em auto; padding: 0 1em; }
    main.wide { max-width: none; margin: 1.5em 1em; }
    a { color: #0b4f8a; }
    nav.report-nav { padding: 0.6em 1em; border-bottom: 1px solid #ccc; background: #f6f6f6; }
    nav.report-nav a { margin-right: 1.2em; }
    nav.report-nav a[aria-current="page"] { font-weight: bold; color: #1a1a1a; }
    ul.pages { list-style: none; padding: 0; }
    ul.pages h3 { font-size: 1.2em; margin-bottom: 0.2em; }
    ul.findings li { margin-bottom: 0.6em; }
    .claims { color: #444; font-size: 0.9em; }
    table { border-collapse: collapse; }
    th, td { text-align: left; vertical-align: top; padding: 0.25em 0.8em 0.25em 0; }
    table.data th, table.data td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; }
    table.data thead th { background: #f0f0f0; position: sticky; top: 0; }
    #claims td:first-child { white-space: nowrap; }
    #claims td:nth-child(4) { overflow-wrap: anywhere; min-width: 8em; }
    #claims td:nth-child(8) { min-width: 20em; }
    td.number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
    th button { font: inherit; font-weight: bold; border: 0; background: none; padding: 0; cursor: pointer; color: #0b4f8a; text-decoration: underline; }
    th[aria-sort="ascending"] button::after { content: " \\25B2"; }
    th[aria-sort="descending"] button::after { content: " \\25BC"; }
    .search { margin: 1em 0; }
    .search input { font: inherit; padding: 0.2em 0.4em; width: 22em; max-width: 100%; }
    footer.report-footer { font-size: 0.85em; color: #333; padding: 1em; border-top: 1px solid #ccc; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
"""


def nav_html(pages: list[Page], current: str) -> str:
    """The navigation bar of every page: the index, each notebook's page, the claims explorer, the method."""
    entries = [("index.html", "All reports"), *((page.href, page.title) for page in pages), *EXTRA_PAGES]
    here = ' aria-current="page"'
    links = "\n".join(f'  <a href="{href}"{here if href == current else ""}>{html.escape(title)}</a>' for href, title in entries)
    return f'<nav class="report-nav" aria-label="Report pages">\n{links}\n</nav>'


def page_html(title: str, current: str, pages: list[Page], body: str, *, script: str = "", main_class: str = "") -> str:
    """A whole page in the site's shell: head with inline style, navigation, main, footer."""
    script_tag = f"<script>\n{script}</script>\n" if script else ""
    class_attr = f' class="{main_class}"' if main_class else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)}</title>
  <style>{STYLE}  </style>
</head>
<body>
{nav_html(pages, current)}
<main{class_attr}>
{body}</main>
<footer class="report-footer">Generated by <code>make reports</code> from <code>data/</code>, <code>notebooks/</code> and <code>params.yaml</code>; every figure cites the claims it uses.</footer>
{script_tag}</body>
</html>
"""


def index_html(pages: list[Page], values: dict[str, Any], checks: pd.DataFrame | None = None) -> str:
    """The index: what the suite is, the audit's key findings, every page with its summary, the parameters of this run."""
    items = "\n".join(
        f'    <li><h3><a href="{page.href}">{html.escape(page.title)}</a></h3>\n      <p>{html.escape(page.summary)}</p></li>'
        for page in pages
    )
    parameters = "\n".join(
        f"      <tr><th scope=\"row\"><code>{html.escape(name)}</code></th><td>{html.escape(str(value))}</td></tr>"
        for name, value in values.items()
    )
    body = f"""  <h1>India's rare-earth supply chain</h1>
  <p>Five news articles on India's dependence on China for rare-earth elements and magnets, with
  every figure traced to the words it came from, read into canonical units, and recomputed.
  Each page below is a notebook executed by <code>make reports</code>; every number on it is
  computed from <code>data/processed/</code> and cites the claims it uses.</p>
{findings_html(checks, pages)}  <h2>Reports</h2>
  <ul class="pages">
{items}
  </ul>
  <h2>Every claim, and how they were read</h2>
  <ul class="pages">
    <li><h3><a href="{CLAIMS_PAGE[0]}">{CLAIMS_PAGE[1]}</a></h3>
      <p>Every figure the articles state, with its quote and source, the value as written and in canonical units; searchable and sortable.</p></li>
    <li><h3><a href="{METHOD_PAGE[0]}">{METHOD_PAGE[1]}</a></h3>
      <p>How the pages are made: the pipeline, units and conversions, the parameters of this run, and the sources cited.</p></li>
  </ul>
  <h2>Parameters of this run</h2>
  <table>
    <tbody>
{parameters}
    </tbody>
  </table>
  <p>Defaults, meanings and sources are on the <a href="{METHOD_PAGE[0]}#parameters">method page</a> and in <code>params.yaml</code>; each page lists the ones it uses.</p>
"""
    return page_html("India's rare-earth supply chain: reports", "index.html", pages, body)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _number(text: str) -> str:
    """A canonical value as a table shows it: whole with separators from 1,000, else up to four significant digits."""
    if text == "":
        return ""
    number = float(text)
    return f"{number:,.0f}" if abs(number) >= 1000 else f"{number:.4g}"


def canonical_value(row: dict[str, str]) -> str:
    """The claim's value in its canonical unit: one number, or low to high for a range."""
    value = _number(row["value"]) if row["value"] else f"{_number(row['value_low'])} to {_number(row['value_high'])}"
    return f"{value} {row['unit']}"


def as_written(row: dict[str, str]) -> str:
    """The figure in the article's own words, as every page shows it."""
    from . import text

    return text.as_written(row["quote"], row["value_as_written"], row["unit_as_written"], row["qualifier"])


# Sorting and searching the claims table: a small inline script; without it the table is all there.
EXPLORER_SCRIPT = """(function () {
  var table = document.getElementById("claims");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var search = document.getElementById("claims-search");
  var status = document.getElementById("claims-status");
  function filter() {
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) shown += 1;
    });
    status.textContent = shown + " of " + rows.length + " claims shown";
  }
  search.addEventListener("input", filter);
  document.getElementById("claims-controls").hidden = false;
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (th, column) {
    var label = th.textContent;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var numeric = th.hasAttribute("data-numeric");
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort") || a.cells[column].textContent;
        var y = b.cells[column].getAttribute("data-sort") || b.cells[column].textContent;
        var order = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  headers[0].setAttribute("aria-sort", "ascending");
  filter();
})();
"""


def claims_html(pages: list[Page], claims_csv: Path | None = None, sources_csv: Path | None = None) -> str:
    """The claims explorer: every claim, with its quote, source, value as written and canonical value."""
    rows = _read_csv(claims_csv or paths.PROCESSED_CLAIMS_CSV)
    sources = {source["source_id"]: source for source in _read_csv(sources_csv or paths.SOURCES_CSV)}

    def source_cell(source_id: str) -> str:
        source = sources.get(source_id, {})
        described = ", ".join(part for part in (source.get("title", ""), source.get("publisher", ""), source.get("date", "")) if part)
        name = f"{source_id}: {described}" if described else f"{source_id} (no title, publisher or date)"
        return f'<a href="{METHOD_PAGE[0]}#source-{html.escape(source_id)}">{html.escape(name)}</a>'

    body_rows = "\n".join(
        "      <tr>"
        f'<td id="{html.escape(row["claim_id"])}">{html.escape(row["claim_id"])}</td>'
        f"<td>{source_cell(row['source_id'])}</td>"
        f"<td>{html.escape(row['subject'])}</td>"
        f"<td>{html.escape(row['metric'])}{' (' + html.escape(row['counterpart']) + ')' if row['counterpart'] else ''}</td>"
        f"<td>{html.escape(row['period'])}</td>"
        f"<td>{html.escape(as_written(row))}</td>"
        f'<td class="number" data-sort="{html.escape(row["value_low"])}">{html.escape(canonical_value(row))}</td>'
        f"<td>&ldquo;{html.escape(row['quote'])}&rdquo;{'<br><small>' + html.escape(row['note']) + '</small>' if row['note'] else ''}</td>"
        "</tr>"
        for row in rows
    )
    body = f"""  <h1>Claims explorer</h1>
  <p>Every figure the five articles state: {len(rows)} claims, each with the words it came from, its
  source, the value as the article writes it and the value read into canonical units. A claim id
  (<code>a002-12</code>) is the one every page and figure caption cites; the article is on the
  <a href="{METHOD_PAGE[0]}#sources">method page</a>. Press a column's heading to sort by it.</p>
  <div id="claims-controls" class="search" hidden>
    <label for="claims-search">Search the claims</label>
    <input id="claims-search" type="search" autocomplete="off" aria-describedby="claims-status">
    <span id="claims-status" role="status"></span>
  </div>
  <table id="claims" class="data">
    <caption class="visually-hidden">Every claim of the five articles</caption>
    <thead>
      <tr><th scope="col">Claim</th><th scope="col">Source</th><th scope="col">Subject</th><th scope="col">Metric</th><th scope="col">Period</th>
        <th scope="col">Value as written</th><th scope="col" data-numeric>Canonical value</th><th scope="col">Quote</th></tr>
    </thead>
    <tbody>
{body_rows}
    </tbody>
  </table>
"""
    return page_html("Claims explorer: India's rare-earth supply chain", CLAIMS_PAGE[0], pages, body, script=EXPLORER_SCRIPT, main_class="wide")


def data_read(used: list[str]) -> list[str]:
    """The data files a notebook read, from what it recorded using; a folder's many files as the folder."""
    shown = set()
    for name in used:
        if name.startswith("data/"):
            folder = name.rsplit("/", 1)[0]
            shown.add(folder + "/" if folder in ("data/raw/articles", "data/raw/reference") else name)
    return sorted(shown)


def method_html(pages: list[Page], values: dict[str, Any], *, sources_csv: Path | None = None, references_csv: Path | None = None,
                reads: dict[str, list[str]] | None = None) -> str:
    """The method page: pipeline, units and conversions, parameters of this run, sources cited, and
    what each notebook read (`reads`, as the executed notebooks record it)."""
    from . import metadata, params, units

    reads = reads or {}
    notebook_items = "\n".join(
        f'    <li><a href="{page.href}">{html.escape(page.title)}</a> (<code>notebooks/{html.escape(page.notebook)}</code>), '
        f"reads {', '.join(f'<code>{html.escape(read)}</code>' for read in reads.get(page.notebook, ()))}</li>"
        for page in pages
    )
    canonical = "\n".join(
        f"      <tr><td>{html.escape(dimension)}</td><td><code>{html.escape(unit)}</code></td></tr>"
        for dimension, unit in units.CANONICAL_UNITS.items()
    )
    metrics = "\n".join(
        f"      <tr><td><code>{html.escape(name)}</code></td><td>{html.escape(meaning)}</td><td><code>{html.escape(unit)}</code></td></tr>"
        for name, meaning, unit in ((m.name, m.meaning, m.unit) for m in metadata.METRICS.values())
    )
    specs = params.specs()
    parameters = "\n".join(
        f'      <tr><th scope="row"><code>{html.escape(name)}</code></th><td>{html.escape(str(values.get(name, spec["default"])))}</td>'
        f"<td>{html.escape(str(spec.get('unit', '')))}</td><td>{html.escape(str(spec['default']))}</td>"
        f"<td>{html.escape(str(spec['description']))}</td><td>{html.escape(str(spec.get('source', '')))}</td></tr>"
        for name, spec in specs.items()
    )
    sources = "\n".join(
        f'      <tr id="source-{html.escape(row["source_id"])}"><th scope="row">{html.escape(row["source_id"])}</th>'
        f"<td>{html.escape(row['title'] or '(no title)')}</td><td>{html.escape(row['publisher'])}</td><td>{html.escape(row['date'])}</td>"
        f"<td><code>data/raw/articles/{html.escape(row['file'])}</code></td><td>{html.escape(row['note'])}</td></tr>"
        for row in _read_csv(sources_csv or paths.SOURCES_CSV)
    )
    references = "\n".join(
        f"      <tr><td>{html.escape(row['producer'])}, <cite>{html.escape(row['title'])}</cite>, {html.escape(row['edition'])}</td>"
        f'<td><a href="https://doi.org/{html.escape(row["doi"])}">doi:{html.escape(row["doi"])}</a></td>'
        f"<td>{html.escape(row['licence'])}</td><td><code>data/raw/reference/{html.escape(row['file'])}</code></td></tr>"
        for row in _read_csv(references_csv or paths.REFERENCES_CSV)
    )
    body = f"""  <h1>Method</h1>
  <p>How every number on these pages is made, from the articles to the figures.</p>

  <h2 id="pipeline">Pipeline</h2>
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
    <li><strong>Publish.</strong> The executed notebooks become these pages (nbconvert, code hidden behind
      &ldquo;Show code&rdquo;), with this page, the <a href="{CLAIMS_PAGE[0]}">claims explorer</a> and the
      <a href="index.html">index</a>. A step reruns only when its inputs (code, data, parameters, locked packages) change.</li>
  </ol>

  <h2 id="units">Units and conversions</h2>
  <p>Units are read with <a href="https://pint.readthedocs.io/">pint</a> and the project's own registry
  (<code>src/rare_earths/units.txt</code>), which defines every unit the sources use and no other.
  &ldquo;Tons&rdquo;, &ldquo;tonnes&rdquo; and &ldquo;metric tons&rdquo; are the metric tonne (1,000 kg), as these sources
  mean; <code>kt</code> is the kilotonne; a year is 365.25 days; crore is 10<sup>7</sup> and lakh 10<sup>5</sup>.
  A range (&ldquo;180,000-202,000&rdquo;) keeps both ends; a qualifier (&ldquo;over&rdquo;, &ldquo;around&rdquo;) makes the
  figure a bound. Rupees become dollars only in the notebooks, at the parameter <code>usd_inr</code>
  (here {html.escape(str(values.get("usd_inr", specs.get("usd_inr", {}).get("default", ""))))} rupees per US dollar).</p>
  <table class="data">
    <caption>Canonical unit of each kind of quantity in <code>data/processed/</code> (durations stay in weeks or years)</caption>
    <thead><tr><th scope="col">Dimension</th><th scope="col">Canonical unit</th></tr></thead>
    <tbody>
{canonical}
    </tbody>
  </table>
  <h3 id="metrics">What each claim can measure</h3>
  <table class="data">
    <thead><tr><th scope="col">Metric</th><th scope="col">Meaning</th><th scope="col">Canonical unit</th></tr></thead>
    <tbody>
{metrics}
    </tbody>
  </table>

  <h2 id="parameters">Parameters used</h2>
  <table class="data">
    <thead><tr><th scope="col">Parameter</th><th scope="col">Value in this run</th><th scope="col">Unit</th><th scope="col">Default</th><th scope="col">Meaning</th><th scope="col">Source of the default</th></tr></thead>
    <tbody>
{parameters}
    </tbody>
  </table>

  <h2 id="sources">Sources cited</h2>
  <h3>The articles</h3>
  <table class="data">
    <thead><tr><th scope="col">Id</th><th scope="col">Title</th><th scope="col">Publisher</th><th scope="col">Date</th><th scope="col">File</th><th scope="col">Note</th></tr></thead>
    <tbody>
{sources}
    </tbody>
  </table>
  <h3 id="references">Reference data</h3>
  <table class="data">
    <thead><tr><th scope="col">Publication</th><th scope="col">DOI</th><th scope="col">Licence</th><th scope="col">File</th></tr></thead>
    <tbody>
{references}
    </tbody>
  </table>
"""
    return page_html("Method: India's rare-earth supply chain", METHOD_PAGE[0], pages, body)
