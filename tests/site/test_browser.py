"""The readers' site opened as readers open it: every page from disk in headless Chromium, on a
phone (390 px wide) and a desktop (1280 px), in light and in dark colours, and printed.

The site is rendered into a temporary folder from the committed notebooks (executed with the
default parameters), as the chain renders reports/html/ (tests/conftest.py's `site`, rendered once
per test run for the site's tests and this one), so the test checks the rendering code itself and
needs no earlier `make reports`. tests/browser/check_site.mjs (playwright-core driving
Debian's /usr/bin/chromium, axe-core injected in each page) visits every page it finds in that
folder once per variant and reports what it met; the tests below judge, each naming the page, the
variant and the element or words at fault.

Every check runs in every variant but one: axe-core's, which takes about half the time a page
takes, runs on every page at 1280 px in light and in dark colours and at 390 px in light colours
(the phone's width, where the navigation and the tables change); not at 768 px, nor at 390 px in
dark colours. At 1280 px a page with a "Show code" button is checked again once it is pressed, on
what the press revealed (whatever was hidden before it and shows after) and the button.

Screenshots, as JPEG, are saved outside the checkout as NAME-WIDTH-SCHEME.jpg: every page at 390
and 1280 px in light colours, the index also at 390 px in dark. By default, the first screen of
each page (what a reader meets on opening it, the verdict first), in this test run's temporary
folder (pytest's basetemp, the last three runs' kept); whole pages, in the folder named by
RARE_EARTHS_SCREENSHOTS when it is set (what they cost: tests/browser/check_site.mjs).
`make test` prints the folder at the end of its report.

Needs node, the npm packages of package-lock.json (`npm ci`) and Chromium: `make test` installs
them. Missing, the tests fail saying so; they never skip.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import CHECKOUT

from rare_earths.build import chain
from rare_earths.site import registry

# About 45 s in Chromium on two cores: tests/conftest.py starts it first.
pytestmark = pytest.mark.slow

SCRIPT = CHECKOUT.root / "tests" / "browser" / "check_site.mjs"
# Where whole-page screenshots go; unset, the first screens go to `screenshots/` in the run's temporary folder.
SCREENSHOTS_VARIABLE = "RARE_EARTHS_SCREENSHOTS"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOTEBOOK_PAGES = tuple(Path(name).with_suffix(".html").name for name in chain.NOTEBOOKS)
CLAIMS_PAGE = registry.page("claims").file
# The variants check_site.mjs opens each page in; the first also collects what does not depend on
# the screen (links, ids, text, figures) and works the page's controls.
SCREENS = ("1280-light", "390-light", "768-light", "1280-dark", "390-dark")
FIRST = SCREENS[0]
PRINT = "print"
# The variants axe-core runs in (check_site.mjs's `axe`): the desktop in both schemes and the phone's
# width, where the navigation and the tables change.
AXE_SCREENS = ("1280-light", "390-light", "1280-dark")
SHOTS_OF_EVERY_PAGE = ("390-light", "1280-light")
SHOTS_OF_THE_INDEX = ("390-dark",)

# Words no reader should meet outside code: a column or variable name, a missing number shown as
# NaN, an internal check id such as value_in_range:a000-01.
SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
NAN = re.compile(r"\bNaN\b")
CHECK_ID = re.compile(r"\b[a-z_]+:a\d{3}-\d{2}\b")
# A date as code writes it (2025-08-14), and a file or a path of the project (claims.csv,
# data/raw/claims.csv); not a unit ("kg/year") or a web address, which readers meet as such.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PATH = re.compile(
    r"(?<![/\w.])[\w-]+\.(?:csv|json|ipynb|py|yaml|txt)\b|\b(?:data|reports|notebooks|src|tests|benchmarks)/[\w./-]+"
)
CLAIM_ID = re.compile(r"\b[a-z]\d{3}-\d{2}\b")
# Computed styles that can mark a claim opened by its address (see check_site.mjs).
MARKS = (
    "background-color",
    "background-image",
    "outline-style",
    "box-shadow",
    "border-top-color",
    "border-bottom-style",
    "text-decoration-line",
    "color",
    "font-weight",
)
MAX_LISTED = 12  # offenders listed per message; the count says how many more


def _missing() -> list[str]:
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Debian: apt-get install nodejs npm)")
    for package in ("playwright-core", "axe-core"):
        if not (CHECKOUT.root / "node_modules" / package / "package.json").is_file():
            missing.append(f"the npm package {package} (run: npm ci)")
    if not Path(CHROMIUM).is_file():
        missing.append(f"Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    return missing


# --- what the pages should hold, read from the data ------------------------------------------------


def _expected_pages() -> list[str] | None:
    """Every page the renderer is meant to write: the registry's."""
    return registry.page_files(chain.NOTEBOOKS, registry.source_ids(CHECKOUT.sources_csv))


def _article_page(source_id: str) -> str:
    return registry.article_page(source_id)


def _sources() -> list[dict[str, str]]:
    with open(CHECKOUT.sources_csv, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _claims() -> dict[str, str]:
    """claim_id -> source_id, in the order of the processed claims."""
    with open(CHECKOUT.processed_claims_csv, encoding="utf-8", newline="") as file:
        return {row["claim_id"]: row["source_id"] for row in csv.DictReader(file)}


def _normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _highlight_argument() -> str | None:
    """An article page opened at one claim, and another claim of the same article to compare with."""
    by_article: dict[str, list[str]] = defaultdict(list)
    for claim_id, source_id in _claims().items():
        by_article[source_id].append(claim_id)
    for source_id, claim_ids in by_article.items():
        if len(claim_ids) >= 2:
            return f"{_article_page(source_id)}#{claim_ids[0]},{claim_ids[1]}"
    return None


# --- the visit ---------------------------------------------------------------------------------------


def screenshots_folder(tmp_path_factory) -> Path:
    """Where the screenshots are saved: RARE_EARTHS_SCREENSHOTS's folder, or `screenshots/` in the
    test run's temporary folder (the same for every pytest-xdist worker); never in the checkout."""
    from conftest import shared_folder

    named = os.environ.get(SCREENSHOTS_VARIABLE)
    return Path(named).resolve() if named else shared_folder(tmp_path_factory) / "screenshots"


class Visit:
    """What the browser met: `pages[name][variant]` holds one page's facts in one variant."""

    def __init__(self, site: Path, report_json: dict, screenshots: Path):
        self.site = site.resolve()
        self.screenshots = screenshots
        self.seconds = report_json["seconds"]
        self.variants = report_json["variants"]
        self.axe_variants = report_json["axeVariants"]
        self.pages = {page["name"]: page["variants"] for page in report_json["pages"]}
        self.highlight = report_json.get("highlight", {})

    def file_of(self, url: str | None) -> str | None:
        """A resolved file: URL as a path relative to the site's folder ('../…' outside it)."""
        if not url or not url.startswith("file:"):
            return None
        return os.path.relpath(Path(unquote(urlparse(url).path)).resolve(), self.site).replace(os.sep, "/")


def _lanes() -> int:
    """How many variants the browser check visits at a time: two when this is the only test
    process, to spread the browser over two cores; one beside other test processes (`make test`
    runs one more than the cores), where a second only added contention: on 2 cores `make test`'s
    pytest took 160 s with one against 165-175 s with two (313 CPU-seconds against 327-344)."""
    return 1 if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1 else 2


@pytest.fixture(scope="module")
def visit(site, tmp_path_factory) -> Visit:
    missing = _missing()
    if missing:
        pytest.fail("the browser test needs " + "; ".join(missing) + ". `make test` installs them.", pytrace=False)
    screenshots = screenshots_folder(tmp_path_factory)
    assert not screenshots.is_relative_to(CHECKOUT.root), (
        f"{SCREENSHOTS_VARIABLE} names {screenshots}, inside the checkout: the tests write nothing there"
    )
    screenshots.mkdir(parents=True, exist_ok=True)
    # So that a screenshot found afterwards is this run's: only the files this check writes, as the
    # folder may be one of the reader's own (found by review: every picture in it was removed).
    for page in site.glob("*.html"):
        for variant in (*SHOTS_OF_EVERY_PAGE, *SHOTS_OF_THE_INDEX):
            (screenshots / f"{page.stem}-{variant}.jpg").unlink(missing_ok=True)
    command = ["node", str(SCRIPT), str(site), str(screenshots), CHROMIUM, "--lanes", str(_lanes())]
    if os.environ.get(SCREENSHOTS_VARIABLE):
        command.append("--whole-pages")
    highlight = _highlight_argument()
    if highlight:
        command += ["--highlight", highlight]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=CHECKOUT.root)
    assert done.returncode == 0, f"the browser check could not run:\n{done.stderr[-3000:]}"
    try:
        return Visit(site, json.loads(done.stdout.strip().splitlines()[-1]), screenshots)
    except (IndexError, ValueError) as error:
        pytest.fail(
            f"the browser check reported no JSON ({error}):\n{done.stdout[-1000:]}\n{done.stderr[-2000:]}",
            pytrace=False,
        )


def _fail_if(problems: list[str], what: str) -> None:
    if problems:
        listed = problems[:MAX_LISTED] + (
            [f"... and {len(problems) - MAX_LISTED} more"] if len(problems) > MAX_LISTED else []
        )
        pytest.fail(f"{what} ({len(problems)}):\n  " + "\n  ".join(listed), pytrace=False)


# --- the tests ---------------------------------------------------------------------------------------


def test_every_page_of_the_site_was_opened_in_every_variant(visit):
    expected = _expected_pages()
    found = sorted(visit.pages)
    assert found, "the rendered site has no page"
    if expected is not None:
        assert set(found) == set(expected), (
            f"pages rendered but not expected: {sorted(set(found) - set(expected))}; "
            f"expected but not rendered: {sorted(set(expected) - set(found))}"
        )
    unopened = [
        f"{name} at {variant}"
        for name, variants in visit.pages.items()
        for variant in visit.variants
        if variant not in variants
    ]
    _fail_if(unopened, "pages not opened")


def test_pages_load_from_disk_without_errors_or_network(visit):
    problems = []
    for name, variants in sorted(visit.pages.items()):
        for variant, facts in variants.items():
            for key, what in (
                ("consoleErrors", "console error"),
                ("pageErrors", "script error"),
                ("failedRequests", "failed request"),
                ("externalRequests", "request leaving the disk"),
            ):
                problems += [f"{name} at {variant}: {what}: {item}" for item in facts.get(key, [])]
    _fail_if(problems, "errors and requests a reader's browser would meet")


def test_no_page_scrolls_sideways_on_a_phone_or_a_desktop(visit):
    problems = []
    for name, variants in sorted(visit.pages.items()):
        for variant in SCREENS:
            facts = variants.get(variant, {})
            for key, when in (("overflow", ""), ("overflowWithCode", " with the code shown")):
                overflow = facts.get(key)
                if overflow and overflow["scrollWidth"] > overflow["innerWidth"] + 1:
                    sticking = "; ".join(overflow["offenders"]) or "no single element found"
                    problems.append(
                        f"{name} at {variant}{when}: the page is {overflow['scrollWidth']} px wide in a "
                        f"{overflow['innerWidth']} px window; sticking out: {sticking}"
                    )
    _fail_if(problems, "pages that scroll sideways")


def _short(selector: str, keep: int = 50) -> str:
    """A long CSS selector by its two ends: where it starts (a cell's id) and what it picks."""
    return selector if len(selector) <= 2 * keep else selector[:keep] + " … " + selector[-keep:]


def test_no_accessibility_violation_in_light_or_dark(visit):
    """axe-core's violations of any impact, on every page at 1280 px in light and dark colours and at
    390 px in light colours (and with the code shown, at 1280 px). Not at 768 px nor at 390 px in
    dark colours: what this gives up is a violation only those show, such as a contrast failure of
    dark colours on an element only the phone's layout has."""
    assert sorted(visit.axe_variants) == sorted(AXE_SCREENS), f"axe-core ran in {visit.axe_variants}"
    unchecked = [
        f"{name} at {variant}"
        for name, variants in sorted(visit.pages.items())
        for variant in AXE_SCREENS
        if "violations" not in variants.get(variant, {})
    ]
    _fail_if(unchecked, "pages axe-core did not check")
    met: dict[tuple[str, str], list[str]] = defaultdict(list)  # (page, violation) -> the variants it was met in
    for name, variants in sorted(visit.pages.items()):
        for variant in AXE_SCREENS:
            for v in variants[variant]["violations"]:
                what = f"{v['id']} ({v['impact']}, {v['nodes']} elements: {', '.join(_short(t) for t in v['targets'][:3])}): {v['help']}"
                met[(name, what)].append(variant)
    _fail_if(
        [f"{name} ({', '.join(variants)}): {what}" for (name, what), variants in met.items()],
        "axe-core violations, of any impact",
    )


def test_screenshots_of_the_pages_are_saved(visit):
    """Each one a picture of its page at its width: its first screen, or (RARE_EARTHS_SCREENSHOTS
    set) the whole page."""
    from PIL import Image

    wanted = [(name, variant) for name in sorted(visit.pages) for variant in SHOTS_OF_EVERY_PAGE]
    wanted += [(registry.INDEX, variant) for variant in SHOTS_OF_THE_INDEX]
    whole = bool(os.environ.get(SCREENSHOTS_VARIABLE))
    problems = []
    for name, variant in wanted:
        width, scheme = variant.split("-")
        shot = visit.screenshots / f"{Path(name).stem}-{width}-{scheme}.jpg"
        if not (shot.is_file() and shot.stat().st_size > 10_000):
            problems.append(f"{name} at {variant}: no screenshot {shot}")
            continue
        taken = visit.pages[name][variant]["screenshot"]
        size = (int(width), taken["pageHeight"] if whole else taken["screen"]["height"])
        with Image.open(shot) as image:
            if taken["whole"] != whole or taken["screen"]["width"] != size[0] or image.size != size:
                problems.append(f"{name} at {variant}: {shot.name} is {image.size} pixels, not {size}")
    _fail_if(problems, "screenshots missing or not of what was asked")


def test_printed_tables_fit_the_page(visit):
    problems = []
    for name, variants in sorted(visit.pages.items()):
        printed = variants.get(PRINT, {})
        for table in printed.get("tables", []):
            if table["display"] != "table":  # a phone's cards are for the screen, not paper
                problems.append(f"{name} printed: {table['table']} is printed as {table['display']}, not as a table")
            if (
                table["scrollWidth"] > table["boxWidth"] + 1
                or table["scrollWidth"] > table["pageWidth"] + 1
                or table["right"] > table["pageWidth"] + 1
            ):
                problems.append(
                    f"{name} printed: {table['table']} is {table['scrollWidth']} px wide (right edge at "
                    f"{table['right']} px) in {table['box']} {table['boxWidth']} px wide, on a page "
                    f"{table['pageWidth']} px wide"
                )
    _fail_if(problems, "tables cut off on paper")


def test_every_claims_number_and_link_mark_is_a_tap_target_of_24_px(visit):
    problems = [
        f"{name} at {variant}: {target}"
        for name, variants in sorted(visit.pages.items())
        for variant, found in sorted(variants.items())
        if variant != PRINT
        for target in found.get("smallTargets", [])
    ]
    _fail_if(problems, "tap targets smaller than 24 by 24 px")


def test_printed_links_name_pages_not_files(visit):
    problems = [
        f"{name} printed: a link followed by {path}"
        for name, variants in sorted(visit.pages.items())
        for path in variants.get(PRINT, {}).get("paths", [])
    ]
    _fail_if(problems, "links printed with a file of the site after their words")


def test_print_keeps_each_conclusions_highlight(visit):
    problems = []
    for name, variants in sorted(visit.pages.items()):
        for kind, look in variants.get(PRINT, {}).get("marks", {}).items():
            if look["adjust"] != "exact" or look["background"] in ("rgba(0, 0, 0, 0)", "transparent"):
                problems.append(f"{name} printed: {kind} is {look}")
    printed = {kind for variants in visit.pages.values() for kind in variants.get(PRINT, {}).get("marks", {})}
    assert len(printed) == 4, f"the article pages printed highlights of {sorted(printed)} only"
    _fail_if(problems, "highlights whose conclusion paper would not show")


def test_printed_pages_leave_out_navigation_and_buttons(visit):
    problems = [
        f"{name} printed: {element}"
        for name, variants in sorted(visit.pages.items())
        for element in variants.get(PRINT, {}).get("shownControls", [])
    ]
    _fail_if(problems, "navigation or buttons printed")


def test_every_link_within_the_site_reaches_its_page_and_element(visit):
    problems = []
    for name, variants in sorted(visit.pages.items()):
        for link in variants[FIRST]["links"]:
            file, fragment = link["file"], link["hash"]
            if file is None:
                continue  # outside links (DOIs) are the reader's to follow, not loaded here
            if file.startswith("../") or file == ".." or os.path.isabs(file):
                problems.append(f"{name}: link {link['href']!r} leaves the site's folder")
            elif not (visit.site / file).is_file():
                problems.append(f"{name}: link {link['href']!r}: no such file {file}")
            elif fragment and file in visit.pages:
                if "=" in fragment:
                    continue  # key=value after # is a view of the claims explorer (its search and filters), not an element
                if fragment not in visit.pages[file][FIRST]["ids"]:
                    problems.append(f"{name}: link {link['href']!r}: {file} has no element with id {fragment!r}")
    _fail_if(problems, "links to nothing")


def test_every_page_can_be_reached_from_the_index(visit):
    assert registry.INDEX in visit.pages, "no index page"
    reached, waiting = {registry.INDEX}, [registry.INDEX]
    while waiting:
        for link in visit.pages[waiting.pop()][FIRST]["links"]:
            if link["file"] in visit.pages and link["file"] not in reached:
                reached.add(link["file"])
                waiting.append(link["file"])
    _fail_if(sorted(set(visit.pages) - reached), "pages no chain of links from the index reaches")


def test_a_claim_opened_by_its_address_is_highlighted(visit):
    assert visit.highlight, "no article has two claims to compare: nothing to check"
    problems = []
    for variant, facts in visit.highlight.items():
        where = f"{facts['page']}#{facts['target']} at {variant}"
        if not facts["exists"]:
            problems.append(f"{where}: no page {facts['page']}")
            continue
        if not facts["targetFound"] or not facts["otherFound"]:
            problems.append(f"{where}: no element with id {facts['target']!r} or {facts['other']!r}")
            continue
        if not facts["matchesTarget"]:
            problems.append(f"{where}: the element with id {facts['target']!r} is not the page's :target")
        target, other = facts["targetStyle"], facts["otherStyle"]
        if not [prop for prop in MARKS if target[prop] != other[prop]]:
            problems.append(
                f"{where}: looks the same as {facts['other']}, not opened: "
                + ", ".join(f"{prop} {target[prop]}" for prop in MARKS)
            )
    _fail_if(problems, "claims not marked when opened by their address")


def test_every_claim_id_in_the_text_links_to_its_sentence(visit):
    claims = _claims()
    problems = []
    for name, variants in sorted(visit.pages.items()):
        for mention in variants[FIRST].get("claimMentions", []):
            linked = visit.file_of(mention["href"])
            fragment = unquote(urlparse(mention["href"]).fragment) if mention["href"] else ""
            for claim_id in CLAIM_ID.findall(mention["text"]):
                if claim_id not in claims:
                    continue
                wanted = _article_page(claims[claim_id])
                if (linked, fragment) != (wanted, claim_id):
                    got = f"links to {linked}#{fragment}" if mention["href"] else "is not a link"
                    problems.append(
                        f"{name}: {claim_id} in {mention.get('where') or repr(mention['text'][:100])} {got}, not {wanted}#{claim_id}"
                    )
    _fail_if(problems, "claim ids that do not link to their sentence in the article")


def test_every_article_page_holds_the_full_text_and_every_claim(visit):
    claims = _claims()
    problems = []
    for source in _sources():
        page = _article_page(source["source_id"])
        if page not in visit.pages:
            problems.append(f"{page}: no such page (article {source['source_id']}, {source['file']})")
            continue
        facts = visit.pages[page][FIRST]
        shown = _normalised(facts["text"])
        article = (CHECKOUT.articles / source["file"]).read_text(encoding="utf-8")
        if _normalised(article) not in shown:
            lost = next(
                (line for line in article.splitlines() if _normalised(line) and _normalised(line) not in shown), None
            )
            problems.append(
                f"{page} at {FIRST}: the article's text is not all shown as it is written"
                + (
                    f"; first line not found: {_normalised(lost)[:160]!r}"
                    if lost
                    else "; every line is there but not in one run (something is inserted between lines)"
                )
            )
        ids = set(facts["ids"])
        lacking = [
            claim_id
            for claim_id, source_id in claims.items()
            if source_id == source["source_id"] and claim_id not in ids
        ]
        if lacking:
            problems.append(f"{page}: no element with the id of claims {', '.join(lacking)}")
    _fail_if(problems, "article pages without their text or their claims")


def _offending_words(text: str) -> list[tuple[str, re.Match]]:
    """Check ids, code names and NaN in a piece of text; a code name inside a check id counts once."""
    ids = [(match.start(), match.end()) for match in CHECK_ID.finditer(text)]
    found = [("check id", match) for match in CHECK_ID.finditer(text)]
    found += [
        ("code name", match)
        for match in SNAKE_CASE.finditer(text)
        if not any(start <= match.start() < end for start, end in ids)
    ]
    found += [("NaN", match) for match in NAN.finditer(text)]
    found += [("date as code writes it", match) for match in ISO_DATE.finditer(text)]
    found += [("file or path", match) for match in PATH.finditer(text)]
    return found


def test_reader_words_have_no_code_names_nan_check_ids_iso_dates_or_paths(visit):
    met: dict[tuple[str, str], list[str]] = defaultdict(list)  # (page, what) -> the variants it was met in
    for name, variants in sorted(visit.pages.items()):
        for variant in SCREENS:
            for piece in variants.get(variant, {}).get("readerWords", []):
                text = piece["text"]
                for what, match in _offending_words(text):
                    start, end = max(0, match.start() - 40), match.end() + 40
                    snippet = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
                    context = f": {snippet!r}" if text.strip() != match.group(0) else ""
                    key = (name, f"{what} {match.group(0)!r} in {piece['where']}{context}")
                    if variant not in met[key]:
                        met[key].append(variant)
    problems = [f"{name} ({', '.join(variants)}): {what}" for (name, what), variants in met.items()]
    _fail_if(problems, "words readers meet outside code that are not theirs")


def test_every_image_loads_and_every_figure_says_what_it_shows(visit):
    problems = []
    for name, variants in sorted(visit.pages.items()):
        facts = variants[FIRST]
        problems += [f"{name}: image did not load: {src}" for src in facts["brokenImages"]]
        problems += [f"{name}: image without alt text: {src}" for src in facts["imagesWithoutAlt"]]
        problems += [
            f"{name}: chart (inline SVG) without a label (role=img with aria-label): {where}"
            for where in facts["chartsWithoutLabel"]
        ]
        if name in NOTEBOOK_PAGES and facts["figures"] < 1:
            problems.append(f"{name}: a notebook page without its figures")
    _fail_if(problems, "figures readers cannot see or hear")


def test_code_is_hidden_until_the_reader_asks_for_it(visit):
    problems = []
    for name in NOTEBOOK_PAGES:
        toggle = visit.pages.get(name, {}).get(FIRST, {}).get("codeToggle")
        if not toggle:
            problems.append(f"{name}: no Show code button")
            continue
        if toggle["before"] != 0:
            problems.append(f"{name}: {toggle['before']} code cells shown before the reader asked")
        if not (toggle["shown"] >= 1 and toggle["label"] == "Hide code"):
            problems.append(f"{name}: Show code showed {toggle['shown']} cells and now reads {toggle['label']!r}")
        if toggle["after"] != 0:
            problems.append(f"{name}: Hide code left {toggle['after']} code cells shown")
    _fail_if(problems, "code toggles that do not work")


def test_the_claims_explorer_searches_and_sorts(visit):
    explorer = visit.pages.get(CLAIMS_PAGE, {}).get(FIRST, {}).get("explorer")
    assert explorer, f"{CLAIMS_PAGE}: no claims explorer (#claims-search and table#claims)"
    assert explorer["rows"] == len(_claims()), (
        f"{CLAIMS_PAGE}: the explorer lists {explorer['rows']} of {len(_claims())} claims"
    )
    assert 0 < explorer["searchIREL"] < explorer["rows"], (
        f"{CLAIMS_PAGE}: searching 'IREL' left {explorer['searchIREL']} rows"
    )
    assert explorer["restored"] == explorer["rows"], (
        f"{CLAIMS_PAGE}: clearing the search brought back {explorer['restored']} rows"
    )
    assert explorer["firstAfterSortDesc"] != explorer["firstBefore"], (
        f"{CLAIMS_PAGE}: sorting by claim id did not reorder the rows"
    )


def test_the_explorers_view_is_kept_in_its_address_to_share(visit):
    from rare_earths.audit import conclusions

    explorer = visit.pages.get(CLAIMS_PAGE, {}).get(FIRST, {}).get("explorer")
    assert explorer, f"{CLAIMS_PAGE}: no claims explorer"
    by_value = explorer["byValue"]
    units = [unit for unit, _ in by_value]
    runs = [unit for position, unit in enumerate(units) if position == 0 or units[position - 1] != unit]
    assert len(by_value) == explorer["rows"] and len(runs) == len(set(units)), (
        f"{CLAIMS_PAGE}: sorted by value, the units are mixed: {runs}"
    )
    within = {unit: [value for u, value in by_value if u == unit] for unit in set(units)}
    assert all(values == sorted(values) for values in within.values()), f"{CLAIMS_PAGE}: values out of order in a unit"
    assert explorer["hashAfterSearch"] == "#q=IREL", (
        f"{CLAIMS_PAGE}: a search is not kept in the address ({explorer['hashAfterSearch']!r})"
    )
    concluded = conclusions.load()
    expected = [
        f"claim-{row.claim_id}"
        for row in concluded.itertuples()
        if row.source_id == "a002" and row.standing == "does_not_hold"
    ]
    assert expected and explorer["sharedView"] == expected, (
        f"{CLAIMS_PAGE}#article=a002&status=does_not_hold shows {explorer['sharedView']}"
    )
    # On paper, where the controls are not printed, the count says what the view leaves out.
    printed = explorer["sharedCountPrinted"] or ""
    assert printed.startswith(f"{len(expected)} of {explorer['rows']} claims shown (Article: ") and printed.endswith(
        "; Conclusion: Does not hold)"
    ), f"{CLAIMS_PAGE}#article=a002&status=does_not_hold printed says {printed!r}"


def test_a_view_typed_into_the_explorers_address_is_shown_as_typed(visit):
    """ "+" reads as a space and a "%" that starts no escape as itself, as a reader types them; a new
    view replaces the last one whole; the page's script never stops on one."""
    explorer = visit.pages.get(CLAIMS_PAGE, {}).get(FIRST, {}).get("explorer")
    assert explorer, f"{CLAIMS_PAGE}: no claims explorer"
    assert not explorer["typedViewErrors"], explorer["typedViewErrors"]
    seen = {view["typed"]: (view["search"], view["article"]) for view in explorer["typedViews"]}
    assert seen == {"q=rare+earth": ("rare earth", ""), "q=90%": ("90%", ""), "article=a001": ("", "a001")}, seen
    counts = [view["count"] for view in explorer["typedViews"]]
    assert all(re.match(r"\d+ of \d+ claims shown", count) for count in counts), counts


def test_every_claim_has_a_row_in_the_explorer_with_its_address(visit):
    explorer = visit.pages.get(CLAIMS_PAGE, {}).get(FIRST, {}).get("explorer")
    assert explorer, f"{CLAIMS_PAGE}: no claims explorer"
    ids = set(explorer["rowIds"])
    lacking = [f"claim-{claim_id}" for claim_id in _claims() if f"claim-{claim_id}" not in ids]
    _fail_if(lacking, f"{CLAIMS_PAGE}: claims without a row of id claim-<claim id>")


def _set_aside_tap_problems(name: str, tap: dict) -> list[str]:
    """A number set aside inside a claim's quote: a tap shows its reason, not the card; Escape hides it."""
    aside = tap.get("setAside")
    if not aside:
        return []
    problems = []
    if aside["card"] or aside["reason"] in ("", "none"):
        problems.append(f"{name}: a tap on a number set aside inside a claim shows {aside} instead of its reason")
    if tap["setAsideClosed"]["reason"] not in ("", "none"):
        problems.append(f"{name}: Escape does not put a set-aside number's reason away")
    return problems


def test_a_tap_on_a_claim_opens_its_card_in_place_on_a_phone(visit):
    problems = []
    articles = [name for name in visit.pages if name.startswith("article-")]
    assert articles, "no article page"
    for name in sorted(articles):
        tap = visit.pages[name].get("tap")
        if not tap or "opened" not in tap:
            problems.append(f"{name}: no claim's number to tap")
            continue
        opened, closed, wanted = tap["opened"], tap["closed"], tap["wanted"]
        if not (opened["exists"] and opened["open"]):
            problems.append(f"{name}: a tap on claim {wanted}'s number opened no card")
            continue
        if wanted not in opened["heading"] or not opened["text"].strip():
            problems.append(f"{name}: a tap on claim {wanted}'s number opened {opened['heading']!r}")
        if opened["scrollY"] != tap["scrollBefore"]:
            problems.append(
                f"{name}: the tap on {wanted} moved the page from {tap['scrollBefore']} to {opened['scrollY']} px"
            )
        if not opened["inView"]:
            problems.append(f"{name}: the card of {wanted} is not within the screen")
        if not opened["focusInside"]:
            problems.append(f"{name}: the card of {wanted} opened without the focus")
        if closed["open"]:
            problems.append(f"{name}: Escape did not close the card of {wanted}")
        elif closed["focused"] != f"#about-{wanted}":
            problems.append(f"{name}: after Escape the focus is on {closed['focused']!r}, not claim {wanted}'s number")
        marked = tap.get("markOpened")
        if not marked or not marked["open"] or tap["markWanted"] not in marked["heading"]:
            problems.append(
                f"{name}: a tap on claim {tap.get('markWanted')}'s highlighted words opened {marked and marked['heading']!r}"
            )
        elif tap["markClosed"]["focused"] != f"#about-{tap['markWanted']}":
            # `focused` is the focused element's href, or its tag name when it is not a link.
            problems.append(
                f"{name}: after Escape on the card of {tap['markWanted']}'s words, the focus is on "
                f"{tap['markClosed']['focused'] or 'nothing'}, not that claim's link"
            )
        problems += _set_aside_tap_problems(name, tap)
    _fail_if(problems, "claims whose card a phone's tap does not open in place")


def test_no_words_are_wider_than_the_window_at_any_width(visit):
    problems = [
        f"{name} at {variant}: {element}"
        for name, variants in sorted(visit.pages.items())
        for variant in SCREENS
        for element in variants.get(variant, {}).get("wideText", [])
    ]
    _fail_if(problems, "words out of the window, behind a sideways scroll or off the page")


def test_the_index_states_its_conclusion_before_any_question(visit):
    facts = visit.pages[registry.INDEX][FIRST]
    headline, words = facts["headline"], " ".join(facts["mainText"].split())
    assert headline and not headline.rstrip().endswith("?"), f"the index's heading asks: {headline!r}"
    assert re.search(r"\d", headline), f"the index's heading states no finding: {headline!r}"
    # Its first sentence is a statement, and any question comes after it.
    first = re.split(r"(?<=[.!?])\s", words, maxsplit=1)[0]
    assert not first.endswith("?"), f"the index opens with a question: {first!r}"


def test_each_findings_address_lands_on_it(visit):
    for variant in ("390-light", "1280-light"):
        anchors = visit.pages[registry.INDEX][variant].get("anchors")
        assert anchors and anchors["count"] > 0, f"the index at {variant} has no finding with an address"
        _fail_if(
            [f"{registry.INDEX} at {variant}: {miss}" for miss in anchors["missed"]],
            "findings their address does not show",
        )


def test_print_keeps_every_bar_and_swatch(visit):
    problems = [
        f"{name} printed: {element}"
        for name, variants in sorted(visit.pages.items())
        for element in variants.get(PRINT, {}).get("dropped", [])
    ]
    _fail_if(problems, "colours that carry meaning and that paper would drop")


def test_every_charts_text_reads_at_12_px_or_more_on_a_phone_and_a_desktop(visit):
    """A chart's text as drawn on the screen: its font size times the scale its SVG is drawn at
    (tests/browser/charts.mjs), at least 12 px; rare_earths.figures draws charts for that."""
    problems = []
    for name, variants in sorted(visit.pages.items()):
        for variant, facts in sorted(variants.items()):
            for chart in facts.get("charts") or []:
                problems += [
                    f"{name} at {variant}, chart {chart['chart']} ({chart['width']} px wide): {small['text']!r} at {small['px']} px"
                    for small in chart["small"]
                ]
    unmeasured = [name for name in NOTEBOOK_PAGES if not visit.pages.get(name, {}).get("390-light", {}).get("charts")]
    assert not unmeasured, f"notebook pages without a chart measured at 390-light: {unmeasured}"
    _fail_if(problems, "chart text under 12 px on the screen")


def test_every_chart_offers_its_data_and_itself_and_both_load(visit):
    problems = []
    for name in NOTEBOOK_PAGES:
        for chart in visit.pages.get(name, {}).get("390-light", {}).get("charts") or []:
            for kind, link, loads in (("data (CSV)", "data", "dataLoads"), ("chart (SVG)", "svg", "svgLoads")):
                if not chart[link]:
                    problems.append(f"{name} at 390-light, chart {chart['chart']}: no link to its {kind}")
                elif chart[loads]:
                    problems.append(f"{name} at 390-light, chart {chart['chart']}: its {kind}: {chart[loads]}")
    _fail_if(problems, "charts without their downloads")
