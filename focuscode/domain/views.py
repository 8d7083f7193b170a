"""Read-only views the shells show and the exporters write: one row per thing shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class SegmentRow:
    """A segment with everything a table about it needs."""

    transcript: str
    segment_id: int
    turn_index: int
    speaker: str
    pseudonym: str
    role: str
    start_char: int
    end_char: int
    start_time: float | None
    text: str
    theme_id: int | None
    theme_label: str
    coding_status: str
    excluded: str | None = None


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # already in the project, unchanged
    n_turns: int = 0
    n_segments: int = 0
    unknown_speakers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # file -> labels
    guessed_roles: Mapping[str, str] = field(default_factory=dict)  # label -> role


@dataclass(frozen=True)
class AnalysisReport:
    run_id: int
    n_segments: int
    n_themes: int
    n_unassigned: int
    n_embedded: int  # newly embedded (not from the cache)
    seconds: float
    model_id: str
    n_groups: int = 0  # parent themes of the theme tree
