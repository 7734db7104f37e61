"""One article as its page shows it: the full text with every claim highlighted, every number set
aside marked with its reason, and below the text what the audit found for each claim.

`article` gathers what `templates/site/article-body.html.j2` writes (`article_body`: that fragment
alone). The text's marks are written here, every string escaped: quotes that nest and cross close
and reopen marks, clearer as code than as a template. The text is the article's own (HTML-escaped);
nothing is added inside it but markup and empty links whose visible number comes from the
stylesheet, so the text a reader copies is the article's.

Where things are, for links and styles (`templates/article.css`):

- each claim's quote is a `<mark class="claim" data-claim="a000-01">`; the first (usually only)
  mark of a claim has `id="a000-01"`, so `article-a000.html#a000-01` opens on it. Quotes that nest
  give nested marks; a quote that crosses another is split into several marks, the first with the id;
- each claim's figure in its quote (the value as written) is an `<a class="figure-link"
  href="#about-a000-01">` inside the marks: where quotes nest or cross, the figure of one lies
  inside another's quote (in a000, the "67%" of the share inside the quote of the 356 kt world
  total), and the innermost mark there is another claim's, so clicking a figure must reach its own
  claim, not the mark's. Figures that share characters give them to the claim whose quote is
  shortest (the innermost);
- after each quote, `<a class="claim-ref" href="#about-a000-01" data-n="1">` leads to the claim's
  entry in "Claims in this article" (`<li id="about-a000-01">`), which gives its conclusion, the
  figure as written and its canonical value, the checks that decided it with their explanations,
  the other checks that name it, and links back to the sentence and to the claims explorer.
  `templates/site/claim-card.js` opens that entry in a dialog where the reader taps (the figure,
  the reference or the highlighted words), so the reader keeps their place in the text;
- each number set aside is a `<span class="excluded" tabindex="0">` whose reason is in its
  `data-reason` (shown on hover and focus) and in its accessible description (the reason's entry
  in "Numbers set aside", `<dt id="set-aside-<reason>">`).

A claim's standing and the checks that decided it are read from `conclusions.csv`
(`rare_earths.audit.conclusions`, the one place they are decided); `rare_earths.site.standing` says
how they look.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pandas as pd
from markupsafe import Markup

from rare_earths import text as prose
from rare_earths import vocabulary
from rare_earths.audit import SEPARATOR
from rare_earths.data.quotes import Located, locate
from rare_earths.site import layout
from rare_earths.site.claimreview import check_anchor
from rare_earths.site.layout import Links
from rare_earths.site.standing import conclusion as conclusion_words
from rare_earths.site.standing import counted as counted_words
from rare_earths.site.standing import css_class, label, verdict_class
from rare_earths.vocabulary import VERDICTS

__all__ = ["article", "article_body", "canonical", "claim_spans", "exclusion_spans", "figure_spans", "summary"]

# What a bound makes of the canonical value, in words.
_BOUND_WORDS = {"exact": "", "approximate": "approximately", "lower_bound": "at least", "upper_bound": "at most"}


# --- where claims and exclusions stand in the text ------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of the article [start, end) that is wrapped in one element: a claim's quote or a
    number set aside."""

    start: int
    end: int
    kind: str  # "claim", "figure" (a claim's figure within its quote) or "excluded"
    # The claim id ("figure:" and the claim id, for a figure), or the exclusion's position in its table as text.
    key: str
    rank: int = 0  # where two spans start and end together, the lower rank is the outer element

    def order(self) -> tuple:
        return (self.start, -self.end, self.rank, self.key)


def claim_spans(article: str, claims: pd.DataFrame) -> list[Span]:
    """Each claim's quote in the article; ValueError for a quote that is not there exactly once."""
    spans = []
    for row in claims.itertuples():
        count = article.count(row.quote)
        if count != 1:
            raise ValueError(f"claim {row.claim_id}: its quote occurs {count} times in the article, not once")
        start = article.index(row.quote)
        spans.append(Span(start, start + len(row.quote), "claim", row.claim_id))
    return sorted(spans, key=Span.order)


def figure_spans(article: str, claims: pd.DataFrame) -> list[Span]:
    """Each claim's figure: its number, located in its quote as the cleaning step checks it, with the
    unit words and hedge beside it that its card shows ('67%', '240 kilotons': `text.as_written`);
    the innermost element where it stands (rank 2: inside a quote that starts and ends with it).
    Characters that two claims' figures share go to the claim whose quote is shorter (then the one
    that starts later), so the figures never overlap; a claim left with none of its figure has no span.
    """
    found = []
    for row in claims.itertuples():
        where = locate(article, row.quote, row.value_as_written)
        if not isinstance(where, Located):
            continue
        start, end = where.part_start, where.part_end
        written = prose.as_written(row.quote, row.value_as_written, row.unit_as_written, row.qualifier)
        around = (
            (where.quote_start + match.start(), where.quote_start + match.end())
            for match in re.finditer(re.escape(written), row.quote)
        )
        start, end = next(((a, b) for a, b in around if a <= start and end <= b), (start, end))
        found.append((start, end, (len(row.quote), -where.quote_start, row.claim_id)))
    owner: dict[int, str] = {}
    for start, end, (_, _, claim_id) in sorted(found, key=lambda figure: figure[2], reverse=True):
        owner.update(dict.fromkeys(range(start, end), claim_id))  # the shortest quote, written last, wins
    spans: list[Span] = []
    for position in sorted(owner):
        claim_id = owner[position]
        last = spans[-1] if spans else None
        if last is not None and last.end == position and last.key == f"figure:{claim_id}":
            spans[-1] = Span(last.start, position + 1, "figure", last.key, rank=2)
        else:
            spans.append(Span(position, position + 1, "figure", f"figure:{claim_id}", rank=2))
    return sorted(spans, key=Span.order)


def exclusion_spans(article: str, exclusions: pd.DataFrame) -> list[Span]:
    """Each number set aside in the article, located as the coverage check locates it: its quote,
    then the number standing alone within it. ValueError for one that locates nothing."""
    spans = []
    for position, row in enumerate(exclusions.itertuples()):
        where = locate(article, row.quote, row.number_as_written)
        if not isinstance(where, Located):
            raise ValueError(f"exclusion {row.number_as_written!r} in {row.quote!r}: {where.message}")
        spans.append(Span(where.part_start, where.part_end, "excluded", f"{position:04d}", rank=1))
    return sorted(spans, key=Span.order)


# --- the text --------------------------------------------------------------------------------------


def _escape(part: str) -> str:
    return html.escape(part, quote=False)


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)


def _paragraphs(article: str) -> list[tuple[int, int]]:
    """[start, end) of each paragraph: each line that is not blank. The articles set paragraphs
    apart by a blank line or by a line break alone (headings and paragraphs in a000), so each line
    reads as its own paragraph."""
    found, start = [], 0
    for line in article.split("\n"):
        end = start + len(line)
        if line.strip():
            found.append((start, end))
        start = end + 1
    return found


class _Text:
    """Writes the article's paragraphs with their marks, one element per span, properly nested:
    a span that crosses the end of an enclosing one is closed there and opened again after it. A
    figure's link is closed, too, where a reference link would be written inside it (should a quote
    end within another claim's figure), so no link is ever inside a link."""

    def __init__(
        self,
        article: str,
        spans: list[Span],
        opening: dict[str, tuple[str, str]],
        refs: dict[int, list[str]],
        furniture: dict[str, str] | None = None,
    ):
        self.article = article
        self.furniture = furniture or {}  # a line's text -> what it is, for the lines that are not the article's
        self.spans = spans
        self.opening = opening  # key -> (tag of its first element, tag of a continuation)
        self.refs = refs  # position -> the links to write there (after the marks that end there)
        self.opened: set[str] = set()

    def _open(self, span: Span) -> str:
        first, again = self.opening[span.key]
        tag = again if span.key in self.opened else first
        self.opened.add(span.key)
        return tag

    @staticmethod
    def _close(span: Span) -> str:
        return {"claim": "</mark>", "figure": "</a>"}.get(span.kind, "</span>")

    def paragraph(self, start: int, end: int) -> str:
        inside = [span for span in self.spans if span.start < end and start < span.end]
        cuts = sorted(
            {start, end}
            | {max(start, min(end, edge)) for span in inside for edge in (span.start, span.end)}
            | {position for position in self.refs if start <= position <= end}
        )
        out, stack = [], []
        for here, after in zip(cuts, [*cuts[1:], None], strict=True):
            needed = (
                []
                if after is None
                else sorted((s for s in inside if s.start <= here and after <= s.end), key=Span.order)
            )
            refs = self.refs.get(here, []) if start < here else []
            kept = 0
            while kept < min(len(stack), len(needed)) and stack[kept] is needed[kept]:
                kept += 1
            if refs:  # no link inside a link: a figure's link still open closes here, and opens again after
                kept = next((depth for depth, span in enumerate(stack[:kept]) if span.kind == "figure"), kept)
            out += [self._close(span) for span in reversed(stack[kept:])]
            out += refs
            out += [self._open(span) for span in needed[kept:]]
            stack = needed
            if after is not None:
                out.append(_escape(self.article[here:after]))
        what = self.furniture.get(self.article[start:end].strip())
        if what is not None:  # the label is the stylesheet's, so the text a reader copies stays the article's
            return f'<p class="furniture" data-what="{_attribute(what)}">{"".join(out)}</p>'
        return f"<p>{''.join(out)}</p>"

    def write(self) -> str:
        paragraphs = _paragraphs(self.article)
        # A link goes where its quote ends; a quote that ends on a line break has its link at the end
        # of the paragraph before it.
        placed: dict[int, list[str]] = {}
        for position in sorted(self.refs):
            inside = next((end for start, end in paragraphs if start < position <= end), None)
            before = max(
                (end for _, end in paragraphs if end <= position), default=paragraphs[0][1] if paragraphs else 0
            )
            placed.setdefault(before if inside is None else position, []).extend(self.refs[position])
        self.refs = placed
        return "\n".join(self.paragraph(start, end) for start, end in paragraphs)


# --- what each claim is, and what was found ------------------------------------------------------


def canonical(row) -> str:
    """A claim's value in canonical units, for a sentence: '90%', 'at least 90%', '66.5% to 67.5%'."""
    shown = (
        prose.show(row.value, row.unit)
        if not _missing(row.value)
        else prose.interval(row.value_low, row.value_high, row.unit)
    )
    words = _BOUND_WORDS.get(row.bound, "")
    return f"{words} {shown}" if words and not _missing(row.value) else shown


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _checks_of(checks: pd.DataFrame, claim_ids: set[str]) -> dict[str, list]:
    """claim id -> the checks that name it, in the audit's order."""
    found: dict[str, list] = {claim: [] for claim in sorted(claim_ids)}
    for row in checks.itertuples():
        for claim in row.claim_ids.split(SEPARATOR):
            if claim in found:
                found[claim].append(row)
    return found


def summary(claim_standings: dict[str, str], excluded: int) -> str:
    """'48 claims (14 confirmed, 7 consistent but not independently confirmed, 13 does not hold, 14 could
    not be checked) and 20 numbers set aside.'"""
    counted = {group: sum(1 for value in claim_standings.values() if value == group) for group in vocabulary.STANDINGS}
    total = len(claim_standings)
    parts = ", ".join(counted_words(group, count) for group, count in counted.items() if count)
    claims_word = "claim" if total == 1 else "claims"
    numbers = "number" if excluded == 1 else "numbers"
    return f"{total} {claims_word} ({parts}) and {excluded} {numbers} set aside."


def verdict(claim_standings: dict[str, str]) -> str:
    """The article's verdict in one sentence, what does not hold first: '13 of its 48 claims do not
    hold; 14 are confirmed by independent evidence.'"""
    total = len(claim_standings)
    failing = sum(1 for standing in claim_standings.values() if standing == "does_not_hold")
    confirmed = sum(1 for standing in claim_standings.values() if standing == "confirmed")
    of = f"of its {total} claim{'s' if total != 1 else ''}"
    first = (
        f"{failing} {of} {'does' if failing == 1 else 'do'} not hold" if failing else f"None {of} was found not to hold"
    )
    return f"{first}; {confirmed} {'is' if confirmed == 1 else 'are'} confirmed by independent evidence."


def _failing(described: list, rows: dict) -> list[SimpleNamespace]:
    """The claims that do not hold, for the verdict box that opens the page: grouped by verdict, the
    most serious first (the vocabulary's order), and by what they were tested against, so each group
    says it once; by claim number within a group."""
    order = list(VERDICTS)
    failing = [claim for claim in described if claim.group == "does_not_hold"]
    failing.sort(
        key=lambda claim: (order.index(claim.conclusion.verdict), claim.conclusion.tested_against, claim.claim_id)
    )
    groups: dict[tuple[str, str], SimpleNamespace] = {}
    for claim in failing:
        verdict, tested_against = claim.conclusion.verdict, claim.conclusion.tested_against
        group = groups.setdefault(
            (verdict, tested_against),
            SimpleNamespace(
                label=VERDICTS[verdict].label,
                style=f"verdict verdict-{verdict_class(verdict)}",
                tested_against=tested_against,
                claims=[],
            ),
        )
        group.claims.append(
            SimpleNamespace(claim_id=claim.claim_id, measures=_measures(rows[claim.claim_id]), written=claim.written)
        )
    return list(groups.values())


@dataclass(frozen=True)
class _Claim:
    claim_id: str
    number: int  # its id's own number (a002-08 is 8): the one number a reader meets for it everywhere
    written: str
    value: str
    group: str  # its standing
    conclusion: object  # its row of conclusions.csv
    checks: tuple


def claim_number(claim_id: str) -> int:
    """The number a page gives a claim: its id's own ("a002-08" -> 8), so the article's
    superscripts, its list of claims and the claims explorer count alike."""
    return int(claim_id.rpartition("-")[2])


def _measures(row) -> str:
    """What a claim measures, for its card: "Government of India's first official acknowledgment of talks with China"."""
    return f"{prose.possessive(prose.subject_name(row.subject))} {vocabulary.METRICS[row.metric].said}"


@dataclass(frozen=True)
class _Check:
    """One check in a claim's entry, as the template writes it."""

    style: str  # "verdict verdict-<class>": without colour ("about-another") if it does not judge this claim
    label: str
    href: str | None  # the check's address, if the page links checks
    anchor: str | None  # its id, in the entry of the claim that is its home (`home_claim`) only
    explanation: str | None  # None where it is told in full in another claim's entry (`home`)
    home: str  # the claim whose entry holds it in full (`home_claim`)
    home_href: str  # that entry's address
    about: tuple[str, ...] | None  # whom it judges, if not this claim (empty: no claim at all)


def home_claim(check) -> str:
    """The claim whose entry holds a check's address: the first claim it judges, or, for a check that
    judges none, the first it names. Each check has one address, on one article's page, so no page
    lists every check and a page grows with its own article's claims only."""
    judged = [claim for claim in check.judges.split(SEPARATOR) if claim]
    return (judged or check.claim_ids.split(SEPARATOR))[0]


def _check(check, claim_id: str, check_href: Callable[[str], str] | None, *, brief: bool = False) -> _Check:
    """`brief`: only its verdict and a link to where it is told in full, unless that is here (or
    there is no link); an entry's other checks are brief, so a check that names many figures is
    written out once, and a page grows with its claims, not with their checks' repetitions."""
    judged = tuple(claim for claim in check.judges.split(SEPARATOR) if claim)
    about_other = claim_id not in check.judges.split(SEPARATOR)
    home = home_claim(check)
    href = None if check_href is None else check_href(check.check_id)
    return _Check(
        style=f"verdict verdict-{'about-another' if about_other else verdict_class(check.verdict)}",
        label=VERDICTS[check.verdict].label,
        href=href,
        anchor=check_anchor(check.check_id) if claim_id == home else None,
        explanation=None if brief and check_href is not None and claim_id != home else check.explanation,
        home=home,
        home_href=f"{(href or '').partition('#')[0]}#about-{home}",
        about=None if claim_id in judged else judged,
    )


def _checks(count: int) -> str:
    return "check" if count == 1 else "checks"


def _entry(claim: _Claim, row, check_href: Callable[[str], str] | None) -> SimpleNamespace:
    """A claim's entry in "Claims in this article", as its card shows it: the conclusion, the figure,
    the checks that decided the conclusion; then, folded, the other checks of this figure, and last
    the checks of other claims that used it (shown without their colour, so they cannot read as
    this one's)."""
    deciding = set(claim.conclusion.decided_by.split(SEPARATOR))
    rest = [check for check in claim.checks if check.check_id not in deciding]
    of_this = [check for check in rest if claim.claim_id in check.judges.split(SEPARATOR)]
    of_others = [check for check in rest if claim.claim_id not in check.judges.split(SEPARATOR)]
    folds = [
        SimpleNamespace(
            summary=summary, checks=[_check(check, claim.claim_id, check_href, brief=True) for check in checks]
        )
        for summary, checks in (
            (f"{len(of_this)} other {_checks(len(of_this))} of this figure", of_this),
            (f"{len(of_others)} {_checks(len(of_others))} of other claims that used this figure", of_others),
        )
        if checks
    ]
    return SimpleNamespace(
        claim_id=claim.claim_id,
        number=claim.number,
        style=css_class(claim.group),
        measures=_measures(row),
        written=claim.written,
        value=claim.value,
        period=row.period,
        label=conclusion_words(claim.group, claim.conclusion.verdict),
        tested_against=claim.conclusion.tested_against,
        note=row.note,
        deciding=[_check(check, claim.claim_id, check_href) for check in claim.checks if check.check_id in deciding],
        folds=folds,
    )


def _set_aside(exclusions: pd.DataFrame, numbers: list[Span]) -> list[SimpleNamespace]:
    """The numbers set aside, grouped by reason in the vocabulary's order and in reading order
    within each; each reason's term has the id the marks in the text take their description from."""
    groups = []
    for reason, meaning in vocabulary.EXCLUSION_REASONS.items():
        rows = [row for row in (exclusions.iloc[int(span.key)] for span in numbers) if row.reason == reason]
        if rows:
            groups.append(SimpleNamespace(reason=reason, meaning=meaning, rows=rows))
    return groups


def article(
    source_id: str,
    text: str,
    claims: pd.DataFrame,
    checks: pd.DataFrame,
    exclusions: pd.DataFrame,
    conclusions: pd.DataFrame,
    *,
    claim_page: str = "claims.html",
    check_href: Callable[[str], str] | None = None,
    furniture: dict[str, str] | None = None,
) -> dict:
    """What one article's page shows, for `templates/site/article-body.html.j2`: a summary, the full
    text with its claims and the numbers set aside marked (HTML, every string in it escaped), every
    claim with what the audit found, and every number set aside with its reason.

    `claims`, `checks`, `exclusions` and `conclusions` may hold every article's rows; only
    `source_id`'s are used.
    `claim_page` is the claims explorer (each claim's row has id `claim-<claim_id>`);
    `check_href(check_id)`, if given, is the address of a check, and each verdict links to it.
    `furniture`: the lines of the text that are its web page's furniture, each with what it is
    (`rare_earths.data.furniture.lines_of`); they are shown dimmed and labelled, and not printed.
    """
    own = claims[claims.source_id == source_id]
    set_aside = exclusions[exclusions.source_id == source_id].reset_index(drop=True)
    quotes = claim_spans(text, own)
    numbers = exclusion_spans(text, set_aside)
    figures = figure_spans(text, own)
    ids = {span.key for span in quotes}
    checks_of = _checks_of(checks, ids)
    for claim_id, found in checks_of.items():
        if not found:
            raise ValueError(
                f"claim {claim_id} is in no check of the audit; every claim should be, if only as not_checked"
            )
    concluded = conclusions.set_index("claim_id", drop=False)
    standings = {span.key: concluded.standing[span.key] for span in quotes}
    rows = {row.claim_id: row for row in own.itertuples()}

    described: list[_Claim] = []
    for span in quotes:
        row = rows[span.key]
        described.append(
            _Claim(
                span.key,
                claim_number(span.key),
                prose.as_written(row.quote, row.value_as_written, row.unit_as_written, row.qualifier),
                canonical(row),
                standings[span.key],
                concluded.loc[span.key],
                tuple(checks_of[span.key]),
            )
        )
    return {
        "source_id": source_id,
        "summary": summary(standings, len(set_aside)),
        "verdict": verdict(standings),
        "failing": _failing(described, rows),
        "standings": vocabulary.STANDINGS,
        "text": Markup(_marked(text, quotes, numbers, described, set_aside, figures, furniture or {})),
        "has_furniture": bool(furniture),
        # By number, so a reader (on paper, too) finds claim 49 where 49 stands; the text is in reading order.
        "claims": [
            _entry(claim, rows[claim.claim_id], check_href) for claim in sorted(described, key=lambda c: c.number)
        ],
        "set_aside": _set_aside(set_aside, numbers),
        "claim_page": claim_page,
    }


def _marked(
    text: str,
    quotes: list[Span],
    numbers: list[Span],
    described: list[_Claim],
    set_aside: pd.DataFrame,
    figures: list[Span],
    furniture: dict[str, str],
) -> str:
    """The article's paragraphs with each claim's quote marked and followed by its reference, its
    figure a link to its own entry titled with its own card, and each number set aside marked with
    its reason; every string escaped (`_escape`, `_attribute`)."""
    opening: dict[str, tuple[str, str]] = {}
    refs: dict[int, list[str]] = {}
    for claim, span in zip(described, quotes, strict=True):
        style = f"claim claim-{css_class(claim.group)}"
        common = f'data-claim="{claim.claim_id}"'
        opening[claim.claim_id] = (
            f'<mark class="{style}" id="{claim.claim_id}" {common}>',
            f'<mark class="{style} claim-continued" {common}>',
        )
        # Out of the keyboard's order (the reference after the quote is the keyboard's way there). It
        # carries its own claim's standing: where quotes overlap, the innermost highlight's colour is
        # another claim's, and a figure must never show a conclusion not its own.
        figure = (
            f'<a class="figure-link" href="#about-{claim.claim_id}" tabindex="-1" data-figure="{claim.claim_id}" '
            f'data-standing="{css_class(claim.group)}">'
        )
        opening[f"figure:{claim.claim_id}"] = (figure, figure)
        words = f"Claim {claim.number}: {claim.written}, {label(claim.group).lower()}; what was found"
        refs.setdefault(span.end, []).append(
            f'<a class="claim-ref" href="#about-{claim.claim_id}" data-n="{claim.number}" aria-label="{_attribute(words)}"></a>'
        )
    for span in numbers:
        row = set_aside.iloc[int(span.key)]
        reason = f"Not a claim: {vocabulary.EXCLUSION_REASONS[row.reason]}"
        tag = (
            f'<span class="excluded" tabindex="0" data-reason="{_attribute(reason)}" '
            f'aria-describedby="set-aside-{row.reason}">'
        )
        opening[span.key] = (tag, tag)
    return _Text(text, [*quotes, *figures, *numbers], opening, refs, furniture).write()


def article_body(source_id: str, text: str, *tables: pd.DataFrame, links: Links | None = None, **options) -> str:
    """The main content of one article's page (an HTML fragment, no <html> or <head>), as its page
    writes it: `article(...)` in `templates/site/article-body.html.j2`. `links`: the claims and
    articles its lists may name (none by default)."""
    context = article(source_id, text, *tables, **options)
    return layout.environment().get_template("article-body.html.j2").render(claim_links=links or Links(), **context)
