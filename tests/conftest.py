"""Shared fixtures: a tiny transcript, the deterministic embedder, blobs, stores and projects,
and the demo round tables imported and analysed once per session (templates to copy)."""

from __future__ import annotations

import shutil
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


# the demo round tables, built once per session: templates to copy, never to open ---------------
def _build_demo(folder: Path, *, analyse: bool) -> Path:
    with Project.init(folder, embedder=HashingEmbedder()) as project:
        project.import_files([DEMO])
        if analyse:
            project.analyse()
    return folder


@pytest.fixture(scope="session")
def demo_imported(tmp_path_factory) -> Path:
    """The demo transcripts imported (speakers.yaml included), not analysed."""
    return _build_demo(tmp_path_factory.mktemp("demo-imported") / "proj", analyse=False)


@pytest.fixture(scope="session")
def demo_analysed(tmp_path_factory, demo_imported) -> Path:
    """The demo imported and analysed once with the hashing embedder and default settings."""
    folder = tmp_path_factory.mktemp("demo-analysed") / "proj"
    shutil.copytree(demo_imported, folder)
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        project.analyse()
    return folder


@pytest.fixture
def imported_copy(tmp_path, demo_imported) -> Path:
    """A copy of ``demo_imported`` of this test's own."""
    return Path(shutil.copytree(demo_imported, tmp_path / "proj"))


@pytest.fixture
def analysed_copy(tmp_path, demo_analysed) -> Path:
    """A copy of ``demo_analysed`` of this test's own."""
    return Path(shutil.copytree(demo_analysed, tmp_path / "proj"))


# the ``model`` marker: on exactly the tests that load the real model ---------------------------
# Tests that get the real model's project from these fixtures load it (in a child process).
MODEL_FIXTURES = frozenset({"demo_real_analysed", "real_analysed_copy"})


def pytest_collection_modifyitems(items) -> None:  # noqa: ANN001 - pytest hook
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.model)


@pytest.fixture(autouse=True)
def _model_marker_is_honest(request, monkeypatch):
    """A test not marked ``model`` that loads the real model in this process fails, saying so
    (so ``pytest -m "not model"`` is the quick suite, and ``-m model`` the model tests)."""
    if request.node.get_closest_marker("model") is None:
        from focuscode.pipeline import embed

        def refuse(self):  # noqa: ANN001, ANN202
            pytest.fail("this test loads the real model: mark it @pytest.mark.model",
                        pytrace=False)

        monkeypatch.setattr(embed.SentenceTransformerEmbedder, "_model", property(refuse))
    yield
