"""Theme-quote tables: numbers agree, quotes are verbatim, every format opens, nothing leaks."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from focuscode.domain import ExportError
from focuscode.export.quote_tables import (
    code_matrix_frame,
    matrix_headers,
    quotes_long_frame,
    theme_quotes_frame,
    to_markdown,
    write_quotes,
)
from focuscode.export.quotes import format_time

ROLES = ("patient", "physician", "caregiver")


def test_one_row_per_code_with_accepted_codes_first(report_data) -> None:
    frame = theme_quotes_frame(report_data)
    assert list(frame["code_key"]) == [c.key for c in report_data.codes]
    assert list(frame["code"][:2]) == ["Who coordinates care", "Physicians want data"]
    assert list(frame["status"][:2]) == ["code", "code"]
    assert set(frame["status"][2:]) == {"suggested theme"}


def test_counts_agree_with_the_matrix_and_the_project(reviewed, report_data) -> None:
    frame = theme_quotes_frame(report_data).set_index("code_key")
    matrix = code_matrix_frame(report_data)
    headers = matrix_headers(report_data)
    for code in report_data.codes:
        column = matrix[headers[code.key]]
        assert frame.loc[code.key, "n_segments"] == column.sum()
        for role in ROLES:
            assert frame.loc[code.key, f"segments_{role}"] == column[matrix["role"] == role].sum()
        assert sum(frame.loc[code.key, f"segments_{r}"] for r in ROLES) == column.sum()
    # suggested themes count their members, as the themes overview does
    summaries = {t.theme_id: t for t in reviewed.themes() if t.theme_id is not None}
    for code in report_data.codes:
        if code.status == "suggested":
            assert frame.loc[code.key, "n_segments"] == summaries[code.theme_id].n_segments


def test_a_rejected_segment_is_not_counted_and_confirmed_ones_are(reviewed, report_data) -> None:
    accepted = report_data.codes[0]
    rows = [r for r in reviewed.segment_rows() if r.theme_id == accepted.theme_id]
    rejected = {r.segment_id for r in rows if r.coding_status == "rejected"}
    confirmed = {r.segment_id for r in rows if r.coding_status == "confirmed"}
    assert len(rejected) == 1 and len(confirmed) == 3
    frame = theme_quotes_frame(report_data).set_index("code_key")
    assert frame.loc[accepted.key, "n_segments"] == len(rows) - 1
    assert frame.loc[accepted.key, "n_confirmed"] == 3
    matrix = code_matrix_frame(report_data, confirmed_only=True)
    column = matrix_headers(report_data)[accepted.key]
    assert set(matrix.loc[matrix[column] == 1, "segment_id"]) == confirmed


def test_every_quote_equals_the_source_at_its_offsets(report_data) -> None:
    texts = {t.name: t.text for t in report_data.transcripts}
    frame = quotes_long_frame(report_data)
    assert len(frame) >= len(report_data.codes)
    for row in frame.itertuples():  # the source at the offsets, de-identified (by default)
        assert report_data.shown(texts[row.transcript][row.start_char:row.end_char]) == row.text


def test_quotes_are_whole_sentences_from_both_roles_and_pseudonymised(report_data) -> None:
    frame = quotes_long_frame(report_data)
    assert (frame["text"].str.split().str.len() >= 8).all()
    real = {s.label for s in report_data.speakers}
    assert not set(frame["speaker"]) & real
    mixed = frame[frame["code"] == "Who coordinates care"]
    assert {"patient", "physician"} <= set(mixed["role"])
    assert mixed["speaker"].is_unique
    wide = theme_quotes_frame(report_data)
    assert all(name not in cell for cell in wide["quote_1"] for name in real)
    named = quotes_long_frame(report_data, real_names=True)
    assert set(named["speaker"]) <= real


def test_xlsx_is_formatted_with_one_sheet_per_table(report_data, tmp_path) -> None:
    from openpyxl import load_workbook

    path = write_quotes(report_data, tmp_path / "quotes.xlsx")
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Themes", "Quotes", "Codebook", "About"]
    sheet = workbook["Themes"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["code_key", "code", "status"]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    quote_column = sheet.cell(row=1, column=header.index("quote_1") + 1).column_letter
    assert sheet[f"{quote_column}2"].alignment.wrap_text
    assert sheet.column_dimensions[quote_column].width == 70
    assert sheet.max_row == len(report_data.codes) + 1
    quotes = workbook["Quotes"]
    assert quotes.max_row == len(report_data.quotes) + 1


def test_docx_has_one_table_row_per_code(report_data, tmp_path) -> None:
    import docx

    path = write_quotes(report_data, tmp_path / "quotes.docx")
    document = docx.Document(str(path))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Theme", "Segments (speakers) by role",
                                                     "Quotes"]
    assert len(table.rows) == len(report_data.codes) + 1
    for code, row in zip(report_data.codes, table.rows[1:]):
        assert row.cells[0].text.startswith(code.name)
        assert ("suggested theme" in row.cells[0].text) == (code.status == "suggested")
    first_quote = next(q for q in report_data.quotes if q.code_key == report_data.codes[0].key)
    assert f"“{report_data.shown(first_quote.text)}”" in table.rows[1].cells[2].text


def test_markdown_lists_every_code_and_escapes_markup(report_data, tmp_path) -> None:
    path = write_quotes(report_data, tmp_path / "quotes.md")
    text = path.read_text(encoding="utf-8")
    for number, code in enumerate(report_data.codes, start=1):
        assert f"## {number}. " in text
    assert "*(suggested theme, not reviewed)*" in text
    evil = dataclasses.replace(report_data, codes=(dataclasses.replace(
        report_data.codes[0], name="a | b <script>"),) + report_data.codes[1:])
    rendered = to_markdown(evil)
    assert "a \\| b \\<script\\>" in rendered and "<script>" not in rendered


def test_csv_long_table(report_data, tmp_path) -> None:
    path = write_quotes(report_data, tmp_path / "quotes.csv", long=True)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(report_data.quotes)
    assert {"code", "quote_rank", "text", "speaker", "role", "transcript", "start_time",
            "start_char", "end_char"} <= set(rows[0])


def test_a_quote_that_no_longer_matches_its_source_stops_the_export(report_data, tmp_path) -> None:
    quote = report_data.quotes[0]
    damaged = dataclasses.replace(report_data, quotes=(
        dataclasses.replace(quote, text=quote.text + " (edited)"),) + report_data.quotes[1:])
    for fmt in ("csv", "xlsx", "md", "docx"):
        with pytest.raises(ExportError, match="does not match the source"):
            write_quotes(damaged, tmp_path / f"quotes.{fmt}")
        assert not (tmp_path / f"quotes.{fmt}").exists()


def test_formula_like_cells_are_neutralised(reviewed_copy, tmp_path) -> None:
    from openpyxl import load_workbook

    theme = next(t for t in reviewed_copy.themes() if t.status == "suggested")
    reviewed_copy.accept_theme(theme.theme_id, name='=HYPERLINK("http://x.test","click")')
    reports = reviewed_copy.reports
    csv_path = reports.export_quotes(tmp_path / "quotes.csv")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        names = [row["code"] for row in csv.DictReader(handle)]
    assert "'=HYPERLINK(\"http://x.test\",\"click\")" in names
    workbook = load_workbook(reports.export_quotes(tmp_path / "quotes.xlsx"))
    cells = [c for row in workbook["Themes"].iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.value.startswith("'=") and c.data_type == "s" for c in cells)
    matrix = load_workbook(reports.export_matrix(tmp_path / "matrix.xlsx"))["Matrix"]
    assert any(str(c.value).startswith("'=HYPERLINK") for c in matrix[1])


def test_unknown_format_is_refused(report_data, tmp_path) -> None:
    with pytest.raises(ExportError, match="unknown format"):
        write_quotes(report_data, tmp_path / "quotes.pdf")


def test_format_time() -> None:
    assert format_time(None) == ""
    assert format_time(3725.4) == "01:02:05"
