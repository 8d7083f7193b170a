"""Plain-text transcripts: ``Name: text``, ``NAME:``, ``[00:01:23] Name:``, ``Name (00:01:23):``,
Otter-style ``Name  0:42`` headers, and turns that span several lines."""

from __future__ import annotations

from dataclasses import dataclass

from focuscode.domain import IngestError, Turn
from focuscode.pipeline.ingest.names import (
    HEADER_LINE,
    NOTE_LINE,
    SPEAKER_LINE,
    clean_label,
    is_label,
    to_seconds,
)


@dataclass
class _Open:
    speaker: str
    start: int | None  # None until the first line with text
    end: int
    start_time: float | None
    line: int


def parse_plain_turns(text: str, path: str, *, first_line: int = 1,
                      unit: str = "line") -> list[Turn]:
    """Split ``text`` into speaker turns whose offsets index ``text`` exactly.

    Lines before the first speaker label are a preamble and belong to no turn. A line without a
    label continues the open turn; a bracketed note (``[crosstalk]``) on its own line belongs to
    the turn only when the turn goes on after it.
    """
    turns: list[Turn] = []
    current: _Open | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current.start is not None and current.end > current.start:
            turns.append(Turn(index=len(turns), speaker=current.speaker, start=current.start,
                              end=current.end, text=text[current.start:current.end],
                              start_time=current.start_time, line=current.line))
        current = None

    offset = 0
    for number, line in enumerate(text.split("\n"), start=first_line):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        match = SPEAKER_LINE.match(line)
        if match and is_label(match["name"]):
            close()
            stamp = next((match[g] for g in ("ts1", "ts2", "ts3", "ts4", "ts5") if match[g]), None)
            body = match["text"].strip()
            current = _Open(clean_label(match["name"]), None, 0, to_seconds(stamp), number)
            if body:
                current.start = line_start + match.start("text") + (
                    len(match["text"]) - len(match["text"].lstrip()))
                current.end = line_start + len(line.rstrip())
            continue
        header = HEADER_LINE.match(line)
        if header and is_label(header["name"]):
            close()
            current = _Open(clean_label(header["name"]), None, 0, to_seconds(header["ts"]), number)
            continue
        if current is None:
            continue  # preamble
        if NOTE_LINE.match(line) and current.start is not None:
            continue  # kept inside the turn only if the turn continues below
        if current.start is None:
            current.start = line_start + (len(line) - len(line.lstrip()))
        current.end = line_start + len(line.rstrip())
    close()
    if not turns:
        raise IngestError(f"no speaker turns found (no {unit} like 'Name: what they said')",
                          path=path, line=first_line,
                          hint="put each turn on its own line as 'Speaker: text', or give the "
                               "file the right extension (.vtt, .srt, .docx)")
    return turns
