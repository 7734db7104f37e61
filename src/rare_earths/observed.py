"""What a process read of the project's data, as it ran.

Every reader of a data file (`tables`, `provenance`, `reference`) notes the file here. The chain asks
a notebook's kernel, once its cells have run, for these files and for the project modules it
imported, and a notebook reruns when one of them changes: what a notebook reads is never declared
apart from the code that reads it, so the two cannot drift.
"""

from __future__ import annotations

from pathlib import Path

READS: set[str] = set()
# Every read in order, so a step run in a process that ran others (a run's data step, then its
# site; a test worker) records only what it read itself (`reads_since`).
_LOG: list[str] = []


def note_read(path: Path | str) -> None:
    """Record that this process read `path` (kept as given, made relative to the project when asked)."""
    resolved = str(Path(path).resolve())
    READS.add(resolved)
    _LOG.append(resolved)


def mark() -> int:
    """A point in this process's reads, for `reads_since`."""
    return len(_LOG)


def reads_since(point: int) -> set[str]:
    """The files read since `mark()` returned `point`."""
    return set(_LOG[point:])
