"""Promise 6: a project made by an earlier version opens and migrates, each migration in a
transaction, after a backup copy of the database; one made by a newer version is refused with
one clear line. The old project is built with ``MIGRATIONS[:1]`` (the first release's schema)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from robust_support import REPO, assert_one_line_error, run_cli

from focuscode.domain import StoreError
from focuscode.domain.hashing import text_sha256
from focuscode.domain.review import SearchFilters
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.pipeline.ingest import parse_transcript
from focuscode.pipeline.segment import TurnSegmenter
from focuscode.store import database, schema
from focuscode.store.schema import MIGRATIONS
from focuscode.workflows import Project

NAMES = [name for name, _ in MIGRATIONS]
FIRST = NAMES[0]
DB = "focuscode.sqlite"
# The first release's tables; later migrations may add columns, never drop these.
V1_TABLES = ("settings", "speakers", "transcripts", "turns", "segments", "embeddings",
             "analysis_runs", "codes", "themes", "theme_members", "decisions", "codings")
V1_COLUMNS: dict[str, list[str]] = {}


def build_v1_project(folder: Path) -> Path:
    """A project as the first release left it: the tiny transcript, one analysis run with two
    themes, a code accepted from a theme and two coding decisions, in WAL mode."""
    folder.mkdir(parents=True)
    conn = sqlite3.connect(folder / DB, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    MIGRATIONS[0][1](conn)
    conn.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, "
                 "applied_at TEXT NOT NULL)")
    conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                 (FIRST, "2026-01-05T09:00:00+00:00"))
    parsed = parse_transcript(REPO / "tests" / "fixtures" / "tiny.txt")
    roles = {"Moderator": "moderator", "Ana Silva": "patient", "Ben Okoro": "patient"}
    for label, role in roles.items():
        conn.execute("INSERT INTO speakers (label, role, pseudonym) VALUES (?, ?, ?)",
                     (label, role, f"{role.title()} {len(label)}"))
    ids = {row[1]: row[0] for row in conn.execute("SELECT id, label FROM speakers")}
    conn.execute("INSERT INTO transcripts (name, source_path, format, encoding, text, "
                 "source_sha256, attributes, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (parsed.name, parsed.source_path, parsed.format, parsed.encoding, parsed.text,
                  parsed.source_sha256, '{"site": "Lisbon"}', "2026-01-05T09:01:00+00:00"))
    turn_ids = {}
    for turn in parsed.turns:
        cursor = conn.execute(
            "INSERT INTO turns (transcript_id, idx, speaker_id, start_char, end_char, start_time, "
            "source_line) VALUES (1, ?, ?, ?, ?, ?, ?)",
            (turn.index, ids[turn.speaker], turn.start, turn.end, turn.start_time, turn.line))
        turn_ids[turn.index] = cursor.lastrowid
    segments = TurnSegmenter().transform(parsed.turns, roles)
    for segment in segments:
        conn.execute("INSERT INTO segments (transcript_id, turn_id, idx, start_char, end_char, "
                     "text, text_sha256, excluded) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
                     (turn_ids[segment.turn_index], segment.index, segment.start, segment.end,
                      segment.text, text_sha256(segment.text),
                      segment.excluded.value if segment.excluded else None))
    conn.execute("INSERT INTO analysis_runs VALUES (1, 'a', 'b', 'hashing-256-0', '{}', 0, '{}', "
                 "'sha', ?, 2, 0.5)", (len(segments),))
    conn.execute("INSERT INTO codes (id, name, source, status, created_at) VALUES "
                 "(1, 'Waiting', 'theme', 'accepted', 'c')")
    conn.execute("INSERT INTO themes VALUES (1, 1, 0, 'waiting / months', '[\"waiting\"]', "
                 "'[2]', 4, 1)")
    conn.execute("INSERT INTO themes VALUES (2, 1, 1, 'pharmacy / inhaler', '[\"pharmacy\"]', "
                 "'[5]', 3, NULL)")
    for row in conn.execute("SELECT id FROM segments").fetchall():
        conn.execute("INSERT INTO theme_members VALUES (1, ?, ?, 0.9, '[]')",
                     (row[0], 1 if row[0] % 2 else 2))
    decisions = [("create_code", [{"kind": "code", "code_id": 1, "field": "status",
                                   "before": "deleted", "after": "accepted"},
                                  {"kind": "theme_link", "theme_id": 1, "before": None,
                                   "after": 1}]),
                 ("confirm", [{"kind": "coding", "segment_id": 2, "code_id": 1, "coder": "rita",
                               "before": None, "after": "confirmed"}])]
    for number, (action, changes) in enumerate(decisions, start=1):
        conn.execute("INSERT INTO decisions (id, created_at, coder, action, payload) VALUES "
                     "(?, ?, 'rita', ?, ?)", (number, f"2026-01-05T10:0{number}:00+00:00", action,
                                              json.dumps({"summary": action, "changes": changes})))
    conn.execute("INSERT INTO codings VALUES (2, 1, 'rita', 'confirmed', 2, 'x')")
    conn.execute("COMMIT")
    conn.close()  # the last connection: the WAL is checkpointed into the file
    return folder


def v1_rows(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        if not V1_COLUMNS:
            scratch = sqlite3.connect(":memory:")
            MIGRATIONS[0][1](scratch)
            V1_COLUMNS.update({t: [r[1] for r in scratch.execute(f"PRAGMA table_info({t})")]
                               for t in V1_TABLES})
        return {table: conn.execute(f"SELECT {', '.join(V1_COLUMNS[table])} FROM {table} "
                                    "ORDER BY 1, 2").fetchall() for table in V1_TABLES}
    finally:
        conn.close()


def applied(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _migrations ORDER BY id")]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def v1_project(tmp_path) -> Path:
    return build_v1_project(tmp_path / "old")


def test_v1_project_opens_migrated_with_its_data(v1_project):
    before = v1_rows(v1_project / DB)
    with Project.open(v1_project, coder="rita", embedder=HashingEmbedder()) as project:
        assert project.store.db.applied_migrations() == NAMES
        assert project.store.db.integrity_ok()
        # The workbench reads the old data, search finds old segments (the index was built).
        entries = {entry.label: entry for entry in project.review.entries()}
        assert entries["Waiting"].n_confirmed == 1
        assert project.review.search(SearchFilters(query="pharmacy")).total >= 1
        assert [d.action for d in project.log.history()] == ["confirm", "create_code"]
        project.undo()  # the old decisions are live: undo works on them
        assert project.log.coding_status(2, 1, "rita") is None
    after = v1_rows(v1_project / DB)
    assert {t: rows for t, rows in after.items() if t not in ("decisions", "codings")} == {
        t: rows for t, rows in before.items() if t not in ("decisions", "codings")}
    assert after["decisions"][:2] == before["decisions"]


def test_backup_is_taken_before_migrating_and_only_then(v1_project):
    before = v1_rows(v1_project / DB)
    Project.open(v1_project).close()
    backup = v1_project / f"{DB}.bak-{FIRST}"
    assert sorted(p.name for p in v1_project.iterdir() if ".bak" in p.name) == [backup.name]
    assert applied(backup) == [FIRST]  # the project as it was, whole
    assert v1_rows(backup) == before
    conn = sqlite3.connect(backup)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    stamp = backup.stat().st_mtime_ns
    time.sleep(0.01)
    Project.open(v1_project).close()  # up to date: no new backup, nothing rewritten
    assert backup.stat().st_mtime_ns == stamp
    assert sorted(p.name for p in v1_project.iterdir() if ".bak" in p.name) == [backup.name]


def test_a_new_project_gets_no_backup(tmp_path):
    Project.init(tmp_path / "new").close()
    assert not [p for p in (tmp_path / "new").iterdir() if ".bak" in p.name]


def test_a_failing_migration_leaves_the_project_as_it_was(v1_project, monkeypatch):
    """The upgrade is one transaction: a migration that fails half-way leaves no trace of
    itself or of the ones before it, and the backup holds the original."""
    before = v1_rows(v1_project / DB)
    last_name, last = MIGRATIONS[-1]

    def half_then_fail(db: sqlite3.Connection) -> None:
        last(db)  # all of the last migration's work, after the others ran ...
        db.execute("INSERT INTO no_such_table VALUES (1)")  # ... then a failure

    broken = [*MIGRATIONS[:-1], (last_name, half_then_fail)]
    monkeypatch.setattr(database, "MIGRATIONS", broken)
    with pytest.raises(StoreError, match="no such table"):
        Project.open(v1_project)
    assert applied(v1_project / DB) == [FIRST]
    conn = sqlite3.connect(v1_project / DB)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    columns = [r[1] for r in conn.execute("PRAGMA table_info(themes)")]
    conn.close()
    assert "quotes" not in tables and "status" not in columns  # nothing of 0002 or later
    assert v1_rows(v1_project / DB) == before
    assert applied(v1_project / f"{DB}.bak-{FIRST}") == [FIRST]
    monkeypatch.setattr(database, "MIGRATIONS", schema.MIGRATIONS)
    with Project.open(v1_project) as project:  # and the fixed version upgrades it
        assert project.store.db.applied_migrations() == NAMES


def test_a_backup_that_cannot_be_written_stops_the_upgrade(v1_project):
    blocked = v1_project / f"{DB}.bak-{FIRST}"
    blocked.mkdir()  # where the copy goes: cannot be replaced by a file
    with pytest.raises(StoreError, match="could not back up the project before upgrading it"):
        Project.open(v1_project)
    assert applied(v1_project / DB) == [FIRST]  # not migrated without its backup
    assert not [p for p in v1_project.iterdir() if p.suffix == ".part"]
    blocked.rmdir()
    Project.open(v1_project).close()
    assert applied(v1_project / f"{DB}.bak-{FIRST}") == [FIRST]


def test_many_processes_opening_an_old_project_at_once_migrate_it_once(v1_project):
    go = v1_project.parent / "go"
    script = ("import sys, time\nfrom pathlib import Path\n"
              "while not Path(sys.argv[2]).exists():\n    time.sleep(0.001)\n"
              "from focuscode.workflows import Project\n"
              "Project.open(sys.argv[1]).close()\nprint('OPENED')\n")
    children = [subprocess.Popen([sys.executable, "-c", script, str(v1_project), str(go)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(4)]
    time.sleep(1.5)  # every child has imported focuscode and waits
    go.touch()
    results = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0] * 4, results
    assert applied(v1_project / DB) == NAMES  # each once
    assert [p.name for p in v1_project.iterdir() if ".bak" in p.name] == [f"{DB}.bak-{FIRST}"]


def test_a_project_from_a_newer_version_is_refused_in_one_line(analysed_copy):
    conn = sqlite3.connect(analysed_copy / DB)
    with conn:
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('9999_future', 'x')")
    conn.close()
    before = digest(analysed_copy / DB)
    for command in (["status"], ["analyse"], ["export", "segments", "--to",
                                              str(analysed_copy / "s.csv")]):
        result = run_cli(*command, "--project", str(analysed_copy))
        message = assert_one_line_error(result)
        assert "this project was made by a newer focuscode (schema 9999_future)" in message
        assert "upgrade focuscode to open it" in message
    assert digest(analysed_copy / DB) == before
    assert not [p for p in analysed_copy.iterdir() if ".bak" in p.name or p.suffix == ".csv"]
