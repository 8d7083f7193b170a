"""Dimension reduction before HDBSCAN: UMAP (keeps neighbourhoods; the default) or PCA.

UMAP's numba functions are compiled on first use, 10-60 s in a cold process on a busy 2-core
machine. Most of umap-learn's and pynndescent's functions do not ask numba to cache what it
compiled, so every new process paid that again. Caching is switched on for them here, in a user
cache folder (``FOCUSCODE_NUMBA_CACHE``, else the platform's user cache folder); only the first
analysis on a machine (or after a library upgrade) compiles.

Up to ``EXACT_NEIGHBOURS_UP_TO`` rows the neighbour graph is exact (cosine by blocked matrix
products) and handed to UMAP as ``precomputed_knn``: pynndescent's index builds its functions as
closures numba cannot cache, so it compiled for ~14 s in every new process (measured on 6,090
MTS-Dialog segments: UMAP 23.5 s cold with NN-descent, 10.7 s with exact neighbours found in
0.6 s), and it is approximate. Below 4,096 rows UMAP itself computed every distance, so small
projects keep their neighbours (the distances round a little otherwise, which can move UMAP's
layout and so the themes). Larger inputs keep NN-descent: the exact search grows with n².
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from focuscode.pipeline.vectors import unit_rows

REDUCERS = ("umap", "pca", "none")
EXACT_NEIGHBOURS_UP_TO = 20_000
# UMAP runs 500 epochs below 10,000 rows and 200 above. With 3,000 rows or more 200 epochs are
# as good (mean of 4 seeds, exact neighbours): NHS FFT's 3,742 single-theme answers NMI 0.333 vs
# 0.329 and ARI 0.178 vs 0.189 (both +-0.03); all 9,235 MTS-Dialog turns NMI 0.163 vs 0.163 and
# ARI 0.022 vs 0.020, in 8.0 s instead of 19.2 s. On 999 MTS-Dialog dialogues 500 keep ARI
# (0.328 vs 0.273), and below 3,000 rows the epochs cost a few seconds at most.
FEWER_EPOCHS_FROM, FEWER_EPOCHS = 3_000, 200
_BLOCK = 1024
_CACHING_ON = False


def numba_cache_dir() -> Path:
    configured = os.environ.get("FOCUSCODE_NUMBA_CACHE")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("focuscode")) / "numba"


def enable_numba_cache() -> None:
    """Point numba's cache at the user cache folder and cache every umap/pynndescent function
    (once per process, before their first compilation)."""
    global _CACHING_ON
    if _CACHING_ON:
        return
    folder = numba_cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # read-only home: compile in memory, as umap-learn does by default
        _CACHING_ON = True
        return
    os.environ.setdefault("NUMBA_CACHE_DIR", str(folder))
    import numba
    import umap  # noqa: F401  (imports pynndescent)
    from numba.core.caching import NullCache
    from numba.core.dispatcher import Dispatcher

    numba.config.CACHE_DIR = os.environ["NUMBA_CACHE_DIR"]
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("umap", "pynndescent")):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, Dispatcher) and isinstance(value._cache, NullCache):
                value.enable_caching()
    _CACHING_ON = True


def reduce(X: np.ndarray, method: str, n_components: int | None, *, n_neighbors: int = 15,
           random_state: int = 42) -> np.ndarray:
    """``X`` in ``n_components`` dimensions (as it is when there is nothing to reduce)."""
    if method == "none" or not n_components or n_components >= min(X.shape) - 1:
        return X
    if method == "pca":
        from sklearn.decomposition import PCA

        return unit_rows(PCA(n_components=n_components, svd_solver="full",
                             random_state=random_state).fit_transform(X))
    if method != "umap":
        raise ValueError(f"unknown reducer {method!r}")
    enable_numba_cache()
    import warnings

    from umap import UMAP

    k = min(n_neighbors, len(X) - 1)
    known = cosine_neighbours(X, k) if len(X) <= EXACT_NEIGHBOURS_UP_TO else (None, None, None)
    # Seeded UMAP runs on one thread (umap-learn forces it); n_jobs=1 says so and keeps it quiet.
    model = UMAP(n_neighbors=k, n_components=n_components, min_dist=0.0, metric="cosine",
                 random_state=random_state, n_jobs=1, low_memory=True, precomputed_knn=known,
                 n_epochs=FEWER_EPOCHS if len(X) >= FEWER_EPOCHS_FROM else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(model.fit_transform(X), dtype=np.float64)


def cosine_neighbours(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, None]:
    """Every row's ``k`` nearest rows by cosine distance (itself first, at 0), nearest first,
    equal distances among them in row order; UMAP's ``precomputed_knn`` (no search index:
    nothing is transformed later)."""
    unit = unit_rows(np.asarray(X, dtype=np.float64))
    n = len(unit)
    indices = np.empty((n, k), dtype=np.int64)
    distances = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, _BLOCK):
        block = 1.0 - unit[start:start + _BLOCK] @ unit.T
        rows = np.arange(len(block))
        block[rows, start + rows] = -1.0  # itself first, whatever the rounding
        nearest = np.argpartition(block, k - 1, axis=1)[:, :k]
        near = np.take_along_axis(block, nearest, axis=1)
        order = np.lexsort((nearest, near), axis=1)
        indices[start:start + _BLOCK] = np.take_along_axis(nearest, order, axis=1)
        distances[start:start + _BLOCK] = np.take_along_axis(near, order, axis=1)
    np.clip(distances, 0.0, 2.0, out=distances)
    return indices, distances, None
