"""Open-ended survey answers (issue 12, item 3): one respondent a row, the answer its turn, named
columns its attributes; a missing column, an empty sheet or a formula cell is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.domain import IngestError
from focuscode.pipeline.ingest.survey import SurveyColumns, parse_survey

ANSWERS = Path(__file__).parents[2] / "fixtures" / "survey" / "answers.csv"
COLUMNS = SurveyColumns(text="answer", id="respondent", attributes=("site", "age_group"))


def test_csv_rows_become_respondents_with_attributes():
    parsed = parse_survey(ANSWERS, COLUMNS)
    assert [(t.speaker, t.text, t.line) for t in parsed.turns] == [
        ("R-001", "The nurse explained everything, I felt listened to.", 2),
        ("R-002", "Waited three hours.\nNobody told us why.", 3),
        ("R-004", "Parking was impossible and expensive.", 5)]
    assert all(parsed.text[t.start:t.end] == t.text for t in parsed.turns)
    assert {s.label: (s.role, dict(s.attributes)) for s in parsed.speakers} == {
        "R-001": ("respondent", {"site": "Leeds", "age_group": "18-34"}),
        "R-002": ("respondent", {"site": "York", "age_group": "65+"}),
        "R-004": ("respondent", {"site": "York", "age_group": "35-64"})}
    assert [(s.kind, s.line, s.count, s.first) for s in parsed.skipped] == [
        ("rows without an answer", 4, 1, "R-003")]
    assert parsed.notes == ("columns not imported: internal_note",)


def test_without_an_id_column_rows_are_numbered_respondents():
    parsed = parse_survey(ANSWERS, SurveyColumns(text="answer"))
    assert [t.speaker for t in parsed.turns] == ["answers row 2", "answers row 3",
                                                 "answers row 5"]


def test_a_missing_column_is_one_line_naming_the_columns():
    with pytest.raises(IngestError, match="no column 'text' .*respondent, site") as error:
        parse_survey(ANSWERS, SurveyColumns(text="text"))
    assert "answers.csv:1" in str(error.value)


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_xlsx_answers(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", [["id", "ward", "comment"], ["P1", "A", "Kind staff."],
                                            ["P2", "B", "Cold food."]])
    parsed = parse_survey(path, SurveyColumns(text="comment", id="id", attributes=("ward",)))
    assert [(t.speaker, t.text, t.line) for t in parsed.turns] == [
        ("P1", "Kind staff.", 2), ("P2", "Cold food.", 3)]
    assert [dict(s.attributes) for s in parsed.speakers] == [{"ward": "A"}, {"ward": "B"}]


def test_a_formula_cell_is_refused_naming_the_cell(tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", [["id", "comment"], ["P1", "Fine."],
                                            ["P2", '=HYPERLINK("http://x","click")']])
    with pytest.raises(IngestError, match=r"cell B3 of sheet 'Sheet' holds a formula") as error:
        parse_survey(path, SurveyColumns(text="comment"))
    assert "f.xlsx:3" in str(error.value)


def test_an_empty_sheet_or_file_is_one_line(tmp_path):
    with pytest.raises(IngestError, match="sheet 'Sheet' is empty"):
        parse_survey(write_xlsx(tmp_path / "e.xlsx", []), SurveyColumns(text="comment"))
    (tmp_path / "h.csv").write_text("id,comment\n", encoding="utf-8")
    with pytest.raises(IngestError, match="column names but no rows"):
        parse_survey(tmp_path / "h.csv", SurveyColumns(text="comment"))
    (tmp_path / "n.csv").write_text("id,comment\nP1,\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no answers in column 'comment'"):
        parse_survey(tmp_path / "n.csv", SurveyColumns(text="comment"))
