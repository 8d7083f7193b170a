"""Word transcripts built in the test with python-docx: bold speaker runs and tables."""

from __future__ import annotations

from pathlib import Path

import docx

from focuscode.domain import ParsedTranscript
from focuscode.pipeline.ingest import parse_transcript


def add_turn(document, bold: str, rest: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(bold).bold = True
    paragraph.add_run(rest)


def parse_docx(document, tmp_path: Path) -> ParsedTranscript:
    path = tmp_path / "session.docx"
    document.save(path)
    parsed = parse_transcript(path)
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text, turn
    return parsed


def timed(parsed: ParsedTranscript) -> list[tuple[str, str, float | None]]:
    return [(t.speaker, t.text, t.start_time) for t in parsed.turns]


def test_bold_speaker_runs_with_and_without_colon(tmp_path):
    document = docx.Document()
    document.add_paragraph("Round table 3 - Chicago, 20 May 2026")
    document.add_paragraph("")
    add_turn(document, "Hannah Berg:", " Welcome, everyone.")
    add_turn(document, "James Porter", " I have type 1 diabetes.")
    add_turn(document, "Teresa Alvarez ", "Six years out this fall.")
    document.add_paragraph("And I am the skeptic here.")
    parsed = parse_docx(document, tmp_path)
    assert (parsed.format, parsed.encoding) == ("docx", "docx")
    assert timed(parsed) == [
        ("Hannah Berg", "Welcome, everyone.", None),
        ("James Porter", "I have type 1 diabetes.", None),
        ("Teresa Alvarez", "Six years out this fall.\nAnd I am the skeptic here.", None)]
    assert [turn.line for turn in parsed.turns] == [3, 4, 5]


def test_timestamps_inside_the_bold_run(tmp_path):
    document = docx.Document()
    add_turn(document, "[00:01:05] Kevin Doyle:", " COPD here.")
    add_turn(document, "[00:01:18] Maria Santos", " I care for my father.")
    add_turn(document, "Dr. Laura Kim (00:02:10):", " Endocrinology.")
    assert timed(parse_docx(document, tmp_path)) == [
        ("Kevin Doyle", "COPD here.", 65.0), ("Maria Santos", "I care for my father.", 78.0),
        ("Dr. Laura Kim", "Endocrinology.", 130.0)]


def test_bold_emphasis_inside_a_sentence_is_not_a_speaker(tmp_path):
    document = docx.Document()
    add_turn(document, "Ana:", " Hello.")
    paragraph = document.add_paragraph()
    paragraph.add_run("It was ")
    paragraph.add_run("really").bold = True
    paragraph.add_run(" hard.")
    assert timed(parse_docx(document, tmp_path)) == [("Ana", "Hello.\nIt was really hard.", None)]


def test_table_of_speaker_time_text_rows(tmp_path):
    document = docx.Document()
    document.add_paragraph("Transcript")
    table = document.add_table(rows=0, cols=3)
    for cells in [("Speaker", "Time", "Text"),
                  ("Teresa Alvarez", "00:03:00", "Breast cancer survivor."),
                  ("Dr. Laura Kim", "", "Endocrinology, mostly diabetes."),
                  ("James Porter", "[00:03:30]", "I wear a CGM.")]:
        row = table.add_row().cells
        for cell, value in zip(row, cells):
            cell.text = value
    parsed = parse_docx(document, tmp_path)
    assert timed(parsed) == [
        ("Teresa Alvarez", "Breast cancer survivor.", 180.0),
        ("Dr. Laura Kim", "Endocrinology, mostly diabetes.", None),
        ("James Porter", "I wear a CGM.", 210.0)]
    assert [(s.kind, s.count, s.first) for s in parsed.skipped] == [
        ("preamble", 2, "Transcript")]  # the title and the table's heading row, reported


def test_table_of_two_columns(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=0, cols=2)
    for name, text in [("Ana", "One."), ("Ben", "Two.")]:
        row = table.add_row().cells
        row[0].text, row[1].text = name, text
    assert timed(parse_docx(document, tmp_path)) == [("Ana", "One.", None), ("Ben", "Two.", None)]

