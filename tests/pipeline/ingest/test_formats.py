"""The formats researchers get (issue 12, item 2): one fixture per tool in tests/fixtures/formats,
each written after the tool's documented export layout:

- WhisperX JSON (segments with ``speaker``, words with times; a segment whose speaker is only on
  its words), its SRT and VTT with ``[SPEAKER_xx]:``; Zoom VTT;
- Otter TXT and DOCX (``Name  0:03`` above the text, its "Transcribed by" footer), Rev TXT
  (``Speaker 1 (00:00):`` above the text), Descript TXT (``[00:00:00] Name: text``), Trint TXT
  (``Name [00:00:01]`` above the text), Sonix TXT (``Name: [00:00:02] text``), Happy Scribe TXT
  (``[00:00:01.15] - Speaker 1`` above the text);
- Teams DOCX, both layouts (``Name   0:03`` above the text; a ``0:0:0.0 --> 0:0:4.500`` cue line,
  the name, the text);
- f4/f5transkript (``I: ... #00:00:05-2#``, the mark ending each turn) and MAXQDA
  (``#00:00:02-4# Interviewer: ...``); ``Q:``/``A:`` and ``I:``/``B:`` interviews.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.pipeline.ingest import parse_transcript

FORMATS = Path(__file__).parents[2] / "fixtures" / "formats"
WHISPERX = (["SPEAKER_00", "SPEAKER_01", "SPEAKER_02"], [0.031, 3.5, 11.4])
# file -> (speaker of every turn, start time of every turn)
EXPECTED = {
    "whisperx.json": WHISPERX,
    "whisperx.srt": WHISPERX,
    "whisperx.vtt": WHISPERX,
    "zoom.vtt": (["Dana Wu", "Rob Ellis", "Dana Wu"], [1.2, 5.1, 8.3]),
    "otter.txt": (["Maria Lopez", "Speaker 2", "Maria Lopez", "Speaker 3"],
                  [3.0, 12.0, 25.0, 3727.0]),
    "otter.docx": (["Maria Lopez", "Speaker 2", "Maria Lopez"], [3.0, 12.0, 25.0]),
    "rev.txt": (["Speaker 1", "Speaker 2"] * 2, [0.0, 6.0, 14.0, 17.0]),
    "descript.txt": (["Alan Reyes", "Priya Shah"] * 2, [0.0, 5.0, 8.0, 12.0]),
    "trint.txt": (["Interviewer", "Respondent"] * 2, [1.0, 5.0, 9.0, 12.0]),
    "sonix.txt": (["Speaker1", "Speaker2"] * 2, [2.0, 7.0, 13.0, 16.0]),
    "happyscribe.txt": (["Speaker 1", "Speaker 2", "Speaker 1"], [1.15, 6.4, 12.02]),
    "teams.docx": (["Jane Doe", "Tom Baker"] * 2, [3.0, 10.0, 16.0, 3845.0]),
    "teams_cues.docx": (["Jane Doe", "Tom Baker", "Jane Doe"], [0.0, 5.1, 9.8]),
    "f4transkript.txt": (["I", "B"] * 2, [None, 5.2, 14.8, 16.1]),
    "maxqda.txt": (["Interviewer", "Participant"] * 2, [2.4, 7.9, 13.0, 15.6]),
    "interview_qa.txt": (["Q", "A"] * 2, [None] * 4),
    "interview_ib.txt": (["I", "B"] * 2, [None] * 4),
}


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in FORMATS.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_format_gives_speakers_turns_offsets_and_times(name):
    parsed = parse_transcript(FORMATS / name)
    speakers, times = EXPECTED[name]
    assert [t.speaker for t in parsed.turns] == speakers
    assert [t.start_time for t in parsed.turns] == pytest.approx(times)
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text
        assert turn.text == turn.text.strip() and ":" not in turn.text[:1]
        assert "-->" not in turn.text and not turn.text.startswith(("[0", "#0", "(0"))


def test_f4_marks_end_each_turn_and_are_not_speech():
    parsed = parse_transcript(FORMATS / "f4transkript.txt")
    assert [t.end_time for t in parsed.turns] == [5.2, 14.8, 16.1, 21.5]
    assert parsed.turns[1].text == ("Am Telefon, das war nicht schön. Der Arzt hat sich kaum "
                                    "Zeit genommen.")


def test_labels_above_the_text_keep_multi_line_turns_and_notes():
    otter = parse_transcript(FORMATS / "otter.txt")
    assert otter.turns[1].text == ("My nephrologist mentioned it once, very briefly.\n"
                                   "I had to look up the rest myself.")
    assert otter.turns[3].text.endswith("[laughs] that I still have.")
    assert [(s.kind, s.first) for s in otter.skipped] == [
        ("preamble", "Focus group on home dialysis - Otter.ai"),
        ("footer", "Transcribed by https://otter.ai")]


def test_whisperx_segments_keep_their_own_times_inside_a_turn():
    parsed = parse_transcript(FORMATS / "whisperx.json")
    second = parsed.turns[1]
    assert second.text == "Happy to be here. I've been a patient for six years. Mostly at the " \
                          "renal unit."
    assert [time for _, time in second.cue_times] == [3.5, 8.1]
    assert second.time_at(second.text.index("Mostly") + second.start) == 8.1


def test_the_folder_of_formats_imports_in_one_go(project):
    report = project.import_files([FORMATS])
    assert len(report.imported) == len(EXPECTED)
    assert report.n_turns == sum(len(speakers) for speakers, _ in EXPECTED.values())
    texts = {t.id: t.text for t in project.store.transcripts()}
    assert all(texts[s.transcript_id][s.start:s.end] == s.text
               for s in project.store.segments())


@pytest.mark.parametrize("content, message", [
    ('{"segments": [', "not valid JSON"), ('{"text": "hi"}', "no 'segments' list"),
    ('{"segments": [{"text": "hi", "start": "soon"}]}', "segment 1 has no usable 'start'"),
    ('{"segments": [{"text": "hi", "start": 1}]}', "no speaker labels"),
])
def test_bad_whisperx_json_is_one_line(tmp_path, content, message):
    from focuscode.domain import IngestError

    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(IngestError, match=message) as error:
        parse_transcript(path)
    assert "bad.json" in str(error.value) and "\n" not in str(error.value)
