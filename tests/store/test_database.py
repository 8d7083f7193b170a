"""Transactions: atomic() commits as a whole or writes nothing."""

from __future__ import annotations

import pytest

from focuscode.domain import StoreError
from focuscode.store import Database


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "p.sqlite", create=True)
    database.migrate()
    yield database
    database.close()


def settings(db: Database) -> dict[str, str]:
    return {row["key"]: row["value"] for row in db.query("SELECT key, value FROM settings")}


def test_atomic_commits(db):
    with db.atomic() as conn:
        conn.execute("INSERT INTO settings VALUES ('a', '1')")
        conn.execute("INSERT INTO settings VALUES ('b', '2')")
    assert settings(db) == {"a": "1", "b": "2"}


def test_atomic_rolls_back_on_error_and_reraises_it(db):
    with pytest.raises(ValueError, match="boom"):
        with db.atomic() as conn:
            conn.execute("INSERT INTO settings VALUES ('a', '1')")
            raise ValueError("boom")
    assert settings(db) == {}
    with db.atomic() as conn:  # the connection is usable afterwards
        conn.execute("INSERT INTO settings VALUES ('c', '3')")
    assert settings(db) == {"c": "3"}


def test_sqlite_error_rolls_back_and_becomes_store_error(db):
    with pytest.raises(StoreError, match="UNIQUE constraint failed") as caught:
        with db.atomic() as conn:
            conn.execute("INSERT INTO settings VALUES ('a', '1')")
            conn.execute("INSERT INTO settings VALUES ('a', '2')")
    assert caught.value.path == db.path
    assert settings(db) == {}


def test_rolled_back_writes_are_not_seen_by_another_connection(db):
    with pytest.raises(RuntimeError):
        with db.atomic() as conn:
            conn.execute("INSERT INTO settings VALUES ('a', '1')")
            raise RuntimeError
    other = Database(db.path)
    assert settings(other) == {}
    other.close()


def test_nested_atomic_rolls_back_only_the_inner_block(db):
    with db.atomic() as conn:
        conn.execute("INSERT INTO settings VALUES ('outer', '1')")
        with pytest.raises(KeyError):
            with db.atomic() as inner:
                inner.execute("INSERT INTO settings VALUES ('inner', '2')")
                raise KeyError("x")
        conn.execute("INSERT INTO settings VALUES ('after', '3')")
    assert settings(db) == {"outer": "1", "after": "3"}


def test_failure_after_a_nested_block_rolls_back_everything(db):
    with pytest.raises(ValueError):
        with db.atomic() as conn:
            with db.atomic() as inner:
                inner.execute("INSERT INTO settings VALUES ('inner', '2')")
            conn.execute("INSERT INTO settings VALUES ('outer', '1')")
            raise ValueError
    assert settings(db) == {}


def test_query_errors_become_store_errors(db):
    with pytest.raises(StoreError, match="no such table: missing_table"):
        db.query("SELECT * FROM missing_table")
