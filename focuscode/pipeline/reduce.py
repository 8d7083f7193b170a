"""Dimension reduction before HDBSCAN: UMAP (keeps neighbourhoods; the default) or PCA.

UMAP's numba functions are compiled on first use, 10-60 s in a cold process on a busy 2-core
machine. Most of umap-learn's and pynndescent's functions do not ask numba to cache what it
compiled, so every new process paid that again. Caching is switched on for them here, in a user
cache folder (``FOCUSCODE_NUMBA_CACHE``, else the platform's user cache folder); only the first
analysis on a machine (or after a library upgrade) compiles.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

REDUCERS = ("umap", "pca", "none")
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

        reduced = PCA(n_components=n_components, svd_solver="full",
                      random_state=random_state).fit_transform(X)
        norms = np.linalg.norm(reduced, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return reduced / norms
    if method != "umap":
        raise ValueError(f"unknown reducer {method!r}")
    enable_numba_cache()
    import warnings

    from umap import UMAP

    # Seeded UMAP runs on one thread (umap-learn forces it); n_jobs=1 says so and keeps it quiet.
    model = UMAP(n_neighbors=min(n_neighbors, len(X) - 1), n_components=n_components,
                 min_dist=0.0, metric="cosine", random_state=random_state, n_jobs=1,
                 low_memory=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(model.fit_transform(X), dtype=np.float64)
