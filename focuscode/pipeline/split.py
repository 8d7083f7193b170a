"""Split one theme: re-cluster its segments' embeddings into two or more sub-themes."""

from __future__ import annotations

import numpy as np

from focuscode.domain import AnalysisError
from focuscode.pipeline.cluster import MIN_SEGMENTS, ThemeClusterer
from focuscode.pipeline.vectors import unit_rows

MIN_SPLIT = 4


class ThemeSplitter:
    """Sub-themes of one theme, shaped like a scikit-learn estimator; every segment lands in one.

    Parameters
    ----------
    n_themes : how many sub-themes; ``None`` lets HDBSCAN (``ThemeClusterer`` with leaf selection)
        find them, falling back to two k-means clusters when it finds fewer than two.
    n_components : PCA dimensions before clustering.
    random_state : seed of every random step.

    Fitted: ``labels_`` (sub-theme per row, largest first, no outliers: HDBSCAN's outliers join
    their nearest sub-theme), ``centroids_`` (unit vectors), ``n_themes_``, ``method_``.
    """

    def __init__(self, *, n_themes: int | None = None, n_components: int | None = 5,
                 random_state: int = 42) -> None:
        self.n_themes = n_themes
        self.n_components = n_components
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> "ThemeSplitter":
        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        if n < MIN_SPLIT:
            raise AnalysisError(f"a theme of {n} segments is too small to split",
                                hint=f"splitting needs at least {MIN_SPLIT} segments")
        if self.n_themes is not None and not 2 <= self.n_themes <= n // 2:
            raise AnalysisError(f"cannot split {n} segments into {self.n_themes} themes",
                                hint=f"choose between 2 and {max(2, n // 2)}")
        labels = None
        if self.n_themes is None and n >= MIN_SEGMENTS:
            clusterer = ThemeClusterer(reducer="pca", n_components=self.n_components,
                                       min_cluster_size=max(3, n // 8), min_samples=1,
                                       cluster_selection_method="leaf",
                                       random_state=self.random_state).fit(X)
            if clusterer.n_themes_ >= 2:
                labels = np.where(clusterer.labels_ >= 0, clusterer.labels_,
                                  clusterer.nearest_[:, 0])
                self.method_ = "hdbscan"
        if labels is None:
            labels = self._kmeans(X, self.n_themes or 2)
            self.method_ = "kmeans"
        self.labels_ = _by_size(np.asarray(labels, dtype=int))
        self.n_themes_ = int(self.labels_.max() + 1)
        centroids = np.vstack([X[self.labels_ == t].mean(axis=0) for t in range(self.n_themes_)])
        self.centroids_ = unit_rows(centroids)
        return self

    def _kmeans(self, X: np.ndarray, k: int) -> np.ndarray:
        from sklearn.cluster import KMeans

        return KMeans(n_clusters=k, n_init=10, random_state=self.random_state).fit_predict(X)


def _by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber so that 0 is the largest; ties go to the label seen first."""
    found, first, counts = np.unique(labels, return_index=True, return_counts=True)
    order = sorted(range(len(found)), key=lambda i: (-counts[i], first[i]))
    mapping = {int(found[i]): new for new, i in enumerate(order)}
    return np.array([mapping[int(label)] for label in labels], dtype=int)
