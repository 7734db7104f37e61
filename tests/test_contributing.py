"""CONTRIBUTING.md's recipe for adding an article, followed step by step in a project of its own:
a short article written for the test (tests/fixtures/contributed/), its row of sources.csv and its
claims, then `data`, `notebooks` (the committed outputs refreshed), nbval on them, and `run` (the
reports and the site). Each figure was chosen for the conclusion it should get against today's
articles and USGS (an article that states the same figures would change them, as it should); the
test checks those conclusions, the counts and words the pages derive from the sources, and the pages."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from conftest import CHECKOUT, FIXTURES, Said, command_here, make_project

from rare_earths import analysis, vocabulary
from rare_earths.build import chain
from rare_earths.data import claims, coverage, provenance
from rare_earths.site import claimreview, registry

pytestmark = pytest.mark.slow

GIVEN = FIXTURES / "contributed"
ARTICLE = GIVEN / "005_test_wire.txt"
# The fixture is written as article a005; it is added under the next free id, so the test still
# holds once a real article takes a005.
WRITTEN_AS = "a005"
with CHECKOUT.sources_csv.open(encoding="utf-8", newline="") as _catalogue:
    BEFORE = [row["source_id"] for row in csv.DictReader(_catalogue)]
NUMBER = max(int(source_id[1:]) for source_id in BEFORE) + 1
NEW = f"a{NUMBER:03d}"
FILE = f"{NUMBER:03d}_test_wire.txt"


def as_added(text: str) -> str:
    """The fixture's words with its id and file name those it is added under."""
    return text.replace(ARTICLE.name, FILE).replace(WRITTEN_AS, NEW)


# What each figure of the article should be found to be (standing, deciding verdict) and why.
EXPECTED = {
    f"{NEW}-01": ("confirmed", "consistent"),  # 6.9 Mt exactly, USGS's; a000's "approximately 6.9" does not undo it
    f"{NEW}-02": ("confirmed", "consistent"),  # China's 44 Mt, USGS's
    f"{NEW}-03": ("does_not_hold", "contradicted"),  # Myanmar (USGS's Burma) 80,000 t in 2024; USGS: 31,000 t
    f"{NEW}-04": ("does_not_hold", "contradicted"),  # 20% of the world's output; USGS's figures give 8%
    f"{NEW}-05": ("confirmed", "consistent"),  # the USA's 45,000 t in 2024, USGS's (United States)
    f"{NEW}-06": ("confirmed", "consistent"),  # the four-year average of "around $33 million", as a001 says it
    f"{NEW}-07": ("consistent", "consistent"),  # "30 applications" where a002 says "Around 30": not confirmed
    f"{NEW}-08": ("unchecked", "not_checked"),  # a second budget of the Government of India: no contradiction
}


def command(project, workers, *arguments: str) -> Said:
    """`python -m rare_earths --project DIR ...`, as the Makefile's targets run it, but in this
    process, on the test run's workers (conftest's `command_here`)."""
    return command_here(workers, "--project", str(project.root), *arguments)


def add_the_article(project) -> None:
    """CONTRIBUTING.md, "Add an article and its claims", steps 1 to 3."""
    shutil.copy2(ARTICLE, project.articles / FILE)  # 1. the article, as received
    checksum = hashlib.sha256(ARTICLE.read_bytes()).hexdigest()  # 2. its row of sources.csv
    row = as_added((GIVEN / "source.csv").read_text(encoding="utf-8")).replace("{sha256}", checksum)
    with project.sources_csv.open("a", encoding="utf-8", newline="") as sources:
        sources.write(row)
    with project.raw_claims_csv.open("a", encoding="utf-8", newline="") as rows:  # 3. its claims
        rows.write(as_added((GIVEN / "claims.csv").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def contributed(tmp_path_factory, workers):
    """The project with the article added and every step of the recipe run; each step's output."""
    project = make_project(tmp_path_factory.mktemp("contributed") / "project")
    add_the_article(project)
    said = {}
    # 4. make data; 5. make notebooks; make reports, but for its sensitivity sweep: the notebooks
    # run again with other values, which tests/build/test_sweep.py and test_run.py cover.
    for step in (("data",), ("notebooks",), ("run", "--no-sweep")):
        done = command(project, workers, *step)
        assert done.returncode == 0, f"{' '.join(step)} failed:\n{done.stdout}\n{done.stderr}"
        said[step[0]] = done.stdout
    return project, said


def test_the_new_figures_get_the_conclusions_they_were_written_for(contributed):
    project, _ = contributed
    concluded = pd.read_csv(project.processed_conclusions_csv).set_index("claim_id")
    got = {claim_id: (concluded.standing[claim_id], concluded.verdict[claim_id]) for claim_id in EXPECTED}
    assert got == EXPECTED
    assert concluded.tested_against[f"{NEW}-01"].startswith("USGS MCS2025"), "judged by the edition of its date"
    assert concluded.tested_against[f"{NEW}-06"] == "another article, a001"


def test_earlier_conclusions_change_only_where_the_new_article_restates_their_figure(contributed):
    """An independent article that states a figure again confirms it: a001's "around USD 33 million"
    and a002's "Around 30 applications" (which "30 applications" lies within); nothing else moves."""
    project, _ = contributed
    before = pd.read_csv(CHECKOUT.processed_conclusions_csv).set_index("claim_id")
    after = pd.read_csv(project.processed_conclusions_csv).set_index("claim_id").loc[before.index]
    moved = before.index[(after.standing != before.standing) | (after.verdict != before.verdict)]
    assert sorted(moved) == ["a001-05", "a002-01"]
    assert set(after.loc[moved, "standing"]) == {"confirmed"}
    assert set(after.loc[moved, "tested_against"]) == {f"another article, {NEW}"}


def test_every_number_of_the_new_article_is_a_claim_or_an_exclusion(contributed):
    """What tests/data/test_coverage.py asks of every article, asked of the new one."""
    project, _ = contributed
    raw, _, articles, _ = claims.load_checked(
        project.raw_claims_csv, project.sources_csv, project.articles, project.subjects_csv
    )
    spans = coverage.claim_spans(raw, articles) + coverage.exclusion_spans(
        coverage.load_exclusions(project.exclusions_csv), articles
    )
    assert [item for item in coverage.uncovered(articles, spans) if item.source_id == NEW] == []


def test_two_budgets_of_one_subject_are_two_rows_told_apart_by_their_item(contributed):
    project, _ = contributed
    table = claims.load(project.processed_claims_csv)
    budgets = analysis.budgets(table, usd_inr=84.57)
    government = budgets[budgets.subject == "Government of India"].set_index("claim_ids")
    assert government.loc[f"{NEW}-08", "inr_crore"] == 7280 and government.loc["a001-01", "inr_crore"] == 1345
    assert government.item[f"{NEW}-08"] != government.item["a001-01"]


def test_a_country_named_as_usgs_does_not_name_it_is_found_by_its_alias(contributed):
    project, _ = contributed
    table = claims.load(project.processed_claims_csv).set_index("claim_id")
    assert table.subject[f"{NEW}-03"] == "Burma" and table.subject[f"{NEW}-05"] == "USA"


def test_the_counts_and_words_follow_the_sources(contributed):
    project, said = contributed
    sources = provenance.load_sources(project.sources_csv, project.articles)
    count = vocabulary.count_word(len(sources))
    assert count == vocabulary.count_word(len(BEFORE) + 1)
    package = json.loads(project.datapackage_json.read_text(encoding="utf-8"))
    assert f"{count} news articles" in package["title"]
    index = (project.html / registry.INDEX).read_text(encoding="utf-8")
    assert f"{count.capitalize()} news articles on India" in index


def test_the_notebooks_refreshed_with_the_article_pass_nbval(contributed):
    """CONTRIBUTING's step 5: the refreshed notebooks are what `make test`'s nbval then checks."""
    project, _ = contributed
    # With the checkout's pytest plugins, as `make test` runs nbval (its kernels forked).
    plugins = ["-o", f"pythonpath={CHECKOUT.root / 'tests' / 'plugins'}", "-p", "quick_imports", "-p", "forked_kernels"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            *plugins,
            "--nbval",
            "--nbval-current-env",
            "notebooks",
        ],
        cwd=project.root,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]


def test_the_site_has_the_article_its_reviews_and_every_page_under_the_weight_target(contributed):
    project, _ = contributed
    page = (project.html / registry.article_page(NEW)).read_text(encoding="utf-8")
    [script] = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.S)
    reviews = claimreview.expand(json.loads(script))
    assert sorted(review["url"].rpartition("#about-")[2] for review in reviews) == sorted(EXPECTED)
    heavy = {
        name: weight
        for name, weight in registry.page_weights(project.html).items()
        if weight > registry.PAGE_WEIGHT_TARGET
    }
    assert not heavy
    executed = {path.name for path in project.executed.glob("*.ipynb")}
    assert executed == set(chain.NOTEBOOKS)


def test_a_figure_whose_quote_lies_inside_anothers_opens_its_own_card(contributed):
    project, _ = contributed
    page = (project.html / registry.article_page(NEW)).read_text(encoding="utf-8")
    share = re.search(r'<a class="figure-link" href="#about-({NEW}-\d\d)"[^>]*>20%</a>'.replace("{NEW}", NEW), page)
    production = re.search(
        r'<a class="figure-link" href="#about-({NEW}-\d\d)"[^>]*>80,000 tonnes</a>'.replace("{NEW}", NEW), page
    )
    assert share and share.group(1) == f"{NEW}-04"
    assert production and production.group(1) == f"{NEW}-03"
