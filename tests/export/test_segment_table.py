"""The tidy segment table: DataFrame columns and CSV/XLSX files read back by pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from focuscode.domain import ExportError
from focuscode.domain.views import SegmentRow
from focuscode.export.segments import SEGMENT_COLUMNS, segments_frame, write_table

ROWS = [
    SegmentRow(transcript="rt1.txt", segment_id=1, turn_index=0, speaker="Dr. Karen Holt",
               pseudonym="Physician 2", role="physician", start_char=10, end_char=28,
               start_time=12.5, text="-- we should, yes.", theme_id=3,
               theme_label="=cmd|' /C calc'!A0", coding_status="suggested"),
    SegmentRow(transcript="rt1.txt", segment_id=2, turn_index=1, speaker="Linda Okafor",
               pseudonym="Patient 3", role="patient", start_char=30, end_char=61,
               start_time=None, text="Caf\u00e9 \u201cquotes\u201d,\nand a new line", theme_id=None,
               theme_label="", coding_status="unassigned"),
    SegmentRow(transcript="rt1.txt", segment_id=3, turn_index=2, speaker="Hannah Berg",
               pseudonym="Moderator A", role="moderator", start_char=70, end_char=80,
               start_time=20.0, text="@everyone", theme_id=None, theme_label="",
               coding_status="excluded", excluded="moderator"),
]

EXPECTED_TEXT = {
    "speaker": ["Physician 2", "Patient 3", "Moderator A"],
    "text": ["'-- we should, yes.", "Caf\u00e9 \u201cquotes\u201d,\nand a new line", "'@everyone"],
    "theme_label": ["'=cmd|' /C calc'!A0", "", ""],
}


def test_segments_frame_columns_and_pseudonyms():
    frame = segments_frame(ROWS)
    assert list(frame.columns) == SEGMENT_COLUMNS
    assert frame["speaker"].tolist() == ["Physician 2", "Patient 3", "Moderator A"]
    assert str(frame["theme_id"].dtype) == "Int64"
    assert segments_frame(ROWS, real_names=True)["speaker"].tolist() == [
        "Dr. Karen Holt", "Linda Okafor", "Hannah Berg"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_table_round_trips_through_pandas_with_neutralised_cells(tmp_path, suffix):
    path = write_table(segments_frame(ROWS), tmp_path / f"segments.{suffix}")
    if suffix == "csv":
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the accents
        back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    else:
        back = pd.read_excel(path, engine="openpyxl", keep_default_na=False, dtype=str)
    assert list(back.columns) == SEGMENT_COLUMNS
    for column, values in EXPECTED_TEXT.items():
        assert back[column].tolist() == values, column
    assert back["segment_id"].tolist() == ["1", "2", "3"]
    assert back["theme_id"].tolist() == ["3", "", ""]
    assert [float(v) if v else None for v in back["start_time"]] == [12.5, None, 20.0]
    assert back["excluded"].tolist() == ["", "", "moderator"]


def test_xlsx_cells_are_text_not_formulas(tmp_path):
    import openpyxl

    path = write_table(segments_frame(ROWS), tmp_path / "segments.xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("theme_label") + 1)
    assert (cell.data_type, cell.value) == ("s", "'=cmd|' /C calc'!A0")


def test_format_from_argument_and_unknown_format(tmp_path):
    path = write_table(segments_frame(ROWS), tmp_path / "segments.data", fmt="CSV")
    assert pd.read_csv(path, encoding="utf-8-sig").shape == (3, len(SEGMENT_COLUMNS))
    with pytest.raises(ExportError, match="unknown format '.json'"):
        write_table(segments_frame(ROWS), tmp_path / "segments.json")
    assert not (tmp_path / "segments.json").exists()
    with pytest.raises(ExportError, match="--format csv but the file name ends in .xlsx"):
        write_table(segments_frame(ROWS), tmp_path / "q.xlsx", fmt="csv")  # issue 16
    assert not (tmp_path / "q.xlsx").exists()
