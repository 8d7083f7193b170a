"""A REFI-QDA text source as a focuscode transcript: line ends made ``\\n``, speaker turns found
by the transcript reader (or, without speaker lines, one speaker's text), and a map from the
source's character positions (REFI-QDA §10.2: code points of the file's text) to the stored
canonical text's."""

from __future__ import annotations

import bisect
import difflib
import hashlib
from dataclasses import dataclass
from typing import Callable

from focuscode.domain import IngestError, ParsedTranscript, Turn
from focuscode.export.refi_read import RefiSource
from focuscode.pipeline.ingest import parse_text


@dataclass(frozen=True)
class SourceText:
    """The transcript a source becomes, and where each of the source's positions lands in it."""

    parsed: ParsedTranscript
    position: Callable[[int], int]  # source position -> canonical position
    one_speaker: bool = False  # no speaker lines: the whole text is one speaker's


def normalise_newlines(text: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with CR LF and lone CR made LF, and the map of old positions to new ones (a
    CR LF is two code points of the source, one of ours)."""
    if "\r" not in text:
        return text, lambda position: position
    dropped = [i for i in range(len(text) - 1) if text[i] == "\r" and text[i + 1] == "\n"]
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")

    def position(old: int) -> int:
        return old - bisect.bisect_left(dropped, old)

    return normalised, position


def aligned_positions(source: str, target: str) -> Callable[[int], int]:
    """Positions of ``source`` in ``target`` where the reader changed the text (equal runs map
    exactly; a changed run maps to its start)."""
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    starts, shifts = [], []
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        starts.append(i1)
        shifts.append((tag, i1, j1))

    def position(old: int) -> int:
        index = max(bisect.bisect_right(starts, old) - 1, 0)
        tag, i1, j1 = shifts[index]
        return j1 + (old - i1) if tag == "equal" else j1

    return position


def source_transcript(source: RefiSource, *, archive: str, speaker: str) -> SourceText:
    """Read ``source`` with the transcript reader; ``speaker`` speaks the whole text when it has
    no speaker lines. Raises ``IngestError`` for text no transcript can be made of."""
    text, position = normalise_newlines(source.text)
    sha = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    where = f"{archive}: source '{source.name}'"
    try:
        parsed = parse_text(text, path=where, fmt="text", name=source.name, sha256=sha)
    except IngestError as error:
        if "no speaker turns" not in error.message:
            raise
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        if end <= start:
            raise IngestError("the source has no text", path=where) from None
        turn = Turn(index=0, speaker=speaker, start=start, end=end, text=text[start:end], line=1)
        parsed = ParsedTranscript(name=source.name, source_path=where, format="text", text=text,
                                  turns=(turn,), source_sha256=sha, encoding="utf-8")
        return SourceText(parsed=parsed, position=position, one_speaker=True)
    if parsed.text != text:  # the reader rewrote it (a WebVTT text, say): align the two
        aligned = aligned_positions(text, parsed.text)
        return SourceText(parsed=parsed, position=lambda p: aligned(position(p)))
    return SourceText(parsed=parsed, position=position)
