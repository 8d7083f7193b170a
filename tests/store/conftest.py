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
