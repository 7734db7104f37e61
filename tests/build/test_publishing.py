"""Publishing in one step: a step readers see (the site) is a link to a finished build, replaced by
one rename. Every case of the adversarial review that concerns publishing, each named after it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from rare_earths import __main__ as cli
from rare_earths import atomic
from rare_earths.build import runner
from rare_earths.data import coverage


def pages_step(project, text: str, make=None) -> runner.FolderStep:
    """A site of two pages, each saying `text`: enough to see two builds mixed."""

    def write(staged: Path) -> list[Path]:
        written = []
        for name in ("index.html", "other.html"):
            (staged / name).write_text(f"<p>{text}</p>\n", encoding="utf-8")
            written.append(staged / name)
        return written

    return runner.FolderStep(
        name="reports/html/",
        root=project.root,
        folder=project.html,
        outputs=("index.html", "other.html"),
        reads=(project.params_yaml,),
        make=make or write,
        values={"text": text},
        linked=True,
    )


def published(project) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(project.html.glob("*.html"))}


def test_a_site_is_a_link_to_one_finished_build(project):
    runner.build(pages_step(project, "one"))
    assert project.html.is_symlink() and not os.path.isabs(os.readlink(project.html))
    assert published(project) == {"index.html": "<p>one</p>\n", "other.html": "<p>one</p>\n"}
    assert runner.build(pages_step(project, "one")) is None, "up to date while its manifest holds"
    runner.build(pages_step(project, "two"))
    assert published(project) == {"index.html": "<p>two</p>\n", "other.html": "<p>two</p>\n"}
    assert len(list(runner.builds_folder(pages_step(project, "two")).iterdir())) == 1, "the old build is removed"


def test_killed_inside_the_move_the_site_is_one_build_never_two_mixed(project, monkeypatch):
    """The case: killed inside the site's journal move, the site mixed two builds. Now the only
    move is the link's rename: killed before it, the old build is published whole."""
    runner.build(pages_step(project, "old"))

    def killed(link, build):
        raise KeyboardInterrupt  # the process dies between finishing the new build and the rename

    monkeypatch.setattr(runner, "_point", killed)
    with pytest.raises(KeyboardInterrupt):
        runner.build(pages_step(project, "new"))
    assert published(project) == {"index.html": "<p>old</p>\n", "other.html": "<p>old</p>\n"}
    monkeypatch.undo()
    runner.build(pages_step(project, "new"))
    assert published(project) == {"index.html": "<p>new</p>\n", "other.html": "<p>new</p>\n"}
    assert len(list(runner.builds_folder(pages_step(project, "new")).iterdir())) == 1, "the orphan build is gone"


def test_a_page_that_cannot_be_written_leaves_the_previous_site_and_says_so(project, monkeypatch):
    """The case: one page could not be replaced; three pages were new, the index old, and the
    message said the previous outputs were as they were."""
    runner.build(pages_step(project, "old"))

    def half(staged: Path) -> list[Path]:
        (staged / "index.html").write_text("<p>new</p>\n", encoding="utf-8")
        raise PermissionError(13, "Permission denied", str(staged / "other.html"))

    with pytest.raises(PermissionError) as failed:
        runner.build(pages_step(project, "new", make=half))
    assert atomic.what_stands(failed.value) == "the previous outputs are as they were"
    assert published(project) == {"index.html": "<p>old</p>\n", "other.html": "<p>old</p>\n"}


def test_a_file_planted_in_the_published_site_is_not_published_by_the_next_run(project):
    runner.build(pages_step(project, "one"))
    (project.html / "planted.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    assert runner.build(pages_step(project, "one")) is not None, "a build holding more than it made is not up to date"
    assert sorted(path.name for path in project.html.iterdir()) == [".inputs.json", "index.html", "other.html"]


@pytest.mark.parametrize("planted", ["link to a folder", "empty folder", "link to a file", "output as a link"])
def test_a_folder_or_link_planted_in_the_published_site_is_not_published_by_the_next_run(planted, project, tmp_path):
    """A link to a folder was never counted (is_dir follows it), so the site stayed up to date serving
    what it led to; an empty folder, or an output swapped for a link to a faithful copy, passed too."""
    runner.build(pages_step(project, "one"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_bytes((project.html / "index.html").read_bytes())
    if planted == "link to a folder":
        (project.html / "extra").symlink_to(outside)
    elif planted == "empty folder":
        (project.html / "extra").mkdir()
    elif planted == "link to a file":
        (project.html / "extra.html").symlink_to(outside / "index.html")
    else:
        (project.html / "index.html").unlink()
        (project.html / "index.html").symlink_to(outside / "index.html")
    assert runner.build(pages_step(project, "one")) is not None, "a build holding what it did not make is rebuilt"
    assert sorted(path.name for path in project.html.iterdir()) == [".inputs.json", "index.html", "other.html"]
    assert not any(path.is_symlink() for path in project.html.iterdir())
    assert list(outside.iterdir()) == [outside / "index.html"]


def test_a_site_link_planted_to_a_folder_outside_is_replaced_not_written_through(project, tmp_path):
    runner.build(pages_step(project, "one"))
    outside = tmp_path / "outside"
    outside.mkdir()
    for path in project.html.iterdir():  # a faithful copy of a build: its manifest would verify
        (outside / path.name).write_bytes(path.read_bytes())
    before = {path.name: path.read_bytes() for path in outside.iterdir()}
    project.html.unlink()
    project.html.symlink_to(outside)
    assert runner.build(pages_step(project, "one")) is not None, "a link this code did not make vouches for nothing"
    assert os.readlink(project.html).startswith(".html-builds/")
    assert {path.name: path.read_bytes() for path in outside.iterdir()} == before


def test_a_site_folder_of_an_older_layout_is_replaced_by_the_link(project):
    project.html.mkdir(parents=True)
    (project.html / "index.html").write_text("older", encoding="utf-8")
    runner.build(pages_step(project, "one"))
    assert project.html.is_symlink() and published(project)["index.html"] == "<p>one</p>\n"


def test_a_lock_removed_during_the_run_stops_it_before_it_publishes(project):
    """The case: `make clean` (or rm) took the lock file away mid-run and a second run started at once."""
    runner.build(pages_step(project, "old"))

    def remove_lock(staged: Path) -> list[Path]:
        project.run_lock.unlink()
        return pages_step(project, "new").make(staged)

    with atomic.one_run_at_a_time(project.run_lock):
        with pytest.raises(atomic.LockLost, match="removed while this run held it"):
            runner.build(pages_step(project, "new", make=remove_lock))
    assert published(project) == {"index.html": "<p>old</p>\n", "other.html": "<p>old</p>\n"}


def test_clean_takes_the_lock_and_keeps_what_was_received(project, capsys):
    assert cli.main(["--project", str(project.root), "data"]) == 0
    project.reports.mkdir(exist_ok=True)
    (project.reports / ".gitkeep").touch()
    runner.build(pages_step(project, "one"))
    received = {path: path.read_bytes() for path in project.raw.rglob("*") if path.is_file()}
    assert cli.main(["--project", str(project.root), "clean"]) == 0
    assert [path.name for path in project.reports.iterdir()] == [".gitkeep"]
    assert not list(project.processed.glob("*.csv"))
    assert {path: path.read_bytes() for path in project.raw.rglob("*") if path.is_file()} == received
    assert project.run_lock.parent == project.root, "the lock is not among the outputs clean removes"


def test_a_refused_command_changes_nothing_not_even_the_lock(project, capsys):
    before = sorted(path.relative_to(project.root) for path in project.root.rglob("*"))
    assert cli.main(["--project", str(project.root), "run", "--set", "usd_inr=-1"]) == 1
    assert "usd_inr" in capsys.readouterr().err
    assert sorted(path.relative_to(project.root) for path in project.root.rglob("*")) == before


# --- no write through a link ---------------------------------------------------------------------


@pytest.mark.parametrize("linked", ["data/processed", "data", "reports"])
def test_an_output_folder_that_is_a_link_is_refused_in_one_line_and_its_target_untouched(
    linked, project, tmp_path, capsys
):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.csv").write_text("keep me\n", encoding="utf-8")
    place = project.root / linked
    if place.exists():
        for path in sorted(place.iterdir()):  # keep what the project holds there, behind the link
            os.rename(path, outside / path.name)
        place.rmdir()
    place.symlink_to(outside)
    before = {path.relative_to(outside): path.read_bytes() for path in outside.rglob("*") if path.is_file()}
    command = "data" if linked.startswith("data") else "docs"
    if linked == "reports":  # the lock is not in reports/; the site's builds are
        runner_step = pages_step(project, "one")
        with pytest.raises(OSError, match="is a symbolic link"):
            runner.build(runner_step)
    else:
        assert cli.main(["--project", str(project.root), command]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"error: {linked}: is a symbolic link" in err
    after = {path.relative_to(outside): path.read_bytes() for path in outside.rglob("*") if path.is_file()}
    assert after == before


def test_the_data_dictionary_at_a_link_is_replaced_not_written_through(project, tmp_path):
    target = tmp_path / "elsewhere.md"
    target.write_text("keep me\n", encoding="utf-8")
    project.data_dictionary.parent.mkdir(parents=True, exist_ok=True)
    project.data_dictionary.symlink_to(target)
    assert cli.main(["--project", str(project.root), "docs"]) == 0
    assert not project.data_dictionary.is_symlink() and target.read_text(encoding="utf-8") == "keep me\n"


def test_a_failed_copy_is_never_kept_through_a_link(project, tmp_path):
    from rare_earths.build import execution

    outside = tmp_path / "outside"
    outside.mkdir()
    project.executed.mkdir(parents=True)
    (project.executed / "failed").symlink_to(outside)
    running = project.executed / ".x.running.ipynb"
    running.write_text("{}", encoding="utf-8")
    with pytest.raises(OSError, match="is a symbolic link"):
        execution._keep_failed(str(running), project.executed, "x.ipynb")
    assert list(outside.iterdir()) == []


def test_a_failed_copy_is_readable_like_every_other_output(project):
    import stat
    import tempfile

    from rare_earths.build import execution

    project.executed.mkdir(parents=True)
    _, running = tempfile.mkstemp(suffix=".running.ipynb", dir=project.executed)  # as a run makes it: 0600
    kept = execution._keep_failed(running, project.executed, "x.ipynb")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o644


def test_a_bad_exclusion_is_one_located_error_at_the_data_step(project, capsys):
    """The case: exclusions.csv was checked only by the tests, so `make data` accepted a mistake."""
    import csv

    with project.exclusions_csv.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[0]["quote"] = "words no article has"
    with project.exclusions_csv.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert cli.main(["--project", str(project.root), "data"]) == 1
    err = capsys.readouterr().err
    assert "data/raw/exclusions.csv, line 2, column quote: quote not found verbatim in the article" in err, err
    assert not project.processed.exists() or not list(project.processed.glob("*.csv"))


def refused_at_the_data_step(project, capsys) -> str:
    assert cli.main(["--project", str(project.root), "data"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.startswith("error: 1 problem in the input data; nothing was written:")
    assert not project.processed.exists() or not list(project.processed.iterdir())
    return err


def test_a_header_only_exclusions_csv_is_refused_at_the_data_step_listing_what_is_uncovered(project, capsys):
    """The case: a header-only exclusions.csv passed the data step; notebook 01 then crashed
    ("attempt to get argmax of an empty sequence")."""
    header = project.exclusions_csv.read_text(encoding="utf-8").splitlines()[0]
    project.exclusions_csv.write_text(header + "\n", encoding="utf-8")
    err = refused_at_the_data_step(project, capsys)
    found = re.search(r"data/raw/exclusions.csv: (\d+) numbers in the articles are neither a claim nor excluded", err)
    assert found and int(found[1]) > coverage.UNCOVERED_SHOWN, err
    assert "    a000, line 1, column 283: 'first' in ...trictions in April 2025. This marks the first" in err
    assert err.count("\n    a") == coverage.UNCOVERED_SHOWN
    assert f"    ... and {int(found[1]) - coverage.UNCOVERED_SHOWN} more" in err


def test_an_exclusion_of_a_claims_own_number_is_refused_at_the_data_step(project, capsys):
    """The case: the site marked the claim's own figure "set aside"."""
    with project.exclusions_csv.open("a", encoding="utf-8") as stream:
        stream.write("a000,As China controls over 90% of the global processing,90,ordinal_in_prose,\n")
    err = refused_at_the_data_step(project, capsys)
    assert (
        "data/raw/exclusions.csv, line 53, column number_as_written: '90' is the figure of claim a000-01: "
        "a number is a claim or excluded, never both; remove this row"
    ) in err, err


def test_a_number_excluded_twice_through_two_quotes_is_refused_at_the_data_step(project, capsys):
    with project.exclusions_csv.open("a", encoding="utf-8") as stream:
        stream.write("a000,in April 2025. This marks the first official,first,ordinal_in_prose,\n")
    err = refused_at_the_data_step(project, capsys)
    assert (
        "data/raw/exclusions.csv, line 53, column number_as_written: 'first' is the number line 2 excludes "
        "already: each number is excluded once; remove this row"
    ) in err, err


def test_a_failed_sweep_run_still_publishes_pages_that_say_so(project, monkeypatch, capsys):
    """The case: a failed sweep run exited before the site was rendered, leaving pages at the old
    parameters beside executed notebooks and results at the new ones."""
    from rare_earths.build import chain, scheduling, steps, sweep
    from rare_earths.site import step as site_step

    built = {}
    monkeypatch.setattr(steps, "build_data", lambda *a, **k: None)
    monkeypatch.setattr(steps, "build_results", lambda *a, **k: None)
    monkeypatch.setattr(
        chain, "run", lambda *a, **k: [scheduling.Outcome(n, "skipped", "unchanged") for n in chain.NOTEBOOKS]
    )
    monkeypatch.setattr(chain, "vouched", lambda step, project: True)
    failed = scheduling.Outcome("04-demand.ipynb [usd_inr=80]", "run", "failed", 1.0, 7, "ValueError: planted")

    def sweep_fails(*args, **kwargs):
        raise sweep.SweepFailed([failed])

    monkeypatch.setattr(sweep, "run", sweep_fails)
    monkeypatch.setattr(
        site_step,
        "build_site",
        lambda project, names, **options: built.update(options) or [project.html / "index.html"],
    )
    assert cli.main(["--project", str(project.root), "run"]) == 1
    assert built["swept"] is False
    (said,) = built["failures"]
    assert (said.notebook, said.run, said.what, said.sweep) == (
        "04-demand.ipynb",
        "04-demand.ipynb [usd_inr=80]",
        "failed in cell 7: ValueError: planted",
        True,
    )
    assert "04-demand.ipynb [usd_inr=80] failed in cell 7" in capsys.readouterr().err


def outside_with(tmp_path, *names: str) -> tuple[Path, dict[str, bytes]]:
    """A folder outside the project holding files that must survive, and what they hold."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    for name in names:
        (outside / name).parent.mkdir(parents=True, exist_ok=True)
        (outside / name).write_text(f"keep {name}\n", encoding="utf-8")
    return outside, {name: (outside / name).read_bytes() for name in names}


def survived(outside: Path, kept: dict[str, bytes]) -> bool:
    return {name: (outside / name).read_bytes() for name in kept if (outside / name).is_file()} == kept


def test_a_builds_folder_that_is_a_link_is_refused_before_anything_in_it_is_removed(project, tmp_path):
    """The case (review): reports/.html-builds linked outside was emptied, then refused."""
    outside, kept = outside_with(tmp_path, "v/f", "g", ".staging-x/h")
    project.reports.mkdir(parents=True, exist_ok=True)
    runner.builds_folder(pages_step(project, "one")).symlink_to(outside)
    with pytest.raises(OSError, match="is a symbolic link") as refused:
        runner.build(pages_step(project, "one"))
    assert atomic.what_stands(refused.value) == "the previous outputs are as they were"
    assert survived(outside, kept)


@pytest.mark.parametrize("linked", ["data/processed", "reports"])
def test_clean_refuses_an_output_folder_that_is_a_link_and_removes_nothing_behind_it(linked, project, tmp_path, capsys):
    """The case (review): clean listed and removed the contents of a linked data/processed."""
    outside, kept = outside_with(tmp_path, "victim", ".gitkeep")
    place = project.root / linked
    if place.exists():
        shutil.rmtree(place)
    place.parent.mkdir(parents=True, exist_ok=True)
    place.symlink_to(outside)
    assert cli.main(["--project", str(project.root), "clean"]) == 1
    assert f"error: {linked}: is a symbolic link" in capsys.readouterr().err
    assert survived(outside, kept)


@pytest.mark.parametrize("linked", ["data/processed", "reports/executed", "reports/sweep"])
def test_leftovers_are_never_cleared_through_a_link(linked, project, tmp_path):
    """The case (review): a killed run's leftovers (.*.tmp, .staging-*) were cleared behind a link
    before the link was refused."""
    outside, kept = outside_with(tmp_path, ".x.tmp", ".staging-y/z")
    place = project.root / linked
    place.parent.mkdir(parents=True, exist_ok=True)
    if place.exists():
        shutil.rmtree(place)
    place.symlink_to(outside)
    for clear in (atomic.recover, atomic.remove_leftovers):
        with pytest.raises(OSError, match="is a symbolic link"):
            clear(place)
    assert survived(outside, kept)


@pytest.mark.parametrize(
    "out", ["data/raw", "notebooks", "reports", "reports/executed/x", "reports/.html-builds/new", "..", "/tmp/x"]
)
def test_a_sweep_folder_outside_reports_or_among_the_chains_outputs_is_refused(out, project, monkeypatch, capsys):
    """The case (review): --out data/raw and --out notebooks wrote into received data and notebooks."""
    from rare_earths.build import steps

    monkeypatch.setattr(steps, "build_data", lambda *a, **k: pytest.fail("the data step ran"))
    monkeypatch.chdir(project.root)
    assert cli.main(["sweep", "--grid", "usd_inr=80,90", "--out", out]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give a folder of the sweep's own inside reports/" in err


def test_a_linked_sweep_folder_is_refused_before_anything_is_written_behind_it(project, tmp_path):
    from rare_earths.build import sweep

    outside, kept = outside_with(tmp_path, "victim")
    project.reports.mkdir(parents=True, exist_ok=True)
    project.sweep.symlink_to(outside)
    with pytest.raises(OSError, match="is a symbolic link"):
        sweep.run({"usd_inr": [80.0]}, project.sweep, notebooks_dir=project.notebooks, params_path=project.params_yaml)
    assert sorted(path.name for path in outside.iterdir()) == ["victim"] and survived(outside, kept)
