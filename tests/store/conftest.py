"""A store holding the tiny transcript, its speakers and segments."""

from __future__ import annotations

import pytest

from focuscode.domain import Speaker
from focuscode.pipeline.ingest import parse_transcript
from focuscode.pipeline.segment import TurnSegmenter
from focuscode.store import ProjectStore

TINY_SPEAKERS = (Speaker(label="Moderator", role="moderator", pseudonym="Moderator A"),
                 Speaker(label="Ana Silva", role="patient", pseudonym="Patient 1",
                         attributes={"condition": "rheumatoid arthritis"}),
                 Speaker(label="Ben Okoro", role="patient", pseudonym="Patient 2"))


def add_tiny(store: ProjectStore, tiny_transcript) -> int:
    parsed = parse_transcript(tiny_transcript)
    roles = {speaker.label: speaker.role for speaker in TINY_SPEAKERS}
    segments = TurnSegmenter().transform(parsed.turns, roles)
    return store.add_transcript(parsed, {"site": "Lisbon"}, TINY_SPEAKERS, segments)


@pytest.fixture
def tiny_store(memory_store, tiny_transcript) -> ProjectStore:
    add_tiny(memory_store, tiny_transcript)
    return memory_store


@pytest.fixture
def tiny_db_path(tmp_path, tiny_transcript):
    """A closed project database file holding the tiny transcript."""
    path = tmp_path / "project.sqlite"
    store = ProjectStore(path, create=True)
    add_tiny(store, tiny_transcript)
    store.close()
    return path


@pytest.fixture
def store_before(tmp_path, tiny_transcript, monkeypatch):
    """``make(migration)``: a project file made by the schema before ``migration``, holding the
    tiny transcript's turns and segments as rows of that schema; returns (path, segments)."""
    from focuscode.store.schema import MIGRATIONS

    def make(migration: str):
        path = tmp_path / "p.sqlite"
        monkeypatch.setattr("focuscode.store.database.MIGRATIONS",
                            [m for m in MIGRATIONS if m[0] < migration])
        store = ProjectStore(path, create=True)
        parsed = parse_transcript(tiny_transcript)
        segments = TurnSegmenter().transform(parsed.turns, {})
        with store.db.atomic() as conn:  # the columns every schema has
            conn.execute("INSERT INTO speakers (label, role) VALUES ('Ana', 'patient')")
            conn.execute("INSERT INTO transcripts (name, source_path, format, encoding, text, "
                         "source_sha256, attributes, imported_at) VALUES ('t', 't', 'text', "
                         "'utf-8', ?, 'x', '{}', 'now')", (parsed.text,))
            for turn in parsed.turns:
                conn.execute("INSERT INTO turns (transcript_id, idx, speaker_id, start_char, "
                             "end_char, start_time) VALUES (1, ?, 1, ?, ?, ?)",
                             (turn.index, turn.start, turn.end, turn.start_time))
            for segment in segments:
                conn.execute("INSERT INTO segments (transcript_id, turn_id, idx, start_char, "
                             "end_char, text, text_sha256) VALUES (1, ?, ?, ?, ?, ?, 'x')",
                             (segment.turn_index + 1, segment.index, segment.start,
                              segment.end, segment.text))
        store.close()
        monkeypatch.setattr("focuscode.store.database.MIGRATIONS", MIGRATIONS)
        return path, segments

    return make
