"""Read-only views the shells show and the exporters write: one row per thing shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from focuscode.domain.ingest_report import FileReport


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
    codes: str = ""  # every code it counts for, and why: "Trust (suggested by codebook); ..."


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()  # already in the project, unchanged
    n_turns: int = 0
    n_segments: int = 0
    unknown_speakers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # file -> labels
    guessed_roles: Mapping[str, str] = field(default_factory=dict)  # label -> role
    files: tuple[FileReport, ...] = ()  # per file: speakers, and every line not in a turn
    dry_run: bool = False  # read and reported, nothing stored
    decoding_notes: Mapping[str, str] = field(default_factory=dict)  # file -> how it was read


@dataclass(frozen=True)
class AnalysisReport:
    run_id: int
    n_segments: int
    n_themes: int
    n_unassigned: int
    n_embedded: int  # newly embedded (not from the cache)
    seconds: float
    model_id: str
    decision_id: int | None = None  # a re-analysis' entry of the log (undone at once)
    kept: tuple[str, ...] = ()  # the researcher's codes and themes carried into the run
    no_longer_applies: tuple[str, ...] = ()  # structure none of whose segments is analysed
    n_groups: int = 0  # parent themes of the theme tree
