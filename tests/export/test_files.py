"""Safe file writing: formula neutralisation and atomic replacement."""

from __future__ import annotations

import os

import pytest

from focuscode.domain import ExportError
from focuscode.export.files import atomic_path, neutralise


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1 555 0100", "'+1 555 0100"),
    ("-- we should, yes.", "'-- we should, yes."),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tindented", "'\tindented"),
    ("\rreturn", "'\rreturn"),
    ("Plain text = fine", "Plain text = fine"),
    ("", ""),
    (-3, -3),
    (1.5, 1.5),
    (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_atomic_path_replaces_the_target(tmp_path):
    target = tmp_path / "out" / "table.csv"
    with atomic_path(target) as temporary:
        assert temporary.parent == target.parent and temporary.name.endswith(".part")
        temporary.write_text("new")
        assert not target.exists()
    assert target.read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]


def test_failure_inside_the_block_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_failing_rename_leaves_the_target_untouched_and_no_part_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="cannot write the file: No space left on device") as e:
        with atomic_path(target) as temporary:
            temporary.write_text("new")
    assert e.value.path == str(target)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_unwritable_place_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write here"):
        with atomic_path(blocker / "table.csv"):
            pass


# issue 16: never over the project, never over a special file, the user's umask ---------------
def _store_files(folder):
    """A project folder's database, its companions and a backup, each with known bytes."""
    import sqlite3

    database = folder / "focuscode.sqlite"
    sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.close()
    files = [database]
    for name in ("focuscode.sqlite-wal", "focuscode.sqlite-shm", "focuscode.sqlite-journal",
                 "focuscode.sqlite.bak-0007_views"):
        (folder / name).write_bytes(b"keep " + name.encode())
        files.append(folder / name)
    return files


def _write(target, text="export"):
    with atomic_path(target) as temporary:
        temporary.write_text(text)


def test_the_project_files_are_refused_under_any_name(tmp_path):
    from focuscode.export.files import protect

    project = tmp_path / "study"
    project.mkdir()
    files = _store_files(project)
    protect(files[0])
    before = {f: f.read_bytes() for f in files}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    aliases = []
    for n, f in enumerate(files):
        (elsewhere / f"link{n}.csv").symlink_to(f)
        os.link(f, elsewhere / f"hard{n}.csv")
        aliases += [elsewhere / f"link{n}.csv", elsewhere / f"hard{n}.csv"]
    for target in [*files, *aliases, project / "FOCUSCODE.SQLITE"]:
        with pytest.raises(ExportError, match="refusing to write here"):
            _write(target)
    assert {f: f.read_bytes() for f in files} == before
    assert not [p for p in project.iterdir() if p.name.endswith(".part")]


def test_a_foreign_sqlite_database_is_never_overwritten(tmp_path):
    import sqlite3

    other = tmp_path / "results.xlsx"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(ExportError, match="SQLite database"):
        _write(other)


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "symlink to device"])
def test_special_files_are_refused_and_left_alone(tmp_path, kind):
    target = tmp_path / "out.csv"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target = __import__("pathlib").Path("/dev/null")
    else:
        target.symlink_to("/dev/null")
    mode = os.lstat(target).st_mode
    with pytest.raises(ExportError, match="refusing to write here"):
        _write(target)
    assert os.lstat(target).st_mode == mode


def test_a_symlink_to_a_regular_file_stays_a_symlink(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    _write(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exports_honour_the_umask(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        _write(tmp_path / "table.csv")
    finally:
        os.umask(previous)
    assert (tmp_path / "table.csv").stat().st_mode & 0o777 == mode


@pytest.mark.parametrize(("name", "fmt", "expected"), [
    ("t.csv", None, "csv"), ("t.XLSX", None, "xlsx"), ("t.data", "csv", "csv"),
    ("t", "xlsx", "xlsx"), ("t.csv", "csv", "csv"),
    ("t.xlsx", "csv", "--format csv but"), ("t.csv", "xlsx", "--format xlsx but"),
    ("t.pdf", None, "unknown format '.pdf'"), ("t", None, "no suffix"),
    ("t.csv", "json", "unknown format 'json'"),
])
def test_one_rule_for_the_format_of_every_table_export(tmp_path, name, fmt, expected):
    """Issue 16: from --format or the file name, which must agree; never CSV under any name."""
    from focuscode.export.spreadsheets import table_format

    if expected in ("csv", "xlsx"):
        assert table_format(tmp_path / name, fmt) == expected
    else:
        with pytest.raises(ExportError, match=expected):
            table_format(tmp_path / name, fmt)


def test_every_table_writer_goes_through_the_one_rule():
    """No exporter chooses CSV or XLSX from the suffix itself any more (five places did)."""
    import inspect

    from focuscode import cli, export

    for package in (export, cli):
        folder = __import__("pathlib").Path(inspect.getfile(package)).parent
        for source in folder.glob("*.py"):
            text = source.read_text()
            assert 'suffix.lower() == ".xlsx"' not in text, source
            assert 'suffix.lower() == ".csv"' not in text, source
