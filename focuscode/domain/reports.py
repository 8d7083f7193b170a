"""What reports are made of: codes, segments, codings and quotes, gathered once per export.

The workflows fill a ``ReportData`` from the store; the exporters only read it.
Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence, TypeVar

from focuscode.domain.deidentify import Deidentifier
from focuscode.domain.model import AnalysisRun, Speaker, Transcript

ACCEPTED = "accepted"  # a code in the codebook (accepted theme, codebook entry, manual code)
SUGGESTED = "suggested"  # a theme of the latest analysis nobody has accepted yet
CONFIRMED = "confirmed"  # a coding a researcher confirmed
T = TypeVar("T")
MODEL_CODER = "focuscode model"  # who made a suggested coding
# What counts for a code (one rule for the workbench, ``themes``, every export and the report):
# a coding a researcher confirmed, or a suggestion nobody rejected, of the latest analysis (its
# theme) or of the latest codebook suggestion run. Each counted coding keeps its basis.
BY_THEME = "theme"  # suggested: a member of the code's theme in the latest analysis
BY_CODEBOOK = "codebook"  # suggested: the codebook suggestion run proposed the code
BASES = (CONFIRMED, BY_THEME, BY_CODEBOOK)
BASIS_LABELS = {CONFIRMED: "confirmed", BY_THEME: "suggested by theme",
                BY_CODEBOOK: "suggested by codebook"}



def basis_summary(counts: Mapping[str, int]) -> str:
    """"12 segments: 2 confirmed, 10 suggested by codebook" (bases with none left out)."""
    total = sum(counts.values())
    parts = [f"{n} {BASIS_LABELS[basis]}" for basis, n in counts.items() if n]
    return f"{total} segment{'s' if total != 1 else ''}" + (f": {', '.join(parts)}"
                                                           if parts else "")


def tree_order(codes: Sequence["ReportCode"]) -> list["ReportCode"]:
    """Codes as the codebook nests them: each parent followed by its children (depth first, in
    codebook order), then the suggested themes."""
    accepted = [c for c in codes if c.status == ACCEPTED]
    names = {c.name.casefold() for c in accepted}
    children: dict[str, list[ReportCode]] = {}
    roots = []
    for code in accepted:
        parent = (code.parent or "").casefold()
        if parent and parent in names and parent != code.name.casefold():
            children.setdefault(parent, []).append(code)
        else:
            roots.append(code)
    ordered: list[ReportCode] = []
    seen: set[str] = set()

    def walk(code: ReportCode) -> None:
        if code.key in seen:
            return
        seen.add(code.key)
        ordered.append(code)
        for child in children.get(code.name.casefold(), ()):
            walk(child)

    for code in [*roots, *accepted]:  # the second pass catches codes in a cycle of parents
        walk(code)
    return ordered + [c for c in codes if c.status != ACCEPTED]


def tree_outline(items: Sequence[T], *, name: Callable[[T], str],
                 parent: Callable[[T], str | None], filled: Callable[[T], bool]
                 ) -> tuple[list[tuple[T, bool]], list[T]]:
    """What a readable report shows of codes in tree order: ``(item, is_heading)`` for parent
    codes with something coded under them (headings) and for codes with something coded; and
    the items with nothing (to be named once, at the end)."""
    names = {name(i).casefold() for i in items}
    parents = {parent(i).casefold() for i in items if parent(i) and parent(i).casefold() in names}
    full: set[str] = set()
    for item in reversed(items):  # children come after their parent
        key = name(item).casefold()
        if filled(item) or key in full:
            full.add(key)
            if parent(item):
                full.add(parent(item).casefold())
    shown = [(i, name(i).casefold() in parents) for i in items if name(i).casefold() in full]
    return shown, [i for i in items if name(i).casefold() not in full]


def reader_date(stamp: str | None) -> str:
    """An ISO timestamp as a reader writes it: "3 December 2026, 13:41 UTC" (no seconds)."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def percentage_points(value: float | None, low: float | None = None,
                      high: float | None = None) -> str:
    """A difference of two rates: "+10 pp [+3, +17]" (percentage points)."""
    if value is None:
        return ""
    def points(x: float) -> str:
        return f"{round(100 * x) + 0:+d}"  # + 0: no "-0"

    text = f"{points(value)} pp"
    if low is not None and high is not None:
        text += f" [{points(low)}, {points(high)}]"
    return text


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
    codable: bool = True  # False: a grouping category (never applied)

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
    rank: float = 0.0  # how typical of the code (cosine to the theme centre or the code)
    created_at: str = ""  # when the coder decided it (the analysis ran, for a suggestion)
    basis: str = ""  # CONFIRMED | BY_THEME | BY_CODEBOOK ("" reads as the status says)

    @property
    def counted_as(self) -> str:
        """Why it counts: confirmed, or suggested by the theme or by the codebook."""
        if self.status == CONFIRMED:
            return CONFIRMED
        return self.basis if self.basis in (BY_THEME, BY_CODEBOOK) else BY_THEME


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
    identity: str = ""  # the project's lasting identity (``ProjectStore.identity``)
    # De-identified: names in quoted text replaced (after the verbatim check) by this.
    deidentifier: Deidentifier | None = None

    @property
    def deidentified(self) -> bool:
        return self.deidentifier is not None

    def shown(self, text: str) -> str:
        """Quoted text as a file shows it: de-identified unless real names were asked for."""
        return self.deidentifier(text) if self.deidentifier is not None else text

    def shown_keywords(self, words: Sequence[str]) -> list[str]:
        """Keywords without people's names when de-identified."""
        if self.deidentifier is None:
            return list(words)
        return [w for w in words if self.deidentifier.keeps_word(w)]

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

    @property
    def effect_text(self) -> str:
        """"+10 pp [+3, +17]" for a difference of rates, "0.21 [0.05, 0.33]" for Cramér's V."""
        if self.effect is None:
            return ""
        if self.effect_measure == "risk difference":
            return percentage_points(self.effect, self.ci_low, self.ci_high)
        interval = ("" if self.ci_low is None or self.ci_high is None
                    else f" [{self.ci_low:.2f}, {self.ci_high:.2f}]")
        return f"{self.effect:.2f}{interval}"


@dataclass(frozen=True)
class ThemeComparison:
    """One code compared across groups."""

    code_key: str
    code_name: str
    code_status: str
    counts: tuple[GroupCount, ...]
    result: DifferenceTest
    finding: str = ""  # a plain-language sentence
    basis: Mapping[str, int] = field(default_factory=dict)  # counted codings by basis
    parent: str | None = None  # the code's parent in the codebook (a heading)

    @property
    def n_coded(self) -> int:
        return sum(c.n_segments for c in self.counts)


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

    def outline(self) -> tuple[list[tuple[ThemeComparison, bool]], list[ThemeComparison]]:
        """The codes to show in codebook-tree order (parents as headings) and the codes with
        nothing coded in the groups compared (``tree_outline``)."""
        return tree_outline(self.themes, name=lambda t: t.code_name, parent=lambda t: t.parent,
                            filled=lambda t: t.n_coded > 0)

    def rows(self) -> list[tuple[ThemeComparison, bool]]:
        """What a table shows, in order: ``(code, True)`` a heading row for a parent code,
        ``(code, False)`` a row of counts for a code with something coded."""
        shown, _ = self.outline()
        return [(theme, is_heading) for theme, heading in shown
                for is_heading in ((True, False) if heading else (False,))
                if is_heading or theme.n_coded]


@dataclass(frozen=True)
class Perspective:
    """How one group speaks about a code: its most representative quote and its own words."""

    group: str
    n_segments: int
    quote: ReportQuote | None = None
    speaker: str = ""  # pseudonym unless real names were asked for
    role: str = ""
    words: tuple[tuple[str, float], ...] = ()  # (word, z-score), most distinctive first
    quote_text: str = ""  # the quote as files show it (de-identified unless real names)


@dataclass(frozen=True)
class PerspectiveContrast:
    """One code seen from each group ("where you stand is where you sit")."""

    code_key: str
    code_name: str
    code_status: str
    perspectives: tuple[Perspective, ...]
    deidentified: bool = False  # names in the quotes replaced
