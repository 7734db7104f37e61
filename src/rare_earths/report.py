"""The readers' site: one HTML page per executed notebook, code hidden, and an index."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from . import atomic, chain, paths

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


def exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="report")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def render(executed_dir: Path | None = None, html_dir: Path | None = None, names: tuple[str, ...] = chain.NOTEBOOKS,
           values: dict[str, Any] | None = None, checks: pd.DataFrame | None = None) -> list[Path]:
    """Render every executed notebook, then the index, which leads with the audit's findings
    (`checks`, by default this run's data/processed/audit.csv); returns the pages written."""
    executed_dir, html_dir = executed_dir or paths.EXECUTED, html_dir or paths.HTML
    notebooks = {name: nbformat.read(executed_dir / name, as_version=4) for name in names}
    pages = [describe(notebook, name) for name, notebook in notebooks.items()]
    html_exporter = exporter()
    written = []
    for page in pages:
        resources = {
            "metadata": {"name": page.title},
            "report_notebook": page.notebook,
            "report_pages": [{"href": other.href, "title": other.title, "current": other is page} for other in pages],
        }
        body, _ = html_exporter.from_notebook_node(notebooks[page.notebook], resources=resources)
        target = html_dir / page.href
        atomic.write_text(target, body)
        written.append(target)
    if checks is None and paths.PROCESSED_AUDIT_CSV.exists():
        from . import audit  # here: it brings pandas and pandera, which only the index needs

        checks = audit.load()
    index = html_dir / "index.html"
    atomic.write_text(index, index_html(pages, values or {}, checks))
    return [index, *written]


AUDIT_NOTEBOOK = "06-audit.ipynb"


def findings_html(checks: pd.DataFrame | None, pages: list[Page]) -> str:
    """The audit's headline: the count of checks by verdict, then every finding that does not hold."""
    if checks is None or checks.empty:
        return ""
    from . import audit, metadata

    counted = checks.verdict.value_counts()
    summary = ", ".join(f"{counted.get(verdict, 0)} {verdict.replace('_', ' ')}" for verdict in metadata.VERDICTS)
    audit_page = next((page for page in pages if page.notebook == AUDIT_NOTEBOOK), None)
    link = f' <a href="{audit_page.href}">{html.escape(audit_page.title)}</a> has every check, with its quotes.' if audit_page else ""
    items = "\n".join(
        f"    <li>{html.escape(row.explanation)} <span class=\"claims\">(claims {html.escape(row.claim_ids)})</span></li>"
        for row in audit.headlines(checks).itertuples()
    )
    return f"""  <h2>Key findings</h2>
  <p>The audit made {len(checks)} checks of the articles' figures: {summary}.{link} These do not hold:</p>
  <ul class="findings">
{items}
  </ul>
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
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>India's rare-earth supply chain: reports</title>
  <style>
    body {{ font-family: system-ui, sans-serif; max-width: 52em; margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #1a1a1a; }}
    a {{ color: #0b4f8a; }}
    ul.pages {{ list-style: none; padding: 0; }}
    ul.pages h3 {{ font-size: 1.2em; margin-bottom: 0.2em; }}
    ul.findings li {{ margin-bottom: 0.6em; }}
    .claims {{ color: #444; font-size: 0.9em; }}
    table {{ border-collapse: collapse; }}
    th, td {{ text-align: left; padding: 0.2em 1em 0.2em 0; }}
  </style>
</head>
<body>
  <h1>India's rare-earth supply chain</h1>
  <p>Five news articles on India's dependence on China for rare-earth elements and magnets, with
  every figure traced to the words it came from, read into canonical units, and recomputed.
  Each page below is a notebook executed by <code>make reports</code>; every number on it is
  computed from <code>data/processed/</code> and cites the claims it uses.</p>
{findings_html(checks, pages)}  <h2>Reports</h2>
  <ul class="pages">
{items}
  </ul>
  <h2>Parameters of this run</h2>
  <table>
    <tbody>
{parameters}
    </tbody>
  </table>
  <p>Defaults, meanings and sources are in <code>params.yaml</code>; each page lists the ones it uses.</p>
</body>
</html>
"""
