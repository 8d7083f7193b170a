"""Nothing silently dropped: every non-blank character of a transcript is in a turn, in a label
or timestamp, or in the import report's skipped lines; otherwise the import stops.

For text and Word files the check runs over the canonical text itself. Captions are rendered
anew, so their check reads the source's cue blocks independently of the caption library: the
words of every cue must be in a turn (after its speaker label), and every line outside a cue
(the header, ``NOTE`` and ``STYLE`` blocks) is reported.
"""

from __future__ import annotations

import re
from collections import defaultdict

from focuscode.domain import IngestError, ParsedTranscript, SkippedLines
from focuscode.pipeline.ingest.labels import TS, normalise_label
from focuscode.pipeline.ingest.names import strip_tags
from focuscode.pipeline.ingest.whisperx import json_segment_texts

_NON_BLANK = re.compile(r"\S+")
_CUE_ID = re.compile(r"^\s*\d+\s*$")
_LEADING_STAMP = re.compile(rf"^[\[(#]?{TS}[\])#]?")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def uncovered(parsed: ParsedTranscript, source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every source line whose text is in no turn, label or report."""
    if parsed.format in ("vtt", "srt"):
        return _uncovered_cues(parsed, source)
    if parsed.format == "json":
        return _uncovered_texts(parsed, json_segment_texts(source))
    return uncovered_lines(parsed)


def check_coverage(parsed: ParsedTranscript, source: str) -> None:
    """Raise ``IngestError`` naming the first line whose text went nowhere."""
    missing = uncovered(parsed, source)
    if missing:
        line, text = missing[0]
        raise IngestError(f"{len(missing)} line(s) would be lost: not in a turn nor in the "
                          f"import report (first: {text[:60]!r})", path=parsed.source_path,
                          line=line, hint="this is a focuscode bug: please report it with the "
                                          "file; nothing was imported")


def uncovered_lines(parsed: ParsedTranscript) -> list[tuple[int, str]]:
    """Lines of the canonical text holding a non-blank character outside every turn, label,
    timestamp and reported line (linear: it walks the gaps between the sorted spans)."""
    text = parsed.text
    spans = sorted([(t.start, t.end) for t in parsed.turns] + list(parsed.markup) + [
        span for group in parsed.skipped for span in group.spans])
    missing: dict[int, str] = {}
    position = 0
    for start, end in [*spans, (len(text), len(text))]:
        if start > position:
            gap = text[position:start]
            for match in _NON_BLANK.finditer(gap):
                at = position + match.start()
                number = text.count("\n", 0, at) + 1
                line_start = text.rfind("\n", 0, at) + 1
                line_end = text.find("\n", at)
                missing.setdefault(number, text[line_start:None if line_end < 0 else line_end])
        position = max(position, end)
    return sorted(missing.items())


def scan_cues(source: str) -> tuple[list[tuple[int, str]], tuple[SkippedLines, ...]]:
    """The payload lines of every cue block (``(line, text)``) and the lines outside cues."""
    payloads: list[tuple[int, str]] = []
    skipped: dict[str, list[tuple[int, str]]] = defaultdict(list)
    lines = source.split("\n")
    block: list[tuple[int, str]] = []
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            block.append((number, line))
            continue
        if block:
            _classify(block, payloads, skipped)
        block = []
    groups = tuple(SkippedLines(kind=kind, line=rows[0][0], count=len(rows),
                                first=rows[0][1].strip()) for kind, rows in skipped.items() if rows)
    return payloads, groups


def _classify(block: list[tuple[int, str]], payloads: list[tuple[int, str]],
              skipped: dict[str, list[tuple[int, str]]]) -> None:
    first = block[0][1].lstrip("\ufeff").strip()
    timing = next((i for i, (_, line) in enumerate(block) if "-->" in line), None)
    if first.startswith("WEBVTT"):
        skipped["caption header"].extend(block[1:] if timing is None else block[1:timing])
        if timing is None:
            return
    elif first.split(" ", 1)[0] in _SKIPPED_BLOCKS and timing is None:
        skipped["caption note"].extend(block)
        return
    if timing is None:
        skipped["text outside a cue"].extend(block)
        return
    before = [row for row in block[:timing] if not _CUE_ID.match(row[1])
              and not (first.startswith("WEBVTT") and row is block[0])]
    if len(before) > 1:  # a cue identifier is one line; more is text outside a cue
        skipped["text outside a cue"].extend(before[:-1])
    payloads.extend(block[timing + 1:])


def _uncovered_texts(parsed: ParsedTranscript,
                     texts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    said = "".join("".join(turn.text.split()) for turn in parsed.turns)
    return [(number, text) for number, text in texts if "".join(text.split()) not in said]


def _uncovered_cues(parsed: ParsedTranscript, source: str) -> list[tuple[int, str]]:
    said = "".join("".join(turn.text.split()) for turn in parsed.turns)
    labels = {"".join(turn.speaker.split()) for turn in parsed.turns}
    payloads, _ = scan_cues(source)
    missing = []
    for number, line in payloads:
        words = "".join(strip_tags(line).split())
        if not words or words in said:
            continue
        head, sep, body = _LEADING_STAMP.sub("", words.lstrip("-")).partition(":")
        head = "".join(normalise_label(head.lstrip("-")).split())
        body = _LEADING_STAMP.sub("", body)  # "Name: [00:00:05] text": the stamp is markup
        if sep and body in said and any(head.endswith(label) for label in labels):
            continue
        missing.append((number, line))
    return missing
