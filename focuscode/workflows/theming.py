"""Names and the tree of a run's themes: keywords, phrase names, small talk, parent themes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from focuscode.pipeline.cluster import ThemeClusterer, centroids_of
from focuscode.pipeline.label import KeywordLabeler, rank_exemplars
from focuscode.pipeline.phrases import SMALL_TALK, PhraseLabeler
from focuscode.pipeline.tree import group_themes
from focuscode.store import GroupRecord, ThemeRecord
from focuscode.workflows.settings import AnalysisSettings

Encode = Callable[[Sequence[str]], np.ndarray]


@dataclass(frozen=True)
class NamedThemes:
    themes: list[ThemeRecord]
    groups: list[GroupRecord]


def theme_names(phrases: PhraseLabeler, keywords: KeywordLabeler) -> dict[int, str]:
    """A theme's name: "introductions / small talk" when it is, else its best phrase, else its
    keywords."""
    return {theme: SMALL_TALK if theme in phrases.small_talk_
            else phrases.labels_.get(theme) or keywords.labels_[theme]
            for theme in keywords.labels_}


def name_themes(texts: Sequence[str], vectors: np.ndarray, clusterer: ThemeClusterer,
                settings: AnalysisSettings, encode: Encode,
                names: Sequence[str] = ()) -> NamedThemes:
    """Theme records with names, keywords and exemplars, and their parent themes (groups of
    at least two themes, about ``settings.n_themes`` at the top level)."""
    labels = clusterer.labels_
    keywords = KeywordLabeler(n_keywords=settings.n_keywords,
                              extra_stop_words=names).fit(texts, labels)
    phrases = PhraseLabeler(encode, banned=names).fit(texts, labels, clusterer.centroids_)
    named = theme_names(phrases, keywords)
    exemplars = rank_exemplars(vectors, labels, clusterer.centroids_)
    groups = group_themes(clusterer.centroids_, settings.n_themes)
    records = []
    if (groups >= 0).any():
        member_group = np.where(labels >= 0, groups[np.maximum(labels, 0)], -1)
        n_groups = int(groups.max() + 1)
        group_keywords = KeywordLabeler(n_keywords=settings.n_keywords,
                                        extra_stop_words=names).fit(texts, member_group)
        group_phrases = PhraseLabeler(encode, banned=names).fit(
            texts, member_group, centroids_of(vectors, member_group, n_groups))
        group_names = theme_names(group_phrases, group_keywords)
        for g in range(n_groups):  # a parent is not named like one of its themes
            taken = {named[t] for t in np.flatnonzero(groups == g)}
            free = [p for p in group_phrases.phrases_[g] if p not in taken]
            if group_names[g] in taken:
                group_names[g] = free[0] if free else " / ".join(group_keywords.keywords_[g][:3])
        records = [GroupRecord(number=g, label=group_names[g],
                               keywords=group_keywords.keywords_[g],
                               size=int((member_group == g).sum())) for g in range(n_groups)]
    themes = [ThemeRecord(number=t, label=named[t], keywords=keywords.keywords_[t],
                          exemplar_rows=tuple(exemplars[t]), size=int((labels == t).sum()),
                          group=None if groups[t] < 0 else int(groups[t]),
                          small_talk=t in phrases.small_talk_)
              for t in range(clusterer.n_themes_)]
    return NamedThemes(themes, records)
