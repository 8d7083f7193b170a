"""Timed captions (WebVTT, SRT) to speaker turns.

Consecutive cues of one speaker become one turn. A cue of another speaker that overlaps in time
(a backchannel or interruption said over the current speaker) becomes a turn of its own without
cutting the current speaker's turn in two, as happens in real speech.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from focuscode.domain import IngestError, Turn
from focuscode.pipeline.ingest.labels import LabelEvidence, find_candidate, normalise_label
from focuscode.pipeline.ingest.names import format_time, strip_tags, to_seconds

_OVERLAP_TOLERANCE = 0.5  # seconds
# The srt library's parser takes time quadratic in a run of blanks it cannot match (20,000 take
# 10 s): long runs are shortened first; cue texts fold blanks anyway.
_LONG_BLANKS = re.compile(r"\s{64,}")


@dataclass(frozen=True)
class Cue:
    text: str
    start: float
    end: float
    line: int
    speaker: str | None = None


@dataclass
class _Building:
    speaker: str
    texts: list[str] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    start: float = 0.0
    end: float = 0.0
    line: int = 0
    closed: bool = False  # an interjection the interrupted speaker has talked on from


def split_speaker(payload: str, evidence: LabelEvidence | None = None) -> tuple[str | None, str]:
    """``"Sam Ortiz: hello"`` -> ``("Sam Ortiz", "hello")``, ``"[SPEAKER_00]: hi"`` ->
    ``("SPEAKER_00", "hi")``; no label -> ``(None, payload)``. ``evidence`` holds the labels of
    every cue of the file (a label that recurs is a speaker, as in plain text)."""
    candidate = find_candidate(payload)
    if candidate is not None and candidate.kind != "alone" \
            and candidate.text_start < len(payload):
        evidence = evidence or LabelEvidence([candidate])
        if evidence.verdict(candidate) is None:
            return candidate.label, payload[candidate.text_start:].strip()
    return None, payload.strip()


def _evidence(payloads: list[str]) -> LabelEvidence:
    return LabelEvidence(c for c in map(find_candidate, payloads) if c is not None)


def cues_to_transcript(cues: list[Cue], path: str) -> tuple[str, list[Turn]]:
    """Merge cues into turns and render the canonical text ``[hh:mm:ss] Speaker: text`` per turn."""
    if not cues:
        raise IngestError("no captions found", path=path, line=1,
                          hint="the file has a header but no timed cues")
    for cue in cues:
        if cue.end < cue.start:
            raise IngestError(f"a cue ends ({cue.end:.3f} s) before it starts ({cue.start:.3f} s)",
                              path=path, line=cue.line,
                              hint="fix the timing line, or export the captions again")
    if all(cue.speaker is None for cue in cues):
        raise IngestError("no speaker labels in the captions (expected 'Name: text' or "
                          "'<v Name>text' cues)", path=path, line=cues[0].line,
                          hint="export the transcript with speaker names")
    ordered = sorted(cues, key=lambda cue: (cue.start, cue.end, cue.line))
    built: list[_Building] = []
    for cue in ordered:
        if not cue.text:
            continue
        speaker = cue.speaker or (built[-1].speaker if built else "Unknown")
        target = _merge_target(built, speaker, cue)
        if target is None:
            target = _Building(speaker=speaker, start=cue.start, end=cue.end, line=cue.line)
            built.append(target)
        target.texts.append(cue.text)
        target.starts.append(cue.start)
        target.end = max(target.end, cue.end)
    if not built:
        raise IngestError("the captions hold no text", path=path, line=cues[0].line,
                          hint="export the transcript again, with what was said")
    parts: list[str] = []
    turns: list[Turn] = []
    offset = 0
    for index, turn in enumerate(built):
        prefix = f"[{format_time(turn.start)}] {turn.speaker}: "
        body = " ".join(turn.texts)
        start = offset + len(prefix)
        cue_times, at = [], start
        for text, cue_start in zip(turn.texts, turn.starts):
            cue_times.append((at, cue_start))
            at += len(text) + 1
        turns.append(Turn(index=index, speaker=turn.speaker, start=start, end=start + len(body),
                          text=body, start_time=turn.start, end_time=turn.end, line=turn.line,
                          cue_times=tuple(cue_times)))
        parts.append(prefix + body + "\n")
        offset += len(prefix) + len(body) + 1
    return "".join(parts), turns


def _merge_target(built: list[_Building], speaker: str, cue: Cue) -> _Building | None:
    if not built:
        return None
    if built[-1].speaker == speaker and not built[-1].closed:
        return built[-1]
    # A's turn, B's short interjection said entirely over it, then A again at once: A's turn
    # goes on, and B's interjection stays a turn of its own, closed: B's next words are a new turn.
    if len(built) >= 2:
        before, last = built[-2], built[-1]
        if before.speaker == speaker and (last.closed or (
                len(last.texts) == 1
                and before.start <= last.start and last.end <= before.end + _OVERLAP_TOLERANCE
                and cue.start <= before.end + _OVERLAP_TOLERANCE)):
            last.closed = True
            return before
    return None


def parse_vtt_turns(text: str, path: str) -> tuple[str, list[Turn]]:
    """WebVTT from Zoom (``Name: text`` payloads) or Teams (``<v Name>`` voice tags)."""
    import webvtt
    from webvtt.errors import MalformedFileError

    try:
        captions = webvtt.WebVTT.from_string(text).captions
    except (MalformedFileError, ValueError) as error:
        raise IngestError(f"not a valid WebVTT file: {error}", path=path,
                          line=_first_bad_line(text),
                          hint="check the file starts with 'WEBVTT' and each cue has a "
                               "'00:00:01.000 --> 00:00:02.000' timing line") from None
    lines = _timing_lines(text)
    _check_no_cue_dropped(text, lines, [to_seconds(caption.start) for caption in captions], path)
    cues = []
    raws = [" ".join(caption.text.split("\n")) for caption in captions]
    evidence = _evidence(raws)
    for number, caption in enumerate(captions):
        raw = raws[number]
        if caption.voice:
            speaker, body = normalise_label(caption.voice), raw.strip()
        else:
            speaker, body = split_speaker(raw, evidence)
        cues.append(Cue(text=strip_tags(body), start=to_seconds(caption.start) or 0.0,
                        end=to_seconds(caption.end) or 0.0,
                        line=lines[number] if number < len(lines) else 1, speaker=speaker))
    return cues_to_transcript(cues, path)


def parse_srt_turns(text: str, path: str) -> tuple[str, list[Turn]]:
    """SRT subtitles whose cues start with ``Name:`` (or ``- Name:``)."""
    import srt

    short = _LONG_BLANKS.sub(_shorten_blanks, text)
    try:
        subtitles = list(srt.parse(short))
    except srt.SRTParseError as error:
        bad = error.expected_start + len(error.unmatched_content) - len(
            error.unmatched_content.lstrip())
        line = _line_in(text, short, bad)
        raise IngestError("not a valid SRT file", path=path, line=line,
                          hint="each cue needs a number, a '00:00:01,000 --> 00:00:02,000' "
                               "line and its text") from None
    lines = _timing_lines(text)
    cues = []
    payloads = [strip_tags(subtitle.content) for subtitle in subtitles]
    evidence = _evidence(payloads)
    for number, subtitle in enumerate(subtitles):
        speaker, body = split_speaker(payloads[number], evidence)
        cues.append(Cue(text=body, start=subtitle.start.total_seconds(),
                        end=subtitle.end.total_seconds(),
                        line=lines[number] if number < len(lines) else 1, speaker=speaker))
    return cues_to_transcript(cues, path)


def _shorten_blanks(match: re.Match) -> str:
    blanks = match.group()
    return "\n\n" if blanks.count("\n") > 1 else "\n" if "\n" in blanks else " "


def _line_in(text: str, short: str, position: int) -> int:
    """The line of ``text`` holding what is at ``position`` of ``short`` (``text`` with blank
    runs shortened: the non-blank characters are the same, in the same order)."""
    if short is text:
        return text[:position].count("\n") + 1
    wanted = sum(1 for ch in short[:position] if not ch.isspace())
    seen = 0
    for index, ch in enumerate(text):
        if not ch.isspace():
            if seen == wanted:
                return text[:index].count("\n") + 1
            seen += 1
    return text.count("\n") + 1


def _check_no_cue_dropped(text: str, lines: list[int], starts: list[float | None],
                          path: str) -> None:
    """webvtt-py silently skips a cue whose timing it cannot read: refuse the file instead."""
    if len(starts) == len(lines):
        return
    rows = text.split("\n")
    for index, number in enumerate(lines):
        stamp = rows[number - 1].split("-->")[0].strip()
        try:
            same = index < len(starts) and to_seconds(stamp) == starts[index]
        except ValueError:
            same = False
        if not same:
            raise IngestError(f"cannot read the cue timing {rows[number - 1].strip()[:60]!r}",
                              path=path, line=number,
                              hint="each cue needs a timing line like "
                                   "'00:00:01.000 --> 00:00:02.000', minutes and seconds below 60")


def _timing_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.split("\n"), start=1) if "-->" in line]


def _first_bad_line(text: str) -> int:
    lines = text.split("\n")
    if not lines or not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        return 1
    return next((n for n, line in enumerate(lines, start=1) if "-->" in line and
                 len(line.split("-->")) != 2), 1)
