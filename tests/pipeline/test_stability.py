"""Theme stability: best Jaccard overlap with the themes of reruns."""

from __future__ import annotations

import numpy as np

from focuscode.pipeline.cluster import ThemeClusterer
from focuscode.pipeline.stability import best_jaccard, theme_stability


def test_best_jaccard_per_theme():
    labels = np.array([0, 0, 0, 0, 1, 1, -1])
    other = np.array([5, 5, 5, -1, 7, 8, 7])
    np.testing.assert_allclose(best_jaccard(labels, other, 2), [0.75, 0.5])


def test_reruns_see_the_rows_shuffled_with_other_seeds_and_map_back():
    labels = np.repeat([0, 1, 2], 10)
    calls = []

    def fit(rows, seed):
        calls.append(seed)
        return rows[:, 0].astype(int)  # a clustering that finds the truth whatever the order

    X = np.column_stack([labels, np.arange(30)]).astype(float)
    np.testing.assert_allclose(theme_stability(X, labels, 3, fit, 4, seed=10), [1, 1, 1])
    assert calls == [11, 12, 13, 14]


def test_a_theme_that_falls_apart_in_reruns_scores_low():
    labels = np.repeat([0, 1], 10)

    def fit(rows, seed):
        out = rows[:, 0].astype(int)
        out[out == 1] = np.arange(10) % 5 + 1  # theme 1 shatters into five
        return out

    X = np.column_stack([labels, np.arange(20)]).astype(float)
    stability = theme_stability(X, labels, 2, fit, 2, seed=0)
    assert stability[0] == 1.0 and stability[1] < 0.5


def test_no_reruns_no_score():
    assert np.isnan(theme_stability(np.eye(8), np.zeros(8, int), 1, None, 0, 0)).all()


def test_well_separated_blobs_are_stable(blobs):
    X, _ = blobs
    clusterer = ThemeClusterer(random_state=0).fit(X)
    stability = theme_stability(
        X, clusterer.labels_, clusterer.n_themes_,
        lambda rows, seed: ThemeClusterer(random_state=seed).fit(rows).labels_, 2, 0)
    np.testing.assert_allclose(stability, 1.0)
