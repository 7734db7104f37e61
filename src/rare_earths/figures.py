"""Plot style and captions shared by the notebooks, so every figure looks and cites alike."""

from __future__ import annotations

import matplotlib as mpl
import seaborn as sns
from IPython import get_ipython
from IPython.display import Markdown, display


def setup() -> None:
    """One seaborn theme for every figure; PNG output without run-dependent metadata."""
    sns.set_theme(context="notebook", style="whitegrid", palette="colorblind")
    mpl.rcParams.update({
        "figure.figsize": (8, 4.2),
        "figure.dpi": 96,
        "savefig.bbox": "tight",
    })
    shell = get_ipython()
    if shell is not None:
        # No software version in the inline PNGs, so the same figure gives the same bytes anywhere.
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = {'bbox_inches': 'tight', 'metadata': {'Software': None}}")


def caption(number: int, text: str, claim_ids: str | list[str]) -> None:
    """Show a figure's caption below it, ending with the claims the figure is drawn from."""
    ids = claim_ids if isinstance(claim_ids, str) else "; ".join(sorted(set(claim_ids)))
    display(Markdown(f"**Figure {number}.** {text} Claims: {ids}."))
