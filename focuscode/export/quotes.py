"""Quotes in files: the check that every quote is verbatim, and citations. (Which segments to
suggest as quotes is ``pipeline.quotes``; a code's segments in order, ``domain.counting``.)"""

from __future__ import annotations

from typing import Mapping

from focuscode.domain import ExportError
from focuscode.domain.reports import ReportData, ReportSegment

N_QUOTES = 3


def check_fidelity(data: ReportData) -> None:
    """Every quote and every coded segment must equal the source text at its offsets;
    otherwise nothing is exported (``ExportError``)."""
    texts = {t.id: t.text for t in data.transcripts}
    segments = {s.segment_id: s for s in data.segments}
    coded = {c.segment_id for c in data.codings}
    for segment_id in sorted(coded):
        segment = segments.get(segment_id)
        if segment is None:
            raise ExportError(f"a coding points to segment {segment_id}, which is not in the "
                              "project; nothing was exported")
        _check(texts, segment.transcript_id, segment.transcript, segment.start_char,
               segment.end_char, segment.text, f"segment {segment_id}")
    for quote in data.quotes:
        segment = segments.get(quote.segment_id)
        if segment is None:
            raise ExportError(f"a quote points to segment {quote.segment_id}, which is not in the "
                              "project; nothing was exported")
        _check(texts, segment.transcript_id, segment.transcript, quote.start_char,
               quote.end_char, quote.text, f"the quote from segment {quote.segment_id}")
        if not segment.start_char <= quote.start_char < quote.end_char <= segment.end_char:
            raise ExportError(f"the quote from segment {quote.segment_id} lies outside its "
                              "segment; nothing was exported")


def _check(texts: Mapping[int, str], transcript_id: int, name: str, start: int, end: int,
           text: str, what: str) -> None:
    source = texts.get(transcript_id)
    if source is None or source[start:end] != text:
        raise ExportError(f"{what} of '{name}' does not match the source at characters "
                          f"{start}-{end}; nothing was exported",
                          hint="the project may be damaged: re-import the transcript")


def format_time(seconds: float | None) -> str:
    """``hh:mm:ss`` (or "" when the transcript has no timestamps)."""
    if seconds is None:
        return ""
    whole = int(round(seconds))
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def citation(segment: ReportSegment, *, real_names: bool = False) -> str:
    """"Patient 3 (patient), roundtable1_boston.txt, 00:12:03"."""
    where = segment.transcript + (f", {format_time(segment.start_time)}"
                                  if segment.start_time is not None else "")
    return f"{segment.who(real_names)} ({segment.role}), {where}"
