"""The site as a step of the build (`runner.FolderStep`): the readers' pages from the executed
notebooks, with the manifest that vouches for them, published at once: reports/html is a link to
the finished build, replaced by one rename."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from rare_earths.build import runner
from rare_earths.build.execution import skip_slow_imports
from rare_earths.build.observation import LIBRARY, SHARED_INPUTS
from rare_earths.project import Project, relative, site_url
from rare_earths.site import citation, layout, registry


def site_step(
    project: Project, notebooks: tuple[str, ...], *, swept: bool, failures: tuple[layout.Failure, ...] = ()
) -> runner.FolderStep:
    """The readers' pages from these executed notebooks. Each page states the parameters its notebook
    ran with, read from the notebook, not from the command that made it. The build's version is an
    input: every page's footer states it. `failures`: what failed in the run that built it, which
    every page states first."""

    def make(staged: Path) -> list[Path]:
        skip_slow_imports()
        # here: it costs 1.2 s (pandas, nbconvert, the audit), which a run with nothing to do never pays
        from rare_earths.site import report

        return report.render(project, html_dir=staged, names=notebooks, swept=swept, failures=failures)

    return runner.FolderStep(
        name=f"{relative(project.html)}/",
        root=project.root,
        folder=project.html,
        outputs=tuple(
            registry.site_files(
                notebooks,
                registry.source_ids(project.sources_csv),
                project.downloads,
                registry.chart_files(project.executed, notebooks),
            )
        ),
        reads=(*(project.executed / name for name in notebooks), *SHARED_INPUTS),
        make=make,
        values={
            "version": citation.build_version(project.root),
            "site_url": site_url(),  # the pages' structured data give their addresses under it
            "swept": swept,
            "failures": [dataclasses.asdict(failure) for failure in failures],
        },
        used_before_it_ran=(LIBRARY, "data"),
        linked=True,  # readers see it: published by one rename, never two builds mixed
    )


def build_site(
    project: Project, notebooks: tuple[str, ...], *, force: bool, swept: bool, failures: tuple[layout.Failure, ...] = ()
) -> list[Path]:
    """The site from these executed notebooks (those whose manifests hold, not only those this run
    made: pages link to each other), stating `failures` first. Returns its pages."""
    notebooks = tuple(name for name in notebooks if (project.executed / name).is_file())
    step = site_step(project, notebooks, swept=swept, failures=failures)
    pages = [project.html / page for page in registry.page_files(notebooks, registry.source_ids(project.sources_csv))]
    if runner.build(step, force=force) is None:
        print(f"{step.name} is up to date")
    else:
        print(f"wrote {len(pages)} pages to {step.name}, with their stylesheet and the tables to download")
    # Said, not refused: the pages are right, only heavy (a long site address, an article of many claims).
    for name, weight in registry.heavy_pages(project.html).items():
        print(
            f"warning: {step.name}{name} weighs {weight // 1024} KB with its stylesheet, over the "
            f"{registry.PAGE_WEIGHT_TARGET // 1024} KB a page should weigh on a phone"
        )
    return pages


def page_preparer(project: Project):
    """What a run calls as each notebook of the chain finishes: its page's cells rendered then
    (`notebooks.prepare`), while the other notebooks run, rather than after the last."""
    known: list[frozenset[str]] = []

    def prepare(executed: Path) -> None:
        skip_slow_imports()
        from rare_earths.data import claims  # here: as the site's own imports, never paid by a run with nothing to do
        from rare_earths.site import notebooks

        if not known:
            known.append(frozenset(claims.load(project.processed_claims_csv).claim_id))
        notebooks.prepare(executed, known[0])

    return prepare
