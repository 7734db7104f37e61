"""Plot style and captions shared by the notebooks, so every figure looks and cites alike."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
import seaborn as sns
from IPython import get_ipython
from IPython.display import Markdown, display

# The audit's verdicts, in metadata order: the Okabe-Ito colour-blind-safe palette, with Paul Tol's
# where it runs out. Warm colours do not hold, blues hold, greys were not or could not be checked.
VERDICT_COLOURS = {
    "contradicted": "#D55E00",
    "implausible": "#E69F00",
    "hedge_dropped": "#CC79A7",
    "date_conflict": "#F0E442",
    "ambiguous": "#AA4499",
    "inconclusive": "#BBBBBB",
    "cannot_check": "#777777",
    "consistent_within_rounding": "#56B4E9",
    "consistent": "#0072B2",
    "derived": "#44AA99",
    "not_checked": "#DDDDDD",
}


def readable(number: float) -> str:
    """A number as a table shows it: whole above 1,000 (15,400), four significant digits below (31.71, 0.001875)."""
    return f"{number:,.0f}" if abs(number) >= 1000 else f"{number:.4g}"


def table_html(frame: pd.DataFrame) -> str:
    """A table as the pages show it: a positional index (0, 1, 2, ...) says nothing and is left
    out; a named index (`kind`, `parameter`) stays."""
    positional = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    return frame.to_html(notebook=True, index=not positional)


def setup() -> None:
    """One seaborn theme for every figure, readable numbers in tables without a positional index,
    PNGs without run metadata."""
    pd.set_option("display.float_format", readable)
    # Whole cells: a claim-id list or a source cut to 50 characters with "..." loses provenance.
    pd.set_option("display.max_colwidth", None)
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    mpl.rcParams.update({
        "figure.figsize": (8, 4.2),
        "figure.dpi": 96,
        "savefig.bbox": "tight",
    })
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, table_html)
        # No software version in the inline PNGs, so the same figure gives the same bytes anywhere.
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', 'metadata': {'Software': None}}")


def caption_text(number: int, text: str, claim_ids: str | list[str]) -> str:
    """A figure's caption, ending with the claims the figure is drawn from."""
    ids = claim_ids if isinstance(claim_ids, str) else "; ".join(sorted(set(claim_ids)))
    return f"**Figure {number}.** {text} Claims: {ids}."


def caption(number: int, text: str, claim_ids: str | list[str]) -> None:
    """Show a figure's caption below it (as Markdown in a notebook)."""
    display(Markdown(caption_text(number, text, claim_ids)))
