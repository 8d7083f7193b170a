"""The deterministic test embedder (the real model is never loaded here)."""

from __future__ import annotations

import numpy as np


def test_hashing_embedder_is_deterministic_and_unit_length(hashing_embedder):
    texts = ["The pharmacy ran out.", "the PHARMACY ran out", "Waiting for months.", ""]
    first = hashing_embedder.encode(texts)
    second = type(hashing_embedder)().encode(texts)
    assert (first.shape, first.dtype) == ((4, 256), np.float32)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first[0], first[1])  # case and punctuation do not matter
    np.testing.assert_allclose(np.linalg.norm(first[:3], axis=1), 1.0, rtol=1e-6)
    assert not first[3].any()


def test_hashing_embedder_model_id_and_progress(hashing_embedder):
    seen = []
    hashing_embedder.encode(["a", "b", "c"], on_batch=seen.append)
    assert (hashing_embedder.model_id, seen) == ("hashing-256-0", [3])
    assert type(hashing_embedder)(n_features=64, seed=3).model_id == "hashing-64-3"
