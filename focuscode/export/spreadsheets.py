"""CSV and formatted XLSX writers: atomic, and every text cell neutralised against formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from focuscode.domain import ExportError
from focuscode.export.files import atomic_path, neutralise
from focuscode.export.provenance import blind_notes, mark_blind

TABLE_FORMATS = ("csv", "xlsx")
# Suffixes that name a file type: a --format that disagrees with one of them is a mistake.
KNOWN_SUFFIXES = frozenset({"csv", "tsv", "xlsx", "xls", "ods", "md", "docx", "doc", "odt",
                            "html", "htm", "pdf", "json", "qdpx", "qdc", "yaml", "yml", "png",
                            "svg", "txt", "sqlite", "db"})
HEADER_FILL = "DDE4EE"
MAX_WIDTH = 70  # characters; longer text wraps
WRAP_FROM = 40  # columns whose longest cell exceeds this wrap their text


def table_format(path: Path, fmt: str | None = None,
                 formats: Sequence[str] = TABLE_FORMATS) -> str:
    """The one rule every table export follows: the format is ``--format`` or else the file
    name's suffix; when both are given they must agree, and it must be one of ``formats``."""
    suffix = Path(path).suffix.lower().lstrip(".")
    choices = ", ".join(formats)
    if fmt:
        chosen = fmt.lower().lstrip(".")
        if chosen not in formats:
            raise ExportError(f"unknown format '{fmt}'", path=str(path),
                              hint=f"use one of {choices}")
        if suffix in KNOWN_SUFFIXES and suffix != chosen:
            raise ExportError(f"--format {chosen} but the file name ends in .{suffix}",
                              path=str(path), hint=f"name it .{chosen}, or leave --format out")
        return chosen
    if suffix in formats:
        return suffix
    raise ExportError(f"unknown format '.{suffix}' (from the file name)" if suffix
                      else "cannot tell the format: the file name has no suffix",
                      path=str(path), hint=f"end the name in one of .{', .'.join(formats)}")


def write_tables(sheets: Mapping[str, object], path: Path, fmt: str | None = None, *,
                 notes: Sequence[str] = (), blind_coder: str | None = None,
                 csv_sheet: str | None = None) -> Path:
    """Write a table export, CSV or XLSX as ``table_format`` says: every sheet in a workbook,
    or one of them (``csv_sheet``, else the first) as CSV."""
    if table_format(path, fmt) == "xlsx":
        return write_xlsx(sheets, path, notes=notes, blind_coder=blind_coder)
    name = csv_sheet or next(iter(sheets))
    return write_csv(sheets[name], path, blind_coder=blind_coder)


def safe_frame(frame):  # noqa: ANN001, ANN201 - pandas.DataFrame
    """The frame with every text cell (and header) a spreadsheet would run as a formula defused."""
    safe = frame.map(neutralise)
    safe.columns = [neutralise(str(c)) for c in frame.columns]
    return safe


def write_csv(frame, path: Path, *, blind_coder: str | None = None) -> Path:  # noqa: ANN001
    """UTF-8 with a BOM, so Excel reads accents; cells neutralised. Made in blind mode for
    ``blind_coder``: a last column says so (see ``provenance``)."""
    with atomic_path(path) as temporary:
        safe_frame(mark_blind(frame, blind_coder)).to_csv(temporary, index=False,
                                                          encoding="utf-8-sig")
    return path


def write_xlsx(sheets: Mapping[str, object], path: Path, *,
               notes: Sequence[str] = (), blind_coder: str | None = None) -> Path:
    """One sheet per table: bold shaded header, frozen header row, filters, column widths,
    wrapped long text; ``notes`` go to a last sheet "About", after the blind-mode note when the
    workbook was made in blind mode for ``blind_coder``."""
    notes = [*blind_notes(blind_coder), *notes]
    import pandas as pd
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    if not sheets:
        raise ExportError("nothing to write", path=str(path))
    with atomic_path(path) as temporary:
        with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
            for name, frame in sheets.items():
                safe = safe_frame(frame)
                safe.to_excel(writer, sheet_name=_sheet_name(name), index=False)
                sheet = writer.sheets[_sheet_name(name)]
                sheet.freeze_panes = "A2"
                if len(safe.columns) and len(safe):
                    sheet.auto_filter.ref = sheet.dimensions
                for index, column in enumerate(safe.columns, start=1):
                    letter = get_column_letter(index)
                    cells = [str(column)] + ["" if v is None else str(v) for v in safe[column]]
                    longest = max((len(line) for cell in cells for line in cell.split("\n")),
                                  default=8)
                    width = min(max(longest + 2, 8), MAX_WIDTH)
                    sheet.column_dimensions[letter].width = width
                    wrap = longest > WRAP_FROM
                    for cell in sheet[letter][1:]:
                        cell.alignment = Alignment(wrap_text=wrap, vertical="top")
                for cell in sheet[1]:
                    cell.font = Font(bold=True)
                    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            if notes:
                about = pd.DataFrame({"about this workbook": [neutralise(n) for n in notes]})
                about.to_excel(writer, sheet_name="About", index=False)
                sheet = writer.sheets["About"]
                sheet.column_dimensions["A"].width = 110
                for cell in sheet["A"]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                sheet["A1"].font = Font(bold=True)
    return path


def _sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31] or "Sheet"
