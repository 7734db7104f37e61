"""What a process read of the project's data, as it ran.

Every reader of a data file (`tables`, `provenance`, `reference`) notes the file here. The chain asks
a notebook's kernel, once its cells have run, for these files and for the project modules it
imported, and a notebook reruns when one of them changes: what a notebook reads is never declared
apart from the code that reads it, so the two cannot drift.
"""

from __future__ import annotations

from pathlib import Path

READS: set[str] = set()


def note_read(path: Path | str) -> None:
    """Record that this process read `path` (kept as given, made relative to the repository when asked)."""
    READS.add(str(Path(path).resolve()))
