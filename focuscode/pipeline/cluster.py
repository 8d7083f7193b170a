"""Embeddings to candidate themes: reduce dimension, HDBSCAN, outliers kept with their nearest
themes."""

from __future__ import annotations

import math

import numpy as np

from focuscode.domain import AnalysisError
from focuscode.pipeline.reduce import REDUCERS, reduce

MIN_SEGMENTS = 6


def auto_min_cluster_size(n: int) -> int:
    """The smallest theme worth proposing for ``n`` segments: 2% of them, between 5 and 50.

    A focus group of 100-1,000 segments gives themes of 5-20 segments or more. Chosen by
    measurement (``python -m benchmarks quality``; issue notes): on the demo round tables and
    MTS-Dialog samples of 300-1,000 units 2% beats 1% and 3% on NMI/ARI; on all 9,235 MTS-Dialog
    turns an uncapped 2% (185) leaves 5 themes (NMI 0.09), the cap of 50 gives 13 (NMI 0.14).
    """
    return min(50, max(5, int(round(0.02 * n))))


class ThemeClusterer:
    """HDBSCAN over a reduced embedding space, shaped like a scikit-learn estimator.

    Parameters
    ----------
    reducer : ``"umap"`` (the default: keeps neighbourhoods, cosine metric, seeded), ``"pca"``
        or ``"none"`` (cluster the embeddings as they are).
    n_components : dimensions after the reduction (``None``: no reduction).
    n_neighbors : UMAP's neighbourhood size.
    min_cluster_size : smallest theme; ``None`` scales it with the number of segments.
    min_samples : HDBSCAN's density smoothing in hdbscan's convention (the point itself not
        counted); 1 keeps far fewer segments unassigned at focus-group sizes; ``None`` ->
        min_cluster_size.
    cluster_selection_method : ``"eom"`` (fewer, larger themes) or ``"leaf"`` (more, finer themes).
    n_suggestions : nearest themes kept for every segment (outliers are offered these).
    reassign_quantile : an outlier joins its nearest theme when it is at least as close to the
        theme's centroid as this quantile of the theme's own members (0.0: as close as its least
        typical member); ``None`` keeps every HDBSCAN outlier unassigned. Measured on MTS-Dialog
        (``python -m benchmarks quality``): 0.0 raises ARI and leaves 11-29% unassigned instead
        of 27-46%.
    reassign_margin : how much less similar (cosine) than that member an outlier may be and
        still join. Measured on 12 MTS-Dialog samples of 300 and 1,000 units: 0.05 leaves 2-9
        points fewer unassigned than 0.0 at the same NMI/ARI (within +-0.01); 0.1 starts to
        lower NMI on 1,000 units.
    random_state : seed of every random step.

    Fitted attributes: ``labels_`` (theme number per row, -1 for unassigned, themes numbered by
    decreasing size), ``probabilities_``, ``centroids_`` (unit vectors in the input space),
    ``similarities_`` (rows x themes cosine), ``nearest_`` (rows x n_suggestions theme numbers),
    ``reassigned_`` (rows that were outliers and joined their nearest theme; probability 0),
    ``min_cluster_size_``, ``n_themes_``.
    """

    def __init__(self, *, reducer: str = "umap", n_components: int | None = 5,
                 n_neighbors: int = 15, min_cluster_size: int | None = None,
                 min_samples: int | None = 1, cluster_selection_method: str = "eom",
                 n_suggestions: int = 3,
                 reassign_quantile: float | None = 0.0, reassign_margin: float = 0.05,
                 random_state: int = 42) -> None:
        self.reducer = reducer
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method
        self.n_suggestions = n_suggestions
        self.reassign_quantile = reassign_quantile
        self.reassign_margin = reassign_margin
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> "ThemeClusterer":
        from sklearn.cluster import HDBSCAN

        X = np.asarray(X, dtype=np.float64)
        n = X.shape[0]
        if n < MIN_SEGMENTS:
            raise AnalysisError(f"only {n} segments to cluster; theme discovery needs at least "
                                f"{MIN_SEGMENTS}", hint="import more transcripts, or include "
                                                        "moderator turns with --include-moderator")
        if self.reducer not in REDUCERS:
            raise AnalysisError(f"reducer must be one of {', '.join(REDUCERS)}, not "
                                f"{self.reducer!r}")
        if self.cluster_selection_method not in ("eom", "leaf"):
            raise AnalysisError(f"cluster_selection_method must be 'eom' or 'leaf', not "
                                f"{self.cluster_selection_method!r}")
        self.min_cluster_size_ = self.min_cluster_size or auto_min_cluster_size(n)
        if self.min_cluster_size_ < 2:
            raise AnalysisError("min_cluster_size must be at least 2")
        # Exact duplicates (a sentence said twice, a window repeated) are clustered once and take
        # their first occurrence's theme: HDBSCAN's density tree breaks on zero distances (its
        # author's advice is to avoid them; scikit-learn-contrib/hdbscan#94). At 100k segments
        # with 1.6% duplicated, 99% of them fell into one theme. Done before the reduction: the
        # matrix product can round equal rows 1e-17 apart, which breaks the tree just the same.
        distinct, first = _first_occurrences(X)
        reduced = self._reduce(distinct)
        if len(reduced) < MIN_SEGMENTS:
            raise AnalysisError(f"only {len(reduced)} different segments to cluster; theme "
                                f"discovery needs at least {MIN_SEGMENTS}",
                                hint="import more transcripts")
        self.min_cluster_size_ = min(self.min_cluster_size_, max(2, len(reduced) // 2))
        samples = self.min_samples if self.min_samples is not None else self.min_cluster_size_
        self._hdbscan_options = dict(min_cluster_size=self.min_cluster_size_,
                                     min_samples=min(samples + 1, len(reduced)),
                                     cluster_selection_method=self.cluster_selection_method,
                                     metric="euclidean", algorithm="auto", copy=True)
        self._reduced, self._first = reduced, first
        model = HDBSCAN(**self._hdbscan_options)
        raw = model.fit_predict(reduced)[first]
        self.labels_ = _renumber_by_size(raw)
        self.probabilities_ = np.where(self.labels_ >= 0, model.probabilities_[first], 0.0)
        self.n_themes_ = int(self.labels_.max() + 1) if (self.labels_ >= 0).any() else 0
        self.centroids_ = centroids_of(X, self.labels_, self.n_themes_)
        self.similarities_ = X @ self.centroids_.T if self.n_themes_ else np.zeros((n, 0))
        self.reassigned_ = self._reassign_outliers()
        self._number_by_size()
        k = min(self.n_suggestions, self.n_themes_)
        order = np.argsort(-self.similarities_, axis=1, kind="stable")
        self.nearest_ = order[:, :k]
        return self

    def _reassign_outliers(self) -> np.ndarray:
        reassigned = np.zeros(len(self.labels_), dtype=bool)
        if self.reassign_quantile is None or self.n_themes_ == 0:
            return reassigned
        thresholds = np.array([np.quantile(self.similarities_[self.labels_ == t, t],
                                           self.reassign_quantile)
                               for t in range(self.n_themes_)]) - self.reassign_margin
        outliers = np.flatnonzero(self.labels_ < 0)
        best = self.similarities_[outliers].argmax(axis=1)
        close = self.similarities_[outliers, best] >= thresholds[best]
        self.labels_[outliers[close]] = best[close]
        reassigned[outliers[close]] = True
        return reassigned

    def _number_by_size(self) -> None:
        """Renumber themes by decreasing size after outliers joined them (ties: first member)."""
        if self.n_themes_ == 0:
            return
        renumbered = _renumber_by_size(self.labels_)
        order = [int(self.labels_[np.argmax(renumbered == new)]) for new in range(self.n_themes_)]
        self.labels_ = renumbered
        self.centroids_ = self.centroids_[order]
        self.similarities_ = self.similarities_[:, order]

    def resample(self, seed: int, fraction: float = 0.9) -> np.ndarray:
        """HDBSCAN's themes on a random ``fraction`` of the reduced rows (drawn without
        replacement: repeated rows break its tree), per row; -2 for rows left out of the sample.
        Theme numbers are the rerun's own."""
        from sklearn.cluster import HDBSCAN

        n = len(self._reduced)
        take = np.sort(np.random.default_rng(seed).choice(n, max(2, int(fraction * n)),
                                                          replace=False))
        options = {**self._hdbscan_options,
                   "min_samples": min(self._hdbscan_options["min_samples"], len(take))}
        distinct = np.full(n, -2, dtype=int)
        distinct[take] = HDBSCAN(**options).fit_predict(self._reduced[take])
        return distinct[self._first]

    @property
    def core_labels_(self) -> np.ndarray:
        """Themes as HDBSCAN found them, before outliers joined them (-1: outlier)."""
        return np.where(self.reassigned_, -1, self.labels_)

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).labels_

    def _reduce(self, X: np.ndarray) -> np.ndarray:
        return reduce(X, self.reducer, self.n_components, n_neighbors=self.n_neighbors,
                      random_state=self.random_state)


def _first_occurrences(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows in order of first occurrence, and for every row its distinct row's
    index (rows without duplicates come back as they are)."""
    _, index, inverse = np.unique(rows, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if len(index) == len(rows):
        return rows, np.arange(len(rows))
    order = np.argsort(index, kind="stable")  # distinct rows by first occurrence
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    return rows[index[order]], position[inverse]


def _renumber_by_size(labels: np.ndarray) -> np.ndarray:
    """Theme 0 is the largest; ties go to the theme whose first member comes first."""
    found = [label for label in np.unique(labels) if label >= 0]
    first = {label: int(np.argmax(labels == label)) for label in found}
    order = sorted(found, key=lambda label: (-int((labels == label).sum()), first[label]))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(label, -1) for label in labels], dtype=int)


def centroids_of(X: np.ndarray, labels: np.ndarray, n_themes: int) -> np.ndarray:
    """Unit mean vector of each theme's rows (-1 rows left out)."""
    centroids = np.zeros((n_themes, X.shape[1]))
    for theme in range(n_themes):
        mean = X[labels == theme].mean(axis=0)
        norm = math.sqrt(float(mean @ mean)) or 1.0
        centroids[theme] = mean / norm
    return centroids
