"""Shared fixtures: a tiny transcript, the deterministic embedder, blobs, stores and projects."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.store import ProjectStore
from focuscode.workflows import Project

TESTS = Path(__file__).parent
REPO = TESTS.parent
DEMO = REPO / "transcripts"


@pytest.fixture
def tiny_transcript() -> Path:
    """Three speakers (one moderator), 12 turns, a preamble, a multi-line turn and notes."""
    return TESTS / "fixtures" / "tiny.txt"


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def blobs() -> tuple[np.ndarray, np.ndarray]:
    """Three well separated blobs of 40, 30 and 20 unit vectors, and their true labels."""
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=[40, 30, 20], n_features=8, random_state=0)
    return X / np.linalg.norm(X, axis=1, keepdims=True), y


@pytest.fixture
def memory_store():
    store = ProjectStore(":memory:", create=True)
    yield store
    store.close()


@pytest.fixture
def project(tmp_path: Path):
    with Project.init(tmp_path / "proj", embedder=HashingEmbedder()) as opened:
        yield opened


@pytest.fixture
def demo_dir() -> Path:
    """The bundled demo transcripts and their speakers file."""
    return DEMO


@pytest.fixture
def shared_dir() -> Path:
    shared = REPO.parent / "shared"
    if not shared.is_dir():
        pytest.skip("../shared/ not present: this test reads the project's shared data "
                    "(CI and developer machines have it)")
    return shared
