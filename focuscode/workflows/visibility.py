"""Whose coding decisions a coder's views and files use: everyone's, or in blind mode their own.

Blind mode (``focuscode coders --blind``, or ``--blind`` on one command) is for independent
double coding: each coder codes, counts and exports without seeing how the others coded. Hidden
are the other coders' coding decisions: their confirmations and rejections of codes for
segments (so also the codes' counts and the suggestions that their rejections would have
removed), the quotes they picked, and their share of the decision log. Shared stays what no
coder decides alone for the others: the transcripts and speakers, the analysis' themes and
suggestions, and the codebook itself (codes, names, definitions, hierarchy), which blind coders
apply together.

Every read model that uses coders' decisions asks a ``Visibility`` what it may use, so the rule
lives here once instead of as an ``if blind`` in each. The review workbench (``workflows.review``:
the themes overview, a theme's segments with their ✓/✗, search by status) shows the statuses and
counts of the coder's own decisions in either mode, since those are what the coder's keys
change; what it shows of the others' work (their picked quotes) it asks of its ``Visibility``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from focuscode.domain import Coding, Decision
from focuscode.domain.review import Quote
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.suggestion_store import SuggestionStore


@dataclass(frozen=True)
class Visibility:
    """What ``coder`` may see: everyone's decisions, or (``blind``) only their own."""

    coder: str
    blind: bool = False

    @property
    def blind_coder(self) -> str | None:
        """The coder a blind view is made for; None when it shows everyone's decisions."""
        return self.coder if self.blind else None

    def sees(self, coder: str) -> bool:
        """Whether decisions made by ``coder`` are visible."""
        return not self.blind or coder == self.coder

    def codings(self, log: DecisionLog, *, code_id: int | None = None) -> list[Coding]:
        """The current codings (confirmed or rejected) this coder may see."""
        return log.codings(code_id=code_id, coder=self.blind_coder)

    def decisions(self, log: DecisionLog) -> list[Decision]:
        """The decision log, newest first, as far as this coder may see it."""
        return [d for d in log.history() if self.sees(d.coder)]

    def quotes(self, store: ProjectStore) -> list[Quote]:
        """Quotes researchers picked (by code, starred first) that this coder may see."""
        return self.visible_quotes(store.quotes())

    def suggestion_run(self, store: ProjectStore) -> int | None:
        """The codebook suggestion run whose suggestions count for this coder: the latest, or
        in blind mode the latest that used no other coder's confirmations; None before any."""
        run = SuggestionStore(store.db).latest_run(visible_to=self.blind_coder)
        return run.id if run is not None else None

    def visible_quotes(self, quotes: Iterable[Quote]) -> list[Quote]:
        """Those of ``quotes`` this coder may see (picked by them, or by anyone when open)."""
        return [q for q in quotes if self.sees(q.coder)]
