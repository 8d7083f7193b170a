"""What reports are made of: codes, segments, codings and quotes, gathered once per export.

The workflows fill a ``ReportData`` from the store; the exporters only read it.
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from focuscode.domain.model import AnalysisRun, Speaker, Transcript

ACCEPTED = "accepted"  # a code in the codebook (accepted theme, codebook entry, manual code)
SUGGESTED = "suggested"  # a theme of the latest analysis nobody has accepted yet
CONFIRMED = "confirmed"  # a coding a researcher confirmed
MODEL_CODER = "focuscode model"  # who made a suggested coding


@dataclass(frozen=True)
class ReportCode:
    """A code or a suggested theme as reports show it; ``key`` is stable within a project."""

    key: str  # "code-3" or "theme-12"
    name: str
    status: str  # ACCEPTED | SUGGESTED
    definition: str = ""
    include: str = ""
    exclude: str = ""
    keywords: tuple[str, ...] = ()
    code_id: int | None = None
    theme_id: int | None = None
    parent: str | None = None
    color: str | None = None
    examples: tuple[str, ...] = ()
    stability: float | None = None  # its theme's stability over reruns (None: not measured)
    memo: str = ""

    @property
    def is_suggested(self) -> bool:
        return self.status == SUGGESTED


@dataclass(frozen=True)
class ReportSegment:
    """A segment with its speaker, role and transcript, and the attributes of both."""

    segment_id: int
    transcript_id: int
    transcript: str
    turn_index: int
    speaker: str  # the label as imported (a real name, often)
    pseudonym: str
    role: str
    start_char: int
    end_char: int
    text: str
    start_time: float | None = None
    excluded: str | None = None
    speaker_attributes: Mapping[str, Any] = field(default_factory=dict)
    transcript_attributes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_words(self) -> int:
        return len(self.text.split())

    def who(self, real_names: bool) -> str:
        return self.speaker if real_names else self.pseudonym


@dataclass(frozen=True)
class ReportCoding:
    """Segment carries code, confirmed by a coder or suggested by the model (never rejected)."""

    segment_id: int
    code_key: str
    status: str  # CONFIRMED | "suggested"
    coder: str  # a researcher, or MODEL_CODER
    rank: float = 0.0  # how typical of the code (cosine to the theme centre; 1.0 if confirmed)


@dataclass(frozen=True)
class ReportQuote:
    """A quote for a code: verbatim ``text == transcript.text[start_char:end_char]``."""

    code_key: str
    rank: int  # 1 = best
    segment_id: int
    start_char: int
    end_char: int
    text: str
    source: str  # "selected" (picked by a researcher) | "suggested" (ranked by focuscode)


@dataclass(frozen=True)
class CoderActivity:
    """Who decided what: counts of the coder's current decisions."""

    coder: str
    n_confirmed: int = 0
    n_rejected: int = 0
    n_codes_created: int = 0


@dataclass(frozen=True)
class ReportData:
    """Everything one report or export needs, read in one go from the project."""

    project: str
    generated_at: str
    codes: tuple[ReportCode, ...]
    segments: tuple[ReportSegment, ...]  # every segment, excluded ones too (words spoken)
    codings: tuple[ReportCoding, ...]
    quotes: tuple[ReportQuote, ...]
    transcripts: tuple[Transcript, ...]
    speakers: tuple[Speaker, ...]
    run: AnalysisRun | None = None
    coders: tuple[CoderActivity, ...] = ()
    n_decisions: int = 0
    quote_source: str = "suggested"  # "selected" (all picked by researchers) | "mixed"
    n_unassigned: int = 0  # analysed segments the latest run left in no theme
    # Made in blind mode for this coder: codings, picked quotes, coders and decisions are theirs
    # only. None: everyone's.
    blind_coder: str | None = None

    def code(self, key: str) -> ReportCode:
        for code in self.codes:
            if code.key == key:
                return code
        raise KeyError(key)


@dataclass(frozen=True)
class GroupCount:
    """One theme in one group (a role, or a value of an attribute): counts and denominators."""

    group: str
    n_segments: int  # segments of this group carrying the code
    n_group_segments: int  # segments of this group that could carry it (included in analysis)
    n_words: int  # words spoken by this group (every segment)
    n_speakers: int  # speakers of this group who raised the code
    n_group_speakers: int
    top_speaker_segments: int = 0  # segments of the group's most prolific speaker on this code

    @property
    def rate_per_segment(self) -> float:
        return self.n_segments / self.n_group_segments if self.n_group_segments else 0.0

    @property
    def rate_per_1000_words(self) -> float:
        return 1000 * self.n_segments / self.n_words if self.n_words else 0.0

    @property
    def speaker_share(self) -> float:
        return self.n_speakers / self.n_group_speakers if self.n_group_speakers else 0.0


@dataclass(frozen=True)
class DifferenceTest:
    """A test of difference between groups for one code."""

    test: str  # "Fisher's exact" | "chi-square" | "" (not tested)
    statistic: float | None
    p_value: float | None
    effect_measure: str  # "risk difference" | "Cramér's V" | ""
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    p_adjusted: float | None = None
    caution: str = ""


@dataclass(frozen=True)
class ThemeComparison:
    """One code compared across groups."""

    code_key: str
    code_name: str
    code_status: str
    counts: tuple[GroupCount, ...]
    result: DifferenceTest
    finding: str = ""  # a plain-language sentence


@dataclass(frozen=True)
class Comparison:
    """Codes compared across the values of ``by`` (``role``, ``site``, ...)."""

    by: str
    unit: str  # "segment" | "speaker": what the test counts
    groups: tuple[str, ...]
    themes: tuple[ThemeComparison, ...]
    alpha: float = 0.05
    confirmed_only: bool = False
    blind_coder: str | None = None  # counted from this coder's decisions only (blind mode)


@dataclass(frozen=True)
class Perspective:
    """How one group speaks about a code: its most representative quote and its own words."""

    group: str
    n_segments: int
    quote: ReportQuote | None = None
    speaker: str = ""  # pseudonym unless real names were asked for
    role: str = ""
    words: tuple[tuple[str, float], ...] = ()  # (word, z-score), most distinctive first


@dataclass(frozen=True)
class PerspectiveContrast:
    """One code seen from each group ("where you stand is where you sit")."""

    code_key: str
    code_name: str
    code_status: str
    perspectives: tuple[Perspective, ...]
