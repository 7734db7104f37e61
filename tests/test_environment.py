"""The "two commands" set-up stays consistent: pyproject.toml, requirements.lock,
environment.yml, the Makefile, .ci/run and the README agree with each other.

Stdlib only (tomllib and plain parsing), so these checks do not depend on the
packages whose pins they check.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_COMMAND = "make test"  # the README's test command; .ci/run must run exactly this

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(version: str) -> tuple[int, ...]:
    """Release part of a version as ints ("3.1.1" -> (3, 1, 1)); enough for >= bounds."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    assert release, f"cannot parse version {version!r}"
    parts = [int(p) for p in release.group().split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def direct_dependencies() -> dict[str, str]:
    """Normalized name -> requirement string, for dependencies + every extra (the lock pins them all)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [spec for extra in project["optional-dependencies"].values() for spec in extra]
    deps = {}
    for spec in specs:
        match = _NAME.match(spec)
        assert match, f"cannot parse {spec!r}"
        deps[normalize(match.group(1))] = spec
    return deps


def lock_entries() -> dict[str, list[str]]:
    """Normalized name -> versions pinned in requirements.lock (one per marker fork)."""
    pins: dict[str, list[str]] = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = _PIN.match(line)
        if match:
            pins.setdefault(normalize(match.group(1)), []).append(match.group(2))
    return pins


def environment_yml() -> tuple[dict[str, str], list[str], list[str]]:
    """(name/channels/python keys, conda dependency lines, pip lines) of environment.yml."""
    meta: dict[str, str] = {}
    conda: list[str] = []
    pip: list[str] = []
    section = None
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        if indent == 0:
            key, _, value = text.partition(":")
            section = key
            if value.strip():
                meta[key] = value.strip()
        elif section == "channels" and text.startswith("- "):
            meta.setdefault("channels", "")
            meta["channels"] += text[2:].strip() + " "
        elif section == "dependencies" and text == "- pip:":
            section = "pip"
        elif section == "dependencies" and text.startswith("- "):
            conda.append(text[2:].strip())
        elif section == "pip" and text.startswith("- "):
            pip.append(text[2:].strip())
        else:
            raise AssertionError(f"environment.yml: unexpected line {raw!r}")
    return meta, conda, pip


# (a) -------------------------------------------------------------------------


def test_lock_pins_every_direct_dependency_once_within_pyproject_bounds():
    pins = lock_entries()
    assert len(pins) > len(direct_dependencies()), "requirements.lock looks empty"
    for name, spec in direct_dependencies().items():
        assert name in pins, f"{name} (pyproject: {spec!r}) is not pinned in requirements.lock; run `make lock`"
        assert len(pins[name]) == 1, f"{name} has several pins {pins[name]}; the lock must use --fork-strategy fewest"
        for bound in re.findall(r">=\s*([0-9][^,;\s]*)", spec):
            assert version_key(pins[name][0]) >= version_key(bound), (
                f"{name}=={pins[name][0]} in the lock is below pyproject's {spec!r}; run `make lock`"
            )


def test_every_lock_entry_has_a_hash():
    text = (ROOT / "requirements.lock").read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text)
    for entry in entries:
        if _PIN.match(entry):
            assert "--hash=sha256:" in entry, f"no hash for {entry.splitlines()[0]!r}"


# (b) -------------------------------------------------------------------------


def test_environment_yml_pins_direct_dependencies_to_the_lock():
    meta, conda, pip = environment_yml()
    assert meta.get("name") == "rare-earths"
    assert meta.get("channels", "").split() == ["conda-forge"]
    assert "python=3.11" in conda
    assert "pip" in conda
    assert pip == ["-e ."]

    pins = lock_entries()
    listed = {}
    for item in conda:
        if item in ("python=3.11", "pip"):
            continue
        name, sep, version = item.partition("==")
        assert sep, f"environment.yml: {item!r} is not pinned with =="
        listed[normalize(name)] = version
    for name, version in listed.items():
        assert name in pins, f"environment.yml lists {name}, which requirements.lock does not"
        assert [version] == pins[name], f"environment.yml has {name}=={version}, the lock {pins[name]}"
    import importlib.util

    spec = importlib.util.spec_from_file_location("write_environment_yml", ROOT / "tools" / "write_environment_yml.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    left_out = set(tool.NOT_FOR_CONDA)
    assert all(f"# {name} is left out:" in (ROOT / "environment.yml").read_text() for name in left_out)
    missing = set(direct_dependencies()) - set(listed) - left_out
    assert not missing, f"environment.yml lacks direct dependencies {sorted(missing)}; run `make lock`"


def test_environment_python_matches_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    assert "--python-version 3.11" in (ROOT / "requirements.lock").read_text().split("\n", 3)[1]


# (c) -------------------------------------------------------------------------


def ci_commands() -> list[str]:
    commands = []
    for line in (ROOT / ".ci" / "run").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("set ") or line.startswith("cd "):
            continue
        commands.append(line)
    return commands


def test_ci_runs_exactly_the_test_command():
    run = ROOT / ".ci" / "run"
    text = run.read_text()
    assert text.startswith("#!/usr/bin/env bash\n") or text.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in text
    assert os.access(run, os.X_OK), ".ci/run is not executable"
    assert ci_commands() == [TEST_COMMAND]


def test_readme_gives_the_test_command_in_a_code_block():
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing (it must give the test command)"
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", readme.read_text(), flags=re.M | re.S)
    # A shell comment after the command is fine: "make test   # run every test".
    lines = {re.sub(r"^\$\s*", "", line.split("#")[0].strip()) for block in blocks for line in block.splitlines()}
    assert TEST_COMMAND in lines, f"no code block in README.md has the line {TEST_COMMAND!r}"


# (d) -------------------------------------------------------------------------


def documented_targets() -> dict[str, str]:
    targets = {}
    for line in (ROOT / "Makefile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+):.*?## (.+)$", line)
        if match:
            targets[match.group(1)] = match.group(2).strip()
    return targets


@pytest.fixture(scope="module")
def make_help() -> str:
    assert shutil.which("make"), "GNU make is required"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_make_help_lists_every_documented_target(make_help):
    targets = documented_targets()
    for required in ("help", "venv", "data", "reports", "test", "lock", "clean", "distclean"):
        assert required in targets, f"Makefile target {required!r} has no '## ' comment"
    shown = {}
    for line in make_help.splitlines():
        name, _, text = line.strip().partition(" ")
        shown[name] = text.strip()
    assert shown == targets, "`make help` does not list exactly the targets with a '## ' comment"


def test_help_is_the_default_goal(make_help):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    result = subprocess.run(["make", "-s"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout == make_help


def test_every_test_folder_is_collected(request):
    """pytest skips folders that match `norecursedirs` (by default one named `build`): every folder
    of tests/ that holds a test file must be one it enters, or its tests silently never run."""
    import fnmatch

    skipped = request.config.getini("norecursedirs")
    for test_file in (ROOT / "tests").rglob("test_*.py"):
        folders = test_file.relative_to(ROOT / "tests").parent.parts
        if "fixtures" in folders:
            continue
        hidden = [folder for folder in folders if any(fnmatch.fnmatch(folder, pattern) for pattern in skipped)]
        assert not hidden, f"{test_file.relative_to(ROOT)} is never collected: {hidden} matches norecursedirs"


def test_the_targets_read_the_bytecode_the_install_compiled(tmp_path):
    """The Makefile's targets set PYTHONPYCACHEPREFIX, where Python then reads bytecode instead of
    beside each module: tools/link_bytecode.py links the install's there, so a library is imported,
    not compiled again (no .pyc written under the prefix, none replaced)."""
    prefix = tmp_path / "pycache"
    subprocess.run([sys.executable, str(ROOT / "tools" / "link_bytecode.py"), str(prefix)], check=True, text=True)
    linked = {path: path.stat().st_mtime_ns for path in prefix.rglob("*.pyc")}
    environment = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": ""}
    subprocess.run([sys.executable, "-c", "import json.decoder, pint"], env=environment, check=True)
    assert {path: path.stat().st_mtime_ns for path in prefix.rglob("*.pyc")} == linked


def test_linking_bytecode_writes_nothing_through_a_link_planted_in_its_tree(tmp_path):
    outside, prefix = tmp_path / "outside", tmp_path / "pycache"
    outside.mkdir()
    prefix.mkdir()
    first = Path(sys.prefix).resolve().parts[1]  # the prefix's tree mirrors absolute paths
    (prefix / first).symlink_to(outside)
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "link_bytecode.py"), str(prefix)], capture_output=True, text=True
    )
    assert done.returncode == 1 and "is or goes through a link" in done.stderr, done.stderr
    assert not any(outside.iterdir())
