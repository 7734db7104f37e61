"""A step's outputs are one unit: replaced together or not at all, and trusted only while they are
exactly what their manifest says was made. Every kill point is simulated where it falls."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from rare_earths import __main__ as cli
from rare_earths import atomic
from rare_earths.data import reference
from rare_earths.errors import InputError, Problem
from rare_earths.project import Project


def staged_set(directory: Path, contents: dict[str, str]) -> Path:
    staged = atomic.staging(directory)
    for name, text in contents.items():
        (staged / name).write_text(text, encoding="utf-8")
    return staged


def contents(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.iterdir()) if path.is_file()}


def test_a_set_of_files_is_replaced_together(tmp_path):
    (tmp_path / "a.csv").write_text("old a", encoding="utf-8")
    (tmp_path / "b.csv").write_text("old b", encoding="utf-8")
    atomic.replace_together(tmp_path, staged_set(tmp_path, {"a.csv": "new a", "b.csv": "new b"}))
    assert contents(tmp_path) == {"a.csv": "new a", "b.csv": "new b"}
    assert not list(tmp_path.glob(".*")), "no journal or staging folder is left"


def test_a_run_killed_before_committing_leaves_the_old_set(tmp_path):
    (tmp_path / "a.csv").write_text("old a", encoding="utf-8")
    staged_set(tmp_path, {"a.csv": "new a", "b.csv": "half of new b"})  # killed while staging: no journal
    atomic.recover(tmp_path)
    assert contents(tmp_path) == {"a.csv": "old a"}
    assert not list(tmp_path.glob(".*"))


def test_a_run_killed_while_moving_is_finished_by_the_next(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text("old a", encoding="utf-8")
    (tmp_path / "b.csv").write_text("old b", encoding="utf-8")
    staged = staged_set(tmp_path, {"a.csv": "new a", "b.csv": "new b"})
    moved = []
    real_replace = atomic.os.replace

    def killed_after_one(source, target):
        if moved:
            raise KeyboardInterrupt  # the run dies between the two renames
        moved.append(target)
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        atomic.replace_together(tmp_path, staged)
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert (tmp_path / atomic.JOURNAL).is_file(), "the journal says the replacement was committed"
    atomic.recover(tmp_path)
    assert contents(tmp_path) == {"a.csv": "new a", "b.csv": "new b"}


def test_a_replacement_that_fails_part_way_says_so_not_that_nothing_changed(tmp_path, monkeypatch):
    """The case: one output could not be replaced, and the message said the previous outputs were
    as they were while others were new."""
    (tmp_path / "a.csv").write_text("old a", encoding="utf-8")
    (tmp_path / "b.csv").write_text("old b", encoding="utf-8")
    staged = staged_set(tmp_path, {"a.csv": "new a", "b.csv": "new b"})
    real_replace = atomic.os.replace

    def refused_second(source, target):
        if Path(target).name == "b.csv":
            raise PermissionError(1, "Operation not permitted", str(target))
        real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", refused_second)
    with pytest.raises(PermissionError) as failed:
        atomic.replace_together(tmp_path, staged)
    said = atomic.what_stands(failed.value)
    assert "part-way replaced" in said and "the next run finishes" in said
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    atomic.recover(tmp_path)
    assert contents(tmp_path) == {"a.csv": "new a", "b.csv": "new b"}


@pytest.mark.parametrize(
    "moves",
    [
        {"../../outside/pwned": ".staging-x/pwned"},  # a target outside the folder
        {"stolen": "/tmp/outside/victim"},  # a source outside the folder
        {"claims-moved.csv": "../raw/claims.csv"},  # a source elsewhere in the tree
        {"a.csv": ".staging-x/b.csv"},  # a file moved onto another name
        {"a.csv": "a.csv"},  # a source that is no staged file
        ["not", "a", "journal"],
    ],
)
def test_a_planted_journal_moves_nothing_and_is_one_located_error(tmp_path, moves):
    folder, _ = _planted(tmp_path)
    for name in ("a.csv", "b.csv"):
        (folder / ".staging-x" / name).write_text(f"new {name}\n", encoding="utf-8")
    (folder / atomic.JOURNAL).write_text(json.dumps(moves), encoding="utf-8")
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    with pytest.raises(InputError, match="nothing was moved: remove the file and run again"):
        atomic.recover(folder)
    after = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert after == before


def _planted(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with old outputs a.csv and b.csv, a staging folder beside them, and a folder outside."""
    folder, outside = tmp_path / "processed", tmp_path / "outside"
    (folder / ".staging-x").mkdir(parents=True)
    outside.mkdir()
    (outside / "victim").write_text("outside\n", encoding="utf-8")
    for name in ("a.csv", "b.csv"):
        (folder / name).write_text(f"old {name}\n", encoding="utf-8")
    return folder, outside


def _state(tmp_path: Path) -> dict[str, str]:
    """Every path under tmp_path: a file's bytes, a link's target (never followed), or a folder."""
    import os

    return {
        path.relative_to(tmp_path).as_posix(): (
            f"-> {os.readlink(path)}" if path.is_symlink() else path.read_text() if path.is_file() else "folder"
        )
        for path in sorted(tmp_path.rglob("*"))
    }


@pytest.mark.parametrize("planted", ["staged link", "staging folder link", "target link", "target folder"])
def test_a_planted_journal_that_moves_a_link_or_onto_one_is_refused(tmp_path, planted):
    """The case: a staged entry that is a link to a file outside was moved into the output's place."""
    folder, outside = _planted(tmp_path)
    staged = folder / ".staging-x" / "a.csv"
    if planted == "staged link":
        staged.symlink_to(outside / "victim")
    elif planted == "staging folder link":
        (folder / ".staging-x").rmdir()
        (folder / ".staging-x").symlink_to(outside)
        (outside / "a.csv").write_text("from outside\n", encoding="utf-8")
    else:
        staged.write_text("new a.csv\n", encoding="utf-8")
        (folder / "a.csv").unlink()
        if planted == "target link":
            (folder / "a.csv").symlink_to(outside / "victim")
        else:
            (folder / "a.csv").mkdir()
    (folder / atomic.JOURNAL).write_text(json.dumps({"a.csv": ".staging-x/a.csv"}), encoding="utf-8")
    before = _state(tmp_path)
    with pytest.raises(InputError, match="nothing was moved: remove the file and run again"):
        atomic.recover(folder, ("a.csv", "b.csv"))
    assert _state(tmp_path) == before


def test_a_journal_naming_a_file_that_is_not_the_steps_output_is_refused(tmp_path):
    """The case: the results step's recovery in reports/ swapped the site's link reports/html."""
    reports = tmp_path / "reports"
    (reports / ".html-builds" / "b1").mkdir(parents=True)
    (reports / "html").symlink_to(Path(".html-builds") / "b1")
    (reports / ".staging-x").mkdir()
    (reports / ".staging-x" / "html").write_text("planted\n", encoding="utf-8")
    (reports / atomic.JOURNAL).write_text(json.dumps({"html": ".staging-x/html"}), encoding="utf-8")
    before = _state(tmp_path)
    with pytest.raises(InputError, match="'html', which is not an output of the step"):
        atomic.recover(reports, ("results.csv", ".results.inputs.json"))
    assert _state(tmp_path) == before


def test_the_results_step_refuses_a_planted_journal_and_leaves_the_site_link(project, capsys):
    from rare_earths.build import steps

    reports = project.reports
    (reports / ".html-builds" / "b1").mkdir(parents=True)
    (reports / "html").symlink_to(Path(".html-builds") / "b1")
    outside = project.root.parent / "outside.html"
    outside.write_text("outside\n", encoding="utf-8")
    (reports / ".staging-x").mkdir()
    (reports / ".staging-x" / "html").symlink_to(outside)
    (reports / atomic.JOURNAL).write_text(json.dumps({"html": ".staging-x/html"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"reports/\.replacing\.json: .*nothing was moved"):
        steps.build_results(project, ())
    assert (reports / "html").readlink() == Path(".html-builds") / "b1"
    assert not (reports / "results.csv").exists()


def test_a_journal_that_is_a_symbolic_link_is_refused(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"a.csv": ".staging-x/a.csv"}), encoding="utf-8")
    (tmp_path / atomic.JOURNAL).symlink_to(target)
    with pytest.raises(InputError, match="is a symbolic link"):
        atomic.recover(tmp_path)


def test_the_command_line_refuses_a_planted_journal_in_one_line(project, capsys):
    project.processed.mkdir(parents=True)
    (project.processed / atomic.JOURNAL).write_text(json.dumps({"moved.csv": "../raw/claims.csv"}), encoding="utf-8")
    claims = project.raw_claims_csv.read_bytes()
    assert cli.main(["--project", str(project.root), "data"]) == 1
    error = capsys.readouterr().err
    assert error.count("error:") == 1 and "data/processed/.replacing.json" in error and "Traceback" not in error
    assert project.raw_claims_csv.read_bytes() == claims


# --- the data step -------------------------------------------------------------------------------


@pytest.fixture
def processed(project, monkeypatch) -> Path:
    """The data step of a project of its own, built once; the commands below work on that project."""
    monkeypatch.chdir(project.root)
    assert cli.main(["data"]) == 0
    return project.processed


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_a_failure_after_the_first_output_changes_nothing(processed, monkeypatch, capsys):
    before = snapshot(processed)

    def broken(*args, **kwargs):
        raise InputError([Problem("data/raw/reference/references.csv", "sha256 does not match the file", 2, "sha256")])

    monkeypatch.setattr(reference, "build", broken)
    assert cli.main(["data", "--force"]) != 0
    err = capsys.readouterr().err
    assert "references.csv" in err and "line 2" in err and "nothing was written" in err
    assert snapshot(processed) == before, "claims.csv was replaced although the step failed"
    assert not list(processed.glob(".staging-*"))


def test_an_output_changed_since_it_was_made_is_made_again(processed, capsys):
    original = (processed / "claims.csv").read_bytes()
    (processed / "claims.csv").write_bytes(original.replace(b",\n", b",edited note\n", 1))
    capsys.readouterr()
    assert cli.main(["data"]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert (processed / "claims.csv").read_bytes() == original


def test_an_untouched_step_is_up_to_date_and_its_manifest_vouches_for_every_output(processed, capsys):
    capsys.readouterr()
    assert cli.main(["data"]) == 0
    assert "data/processed/ is up to date" in capsys.readouterr().out
    manifest = json.loads((processed / ".inputs.json").read_text(encoding="utf-8"))
    assert {Path(name).name for name in manifest["outputs"]} == {
        "claims.csv",
        "usgs.csv",
        "audit.csv",
        "conclusions.csv",
        "datapackage.json",
    }
    assert set(manifest["inputs"]) == {"files", "parameters"}


@pytest.mark.parametrize("planted", ["link to a faithful copy", "link to other content", "folder", "manifest link"])
def test_an_output_that_is_a_link_or_a_folder_is_one_located_error_and_nothing_is_written(
    planted, processed, tmp_path, capsys
):
    """The case: data/processed/claims.csv linked to a copy outside passed as up to date; linked to
    anything else, the run wrote a journal that it then refused, and removing it as advised looped."""
    name = ".inputs.json" if planted == "manifest link" else "claims.csv"
    output, outside = processed / name, tmp_path / "outside.csv"
    outside.write_bytes(output.read_bytes() if planted != "link to other content" else b"other\n")
    output.unlink()
    if planted == "folder":
        output.mkdir()
    else:
        output.symlink_to(outside)
    kept = outside.read_bytes()
    before = {path.name for path in processed.iterdir()}
    capsys.readouterr()
    assert cli.main(["data"]) == 1
    err = capsys.readouterr().err
    why = "is a folder" if planted == "folder" else f"is a link (to {outside})"
    assert err.count("\n") == 1 and f"error: data/processed/{name}: {why}; outputs are the project's own files" in err
    assert {path.name for path in processed.iterdir()} == before, "no journal, nothing staged"
    assert outside.read_bytes() == kept
    output.rmdir() if planted == "folder" else output.unlink()
    assert cli.main(["data"]) == 0, "removed as advised, the next run builds"
    assert output.is_file() and not output.is_symlink()


def test_the_results_step_refuses_a_results_csv_that_is_a_link(project, tmp_path):
    from rare_earths.build import steps

    outside = tmp_path / "elsewhere.csv"
    outside.write_text("keep me\n", encoding="utf-8")
    project.reports.mkdir(parents=True, exist_ok=True)
    project.results_csv.symlink_to(outside)
    with pytest.raises(OSError, match=r"is a link \(to .*elsewhere.csv\)") as refused:
        steps.build_results(project, ())
    assert refused.value.filename == str(project.results_csv)
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert not (project.reports / atomic.JOURNAL).exists()


def test_a_replacement_onto_a_link_is_refused_before_its_journal_is_written(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (tmp_path / "victim").write_text("keep me\n", encoding="utf-8")
    (folder / "a.csv").symlink_to(tmp_path / "victim")
    staged = staged_set(folder, {"a.csv": "new\n"})
    with pytest.raises(OSError, match="is a link"):
        atomic.replace_together(folder, staged)
    assert not (folder / atomic.JOURNAL).exists() and (tmp_path / "victim").read_text(encoding="utf-8") == "keep me\n"


NESTED = "[" * 200_000 + "]" * 200_000  # past the JSON parser's depth: RecursionError, not ValueError


def test_a_journal_nested_too_deep_is_one_located_error_not_a_traceback(project, capsys):
    project.processed.mkdir(parents=True)
    (project.processed / atomic.JOURNAL).write_text(NESTED, encoding="utf-8")
    assert cli.main(["--project", str(project.root), "data"]) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "data/processed/.replacing.json: cannot be read as a journal" in err, err
    assert "Traceback" not in err


def test_a_manifest_nested_too_deep_holds_nothing_and_the_step_is_made_again(processed, capsys):
    from rare_earths.build import chain, runner

    (processed / ".inputs.json").write_text(NESTED, encoding="utf-8")
    assert not runner.unchanged(processed / ".inputs.json", {}, [])
    assert runner.files_used(processed / ".inputs.json", ["default"]) == ["default"]
    assert runner.changes(processed / ".inputs.json", {"parameters": {}, "files": {}}, []) == [
        "data/processed/.inputs.json"
    ]
    project = Project(processed.parents[1])
    project.executed.mkdir(parents=True, exist_ok=True)
    runner.manifest_path(project.executed, chain.NOTEBOOKS[0]).write_text(NESTED, encoding="utf-8")
    assert not chain.vouched(chain.CHAIN[0], project)
    capsys.readouterr()
    assert cli.main(["data"]) == 0
    assert "up to date" not in capsys.readouterr().out
    assert json.loads((processed / ".inputs.json").read_text(encoding="utf-8"))["outputs"]


# --- one run at a time ---------------------------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from rare_earths import atomic
with atomic.one_run_at_a_time(Path(sys.argv[1])):
    print("holding", flush=True)
    sys.stdin.readline()
"""


def test_a_second_run_waits_for_the_first(tmp_path):
    import subprocess
    import sys

    lock = tmp_path / "run.lock"
    waiter_code = "import sys; from pathlib import Path; from rare_earths import atomic\nwith atomic.one_run_at_a_time(Path(sys.argv[1])):\n    print('ran', flush=True)"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        waiter = subprocess.Popen(
            [sys.executable, "-c", waiter_code, str(lock)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        message = waiter.stderr.readline()  # printed only while the first run holds the lock
        assert "waiting" in message and "process" in message
        holder.stdin.write("\n")
        holder.stdin.flush()
        out, _ = waiter.communicate()
        assert waiter.returncode == 0 and out.strip() == "ran"
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.parametrize(
    ("command", "says"),
    [("data", "data/processed/"), ("docs", "wrote docs/data-dictionary.md"), ("clean", "removed the outputs")],
)
def test_every_writing_command_waits_for_a_run_in_progress(command, says, project):
    import subprocess
    import sys

    project.run_lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project.run_lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        data = subprocess.Popen(
            [sys.executable, "-m", "rare_earths", "--project", str(project.root), command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert "waiting" in data.stderr.readline()
        holder.stdin.write("\n")
        holder.stdin.flush()
        out, _ = data.communicate()
        assert data.returncode == 0 and says in out
    finally:
        holder.kill()
        holder.wait()


def test_ctrl_c_is_one_line_and_exit_status_130_not_a_traceback(project, monkeypatch, capsys):
    from rare_earths import commands

    def interrupted(args, project):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "data", interrupted)
    assert cli.main(["--project", str(project.root), "data"]) == 130
    err = capsys.readouterr().err
    assert err.strip().startswith("interrupted: no output was left half-written") and err.strip().count("\n") == 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_a_lock_path_that_is_a_symbolic_link_is_refused_and_its_target_untouched(tmp_path):
    target = tmp_path / "precious.txt"
    target.write_text("keep me\n", encoding="utf-8")
    lock = tmp_path / "run.lock"
    lock.symlink_to(target)
    with pytest.raises(OSError, match="is a symbolic link") as refused:
        with atomic.one_run_at_a_time(lock):
            raise AssertionError("a run started through a symbolic link")
    assert refused.value.filename == str(lock)
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_the_command_line_refuses_a_run_lock_that_is_a_symbolic_link_in_one_line(project, tmp_path, capsys):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me\n", encoding="utf-8")
    project.run_lock.parent.mkdir(parents=True, exist_ok=True)
    project.run_lock.symlink_to(target)
    assert cli.main(["--project", str(project.root), "data"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "run.lock: is a symbolic link" in err
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert not project.processed.exists()


def test_the_lock_file_names_its_holder_only_while_it_is_held(tmp_path):
    import os

    lock = tmp_path / "run.lock"
    with atomic.one_run_at_a_time(lock):
        assert lock.read_text(encoding="utf-8") == f"process {os.getpid()}\n"
    assert lock.read_text(encoding="utf-8") == ""


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--timeout", "nan", "finite number of seconds"),
        ("--timeout", "0", "above 0"),
        ("--timeout", "inf", "finite"),
        ("--jobs", "0", "at least 1"),
    ],
)
def test_a_bad_time_limit_or_job_count_is_refused_before_anything_runs(option, value, says, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["run", option, value])
    assert exit_info.value.code == 2
    assert says in capsys.readouterr().err


# --- a full disk ---------------------------------------------------------------------------------


@pytest.fixture
def tiny_disk(project, monkeypatch) -> Iterator[Path]:
    """A project whose data/processed/ is a 32 KB filesystem: too small for the processed tables.
    Mounting needs root (as CI runs). The commands below work on that project."""
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    monkeypatch.chdir(project.root)
    folder = project.processed
    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_is_one_error_and_leaves_the_previous_outputs(tiny_disk, capsys):
    for name in ("claims.csv", "usgs.csv", "audit.csv"):
        (tiny_disk / name).write_text(f"previous {name}\n", encoding="utf-8")
    before = snapshot(tiny_disk)
    assert cli.main(["data", "--force"]) == 1
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "No space left on device" in err and "previous outputs are as they were" in err
    assert re.search(r"data/processed/(claims|usgs|audit)\.csv: No space", err) and ".staging-" not in err, (
        "the message names the output that could not be written"
    )
    assert snapshot(tiny_disk) == before
    assert not list(tiny_disk.glob(".*")), "a staging folder or temporary file was left"


def test_a_read_only_output_folder_is_one_error_and_changes_nothing(tiny_disk, capsys):
    """Root ignores file permissions, so the folder is made read-only the way a mount is."""
    import subprocess

    for name in ("claims.csv", "usgs.csv", "audit.csv"):
        (tiny_disk / name).write_text(f"previous {name}\n", encoding="utf-8")
    before = snapshot(tiny_disk)
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount read-only here: {remounted.stderr.strip()}")
    try:
        assert cli.main(["data", "--force"]) == 1
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=False)
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "Read-only file system" in err and "previous outputs are as they were" in err
    assert "Traceback" not in err
    assert snapshot(tiny_disk) == before


def test_a_write_into_a_run_folder_that_is_gone_fails_and_makes_nothing(tmp_path):
    """A run's fence, removed when its run ended, is never made anew by a late write."""
    with pytest.raises(FileNotFoundError):
        atomic.write_text(tmp_path / ".staging-ended" / "01.ipynb", "{}", create=False)
    assert list(tmp_path.iterdir()) == []
