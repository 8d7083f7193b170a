"""Domain objects and errors: the vocabulary every layer shares. Standard library only."""

from focuscode.domain.errors import (
    AnalysisError,
    ConfigError,
    DecisionError,
    ExportError,
    FocuscodeError,
    IngestError,
    ModelError,
    ProjectNotFoundError,
    StoreError,
)
from focuscode.domain.ingest_report import FileReport, LabelAsText, SkippedLines, SpeakerTally
from focuscode.domain.model import (
    MODERATOR_ROLE,
    UNKNOWN_ROLE,
    AnalysisRun,
    Code,
    Coding,
    CodingStatus,
    Decision,
    ExclusionReason,
    ParsedTranscript,
    Segment,
    Speaker,
    Theme,
    ThemeGroup,
    Transcript,
    Turn,
)

__all__ = [
    "MODERATOR_ROLE", "UNKNOWN_ROLE", "AnalysisError", "AnalysisRun", "Code", "Coding",
    "CodingStatus", "ConfigError", "Decision", "DecisionError", "ExclusionReason", "ExportError",
    "FocuscodeError", "IngestError", "ModelError", "ParsedTranscript", "ProjectNotFoundError",
    "Segment", "Speaker", "StoreError", "Theme", "ThemeGroup", "Transcript", "Turn", "FileReport",
    "LabelAsText", "SkippedLines", "SpeakerTally",
]
