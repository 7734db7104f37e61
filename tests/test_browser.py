"""The readers' site opened as a reader opens it: every page from disk in headless Chromium.

The site is rendered into a temporary folder from the committed notebooks (executed with the
default parameters), as the chain renders reports/html/, so the test checks the rendering code
itself and needs no earlier `make reports`. tests/browser/check_site.mjs (playwright-core driving
Debian's /usr/bin/chromium, axe-core injected in each page) visits every page once and reports;
the tests below judge. Screenshots of every page are saved to reports/screenshots/NAME.png.

Needs node, the npm packages of package-lock.json (`npm ci`) and Chromium: `make test` installs
them. Missing, the tests fail saying so; they never skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rare_earths import chain, paths, report

SCRIPT = paths.ROOT / "tests" / "browser" / "check_site.mjs"
SCREENSHOTS = paths.REPORTS / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = tuple(paths.page_files(chain.NOTEBOOKS))
BLOCKING = ("serious", "critical")


def _missing() -> list[str]:
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Debian: apt-get install nodejs npm)")
    for package in ("playwright-core", "axe-core"):
        if not (paths.ROOT / "node_modules" / package / "package.json").is_file():
            missing.append(f"the npm package {package} (run: npm ci)")
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    return missing


@pytest.fixture(scope="module")
def visit(tmp_path_factory) -> dict[str, dict]:
    """What the browser met on each page, by file name."""
    missing = _missing()
    if missing:
        pytest.fail("the browser test needs " + "; ".join(missing) + ". `make test` installs them.", pytrace=False)
    for old in SCREENSHOTS.glob("*.png"):  # so a screenshot found afterwards is this run's
        old.unlink()
    site = tmp_path_factory.mktemp("site")
    report.render(paths.NOTEBOOKS, site)
    done = subprocess.run(["node", str(SCRIPT), str(site), str(SCREENSHOTS), CHROMIUM], capture_output=True, text=True,
                          timeout=300, cwd=paths.ROOT)
    assert done.returncode == 0, f"the browser check could not run:\n{done.stderr[-3000:]}"
    pages = json.loads(done.stdout.strip().splitlines()[-1])["pages"]
    return {page["name"]: page for page in pages}


def test_every_page_of_the_site_was_opened(visit):
    assert sorted(visit) == sorted(PAGES)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_from_disk_without_errors_or_network(visit, name):
    page = visit[name]
    assert page["consoleErrors"] == [] and page["pageErrors"] == [], f"errors in the console: {page['consoleErrors'] + page['pageErrors']}"
    assert page["failedRequests"] == [], f"requests that failed: {page['failedRequests']}"
    assert page["externalRequests"] == [], f"requests that leave the disk: {page['externalRequests']}"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads_and_says_what_it_shows(visit, name):
    page = visit[name]
    assert page["brokenImages"] == [], f"images that did not load: {page['brokenImages']}"
    assert page["imagesWithoutAlt"] == [], f"images without alt text: {page['imagesWithoutAlt']}"
    if name not in ("index.html", *report.CLAIMS_PAGE[:1], *report.METHOD_PAGE[:1]):
        assert page["images"] >= 1, "a notebook page without its figures"


@pytest.mark.parametrize("name", PAGES)
def test_every_link_between_pages_resolves(visit, name):
    page = visit[name]
    assert page["brokenLinks"] == [], f"links to nothing: {page['brokenLinks']}"
    assert page["links"] >= len(PAGES), "the navigation bar does not link every page"


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violation(visit, name):
    blocking = [v for v in visit[name]["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], "axe-core: " + "; ".join(f"{v['id']} ({v['impact']}, {v['nodes']} elements: {v['targets']}): {v['help']}" for v in blocking)


@pytest.mark.parametrize("name", [Path(name).with_suffix(".html").name for name in chain.NOTEBOOKS])
def test_code_is_hidden_until_the_reader_asks_for_it(visit, name):
    toggle = visit[name].get("codeToggle")
    assert toggle, "no Show code button"
    assert toggle["before"] == 0, "code shown before the reader asked"
    assert toggle["shown"] >= 1 and toggle["label"] == "Hide code", "Show code showed nothing"
    assert toggle["after"] == 0, "Hide code did not hide the code again"


def test_the_claims_explorer_searches_and_sorts(visit):
    explorer = visit[report.CLAIMS_PAGE[0]]["explorer"]
    claims = (paths.PROCESSED_CLAIMS_CSV.read_text(encoding="utf-8").count("\n") - 1) if paths.PROCESSED_CLAIMS_CSV.is_file() else None
    if claims is not None:
        assert explorer["rows"] == claims, "the explorer does not list every claim"
    assert 0 < explorer["searchIREL"] < explorer["rows"], "searching 'IREL' did not narrow the claims"
    assert explorer["restored"] == explorer["rows"], "clearing the search did not bring every claim back"
    assert explorer["firstAfterSortDesc"] != explorer["firstBefore"], "sorting by claim id did not reorder the rows"


def test_a_screenshot_of_every_page_is_saved(visit):
    for name in PAGES:
        shot = SCREENSHOTS / name.replace(".html", ".png")
        assert shot.is_file() and shot.stat().st_size > 10_000, f"no screenshot of {name}"
