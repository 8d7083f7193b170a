"""Plain-text transcripts: ``Name: text`` in any case and script, ``NAME<TAB>text``,
``[00:01:23] Name:``, ``Name (00:01:23):``, Otter/Rev/Descript headers with the text below,
f4/MAXQDA ``#00:01:02-3#`` time marks, and turns that span several lines.

Nothing is dropped silently: every line not put into a turn is returned, by kind, for the import
report, and so is every line start that looked like a label but was read as speech.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Collection

from focuscode.domain import IngestError, LabelAsText, SkippedLines, Turn
from focuscode.pipeline.ingest.labels import (
    TS,
    Candidate,
    LabelEvidence,
    find_candidate,
    to_seconds,
)

NOTE_LINE = re.compile(r"^[ \t]*[\[(][^\])]*[\])][ \t]*$")
_TIMING_LINE = re.compile(rf"^[ \t]*{TS}[ \t]*-->[ \t]*{TS}[ \t]*$")  # Teams .docx cue times
# What transcription services write under a transcript: not anyone's words.
_FOOTER = re.compile(r"^[ \t]*(?:Transcribed by https?://otter\.ai|Transcribed by Otter"
                     r"|Transcription by Descript)[ \t]*$", re.IGNORECASE)
_END_MARK = re.compile(rf"[ \t]*#(?P<ts>{TS})#[ \t]*$")  # f4 / MAXQDA time mark ending a turn


@dataclass(frozen=True)
class PlainParse:
    turns: list[Turn]
    markup: list[tuple[int, int]]
    skipped: tuple[SkippedLines, ...]
    as_text: tuple[LabelAsText, ...]


@dataclass
class _Open:
    speaker: str
    start: int | None  # None until the first line with text
    end: int
    start_time: float | None
    line: int
    notes: list[tuple[int, int, int]] = field(default_factory=list)  # pending (line, start, end)


@dataclass
class _Lines:
    text: str
    spans: list[tuple[int, int]]  # (start, end) of every line
    candidates: list[Candidate | None]


def parse_plain_turns(text: str, path: str, *, first_line: int = 1, unit: str = "line",
                      known: Collection[str] = ()) -> PlainParse:
    """Split ``text`` into speaker turns whose offsets index ``text`` exactly.

    ``known`` holds the labels (and aliases) of the speakers file. Lines before the first label are
    a preamble, reported with the bracketed notes (``[crosstalk]``) between turns; a line without
    a label continues the open turn.
    """
    lines = _split(text)
    evidence = LabelEvidence((c for c in lines.candidates if c is not None), known)
    paragraphs = _in_paragraphs(lines, evidence)
    turns: list[Turn] = []
    markup: list[tuple[int, int]] = []
    skipped: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    as_text: list[LabelAsText] = []
    names: dict[str, str] = {}  # casefolded label -> the file's first spelling
    current: _Open | None = None
    pending_time: float | None = None

    def close() -> None:
        nonlocal current
        if current is None:
            return
        skipped["note"].extend(current.notes)
        if current.start is not None and current.end > current.start:
            end, end_time = current.end, None
            mark = _END_MARK.search(text, current.start, end)
            if mark and mark.start() > current.start:
                markup.append((mark.start(), end))
                end, end_time = mark.start(), to_seconds(mark["ts"])
            turns.append(Turn(index=len(turns), speaker=current.speaker, start=current.start,
                              end=end, text=text[current.start:end],
                              start_time=current.start_time,
                              end_time=end_time, line=current.line))
        current = None

    for index, (line_start, line_end) in enumerate(lines.spans):
        number = index + first_line
        line = text[line_start:line_end]
        if not line.strip():
            continue
        if _FOOTER.match(line):
            skipped["footer"].append((number, line_start, line_end))
            continue
        if _TIMING_LINE.match(line):  # Teams: a cue's times above the speaker's name
            markup.append((line_start, line_end))
            pending_time = to_seconds(line.split("-->")[0].strip())
            continue
        candidate = lines.candidates[index]
        if candidate is not None:
            verdict = evidence.verdict(candidate, text_follows=_text_follows(lines, index),
                                       starts_block=_starts_block(lines, index),
                                       timed=pending_time is not None, paragraphs=paragraphs)
            if verdict is None:
                close()
                speaker = names.setdefault(candidate.key, candidate.label)
                time = candidate.time if candidate.time is not None else pending_time
                current = _Open(speaker, None, 0, time, number)
                pending_time = None
                markup.append((line_start, line_start + candidate.text_start))
                if candidate.text_start < len(line):
                    current.start = line_start + candidate.text_start
                    current.end = line_start + len(line.rstrip())
                continue
            if current is not None and (candidate.kind != "alone"
                                        or evidence.counts[candidate.key] >= 2
                                        or candidate.time is not None):
                as_text.append(LabelAsText(number, candidate.label, verdict))
        if current is None:
            skipped["preamble"].append((number, line_start, line_end))
            continue
        if NOTE_LINE.match(line) and current.start is not None:
            current.notes.append((number, line_start, line_end))
            continue  # kept inside the turn only if the turn continues below
        if current.start is None:
            current.start = line_start + (len(line) - len(line.lstrip()))
        current.notes.clear()
        current.end = line_start + len(line.rstrip())
    close()
    if not turns:
        raise IngestError(f"no speaker turns found (no {unit} like 'Name: what they said')",
                          path=path, line=first_line,
                          hint="put each turn on its own line as 'Speaker: text', or give the "
                               "file the right extension (.vtt, .srt, .docx)")
    _chain_f4_times(turns)
    return PlainParse(turns=turns, markup=markup, skipped=_group(text, skipped),
                      as_text=tuple(as_text))


def _split(text: str) -> _Lines:
    spans = []
    offset = 0
    for line in text.split("\n"):
        spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    candidates = [find_candidate(text[a:b]) for a, b in spans]
    return _Lines(text, spans, candidates)


def _text_follows(lines: _Lines, index: int) -> bool:
    """A bare label line needs a line of speech (not another label line) below it."""
    for following in range(index + 1, len(lines.spans)):
        start, end = lines.spans[following]
        if lines.text[start:end].strip():
            candidate = lines.candidates[following]
            return candidate is None or candidate.kind != "alone"
    return False


def _starts_block(lines: _Lines, index: int) -> bool:
    if index == 0:
        return True
    start, end = lines.spans[index - 1]
    previous = lines.text[start:end]
    return not previous.strip() or bool(_TIMING_LINE.match(previous))


def _in_paragraphs(lines: _Lines, evidence: LabelEvidence) -> bool:
    """Whether (nearly) every line of a recurring label starts after a blank line."""
    starts = [_starts_block(lines, index) for index, candidate in enumerate(lines.candidates)
              if candidate is not None and candidate.kind != "alone"
              and evidence.counts[candidate.key] >= 2]
    return len(starts) >= 4 and sum(starts) >= 0.9 * len(starts)


def _chain_f4_times(turns: list[Turn]) -> None:
    """f4 marks the time at the end of each turn: the next turn starts there."""
    from dataclasses import replace

    for index in range(1, len(turns)):
        before = turns[index - 1]
        if turns[index].start_time is None and before.end_time is not None:
            turns[index] = replace(turns[index], start_time=before.end_time)


def _group(text: str, skipped: dict[str, list[tuple[int, int, int]]]) -> tuple[SkippedLines, ...]:
    groups = []
    for kind, rows in skipped.items():
        if rows:
            rows = sorted(rows)
            number, start, end = rows[0]
            groups.append(SkippedLines(kind=kind, line=number, count=len(rows),
                                       first=text[start:end].strip(),
                                       spans=tuple((a, b) for _, a, b in rows)))
    return tuple(groups)
