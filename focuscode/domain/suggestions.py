"""Deductive suggestions: the model's codes for segments, with provenance and the reason why,
and how discovered themes line up with the codebook. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

MODEL_CODER_PREFIX = "model:"


def model_coder(model_id: str) -> str:
    """The model as a coder of its own, for agreement: ``model:<model id>``."""
    return f"{MODEL_CODER_PREFIX}{model_id}"


def is_model_coder(coder: str) -> bool:
    return coder.startswith(MODEL_CODER_PREFIX)


@dataclass(frozen=True)
class SuggestionRun:
    """One scoring of every segment against every code: enough to reproduce and to trust it."""

    id: int
    created_at: str
    model_id: str
    model_version: str
    threshold: float
    calibration: str  # how the threshold was chosen (a sentence)
    params: Mapping[str, object] = field(default_factory=dict)
    n_segments: int = 0
    n_codes: int = 0
    n_suggested: int = 0
    confirmed_by: tuple[str, ...] = ()  # coders whose decisions informed it (evidence, threshold)
    seconds: float = 0.0

    @property
    def coder(self) -> str:
        return model_coder(self.model_id)


@dataclass(frozen=True)
class Suggestion:
    """Code ``code_id`` for segment ``segment_id``: its calibrated score and the nearest evidence.

    ``suggested`` is False for a segment's best codes that stayed under the threshold (kept so the
    workbench can show the nearest codes of every segment)."""

    segment_id: int
    code_id: int
    code_name: str
    score: float  # calibrated: comparable across codes, the threshold applies to it
    similarity: float  # cosine to the nearest evidence
    rank: int  # 1 = the segment's best code
    suggested: bool
    evidence: str  # the nearest example, confirmed segment or definition: why
    evidence_kind: str  # example | confirmed | definition
    evidence_segment_id: int | None = None
    run_id: int | None = None


@dataclass(frozen=True)
class PendingSuggestion:
    """A suggestion the coder has not decided yet, with the segment as a reviewer sees it."""

    suggestion: Suggestion
    transcript: str
    turn_index: int
    speaker_name: str
    role: str
    text: str
    others: tuple[tuple[str, str], ...] = ()  # (coder, status) of other coders; empty if blind


@dataclass(frozen=True)
class ThemeMatch:
    """A discovered theme set against the codebook: the code it matches best, if any."""

    theme_id: int
    theme_label: str
    keywords: tuple[str, ...]
    size: int
    code_id: int | None  # best code (None: matches no code)
    code_name: str
    share: float  # members of the theme suggested for that code
    score: float  # mean calibrated score of the members for that code
    linked: bool = False  # the theme already is that code

    @property
    def action(self) -> str:
        if self.code_id is None:
            return "new code"
        return "linked" if self.linked else "merge"


@dataclass(frozen=True)
class CodeCoverage:
    code_id: int
    code_name: str
    n_suggested: int  # segments the model suggests it for
    n_confirmed: int  # segments coders confirmed it for


@dataclass(frozen=True)
class CodebookAlignment:
    """Inductive beside deductive: themes to merge into codes, themes to offer as new codes,
    codes no segment matches, and apart from those the codes the run could not match: made (or
    brought back, or made leaves of the hierarchy) since it."""

    merges: tuple[ThemeMatch, ...] = ()
    new_codes: tuple[ThemeMatch, ...] = ()
    linked: tuple[ThemeMatch, ...] = ()
    unmatched_codes: tuple[CodeCoverage, ...] = ()  # scored by the run, matching no segment
    coverage: tuple[CodeCoverage, ...] = ()
    codes_since_run: tuple[CodeCoverage, ...] = ()  # not scored by the run: suggest again


@dataclass(frozen=True)
class SuggestReport:
    run: SuggestionRun
    n_pending: int  # suggestions the coder has not decided yet
    n_segments_with: int  # segments with at least one suggestion
    alignment: CodebookAlignment
