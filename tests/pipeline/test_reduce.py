"""UMAP reduction: same themes in another process, numba's compiled code cached on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from focuscode.pipeline.reduce import numba_cache_dir, reduce

SCRIPT = """
import json, sys, time
import numpy as np
from sklearn.datasets import make_blobs
from focuscode.pipeline.cluster import ThemeClusterer
X, _ = make_blobs(n_samples=400, centers=6, n_features=32, cluster_std=4.0, random_state=1)
X = X / np.linalg.norm(X, axis=1, keepdims=True)
start = time.perf_counter()
labels = ThemeClusterer(random_state=7).fit(X).labels_
print(json.dumps({"labels": labels.tolist(), "seconds": time.perf_counter() - start}))
"""


def _run(cache) -> dict:  # noqa: ANN001
    env = {**os.environ, "FOCUSCODE_NUMBA_CACHE": str(cache)}
    env.pop("NUMBA_CACHE_DIR", None)  # the folder focuscode picks, not one set outside
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_processes_find_the_same_themes_and_numba_caches_its_code():
    """Both processes use the user cache folder (a cold one costs 10-60 s here: not every test
    run pays it); numba's cache index files show that the compiled code was kept."""
    cache = numba_cache_dir()
    first = _run(cache)
    assert any(cache.rglob("*.nbi")), "numba wrote no cache index"
    second = _run(cache)
    assert second["labels"] == first["labels"]
    assert len(set(first["labels"])) >= 3


def test_umap_is_seeded_in_one_process():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 16))
    first = reduce(X, "umap", 5, random_state=3)
    np.testing.assert_array_equal(first, reduce(X.copy(), "umap", 5, random_state=3))
    assert first.shape == (120, 5)
    assert not np.array_equal(first, reduce(X, "umap", 5, random_state=4))


@pytest.mark.parametrize(("method", "components"), [("none", 5), ("umap", None), ("pca", 0)])
def test_no_reduction_returns_the_rows_as_they_are(method, components):
    X = np.eye(8)
    assert reduce(X, method, components) is X


def test_pca_rows_are_unit_vectors():
    X = np.random.default_rng(1).normal(size=(50, 12))
    np.testing.assert_allclose(np.linalg.norm(reduce(X, "pca", 4), axis=1), 1.0)


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="unknown reducer"):
        reduce(np.eye(8), "tsne", 2)


def test_warm_umap_in_this_process_is_quick():
    """After the first call in a process (and with the on-disk cache) UMAP costs little."""
    X = np.random.default_rng(2).normal(size=(200, 16))
    reduce(X, "umap", 5)
    start = time.perf_counter()
    reduce(X, "umap", 5, random_state=1)
    assert time.perf_counter() - start < 20


def test_umaps_own_uncached_functions_are_cached():
    """umap-learn compiles its layout and graph functions without numba's cache: switched on."""
    from numba.core.caching import FunctionCache

    reduce(np.random.default_rng(3).normal(size=(60, 8)), "umap", 2)
    import umap.layouts
    import umap.umap_

    for function in (umap.layouts._nb_optimize_layout_euclidean_single_epoch,
                     umap.umap_.smooth_knn_dist, umap.umap_.compute_membership_strengths):
        assert isinstance(function._cache, FunctionCache)


def test_exact_cosine_neighbours_match_a_brute_force_search():
    from sklearn.neighbors import NearestNeighbors

    from focuscode.pipeline.reduce import cosine_neighbours

    X = np.random.default_rng(5).normal(size=(2500, 24))  # more than one block of rows
    X[7] = 0.0  # a zero row gets neighbours too, not NaN
    indices, distances, index = cosine_neighbours(X, 10)
    assert index is None and indices.shape == distances.shape == (2500, 10)
    assert (indices[:, 0] == np.arange(2500)).all() and (distances[:, 0] == 0).all()
    rows = np.delete(np.arange(2500), 7)
    found = NearestNeighbors(n_neighbors=10, metric="cosine", algorithm="brute").fit(X[rows])
    _, reference = found.kneighbors(X[rows])
    assert (rows[reference][:, 1:] == np.delete(indices, 7, axis=0)[:, 1:]).mean() > 0.999
    assert np.all(np.diff(distances, axis=1) >= 0)
    assert np.isfinite(distances).all()


def test_umap_is_given_exact_neighbours_up_to_the_threshold(monkeypatch):
    """No NN-descent (pynndescent compiles for ~14 s in every new process) below the limit."""
    import umap.umap_

    from focuscode.pipeline import reduce as reducing

    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("NN-descent ran")

    monkeypatch.setattr(umap.umap_, "nearest_neighbors", refuse)
    X = np.random.default_rng(6).normal(size=(5000, 16))  # above UMAP's own 4,096 brute limit
    assert reducing.reduce(X, "umap", 5).shape == (5000, 5)
    monkeypatch.setattr(reducing, "EXACT_NEIGHBOURS_UP_TO", 100)
    with pytest.raises(AssertionError, match="NN-descent ran"):
        reducing.reduce(X[:200], "umap", 5)
