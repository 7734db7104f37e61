"""What every page of the site is made from: the processed tables and articles (`Site`, from
`load_site`), each notebook page's title and summary (`Page`), the parameters the pages state, and
all of it together as a page builder receives it (`Render`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import nbformat

from rare_earths import audit, vocabulary
from rare_earths.audit import SEPARATOR, conclusions
from rare_earths.audit.usgs import current_editions
from rare_earths.data import claims, provenance, schemas, tables
from rare_earths.project import LAYOUT, Project
from rare_earths.site import citation, layout, registry

if TYPE_CHECKING:
    import pandas as pd

AUDIT_NOTEBOOK = "06-audit.ipynb"
# What each download (`Project.downloads`) holds, as the footer says it.
DOWNLOADS = {  # file -> (the link's words, what it holds)
    LAYOUT.processed_claims_csv.name: ("The claims", "every claim, with its quote and its value in standard units"),
    LAYOUT.processed_conclusions_csv.name: (
        "The conclusions",
        "one conclusion per claim: its standing, what decided it and what it was tested against",
    ),
    LAYOUT.processed_audit_csv.name: ("The audit", "every check of the audit, with its verdict and explanation"),
    LAYOUT.processed_usgs_csv.name: ("The USGS figures", "the USGS figures the claims are checked against"),
    "datapackage.json": (
        "What the columns mean",
        "every column of these tables, described (a Frictionless data package)",
    ),
}


@dataclass(frozen=True)
class Page:
    notebook: str
    title: str
    summary: str

    @property
    def href(self) -> str:
        return registry.notebook_page(self.notebook)


def describe(notebook: nbformat.NotebookNode, name: str) -> Page:
    """Title and summary from the notebook's first Markdown cell: "# Title", then one paragraph."""
    first = next((cell for cell in notebook.cells if cell.cell_type == "markdown"), None)
    lines = first.source.strip().splitlines() if first else []
    if not lines or not lines[0].startswith("# "):
        raise ValueError(f"{name}: the first Markdown cell must start with '# Title' and a summary paragraph")
    paragraphs = "\n".join(lines[1:]).strip().split("\n\n")
    return Page(name, lines[0][2:].strip(), " ".join(paragraphs[0].split()))


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


# --- what every page draws on -----------------------------------------------------------------


@dataclass(frozen=True)
class Dated:
    """When an article is dated (sources.csv's `date`, empty where it states none), the date its
    figures are judged at (`as_of`), and the USGS edition current then (`usgs.current_editions`)."""

    date: str
    as_of: str
    edition: str


@dataclass
class Site:
    """The data the pages show, read once per rendering, from one project."""

    project: Project
    claims: pd.DataFrame
    checks: pd.DataFrame
    names: dict  # source_id -> provenance.SourceName
    articles: dict[str, str]  # source_id -> text
    exclusions: pd.DataFrame
    furniture: pd.DataFrame  # lines of the articles that are their web pages' furniture
    footer: layout.Footer
    conclusions: pd.DataFrame = None  # one row per claim (audit.conclusions)
    results: dict = None  # (notebook, name) -> the result it recorded, from the executed notebooks rendered
    dated: dict = None  # source_id -> Dated: when the article is dated and judged, against which USGS edition

    def recorded(self, notebook: str, name: str) -> float:
        """A result's value as the notebook recorded it; KeyError names what is missing."""
        try:
            return self.results[notebook, name]["value"]
        except (KeyError, TypeError):
            raise KeyError(
                f"{notebook} recorded no result {name!r}: the page that shows it reads it from there"
            ) from None

    def page(self, template: str, **context) -> str:
        """A page of this site: `template` (templates/site/, extending the one layout) with `context`,
        its footer, and the claims and articles its text may name (`layout.Links`)."""
        links = dataclasses.replace(self.links, here=context.get("current", ""))
        return layout.render(template, footer=self.footer, claim_links=links, **context)

    @property
    def links(self) -> layout.Links:
        return layout.Links(frozenset(self.known), self.names)

    @property
    def known(self) -> set[str]:
        return set(self.claims.claim_id)

    def verdicts_on(self, claim_id: str) -> list[str]:
        """The verdicts of the checks that judge this claim (its `judges`), most serious first; a
        check that only used it as an input says nothing about it."""
        found = {row.verdict for row in self.checks.itertuples() if claim_id in row.judges.split(SEPARATOR)}
        return [verdict for verdict in vocabulary.VERDICTS if verdict in found]

    def status(self) -> dict[str, str]:
        """Each claim's standing, as conclusions.csv gives it."""
        return dict(zip(self.conclusions.claim_id, self.conclusions.standing, strict=True))


@dataclass
class Render:
    """What every page builder of `registry.PAGES` is given: the site's data, the executed notebooks
    with their pages, and the parameters the pages state."""

    site: Site
    notebooks: dict[str, nbformat.NotebookNode]  # name -> executed notebook, in the chain's order
    pages: list[Page]  # each notebook's page
    values: dict[str, Any]  # each parameter's value across the notebooks (`parameters_of`)
    swept: bool  # the default sweep in reports/sweep/ is up to date with these notebooks


def _as_readers_know(failure: layout.Failure, project: Project, names: tuple[str, ...]) -> layout.Failure:
    """A failure with its report's title (from the notebook's source) and its page, if these pages
    have one (its last complete run): what a reader knows it by."""
    try:
        title = describe(nbformat.read(project.notebooks / failure.notebook, as_version=4), failure.notebook).title
    except (OSError, ValueError):
        title = failure.notebook
    page = registry.notebook_page(failure.notebook) if failure.notebook in names else ""
    return dataclasses.replace(failure, report=title, page=page)


def load_site(
    project: Project,
    checks: pd.DataFrame | None = None,
    failures: tuple[layout.Failure, ...] = (),
    names: tuple[str, ...] = (),
) -> Site:
    sources = provenance.load_sources(project.sources_csv, project.articles)
    editions = current_editions(sources, provenance.load_references(project.references_csv, project.reference))
    footer = layout.Footer(
        cite=citation.cite_line(project.citation_cff),
        version=citation.build_version(project.root),
        licences=tuple(citation.licences(project.root).items()),
        downloads=tuple(
            (path.name, *DOWNLOADS[path.name], path.suffix.removeprefix(".").upper()) for path in project.downloads
        ),
        failures=tuple(_as_readers_know(failure, project, names) for failure in failures),
    )
    return Site(
        project=project,
        claims=claims.load(project.processed_claims_csv),
        checks=audit.load(project.processed_audit_csv) if checks is None else checks,
        names=provenance.source_names(project.sources_csv),
        articles=provenance.load_articles(sources, project.articles),
        exclusions=tables.read_raw(schemas.EXCLUSIONS, project.exclusions_csv),
        furniture=tables.read_raw(schemas.FURNITURE, project.furniture_csv),
        footer=footer,
        conclusions=conclusions.load(project.processed_conclusions_csv),
        dated={row.source_id: Dated(row.date, row.as_of, editions[row.source_id]) for row in sources.itertuples()},
    )
