"""Word (.docx) transcripts: one paragraph per turn, the speaker as a prefix (often bold),
optionally a table of speaker / time / text rows."""

from __future__ import annotations

import io
import re
from typing import Collection

from focuscode.domain import IngestError
from focuscode.domain.archives import ArchiveKind, check_zip
from focuscode.pipeline.ingest.labels import (
    TS,
    find_candidate,
    is_metadata,
    name_like,
    normalise_label,
    plausible,
)
from focuscode.pipeline.ingest.plain import PlainParse, parse_plain_turns

WORD_DOCUMENT = ArchiveKind(noun="document", program="Word", suffix=".docx",
                            contents="a transcript")
_BOLD_NAME = re.compile(rf"^(?:\[{TS}\][ \t]*)?[^\W\d_][^:]{{0,60}}$")
_TIME_CELL = re.compile(rf"^\[?{TS}\]?$")
# Column headings of a transcript table ("Speaker | Time | Text"): not a turn.
_HEADINGS = {"speaker", "speakers", "name", "who", "participant", "time", "timestamp", "start",
             "end", "text", "transcript", "utterance", "what was said", "speech", "content"}


def parse_docx_turns(data: bytes, path: str,
                     known: Collection[str] = ()) -> tuple[str, PlainParse]:
    """Render the document as one line per paragraph, then read turns as in plain text."""
    lines = [line.replace("\n", " ").replace("\r", " ") for line in _docx_lines(data, path)]
    text = "\n".join(lines)
    return text, parse_plain_turns(text, path, unit="paragraph", known=known)


def _docx_lines(data: bytes, path: str) -> list[str]:
    check_zip(data, path, WORD_DOCUMENT)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(_paragraph_line(block))
    except Exception as error:  # noqa: BLE001 - python-docx fails on damaged parts in many ways
        raise IngestError(f"not a readable Word document ({type(error).__name__}: {error})",
                          path=path, hint="open it in Word and save it again as .docx") from None
    return lines


def _paragraph_line(paragraph) -> str:  # noqa: ANN001 - python-docx Paragraph
    text = paragraph.text
    candidate = find_candidate(text)
    if candidate is not None and candidate.kind != "alone":
        return text
    bold = ""
    for run in paragraph.runs:
        if run.bold and run.text.strip():
            bold += run.text
        elif run.text.strip():
            break
        else:
            bold += run.text
    name = bold.strip()
    rest = text[len(bold):].strip() if text.startswith(bold) else ""
    words = re.sub(rf"^\[{TS}\]\s*", "", name)
    if name and rest and _BOLD_NAME.match(name) and _reads_as_label(words):
        return f"{name}: {rest}"
    return text


def _table_lines(table) -> list[str]:  # noqa: ANN001 - python-docx Table
    lines = []
    for row in table.rows:
        cells = [cell.text.strip() for cell in row.cells]
        cells = [cell for index, cell in enumerate(cells) if cell and cell not in cells[:index]]
        stamps = [cell for cell in cells if _TIME_CELL.match(cell)]
        words = [cell for cell in cells if not _TIME_CELL.match(cell)]
        if cells and all(cell.casefold() in _HEADINGS for cell in cells):
            lines.append(" | ".join(cells))  # no one's words: a preamble line of the report
        elif len(words) >= 2 and _reads_as_label(words[0]):
            stamp = f"[{stamps[0].strip('[]')}] " if stamps else ""
            lines.append(f"{stamp}{words[0]}: {' '.join(words[1:])}")
        else:
            lines.append(" ".join(cells))
    return lines


def _reads_as_label(text: str) -> bool:
    """A bold run or first table cell that names a speaker (``Dr. Lee``, ``P3``, ``de Vries``)."""
    label = normalise_label(text)
    return plausible(label) and not is_metadata(label.casefold()) and (
        name_like(label) or any(ch.isdigit() for ch in label))
