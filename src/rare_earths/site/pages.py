"""The readers' pages other than the notebooks': the index that leads with the bottom line, the article
pages, the claims explorer, the sensitivity page and the method page. Each builder (named in
`registry.PAGES`) gathers what its template (`templates/site/<key>.html.j2`) shows from the
`Render` (`rare_earths.site.model`) and returns {file: HTML}; the markup is in the templates.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from markupsafe import Markup

from rare_earths import observed, text, vocabulary
from rare_earths.audit import headlines
from rare_earths.audit.conclusions import counts
from rare_earths.build import params
from rare_earths.build import results as recorded
from rare_earths.data import furniture, provenance, units
from rare_earths.site import abbreviations, article_page, citation, claimreview, registry, sensitivity, standing
from rare_earths.site.claimreview import check_anchor
from rare_earths.site.layout import Link, same_page
from rare_earths.site.model import AUDIT_NOTEBOOK, Dated, Render, Site

INDEX, CLAIMS, SENSITIVITY, METHOD = (registry.page(key) for key in ("index", "claims", "sensitivity", "method"))


def check_hrefs(site: Site) -> Callable[[str], str]:
    """A check's address: its entry in the card of its home claim (`article_page.home_claim`), on
    that claim's article's page."""
    source_of = dict(zip(site.claims.claim_id, site.claims.source_id, strict=True))
    homes = {check.check_id: article_page.home_claim(check) for check in site.checks.itertuples()}
    return lambda check_id: f"{registry.article_page(source_of[homes[check_id]])}#{check_anchor(check_id)}"


def claim_reviews_scripts(site: Site) -> dict[str, str]:
    """Each article's conclusions as schema.org ClaimReview, each at its claim's entry on the
    article's page: reviewed in one pass, as the received tables they cite are read once."""
    page_of = dict(zip(site.claims.claim_id, site.claims.source_id.map(registry.article_page), strict=True))
    reviews = claimreview.claim_reviews(
        site.conclusions,
        site.claims,
        site.names,
        lambda claim_id: f"{page_of[claim_id]}#about-{claim_id}",
        article_url=registry.article_page,
        citation_cff=site.project.citation_cff,
    )
    of_article: dict[str, list[dict]] = {source_id: [] for source_id in site.articles}
    for source_id, review in zip(site.conclusions.source_id, reviews, strict=True):
        of_article.setdefault(source_id, []).append(review)
    return {source_id: claimreview.json_ld_script(own) for source_id, own in of_article.items()}


def article_pages(render: Render) -> dict[str, str]:
    site = render.site
    links = [Link(registry.article_page(source_id), site.names[source_id].short) for source_id in site.articles]
    pages = {}
    check_href = check_hrefs(site)
    reviews = claim_reviews_scripts(site)
    for position, source_id in enumerate(site.articles):
        here = links[position].href
        name = site.names[source_id]
        shown = article_page.article(
            source_id,
            site.articles[source_id],
            site.claims,
            site.checks,
            site.exclusions,
            site.conclusions,
            claim_page=CLAIMS.file,
            check_href=lambda check_id, here=here: same_page(check_href(check_id), here),
            furniture=furniture.lines_of(site.furniture, source_id),
        )
        pages[links[position].href] = site.page(
            "article.html.j2",
            title=name.title,
            current=links[position].href,
            lede=_article_lede(name, site.dated[source_id]),
            previous=links[position - 1] if position > 0 else None,
            following=links[position + 1] if position + 1 < len(links) else None,
            # Made by this project's code from its own tables: claimreview escapes what could end the script.
            claim_reviews=Markup(reviews[source_id]),
            **shown,
        )
    return pages


def _article_lede(name: provenance.SourceName, dated: Dated) -> str:
    """Under an article's title: who published it, when, and what its figures are judged against."""
    who = (
        "Assigned by this project: the article states no title of its own."
        if name.assigned
        else (f"Published by {name.publisher}." if name.publisher else "The article names no publisher.")
    )
    # A dated article is judged as of its date (provenance refuses an `as_of` that differs from it);
    # an undated one as of a date sources.csv's note argues (what it reports, or another article).
    if dated.date:
        when = f"Dated {text.date_words(dated.date)}; its figures are judged against the data current on that date"
    else:
        when = f"It states no date; its figures are judged as of {text.date_words(dated.as_of)}, against the data"
        when += " current then"
    return f"{who} {when}: {dated.edition}."


def _tally(site: Site) -> list[SimpleNamespace]:
    """Each standing's count and what it means, in the vocabulary's order, for the bottom line."""
    counted = counts(site.conclusions)
    confirmed = site.conclusions[site.conclusions.standing == "confirmed"]
    primary = confirmed[confirmed.evidence == "primary"]
    # Primary data are USGS's tables or a standard definition (the rule `definition`), said apart.
    defined = int(primary.decided_by.str.startswith("definition:").sum())
    usgs = len(primary) - defined
    other = len(confirmed) - len(primary)
    failing = site.conclusions[site.conclusions.standing == "does_not_hold"].verdict.value_counts()
    why = ", ".join(
        f"{failing[verdict]} {vocabulary.VERDICTS[verdict].label.lower()}"
        for verdict in vocabulary.VERDICTS
        if verdict in failing
    )
    words = {
        "confirmed": f"confirmed by independent evidence: {usgs} by USGS data current at the article's date, "
        + (f"{defined} by a standard definition (IUPAC's rare-earth elements), " if defined else "")
        + f"{other} by another article that states the same figure",
        "consistent": "consistent but not independently confirmed: they agree with their own article (its "
        "arithmetic or its restatements), or with an article that retells the same reporting or states them less "
        "precisely",
        "does_not_hold": f"do not hold ({why}): an outdated figure matches only a USGS edition older than the one "
        "current when the article was written; a clash of dates marks both statements, since either may be wrong",
        "unchecked": "could not be checked: nothing here could test them, or a test could not decide; each says why",
    }
    return [
        SimpleNamespace(css=standing.css, label=standing.label, count=counted[name], words=words[name])
        for name, standing in vocabulary.STANDINGS.items()
    ]


def _bars(site: Site) -> list[SimpleNamespace]:
    """A row for each article, the weakest first (the largest share of its claims that do not
    hold, then the smallest confirmed): its claims by standing, as counts and as rates."""
    bars = []
    for source_id, name in site.names.items():
        own = site.conclusions[site.conclusions.source_id == source_id]
        counted = counts(own)
        total = max(1, len(own))
        bars.append(
            SimpleNamespace(
                href=registry.article_page(source_id),
                name=name.title,
                publisher=name.publisher,  # the name the explorer and the audit's tables use, where space is short
                claims=len(own),
                counted=counted,
                rates={group: 100 * count / total for group, count in counted.items()},
                segments=[
                    SimpleNamespace(css=standing.css_class(group), width=100 * count / total)
                    for group, count in counted.items()
                    if count
                ],
                words=", ".join(standing.counted(group, count) for group, count in counted.items() if count),
            )
        )
    return sorted(bars, key=lambda bar: (-bar.rates["does_not_hold"], bar.rates["confirmed"], bar.name))


def headline(site: Site) -> str:
    """The index's heading: its bottom line as a statement."""
    counted = counts(site.conclusions)
    total = sum(counted.values())
    articles = vocabulary.count_word(len(site.articles))
    return (
        f"{counted['does_not_hold']} of the {total} claims in {articles} articles on India's rare earths do not "
        f"hold; {counted['confirmed']} are confirmed"
    )


def judgement(bars: list[SimpleNamespace]) -> str:
    """One line naming the weakest article (the largest share of claims that do not hold) and the one
    with the fewest that fail, saying how many of its claims could not be checked: few failures
    among few checked claims is not strength."""

    def unchecked(bar: SimpleNamespace) -> str:
        count = bar.counted["unchecked"]
        return f"; {count} could not be checked" if count else ""

    weakest, fewest = bars[0], bars[-1]
    said = (
        f"Weakest: {weakest.name}, where {weakest.counted['does_not_hold']} of its {weakest.claims} claims "
        f"({text.number(round(weakest.rates['does_not_hold']))}%) do not hold{unchecked(weakest)}."
    )
    if fewest is not weakest:
        failing = fewest.counted["does_not_hold"]
        said += (
            f" Fewest that do not hold: {fewest.name}, "
            f"{'none' if not failing else failing} of its {fewest.claims}{unchecked(fewest)}."
        )
    return said


def _findings(site: Site) -> list[SimpleNamespace]:
    """What does not hold, then what could not be decided, grouped by verdict (most serious first),
    each group and each finding with an address of its own (`finding-<verdict>`, the check's anchor)."""
    found = []
    for verdict, rows in headlines(site.checks).groupby("verdict", sort=False):
        claims = sorted({claim for ids in rows.judges for claim in ids.split(vocabulary.SEPARATOR) if claim})
        counted = f"{len(rows)} finding{'s' if len(rows) != 1 else ''} on {len(claims)} claim{'s' if len(claims) != 1 else ''}"
        found.append(
            SimpleNamespace(
                verdict=vocabulary.VERDICTS[verdict],
                anchor=f"finding-{verdict.replace('_', '-')}",
                counted=counted,
                rows=[
                    SimpleNamespace(
                        anchor=f"finding-{check_anchor(row.check_id).removeprefix('check-')}",
                        explanation=row.explanation,
                        # The claims it judges, apart from those it only used (a confirmed reserve in a rank).
                        judges=row.judges,
                        uses=vocabulary.SEPARATOR.join(
                            claim
                            for claim in row.claim_ids.split(vocabulary.SEPARATOR)
                            if claim and claim not in row.judges.split(vocabulary.SEPARATOR)
                        ),
                    )
                    for row in rows.itertuples()
                ],
            )
        )
    return found


def index_page(render: Render) -> dict[str, str]:
    site = render.site
    counted = counts(site.conclusions)
    bars = _bars(site)
    return {
        INDEX.file: site.page(
            "index.html.j2",
            title=headline(site),
            current=INDEX.file,
            lede=f"{vocabulary.count_word(len(site.articles)).capitalize()} news articles on India's dependence on China "
            "for rare earths and magnets, every figure traced to its sentence and checked.",
            total=sum(counted.values()),
            counted=counted,
            tally=_tally(site),
            bars=bars,
            judgement=judgement(bars),
            standings=vocabulary.STANDINGS,
            findings=_findings(site),
            audit_href=registry.notebook_page(AUDIT_NOTEBOOK),
            reports=registry.page("notebook"),
            pages=render.pages,
            articles=registry.page("article"),
            article_links=[
                SimpleNamespace(href=registry.article_page(source_id), name=name)
                for source_id, name in site.names.items()
            ],
            values=render.values,
            parameters={
                name: SimpleNamespace(label=spec.get("label", name), unit=spec.get("unit", ""))
                for name, spec in params.specs(site.project.params_yaml).items()
            },
            method_href=METHOD.file,
            cite=SimpleNamespace(
                apa=citation.apa(site.project.citation_cff), bibtex=citation.bibtex(site.project.citation_cff)
            ),
        )
    }


def claims_page(render: Render) -> dict[str, str]:
    """The claims explorer: every claim with its article, figure as written and canonical, verdicts and quote."""
    site = render.site
    concluded = site.conclusions.set_index("claim_id")
    rows = []
    for row in site.claims.itertuples():
        conclusion = concluded.loc[row.claim_id]
        canonical = (
            text.show(row.value, row.unit)
            if row.value_low == row.value_high
            else text.interval(row.value_low, row.value_high, row.unit)
        )
        rows.append(
            SimpleNamespace(
                claim=row,
                article=site.names[row.source_id].brief,
                measures=f"{text.subject_name(row.subject)}: {vocabulary.METRICS[row.metric].said}",
                written=text.as_written(row.quote, row.value_as_written, row.unit_as_written, row.qualifier),
                canonical=canonical,
                sort=f"{row.value_low:.12g}",
                conclusion=conclusion,
                standing=vocabulary.STANDINGS[conclusion.standing],
                verdict=vocabulary.VERDICTS[conclusion.verdict],
            )
        )
    deciding = set(site.conclusions.verdict)  # only verdicts that decide some claim: no option finds nothing
    return {
        CLAIMS.file: site.page(
            "claims.html.j2",
            title=CLAIMS.title,
            current=CLAIMS.file,
            rows=rows,
            brief={source_id: name.brief for source_id, name in site.names.items()},
            standings=vocabulary.STANDINGS,
            verdicts={name: verdict for name, verdict in vocabulary.VERDICTS.items() if name in deciding},
        )
    }


def _sentence(words: str) -> str:
    """Words as the start of a sentence: the first letter upper case, the rest as written ("USGS" stays)."""
    return words[:1].upper() + words[1:]


def sensitivity_page(render: Render) -> dict[str, str]:
    """Each recorded result's range across the default sweep (params.yaml's `sweep` values), as a
    tornado chart: a bar per parameter its notebook declares, widest first, the default marked; the
    title names the parameter that moves it most."""
    site, page = render.site, {"title": SENSITIVITY.title, "current": SENSITIVITY.file}
    sweep_csv = site.project.sweep / "results.csv"
    if not render.swept or not sweep_csv.is_file():  # a sweep older than these notebooks would mix two builds
        return {SENSITIVITY.file: site.page("sensitivity.html.j2", swept=False, **page)}
    specs = params.specs(render.site.project.params_yaml)
    label = {name: _sentence(spec.get("label", name)) for name, spec in specs.items()}
    observed.note_read(sweep_csv)
    found = sensitivity.results(recorded.read(sweep_csv), {name: spec["default"] for name, spec in specs.items()})
    titles = {page.href: page.title for page in render.pages}
    steady = [
        SimpleNamespace(
            result=result,
            report=titles.get(registry.notebook_page(result.notebook), result.notebook),
            shown=text.show_recorded(result.baseline, result.unit),
        )
        for result in found
        if result.moved_by is None
    ]
    changing = [result for result in found if result.moved_by is not None]
    scale = relative_scale(changing)
    moved = []
    for result in changing:
        swings = []
        for swing in result.swings:
            low, high = (relative_change(value, result.baseline) / scale for value in (swing.low, swing.high))
            swings.append(
                SimpleNamespace(
                    swing=swing,
                    left=50 + 50 * low,
                    width=max(0.8, 50 * (high - low)),
                    base=50.0,
                    points=[(value, text.show_recorded(at, result.unit)) for value, at in swing.points],
                )
            )
        moved.append(
            SimpleNamespace(
                result=result,
                report=titles.get(registry.notebook_page(result.notebook), result.notebook),
                href=registry.notebook_page(result.notebook),
                low=text.show_recorded(result.moved_by.low, result.unit),
                high=text.show_recorded(result.moved_by.high, result.unit),
                baseline=text.show_recorded(result.baseline, result.unit),
                swings=swings,
            )
        )
    return {
        SENSITIVITY.file: site.page(
            "sensitivity.html.j2",
            swept=True,
            lede="Which assumptions the findings depend on, and how much.",
            label=label,
            grid=params.default_grid(site.project.params_yaml),
            overridden={
                name: value
                for name, value in render.values.items()
                if name in specs and value != specs[name]["default"]
            },
            words={name: spec.get("label", name) for name, spec in specs.items()},
            moved=moved,
            steady=steady,
            scale=text.number(round(100 * scale)),
            method_href=METHOD.file,
            **page,
        )
    }


def relative_change(value: float, baseline: float) -> float:
    """How far `value` is from the result at the defaults, as a fraction of it (0.5 is half as much
    again); measured from 1 where the result at the defaults is 0."""
    return (value - baseline) / (abs(baseline) or 1)


def relative_scale(results) -> float:
    """The largest relative change of any result over any parameter: the sensitivity page draws every
    bar on this one scale, so a bar's length says how much its result moves, beside the others."""
    changes = [
        abs(relative_change(value, result.baseline))
        for result in results
        for swing in result.swings
        for value in (swing.low, swing.high)
    ]
    return max(changes, default=0.0) or 1.0


def data_read(used: list[str]) -> list[str]:
    """The data files a notebook read, from what it recorded using; a folder's many files as the folder."""
    shown = set()
    for name in used:
        if name.startswith("data/"):
            folder = name.rsplit("/", 1)[0]
            shown.add(folder + "/" if folder in ("data/raw/articles", "data/raw/reference") else name)
    return sorted(shown)


def method_page(render: Render) -> dict[str, str]:
    """The pipeline, units and conversions, parameters of this run, the sources cited, and what each notebook read."""
    site, values = render.site, render.values
    reads = {
        name: data_read(notebook.metadata.get("rare_earths", {}).get("used", []))
        for name, notebook in render.notebooks.items()
    }
    specs = params.specs(render.site.project.params_yaml)
    return {
        METHOD.file: site.page(
            "method.html.j2",
            title=METHOD.title,
            current=METHOD.file,
            lede="How every number on these pages is made, from the articles to the figures.",
            pages=render.pages,
            reads=reads,
            claims_href=CLAIMS.file,
            canonical=units.CANONICAL_UNITS,
            quantity_words=units.QUANTITY_WORDS,
            abbreviations=abbreviations.glossary(),
            unit_words=units.CANONICAL_UNIT_WORDS,
            metrics=vocabulary.METRICS.values(),
            parameters=[(name, values.get(name, spec["default"]), spec) for name, spec in specs.items()],
            sources=list(provenance.load_sources(site.project.sources_csv, site.project.articles).itertuples()),
            source_names=site.names,
            article_page=registry.article_page,
            references=list(
                provenance.load_references(site.project.references_csv, site.project.reference).itertuples()
            ),
            rate=values.get("usd_inr", specs.get("usd_inr", {}).get("default", "")),
            rate_label=specs.get("usd_inr", {}).get("label", "usd_inr"),
        )
    }
