"""Promise 3: a full disk or a read-only project folder, during analysis or an export, gives one
clear error and leaves what was there intact: no half run, no half-written file, no ``.part``.

Root ignores file permissions, so faults are made where the operating system would report them:
SQLite's ``max_page_count`` (it then fails exactly as on a full disk, SQLITE_FULL), a read-only
connection (``mode=ro``: SQLITE_READONLY, as for a read-only folder), ``/dev/full`` behind the
temporary file an export writes (ENOSPC from the kernel), and ``EACCES``/``EROFS`` from the calls
that create and rename that file.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import sys
import tempfile
import types
from pathlib import Path

import pytest
from robust_support import assert_one_line_error

from focuscode.domain import ExportError, StoreError
from focuscode.export import files
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.store import database
from focuscode.workflows import Project

DB = "focuscode.sqlite"


def state(folder: Path) -> dict[str, object]:
    """What a failed step must not change (read through a connection of its own)."""
    conn = sqlite3.connect(folder / DB)
    try:
        counts = {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                  for table in ("transcripts", "segments", "analysis_runs", "themes",
                                "theme_members", "codes", "decisions", "codings", "settings")}
        counts["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        counts["settings_rows"] = conn.execute("SELECT * FROM settings ORDER BY key").fetchall()
        return counts
    finally:
        conn.close()


def run_main(monkeypatch, capsys, *argv: str) -> tuple[int, str]:  # noqa: ANN001
    """``focuscode ARGV`` in this process (so the fault injected here applies)."""
    from focuscode.cli.app import main

    monkeypatch.setattr(sys, "argv", ["focuscode", *argv])
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exited:
        main()
    return exited.value.code, capsys.readouterr().err


def one_line(code: int, err: str) -> str:
    import subprocess

    return assert_one_line_error(subprocess.CompletedProcess([], code, "", err))


# a full disk under the database -------------------------------------------------------------
@pytest.fixture
def full_disk(monkeypatch):
    """Project databases in ``room["folders"]`` can grow by ``room["pages"]`` pages only."""
    room: dict = {"pages": 2, "folders": []}
    original = database.Database.__init__

    def limited(self, path, **kwargs):  # noqa: ANN001
        original(self, path, **kwargs)
        if Path(str(path)).parent in room["folders"]:
            pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
            self.conn.execute(f"PRAGMA max_page_count = {pages + room['pages']}")

    monkeypatch.setattr(database.Database, "__init__", limited)
    return room


@pytest.mark.parametrize("template", ["analysed_copy", "imported_copy"])
def test_full_disk_during_analysis_changes_nothing(request, full_disk, template):
    folder = request.getfixturevalue(template)  # analysed: fails saving the run; imported:
    full_disk["folders"].append(folder)         # fails caching the first embeddings
    before = state(folder)
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        with pytest.raises(StoreError, match="the disk is full; nothing was changed"):
            project.analyse()
        assert project.store.db.integrity_ok()
    assert state(folder) == before
    full_disk["pages"] = 100_000  # space freed: the same project analyses normally
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        project.analyse()
    assert state(folder)["analysis_runs"] == before["analysis_runs"] + 1


@pytest.mark.model  # the command loads the real model before the disk fills
def test_full_disk_in_focuscode_analyse_is_one_line(analysed_copy, full_disk, monkeypatch,
                                                    capsys):
    full_disk["folders"].append(analysed_copy)
    before = state(analysed_copy)
    code, err = run_main(monkeypatch, capsys, "analyse", "--project", str(analysed_copy),
                         "--seed", "3")
    assert "the disk is full; nothing was changed" in one_line(code, err)
    after = state(analysed_copy)
    # The options given are the project's settings from now on (stored before the run, as
    # when it succeeds); the analysis state is as it was.
    assert '"random_state": 3' in after.pop("settings_rows")[0][1]
    assert {k: v for k, v in after.items() if k != "settings"} == {
        k: v for k, v in before.items() if k not in ("settings", "settings_rows")}


# a read-only project folder -----------------------------------------------------------------
@pytest.fixture
def read_only(monkeypatch):
    """Databases in the folders listed open read-only, as from a read-only folder or share."""
    folders: list[Path] = []
    connect = sqlite3.connect

    def read_only_connect(path, *args, **kwargs):  # noqa: ANN001
        if any(Path(str(path)).parent == folder for folder in folders):
            return connect(f"{Path(path).as_uri()}?mode=ro", *args, uri=True, **kwargs)
        return connect(path, *args, **kwargs)

    monkeypatch.setattr(database.sqlite3, "connect", read_only_connect)
    return folders


def test_read_only_project_opens_reads_and_exports_but_refuses_to_write(analysed_copy,
                                                                         read_only, tmp_path):
    before = state(analysed_copy)
    read_only.append(analysed_copy)
    with Project.open(analysed_copy, embedder=HashingEmbedder()) as project:
        assert project.themes()  # opening writes nothing, reading works
        exported = project.export_segments(tmp_path / "segments.csv")  # to a writable place
        assert exported.stat().st_size > 1000
        with pytest.raises(StoreError, match="the project folder is read-only"):
            project.analyse()
        entry = next(e for e in project.review.entries() if not e.is_queue)
        with pytest.raises(StoreError, match="the project folder is read-only"):
            project.decisions.accept(entry.key)
    read_only.clear()
    assert state(analysed_copy) == before


def test_read_only_project_in_focuscode_analyse_is_one_line(analysed_copy, read_only,
                                                            monkeypatch, capsys):
    read_only.append(analysed_copy)
    code, err = run_main(monkeypatch, capsys, "status", "--project", str(analysed_copy))
    assert code == 0, err
    code, err = run_main(monkeypatch, capsys, "analyse", "--project", str(analysed_copy))
    message = one_line(code, err)
    assert "the project folder is read-only (make it writable or copy the project elsewhere)" \
        in message


# exports: a full disk and a read-only target folder ------------------------------------------
EXPORTS = {
    "segments.csv": lambda p, path: p.export_segments(path),
    "segments.xlsx": lambda p, path: p.export_segments(path),
    "quotes.csv": lambda p, path: p.reports.export_quotes(path),
    "quotes.xlsx": lambda p, path: p.reports.export_quotes(path),
    "quotes.md": lambda p, path: p.reports.export_quotes(path),
    "quotes.docx": lambda p, path: p.reports.export_quotes(path),
    "matrix.csv": lambda p, path: p.reports.export_matrix(path),
    "comparison.xlsx": lambda p, path: p.reports.export_comparison(path),
    "report.html": lambda p, path: p.reports.export_report(path),
    "project.qdpx": lambda p, path: p.reports.export_refi(path),
    "codes.qdc": lambda p, path: p.codebook.export(path, include_suggested=True),
    "codebook.yaml": lambda p, path: p.codebook.export(path, include_suggested=True),
    "codebook.xlsx": lambda p, path: p.codebook.export(path, include_suggested=True),
    "theme_frequency.png": lambda p, path: p.reports.export_plots(path.parent),
}


def full_disk_mkstemp(*args, **kwargs) -> tuple[int, str]:
    """A temporary file that is ``/dev/full``: every write to it fails with ENOSPC."""
    handle, path = tempfile.mkstemp(*args, **kwargs)
    os.close(handle)
    os.unlink(path)
    os.symlink("/dev/full", path)
    return os.open(path, os.O_WRONLY), path


def no_permission_mkstemp(*args, **kwargs) -> tuple[int, str]:
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.fixture(scope="module")
def coded(tmp_path_factory, demo_analysed) -> Path:
    """The demo analysed, a theme accepted and a few segments confirmed."""
    folder = Path(shutil.copytree(demo_analysed, tmp_path_factory.mktemp("faults") / "proj"))
    with Project.open(folder, embedder=HashingEmbedder(), coder="ana") as project:
        entry = next(e for e in project.review.entries() if not e.is_queue)
        project.decisions.accept(entry.key, "Waiting")
        rows = project.review.segments(entry.key).rows[:4]
        project.decisions.confirm(entry.key, [r.segment_id for r in rows])
    return folder


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def previous_exports(coded, tmp_path_factory) -> Path:
    """Every export written once: the files a failed export must leave as they are."""
    out = tmp_path_factory.mktemp("previous") / "out"
    with Project.open(coded, embedder=HashingEmbedder(), coder="ana") as project:
        for name, export in EXPORTS.items():
            export(project, out / name)
    return out


# Creating and renaming the temporary file is the same for every writer: a few suffice there.
# Writing into it is each writer's own: a full disk is tried on all of them.
@pytest.mark.parametrize(("fault", "names"), [
    ("full disk", list(EXPORTS)),
    ("no permission", ["segments.csv", "quotes.xlsx", "project.qdpx"]),
    ("read-only rename", ["segments.xlsx", "report.html", "codebook.yaml"]),
])
def test_failed_exports_leave_the_previous_files_and_no_part_file(coded, previous_exports,
                                                                  tmp_path, monkeypatch, fault,
                                                                  names):
    if fault == "full disk" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    out = tmp_path / "out"
    shutil.copytree(previous_exports, out)
    before = digests(out)
    assert len(before) >= len(EXPORTS)
    if fault == "read-only rename":
        replace = os.replace

        def refused_replace(source, target):  # noqa: ANN001
            if Path(target).parent == out:
                raise OSError(errno.EROFS, "Read-only file system")
            return replace(source, target)

        monkeypatch.setattr(files.os, "replace", refused_replace)
    else:
        mkstemp = full_disk_mkstemp if fault == "full disk" else no_permission_mkstemp
        monkeypatch.setattr(files, "tempfile", types.SimpleNamespace(mkstemp=mkstemp))
    expected = {"full disk": "No space left on device", "no permission": "Permission denied",
                "read-only rename": "Read-only file system"}[fault]
    with Project.open(coded, embedder=HashingEmbedder(), coder="ana") as project:
        for name in names:
            with pytest.raises(ExportError) as caught:
                EXPORTS[name](project, out / name)
            assert expected in str(caught.value), (name, str(caught.value))
            assert digests(out) == before, name  # the previous file, untouched
            assert not [p for p in out.iterdir() if p.suffix == ".part"], name


def test_full_disk_in_focuscode_export_is_one_line(coded, tmp_path, monkeypatch, capsys):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    target = tmp_path / "segments.csv"
    target.write_text("the previous export\n", encoding="utf-8")
    monkeypatch.setattr(files, "tempfile", types.SimpleNamespace(mkstemp=full_disk_mkstemp))
    code, err = run_main(monkeypatch, capsys, "export", "segments", "--to", str(target),
                         "--project", str(coded))
    assert "cannot write the file: No space left on device" in one_line(code, err)
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["segments.csv"]
