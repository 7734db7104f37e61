"""How the notebooks show their results: one plot style, figures as SVG with alt text, tables in
readers' words, and captions that cite the claims a figure is drawn from.

Every page is read on phones as often as on desktops, by readers who do not know the code: a
table's headers are words with their unit, its numbers read alike everywhere (`readable`), a
missing value is a dash, and a figure is vector (SVG, its text kept as text), sized to stay legible
at 390 px wide, with a title that states its finding and alt text that says what it shows.
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
import pandas as pd
import seaborn as sns
from IPython import get_ipython
from IPython.display import SVG, Markdown, display

from rare_earths import text, vocabulary

# The audit's verdicts, in the vocabulary's order, each with the colour its record declares: the Okabe-Ito palette, with Paul Tol's
# where it runs out. Warm colours do not hold, blues hold, greys were not or could not be checked.
VERDICT_COLOURS = {name: verdict.colour for name, verdict in vocabulary.VERDICTS.items()}

# What a missing value shows as in a table.
MISSING = "—"
# A figure's size in inches: 6.4 in is 461 pt, so at 390 px wide the fonts below read at 10-12 px.
FIGSIZE = (6.4, 4.0)
# Characters per line of a title and of a bar's label at that size.
TITLE_WIDTH = 48
LABEL_WIDTH = 22
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
    """A number as a table shows it: whole above 1,000 (15,400), four significant digits below (31.71, 0.001875)."""
    return text.number(number, 4)


# --- tables --------------------------------------------------------------------------------------


def _cell(value, column: str) -> str:
    """One value as a table cell shows it: a dash if missing, years without a thousands separator."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) or (hasattr(value, "dtype") and pd.api.types.is_number(value)):
        number = float(value)
        if "year" in column.lower() and number.is_integer():
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


# Cells longer than this on average make a column of prose.
PROSE_LENGTH = 80


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
    # A table of sentences (a finding, a rule's meaning) reads as cards on a phone, each value under
    # its column's name: narrow columns of prose would run to a screen a row.
    prose = any(
        flat[column].astype(str).str.len().mean() > PROSE_LENGTH for column in flat.columns if column not in numeric
    )
    head = "".join(
        f'<th scope="col"{number if column in numeric else ""}>{linked(column)}</th>' for column in flat.columns
    )
    rows = []
    ids = list(row_ids) if row_ids is not None else [None] * len(flat)
    if len(ids) != len(flat):
        raise ValueError(f"{len(ids)} row ids for {len(flat)} rows")
    for row_id, values in zip(ids, flat.itertuples(index=False), strict=True):
        cells = []
        for column, value in zip(flat.columns, values, strict=True):
            shown = _cell(value, column)
            shown = f"<code>{html.escape(shown)}</code>" if column in code and shown != MISSING else linked(shown)
            label = f' data-label="{html.escape(str(column))}"' if prose else ""
            cells.append(f'<td class="number"{label}>{shown}</td>' if column in numeric else f"<td{label}>{shown}</td>")
        address = f' id="{html.escape(row_id)}"' if row_id else ""
        rows.append(f"<tr{address}>{''.join(cells)}</tr>")
    body = "\n".join(rows)
    kind = "dataframe prose" if prose else "dataframe"
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


def parameters(frame: pd.DataFrame) -> Table:
    """The parameters a notebook ran with (`params.table`), for readers: each name in `<code>`, as
    it is typed on the command line, the rest in words."""
    return table(
        frame,
        {
            "value": "Value",
            "unit": "Unit",
            "default": "Default",
            "meaning": "Meaning",
            "source of the default": "Source of the default",
        },
        code=["Parameter"],
        index="Parameter",
    )


# --- figures -------------------------------------------------------------------------------------


def setup() -> None:
    """One seaborn theme for every figure, sized to read on a phone; SVG with no run metadata and
    its text kept as text; readable tables without a positional index."""
    pd.set_option("display.float_format", readable)
    # Whole cells: a claim-id list or a source cut to 50 characters with "..." loses provenance.
    pd.set_option("display.max_colwidth", None)
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind", font_scale=1.1)
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 96,
            "savefig.bbox": "tight",
            "axes.titlesize": 14,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            # SVG: the same figure gives the same bytes anywhere (ids from a fixed salt), text stays text.
            "svg.hashsalt": "rare-earths",
            "svg.fonttype": "none",
        }
    )
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)


def svg(fig: mpl.figure.Figure, alt: str) -> str:
    """`fig` as SVG text, the same bytes for the same figure: no date, no software version, fixed
    ids; the root element carries `alt` as its accessible name."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None, "Title": alt})
    text = buffer.getvalue()
    label = html.escape(alt, quote=True)
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def show(fig: mpl.figure.Figure, alt: str) -> None:
    """Display `fig` as SVG with its alt text (what the chart shows: its type, what it compares, the
    finding), then close it, so the notebook holds the one vector image and no PNG."""
    if not alt.strip():
        raise ValueError("a figure needs alt text saying what it shows")
    data = svg(fig, alt)
    plt.close(fig)
    display(SVG(data=data), metadata={"image/svg+xml": {"alt": alt}})


def title(ax: mpl.axes.Axes, text: str, width: int = TITLE_WIDTH) -> None:
    """A title that states the finding, wrapped to fit the figure's width."""
    ax.set_title(textwrap.fill(text, width), loc="left")


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
                    fontsize=11,
                    fontweight="bold",
                )
            else:
                ax.bar_label(container, fmt=lambda value: f"{text.number(value)}{unit}", padding=3, fontsize=11)


def legend_below(ax: mpl.axes.Axes, title: str | None = None, columns: int = 2) -> None:
    """The legend under the plot, in the data's order, so it takes no width from a narrow screen."""
    sns.move_legend(ax, "upper left", bbox_to_anchor=(0, -0.18), ncol=columns, title=title, frameon=False)


def caption_text(number: int, text: str, claim_ids: str | list[str]) -> str:
    """A figure's caption, ending with the claims the figure is drawn from."""
    ids = claim_ids if isinstance(claim_ids, str) else vocabulary.SEPARATOR.join(sorted(set(claim_ids)))
    return f"**Figure {number}.** {text} Claims: {ids}."


def caption(number: int, text: str, claim_ids: str | list[str]) -> None:
    """Show a figure's caption below it (as Markdown in a notebook)."""
    display(Markdown(caption_text(number, text, claim_ids)))
