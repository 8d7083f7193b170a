"""The theme tree: theme centroids grouped under parent themes."""

from __future__ import annotations

import numpy as np
import pytest

from focuscode.pipeline.tree import auto_top_level, group_themes


def _centroids(per_group: list[int], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = []
    for g, n in enumerate(per_group):
        axis = np.zeros(16)
        axis[g] = 1.0
        rows += [axis + rng.normal(scale=0.05, size=16) for _ in range(n)]
    rows = np.vstack(rows)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_close_themes_share_a_parent_and_a_lone_theme_stays_at_the_top():
    groups = group_themes(_centroids([4, 3, 1]), 3)
    assert groups.tolist() == [0, 0, 0, 0, 1, 1, 1, -1]


def test_as_many_top_level_themes_as_themes_is_flat():
    assert (group_themes(_centroids([2, 2]), 4) == -1).all()
    assert (group_themes(_centroids([2, 2]), 10) == -1).all()


def test_the_number_asked_for_sets_how_many_top_level_themes():
    centroids = _centroids([3, 3, 3, 3])
    for top in (2, 3, 4):
        groups = group_themes(centroids, top)
        top_level = len(set(groups[groups >= 0].tolist())) + int((groups < 0).sum())
        assert top_level == top


@pytest.mark.parametrize(("themes", "top"), [(3, 3), (8, 8), (9, 4), (22, 7), (114, 15)])
def test_automatic_top_level(themes, top):
    assert auto_top_level(themes) == top
