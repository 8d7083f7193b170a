"""Frozen domain objects that cross every layer. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from focuscode.domain.changes import Change, change_from_json
from focuscode.domain.ingest_report import LabelAsText, SkippedLines

MODERATOR_ROLE = "moderator"
UNKNOWN_ROLE = "unknown"


class ExclusionReason(str, Enum):
    """Why a segment is kept for context but left out of theme discovery."""

    MODERATOR = "moderator"
    BACKCHANNEL = "backchannel"
    TOO_SHORT = "too_short"


class CodingStatus(str, Enum):
    """Where a segment stands with respect to its theme or code."""

    SUGGESTED = "suggested"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    UNASSIGNED = "unassigned"
    EXCLUDED = "excluded"


@dataclass(frozen=True)
class Speaker:
    """A speaker label mapped to a role, a pseudonym and free attributes."""

    label: str
    role: str = UNKNOWN_ROLE
    pseudonym: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None

    @property
    def display_name(self) -> str:
        return self.pseudonym or self.label


@dataclass(frozen=True)
class Turn:
    """One uninterrupted contribution; ``text == transcript.text[start:end]``."""

    index: int
    speaker: str
    start: int
    end: int
    text: str
    start_time: float | None = None
    end_time: float | None = None
    line: int | None = None  # line (or paragraph / cue number) in the source file
    # (offset into the canonical text, start in seconds) of each timed cue the turn is made of
    cue_times: tuple[tuple[int, float], ...] = ()

    def time_at(self, offset: int) -> float | None:
        """The start time of the cue holding ``offset`` (the turn's own when it has no cues)."""
        time = self.start_time
        for start, seconds in self.cue_times:
            if start > offset:
                break
            time = seconds
        return time


@dataclass(frozen=True)
class ParsedTranscript:
    """What a parser returns: the canonical text and its turns, before it is stored."""

    name: str
    source_path: str
    format: str
    text: str
    turns: tuple[Turn, ...]
    source_sha256: str
    encoding: str = "utf-8"
    markup: tuple[tuple[int, int], ...] = ()  # spans of labels and timestamps, not speech
    skipped: tuple[SkippedLines, ...] = ()  # lines put into no turn, for the import report
    as_text: tuple[LabelAsText, ...] = ()  # label-like line starts read as speech
    speakers: tuple[Speaker, ...] = ()  # speakers the file itself describes (survey rows)
    notes: tuple[str, ...] = ()  # what else the report should say (columns not imported)
    decoding_note: str = ""  # how the encoding was guessed when it was not UTF-8 (for the user)


@dataclass(frozen=True)
class Transcript:
    """A stored transcript."""

    id: int
    name: str
    source_path: str
    format: str
    text: str
    source_sha256: str
    attributes: Mapping[str, Any] = field(default_factory=dict)
    imported_at: str = ""


@dataclass(frozen=True)
class Segment:
    """The unit that is coded: a turn or a window of its sentences; always inside one turn."""

    turn_index: int
    index: int  # position within the transcript
    start: int
    end: int
    text: str
    excluded: ExclusionReason | None = None
    id: int | None = None
    transcript_id: int | None = None
    speaker: str | None = None
    role: str | None = None
    start_time: float | None = None

    @property
    def n_words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Theme:
    """A candidate code discovered by clustering, until a researcher accepts it as a code."""

    id: int
    run_id: int
    number: int  # cluster number within its run, 0-based, ordered by size
    label: str
    keywords: tuple[str, ...]
    exemplar_ids: tuple[int, ...]
    size: int
    code_id: int | None = None
    status: str = "active"  # active | pending (a split not in effect) | split | deleted
    parent_id: int | None = None  # the theme it was split from
    group_id: int | None = None  # its parent theme in the theme tree (None: top level)
    small_talk: bool = False  # looks like introductions / small talk
    stability: float | None = None  # how often it comes back in reruns (mean best Jaccard)


UNSTABLE = 0.5  # a theme whose stability is below this mostly does not come back in reruns


@dataclass(frozen=True)
class ThemeGroup:
    """A parent theme of the theme tree: themes of one run close to each other."""

    id: int
    run_id: int
    number: int
    label: str
    keywords: tuple[str, ...]
    size: int


GROUP_SOURCE = "group"  # Code.source of a grouping category


@dataclass(frozen=True)
class Code:
    """An entry in the codebook."""

    id: int | None
    name: str
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    parent: str | None = None
    color: str | None = None
    memo: str = ""
    source: str = "manual"  # codebook | theme | manual | group (a category: never applied)
    status: str = "accepted"  # suggested | accepted | deleted
    # the words of its themes' segments taken together, computed when themes were merged into
    # it (empty: its themes' own words are shown; see ``domain.review.entry_keywords``)
    keywords: tuple[str, ...] = ()

    @property
    def is_theme_row(self) -> bool:
        """The row of a discovered theme that is no code yet: born *suggested* with the first
        coding, quote or definition of the theme, to hold them; accepting or naming the theme
        makes it a code (``workflows.entries.coding_row``)."""
        return self.source == "theme" and self.status == "suggested"

    @property
    def codable(self) -> bool:
        """False for a grouping category (REFI-QDA ``isCodable="false"``): it holds codes but
        segments are never coded with it."""
        return self.source != GROUP_SOURCE


@dataclass(frozen=True)
class Coding:
    """Segment S carries code C, with provenance."""

    segment_id: int
    code_id: int
    status: CodingStatus
    coder: str
    decision_id: int | None = None


@dataclass(frozen=True)
class Decision:
    """One entry of the append-only decision log."""

    id: int
    created_at: str
    coder: str
    action: str
    payload: Mapping[str, Any]
    undoes: int | None = None

    @property
    def summary(self) -> str:
        """What it did, in a sentence (its action when it has no summary)."""
        return str(self.payload.get("summary") or self.action)

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(change_from_json(c) for c in self.payload.get("changes", ()))


@dataclass(frozen=True)
class AnalysisRun:
    """The record of one pipeline run: enough to reproduce it."""

    id: int
    started_at: str
    finished_at: str | None
    status: str
    model_id: str
    params: Mapping[str, Any]
    random_state: int
    versions: Mapping[str, str]
    input_sha256: str
    n_segments: int
    n_themes: int
