"""ThemeClusterer on well separated blobs: partitions, determinism, fitted attributes."""

from __future__ import annotations

import numpy as np
import pytest

from focuscode.domain import AnalysisError
from focuscode.pipeline.cluster import ThemeClusterer, auto_min_cluster_size


def partition(labels) -> set[frozenset[int]]:
    """The groups of co-clustered row ids, whatever their label numbers (outliers left out)."""
    groups: dict[int, set[int]] = {}
    for row, label in enumerate(labels):
        if label >= 0:
            groups.setdefault(int(label), set()).add(row)
    return {frozenset(group) for group in groups.values()}


def test_finds_the_true_partition(blobs):
    X, y = blobs
    clusterer = ThemeClusterer(random_state=0).fit(X)
    assert partition(clusterer.labels_) == partition(y)
    assert clusterer.n_themes_ == 3


@pytest.mark.parametrize("reducer", ["umap", "pca", "none"])
def test_finds_the_true_partition_after_each_reducer(blobs, reducer):
    X, y = blobs
    labels = ThemeClusterer(reducer=reducer, n_components=4, random_state=0).fit_predict(X)
    assert partition(labels) == partition(y)


def test_themes_are_numbered_by_decreasing_size(blobs):
    X, y = blobs
    labels = ThemeClusterer(random_state=0).fit_predict(X)
    assert np.bincount(labels).tolist() == [40, 30, 20]
    for theme, blob in enumerate(np.argsort(-np.bincount(y), kind="stable")):
        assert set(np.flatnonzero(labels == theme)) == set(np.flatnonzero(y == blob))


def test_same_input_and_seed_give_identical_labels(blobs):
    X, _ = blobs
    first = ThemeClusterer(n_components=4, random_state=7).fit(X)
    second = ThemeClusterer(n_components=4, random_state=7).fit(X.copy())
    np.testing.assert_array_equal(first.labels_, second.labels_)
    np.testing.assert_array_equal(first.probabilities_, second.probabilities_)
    np.testing.assert_array_equal(first.nearest_, second.nearest_)


def test_fitted_attributes_shapes(blobs):
    X, _ = blobs
    clusterer = ThemeClusterer(n_suggestions=2, random_state=0).fit(X)
    assert clusterer.nearest_.shape == (90, 2)
    assert clusterer.similarities_.shape == (90, 3)
    assert clusterer.centroids_.shape == (3, 8)
    np.testing.assert_allclose(np.linalg.norm(clusterer.centroids_, axis=1), 1.0)
    # every row's first suggestion is its own theme
    assert clusterer.nearest_[:, 0].tolist() == clusterer.labels_.tolist()
    assert clusterer.min_cluster_size_ == auto_min_cluster_size(90) == 5


def test_nearest_is_capped_by_the_number_of_themes(blobs):
    X, _ = blobs
    assert ThemeClusterer(n_suggestions=5, random_state=0).fit(X).nearest_.shape == (90, 3)


def test_fit_does_not_change_its_parameters(blobs):
    X, _ = blobs
    clusterer = ThemeClusterer(min_cluster_size=None, random_state=0)
    clusterer.fit(X)
    assert (clusterer.min_cluster_size, clusterer.reducer, clusterer.n_components) == \
        (None, "umap", 5)


def test_outliers_are_unassigned_with_suggestions(blobs):
    X, _ = blobs
    far = -X.mean(axis=0, keepdims=True)  # opposite every blob
    far /= np.linalg.norm(far)
    data = np.vstack([X, far])
    # Not reduced: UMAP lays a lone point beside its nearest neighbours, however far they are.
    clusterer = ThemeClusterer(reducer="none", random_state=0).fit(data)
    assert clusterer.labels_[-1] == -1
    assert clusterer.probabilities_[-1] == 0.0
    assert sorted(clusterer.nearest_[-1].tolist()) == [0, 1, 2]


def test_too_few_rows_is_an_analysis_error(blobs):
    X, _ = blobs
    with pytest.raises(AnalysisError, match="only 5 segments to cluster"):
        ThemeClusterer().fit(X[:5])


def test_unknown_reducer_is_an_analysis_error(blobs):
    X, _ = blobs
    with pytest.raises(AnalysisError, match="reducer must be one of umap, pca, none"):
        ThemeClusterer(reducer="tsne").fit(X)


def test_bad_selection_method_is_an_analysis_error(blobs):
    X, _ = blobs
    with pytest.raises(AnalysisError, match="cluster_selection_method"):
        ThemeClusterer(cluster_selection_method="best").fit(X)


@pytest.mark.parametrize(("n", "size"), [(10, 5), (250, 5), (329, 7), (1000, 20), (2500, 50),
                                         (100_000, 50)])
def test_auto_min_cluster_size_scales_with_n(n, size):
    assert auto_min_cluster_size(n) == size


def test_outliers_close_to_a_theme_join_it_and_themes_stay_numbered_by_size():
    from sklearn.datasets import make_blobs

    points, _ = make_blobs(n_samples=300, centers=4, n_features=16, cluster_std=6,
                           random_state=3)  # overlapping blobs: HDBSCAN leaves outliers
    points = points / np.linalg.norm(points, axis=1, keepdims=True)
    strict = ThemeClusterer(reducer="pca", n_components=10, reassign_quantile=None).fit(points)
    loose = ThemeClusterer(reducer="pca", n_components=10, reassign_quantile=0.0).fit(points)
    assert not strict.reassigned_.any()
    assert (loose.labels_ < 0).sum() == (strict.labels_ < 0).sum() - loose.reassigned_.sum()
    assert loose.reassigned_.any() and (strict.labels_[loose.reassigned_] < 0).all()
    assert (loose.labels_[loose.reassigned_] >= 0).all()
    assert (loose.probabilities_[loose.reassigned_] == 0).all()
    sizes = np.bincount(loose.labels_[loose.labels_ >= 0])
    assert list(sizes) == sorted(sizes, reverse=True)
    # a reassigned row sits in the theme it is most similar to
    rows = np.flatnonzero(loose.reassigned_)
    assert (loose.similarities_[rows].argmax(axis=1) == loose.labels_[rows]).all()


@pytest.mark.parametrize("components", [None, 4])
@pytest.mark.parametrize("reducer", ["umap", "pca"])
def test_exact_duplicates_are_clustered_once_and_take_their_originals_theme(components, reducer):
    """HDBSCAN's density tree breaks on zero (or rounding-small) distances: 30 repeated rows
    among 400 changed the partition of the others (ARI 0.64); at 100k real segments one theme
    took 99%."""
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, 5))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    repeated = rng.choice(len(X), 30, replace=False)
    with_repeats = np.vstack([X, X[repeated]])
    options = dict(reducer=reducer, n_components=components, reassign_quantile=None,
                   min_cluster_size=8)
    alone = ThemeClusterer(**options).fit(X)
    both = ThemeClusterer(**options).fit(with_repeats)
    assert adjusted_rand_score(alone.labels_, both.labels_[:400]) == 1.0
    assert (both.labels_[400:] == both.labels_[repeated]).all()
    assert (both.probabilities_[400:] == both.probabilities_[repeated]).all()



def test_too_few_different_rows_is_an_analysis_error():
    X = np.tile(np.eye(4)[:3], (5, 1))  # 15 rows, 3 different ones
    with pytest.raises(AnalysisError, match="only 3 different segments"):
        ThemeClusterer(n_components=None).fit(X)
