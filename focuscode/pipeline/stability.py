"""How often a theme comes back: the analysis rerun with other seeds and input orders.

Each rerun clusters the same segments in a shuffled order with another seed (UMAP's layout and
pynndescent's search depend on both). A theme's stability is its best Jaccard overlap with any
theme of a rerun, averaged over the reruns: 1.0 comes back exactly every time, below
``UNSTABLE`` it mostly does not (BERTopic users ask for this: MaartenGr/BERTopic#2276, #1763).
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from focuscode.domain.model import UNSTABLE

__all__ = ["UNSTABLE", "best_jaccard", "theme_stability"]

Fit = Callable[[np.ndarray, int], np.ndarray]  # (rows, seed) -> labels (-1: unassigned)


def best_jaccard(labels: np.ndarray, other: np.ndarray, n_themes: int) -> np.ndarray:
    """For every theme of ``labels``, its best Jaccard overlap with a theme of ``other``."""
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


def theme_stability(X: np.ndarray, labels: np.ndarray, n_themes: int, fit: Fit, runs: int,
                    seed: int) -> np.ndarray:
    """Mean best Jaccard of each theme over ``runs`` reruns (seeds ``seed + 1`` ...)."""
    if runs <= 0 or n_themes == 0:
        return np.full(n_themes, np.nan)
    total = np.zeros(n_themes)
    for run in range(runs):
        rerun_seed = seed + 1 + run
        order = np.random.default_rng(rerun_seed).permutation(len(X))
        shuffled = fit(X[order], rerun_seed)
        other = np.empty_like(shuffled)
        other[order] = shuffled
        total += best_jaccard(labels, other, n_themes)
    return total / runs
