"""The one build model: a step's inputs are content hashes and parameter values; its manifest
records them with its outputs' hashes; a step whose manifest still holds is up to date and skipped.

    fingerprint -> unchanged? -> stage -> replace together -> manifest

`fingerprint`, `unchanged` and `remember` serve every step; `build` runs a step whose outputs fill
one folder (the data step, results.csv, the site): built in a staging folder, checked there, then
moved into place with the manifest that vouches for them, all together or not at all.

A step readers see (the site) is published by one rename: its folder is a link to a finished
build beside it (reports/html -> .html-builds/<build>), and a new build replaces the link, never
a file a reader may be reading. Killed at any point, the link names the old build or the new one,
whole; a build the link does not name is removed by the next run.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rare_earths import atomic, observed
from rare_earths.build.observation import CODE_INPUTS, EVERYTHING, LIBRARY, used_here
from rare_earths.project import CODE, relative


def located(name: str | Path, root: Path) -> Path:
    """An input by the name a manifest gives it: the code's (the package, the lock) in the checkout
    that holds the code, the data's in the project at `root`; an absolute name as it is."""
    code = any(str(name) == base or str(name).startswith(f"{base}/") for base in CODE_INPUTS)
    return (CODE if code else root) / name


def _files(name: str | Path, root: Path) -> list[Path]:
    path = located(name, root)
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
        )
    return [path]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


@dataclass
class _Reads:
    """Each file's name and hash, by its path, with the file's identity when it was hashed; kept
    while `read_once`'s block is open."""

    files: dict[Path, tuple[tuple[int, int, int] | None, str, str]] = field(default_factory=dict)
    open: bool = True


_READS: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("reads", default=None)


@contextlib.contextmanager
def read_once() -> Iterator[None]:
    """Within the block, each input file is named and hashed once, however many fingerprints read
    it: for deciding which of many runs, sharing the same code and data, are up to date (a no-op
    `run` hashed about 60 files 2,000 times). A file replaced or written since it was hashed (its
    inode, size or modification time changed) is hashed again. Nothing is kept once the block
    ends, not even by a task or thread started in it (they copy the context, and its memo)."""
    reads = _Reads()
    token = _READS.set(reads)
    try:
        yield
    finally:
        reads.open = False
        _READS.reset(token)


def _identity(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def fingerprint(relatives: Iterable[str | Path], values: dict[str, Any], root: Path) -> dict[str, Any]:
    """Content hashes of files (or folders) and parameter values: the inputs of a step that is not a notebook."""
    known: dict[str, Path | None] = {}  # each folder's project, looked up once for all its files
    reads = _READS.get()
    read = reads.files if reads is not None and reads.open else {}  # else nothing kept beyond this call
    files = {}
    for name in relatives:
        for path in _files(name, root):
            identity = _identity(path)
            if path not in read or read[path][0] != identity:
                read[path] = (identity, relative(path, known), _sha256(path))
            files[read[path][1]] = read[path][2]
    return {"parameters": dict(sorted(values.items())), "files": dict(sorted(files.items()))}


def unchanged(manifest: Path, inputs: dict[str, Any], outputs: Iterable[Path], into: Path | None = None) -> bool:
    """Were `outputs` made from exactly these `inputs`, and are they still exactly what was made?
    The manifest records both, so an output changed, lost or left half-replaced since is made again.
    `into`: as `manifest_of` takes it."""
    try:
        recorded = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # nested past the parser's depth: holds nothing
        return False
    return recorded == manifest_of(inputs, outputs, into)


def manifest_of(inputs: dict[str, Any], outputs: Iterable[Path], into: Path | None = None) -> dict[str, Any]:
    """What a manifest records: the inputs, and each output's content hash; outputs hashed where they
    are now and named as files of `into` if given (staged, to be moved there with the manifest)."""
    outputs = sorted(map(Path, outputs))
    # Named by `relative` alone, as `unchanged` names the outputs in place: a name joined by hand
    # read "./reports/results.csv" against "reports/results.csv", and the step never held. `relative`
    # does not follow `into`: the site's folder is a link to whichever build is published.
    named = (lambda output: relative(Path(into) / output.name)) if into else relative
    return {"inputs": inputs, "outputs": {named(output): _sha256(output) for output in outputs}}


def manifest_text(inputs: dict[str, Any], outputs: Iterable[Path], into: Path | None = None) -> str:
    """The manifest as written."""
    return json.dumps(manifest_of(inputs, outputs, into), indent=1, sort_keys=True) + "\n"


def remember(manifest: Path, inputs: dict[str, Any], outputs: Iterable[Path]) -> None:
    """Record the inputs an output was made from and what it is; written after the output, so a run
    killed in between leaves an output without its record, which the next run simply makes again."""
    atomic.write_text(manifest, manifest_text(inputs, outputs))


def manifest_path(output_dir: Path, name: str) -> Path:
    return output_dir / f"{Path(name).stem}.inputs.json"


def files_used(manifest: Path, default: Iterable[str] = EVERYTHING) -> list[str]:
    """The files a step used when it last ran, as its manifest records them; `default` if it has no
    manifest (it then runs anyway)."""
    try:
        return list(json.loads(Path(manifest).read_text(encoding="utf-8"))["inputs"]["files"])
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return list(default)


def changes(manifest: Path, inputs: dict[str, Any], outputs: Iterable[Path]) -> list[str]:
    """What differs from what a manifest records: the input files, parameters and outputs whose
    content is not what it was, by name ([] if the manifest holds; the manifest itself if missing)."""
    try:
        recorded = json.loads(Path(manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return [relative(manifest)]
    now = manifest_of(inputs, outputs)
    before = {**recorded.get("inputs", {}).get("files", {}), **recorded.get("outputs", {})}
    after = {**now["inputs"]["files"], **now["outputs"]}
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    if recorded.get("inputs", {}).get("parameters") != now["inputs"]["parameters"]:
        changed.append("its parameters")
    return changed


# --- steps whose outputs fill one folder ---------------------------------------------------------


@dataclass(frozen=True)
class FolderStep:
    """A step whose outputs are files of one folder, replaced together with their manifest: the
    data step (data/processed/), results.csv, the site (reports/html/).

    `reads` are the files and folders it is declared to read; the project modules and data files it
    actually used are observed as it runs and recorded too, so its next run follows them. `make`
    writes every output into the staging folder it is given and returns the files written."""

    name: str  # as printed: "data/processed/"
    root: Path  # the project's: what its reads are named relative to
    folder: Path
    outputs: tuple[str, ...]  # the names of its outputs in `folder`
    reads: tuple[str | Path, ...]
    make: Callable[[Path], list[Path]]
    values: dict[str, Any] = field(default_factory=dict)  # what else its outputs depend on (a version, a flag)
    manifest: str = ".inputs.json"
    used_before_it_ran: tuple[str, ...] = (LIBRARY,)  # what it may use, before a run has observed it
    linked: bool = False  # published by replacing a link to a finished build (the site), not file by file


def step_changes(step: FolderStep) -> list[str]:
    """What changed since `step` was last built ([] if it is up to date): see `changes`."""
    manifest = step.folder / step.manifest
    inputs = fingerprint([*step.reads, *files_used(manifest, step.used_before_it_ran)], step.values, step.root)
    return changes(manifest, inputs, [step.folder / name for name in step.outputs])


def build(step: FolderStep, *, force: bool = False, starting: Callable[[], None] = lambda: None) -> list[Path] | None:
    """Bring `step` up to date: None if its manifest still holds (nothing done); else build it in a
    staging folder, record what it used, and move every output and the manifest into place
    together, or, on any error, none of them. Returns the files written. `starting`: called once
    the step is known to be built, before it is (not for a linked step)."""
    if step.linked:
        return _build_linked(step, force=force)
    # Outputs behind a link would be read, vouched for and replaced outside the tree: refused first.
    atomic.no_links(step.folder)
    atomic.own_files(step.folder, (*step.outputs, step.manifest))  # a link would be read and vouched for
    manifest = step.folder / step.manifest
    inputs = fingerprint([*step.reads, *files_used(manifest, step.used_before_it_ran)], step.values, step.root)
    if not force and unchanged(manifest, inputs, [step.folder / name for name in step.outputs]):
        return None
    atomic.recover(step.folder, (*step.outputs, step.manifest))  # a journal naming another step's file is refused
    starting()
    staged = atomic.staging(step.folder)
    started = observed.mark()
    try:
        written = step.make(staged)
        used = used_here(outputs=step.folder, since=started)  # as it ran: its own reads, not an earlier step's
        inputs = fingerprint([*step.reads, *used], step.values, step.root)
        atomic.write_text(staged / step.manifest, manifest_text(inputs, written, into=step.folder))
        atomic.replace_together(step.folder, staged)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return [step.folder / path.name for path in written]


# --- a step published by one rename: a link to its finished build ---------------------------------


def builds_folder(step: FolderStep) -> Path:
    """Where a linked step's builds are kept: beside its link (reports/.html-builds/)."""
    return step.folder.parent / f".{step.folder.name}-builds"


def published_build(step: FolderStep) -> Path | None:
    """The build the step's link names, if the link is one this code made: a relative link to a
    folder in its builds folder. Anything else there (a folder, a link leading elsewhere) is not
    vouched for by this step, and is replaced by its next build."""
    link, builds = step.folder, builds_folder(step)
    if not link.is_symlink():
        return None
    target = Path(os.readlink(link))
    if target.parent != Path(builds.name) or target.name.startswith(atomic.STAGING_PREFIX):
        return None
    build = builds / target.name
    return build if build.is_dir() and not build.is_symlink() else None


def _holds_exactly(build: Path, step: FolderStep, inputs: dict[str, Any]) -> bool:
    """The build's manifest holds, and the build holds nothing else: a file, folder or link planted
    in it would be published with the pages. Every entry is listed without following a link (a link
    to a folder outside would otherwise be neither counted nor entered): only the expected files, as
    regular files, and the folders that hold them, are allowed."""
    expected = {*step.outputs, step.manifest}
    folders = {parent.as_posix() for name in expected for parent in Path(name).parents if parent != Path(".")}
    files: set[str] = set()
    present_folders: set[str] = set()
    for top, dirs, names in os.walk(build):  # followlinks=False: a link to a folder is listed, never entered
        for name in (*dirs, *names):
            mode = os.lstat(os.path.join(top, name)).st_mode
            path = Path(top, name).relative_to(build).as_posix()
            if stat.S_ISDIR(mode):
                present_folders.add(path)
            elif stat.S_ISREG(mode):
                files.add(path)
            else:  # a link (to a file or a folder), a pipe: never an output of this step
                return False
    outputs = [build / name for name in step.outputs]
    return (
        files == expected
        and present_folders == folders
        and unchanged(build / step.manifest, inputs, outputs, into=step.folder)
    )


def _build_linked(step: FolderStep, *, force: bool) -> list[Path] | None:
    builds = atomic.no_links(builds_folder(step))  # and the folders above it, before a build there is removed or read
    current = published_build(step)
    if current is not None and not force:
        used = files_used(current / step.manifest, step.used_before_it_ran)
        inputs = fingerprint([*step.reads, *used], step.values, step.root)
        if _holds_exactly(current, step, inputs):
            return None
    _remove_unpublished(builds, keep=current)
    staged = atomic.staging(builds)
    started = observed.mark()
    try:
        written = step.make(staged)
        used = used_here(outputs=step.folder, since=started)
        inputs = fingerprint([*step.reads, *used], step.values, step.root)
        atomic.write_text(staged / step.manifest, manifest_text(inputs, written, into=step.folder))
        build = builds / staged.name.removeprefix(atomic.STAGING_PREFIX)
        os.chmod(staged, 0o755)  # made private by mkdtemp; the pages are for every reader
        os.rename(staged, build)
        atomic.confirm_lock()
        _point(step.folder, build)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    _remove_unpublished(builds, keep=published_build(step))
    return [step.folder / path.name for path in written]


def _point(link: Path, build: Path) -> None:
    """Make `link` name `build`, in one rename: a new link made beside it replaces it. A folder in
    its place (an older layout, or planted) is moved into the builds folder first, to be removed."""
    if link.is_dir() and not link.is_symlink():
        os.rename(link, build.parent / f"{atomic.STAGING_PREFIX}replaced-{build.name}")
    temporary = link.parent / f".{link.name}.{build.name}.link"
    temporary.unlink(missing_ok=True)
    os.symlink(Path(build.parent.name) / build.name, temporary)
    os.replace(temporary, link)


def _remove_unpublished(builds: Path, keep: Path | None) -> None:
    """Every build but the published one: staged by a killed run, or replaced since."""
    if not builds.is_dir():
        return
    for build in builds.iterdir():
        if build != keep:
            if build.is_dir() and not build.is_symlink():
                shutil.rmtree(build, ignore_errors=True)
            else:
                build.unlink(missing_ok=True)
