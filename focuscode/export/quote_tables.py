"""Theme-quote tables (CSV, XLSX, Markdown, DOCX), the tidy code x quote table and the 0/1
segment x code matrix. Speakers appear as pseudonyms unless ``real_names``."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from focuscode.domain.counting import (
    bases,
    basis_counts,
    coded_segments,
    eligible_segments,
    outline,
    roles,
)
from focuscode.domain.reports import (
    BASIS_LABELS,
    BY_CODEBOOK,
    BY_THEME,
    SUGGESTED,
    ReportData,
    reader_date,
)
from focuscode.export.documents import landscape_document
from focuscode.export.files import atomic_path
from focuscode.export.provenance import blind_notes, mark_deidentified
from focuscode.export.quotes import check_fidelity, citation, format_time
from focuscode.export.spreadsheets import table_format, write_csv, write_tables, write_xlsx

FORMATS = ("csv", "xlsx", "md", "docx")
STATUS_LABELS = {"accepted": "code", "suggested": "suggested theme"}
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def theme_quotes_frame(data: ReportData, *, real_names: bool = False):  # noqa: ANN201
    """One row per code: status, definition, keywords, segments and distinct speakers per role,
    each role's share of the code's segments, and its quotes with their citations."""
    import pandas as pd

    segments = {s.segment_id: s for s in data.segments}
    coded = coded_segments(data)
    counted = basis_counts(data)
    role_names = roles(data)
    quotes = _quotes_by_code(data)
    n_quote_columns = max((len(q) for q in quotes.values()), default=0)
    records = []
    for code in data.codes:
        ids = coded[code.key]
        by_role = Counter(segments[i].role for i in ids)
        speakers_by_role: dict[str, set[str]] = defaultdict(set)
        for i in ids:
            speakers_by_role[segments[i].role].add(segments[i].speaker)
        record = {"code_key": code.key, "code": code.name, "status": STATUS_LABELS[code.status],
                  "definition": code.definition,
                  "keywords": ", ".join(data.shown_keywords(code.keywords)),
                  "n_segments": len(ids), **_basis_columns(counted[code.key]),
                  "n_speakers": len({segments[i].speaker for i in ids})}
        for role in role_names:
            record[f"segments_{role}"] = by_role.get(role, 0)
            record[f"speakers_{role}"] = len(speakers_by_role.get(role, ()))
            record[f"share_{role}"] = round(by_role.get(role, 0) / len(ids), 3) if ids else 0.0
        for rank in range(1, n_quote_columns + 1):
            quote = quotes[code.key][rank - 1] if rank <= len(quotes[code.key]) else None
            record[f"quote_{rank}"] = (
                f"“{data.shown(quote[0].text)}” — {citation(quote[1], real_names=real_names)}"
                if quote else "")
        records.append(record)
    return pd.DataFrame.from_records(records, columns=_theme_columns(role_names,
                                                                     n_quote_columns))


BASIS_COLUMNS = ("n_confirmed", "n_suggested_by_theme", "n_suggested_by_codebook")


def _basis_columns(counts: dict[str, int]) -> dict[str, int]:
    """The counted segments by basis, as columns."""
    return {"n_confirmed": counts.get("confirmed", 0),
            "n_suggested_by_theme": counts.get(BY_THEME, 0),
            "n_suggested_by_codebook": counts.get(BY_CODEBOOK, 0)}


def _theme_columns(role_names: list[str], n_quotes: int) -> list[str]:
    columns = ["code_key", "code", "status", "definition", "keywords", "n_segments",
               *BASIS_COLUMNS, "n_speakers"]
    for role in role_names:
        columns += [f"segments_{role}", f"speakers_{role}", f"share_{role}"]
    return columns + [f"quote_{rank}" for rank in range(1, n_quotes + 1)]


def quotes_long_frame(data: ReportData, *, real_names: bool = False):  # noqa: ANN201
    """The tidy table: one row per code x quote, with its speaker, role, place and offsets."""
    import pandas as pd

    basis = bases(data)
    quotes = _quotes_by_code(data)
    records = []
    for code in data.codes:
        for quote, segment in quotes[code.key]:
            records.append({
                "code_key": code.key, "code": code.name, "status": STATUS_LABELS[code.status],
                "quote_rank": quote.rank, "quote_source": quote.source,
                "text": data.shown(quote.text),
                "speaker": segment.who(real_names), "role": segment.role,
                "transcript": segment.transcript, "start_time": format_time(segment.start_time),
                "start_char": quote.start_char, "end_char": quote.end_char,
                "segment_id": quote.segment_id,
                "coding_status": coding_label(basis[code.key].get(quote.segment_id))})
    columns = ["code_key", "code", "status", "quote_rank", "quote_source", "text", "speaker",
               "role", "transcript", "start_time", "start_char", "end_char", "segment_id",
               "coding_status"]
    return pd.DataFrame.from_records(records, columns=columns)


def code_matrix_frame(data: ReportData, *, real_names: bool = False,
                      confirmed_only: bool = False):  # noqa: ANN201
    """Wide 0/1 matrix: one row per segment that could carry a code, one column per code
    (suggested themes are headed ``name [suggested]``)."""
    import pandas as pd

    coded = coded_segments(data, confirmed_only=confirmed_only)
    headers = matrix_headers(data)
    records = []
    for segment in eligible_segments(data):
        record = {"segment_id": segment.segment_id, "transcript": segment.transcript,
                  "speaker": segment.who(real_names), "role": segment.role,
                  "start_char": segment.start_char, "end_char": segment.end_char,
                  "n_words": segment.n_words}
        for code in data.codes:
            record[headers[code.key]] = int(segment.segment_id in coded[code.key])
        records.append(record)
    columns = ["segment_id", "transcript", "speaker", "role", "start_char", "end_char",
               "n_words", *headers.values()]
    return pd.DataFrame.from_records(records, columns=columns)


def coding_label(basis: str | None) -> str:
    """How a table names why a segment counts: confirmed, suggested by theme or by codebook
    ("" for a picked quote whose segment no longer counts)."""
    return BASIS_LABELS.get(basis or "", "")


def suggestion_mark(basis: str | None) -> str:
    """What follows a quote's citation when its segment is a suggestion nobody confirmed:
    " [suggested by codebook]"; nothing for a confirmed one."""
    label = coding_label(basis)
    return f" [{label}]" if label and basis != "confirmed" else ""


def matrix_headers(data: ReportData) -> dict[str, str]:
    """Code key -> a unique column header."""
    headers: dict[str, str] = {}
    seen: set[str] = set()
    for code in data.codes:
        header = code.name + (" [suggested]" if code.status == SUGGESTED else "")
        if header in seen:
            header = f"{header} ({code.key})"
        seen.add(header)
        headers[code.key] = header
    return headers


def _quotes_by_code(data: ReportData) -> dict[str, list[tuple]]:
    segments = {s.segment_id: s for s in data.segments}
    result: dict[str, list[tuple]] = {code.key: [] for code in data.codes}
    for quote in sorted(data.quotes, key=lambda q: (q.code_key, q.rank)):
        if quote.code_key in result:
            result[quote.code_key].append((quote, segments[quote.segment_id]))
    return result


def notes(data: ReportData, *, real_names: bool = False) -> list[str]:
    """What a reader of any export must know about it."""
    suggestion = ("focuscode suggests quotes for codes without picked ones: the segments most "
                  "typical of the code (confirmed ones first), at least 8 words long, every role "
                  "represented and as many different speakers as possible (quote_source "
                  "'suggested').")
    picked = {"selected": "Quotes were picked by the researchers.",
              "mixed": "Quotes were picked by the researchers where they picked any (quote_source "
                       "'selected'); " + suggestion[0].lower() + suggestion[1:]
              }.get(data.quote_source, suggestion)
    return [
        f"Project: {data.project}. Generated {reader_date(data.generated_at)} by focuscode.",
        "Codes: 'code' rows are in the codebook (accepted by a researcher); 'suggested theme' "
        "rows are themes of the latest analysis nobody has reviewed yet.",
        "A segment counts for a code when a researcher confirmed it, or when the analysis (its "
        "theme) or the codebook suggestions proposed it and no researcher rejected it; "
        "n_confirmed, n_suggested_by_theme and n_suggested_by_codebook count each kind, and "
        "every quote says which it is (coding_status).",
        picked,
        "Every quote is verbatim: it was checked against the transcript at its character offsets "
        "when this file was written.",
        names_note(data, real_names=real_names),
        "Cells starting with =, +, -, @, tab or carriage return are prefixed with an apostrophe "
        "so spreadsheets do not run them as formulas.",
    ]


def names_note(data: ReportData, *, real_names: bool = False) -> str:
    """Whether the file is de-identified, and how."""
    if data.deidentified and not real_names:
        return ("De-identified: speakers appear under pseudonyms, and people's names inside "
                "quotes (speakers' names and aliases, the speakers file's redact list and the "
                "names confirmed with 'focuscode names') are replaced by the speaker's pseudonym "
                "or [name]. Offsets refer to the verbatim transcript: quotes were checked "
                "against it before the names were replaced.")
    if real_names:
        return "Speakers appear under their real names and quotes are verbatim (--real-names)."
    return ("Speakers appear under pseudonyms; names mentioned inside quotes are verbatim and "
            "not redacted.")


# writers --------------------------------------------------------------------------------------
def write_quotes(data: ReportData, path: Path, *, fmt: str | None = None,
                 real_names: bool = False, long: bool = False) -> Path:
    """The theme-quote table as CSV (``long``: the tidy table), XLSX (both tables, formatted),
    Markdown or DOCX. Quotes are checked against the source first."""
    fmt = table_format(path, fmt, FORMATS)
    check_fidelity(data)
    if fmt == "csv":
        frame = (quotes_long_frame if long else theme_quotes_frame)(data, real_names=real_names)
        return write_csv(mark_deidentified(frame, data.deidentified and not real_names), path,
                         blind_coder=data.blind_coder)
    if fmt == "xlsx":
        return write_xlsx({"Themes": theme_quotes_frame(data, real_names=real_names),
                           "Quotes": quotes_long_frame(data, real_names=real_names),
                           "Codebook": codebook_frame(data)}, path,
                          notes=notes(data, real_names=real_names),
                          blind_coder=data.blind_coder)
    if fmt == "md":
        text = to_markdown(data, real_names=real_names)
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
        return path
    return write_docx(data, path, real_names=real_names)


def write_matrix(data: ReportData, path: Path, *, real_names: bool = False,
                 confirmed_only: bool = False) -> Path:
    check_fidelity(data)
    frame = code_matrix_frame(data, real_names=real_names, confirmed_only=confirmed_only)
    return write_tables({"Matrix": frame, "Codebook": codebook_frame(data)}, path,
                        notes=notes(data, real_names=real_names), blind_coder=data.blind_coder)


def codebook_frame(data: ReportData):  # noqa: ANN201
    import pandas as pd

    headers = matrix_headers(data)
    counted = basis_counts(data)
    return pd.DataFrame.from_records(
        [{"code_key": c.key, "code": c.name, "status": STATUS_LABELS[c.status],
          "matrix_column": headers[c.key], "definition": c.definition, "include": c.include,
          "exclude": c.exclude, "keywords": ", ".join(data.shown_keywords(c.keywords)),
          "parent": c.parent or "", "stability": c.stability,
          **_basis_columns(counted[c.key])}
         for c in data.codes],
        columns=["code_key", "code", "status", "matrix_column", "definition", "include",
                 "exclude", "keywords", "parent", "stability", *BASIS_COLUMNS])


def md_escape(text: str) -> str:
    """Text shown literally by Markdown renderers (no markup, no raw HTML), on one line."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def to_markdown(data: ReportData, *, real_names: bool = False) -> str:
    frame = theme_quotes_frame(data, real_names=real_names)
    role_names = roles(data)
    lines = [f"# Themes and quotes: {md_escape(data.project)}", ""]
    lines += [f"- {md_escape(note)}" for note in [*blind_notes(data.blind_coder),
                                                  *notes(data, real_names=real_names)[1:6]]]
    lines += ["", "| Code | Status | Segments | Confirmed / suggested by theme / by codebook "
              "| Speakers | "
              + " | ".join(f"{md_escape(r)} (segments / speakers)" for r in role_names) + " |",
              "|---|---|---:|---:|---:|" + "---:|" * len(role_names)]
    # Not itertuples(): it renames columns that are not identifiers ("segments_family member").
    for row in frame.to_dict("records"):
        kinds = " / ".join(str(row[c]) for c in BASIS_COLUMNS)
        lines.append(f"| {md_escape(row['code'])} | {row['status']} | {row['n_segments']} | "
                     f"{kinds} | {row['n_speakers']} | " + " | ".join(
                         f"{row[f'segments_{r}']} / {row[f'speakers_{r}']}"
                         for r in role_names) + " |")
    quotes = _quotes_by_code(data)
    basis = bases(data)
    shown, empty = outline(data)
    coded = coded_segments(data)
    number = 0
    for code, heading in shown:
        if heading:
            lines += ["", f"## {md_escape(code.name)}", ""]
            if not coded[code.key]:
                continue
        number += 1
        status = " *(suggested theme, not reviewed)*" if code.status == SUGGESTED else ""
        lines += ["", f"### {number}. {md_escape(code.name)}{status}", ""]
        if code.definition:
            lines += [md_escape(code.definition), ""]
        if code.keywords:
            lines += [f"Keywords: {md_escape(', '.join(data.shown_keywords(code.keywords)))}", ""]
        for quote, segment in quotes[code.key]:
            lines += [f"> “{md_escape(data.shown(quote.text))}”  ",
                      f"> — {md_escape(citation(segment, real_names=real_names))}"
                      + md_escape(suggestion_mark(basis[code.key].get(quote.segment_id))), ""]
        if not quotes[code.key]:
            lines += ["*No whole quote of at least 8 words yet.*", ""]
    if empty:
        lines += ["", "Codes with no coded segment yet: "
                  + md_escape("; ".join(c.name for c in empty)) + "."]
    return "\n".join(lines).rstrip() + "\n"


def write_docx(data: ReportData, path: Path, *, real_names: bool = False) -> Path:
    """A landscape document with one table a reviewer can paste into a report."""
    document = landscape_document(margin_cm=1.8, font_pt=9.5,
                                  title=f"Themes and quotes: {data.project}")
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    for note in [*blind_notes(data.blind_coder), *notes(data, real_names=real_names)[1:6]]:
        document.add_paragraph(note, style="List Bullet")
    frame = theme_quotes_frame(data, real_names=real_names)
    role_names = roles(data)
    quotes = _quotes_by_code(data)
    basis = bases(data)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, ("Theme", "Segments (speakers) by role",
                                                  "Quotes")):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    records = dict(zip(frame["code_key"], frame.to_dict("records")))
    shown, empty = outline(data)
    for code, heading in shown:
        row = records[code.key]
        if heading:
            title = table.add_row().cells
            merged = title[0].merge(title[2])
            merged.text = ""
            merged.paragraphs[0].add_run(code.name.upper()).bold = True
            if not row["n_segments"]:
                continue
        cells = table.add_row().cells
        name = cells[0].paragraphs[0]
        name.add_run(code.name).bold = True
        if code.status == SUGGESTED:
            cells[0].add_paragraph().add_run("suggested theme, not reviewed").italic = True
        if code.definition:
            cells[0].add_paragraph(code.definition)
        if code.keywords:
            words = ", ".join(data.shown_keywords(code.keywords)[:6])
            cells[0].add_paragraph().add_run(words).italic = True
        cells[1].text = (f"{row['n_segments']} segments, {row['n_speakers']} speakers; "
                         f"{row['n_confirmed']} confirmed, {row['n_suggested_by_theme']} "
                         f"suggested by theme, {row['n_suggested_by_codebook']} by codebook")
        for role in role_names:
            cells[1].add_paragraph(f"{role}: {row[f'segments_{role}']} "
                                   f"({row[f'speakers_{role}']})")
        cells[2].text = ""
        for i, (quote, segment) in enumerate(quotes[code.key]):
            paragraph = cells[2].paragraphs[0] if i == 0 else cells[2].add_paragraph()
            paragraph.add_run(f"“{data.shown(quote.text)}”").italic = True
            paragraph.add_run(f" — {citation(segment, real_names=real_names)}")
            mark = suggestion_mark(basis[code.key].get(quote.segment_id))
            if mark:
                paragraph.add_run(mark).italic = True
    widths = (Cm(6.0), Cm(4.5), Cm(15.5))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    if empty:
        document.add_paragraph("Codes with no coded segment yet: "
                               + "; ".join(c.name for c in empty) + ".")
    with atomic_path(path) as temporary:
        document.save(str(temporary))
    return path

