"""What the review workbench shows: entries of the codebook-in-progress, segments, context, quotes.

An *entry* is what a researcher reviews as one thing: a code (with every theme linked to it), a
discovered theme not yet linked to a code, or the queue of unassigned segments. Entries are named
by a key: ``"c12"`` (code 12), ``"t5"`` (theme 5) or ``"unassigned"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from focuscode.domain.errors import DecisionError
from focuscode.domain.model import Code, Theme
from focuscode.domain.tokens import search_words

UNASSIGNED = "unassigned"
SEGMENT_STATUSES = ("suggested", "confirmed", "rejected", "unassigned", "excluded")


def code_key(code_id: int) -> str:
    return f"c{code_id}"


def theme_key(theme_id: int) -> str:
    return f"t{theme_id}"


def parent_key(group_id: int) -> str:
    return f"p{group_id}"


def entry_keywords(code: Code | None, themes: Sequence[Theme]) -> tuple[str, ...]:
    """The words a code or theme is shown with (workbench, ``themes``, reports): while it is
    made of several themes, the words its merge computed over all their segments; otherwise
    (or before any such merge was stored) its themes' own, in order, without repeats."""
    if code is not None and code.keywords and len(themes) > 1:
        return code.keywords
    words: list[str] = []
    for theme in themes:
        words += [k for k in theme.keywords if k not in words]
    return tuple(words)


def parse_key(key: str) -> tuple[str, int | None]:
    """``"c12"`` -> ``("code", 12)``, ``"t5"`` -> ``("theme", 5)``, ``"unassigned"``."""
    if key == UNASSIGNED:
        return UNASSIGNED, None
    kind = {"c": "code", "t": "theme"}.get(key[:1])
    if kind is None or not key[1:].isdigit():
        raise DecisionError(f"not a theme or code: {key!r}")
    return kind, int(key[1:])


@dataclass(frozen=True)
class SearchTerm:
    """What a search looks for: a word, found inside longer words too ("trust" finds
    "mistrust" and "trusted"; words under three letters only start words), or, quoted, a phrase
    or word found as whole words in that order ("treat the person")."""

    words: tuple[str, ...]
    exact: bool = False


SUBSTRING_MIN = 3  # shorter words are looked for at the start of words only
_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')


def search_terms(query: str) -> list[SearchTerm]:
    """The terms of a search: every one must occur. Quoted text is one exact term (a quote
    still open while typing runs to the end); other words are terms of their own."""
    terms = []
    for quoted, plain in _TERM.findall(query):
        if quoted:
            words = tuple(search_words(quoted))
            if words:
                terms.append(SearchTerm(words, exact=True))
        else:
            terms += [SearchTerm((word,)) for word in search_words(plain)]
    return terms


@dataclass(frozen=True)
class RoleCounts:
    """Segments (not rejected) and distinct speakers, per role, of one entry."""

    n_segments: Mapping[str, int] = field(default_factory=dict)
    n_speakers: Mapping[str, int] = field(default_factory=dict)
    n_confirmed: int = 0
    n_rejected: int = 0
    n_by_codebook: int = 0  # undecided segments counted because the codebook suggested them


@dataclass(frozen=True)
class ReviewEntry:
    """A code, an unlinked theme, or the unassigned queue, with its review progress."""

    key: str
    label: str
    status: str  # suggested | accepted | unassigned
    source: str  # theme | codebook | manual | queue
    code_id: int | None = None
    theme_ids: tuple[int, ...] = ()
    number: int | None = None  # analysis order of its first theme (largest first)
    keywords: tuple[str, ...] = ()
    definition: str = ""
    n_segments: int = 0  # not rejected
    n_speakers: int = 0
    by_role: Mapping[str, int] = field(default_factory=dict)
    n_confirmed: int = 0
    n_rejected: int = 0
    n_by_codebook: int = 0  # of n_segments: undecided, suggested by the codebook (not a theme)
    n_quotes: int = 0
    exemplar: str = ""  # the starred (else first) quote; before any quote, the analysis' pick
    exemplar_speaker: str = ""
    group_id: int | None = None  # the parent theme its themes are under; a parent row: its own

    @property
    def is_queue(self) -> bool:
        return self.key == UNASSIGNED

    @property
    def is_parent(self) -> bool:
        """A parent theme of the theme tree (a row above its themes), no theme or code."""
        return self.status == "parent"

    @property
    def counted(self) -> dict[str, int]:
        """Its segments by why they count (as reports count them): confirmed, suggested by
        theme, suggested by codebook."""
        confirmed = min(self.n_confirmed, self.n_segments)
        return {"confirmed": confirmed, "theme": max(0, self.n_segments - confirmed
                                                     - self.n_by_codebook),
                "codebook": self.n_by_codebook}

    @property
    def theme_id(self) -> int | None:
        """Its first discovered theme (what ``Project.confirm`` and ``accept_theme`` take);
        None for the queue and for codes without a theme."""
        return self.theme_ids[0] if self.theme_ids else None

    @property
    def n_to_review(self) -> int:
        """Segments still undecided. A rejected segment stays listed in the entry (marked ✗)
        but no longer counts in ``n_segments``: done is ``n_confirmed`` of ``n_segments``."""
        return self.n_segments if self.is_queue else self.n_segments - self.n_confirmed


@dataclass(frozen=True)
class NearestEntry:
    """A theme or code suggested for an unassigned segment."""

    key: str
    label: str
    similarity: float


@dataclass(frozen=True)
class ReviewSegment:
    """A segment as a reviewer sees it, with its status relative to the entry shown."""

    segment_id: int
    transcript: str
    turn_index: int
    speaker: str
    speaker_name: str  # pseudonym, or the label when there is none
    role: str
    start_time: float | None
    start_char: int
    end_char: int
    text: str
    status: str  # one of SEGMENT_STATUSES, or moved (out of the entry shown)
    entry_key: str | None = None  # where it sits now (search results, the queue)
    entry_label: str = ""
    also: tuple[str, ...] = ()  # other codes it is confirmed for
    nearest: tuple[NearestEntry, ...] = ()
    moved_to: str = ""  # status moved: the entry it was moved to


@dataclass(frozen=True)
class SegmentText:
    """A segment's text and who said it (exemplars, quotes already picked)."""

    segment_id: int
    text: str
    speaker: str
    speaker_name: str
    role: str


@dataclass(frozen=True)
class SegmentPage:
    rows: tuple[ReviewSegment, ...]
    total: int
    offset: int = 0


@dataclass(frozen=True)
class ContextTurn:
    """A turn around a segment; ``span`` marks the segment inside the current turn."""

    turn_index: int
    speaker_name: str
    role: str
    text: str
    start_time: float | None = None
    is_current: bool = False
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class Quote:
    """A verbatim span of a segment picked as representative of a code."""

    id: int
    code_id: int
    segment_id: int
    start: int  # into the transcript text, inside the segment
    end: int
    text: str
    position: int
    starred: bool = False
    source: str = "manual"  # manual | suggested
    speaker_name: str = ""
    role: str = ""
    transcript: str = ""
    coder: str = ""  # who picked it


@dataclass(frozen=True)
class QuoteSuggestion:
    segment: ReviewSegment
    score: float


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    role: str | None = None
    speaker: str | None = None
    transcript: str | None = None
    status: str | None = None


@dataclass(frozen=True)
class FilterOptions:
    roles: tuple[str, ...] = ()
    speakers: tuple[tuple[str, str], ...] = ()  # (label, shown name)
    transcripts: tuple[str, ...] = ()
    statuses: tuple[str, ...] = SEGMENT_STATUSES
