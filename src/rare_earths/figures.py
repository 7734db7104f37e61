"""How the notebooks show their results: one plot style, figures as SVG with alt text, tables in
readers' words, and captions that cite the claims a figure is drawn from.

Every page is read on phones as often as on desktops, by readers who do not know the code: a
table's headers are words with their unit, its numbers read alike everywhere (`readable`), a
missing value is a dash, and a figure is vector (SVG, its text kept as text), drawn so that its
text reads at 12 px or more at 390 px wide, with a title that states its finding, alt text that says
what it shows, and the data it plots, exactly, for a reader to download.
"""

from __future__ import annotations

import html
import io
import math
import re
import textwrap
from collections.abc import Iterable, Mapping

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython import get_ipython
from IPython.display import SVG, Markdown, display
from matplotlib.category import StrCategoryConverter
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer

from rare_earths import text, vocabulary
from rare_earths.data.tables import FORMULA_STARTS

# The audit's verdicts, in the vocabulary's order, each with the colour its record declares: the Okabe-Ito palette, with Paul Tol's
# where it runs out. Warm colours do not hold, blues hold, greys were not or could not be checked.
VERDICT_COLOURS = {name: verdict.colour for name, verdict in vocabulary.VERDICTS.items()}

# What a missing value shows as in a table.
MISSING = "—"

# --- the size of a chart, from one rule ------------------------------------------------------------
# Every chart's text reads at MIN_TEXT_PX or more on a 390 px phone, where the site shows a chart
# PHONE_PX wide (the window less main's 1rem padding each side, site.css), scaled to fit. A
# chart is drawn a quarter wider than that: on a desktop or paper, shown at its natural size
# (never enlarged), its smallest text then reads at 15 px, near the pages' 17 px. Everything else
# follows: the figure's width, the text's size in points (the SVG's units: 72 a inch, 96 px) and
# how many characters a line of a title or a label holds. `show` refuses a chart that breaks it.
PHONE_PX = 358
MIN_TEXT_PX = 12
FIGURE_WIDTH = 1.25 * PHONE_PX / 96  # inches: 4.66
PAD = 0.04  # inches of margin around the drawing, in the SVG
# The smallest text, in points, rounded up to a half: the SVG (figure and margins) is drawn PHONE_PX wide.
TEXT_PT = math.ceil(2 * MIN_TEXT_PX * (FIGURE_WIDTH + 2 * PAD) * 72 / PHONE_PX) / 2
TITLE_PT = TEXT_PT + 2
FIGSIZE = (FIGURE_WIDTH, 0.75 * FIGURE_WIDTH)
# Characters per line of a title (bold, across the figure) and of a bar's label (at most 40% of
# the width), from the width of a character of prose in DejaVu Sans: 0.6 em bold on average, up to
# 0.65 em in a line of wide letters (a title's line must fit), 0.55 em regular.
TITLE_WIDTH = int(FIGURE_WIDTH * 72 / (0.65 * TITLE_PT))
LABEL_WIDTH = int(0.4 * FIGURE_WIDTH * 72 / (0.55 * TEXT_PT))
# Two lowercase words joined by an underscore: a name from the code, not a word for readers.
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
# A claim id in a table's text ("a002-12"): a link to its sentence on the site.
CLAIM_ID = re.compile(rf"\b{vocabulary.CLAIM_ID}\b")


def claim_href(claim_id: str) -> str:
    """Where the site puts a claim's sentence: on its article's page (`site.registry.article_page`),
    under its id. Stated here because the notebooks' kernels import this module, not the site's;
    tests/site/test_site.py checks the two agree."""
    return f"article-{claim_id[:4]}.html#{claim_id}"


def linked(words: str) -> str:
    """Words of a table escaped for HTML, each claim id in them a link to its sentence."""
    out, position = [], 0
    for found in CLAIM_ID.finditer(words):
        claim_id = found.group(0)
        out += [html.escape(words[position : found.start()]), f'<a href="{claim_href(claim_id)}">{claim_id}</a>']
        position = found.end()
    return "".join([*out, html.escape(words[position:])])


def readable(number: float) -> str:
    """A number as a table shows it, at the precision the articles' figures carry (two or three
    digits): whole from 100 up (115, 2,106, 160,000), three significant digits below (31.7, 0.652,
    0.00188)."""
    return text.number(round(number)) if abs(number) >= 100 else text.number(number, 3)


# --- tables --------------------------------------------------------------------------------------


# A column of years ("Year", "Base year"), not of rates ("Tonnes a year"): no thousands separator.
YEAR_COLUMN = re.compile(r"(?:\w+ )?year", re.IGNORECASE)


def _cell(value, column: str) -> str:
    """One value as a table cell shows it: a dash if missing, years without a thousands separator."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) or (hasattr(value, "dtype") and pd.api.types.is_number(value)):
        number = float(value)
        if YEAR_COLUMN.fullmatch(column) and number.is_integer():
            return str(int(number))
        return readable(number)
    return str(value)


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """One header row: a named index becomes the first column (an unnamed one, positional or left
    from a filter, says nothing and is left out); column levels are joined in words."""
    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" ".join(str(level) for level in column if str(level)) for column in frame.columns]
    frame.columns = [str(column) for column in frame.columns]
    frame.columns.name = None
    if isinstance(frame.index, pd.MultiIndex):
        return frame.reset_index() if any(frame.index.names) else frame.reset_index(drop=True)
    if frame.index.name is None:
        return frame.reset_index(drop=True)
    return frame.reset_index()


# What a screen holds across, in characters of the site's type (about 9 px a character of 16 px
# text): a 390 px phone less the page's margins is about 350 px; a 768 px tablet about 700 px. A
# column takes its widest cell (numbers do not wrap; words wrap, so at most WRAPPED characters)
# and the gap between columns.
PHONE_CHARACTERS = 38
TABLET_CHARACTERS = 76
WRAPPED = 24
COLUMN_GAP = 2


def fits(cells: dict[str, list[str]], characters: int) -> bool:
    """Whether a table's columns, as shown (column name -> its cells), fit across `characters`. One
    that does not fit a phone reads as cards there (site.css, `table.cards`), one that does not fit
    a tablet as cards there too (`table.cards.wide`): a row a card, each value under its column's
    name, so no reader scrolls sideways to find a column. A column is as wide as its longest word
    (a number is one word, and does not wrap) or its longest cell up to WRAPPED characters."""

    def width(column: str) -> int:
        word = max((len(word) for text in (column, *cells[column]) for word in text.split()), default=0)
        return max(word, min(WRAPPED, max((len(cell) for cell in cells[column]), default=0)))

    return sum(width(column) + COLUMN_GAP for column in cells) <= characters


def table_html(frame: pd.DataFrame, code: Iterable[str] = (), row_ids: Iterable[str] | None = None) -> str:
    """A table as the pages show it: one header row (a named index is the first column, a positional
    index is left out), missing values as a dash, numbers in one format and marked `class="number"`
    so the site aligns them right, each claim id a link to its sentence, and the cells of the `code`
    columns (names from the code, such as a parameter's) in `<code>`. `row_ids`, one per row, give
    each row an address on the page."""
    flat = _flat(frame)
    code = set(code)
    numeric = {
        column
        for column in flat.columns
        if pd.api.types.is_numeric_dtype(flat[column]) and not pd.api.types.is_bool_dtype(flat[column])
    }
    number = ' class="number"'
    shown = {column: [_cell(value, column) for value in flat[column]] for column in flat.columns}
    head = "".join(
        f'<th scope="col"{number if column in numeric else ""}>{linked(column)}</th>' for column in flat.columns
    )
    rows = []
    ids = list(row_ids) if row_ids is not None else [None] * len(flat)
    if len(ids) != len(flat):
        raise ValueError(f"{len(ids)} row ids for {len(flat)} rows")
    for position, row_id in enumerate(ids):
        cells = []
        for column in flat.columns:
            value = shown[column][position]
            words = f"<code>{html.escape(value)}</code>" if column in code and value != MISSING else linked(value)
            label = f' data-label="{html.escape(column)}"'
            cells.append(f"<td{number if column in numeric else ''}{label}>{words}</td>")
        address = f' id="{html.escape(row_id)}"' if row_id else ""
        rows.append(f"<tr{address}>{''.join(cells)}</tr>")
    body = "\n".join(rows)
    kind = (
        "dataframe"
        + ("" if fits(shown, PHONE_CHARACTERS) else " cards")
        + ("" if fits(shown, TABLET_CHARACTERS) else " wide")
    )
    return f'<table class="{kind}">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>'


def table_text(frame: pd.DataFrame) -> str:
    """The same table as plain text (what a terminal, or a diff of the notebook, shows)."""
    flat = _flat(frame)
    shown = pd.DataFrame(
        {column: [_cell(value, column) for value in flat[column]] for column in flat.columns}, columns=flat.columns
    )
    return shown.to_string(index=False) if len(shown.columns) else ""


class Table:
    """A table for readers, as a notebook displays it (HTML for the pages, text for the rest)."""

    def __init__(self, frame: pd.DataFrame, code: Iterable[str] = (), row_ids: Iterable[str] | None = None):
        self.frame = frame
        self.code = tuple(code)
        self.row_ids = None if row_ids is None else tuple(row_ids)

    def _repr_html_(self) -> str:
        return table_html(self.frame, self.code, self.row_ids)

    def __repr__(self) -> str:
        return table_text(self.frame)


def snake_case_in(frame: pd.DataFrame, code: Iterable[str] = ()) -> list[str]:
    """Every header and cell of `frame` (outside the `code` columns) that has a name from the code in it."""
    flat = _flat(frame)
    found = [column for column in flat.columns if SNAKE_CASE.search(column)]
    for column in flat.columns:
        if column in set(code) or pd.api.types.is_numeric_dtype(flat[column]):
            continue
        found += sorted({str(value) for value in flat[column] if isinstance(value, str) and SNAKE_CASE.search(value)})
    return found


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    code: Iterable[str] = (),
    index: str | None = None,
    row_ids: Iterable[str] | None = None,
) -> Table:
    """`frame` for readers: its columns renamed to words with their unit (`columns`, e.g.
    {"reserves_mt": "Reserves (Mt)"}), its index named `index` if given. Raises if a header or a
    cell outside the `code` columns is still a name from the code (`share_pct`, `lower_bound`):
    readers see words, and names from the code only in `<code>`."""
    shown = frame.rename(columns=dict(columns or {}))
    if index is not None:
        shown = shown.rename_axis(index)
    left = snake_case_in(shown, code)
    if left:
        raise ValueError(f"names from the code in a table for readers (give them words): {', '.join(left)}")
    return Table(shown, code, row_ids)


def with_units(frame: pd.DataFrame, values: Iterable[str] = ("value",), unit: str = "unit") -> pd.DataFrame:
    """A table whose rows measure different things, each value written with its row's unit as a
    sentence writes it ('16.9%', '235 USD million a year', '42 USD/kg'), numbers through the one
    formatter; the unit column goes."""
    shown = frame.copy()
    for column in values:
        shown[column] = [
            MISSING if pd.isna(value) else f"{readable(float(value))}{text.unit_after(row_unit)}"
            for value, row_unit in zip(frame[column], frame[unit], strict=True)
        ]
    return shown.drop(columns=unit)


def parameters(frame: pd.DataFrame) -> Table:
    """The parameters a notebook ran with (`params.table`), for readers: each by its label, its name
    in `<code>` as it is typed on the command line, the rest in words."""
    return table(
        frame,
        {
            "name": "Name in the code",
            "value": "Value",
            "unit": "Unit",
            "default": "Default",
            "meaning": "Meaning",
            "source of the default": "Source of the default",
        },
        code=["Name in the code"],
        index="Parameter",
    )


# --- figures -------------------------------------------------------------------------------------


def setup() -> None:
    """One seaborn theme for every figure, its text sized by the rule above; laid out to fit its
    width (constrained layout), SVG with no run metadata and its text kept as text; readable tables
    without a positional index."""
    pd.set_option("display.float_format", readable)
    # Whole cells: a claim-id list or a source cut to 50 characters with "..." loses provenance.
    pd.set_option("display.max_colwidth", None)
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 96,
            # Labels, legends and titles kept inside the figure's width, so the SVG is as wide as the rule says.
            "figure.constrained_layout.use": True,
            "savefig.bbox": "tight",
            "savefig.pad_inches": PAD,
            **dict.fromkeys(
                ("font.size", "axes.labelsize", "xtick.labelsize", "ytick.labelsize", "legend.fontsize"), TEXT_PT
            ),
            "legend.title_fontsize": TEXT_PT,
            "figure.titlesize": TITLE_PT,
            "figure.titleweight": "bold",
            "axes.titlesize": TITLE_PT,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            # Ending at the plot's right edge, a long axis label runs left under the tick labels,
            # not out of the figure as one centred under a narrow plot would.
            "xaxis.labellocation": "right",
            # SVG: the same figure gives the same bytes anywhere (ids from a fixed salt), text stays text.
            "svg.hashsalt": "rare-earths",
            "svg.fonttype": "none",
        }
    )
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


def size(height: float) -> tuple[float, float]:
    """A figure's size for `plt.subplots(figsize=...)`: the rule's width, and `height` inches."""
    return (FIGURE_WIDTH, height)


def svg(fig: mpl.figure.Figure, alt: str) -> str:
    """`fig` as SVG text, the same bytes for the same figure: no date, no software version, fixed
    ids; the root element carries `alt` as its accessible name."""
    buffer = io.StringIO()
    fig.savefig(
        buffer,
        format="svg",
        bbox_inches="tight",
        pad_inches=PAD,
        metadata={"Date": None, "Creator": None, "Title": alt},
    )
    text = buffer.getvalue()
    label = html.escape(alt, quote=True)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)pt"')
_FONT_SIZE = re.compile(r"<text\b[^>]*?font-size: ?([\d.]+)px[^>]*>(.*?)</text>", re.S)


def phone_text_px(svg_text: str, column_px: float = PHONE_PX) -> list[tuple[float, str]]:
    """Each text of a chart (its size in screen px, its words) as a column `column_px` wide shows
    it: scaled down to fit, never up. The SVG's units are points, 4/3 px each at natural size."""
    width = _SVG_WIDTH.search(svg_text)
    if width is None:
        raise ValueError("an SVG without its width in points")
    scale = min(4 / 3, column_px / float(width.group(1)))
    return [(float(size) * scale, html.unescape(words).strip()) for size, words in _FONT_SIZE.findall(svg_text)]


def _too_small(svg_text: str) -> list[str]:
    return [f"{words!r} at {px:.1f} px" for px, words in phone_text_px(svg_text) if px < MIN_TEXT_PX - 1e-9]


# --- a chart's data, exactly as plotted ------------------------------------------------------------

# Significant figures two values must share to be the same plotted value (a bar's length is stored as
# a float that went through matplotlib's arithmetic).
SIGNIFICANT = 9


def _same(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT}g}")


def _categorical(axis: mpl.axis.Axis) -> bool:
    """An axis of categories (strings, as seaborn and matplotlib place them at 0, 1, 2...): its
    coordinates are places, not data."""
    return isinstance(axis.get_converter(), StrCategoryConverter)


def plotted_values(fig: mpl.figure.Figure) -> list[float]:
    """Every value `fig` plots, read from its artists: each bar's length, the points of each line
    and each scatter or strip of dots, along every axis that is not of categories. Left out: what is
    no datum (a reference line drawn across the axes, such as `axvline`, and the band `fill_between`
    shades between two lines, which are plotted themselves), and missing values (NaN)."""
    values: list[float] = []
    for ax in fig.axes:
        along = [not _categorical(ax.xaxis), not _categorical(ax.yaxis)]
        for container in ax.containers:
            if isinstance(container, BarContainer):
                horizontal = container.orientation == "horizontal"
                values += [patch.get_width() if horizontal else patch.get_height() for patch in container.patches]
        for line in ax.lines:
            if line.get_transform() is not ax.transData:  # axvline, axhline: in the axes' coordinates, a reference
                continue
            for keep, data in zip(along, (line.get_xdata(), line.get_ydata()), strict=True):
                values += list(np.asarray(data, dtype=float)) if keep else []
        for collection in ax.collections:
            if isinstance(collection, PathCollection):
                offsets = np.asarray(collection.get_offsets(), dtype=float).reshape(-1, 2)
                for keep, data in zip(along, offsets.T, strict=True):
                    values += list(data) if keep else []
    return [float(value) for value in values if math.isfinite(value)]


def chart_data(frame: pd.DataFrame) -> str:
    """A chart's data as its CSV download: one header row of words with their unit (a named index is
    the first column), numbers as computed, unrounded; a text cell a spreadsheet would run as a formula
    starts with an apostrophe, as in the site's other tables (`tables.for_spreadsheets`)."""
    left = snake_case_in(frame)
    if left:
        raise ValueError(f"names from the code in a chart's data (give them words): {', '.join(left)}")
    flat = _flat(frame)
    for column in flat.columns:
        if not pd.api.types.is_numeric_dtype(flat[column]):
            flat[column] = [
                "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
                for value in flat[column]
            ]
    return flat.to_csv(index=False, lineterminator="\n")


def check_data(fig: mpl.figure.Figure, frame: pd.DataFrame) -> None:
    """Raise ValueError unless `frame` holds every value `fig` plots (to SIGNIFICANT figures): the
    CSV a reader downloads is the chart's data, not a neighbour of it."""
    numbers = _flat(frame).select_dtypes("number").to_numpy(dtype=float).ravel()
    held = {_same(value) for value in numbers if math.isfinite(value)}
    missing = sorted({_same(value) for value in plotted_values(fig)} - held)
    if missing:
        shown = ", ".join(f"{value:g}" for value in missing[:8]) + (
            f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        )
        raise ValueError(f"the chart's data lacks {len(missing)} of the values it plots: {shown}")


def show(fig: mpl.figure.Figure, alt: str, *, data: pd.DataFrame) -> None:
    """Display `fig` as SVG with its alt text (what the chart shows: its type, what it compares, the
    finding) and its data (`data`: a frame holding every value it plots, in words with their units),
    then close it, so the notebook holds the one vector image and no PNG. The data travel in the
    output's metadata, as CSV text, for the site to offer beside the chart. Refused: a chart without
    alt text, data that lack a value it plots, and text that would read under MIN_TEXT_PX on a phone."""
    if not alt.strip():
        raise ValueError("a figure needs alt text saying what it shows")
    check_data(fig, data)
    csv = chart_data(data)
    drawn = svg(fig, alt)
    plt.close(fig)
    small = _too_small(drawn)
    if small:
        raise ValueError(
            f"text under {MIN_TEXT_PX} px on a {PHONE_PX} px column (draw the figure {FIGURE_WIDTH:.2f} in wide, "
            f"its text at least {TEXT_PT} pt, and keep it inside): {'; '.join(small[:5])}"
        )
    display(SVG(data=drawn), metadata={"image/svg+xml": {"alt": alt, "csv": csv}})


def title(ax: mpl.axes.Axes, text: str, width: int = TITLE_WIDTH) -> None:
    """A title that states the finding, across the whole figure from its left edge (not only over
    the plot, which long labels may push right), wrapped to fit its width."""
    ax.figure.suptitle(textwrap.fill(text, width), x=0.01, ha="left")


def wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """A tick label on lines of at most `width` characters, broken between words only."""
    return textwrap.fill(str(label), width, break_long_words=False, break_on_hyphens=False)


def label_bars(ax: mpl.axes.Axes, unit: str = "", inside: bool = False) -> None:
    """Each bar's value, as prose writes numbers (`text.number`: 67.4, 6.9, 160,000), with `unit`
    after it ('%'): at the bar's end, or `inside` it in white where a reference line crosses the ends."""
    for container in ax.containers:
        if isinstance(container, mpl.container.BarContainer):
            if inside:
                ax.bar_label(
                    container,
                    fmt=lambda value: f"{text.number(value)}{unit}",
                    label_type="center",
                    color="white",
                    fontweight="bold",
                )
            else:
                ax.bar_label(container, fmt=lambda value: f"{text.number(value)}{unit}", padding=3)


def legend_below(ax: mpl.axes.Axes, title: str | None = None, columns: int = 2) -> None:
    """The legend under the plot, in the data's order, so it takes no width from a narrow screen:
    in at most `columns` columns, fewer where they would not fit the figure's width."""
    fig, old = ax.figure, ax.get_legend()
    handles, labels = old.legend_handles, [label.get_text() for label in old.get_texts()]
    old.remove()
    for count in range(columns, 0, -1):
        legend = fig.legend(
            handles, labels, loc="outside lower left", ncols=count, title=title, frameon=False, alignment="left"
        )
        fig.draw_without_rendering()
        if count == 1 or legend.get_window_extent().width <= fig.bbox.width:
            return
        legend.remove()


def caption_text(number: int, text: str, claim_ids: str | list[str], every: Iterable[str] | None = None) -> str:
    """A figure's caption, ending with the claims the figure is drawn from: their ids, or, when they
    are every claim there is (`every`, claims.csv's ids), that in words and how many, since a list of
    a hundred ids is nothing a reader can use (nor is a file's name)."""
    ids = sorted(set(claim_ids.split(vocabulary.SEPARATOR) if isinstance(claim_ids, str) else claim_ids))
    if every is not None and set(ids) == set(every):
        return f"**Figure {number}.** {text} Claims: every claim the articles state ({len(ids)} claims)."
    shown = claim_ids if isinstance(claim_ids, str) else vocabulary.SEPARATOR.join(ids)
    return f"**Figure {number}.** {text} Claims: {shown}."


def caption(number: int, text: str, claim_ids: str | list[str], every: Iterable[str] | None = None) -> None:
    """Show a figure's caption below it (as Markdown in a notebook)."""
    display(Markdown(caption_text(number, text, claim_ids, every)))
