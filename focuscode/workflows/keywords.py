"""Keywords of an entry made of several themes (after a merge), recomputed over its segments.

The analysis labels each theme by class-based TF-IDF against the other themes. An entry that
gained themes by merging is labelled the same way, over all of its themes' segments against the
rest of the run, both read as an even sample so that the cost stays bounded at any size. No
model is loaded. A run's memberships of a set of themes never change (a split moves segments
to new themes, and its undo moves them back), so the words are computed once per set and kept
for as long as the project is open.
"""

from __future__ import annotations

from typing import Sequence
from weakref import WeakKeyDictionary

from focuscode.domain.tokens import name_words
from focuscode.pipeline.label import KeywordLabeler
from focuscode.store import ProjectStore
from focuscode.store.review_queries import ReviewQueries
from focuscode.workflows.settings import AnalysisSettings

MAX_TEXTS = 3_000  # segments read from the entry, and from the rest of the run
_KEPT: WeakKeyDictionary = WeakKeyDictionary()  # database -> {(run, themes): keywords}


def merged_keywords(store: ProjectStore, run_id: int, theme_ids: Sequence[int]) -> tuple[str, ...]:
    """The distinctive words of the themes' segments taken together, best first."""
    kept = _KEPT.setdefault(store.db, {})
    key = (run_id, tuple(sorted(theme_ids)))
    if key not in kept:
        kept[key] = _keywords(store, run_id, theme_ids)
    return kept[key]


def _keywords(store: ProjectStore, run_id: int, theme_ids: Sequence[int]) -> tuple[str, ...]:
    queries = ReviewQueries(store.db)
    inside = queries.member_texts(run_id, theme_ids, inside=True, limit=MAX_TEXTS)
    if not inside:
        return ()
    rest = queries.member_texts(run_id, theme_ids, inside=False, limit=MAX_TEXTS)
    settings = AnalysisSettings.from_dict(store.get_setting("analysis", {}))
    # As in the analysis: names people call each other by say nothing about the theme.
    names = name_words(speaker.label for speaker in store.speakers())
    labeler = KeywordLabeler(n_keywords=settings.n_keywords, extra_stop_words=sorted(names))
    labeler.fit(inside + rest, [0] * len(inside) + [-1] * len(rest))
    return labeler.keywords_.get(0, ())
