"""Atomic writes: a file is replaced whole or not at all, so an interrupted run leaves the old one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text(path: Path, text: str) -> Path:
    """Write `text` (UTF-8, \\n line ends) to a temporary file beside `path`, then move it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are for every reader
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def remove_leftovers(directory: Path) -> None:
    """Delete the temporary files a killed run left in `directory` (never a finished output)."""
    for leftover in Path(directory).glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
