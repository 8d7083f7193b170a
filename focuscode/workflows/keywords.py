"""Keywords of a code made of several themes (a merge), fitted over all of their segments.

The analysis labels each theme by class-based TF-IDF against the other themes. A merge labels
the code it makes the same way, over all of its themes' segments against the rest of the run,
both read as an even sample so that the cost stays bounded at any size. It is fitted once, by
the merge, and stored on the code by the merge's decision (``CodeChange`` of ``keywords``: undo
puts back the words before); showing the code never fits anything. No model is loaded.
"""

from __future__ import annotations

import json
from typing import Sequence

from focuscode.domain.changes import Change, CodeChange
from focuscode.domain.tokens import name_words
from focuscode.pipeline.label import KeywordLabeler
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.review_queries import ReviewQueries
from focuscode.workflows.settings import AnalysisSettings

MAX_TEXTS = 3_000  # segments read from the code's themes, and from the rest of the run


def merged_keywords(store: ProjectStore, run_id: int, theme_ids: Sequence[int]) -> tuple[str, ...]:
    """The distinctive words of the themes' segments taken together, best first."""
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


def keywords_change(log: DecisionLog, code_id: int, words: Sequence[str]) -> list[Change]:
    """The change that stores ``words`` as the code's keywords (none when it has them)."""
    before = log.code_field(code_id, "keywords")
    after = json.dumps(list(words))
    return [] if before == after else [CodeChange(code_id=code_id, field="keywords",
                                                  before=before, after=after)]
