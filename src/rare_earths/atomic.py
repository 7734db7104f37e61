"""Atomic writes: a file is replaced whole or not at all, and a step's outputs all together or none.

`write_text` replaces one file. `replace_together` moves a set of staged files onto their targets
as one unit: the journal that lists them is written only once every staged file is complete, and
removed once every one is in place, so a run killed at any point leaves either the old set (no
journal: the staged files are discarded) or a journal that `recover` finishes on the next run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

import filelock

from rare_earths.errors import InputError, Problem
from rare_earths.project import relative, root_as_written

JOURNAL = ".replacing.json"
STAGING_PREFIX = ".staging-"


def no_links(folder: Path) -> Path:
    """Refuse to write into `folder` if it, or a folder between it and its project's root, is a
    symbolic link: an output is never written through a link, which could lead outside the tree.
    (A link in the file's own place is replaced, not followed: `os.replace`.)"""
    folder = Path(folder)
    root = root_as_written(folder)
    if root is not None:
        current = root
        for part in Path(os.path.abspath(folder)).relative_to(root).parts:
            current = current / part
            if current.is_symlink():
                raise OSError(
                    errno.ELOOP,
                    "is a symbolic link, and outputs are never written through one: remove it and run again",
                    str(current),
                )
    return folder


def own_files(directory: Path, names: Iterable[str]) -> None:
    """Refuse if an output of `directory` is a link or not a regular file: read through a link it
    would pass as up to date while it is another file, and replaced it would leave a journal its own
    check refuses. Checked before a step judges its outputs or stages anything."""
    for name in names:
        path = Path(directory) / name
        if path.is_symlink():
            why = f"is a link (to {os.readlink(path)})"
        elif path.exists() and not path.is_file():
            why = "is a folder" if path.is_dir() else "is not a regular file"
        else:
            continue
        raise OSError(errno.EINVAL, f"{why}; outputs are the project's own files: remove it and run again", str(path))


def write_text(path: Path, text: str, *, create: bool = True) -> Path:
    """Write `text` (UTF-8, \\n line ends) to a temporary file beside `path`, then move it into place.
    `create`: make `path`'s folder if it is missing (else the write fails: FileNotFoundError)."""
    path = Path(path)
    no_links(path.parent)
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; outputs are for every reader
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        if error.filename is None:  # a full disk says nothing of the file: name it
            raise OSError(error.errno, error.strerror, str(published(path))) from error
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def published(path: Path) -> Path:
    """The output a file stands for: a file being staged is named by where it will be published."""
    path = Path(path)
    return path.parent.parent / path.name if path.parent.name.startswith(STAGING_PREFIX) else path


def staging(directory: Path) -> Path:
    """A new empty folder inside `directory` to build a step's outputs in (same filesystem: moves are renames)."""
    no_links(directory)
    Path(directory).mkdir(parents=True, exist_ok=True)
    made = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=directory))
    _made.add(Path(os.path.abspath(made)))
    return made


_made: set[Path] = set()  # the staging folders this process made: in use while it runs, never stale


def remove_stale_staging(directory: Path) -> None:
    """Delete the staging folders killed runs left in `directory`, once this process holds the run
    lock (no other run can be using one then); one this process made is in use, and stays. A
    link of that name is removed itself, never followed; anything else of that name is left."""
    if _holding:
        _remove_staging(directory, keep=_made)


def _remove_staging(directory: Path, keep: Collection[Path] = ()) -> None:
    for leftover in no_links(Path(directory)).glob(f"{STAGING_PREFIX}*"):
        if Path(os.path.abspath(leftover)) in keep:
            continue
        if leftover.is_symlink():
            leftover.unlink()
        elif leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)  # rmtree removes links inside, never follows them


def replace_together(directory: Path, staged: Path) -> list[Path]:
    """Move every file of the staging folder `staged` onto the file of the same name in `directory`,
    all or none; returns the targets. The staging folder is removed."""
    directory, staged = Path(directory), Path(staged)
    moves = {path.name: path.relative_to(directory).as_posix() for path in sorted(staged.iterdir()) if _regular(path)}
    own_files(directory, moves)  # before the journal: one naming a link in an output's place is refused by recover
    confirm_lock()
    write_text(directory / JOURNAL, json.dumps(moves, indent=1, sort_keys=True) + "\n")
    try:
        _finish(directory)
    except OSError as error:  # committed: the journal stays, and the next run finishes what it lists
        error.part_replaced = directory
        raise
    shutil.rmtree(staged, ignore_errors=True)
    return [directory / name for name in moves]


def _finish(directory: Path, outputs: Iterable[str] | None = None) -> None:
    """Move what the journal lists into place (each move a rename), then remove the journal.
    `outputs`: the names the journal may list (as `recover` takes them)."""
    journal = directory / JOURNAL
    moves = _journal_moves(journal, outputs)
    for name, staged in moves.items():
        if _regular(directory / staged):  # not yet moved before an interruption
            os.replace(directory / staged, directory / name)
    journal.unlink()


def _regular(path: Path) -> bool:
    """A regular file, not a link to one: what a staging folder holds and a step publishes."""
    return path.is_file() and not path.is_symlink()


def what_stands(error: OSError) -> str:
    """What a failed write left, truthfully: outputs part-way replaced (a journal the next run
    finishes), or the previous outputs as they were."""
    directory = getattr(error, "part_replaced", None)
    if directory is not None:
        return (
            f"{relative(directory)}/ is part-way replaced: the next run finishes the replacement "
            f"its journal ({JOURNAL}) lists"
        )
    return "the previous outputs are as they were"


def _journal_moves(journal: Path, outputs: Iterable[str] | None = None) -> dict[str, str]:
    """The moves a journal lists, each as `replace_together` writes it: a file's bare name, from the
    file of that name in a staging folder beside it. Anything else (a link, a path that leads
    elsewhere, a journal this code did not write) is refused before anything moves: a planted
    journal must not move files into, out of or across the tree. `outputs`: the names the step
    that governs the folder publishes; a journal listing another name (another step's output in
    the same folder, such as the site's link reports/html) is refused."""

    def refused(why: str) -> InputError:
        return InputError([Problem(relative(journal), f"{why}; nothing was moved: remove the file and run again")])

    if journal.is_symlink():
        raise refused("is a symbolic link, not a journal of a replacement")
    try:
        moves = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as error:  # RecursionError: nested past the parser's depth
        raise refused(f"cannot be read as a journal ({error})") from None
    if not isinstance(moves, dict):
        raise refused("is not a journal of a replacement")
    for name, staged in moves.items():
        parts = Path(staged).parts if isinstance(staged, str) else ()
        bare = isinstance(name, str) and name not in ("", ".", "..") and Path(name).name == name
        if not (bare and len(parts) == 2 and parts[0].startswith(STAGING_PREFIX) and parts[1] == name):
            raise refused(f"lists a move this project never makes ({name!r} from {staged!r})")
        if outputs is not None and name not in outputs:
            raise refused(f"lists {name!r}, which is not an output of the step that writes {relative(journal.parent)}/")
    directory = journal.parent
    for name, staged in moves.items():
        # Each move is a regular file renamed onto a regular file (or onto nothing): never a link
        # or a folder, in the staging folder or in the output's place, which would publish another
        # file in the output's name, or replace what is not an output.
        folder, source, target = directory / Path(staged).parent, directory / staged, directory / name
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise refused(f"lists a move from {Path(staged).parent!r}, which is not a staging folder")
        if source.is_symlink() or (source.exists() and not source.is_file()):
            raise refused(f"lists a move from {staged!r}, which is not a regular file")
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise refused(f"lists a move onto {name!r}, which is not a regular file")
    return moves


def recover(directory: Path, outputs: Iterable[str] | None = None) -> None:
    """Finish a replacement a killed run had committed to, and delete what an unfinished one left:
    temporary files and staging folders (never a finished output). `outputs`: the names of the
    files the step that governs `directory` publishes there (its outputs and manifest); a journal
    that lists anything else is refused, nothing moved."""
    directory = no_links(Path(directory))  # nothing is deleted or moved through a link either
    journal = directory / JOURNAL
    if journal.is_file() or journal.is_symlink():  # a link is refused by _journal_moves, not skipped
        _finish(directory, outputs)
    remove_leftovers(directory)
    _remove_staging(directory)


def remove_leftovers(directory: Path) -> None:
    """Delete the temporary files a killed run left in `directory` (never a finished output)."""
    for leftover in no_links(Path(directory)).glob(".*.tmp"):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def one_run_at_a_time(lock_file: Path) -> Iterator[None]:
    """Hold the tree's run lock: a second run in the same tree waits, saying why, until the first is
    done (the operating system releases the lock when a run ends, even when it is killed). A lock
    path that is a symbolic link is refused: the lock file is written, never through a link."""
    lock_file = Path(lock_file)
    if lock_file.is_symlink():
        raise OSError(
            errno.ELOOP, "is a symbolic link; remove it (the run lock is never written through a link)", str(lock_file)
        )
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    held: list[int] = []  # the lock file's descriptor while this run holds it

    def claimed(descriptor: int) -> None:  # the holder's name, for a run that waits to say whom it waits for
        held.append(descriptor)
        _rewrite(descriptor, f"process {os.getpid()}\n")

    # preserve_lock_file, fallback_to_soft off: the lock is always the operating system's, on a file
    # that stays (a soft lock would be a file whose existence is the lock, left behind by a killed run).
    lock = filelock.FileLock(lock_file, on_acquired=claimed, preserve_lock_file=True, fallback_to_soft=False)
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        print(
            f"waiting: {_holder(lock_file)} is running in this tree; this run starts when it ends",
            file=sys.stderr,
            flush=True,
        )
        lock.acquire()
    _holding.append((lock_file, held[-1]))
    try:
        confirm_lock()  # removed and made anew while this run waited: that is another run's lock now
        yield
    finally:
        _holding.pop()
        _rewrite(held[-1], "")
        lock.release()


_holding: list[tuple[Path, int]] = []  # the run lock this process holds: its path and descriptor


class LockLost(OSError):
    """The run lock was removed (or replaced) while this run held it: another run may be writing."""


def confirm_lock() -> None:
    """Before anything is published: the lock file this run holds is still the one at the lock's
    path. Removed while held (`rm`, a clean that did not take the lock), a second run could have
    started on a new file; this run then stops, publishing nothing more. No lock held: nothing to do."""
    if not _holding:
        return
    lock_file, descriptor = _holding[-1]
    try:
        same = os.path.samestat(os.fstat(descriptor), os.stat(lock_file, follow_symlinks=False))
    except OSError:
        same = False
    if not same:
        raise LockLost(
            errno.ESTALE,
            "the run lock was removed while this run held it, so another run may be writing; this run "
            "stopped and published nothing more: run again once no other run is going",
            str(lock_file),
        )


def _rewrite(descriptor: int, text: str) -> None:
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, text.encode("utf-8"))


def _holder(lock_file: Path) -> str:
    """Who holds the run lock, as its holder wrote it ("process 1234"); read without following a link."""
    try:
        handle = os.open(lock_file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return "another run"
    try:
        return os.read(handle, 200).decode("utf-8", "replace").strip() or "another run"
    finally:
        os.close(handle)
