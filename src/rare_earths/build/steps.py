"""The steps besides the notebooks, each a `runner.FolderStep`: what it reads, what it makes, and how.

- **The data step**: the claims, USGS, the audit and the conclusions into data/processed/, with
  the data package. It takes no parameter: data/processed/ is the same for every run.
- **The results**: reports/results.csv, every result the executed notebooks recorded.
- **The site**: the readers' pages from the executed notebooks, into reports/html/.

Each is built by the one runner (`runner.build`): skipped while its manifest holds, else staged,
checked and moved into place with its manifest, all together.
"""

from __future__ import annotations

import functools
from pathlib import Path

from rare_earths import paths
from rare_earths.build import runner
from rare_earths.build.execution import skip_slow_imports
from rare_earths.build.observation import LIBRARY, SHARED_INPUTS
from rare_earths.site import registry

PROCESSED_OUTPUTS = (
    paths.PROCESSED_CLAIMS_CSV.name,
    paths.PROCESSED_USGS_CSV.name,
    paths.PROCESSED_AUDIT_CSV.name,
    paths.PROCESSED_CONCLUSIONS_CSV.name,
    "datapackage.json",
)
RESULTS_MANIFEST = ".results.inputs.json"  # beside results.csv in reports/, whose other files are not this step's


def _make_data(staged: Path, said: list[str]) -> list[Path]:
    from rare_earths import audit
    from rare_earths.audit import conclusions
    from rare_earths.data import claims, datapackage, reference

    processed = paths.PROCESSED_CLAIMS_CSV.parent
    claims_csv = claims.build(output=staged / paths.PROCESSED_CLAIMS_CSV.name)
    usgs_csv = reference.build(staged / paths.PROCESSED_USGS_CSV.name)
    audit_csv = audit.build(staged / paths.PROCESSED_AUDIT_CSV.name, claims_path=claims_csv, usgs_path=usgs_csv)
    conclusions_csv = conclusions.build(
        staged / paths.PROCESSED_CONCLUSIONS_CSV.name, audit_path=audit_csv, claims_path=claims_csv
    )
    package = datapackage.build(staged / "datapackage.json")
    # Every table is read back through its schema before anything is moved into place.
    checks = audit.load(audit_csv)
    standings = conclusions.counts(conclusions.load(conclusions_csv))
    verdicts = ", ".join(f"{count} {verdict}" for verdict, count in checks.verdict.value_counts().sort_index().items())
    concluded = ", ".join(f"{count} {standing}" for standing, count in standings.items())
    written = {
        paths.PROCESSED_CLAIMS_CSV: f"{len(claims.load(claims_csv))} claims",
        paths.PROCESSED_USGS_CSV: f"{len(reference.load(usgs_csv))} USGS figures",
        paths.PROCESSED_AUDIT_CSV: f"{len(checks)} checks: {verdicts}",
        paths.PROCESSED_CONCLUSIONS_CSV: f"{sum(standings.values())} claims: {concluded}",
        processed / "datapackage.json": "the tables described as a Frictionless data package",
    }
    said.extend([f"wrote {paths.relative(path)} ({what})" for path, what in written.items()])
    return [claims_csv, usgs_csv, audit_csv, conclusions_csv, package]


def data_step(said: list[str]) -> runner.FolderStep:
    """`said`: filled with a line per table written, to print once they are in place."""
    # Looked up at call time, so the inputs are the files the step reads (tests point them elsewhere).
    return runner.FolderStep(
        name=f"{paths.relative(paths.PROCESSED)}/",
        folder=paths.PROCESSED,
        outputs=PROCESSED_OUTPUTS,
        reads=(
            paths.RAW_CLAIMS_CSV,
            paths.SOURCES_CSV,
            paths.ARTICLES,
            paths.REFERENCE,
            *(paths.ROOT / p for p in SHARED_INPUTS),
        ),
        make=functools.partial(_make_data, said=said),
    )


def build_data(*, force: bool = False) -> None:
    """The data step, unless its inputs are unchanged."""
    said: list[str] = []
    step = data_step(said)
    if runner.build(step, force=force) is None:
        print(f"{step.name} is up to date")
        return
    print("\n".join(said))


def results_step(executed: list[Path]) -> runner.FolderStep:
    def make(staged: Path) -> list[Path]:
        from rare_earths.build import results

        return [results.build(paths.EXECUTED, [path.name for path in executed], staged / paths.RESULTS_CSV.name)]

    return runner.FolderStep(
        name=paths.relative(paths.RESULTS_CSV),
        folder=paths.RESULTS_CSV.parent,
        outputs=(paths.RESULTS_CSV.name,),
        reads=tuple(executed),
        make=make,
        manifest=RESULTS_MANIFEST,
    )


def build_results(notebooks: tuple[str, ...]) -> None:
    """reports/results.csv from the executed notebooks there are, unless it is exactly what they give."""
    executed = [paths.EXECUTED / name for name in notebooks if (paths.EXECUTED / name).is_file()]
    step = results_step(executed)
    if runner.build(step) is None:
        print(f"{step.name} is up to date")
    else:
        print(f"wrote {step.name} (the results the notebooks recorded)")


def site_step(notebooks: tuple[str, ...], *, swept: bool) -> runner.FolderStep:
    """The readers' pages from these executed notebooks. Each page states the parameters its notebook
    ran with, read from the notebook, not from the command that made it. The build's version is an
    input: every page's footer states it."""
    from rare_earths.site import citation

    def make(staged: Path) -> list[Path]:
        skip_slow_imports()
        from rare_earths.site import report

        return report.render(html_dir=staged, names=notebooks, swept=swept)

    return runner.FolderStep(
        name=f"{paths.relative(paths.HTML)}/",
        folder=paths.HTML,
        outputs=tuple(registry.site_files(notebooks, paths.source_ids(), paths.DOWNLOADS)),
        reads=(*(paths.EXECUTED / name for name in notebooks), *SHARED_INPUTS),
        make=make,
        values={"version": citation.build_version(), "swept": swept},
        used_before_it_ran=(LIBRARY, "data"),
    )


def build_site(notebooks: tuple[str, ...], *, force: bool, swept: bool) -> list[Path]:
    """The site from every executed notebook there is, not only those this run made (--only, or a
    notebook that failed and kept its previous copy): pages link to each other. Returns its pages."""
    notebooks = tuple(name for name in notebooks if (paths.EXECUTED / name).is_file())
    step = site_step(notebooks, swept=swept)
    pages = [paths.HTML / page for page in registry.page_files(notebooks, paths.source_ids())]
    if runner.build(step, force=force) is None:
        print(f"{step.name} is up to date")
    else:
        print(f"wrote {len(pages)} pages to {step.name}, with their stylesheet and the tables to download")
    return pages
