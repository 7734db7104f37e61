"""How to cite the suite, the terms its code and data are shared on, and which build a page shows.

Each fact is written in one place and read from there: the citation (title, authors, version,
licence) in CITATION.cff, the code's licence in LICENSE, the data's terms in data/raw/TERMS.md
(one `##` heading per kind of file), and the build in git. Pages call `cite_line`, `licences` and
`build_version` for their footer; `bibtex` gives the citation as a BibTeX entry.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

from rare_earths import observed
from rare_earths.project import Project, relative

NOT_A_CHECKOUT = "unknown (not a git checkout)"
NO_GIT = "unknown (git is not installed)"
UNREADABLE = "unknown (git could not read the checkout)"


def _read(path: Path) -> str:
    observed.note_read(path)  # a page that states this file is rebuilt when it changes
    return Path(path).read_text(encoding="utf-8")


def citation(path: Path | None = None) -> dict:
    """CITATION.cff as a dictionary (its keys as the Citation File Format names them)."""
    return yaml.safe_load(_read(path or Project.here().citation_cff))


def _person(author: dict) -> str:
    """An author as a citation names it: an entity by its name, a person by their names in order."""
    if "name" in author:
        return str(author["name"])
    parts = (author.get(key) for key in ("given-names", "name-particle", "family-names", "name-suffix"))
    return " ".join(str(part) for part in parts if part)


def authors(path: Path | None = None) -> str:
    """The authors in reading order ('A', 'A and B', 'A, B and C'): here, the one entity that wrote the suite."""
    names = [_person(author) for author in citation(path)["authors"]]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _licence_names(cff: dict) -> str:
    licence = cff.get("license")
    names = [licence] if isinstance(licence, str) else list(licence or [])
    return " or ".join(str(name) for name in names)


def cite_line(path: Path | None = None) -> str:
    """One plain sentence to cite the suite, from CITATION.cff: authors, year (where the file gives
    a release date), title, version and licence. For example: "The rare-earths notebook suite
    authors. India's rare-earth supply chain: a reproducible audit of news articles. Version
    0.1.0. MIT licence." """
    cff = citation(path)
    parts = [authors(path)]
    if cff.get("date-released"):
        parts.append(str(cff["date-released"])[:4])  # YAML may read the date as a date or a string
    parts.append(str(cff["title"]))
    if cff.get("version") is not None:
        parts.append(f"Version {cff['version']}")
    if licence := _licence_names(cff):
        parts.append(f"{licence} licence")
    return " ".join(part if part.endswith((".", "?", "!")) else part + "." for part in parts)


def apa(path: Path | None = None) -> str:
    """The suite cited in APA style, from CITATION.cff: "Authors. (2026). Title (Version 0.1.0)
    [Computer software]. https://…" (the year "n.d." where the file gives no release date)."""
    cff = citation(path)
    year = str(cff["date-released"])[:4] if cff.get("date-released") else "n.d."
    version = f" (Version {cff['version']})" if cff.get("version") is not None else ""
    address = cff.get("repository-code") or cff.get("url")
    said = f"{authors(path)}. ({year}). {cff['title']}{version} [Computer software]."
    return f"{said} {address}" if address else said


# What BibTeX reads as markup in a field's text, written as text instead.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # not \{: BibTeX counts every brace, escaped or not
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bibtex_text(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in str(value))


def _bibtex_author(author: dict) -> str:
    """An entity in an inner pair of braces, so BibTeX reads it as one (corporate) name rather than
    splitting it into first and last; a person as "Family, Given"."""
    if "name" in author:
        return "{" + _bibtex_text(author["name"]) + "}"
    family = " ".join(str(author[key]) for key in ("name-particle", "family-names") if author.get(key))
    given = str(author.get("given-names", ""))
    suffix = str(author.get("name-suffix", ""))
    return ", ".join(_bibtex_text(part) for part in (family, suffix, given) if part)


def bibtex_key(path: Path | None = None) -> str:
    """The entry's key: the repository's name and the release year ("rare-earths-2026"), the year
    left out when the file gives no release date."""
    cff = citation(path)
    address = str(cff.get("repository-code") or cff.get("url") or "")
    name = re.sub(r"[^A-Za-z0-9-]+", "-", address.rstrip("/").rpartition("/")[2]).strip("-") or "rare-earths"
    year = str(cff["date-released"])[:4] if cff.get("date-released") else ""
    return f"{name}-{year}" if year else name


def bibtex(path: Path | None = None) -> str:
    """The suite as one BibTeX @software entry, from CITATION.cff: its authors (an entity kept as
    one name), title, year of release, version, the repository's address and the code's licence.
    Text is escaped for BibTeX; the same file gives the same bytes."""
    cff = citation(path)
    fields = [
        ("author", " and ".join(_bibtex_author(author) for author in cff["authors"])),
        ("title", "{" + _bibtex_text(cff["title"]) + "}"),  # braced: a style keeps its capitals
    ]
    if cff.get("date-released"):
        fields.append(("year", str(cff["date-released"])[:4]))
    if cff.get("version") is not None:
        fields.append(("version", _bibtex_text(cff["version"])))
    if address := cff.get("repository-code") or cff.get("url"):
        fields.append(("url", str(address)))
    if licence := _licence_names(cff):
        fields.append(("license", _bibtex_text(licence)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@software{{{bibtex_key(path)},\n{body}\n}}\n"


def licences(root: Path | None = None) -> dict[str, str]:
    """What may be done with each part of the repository, one line each for a page footer, keyed
    by the part as readers would name it: "Code" (the first line of LICENSE, "MIT License"), then
    one entry per `##` heading of data/raw/TERMS.md, whose heading reads "Part: statement"
    ("Articles", "USGS tables", "Curated tables and processed data")."""
    project = Project.here() if root is None else Project(Path(root))
    license_path, terms_path = project.license, project.terms
    stated = {"Code": _read(license_path).strip().splitlines()[0].strip()}
    for heading in re.findall(r"^## +(.+?)\s*$", _read(terms_path), flags=re.MULTILINE):
        part, separator, statement = heading.partition(": ")
        if not separator:
            raise ValueError(f"{relative(terms_path)}: the heading {heading!r} should read 'Part: statement'")
        stated[part] = statement
    return stated


def _git(root: Path, *arguments: str) -> str:
    # GIT_OPTIONAL_LOCKS=0: reading the status must not take the index lock, which another git
    # command working in the same tree may hold. GIT_CEILING_DIRECTORIES: only `root` is looked
    # at, never a repository that happens to contain it.
    environment = {
        **os.environ,
        "GIT_OPTIONAL_LOCKS": "0",
        "LC_ALL": "C",
        "GIT_CEILING_DIRECTORIES": str(Path(root).resolve().parent),
    }
    return subprocess.run(
        ["git", "-C", str(root), *arguments],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
        env=environment,
        stdin=subprocess.DEVNULL,
    ).stdout.strip()


def build_version(root: Path | None = None) -> str:
    """Which code a build was made from: the 12-character hash of the checkout's commit (HEAD),
    with "+modified" when a tracked file differs from it ("74467a08c41c+modified"); untracked
    files do not count. The same checkout gives the same string: no time or date is part of it.
    Where it cannot be told it says why, "unknown (not a git checkout)" (no .git in `root`, as in
    an unpacked archive), "unknown (git is not installed)" or "unknown (git could not read the
    checkout)", and never raises."""
    root = Path(Project.here().root if root is None else root)
    try:
        if not (root / ".git").exists():  # not a parent's repository: only the checkout at root counts
            return NOT_A_CHECKOUT
        commit = _git(root, "rev-parse", "--short=12", "HEAD")
        modified = _git(root, "status", "--porcelain", "--untracked-files=no", "--ignore-submodules=dirty")
    except FileNotFoundError:
        return NO_GIT
    except (OSError, subprocess.SubprocessError, ValueError):
        return UNREADABLE
    return commit + ("+modified" if modified else "")
