"""Transcript files to canonical text and speaker turns, one parser per format."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Collection

from focuscode.domain import IngestError, ParsedTranscript
from focuscode.pipeline.ingest.coverage import check_coverage, scan_cues
from focuscode.pipeline.ingest.cues import parse_srt_turns, parse_vtt_turns
from focuscode.pipeline.ingest.decode import check_characters, decode_text, read_bytes
from focuscode.pipeline.ingest.docx import parse_docx_turns
from focuscode.pipeline.ingest.plain import PlainParse, parse_plain_turns
from focuscode.pipeline.ingest.whisperx import parse_whisperx_turns

FORMATS = {".txt": "text", ".text": "text", ".vtt": "vtt", ".webvtt": "vtt",
           ".srt": "srt", ".docx": "docx", ".json": "json"}
SUPPORTED = ", ".join(sorted(set(FORMATS)))
_SRT_START = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2},\d{3}\s*-->")

__all__ = ["FORMATS", "SUPPORTED", "parse_transcript", "parse_text"]


def parse_transcript(path: Path, *, encoding: str | None = None, name: str | None = None,
                     known: Collection[str] = ()) -> ParsedTranscript:
    """Read one transcript file. Raises ``IngestError`` naming the file (and line) on bad input.

    ``known`` holds the labels (and aliases) of the speakers file: evidence that a line start is a
    speaker label."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(f"unsupported file type '{path.suffix or '(none)'}'", path=str(path),
                          hint=f"focuscode reads {SUPPORTED}")
    data = read_bytes(path)
    label = name or path.name
    if fmt == "docx":
        if not data:
            raise IngestError("file is empty", path=str(path), hint="export the transcript again")
        text, plain = parse_docx_turns(data, str(path), known=known)
        parsed = _from_plain(plain, text=text, name=label, path=str(path), fmt=fmt,
                             sha256=hashlib.sha256(data).hexdigest(), encoding="docx")
        check_coverage(parsed, text)
        return parsed
    decoded = decode_text(data, path, encoding)
    parsed = parse_text(decoded.text, path=str(path), fmt=fmt, name=label,
                        sha256=decoded.sha256, encoding=decoded.encoding, known=known)
    return replace(parsed, decoding_note=decoded.note) if decoded.note else parsed


def parse_text(text: str, *, path: str, fmt: str, name: str, sha256: str = "",
               encoding: str = "utf-8", known: Collection[str] = ()) -> ParsedTranscript:
    """Parse already decoded text; a ``.txt`` that is really WebVTT or SRT is read as such."""
    check_characters(text, path)
    if fmt == "text" and text.lstrip().startswith("WEBVTT"):
        fmt = "vtt"
    elif fmt == "text" and _SRT_START.match(text):
        fmt = "srt"
    if fmt == "vtt":
        canonical, turns = parse_vtt_turns(text, path)
    elif fmt == "srt":
        canonical, turns = parse_srt_turns(text, path)
    elif fmt == "json":
        canonical, turns = parse_whisperx_turns(text, path)
    else:
        parsed = _from_plain(parse_plain_turns(text, path, known=known), text=text, name=name,
                             path=path, fmt=fmt, sha256=sha256, encoding=encoding)
        check_coverage(parsed, text)
        return parsed
    parsed = ParsedTranscript(name=name, source_path=path, format=fmt, text=canonical,
                              turns=tuple(turns), source_sha256=sha256, encoding=encoding,
                              skipped=scan_cues(text)[1] if fmt != "json" else ())
    check_coverage(parsed, text)
    return parsed


def _from_plain(plain: PlainParse, *, text: str, name: str, path: str, fmt: str, sha256: str,
                encoding: str) -> ParsedTranscript:
    return ParsedTranscript(name=name, source_path=path, format=fmt, text=text,
                            turns=tuple(plain.turns), source_sha256=sha256, encoding=encoding,
                            markup=tuple(plain.markup), skipped=plain.skipped,
                            as_text=plain.as_text)
