"""The steps besides the notebooks, each a `runner.FolderStep`: what it reads, what it makes, and how.

- **The data step**: the claims, USGS, the audit and the conclusions into data/processed/, with
  the data package. It takes no parameter: data/processed/ is the same for every run.
- **The results**: reports/results.csv, every result the executed notebooks recorded.

The site is a step of the same kind, declared with the site (`rare_earths.site.step`).

Each is built by the one runner (`runner.build`): skipped while its manifest holds, else staged,
checked and moved into place with its manifest, all together.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from rare_earths.build import results, runner
from rare_earths.build.observation import SHARED_INPUTS
from rare_earths.project import LAYOUT, Project, relative

PROCESSED_OUTPUTS = tuple(path.name for path in LAYOUT.downloads)  # every table, and the data package
RESULTS_MANIFEST = ".results.inputs.json"  # beside results.csv in reports/, whose other files are not this step's


def _make_data(staged: Path, project: Project, said: list[str]) -> list[Path]:
    # here: the audit and the tables cost 0.65 s (pandas, pandera, pint), which a run with nothing to do never pays
    from rare_earths import audit
    from rare_earths.audit import conclusions
    from rare_earths.data import claims, coverage, datapackage, furniture, provenance, reference, schemas
    from rare_earths.data.tables import read_raw

    claims_csv = claims.build(
        claims_path=project.raw_claims_csv,
        sources_path=project.sources_csv,
        articles_dir=project.articles,
        subjects_path=project.subjects_csv,
        output=staged / project.processed_claims_csv.name,
    )
    # The curated exclusions and furniture are checked here too (their schema, that each quote and number is in its
    # article, and that every number is a claim or excluded, once), so a mistake in them is one located error at
    # `make data`, not a crash in a notebook or a claim's figure set aside on the site.
    articles = provenance.load_articles(
        provenance.load_sources(project.sources_csv, project.articles), project.articles
    )
    raw_claims = read_raw(schemas.RAW_CLAIMS, project.raw_claims_csv)  # checked by claims.build above
    coverage.check(raw_claims, coverage.load_exclusions(project.exclusions_csv), articles, project.exclusions_csv)
    claimed = claims.load(claims_csv)
    furniture.check(furniture.load(project.furniture_csv), articles, project.furniture_csv, claims=claimed)
    usgs_csv = reference.build(staged / project.processed_usgs_csv.name, project)
    audit_csv = audit.build(
        staged / project.processed_audit_csv.name, claims_path=claims_csv, usgs_path=usgs_csv, project=project
    )
    checks = audit.load(audit_csv)  # read back through its schema, as every table below
    conclusions_csv = conclusions.build(
        checks, staged / project.processed_conclusions_csv.name, claims_path=claims_csv, project=project
    )
    package = datapackage.build(
        staged / project.datapackage_json.name, sources_path=project.sources_csv, references_path=project.references_csv
    )
    # Every table is read back through its schema before anything is moved into place.
    standings = conclusions.counts(conclusions.load(conclusions_csv))
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in checks.verdict.value_counts().sort_index().items())
    concluded = ", ".join(f"{count} {standing}" for standing, count in standings.items())
    written = {
        project.processed_claims_csv: f"{len(claimed)} claims",
        project.processed_usgs_csv: f"{len(reference.load(usgs_csv))} USGS figures",
        project.processed_audit_csv: f"{len(checks)} checks: {verdicts}",
        project.processed_conclusions_csv: f"{sum(standings.values())} claims: {concluded}",
        project.datapackage_json: "the tables described as a Frictionless data package",
    }
    said.extend([f"wrote {relative(path)} ({what})" for path, what in written.items()])
    return [claims_csv, usgs_csv, audit_csv, conclusions_csv, package]


def data_step(project: Project, said: list[str]) -> runner.FolderStep:
    """`said`: filled with a line per table written, to print once they are in place."""
    return runner.FolderStep(
        name=f"{relative(project.processed)}/",
        root=project.root,
        folder=project.processed,
        outputs=PROCESSED_OUTPUTS,
        reads=(
            project.raw_claims_csv,
            project.exclusions_csv,
            project.furniture_csv,
            project.subjects_csv,
            project.sources_csv,
            project.articles,
            project.reference,
            *SHARED_INPUTS,
        ),
        make=functools.partial(_make_data, project=project, said=said),
    )


def data_changes(project: Project) -> list[str]:
    """What changed since data/processed/ was built from data/raw/ and the code ([] if current)."""
    return runner.step_changes(data_step(project, []))


def build_data(project: Project, *, force: bool = False, starting: Callable[[], None] = lambda: None) -> None:
    """The data step, unless its inputs are unchanged. `starting`: called once it is known to run
    (a run then opens its workers, whose kernels warm while the data step works)."""
    said: list[str] = []
    step = data_step(project, said)
    if runner.build(step, force=force, starting=starting) is None:
        print(f"{step.name} is up to date")
        return
    print("\n".join(said))


def results_step(project: Project, executed: list[Path]) -> runner.FolderStep:
    def make(staged: Path) -> list[Path]:
        return [results.build(project.executed, [path.name for path in executed], staged / project.results_csv.name)]

    return runner.FolderStep(
        name=relative(project.results_csv),
        root=project.root,
        folder=project.results_csv.parent,
        outputs=(project.results_csv.name,),
        reads=tuple(executed),
        make=make,
        # Which notebooks it collects is an input of its own: a notebook left out (it failed, so its
        # old copy is no longer vouched for) is still among the files the last run observed.
        values={"notebooks": [path.name for path in executed]},
        manifest=RESULTS_MANIFEST,
    )


def build_results(project: Project, notebooks: tuple[str, ...]) -> None:
    """reports/results.csv from the executed notebooks there are, unless it is exactly what they give."""
    executed = [project.executed / name for name in notebooks if (project.executed / name).is_file()]
    step = results_step(project, executed)
    if runner.build(step) is None:
        print(f"{step.name} is up to date")
    else:
        print(f"wrote {step.name} (the results the notebooks recorded)")
