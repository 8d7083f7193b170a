"""Nothing silently dropped (issue 12, item 4): every non-blank character of a source is in a
turn, a label or timestamp, or the import report; checked over every fixture, the demo and the
shared real data (the fuzz corpus runs the same check in tests/robustness/test_fuzz_parsers.py)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest

from focuscode.domain import IngestError
from focuscode.pipeline.ingest import parse_text, parse_transcript
from focuscode.pipeline.ingest.coverage import check_coverage, uncovered
from focuscode.pipeline.ingest.decode import decode_text
from focuscode.pipeline.ingest.survey import SurveyColumns, parse_survey

TESTS = Path(__file__).parents[2]
TRANSCRIPT_SUFFIXES = {".txt", ".vtt", ".srt", ".docx", ".json"}
FIXTURE_FILES = sorted(p for folder in (TESTS / "fixtures", TESTS.parent / "transcripts")
                       for p in folder.rglob("*") if p.suffix in TRANSCRIPT_SUFFIXES)


def source_of(path: Path) -> str:
    return decode_text(path.read_bytes(), path).text


def assert_covered(path: Path) -> None:
    parsed = parse_transcript(path)
    source = parsed.text if parsed.format == "docx" else source_of(path)
    assert uncovered(parsed, source) == [], path.name
    assert all(parsed.text[t.start:t.end] == t.text for t in parsed.turns), path.name


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_fixture_is_covered(path):
    assert_covered(path)


def test_a_line_no_turn_holds_is_found_and_stops_the_import():
    text = "Intro line\nAna: One.\nBen: Two.\n"
    parsed = parse_text(text, path="s.txt", fmt="text", name="s.txt")
    assert uncovered(parsed, text) == []
    lost = replace(parsed, turns=parsed.turns[:1])
    assert uncovered(lost, text) == [(3, "Ben: Two.")]
    forgot_preamble = replace(parsed, skipped=())
    with pytest.raises(IngestError, match="1 line.* would be lost.*Intro line"):
        check_coverage(forgot_preamble, text)


def test_a_cue_no_turn_holds_is_found():
    text = ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: Hello there.\n\n"
            "2\n00:00:03.000 --> 00:00:04.000\nBen: Hi.\n\n")
    parsed = parse_text(text, path="s.vtt", fmt="vtt", name="s.vtt")
    assert uncovered(parsed, text) == []
    assert uncovered(replace(parsed, turns=parsed.turns[:1]), text) == [(9, "Ben: Hi.")]


def test_caption_notes_and_header_lines_are_reported():
    text = ("WEBVTT\nKind: captions\n\nNOTE recorded in room 2\n\n"
            "1\n00:00:01.000 --> 00:00:02.000\nAna: Hello.\n\n")
    parsed = parse_text(text, path="s.vtt", fmt="vtt", name="s.vtt")
    assert [(s.kind, s.line, s.count, s.first) for s in parsed.skipped] == [
        ("caption header", 2, 1, "Kind: captions"),
        ("caption note", 4, 1, "NOTE recorded in room 2")]


@pytest.mark.shared
@pytest.mark.parametrize("folder", ["mts_dialog/transcripts", "aci_bench/transcripts",
                                    "nhs_fft/transcripts", "primock57/vtt"])
def test_shared_data_is_covered(shared_dir, folder):
    files = sorted((shared_dir / "data" / folder).iterdir())
    assert files
    for path in files:
        assert_covered(path)


@pytest.mark.shared
def test_every_nhs_fft_answer_is_a_turn(shared_dir):
    path = shared_dir / "data" / "nhs_fft" / "answers.csv"
    parsed = parse_survey(path, SurveyColumns(text="text", id="answer_id",
                                              attributes=("service", "trust")))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    answered = [row for row in rows if row["text"].strip()]
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        (" ".join(row["answer_id"].split()), row["text"].strip()) for row in answered]
    assert len(parsed.turns) + sum(s.count for s in parsed.skipped) == len(rows) == 5445
    assert all(parsed.text[t.start:t.end] == t.text for t in parsed.turns)
    assert {s.attributes["service"] for s in parsed.speakers} >= {"111", "Forensic"}
