"""The one schema: ordered, named migrations, applied in one transaction, each with its record.

Never edit a released migration; append a new one. ``tests/store/test_schema.py`` upgrades a
fixture database made by every earlier version.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(function: Migration) -> Migration:
        MIGRATIONS.append((name, function))
        return function

    return register


@migration("0001_initial")
def _initial(db: sqlite3.Connection) -> None:
    run_script(db, """
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                       -- JSON
    );
    CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        pseudonym TEXT,
        attributes TEXT NOT NULL DEFAULT '{}'     -- JSON object
    );
    CREATE TABLE transcripts (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        source_path TEXT NOT NULL,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        text TEXT NOT NULL,                       -- canonical text every offset points into
        source_sha256 TEXT NOT NULL,
        attributes TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL
    );
    CREATE TABLE turns (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        idx INTEGER NOT NULL,
        speaker_id INTEGER NOT NULL REFERENCES speakers(id),
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        start_time REAL,
        end_time REAL,
        source_line INTEGER,
        UNIQUE (transcript_id, idx),
        CHECK (end_char > start_char)
    );
    CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        transcript_id INTEGER NOT NULL REFERENCES transcripts(id),
        turn_id INTEGER NOT NULL REFERENCES turns(id),
        idx INTEGER NOT NULL,
        start_char INTEGER NOT NULL,
        end_char INTEGER NOT NULL,
        text TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        excluded TEXT,                            -- why it is left out of discovery, or NULL
        UNIQUE (transcript_id, idx),
        CHECK (end_char > start_char)
    );
    CREATE INDEX segments_turn ON segments(turn_id);
    CREATE TABLE embeddings (
        model_id TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,                     -- float32, little-endian
        PRIMARY KEY (model_id, text_sha256)
    ) WITHOUT ROWID;
    CREATE TABLE analysis_runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        model_id TEXT NOT NULL,
        params TEXT NOT NULL,                     -- JSON: every setting of every stage
        random_state INTEGER NOT NULL,
        versions TEXT NOT NULL,                   -- JSON: focuscode and library versions
        input_sha256 TEXT NOT NULL,               -- hash of the clustered segments' texts
        n_segments INTEGER NOT NULL,
        n_themes INTEGER NOT NULL,
        seconds REAL NOT NULL
    );
    CREATE TABLE codes (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        definition TEXT NOT NULL DEFAULT '',
        include_notes TEXT NOT NULL DEFAULT '',
        exclude_notes TEXT NOT NULL DEFAULT '',
        examples TEXT NOT NULL DEFAULT '[]',      -- JSON list of strings
        parent_id INTEGER REFERENCES codes(id),
        color TEXT,
        memo TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL,                     -- codebook | theme | manual
        status TEXT NOT NULL,                     -- suggested | accepted | deleted
        created_at TEXT NOT NULL
    );
    CREATE TABLE themes (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES analysis_runs(id),
        number INTEGER NOT NULL,
        label TEXT NOT NULL,
        keywords TEXT NOT NULL,                   -- JSON list
        exemplar_ids TEXT NOT NULL,               -- JSON list of segment ids, best first
        size INTEGER NOT NULL,
        code_id INTEGER REFERENCES codes(id),     -- the code this theme was accepted as
        UNIQUE (run_id, number)
    );
    CREATE TABLE theme_members (
        run_id INTEGER NOT NULL REFERENCES analysis_runs(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        theme_id INTEGER REFERENCES themes(id),   -- NULL: unassigned
        probability REAL NOT NULL,
        nearest TEXT NOT NULL,                    -- JSON [[theme_id, cosine], ...], best first
        PRIMARY KEY (run_id, segment_id)
    ) WITHOUT ROWID;
    CREATE INDEX theme_members_theme ON theme_members(theme_id);
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        coder TEXT NOT NULL,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,                    -- JSON: what changed, before and after
        undoes INTEGER REFERENCES decisions(id)
    );
    CREATE TRIGGER decisions_append_only_update BEFORE UPDATE ON decisions
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TRIGGER decisions_append_only_delete BEFORE DELETE ON decisions
    BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TABLE codings (
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        code_id INTEGER NOT NULL REFERENCES codes(id),
        coder TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('confirmed', 'rejected')),
        decision_id INTEGER NOT NULL REFERENCES decisions(id),
        updated_at TEXT NOT NULL,
        PRIMARY KEY (segment_id, code_id, coder)
    ) WITHOUT ROWID;
    CREATE INDEX codings_code ON codings(code_id);
    """)


@migration("0002_review_workbench")
def _review_workbench(db: sqlite3.Connection) -> None:
    """Quotes, theme status (split / deleted themes stay, hidden), full-text search, and the
    indexes the workbench's queries need at 100,000 segments."""
    run_script(db, """
    -- active | pending (born in a split not yet in effect) | split | deleted
    ALTER TABLE themes ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
    ALTER TABLE themes ADD COLUMN parent_id INTEGER REFERENCES themes(id);  -- split from
    CREATE INDEX themes_run_status ON themes(run_id, status);
    CREATE INDEX themes_code ON themes(code_id);
    CREATE INDEX theme_members_run_theme ON theme_members(run_id, theme_id);
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        code_id INTEGER NOT NULL REFERENCES codes(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        start_char INTEGER NOT NULL,              -- into the transcript text, inside the segment
        end_char INTEGER NOT NULL,
        status TEXT NOT NULL,                     -- active | removed (born removed)
        starred INTEGER NOT NULL DEFAULT 0,
        position INTEGER NOT NULL,                -- order within the code, smallest first
        source TEXT NOT NULL,                     -- manual | suggested
        coder TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK (end_char > start_char)
    );
    CREATE INDEX quotes_code ON quotes(code_id, status, position);
    CREATE VIRTUAL TABLE segments_fts USING fts5(
        text, content='segments', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO segments_fts(segments_fts) VALUES ('rebuild');
    CREATE TRIGGER segments_fts_insert AFTER INSERT ON segments
    BEGIN INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text); END;
    CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments
    BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER segments_fts_update AFTER UPDATE OF text ON segments
    BEGIN
        INSERT INTO segments_fts(segments_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO segments_fts(rowid, text) VALUES (new.id, new.text);
    END;
    """)


@migration("0003_code_suggestions")
def _code_suggestions(db: sqlite3.Connection) -> None:
    """Deductive suggestions: each run scores every segment against every code with a recorded
    model and threshold; a segment's best codes are kept, ``suggested`` marks those above the
    threshold. Suggestions live beside the coders' decisions and never change them."""
    run_script(db, """
    CREATE TABLE suggestion_runs (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        model_id TEXT NOT NULL,
        model_version TEXT NOT NULL,              -- library and focuscode versions, JSON
        params TEXT NOT NULL,                     -- JSON: every setting of the scoring
        threshold REAL NOT NULL,
        calibration TEXT NOT NULL,                -- how the threshold was chosen
        confirmed_by TEXT NOT NULL DEFAULT '[]',  -- JSON: coders whose decisions were used
        codebook_sha256 TEXT NOT NULL,
        n_segments INTEGER NOT NULL,
        n_codes INTEGER NOT NULL,
        n_suggested INTEGER NOT NULL,
        seconds REAL NOT NULL
    );
    CREATE TABLE code_suggestions (
        run_id INTEGER NOT NULL REFERENCES suggestion_runs(id),
        segment_id INTEGER NOT NULL REFERENCES segments(id),
        code_id INTEGER NOT NULL REFERENCES codes(id),
        score REAL NOT NULL,                      -- calibrated (robust z); the threshold applies
        similarity REAL NOT NULL,                 -- cosine to the code's evidence
        rank INTEGER NOT NULL,                    -- 1 = the segment's best code
        suggested INTEGER NOT NULL,               -- 1: above the threshold
        evidence TEXT NOT NULL,                   -- the nearest example/confirmed segment/definition
        evidence_kind TEXT NOT NULL,              -- example | confirmed | definition
        evidence_segment_id INTEGER REFERENCES segments(id),
        PRIMARY KEY (run_id, segment_id, code_id)
    ) WITHOUT ROWID;
    CREATE INDEX code_suggestions_code ON code_suggestions(run_id, code_id, suggested);
    """)  # noqa: E501 - a released migration: its SQL is stored verbatim in sqlite_master


@migration("0004_search_vocabulary")
def _search_vocabulary(db: sqlite3.Connection) -> None:
    """The word index's vocabulary as a table (FTS5's own ``fts5vocab``: it stores nothing),
    so a search word is found inside longer words ("trust" in "mistrust")."""
    run_script(db, """
    CREATE VIRTUAL TABLE segments_vocab USING fts5vocab('segments_fts', 'row');
    """)


@migration("0005_segment_cue_start_times")
def _segment_cue_start_times(db: sqlite3.Connection) -> None:
    """A segment cut from a long captioned turn starts at its own cue's time, not the turn's
    first one. Segments stored before keep their turn's time."""
    run_script(db, """
    ALTER TABLE segments ADD COLUMN start_time REAL;  -- its cue's start, in seconds, or NULL
    UPDATE segments SET start_time = (SELECT start_time FROM turns WHERE turns.id = segments.turn_id);
    """)  # noqa: E501 - a migration: its SQL is stored verbatim in sqlite_master


@migration("0006_undoable_runs_and_moved_segments")
def _undoable_runs_and_moved_segments(db: sqlite3.Connection) -> None:
    """A re-analysis is one decision of the log: its run is born pending and made active by a
    ``run_status`` change (undone: the previous run is the latest again). A segment moved out
    of a theme remembers it (``moved_from``), so the theme shows it as moved, not rejected."""
    run_script(db, """
    -- active | pending (a re-analysis not yet in effect, or undone)
    ALTER TABLE analysis_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
    ALTER TABLE theme_members ADD COLUMN moved_from INTEGER REFERENCES themes(id);
    CREATE INDEX analysis_runs_status ON analysis_runs(status, id);
    """)


@migration("0007_theme_tree")
def _theme_tree(db: sqlite3.Connection) -> None:
    """Parent themes: a run's themes grouped by their centroids (the theme tree); themes that
    look like introductions / small talk are marked so the researcher can leave them out; each
    theme's stability over reruns with other seeds and input orders."""
    run_script(db, """
    CREATE TABLE theme_groups (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES analysis_runs(id),
        number INTEGER NOT NULL,                  -- 0-based, the group of the largest theme first
        label TEXT NOT NULL,
        keywords TEXT NOT NULL,                   -- JSON list
        size INTEGER NOT NULL,                    -- segments of its themes at analysis time
        UNIQUE (run_id, number)
    );
    ALTER TABLE themes ADD COLUMN group_id INTEGER REFERENCES theme_groups(id);
    ALTER TABLE themes ADD COLUMN small_talk INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE themes ADD COLUMN stability REAL;  -- mean best Jaccard over reruns; NULL: none
    CREATE INDEX themes_group ON themes(group_id);
    """)


@migration("0008_merged_code_keywords")
def _merged_code_keywords(db: sqlite3.Connection) -> None:
    """A code made of several themes (merged) keeps the words of their segments taken
    together, computed once by the merge and set by its decision (so undo puts back the words
    before), instead of being fitted again each time the workbench shows it."""
    run_script(db, """
    ALTER TABLE codes ADD COLUMN keywords TEXT;  -- JSON list, best first; NULL: its themes' own
    """)
