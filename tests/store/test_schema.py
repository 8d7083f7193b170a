"""Migrations: applied once, in order, in one transaction, each with its record."""

from __future__ import annotations

import sqlite3

import pytest

from focuscode.domain import StoreError
from focuscode.store import Database, ProjectStore, schema
from focuscode.store.schema import MIGRATIONS

NAMES = [name for name, _ in MIGRATIONS]


def tables(db: Database) -> set[str]:
    return {row["name"] for row in db.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def schema_tables() -> set[str]:
    """The tables the migration list creates, run on a scratch connection."""
    conn = sqlite3.connect(":memory:")
    for _, function in MIGRATIONS:
        function(conn)
    return {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def test_new_database_applies_every_migration_once(tmp_path):
    db = Database(tmp_path / "p.sqlite", create=True)
    assert db.applied_migrations() == []
    assert db.pending_migrations() == NAMES
    assert db.migrate() == NAMES
    assert db.applied_migrations() == NAMES
    assert db.pending_migrations() == []
    assert tables(db) == schema_tables() | {"_migrations"}
    assert db.query("PRAGMA journal_mode")[0][0] == "wal"
    assert db.integrity_ok()
    db.close()


def test_second_open_applies_nothing(tmp_path):
    path = tmp_path / "p.sqlite"
    ProjectStore(path, create=True).close()
    db = Database(path)
    recorded = [tuple(row) for row in db.query("SELECT * FROM _migrations ORDER BY id")]
    assert db.migrate() == []
    assert [tuple(row) for row in db.query("SELECT * FROM _migrations ORDER BY id")] == recorded
    assert [row[1] for row in recorded] == NAMES
    db.close()


def test_database_from_a_newer_focuscode_is_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    ProjectStore(path, create=True).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('9999_future', 'x')")
    conn.close()
    with pytest.raises(StoreError, match=r"made by a newer focuscode \(schema 9999_future\)") as e:
        ProjectStore(path)
    assert e.value.path == str(path)


def test_failing_migration_is_rolled_back_and_not_recorded(tmp_path, monkeypatch):
    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (id INTEGER)")
        db.execute("INSERT INTO no_such_table VALUES (1)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*MIGRATIONS, ("9000_broken", broken)])
    monkeypatch.setattr("focuscode.store.database.MIGRATIONS", schema.MIGRATIONS)
    db = Database(tmp_path / "p.sqlite", create=True)
    with pytest.raises(StoreError, match="no such table"):
        db.migrate()
    assert db.applied_migrations() == []  # the upgrade is one transaction: all of it or nothing
    assert "half_done" not in tables(db)
    db.close()


def test_upgrade_of_a_database_made_before_the_latest_migration(tmp_path, monkeypatch):
    """A project made by an earlier version gets only the migrations it lacks."""
    path = tmp_path / "p.sqlite"
    added = []

    def later(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE later_table (id INTEGER PRIMARY KEY)")
        added.append(True)

    ProjectStore(path, create=True).close()
    monkeypatch.setattr("focuscode.store.database.MIGRATIONS", [*MIGRATIONS, ("9001_later", later)])
    db = Database(path)
    assert db.migrate() == ["9001_later"]
    assert (db.applied_migrations(), added) == ([*NAMES, "9001_later"], [True])
    assert "later_table" in tables(db)
    db.close()


def test_missing_database_is_not_created_without_create(tmp_path):
    with pytest.raises(StoreError, match="no project database here"):
        Database(tmp_path / "absent.sqlite")
    assert not (tmp_path / "absent.sqlite").exists()


def test_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError) as caught:
        ProjectStore(path)
    assert caught.value.path == str(path)
