"""What an import read, and what it did not put into a turn: the per-file import report.
Standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SkippedLines:
    """Lines of one kind (preamble, note, metadata, caption header, ...) put into no turn."""

    kind: str
    line: int  # the first such line
    count: int
    first: str  # the first such line's text
    spans: tuple[tuple[int, int], ...] = ()  # their character spans in the canonical text


@dataclass(frozen=True)
class LabelAsText:
    """A line that began like a speaker label but was read as what someone said."""

    line: int
    label: str
    reason: str


@dataclass(frozen=True)
class SpeakerTally:
    label: str
    turns: int
    words: int
    role: str
    how: str  # "speakers file", "guessed", "project", "from the file", "unknown"


@dataclass(frozen=True)
class FileReport:
    """One file's import: who spoke how much, and every line not in a turn."""

    name: str
    format: str
    n_turns: int
    n_segments: int
    speakers: tuple[SpeakerTally, ...] = ()
    skipped: tuple[SkippedLines, ...] = ()
    as_text: tuple[LabelAsText, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. columns not imported
