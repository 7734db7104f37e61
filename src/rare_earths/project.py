"""A project: a folder holding params.yaml, data/raw/, notebooks/ and what is built from them
(data/processed/, reports/). Every path the project reads or writes is declared here, once, relative
to the project's root; every step receives the project it works on, so a test builds a project of
its own in a temporary folder and never writes into the checkout.

The code is not part of a project: it is the installed `rare_earths` package (`CODE`), the same for
every project it works on.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# What marks a project's root: its parameters and its received data.
MARKERS = ("params.yaml", "data/raw/sources.csv")

# The GitHub repository (owner/name) the CI workflow (.github/workflows/ci.yml) runs in and publishes
# the site from, to GitHub Pages. CITATION.cff's repository-code names the same (a test checks).
REPOSITORY = "rare-earths-suite/rare-earths"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"
# Where the site is published, for addresses others use outside it (ClaimReview): this variable's
# value if set (a mirror, a preview), else the GitHub Pages address of REPOSITORY.
SITE_URL_VARIABLE = "RARE_EARTHS_SITE_URL"


# The characters an address may hold as written (RFC 3986's unreserved and reserved ones, and
# percent-escapes), less the quotes and brackets: a space, a quote or "<" is escaped as %20, %22, %3C.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/@!$&()*+,;=%]+")


class SiteAddressError(ValueError):
    """$RARE_EARTHS_SITE_URL is not an address the site can be published at."""


def site_url() -> str:
    """The published site's base address, ending in "/": $RARE_EARTHS_SITE_URL if set and not empty,
    else "https://OWNER.github.io/NAME/" (GitHub Pages of REPOSITORY). SiteAddressError, naming the
    variable and what it allows, if it is not an absolute http(s) address written as addresses are."""
    owner, name = REPOSITORY.split("/")
    url = os.environ.get(SITE_URL_VARIABLE) or f"https://{owner.lower()}.github.io/{name}/"
    parts = urlsplit(url)
    if "@" in parts.netloc:  # a user name or password would be published in every page: said without echoing it
        raise SiteAddressError(
            f"{SITE_URL_VARIABLE}: the site's address holds a user name or password (user:password@host); "
            "give the public address alone, as https://host/path/"
        )
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or not _URL_CHARACTERS.fullmatch(url)
    ):
        raise SiteAddressError(
            f"{SITE_URL_VARIABLE}={url!r}: the site's address should be absolute, as "
            "https://host/path/, with no query or fragment, and any space, quote or bracket percent-escaped"
        )
    return url if url.endswith("/") else url + "/"


# The checkout holding the package (src/rare_earths/) and the locked environment (requirements.lock):
# what a step's code inputs are resolved against.
CODE = Path(__file__).resolve().parents[2]


class NotAProject(LookupError):
    """No project above a folder: one sentence saying where it looked and what marks a project."""


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def here(cls, start: Path | None = None) -> Project:
        """The project holding `start` (the working directory by default): a notebook opened in
        notebooks/, a command run from the root, a kernel started in a project's notebooks/."""
        start = Path.cwd() if start is None else Path(start)
        root = enclosing_root(start)
        if root is None:
            raise NotAProject(
                f"{start.as_posix()} is not inside a project (a folder with {' and '.join(MARKERS)}): "
                "run the command from the project's folder, or give it with --project DIR"
            )
        return cls(root)

    @classmethod
    def at(cls, folder: Path) -> Project:
        """The project whose root is `folder`, as given on the command line: NotAProject saying
        what is wrong if it does not exist, is not a folder, or lacks what marks a project."""
        folder = Path(folder)
        if not folder.exists():
            raise NotAProject(f"--project {folder.as_posix()}: no such folder")
        if not folder.is_dir():
            raise NotAProject(f"--project {folder.as_posix()}: a file, not a project's folder")
        missing = [marker for marker in MARKERS if not (folder / marker).is_file()]
        if missing:
            raise NotAProject(
                f"--project {folder.as_posix()}: not a project's root (it has no {' and no '.join(missing)})"
            )
        return cls(folder.resolve())

    # --- received data: immutable, each file with its origin and checksum ---
    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def articles(self) -> Path:
        return self.raw / "articles"

    @property
    def reference(self) -> Path:
        return self.raw / "reference"

    @property
    def sources_csv(self) -> Path:
        return self.raw / "sources.csv"

    @property
    def references_csv(self) -> Path:
        return self.reference / "references.csv"

    @property
    def terms(self) -> Path:
        return self.raw / "TERMS.md"

    # --- curated: corrected in commits that say why ---
    @property
    def raw_claims_csv(self) -> Path:
        return self.raw / "claims.csv"

    @property
    def exclusions_csv(self) -> Path:
        return self.raw / "exclusions.csv"

    @property
    def furniture_csv(self) -> Path:
        """Lines of the articles that are their web pages' furniture (a comment form), not article text."""
        return self.raw / "furniture.csv"

    @property
    def subjects_csv(self) -> Path:
        """Who or what figures are about: every subject, its kind, its country and its aliases."""
        return self.raw / "subjects.csv"

    @property
    def params_yaml(self) -> Path:
        return self.root / "params.yaml"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def citation_cff(self) -> Path:
        return self.root / "CITATION.cff"

    @property
    def license(self) -> Path:
        return self.root / "LICENSE"

    @property
    def data_dictionary(self) -> Path:
        return self.root / "docs" / "data-dictionary.md"

    # --- regenerated: the data step's tables ---
    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def processed_claims_csv(self) -> Path:
        return self.processed / "claims.csv"

    @property
    def processed_usgs_csv(self) -> Path:
        return self.processed / "usgs.csv"

    @property
    def processed_audit_csv(self) -> Path:
        return self.processed / "audit.csv"

    @property
    def processed_conclusions_csv(self) -> Path:
        return self.processed / "conclusions.csv"

    @property
    def datapackage_json(self) -> Path:
        return self.processed / "datapackage.json"

    @property
    def downloads(self) -> tuple[Path, ...]:
        """The processed tables a reader can download beside the pages."""
        return (
            self.processed_claims_csv,
            self.processed_conclusions_csv,
            self.processed_audit_csv,
            self.processed_usgs_csv,
            self.datapackage_json,
        )

    # --- regenerated: the notebooks' runs and the site ---
    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def executed(self) -> Path:
        return self.reports / "executed"

    @property
    def html(self) -> Path:
        return self.reports / "html"

    @property
    def results_csv(self) -> Path:
        """Every executed notebook's recorded results."""
        return self.reports / "results.csv"

    @property
    def sweep(self) -> Path:
        """The sensitivity sweep's runs and its results.csv."""
        return self.reports / "sweep"

    @property
    def sweeps(self) -> Path:
        """The sweeps asked for (`make sweep`), each in a folder named by its grid."""
        return self.reports / "sweeps"

    @property
    def run_lock(self) -> Path:
        """Held by every run that writes data/processed/ or reports/, and by `clean`: one at a time in
        a project. At the root, where removing the outputs cannot remove it while it is held."""
        return self.root / ".run.lock"

    def generated(self) -> list[Path]:
        """What `clean` removes: every output, all in data/processed/ and reports/ but their
        .gitkeep; none of the received or curated data."""
        return [
            path
            for folder in (self.processed, self.reports)
            if folder.is_dir()
            for path in sorted(folder.iterdir())
            if path.name != ".gitkeep"
        ]


# The layout itself, as paths relative to a project's root ("data/raw/sources.csv"): what the
# metadata records for each table, whatever folder the project is in.
LAYOUT = Project(Path())


def enclosing_root(path: Path) -> Path | None:
    """The root of the project holding `path` (links followed), or None."""
    return root_as_written(Path(path).resolve())


# What Path.is_file takes for "no such file"; any other error (a folder it may not read, a name too
# long) is raised, not taken for an answer.
_NOT_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _is_file(path: str) -> bool:
    """Path(path).is_file(), without making a Path."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError as error:
        if error.errno not in _NOT_THERE:
            raise
        return False
    except ValueError:  # a NUL in the name, as Path.is_file answers
        return False


def root_as_written(path: Path | str, known: dict[str, Path | None] | None = None) -> Path | None:
    """The root of the project holding `path`, found without following links (`path` made absolute
    as it is written), or None. `known`: the answers for folders already walked through, filled in
    as this walks (for many paths at once, as the files stay as they are meanwhile)."""
    # With strings, not Paths: a no-op run asks this of every input of every step (about 2,000
    # times), where pathlib's objects took half of its time.
    folder = os.path.abspath(path)
    walked = []
    while True:
        if known is not None and folder in known:
            found = known[folder]
            break
        if all(_is_file(os.path.join(folder, marker)) for marker in MARKERS):
            found = Path(folder)
            break
        walked.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            found = None
            break
        folder = parent
    if known is not None:
        known.update(dict.fromkeys(walked, found))
        if found is not None:
            known[str(found)] = found
    return found


def relative(path: Path | str, known: dict[str, Path | None] | None = None) -> str:
    """A path as shown in messages and outputs: relative to the project (or, for the code, the
    checkout) holding it, never absolute where that can be avoided. `known`: as root_as_written
    takes it, for many paths at once."""
    # As written first, links not followed: reports/html/index.html stays that, though
    # reports/html is a link to the published build.
    absolute = Path(os.path.abspath(path))
    root = root_as_written(absolute, known)
    if root is not None and root != absolute:
        return absolute.relative_to(root).as_posix()
    resolved = Path(path).resolve()
    root = root_as_written(resolved, known) or (CODE if resolved.is_relative_to(CODE) else None)
    return resolved.relative_to(root).as_posix() if root else Path(path).as_posix()
