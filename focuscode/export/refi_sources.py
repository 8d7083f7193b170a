"""The texts a ``.qdpx`` carries: each transcript's canonical text, speaker labels replaced by
pseudonyms unless real names are asked for, with every segment's offsets in it; and the plain-
text name each source goes by (a ``.docx`` or ``.vtt`` name on a plain text would tell other
programs it is rich text or a subtitle file)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Iterable

from focuscode.domain.model import Transcript
from focuscode.domain.reports import ReportData, ReportSegment

_LABEL_BEFORE_TURN = re.compile(r"(?P<label>[^\s\[\]:][^:\n\]]{0,80}?)(?P<colon>\s*:\s*)$")


def plain_text_names(transcripts: Iterable[Transcript]) -> dict[int, str]:
    """Each transcript's source name ending in ``.txt``: ``roundtable3.docx`` becomes
    ``roundtable3 (docx, as plain text).txt``; names stay unique."""
    names: dict[int, str] = {}
    taken: set[str] = set()
    for transcript in transcripts:
        path = PurePosixPath(transcript.name.replace("\\", "/"))
        suffix = path.suffix.lower().lstrip(".")
        if suffix == "txt" or not suffix:
            name = f"{path.stem if suffix else path.name}.txt"
        else:
            name = f"{path.stem} ({suffix}, as plain text).txt"
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name[:-4]} ({n}).txt"
        taken.add(candidate.casefold())
        names[transcript.id] = candidate
    return names


def pseudonymised_sources(data: ReportData) -> tuple[dict[int, str], dict[int, tuple[int, int]]]:
    """Each transcript's text with the speaker label before every turn (and any exact speaker
    label outside what was said) replaced by the pseudonym, and every segment's new offsets."""
    pseudonym = {s.label: s.display_name for s in data.speakers}
    by_transcript: dict[int, list[ReportSegment]] = defaultdict(list)
    for segment in data.segments:
        by_transcript[segment.transcript_id].append(segment)
    texts: dict[int, str] = {}
    offsets: dict[int, tuple[int, int]] = {}
    labels = sorted(pseudonym, key=len, reverse=True)
    for transcript in data.transcripts:
        text = transcript.text
        spans = sorted((s.start_char, s.end_char) for s in by_transcript[transcript.id])
        replacements: list[tuple[int, int, str]] = []
        first_of_turn: dict[int, ReportSegment] = {}
        for segment in sorted(by_transcript[transcript.id], key=lambda s: s.start_char):
            first_of_turn.setdefault(segment.turn_index, segment)
        gaps, cursor = [], 0
        for start, end in spans:
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        gaps.append((cursor, len(text)))
        turn_starts = {s.start_char: s for s in first_of_turn.values()}
        for gap_start, gap_end in gaps:
            taken: list[tuple[int, int]] = []
            turn = turn_starts.get(gap_end)
            if turn is not None and turn.speaker in pseudonym:
                line_start = text.rfind("\n", gap_start, gap_end) + 1 or gap_start
                line_start = max(line_start, gap_start)
                match = _LABEL_BEFORE_TURN.search(text, line_start, gap_end)
                if match:
                    taken.append(match.span("label"))
                    replacements.append((*match.span("label"), pseudonym[turn.speaker]))
            for label in labels:
                for found in re.finditer(re.escape(label), text[gap_start:gap_end]):
                    a, b = gap_start + found.start(), gap_start + found.end()
                    if not any(a < y and x < b for x, y in taken):
                        taken.append((a, b))
                        replacements.append((a, b, pseudonym[label]))
        replacements.sort()
        pieces, cursor, shifts = [], 0, []
        for a, b, new in replacements:
            pieces += [text[cursor:a], new]
            shifts.append((b, len(new) - (b - a)))
            cursor = b
        pieces.append(text[cursor:])
        texts[transcript.id] = "".join(pieces)
        for segment in by_transcript[transcript.id]:
            shift = sum(delta for end, delta in shifts if end <= segment.start_char)
            offsets[segment.segment_id] = (segment.start_char + shift, segment.end_char + shift)
    return texts, offsets


