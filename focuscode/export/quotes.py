"""Quotes: which segments speak best for a code, and the check that every quote is verbatim."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Mapping, Sequence

from focuscode.domain import ExportError
from focuscode.domain.reports import (
    CONFIRMED,
    ReportCode,
    ReportCoding,
    ReportData,
    ReportQuote,
    ReportSegment,
)

MIN_QUOTE_WORDS = 8  # shorter segments are fragments, not quotes
N_QUOTES = 3
PREFERRED_ROLES = ("patient", "physician")  # represented first when a code has both
_NOTE = re.compile(r"\[[^\]]*\]")


def ranked_segments(codings: Iterable[ReportCoding], segments: Mapping[int, ReportSegment],
                    code_key: str) -> list[ReportSegment]:
    """A code's segments, most representative first: confirmed before suggested, then by
    similarity to the theme's centre; excluded segments (moderator prompts, backchannels) and
    duplicates (several coders) left out."""
    best: dict[int, tuple[int, float]] = {}
    for coding in codings:
        if coding.code_key != code_key or coding.segment_id not in segments:
            continue
        key = (0 if coding.status == CONFIRMED else 1, -coding.rank)
        if coding.segment_id not in best or key < best[coding.segment_id]:
            best[coding.segment_id] = key
    order = sorted(best, key=lambda sid: (*best[sid], sid))
    return [segments[sid] for sid in order if segments[sid].excluded is None]


def select_quotes(codes: Sequence[ReportCode], segments: Sequence[ReportSegment],
                  codings: Sequence[ReportCoding], *, n_quotes: int = N_QUOTES,
                  min_words: int = MIN_QUOTE_WORDS,
                  preferred_roles: Sequence[str] = PREFERRED_ROLES,
                  avoid_names: Sequence[str] = ()) -> list[ReportQuote]:
    """Suggested quotes per code until a researcher picks some: representative, no fragments,
    each role represented (``preferred_roles`` first), then as many different speakers as can be.
    Segments that say a name of ``avoid_names`` (speakers introducing themselves: pseudonyms
    would not hide them) are suggested only when a code has no other."""
    lowered = [name.lower() for name in avoid_names if name.strip()]
    by_id = {s.segment_id: s for s in segments}
    by_code: dict[str, list[ReportCoding]] = defaultdict(list)
    for coding in codings:
        by_code[coding.code_key].append(coding)
    quotes: list[ReportQuote] = []
    for code in codes:
        ranked = [s for s in ranked_segments(by_code.get(code.key, ()), by_id, code.key)
                  if n_spoken_words(s.text) >= min_words]
        unnamed = [s for s in ranked if not any(name in s.text.lower() for name in lowered)]
        ranked = unnamed or ranked
        chosen = _diverse(ranked, n_quotes, preferred_roles)
        chosen.sort(key=ranked.index)
        quotes.extend(ReportQuote(code_key=code.key, rank=rank, segment_id=s.segment_id,
                                  start_char=s.start_char, end_char=s.end_char, text=s.text,
                                  source="suggested")
                      for rank, s in enumerate(chosen, start=1))
    return quotes


def n_spoken_words(text: str) -> int:
    """Words actually said: transcriber's notes such as ``[laughs]`` do not count."""
    return len(_NOTE.sub(" ", text).split())


def _diverse(ranked: list[ReportSegment], n: int,
             preferred_roles: Sequence[str]) -> list[ReportSegment]:
    roles = list(dict.fromkeys([r for r in preferred_roles if any(s.role == r for s in ranked)]
                               + [s.role for s in ranked]))
    chosen: list[ReportSegment] = []
    speakers: set[str] = set()

    def take(segment: ReportSegment) -> None:
        chosen.append(segment)
        speakers.add(segment.speaker)

    for role in roles:  # one per role, best first
        if len(chosen) >= n:
            break
        first = next((s for s in ranked if s.role == role and s.speaker not in speakers), None)
        if first is not None:
            take(first)
    for segment in ranked:  # then new voices
        if len(chosen) >= n:
            break
        if segment not in chosen and segment.speaker not in speakers:
            take(segment)
    for segment in ranked:  # then the best of the rest
        if len(chosen) >= n:
            break
        if segment not in chosen:
            take(segment)
    return chosen


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
