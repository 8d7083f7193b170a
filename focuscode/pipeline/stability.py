"""How often a theme comes back when HDBSCAN reruns on resamples of the segments.

Each rerun clusters a random 90% of the reduced segments (drawn without replacement: repeated
rows break HDBSCAN's tree) with the same settings. A theme's stability is its best Jaccard
overlap with any theme of a rerun, over the rows of that rerun, averaged over the reruns; only
the members HDBSCAN itself gave the theme count (not outliers that joined it later). 1.0: it
comes back exactly every time; below ``UNSTABLE`` it mostly does not (BERTopic users ask for
this: MaartenGr/BERTopic#2276, #1763). The UMAP layout is not redone: rerunning it with other
seeds costs a whole clustering per rerun (see the README for what was measured).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from focuscode.domain.model import UNSTABLE

__all__ = ["UNSTABLE", "best_jaccard", "theme_stability"]

LEFT_OUT = -2  # a row not in the rerun's sample

Rerun = Callable[[int], np.ndarray]  # seed -> labels per row (-1 unassigned, -2 left out)


def best_jaccard(labels: np.ndarray, other: np.ndarray, n_themes: int) -> np.ndarray:
    """For every theme of ``labels``, its best Jaccard overlap with a theme of ``other``, over
    the rows ``other`` saw."""
    seen = other != LEFT_OUT
    labels, other = labels[seen], other[seen]
    scores = np.zeros(n_themes)
    found = [t for t in np.unique(other) if t >= 0]
    for theme in range(n_themes):
        mine = labels == theme
        if not mine.any():
            continue
        for candidate in found:
            theirs = other == candidate
            union = np.count_nonzero(mine | theirs)
            scores[theme] = max(scores[theme], np.count_nonzero(mine & theirs) / union)
    return scores


def theme_stability(labels: np.ndarray, n_themes: int, rerun: Rerun, runs: int,
                    seed: int) -> np.ndarray:
    """Mean best Jaccard of each theme over ``runs`` reruns (seeds ``seed + 1`` ...)."""
    if runs <= 0 or n_themes == 0:
        return np.full(n_themes, np.nan)
    total = np.zeros(n_themes)
    for run in range(runs):
        total += best_jaccard(labels, rerun(seed + 1 + run), n_themes)
    return total / runs
