"""Open-ended survey answers (CSV or XLSX): one row per respondent, the answer one turn of its
respondent, other named columns the respondent's attributes (so ``compare --by`` works on them).

CSV goes through pandas, XLSX through openpyxl (a formula cell is refused: its value is not in
the file as the respondent wrote it). The canonical text is one ``respondent: answer`` line per
row; rows without an answer and columns not imported are reported.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from focuscode.domain import IngestError, ParsedTranscript, SkippedLines, Speaker, Turn
from focuscode.domain.archives import ArchiveKind, check_zip
from focuscode.pipeline.ingest.decode import decode_text, read_bytes

SURVEY_FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
RESPONDENT_ROLE = "respondent"
WORKBOOK = ArchiveKind(noun="workbook", program="Excel", suffix=".xlsx",
                       contents="survey answers")


@dataclass(frozen=True)
class SurveyColumns:
    """Which column holds the answer, which the respondent, which become attributes."""

    text: str
    id: str | None = None
    attributes: tuple[str, ...] = ()


def parse_survey(path: Path, columns: SurveyColumns, *, encoding: str | None = None,
                 name: str | None = None) -> ParsedTranscript:
    """One transcript of every answer in the file; ``IngestError`` names file, row and cure."""
    fmt = SURVEY_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(f"survey answers must be .csv or .xlsx, not '{path.suffix}'",
                          path=str(path), hint="save the answers as CSV or XLSX")
    data = read_bytes(path)
    header, rows = _xlsx_rows(data, str(path)) if fmt == "xlsx" else _csv_rows(
        data, path, encoding)
    wanted = [columns.text, *([columns.id] if columns.id else []), *columns.attributes]
    missing = [column for column in wanted if column not in header]
    if missing:
        raise IngestError(f"no column {missing[0]!r} (the columns are: "
                          f"{', '.join(map(str, header))})", path=str(path), line=1,
                          hint="name the columns as in the first row: --text-column, "
                               "--id-column, --attributes")
    index = {column: header.index(column) for column in wanted}
    parts: list[str] = []
    turns: list[Turn] = []
    speakers: dict[str, Speaker] = {}
    empty: list[tuple[int, str]] = []
    offset = 0
    for number, row in rows:
        answer = _cell(row, index[columns.text]).strip()
        label = " ".join(_cell(row, index[columns.id]).split()) if columns.id else ""
        label = label or f"{path.stem} row {number}"
        if not answer:
            empty.append((number, label))
            continue
        if label not in speakers:
            speakers[label] = Speaker(label=label, role=RESPONDENT_ROLE, attributes={
                column: _cell(row, index[column]).strip() for column in columns.attributes})
        prefix = f"{label}: "
        start = offset + len(prefix)
        turns.append(Turn(index=len(turns), speaker=label, start=start, end=start + len(answer),
                          text=answer, line=number))
        parts.append(prefix + answer + "\n")
        offset = start + len(answer) + 1
    if not turns:
        raise IngestError(f"no answers in column {columns.text!r}", path=str(path),
                          line=rows[0][0] if rows else 1,
                          hint="check --text-column names the column of answers")
    skipped = (SkippedLines(kind="rows without an answer", line=empty[0][0], count=len(empty),
                            first=empty[0][1]),) if empty else ()
    unused = [str(column) for column in header if column not in wanted and str(column).strip()]
    notes = (f"columns not imported: {', '.join(unused)}",) if unused else ()
    return ParsedTranscript(name=name or path.name, source_path=str(path), format=fmt,
                            text="".join(parts), turns=tuple(turns),
                            source_sha256=hashlib.sha256(data).hexdigest(),
                            encoding="xlsx" if fmt == "xlsx" else "utf-8", skipped=skipped,
                            speakers=tuple(speakers.values()), notes=notes)


def _cell(row: Sequence[object], index: int) -> str:
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value)


def _csv_rows(data: bytes, path: Path, encoding: str | None
              ) -> tuple[list[str], list[tuple[int, list[object]]]]:
    import pandas as pd

    text = decode_text(data, path, encoding).text
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        raise IngestError("the file is empty", path=str(path), line=1,
                          hint="export the answers again, with a first row of column names") \
            from None
    except pd.errors.ParserError as error:
        raise IngestError(f"not a readable CSV ({str(error).strip().splitlines()[-1]})",
                          path=str(path), hint="check the quotes; save it again from the "
                                               "spreadsheet as CSV") from None
    header = [str(column).strip() for column in frame.columns]
    if frame.empty:
        raise IngestError("the file has column names but no rows", path=str(path), line=2,
                          hint="export the answers again")
    return header, [(number + 2, list(row)) for number, row in
                    enumerate(frame.itertuples(index=False, name=None))]


def _xlsx_rows(data: bytes, path: str) -> tuple[list[str], list[tuple[int, list[object]]]]:
    check_zip(data, path, WORKBOOK)
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl fails on damaged parts in many ways
        raise IngestError(f"not a readable Excel workbook ({type(error).__name__})", path=path,
                          hint="open it in Excel and save it again as .xlsx") from None
    sheet = workbook.worksheets[0]
    header: list[str] | None = None
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
        values = []
        for column, cell in enumerate(cells, start=1):
            if getattr(cell, "data_type", None) == "f":
                raise IngestError(f"cell {get_column_letter(column)}{number} of sheet "
                                  f"'{sheet.title}' holds a formula ({str(cell.value)[:40]}), "
                                  "not an answer", path=path, line=number,
                                  hint="replace formulas by their values (copy, paste "
                                       "special: values) and save")
            values.append(cell.value)
        if header is None:
            if any(value not in (None, "") for value in values):
                header = ["" if value is None else str(value).strip() for value in values]
            continue
        if any(value not in (None, "") for value in values):
            rows.append((number, values))
    workbook.close()
    if header is None or not rows:
        raise IngestError(f"sheet '{sheet.title}' is empty" if header is None else
                          f"sheet '{sheet.title}' has column names but no rows", path=path,
                          line=1, hint="put the answers in the first sheet, one row each, "
                                       "under a row of column names")
    return header, rows
