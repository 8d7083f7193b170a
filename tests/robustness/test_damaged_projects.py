"""A damaged or foreign project database is one line saying what is wrong and how to restore the
backup focuscode keeps (issue 16): never a traceback, never focuscode's tables added to another
program's file, never an empty file silently turned into an empty project."""

from __future__ import annotations

import sqlite3

import pytest
from robust_support import run_main

from focuscode.domain import StoreError
from focuscode.store import Database

COMMANDS = [["status"], ["themes"], ["export", "segments", "--to", "{tmp}/s.csv"],
            ["codebook", "show"], ["report", "--to", "{tmp}/r.html"]]


def one_line(code: int, out: str, err: str) -> str:
    assert code == 1 and "Traceback" not in out + err, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


def run_all(project, tmp_path) -> list[str]:
    return [one_line(*run_main(*[w.format(tmp=tmp_path) for w in words],
                               "--project", str(project))) for words in COMMANDS]


def test_an_empty_database_file_is_not_an_empty_project(tmp_path):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "focuscode.sqlite").write_bytes(b"")
    for line in run_all(tmp_path / "p", tmp_path):
        assert "empty (0 bytes)" in line and "focuscode init" in line
    assert (tmp_path / "p" / "focuscode.sqlite").stat().st_size == 0


def test_another_programs_database_gets_no_tables_added(tmp_path):
    (tmp_path / "p").mkdir()
    database = tmp_path / "p" / "focuscode.sqlite"
    with sqlite3.connect(database) as conn:
        conn.execute("CREATE TABLE patients (name TEXT)")
    before = database.read_bytes()
    for line in [*run_all(tmp_path / "p", tmp_path),
                 one_line(*run_main("init", "--project", str(tmp_path / "p")))]:
        assert "another program (tables patients)" in line
    assert database.read_bytes() == before


def test_a_file_that_is_not_a_database_names_the_backup(analysed_copy, tmp_path):
    database = analysed_copy / "focuscode.sqlite"
    backup = analysed_copy / "focuscode.sqlite.bak-0004_codes"
    backup.write_bytes(database.read_bytes())
    database.write_bytes(b"this is not a database at all" * 200)
    for name in ("focuscode.sqlite-wal", "focuscode.sqlite-shm"):
        (analysed_copy / name).unlink(missing_ok=True)
    for line in run_all(analysed_copy, tmp_path):
        assert "damaged" in line and "focuscode.sqlite.bak-0004_codes" in line


@pytest.mark.parametrize("damage", [
    "UPDATE transcripts SET text = CAST(X'4162ff63' AS TEXT)",
    "UPDATE speakers SET attributes = '{not json'",
    "UPDATE themes SET keywords = '[\"unfinished'",
])
def test_flipped_bytes_and_bad_json_are_one_line(analysed_copy, tmp_path, damage):
    with sqlite3.connect(analysed_copy / "focuscode.sqlite") as conn:
        conn.execute("DROP TRIGGER IF EXISTS decisions_append_only_update")
        conn.execute(damage)
    lines = []
    for words in COMMANDS:
        code, out, err = run_main(*[w.format(tmp=tmp_path) for w in words],
                                  "--project", str(analysed_copy))
        assert "Traceback" not in out + err, err
        if code:
            lines.append(one_line(code, out, err))
    assert lines and all("damaged" in line and "bak-" in line for line in lines), lines


@pytest.mark.parametrize(("message", "expected"), [
    ("attempt to write a readonly database", "read-only"),
    ("unable to open database file", "read-only"),
    ("database or disk is full", "disk is full"),
    ("file is not a database", "damaged"),
    ("database disk image is malformed", "damaged"),
])
def test_why_a_project_did_not_open_is_said_plainly(tmp_path, monkeypatch, message, expected):
    """What SQLite says in a read-only folder, on a full disk or for a damaged file (root, who
    runs the tests here, can write anywhere: the errors are injected)."""
    database = tmp_path / "focuscode.sqlite"
    Database(database, create=True).close()
    real = sqlite3.connect

    class Failing:
        def __init__(self, *args, **kwargs):
            self.conn = real(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.conn, name)

        def __setattr__(self, name, value):
            if name == "conn":
                object.__setattr__(self, name, value)
            else:
                setattr(self.conn, name, value)

        def execute(self, sql, *args):
            if "journal_mode" in sql:
                raise sqlite3.OperationalError(message)
            return self.conn.execute(sql, *args)

    monkeypatch.setattr(sqlite3, "connect", Failing)
    with pytest.raises(StoreError) as caught:
        Database(database)
    assert expected in str(caught.value) and "not a focuscode project" not in str(caught.value)
