"""Theme stability: best Jaccard overlap with the themes of HDBSCAN reruns on resamples."""

from __future__ import annotations

import numpy as np

from focuscode.pipeline.cluster import ThemeClusterer
from focuscode.pipeline.stability import LEFT_OUT, best_jaccard, theme_stability


def test_best_jaccard_per_theme_over_the_rows_the_rerun_saw():
    labels = np.array([0, 0, 0, 0, 1, 1, -1, 1])
    other = np.array([5, 5, 5, -1, 7, 8, 7, LEFT_OUT])
    np.testing.assert_allclose(best_jaccard(labels, other, 2), [0.75, 0.5])


def test_reruns_use_the_next_seeds():
    labels = np.repeat([0, 1, 2], 10)
    calls = []

    def rerun(seed):
        calls.append(seed)
        return labels + 10

    np.testing.assert_allclose(theme_stability(labels, 3, rerun, 4, seed=10), [1, 1, 1])
    assert calls == [11, 12, 13, 14]


def test_a_theme_that_falls_apart_in_reruns_scores_low():
    labels = np.repeat([0, 1], 10)

    def rerun(seed):
        out = labels.copy()
        out[10:] = np.arange(10) % 5 + 1  # theme 1 shatters into five
        return out

    stability = theme_stability(labels, 2, rerun, 2, seed=0)
    assert stability[0] == 1.0 and stability[1] < 0.5


def test_no_reruns_no_score():
    assert np.isnan(theme_stability(np.zeros(8, int), 1, None, 0, 0)).all()


def test_well_separated_blobs_are_stable_and_resamples_leave_rows_out(blobs):
    X, _ = blobs
    clusterer = ThemeClusterer(random_state=0).fit(X)
    sample = clusterer.resample(1)
    assert (sample == LEFT_OUT).sum() == len(X) - int(0.9 * len(X))
    assert not np.array_equal(sample, clusterer.resample(2))
    np.testing.assert_array_equal(sample, clusterer.resample(1))
    stability = theme_stability(clusterer.core_labels_, clusterer.n_themes_,
                                clusterer.resample, 5, 0)
    np.testing.assert_allclose(stability, 1.0)


def test_overlapping_blobs_give_some_themes_lower_stability():
    from sklearn.datasets import make_blobs

    points, _ = make_blobs(n_samples=300, centers=6, n_features=16, cluster_std=5,
                           random_state=3)
    clusterer = ThemeClusterer(reducer="pca", random_state=0).fit(points)
    stability = theme_stability(clusterer.core_labels_, clusterer.n_themes_,
                                clusterer.resample, 5, 0)
    assert ((0 <= stability) & (stability <= 1)).all() and stability.min() < 1.0
