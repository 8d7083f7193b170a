"""The theme tree: HDBSCAN's themes grouped under parent themes by their centroids.

Agglomerative clustering (Ward linkage) of the unit theme centroids, cut at about the
number of top-level themes asked for. A group of one theme is no parent: that theme stays at the
top level. The themes themselves (and their segments) are never changed, so a re-analysis still
maps them onto earlier themes and codes by segment overlap.
"""

from __future__ import annotations

import math

import numpy as np


def auto_top_level(n_themes: int) -> int:
    """Top-level themes when none are asked for: about sqrt(2 x themes), so 22 themes give 7
    and 114 (100,000 segments) give 15; 8 themes or fewer stay flat."""
    if n_themes <= 8:
        return n_themes
    return max(2, round(math.sqrt(2 * n_themes)))


def group_themes(centroids: np.ndarray, n_top: int | None) -> np.ndarray:
    """Group number per theme (-1: the theme is top-level on its own); groups numbered by their
    first theme (themes are numbered by size, so the group holding the largest theme is 0)."""
    n = len(centroids)
    top = auto_top_level(n) if n_top is None else n_top
    if n < 3 or top >= n:
        return np.full(n, -1, dtype=int)
    from sklearn.cluster import AgglomerativeClustering

    # Ward on unit vectors (squared euclidean = 2 - 2 cosine): average linkage chained most
    # themes of the demo into one parent and left others alone.
    raw = AgglomerativeClustering(n_clusters=max(1, top), linkage="ward").fit_predict(
        np.asarray(centroids, dtype=np.float64))
    groups = np.full(n, -1, dtype=int)
    next_number = 0
    for theme in range(n):
        if groups[theme] >= 0:
            continue
        members = np.flatnonzero(raw == raw[theme])
        if len(members) > 1:
            groups[members] = next_number
            next_number += 1
    return groups
