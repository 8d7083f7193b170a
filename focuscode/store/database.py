"""SQLite connection, transactions and migrations for one project file."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from focuscode.domain import StoreError
from focuscode.store.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
RESTORE_HINT = ("to restore the copy focuscode saves before each upgrade, move the file aside and "
                "copy the newest focuscode.sqlite.bak-* of its folder in its place")


def restore_hint(path: str | None) -> str:
    """How to get the project back: its newest ``.bak-*`` copy, when there is one."""
    if path is None or path == ":memory:":
        return RESTORE_HINT
    database = Path(path)
    with contextlib.suppress(OSError):
        backups = sorted(database.parent.glob(f"{database.name}.bak-*"),
                         key=lambda p: p.stat().st_mtime)
        if backups:
            return (f"move it aside and copy {backups[-1].name} (the copy focuscode saved before "
                    f"its last upgrade) to {database.name}")
        return (f"focuscode has no backup of it here ({database.name}.bak-*): restore the folder "
                "from your own backup")
    return RESTORE_HINT


def damaged(what: str, path: str | None = None) -> StoreError:
    """The one line for a project database that no longer reads back."""
    return StoreError(f"the project database is damaged ({what})", path=path,
                      hint=restore_hint(path))


def _text_factory(path: str):  # noqa: ANN202 - a function from bytes to str
    def text(data: bytes) -> str:
        """SQLite text to ``str``; flipped bytes are a damaged project, not a traceback."""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise damaged("a stored text is not valid UTF-8", path) from None
    return text


def load_json(text: str | bytes | None, default: object = None) -> object:
    """A JSON column's value; a damaged one is reported in one line."""
    if text is None:
        return default
    try:
        return json.loads(text)
    except (ValueError, TypeError):
        raise damaged("a stored value is not valid JSON") from None


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


class Database:
    """One SQLite file in WAL mode; ``atomic()`` nests with savepoints and rolls back on error.

    Library errors are translated to ``StoreError`` at this boundary.
    """

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = str(path)
        memory = self.path == ":memory:"
        if not memory and not create and not Path(self.path).exists():
            raise StoreError("no project database here", path=self.path,
                             hint="run 'focuscode init' first, or pass --project PATH")
        if (not memory and not create and Path(self.path).is_file()
                and Path(self.path).stat().st_size == 0):
            raise StoreError("the project database is empty (0 bytes): it was truncated or "
                             "never written", path=self.path,
                             hint=restore_hint(self.path) + "; or delete it and run "
                                                           "'focuscode init' to start again")
        try:
            self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                        isolation_level=None, check_same_thread=False)
            self.conn.text_factory = _text_factory(self.path)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not memory:
                self._refuse_foreign()
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as error:
            raise _open_error(error, self.path) from None
        self._depth = 0
        self._lock = threading.RLock()

    def _refuse_foreign(self) -> None:
        """An SQLite file of another program gets no focuscode tables added to it."""
        names = [row[0] for row in self.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
        if names and "_migrations" not in names:
            shown = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
            self.conn.close()
            raise StoreError(f"not a focuscode project: an SQLite database of another program "
                             f"(tables {shown})", path=self.path,
                             hint="pass the folder of a focuscode project with --project")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """A transaction (``BEGIN IMMEDIATE``) or, nested, a savepoint."""
        with self._lock:
            depth = self._depth
            name = f"sp{depth}"
            try:
                self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
            except sqlite3.OperationalError as error:
                raise _translate(error, self.path) from None
            self._depth += 1
            try:
                yield self.conn
            except BaseException as error:
                self._depth -= 1
                with contextlib.suppress(sqlite3.Error):
                    if depth == 0:
                        self.conn.execute("ROLLBACK")
                    else:
                        self.conn.execute(f"ROLLBACK TO {name}")
                        self.conn.execute(f"RELEASE {name}")
                if isinstance(error, sqlite3.Error):
                    raise _translate(error, self.path) from None
                raise
            else:
                self._depth -= 1
                try:
                    self.conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")
                except sqlite3.Error as error:
                    with contextlib.suppress(sqlite3.Error):
                        self.conn.execute("ROLLBACK")
                    raise _translate(error, self.path) from None

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise _translate(error, self.path) from None

    # migrations ---------------------------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        exists = self.query("SELECT 1 FROM sqlite_master WHERE name = '_migrations'")
        if not exists:
            return []
        return [row["name"] for row in self.query("SELECT name FROM _migrations ORDER BY id")]

    def pending_migrations(self) -> list[str]:
        applied = set(self.applied_migrations())
        return [name for name, _ in MIGRATIONS if name not in applied]

    def migrate(self) -> list[str]:
        """Apply pending migrations in order, in one transaction, each with its record.

        A project made by an earlier version is first copied (SQLite's backup API) to
        ``<file>.bak-<its last migration>`` beside it; one made by a newer version is refused.
        An up-to-date project is not written to, so a read-only one opens. The write lock is
        taken before anything is decided: processes opening an old project at once wait for
        each other, and only the first migrates (and backs up).
        """
        known = [name for name, _ in MIGRATIONS]
        applied = self.applied_migrations()
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(f"this project was made by a newer focuscode (schema {unknown[-1]})",
                             path=self.path, hint="upgrade focuscode to open it")
        if all(name in applied for name in known):
            return []
        done = []
        with self.atomic() as db:
            db.execute("CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)")
            applied = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY id")]
            pending = [(name, function) for name, function in MIGRATIONS if name not in applied]
            if applied and pending:
                self.back_up(self.backup_path(applied[-1]))
            for name, function in pending:
                function(db)
                db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                           (name, utc_now()))
                done.append(name)
        return done

    def backup_path(self, last_migration: str) -> Path:
        """Where the copy taken before upgrading a project at ``last_migration`` goes."""
        path = Path(self.path)
        return path.with_name(f"{path.name}.bak-{last_migration}")

    def back_up(self, target: Path) -> None:
        """A copy of the database as last committed, written whole (then renamed) or not at
        all. Read through a connection of its own: the backup API cannot read through one that
        holds a write transaction (``migrate`` holds one, so nobody commits meanwhile)."""
        if self.path == ":memory:":
            return
        partial = None
        try:
            handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                               dir=target.parent)
            os.close(handle)
            source = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
            finally:
                copy.close()
                source.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as error:
            if partial is not None:
                with contextlib.suppress(OSError):
                    os.unlink(partial)
            raise StoreError(f"could not back up the project before upgrading it ({error}); "
                             "nothing was changed", path=str(target),
                             hint="free some space or make the folder writable") from None

    def integrity_ok(self) -> bool:
        return self.query("PRAGMA integrity_check")[0][0] == "ok"

    def integrity_problems(self) -> list[str]:
        """SQLite's own check of the file (``PRAGMA integrity_check``) and of its references
        (``PRAGMA foreign_key_check``), one line per problem."""
        problems = [str(row[0]) for row in self.query("PRAGMA integrity_check")
                    if row[0] != "ok"]
        problems += [f"{row[0]} row {row[1]} refers to a missing {row[2]} row"
                     for row in self.query("PRAGMA foreign_key_check")]
        return problems


def _open_error(error: sqlite3.Error, path: str) -> StoreError:
    """Why a project database did not open, in words a researcher can act on."""
    text = str(error)
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return damaged(text, path)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(f"cannot open the project database for writing ({text}): the folder "
                          "or the file is read-only, or a folder on the way cannot be searched",
                          path=path, hint="make the folder and focuscode.sqlite writable, or "
                                          "copy the project elsewhere")
    return _translate(error, path)


def _translate(error: sqlite3.Error, path: str) -> StoreError:
    text = str(error)
    if "locked" in text or "busy" in text:
        return StoreError("the project is busy: another focuscode process is writing to it",
                          path=path, hint="wait for it to finish and try again")
    if "readonly" in text or "read-only" in text:
        return StoreError("the project folder is read-only", path=path,
                          hint="make it writable or copy the project elsewhere")
    if "disk" in text and "full" in text:
        return StoreError("the disk is full; nothing was changed", path=path,
                          hint="free some space and try again")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return damaged(text, path)
    return StoreError(f"database error: {text}", path=path)
