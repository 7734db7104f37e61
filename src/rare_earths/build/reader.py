"""An executed notebook, read as the site and the tests read it: the one door from the outputs of
the build to what is shown, so nothing that shows them depends on how they were made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat

from rare_earths import observed
from rare_earths.build import results


def read(path: Path):
    """The executed notebook at `path` (nbformat's NotebookNode), noted as read: a page made from it
    is made again when it changes."""
    observed.note_read(path)
    return nbformat.read(path, as_version=4)


ran_with = results.ran_with  # the parameters an executed notebook ran with


def recorded(notebook) -> list[dict[str, Any]]:
    """Every result the notebook recorded (`results.record`), in cell order."""
    return results.collect(notebook)
