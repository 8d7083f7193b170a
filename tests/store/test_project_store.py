"""ProjectStore: rows in, domain objects out."""

from __future__ import annotations

import numpy as np
import pytest

from focuscode.domain import AnalysisRun, ExclusionReason, Speaker, Theme
from focuscode.store import Membership, ProjectStore, ThemeRecord


def test_transcript_round_trip(tiny_store, tiny_transcript):
    [transcript] = tiny_store.transcripts()
    assert (transcript.id, transcript.name, transcript.format) == (1, "tiny.txt", "text")
    assert transcript.text == tiny_transcript.read_text(encoding="utf-8")
    assert transcript.attributes == {"site": "Lisbon"}
    assert tiny_store.transcript(1) == transcript
    assert tiny_store.transcript_names() == {"tiny.txt": transcript.source_sha256}


def test_segments_point_into_the_transcript_text(tiny_store):
    text = tiny_store.transcript(1).text
    segments = tiny_store.segments()
    assert len(segments) == 12
    for segment in segments:
        assert text[segment.start:segment.end] == segment.text
    assert [(s.id, s.speaker, s.role, s.excluded) for s in segments[:3]] == [
        (1, "Moderator", "moderator", ExclusionReason.MODERATOR),
        (2, "Ana Silva", "patient", None),
        (3, "Ben Okoro", "patient", ExclusionReason.BACKCHANNEL)]
    assert segments[7].start_time == 760.0


def test_included_only_and_ids_filters(tiny_store):
    included = [s.id for s in tiny_store.segments(included_only=True)]
    assert included == [2, 4, 6, 9, 10, 11]
    assert [s.id for s in tiny_store.segments(ids=[3, 4])] == [3, 4]
    assert [s.id for s in tiny_store.segments(included_only=True, ids=[3, 4])] == [4]
    assert tiny_store.count_segments() == {"included": 6, "moderator": 4, "backchannel": 2}


def test_set_exclusions(tiny_store):
    tiny_store.set_exclusions({1: None, 2: ExclusionReason.TOO_SHORT})
    assert [(s.id, s.excluded) for s in tiny_store.segments(ids=[1, 2])] == [
        (1, None), (2, ExclusionReason.TOO_SHORT)]


def test_speakers_keep_roles_pseudonyms_and_attributes(tiny_store):
    assert [(s.label, s.role, s.pseudonym, dict(s.attributes)) for s in tiny_store.speakers()] == [
        ("Ana Silva", "patient", "Patient 1", {"condition": "rheumatoid arthritis"}),
        ("Ben Okoro", "patient", "Patient 2", {}),
        ("Moderator", "moderator", "Moderator A", {})]


def test_upsert_speakers_overwrites_only_when_asked(tiny_store):
    changed = Speaker(label="Ben Okoro", role="caregiver", pseudonym="Caregiver 1")
    tiny_store.upsert_speakers([changed], overwrite=False)
    assert next(s for s in tiny_store.speakers() if s.label == "Ben Okoro").role == "patient"
    tiny_store.upsert_speakers([changed], overwrite=True)
    assert next(s for s in tiny_store.speakers() if s.label == "Ben Okoro").role == "caregiver"


def test_settings_round_trip(memory_store):
    assert memory_store.get_setting("analysis", {}) == {}
    memory_store.set_setting("analysis", {"min_cluster_size": 5, "model": "x"})
    memory_store.set_setting("coder", "rita")
    assert memory_store.get_setting("analysis") == {"min_cluster_size": 5, "model": "x"}
    assert memory_store.get_setting("coder") == "rita"


def test_embedding_cache_round_trip(memory_store):
    vectors = np.array([[0.6, 0.8], [1.0, 0.0]], dtype=np.float32)
    memory_store.put_embeddings("model-a", ["h1", "h2"], vectors)
    found = memory_store.cached_embeddings("model-a", ["h2", "h1", "h3", "h1"])
    assert sorted(found) == ["h1", "h2"]
    np.testing.assert_array_equal(found["h1"], vectors[0])
    assert found["h1"].dtype == np.float32
    assert memory_store.cached_embeddings("model-b", ["h1"]) == {}


def test_run_themes_and_memberships_round_trip(tiny_store):
    ids = [2, 4, 6, 9, 10, 11]
    run_id = tiny_store.save_run(
        started_at="2026-05-14T10:00:00+00:00", model_id="hashing-256-0",
        params={"min_cluster_size": 2}, random_state=42, versions={"focuscode": "0.1.0"},
        input_sha256="abc", segment_ids=ids,
        themes=[ThemeRecord(0, "pharmacy / inhaler", ("pharmacy", "inhaler"), (2, 0), 3),
                ThemeRecord(1, "appointment", ("appointment",), (1,), 2)],
        labels=[0, 1, 0, 1, -1, 0], probabilities=[1.0, 0.9, 0.8, 1.0, 0.0, 0.7],
        nearest=[[(0, 0.9), (1, 0.1)]] * 6, seconds=0.5)
    assert tiny_store.latest_run() == AnalysisRun(
        id=run_id, started_at="2026-05-14T10:00:00+00:00",
        finished_at=tiny_store.runs()[0].finished_at, status="finished",
        model_id="hashing-256-0", params={"min_cluster_size": 2}, random_state=42,
        versions={"focuscode": "0.1.0"}, input_sha256="abc", n_segments=6, n_themes=2)
    assert tiny_store.themes(run_id) == [
        Theme(id=1, run_id=run_id, number=0, label="pharmacy / inhaler",
              keywords=("pharmacy", "inhaler"), exemplar_ids=(6, 2), size=3),
        Theme(id=2, run_id=run_id, number=1, label="appointment", keywords=("appointment",),
              exemplar_ids=(4,), size=2)]
    members = tiny_store.memberships(run_id)
    assert [(m.segment_id, m.theme_id) for m in members] == [
        (2, 1), (4, 2), (6, 1), (9, 2), (10, None), (11, 1)]
    assert members[0] == Membership(2, 1, 1.0, ((1, 0.9), (2, 0.1)))


def test_store_reopens_with_its_data(tiny_db_path):
    store = ProjectStore(tiny_db_path)
    assert ([t.name for t in store.transcripts()], len(store.segments())) == (["tiny.txt"], 12)
    store.close()


def test_a_transcript_stored_meanwhile_is_one_clear_error(memory_store):
    """Issue 16: two imports of one folder at once ended in 'UNIQUE constraint failed'."""
    from focuscode.domain import ParsedTranscript, StoreError, Turn

    parsed = ParsedTranscript(name="t.txt", source_path="t.txt", format="text",
                              text="Ana: hello", turns=(Turn(index=0, speaker="Ana", start=5,
                                                             end=10, text="hello"),),
                              source_sha256="x")
    ana = [Speaker(label="Ana", role="patient")]
    memory_store.add_transcript(parsed, {}, ana, [])
    with pytest.raises(StoreError, match="was imported meanwhile") as caught:
        memory_store.add_transcript(parsed, {}, ana, [])
    assert "UNIQUE" not in str(caught.value) and len(memory_store.transcripts()) == 1
