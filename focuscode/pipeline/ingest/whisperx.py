"""WhisperX (and pyannote-diarised Whisper) JSON: ``{"segments": [{"start", "end", "text",
"speaker", "words": [{"word", "start", "end", "speaker"}]}]}``. Each segment is a cue; consecutive
segments of one speaker become one turn, each keeping its own start time."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from focuscode.domain import IngestError, Turn
from focuscode.pipeline.ingest.cues import Cue, cues_to_transcript
from focuscode.pipeline.ingest.labels import normalise_label


def parse_whisperx_turns(text: str, path: str) -> tuple[str, list[Turn]]:
    """Canonical ``[hh:mm:ss] SPEAKER_00: text`` lines and their turns."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(f"not valid JSON ({error.msg})", path=path, line=error.lineno,
                          hint="export the transcript again from WhisperX") from None
    except RecursionError:
        raise IngestError("JSON nested too deeply to be a transcript", path=path) from None
    segments = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(segments, list) or not segments:
        raise IngestError("no 'segments' list in the JSON", path=path, line=1,
                          hint="expected WhisperX output: {\"segments\": [{\"start\": ..., "
                               "\"text\": ..., \"speaker\": ...}]}")
    cues = []
    for number, segment in enumerate(segments, start=1):
        if not isinstance(segment, dict) or not isinstance(segment.get("text", ""), str):
            raise IngestError(f"segment {number} is not an object with a 'text'", path=path,
                              hint="expected WhisperX output")
        start, end = _seconds(segment, "start", number, path), _seconds(segment, "end", number,
                                                                        path)
        cues.append(Cue(text=" ".join(segment.get("text", "").split()), start=start or 0.0,
                        end=end if end is not None else start or 0.0, line=number,
                        speaker=_speaker(segment)))
    return cues_to_transcript(cues, path)


def json_segment_texts(text: str) -> list[tuple[int, str]]:
    """``(segment number, text)`` of every segment: what the coverage check looks for."""
    data = json.loads(text)
    segments = data.get("segments") if isinstance(data, dict) else data
    return [(n, str(s.get("text", ""))) for n, s in enumerate(segments, start=1)]


def _speaker(segment: dict[str, Any]) -> str | None:
    speaker = segment.get("speaker")
    if speaker is None:  # some segments carry the speaker on their words only
        votes = Counter(w.get("speaker") for w in segment.get("words") or []
                        if isinstance(w, dict) and w.get("speaker"))
        speaker = votes.most_common(1)[0][0] if votes else None
    return normalise_label(str(speaker)) or None if speaker is not None else None


def _seconds(segment: dict[str, Any], key: str, number: int, path: str) -> float | None:
    value = segment.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
            or value != value or value > 10 ** 7:
        raise IngestError(f"segment {number} has no usable '{key}' time ({value!r})",
                          path=path, hint="times are seconds from the start of the recording")
    return float(value)
