"""The Framework Method's chart (a "framework matrix", as NVivo calls it): one row per speaker
(or per role or transcript), one column per code, each cell that row's coded segments, quoted
(de-identified unless real names) with their references. XLSX (one sheet) and DOCX (one chart
per parent code, its child codes as columns, as Framework charts are drawn), and a table of the
HTML report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from focuscode.domain import ConfigError, ExportError
from focuscode.domain.counting import bases, eligible_segments
from focuscode.domain.reports import ReportCode, ReportData, ReportSegment
from focuscode.export.documents import landscape_document
from focuscode.export.files import atomic_path
from focuscode.export.provenance import blind_notes
from focuscode.export.quotes import check_fidelity, format_time
from focuscode.export.spreadsheets import write_xlsx

BY = ("speaker", "role", "transcript")
CHART_COLUMNS = 4  # codes per DOCX chart: readable on a landscape A4 page


@dataclass(frozen=True)
class FrameworkCell:
    """One row's coded segments for one code."""

    quotes: tuple[tuple[str, str], ...]  # (text as shown, reference)

    def text(self) -> str:
        return "\n\n".join(f"“{quote}” ({reference})" for quote, reference in self.quotes)


@dataclass(frozen=True)
class Framework:
    by: str
    rows: tuple[str, ...]  # speakers (pseudonyms unless real names) or groups
    codes: tuple[ReportCode, ...]  # codes with a coded segment, in codebook-tree order
    cells: dict  # (row, code key) -> FrameworkCell
    charts: tuple[tuple[str, tuple[ReportCode, ...]], ...]  # (heading, its codes)


def row_of(by: str, *, real_names: bool) -> Callable[[ReportSegment], str]:
    if by not in BY:
        raise ConfigError(f"a framework matrix has one row per speaker, role or transcript, "
                          f"not '{by}'", hint=f"use --by {' | '.join(BY)}")
    if by == "speaker":
        return lambda s: s.who(real_names)
    if by == "role":
        return lambda s: s.role
    return lambda s: s.transcript


def reference(segment: ReportSegment, *, real_names: bool, by: str) -> str:
    """Where a quote is: who (unless the row says it), transcript, time, segment."""
    parts = [] if by == "speaker" else [segment.who(real_names)]
    parts.append(segment.transcript)
    if segment.start_time is not None:
        parts.append(format_time(segment.start_time))
    parts.append(f"segment {segment.segment_id}")
    return ", ".join(parts)


def framework(data: ReportData, *, by: str = "speaker", real_names: bool = False) -> Framework:
    """The chart: rows in order of first words spoken, codes in codebook-tree order (those no
    row carries left out), cells in transcript order."""
    check_fidelity(data)
    row = row_of(by, real_names=real_names)
    counted = bases(data)
    segments = eligible_segments(data)
    rows = list(dict.fromkeys(row(s) for s in segments if s.excluded is None))
    cells: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for code in data.codes:
        ids = counted.get(code.key, {})
        for segment in segments:
            if segment.segment_id in ids:
                cells[(row(segment), code.key)].append(
                    (data.shown(segment.text), reference(segment, real_names=real_names, by=by)))
    codes = tuple(c for c in data.codes if any((r, c.key) in cells for r in rows))
    by_parent: dict[str, list[ReportCode]] = defaultdict(list)
    for code in codes:
        by_parent[code.parent or ""].append(code)
    charts = []
    for parent, members in by_parent.items():
        for start in range(0, len(members), CHART_COLUMNS):
            part = tuple(members[start:start + CHART_COLUMNS])
            heading = parent or "Codes"
            if len(members) > CHART_COLUMNS:
                heading += f" ({start // CHART_COLUMNS + 1})"
            charts.append((heading, part))
    return Framework(by=by, rows=tuple(rows), codes=codes,
                     cells={k: FrameworkCell(tuple(v)) for k, v in cells.items()},
                     charts=tuple(charts))


def framework_frame(chart: Framework):  # noqa: ANN201 - pandas.DataFrame
    """Rows x codes, each cell the quotes with their references."""
    import pandas as pd

    empty = FrameworkCell(())
    return pd.DataFrame(
        [[r, *(chart.cells.get((r, c.key), empty).text() for c in chart.codes)]
         for r in chart.rows], columns=[chart.by, *(c.name for c in chart.codes)])


def framework_notes(data: ReportData, chart: Framework, *, real_names: bool) -> list[str]:
    from focuscode.export.quote_tables import names_note

    return [*blind_notes(data.blind_coder),
            f"Framework matrix of project {data.project}: one row per {chart.by}, one column "
            "per code (codes no row carries are left out), each cell that row's coded segments "
            "with their references (speaker, transcript, time, segment id).",
            "A segment counts when a researcher confirmed it, or the analysis or the codebook "
            "suggested it and nobody rejected it.",
            names_note(data, real_names=real_names)]


def write_framework(data: ReportData, path: Path, *, by: str = "speaker",
                    real_names: bool = False) -> Path:
    """``.xlsx`` (one sheet, wrapped cells) or ``.docx`` (one chart per parent code)."""
    chart = framework(data, by=by, real_names=real_names)
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "xlsx":
        return write_xlsx({"Framework": framework_frame(chart)}, path,
                          notes=framework_notes(data, chart, real_names=real_names),
                          blind_coder=data.blind_coder)
    if fmt == "docx":
        return _write_docx(data, chart, path, real_names=real_names)
    raise ExportError(f"unknown format '{fmt or path.name}'", path=str(path),
                      hint="a framework matrix is written as .xlsx or .docx")


def _write_docx(data: ReportData, chart: Framework, path: Path, *, real_names: bool) -> Path:
    document = landscape_document(margin_cm=1.5, font_pt=8.5,
                                  title=f"Framework matrix: {data.project}")
    for note in framework_notes(data, chart, real_names=real_names):
        document.add_paragraph(note, style="List Bullet")
    empty = FrameworkCell(())
    for heading, codes in chart.charts:
        document.add_heading(heading, level=2)
        table = document.add_table(rows=1, cols=len(codes) + 1)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, [chart.by.capitalize(),
                                                      *(c.name for c in codes)]):
            cell.text = ""
            cell.paragraphs[0].add_run(title).bold = True
        for name in chart.rows:
            found = [chart.cells.get((name, c.key), empty) for c in codes]
            if not any(cell.quotes for cell in found):
                continue
            cells = table.add_row().cells
            cells[0].text = name
            for target, cell in zip(cells[1:], found):
                target.text = ""
                for i, (quote, where) in enumerate(cell.quotes):
                    paragraph = target.paragraphs[0] if i == 0 else target.add_paragraph()
                    paragraph.add_run(f"“{quote}”").italic = True
                    paragraph.add_run(f" ({where})")
    with atomic_path(path) as temporary:
        document.save(str(temporary))
    return path


def framework_html(chart: Framework, *, per_cell: int = 2) -> str:
    """The charts as HTML tables (for the report), one per parent code; at most ``per_cell``
    quotes a cell, with how many more the full export has."""
    from html import escape

    empty = FrameworkCell(())
    parts = []
    for heading, codes in chart.charts:
        head = "".join(f"<th>{escape(c.name)}</th>" for c in codes)
        rows = []
        for name in chart.rows:
            found = [chart.cells.get((name, c.key), empty) for c in codes]
            if not any(cell.quotes for cell in found):
                continue
            cells = "".join(
                "<td>" + "".join(f"<p>“{escape(q)}” <span class=\"muted\">({escape(w)})</span>"
                                 "</p>" for q, w in cell.quotes[:per_cell])
                + (f'<p class="muted">+{len(cell.quotes) - per_cell} more</p>'
                   if len(cell.quotes) > per_cell else "") + "</td>" for cell in found)
            rows.append(f"<tr><th>{escape(name)}</th>{cells}</tr>")
        parts.append(f"<h3>{escape(heading)}</h3><table class=\"framework\"><thead><tr>"
                     f"<th>{escape(chart.by)}</th>{head}</tr></thead><tbody>{''.join(rows)}"
                     "</tbody></table>")
    return "".join(parts)
