"""Real transcripts: the bundled demo round tables and the shared public medical dialogues."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from focuscode.domain import ParsedTranscript
from focuscode.pipeline.ingest import parse_transcript
from focuscode.pipeline.ingest.speakers import guess_role, load_speakers

DEMO_FILES = ["roundtable1_boston.txt", "roundtable2_zoom.vtt", "roundtable3_chicago.docx"]


def offsets_hold(parsed: ParsedTranscript) -> bool:
    return all(parsed.text[t.start:t.end] == t.text for t in parsed.turns)


@pytest.mark.parametrize("name", DEMO_FILES)
def test_demo_transcript_parses_with_known_speakers(demo_dir, name):
    parsed = parse_transcript(demo_dir / name)
    speakers = load_speakers(demo_dir / "speakers.yaml")
    assert len(parsed.turns) >= 100
    assert offsets_hold(parsed)
    assert {t.speaker for t in parsed.turns if speakers.find(t.speaker) is None} == set()
    assert all(t.text.strip() == t.text and t.text for t in parsed.turns)


def test_demo_zoom_transcript_has_timestamps_in_order(demo_dir):
    parsed = parse_transcript(demo_dir / "roundtable2_zoom.vtt")
    starts = [turn.start_time for turn in parsed.turns]
    assert None not in starts
    assert starts == sorted(starts)
    assert all(t.end_time >= t.start_time for t in parsed.turns)


@pytest.mark.shared
def test_every_primock57_consultation_has_doctor_and_patient_turns(shared_dir):
    files = sorted((shared_dir / "data" / "primock57" / "vtt").glob("*.vtt"))
    assert len(files) == 57
    found = {}
    for path in files:
        parsed = parse_transcript(path)
        assert offsets_hold(parsed), path.name
        assert all(t.start_time is not None and t.end_time >= t.start_time
                   for t in parsed.turns), path.name
        found[path.name] = {t.speaker for t in parsed.turns}
    assert found == {path.name: {"Doctor", "Patient"} for path in files}


@pytest.mark.shared
def test_mts_dialog_turns_match_the_human_labels(shared_dir):
    """Every line of every MTS-Dialog transcript is one turn, as in ``labels.csv``."""
    folder = shared_dir / "data" / "mts_dialog"
    expected: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    with (folder / "labels.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            expected[row["dialogue_id"]].append(
                (row["speaker"], " ".join(row["text"].split()), row["speaker_role"]))
    files = sorted((folder / "transcripts").glob("*.txt"))[::5]  # a sample of 261 dialogues
    assert len(files) > 200
    for path in files:
        parsed = parse_transcript(path)
        assert offsets_hold(parsed), path.name
        assert [(t.speaker, " ".join(t.text.split())) for t in parsed.turns] == \
            [(speaker, text) for speaker, text, _ in expected[path.stem]], path.name
        # Doctors and patients get their role from the label (or no guess, for typos).
        assert {(speaker, role) for speaker, _, role in expected[path.stem]
                if role in ("physician", "patient")
                and guess_role(speaker) not in (role, None)} == set(), path.name


@pytest.mark.shared
def test_mts_dialog_doctor_and_patient_labels_give_roles(shared_dir):
    path = shared_dir / "data" / "mts_dialog" / "transcripts" / "mts_train_0000.txt"
    parsed = parse_transcript(Path(path))
    assert {t.speaker: guess_role(t.speaker) for t in parsed.turns} == {
        "Doctor": "physician", "Patient": "patient"}
