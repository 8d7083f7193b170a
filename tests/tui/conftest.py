"""Projects for the workbench tests: the demo round tables analysed once per session (with the
deterministic embedder), copied for each test; and helpers to read the stored decisions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

DEMO = Path(__file__).parents[2] / "transcripts"
STARTER = Path(__file__).parents[2] / "codebooks" / "starter_codebook.yaml"


@pytest.fixture(scope="session")
def review_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review") / "proj"
    with Project.init(folder, embedder=HashingEmbedder(), coder="tester") as project:
        project.import_files([DEMO])
        # The workbench tests read themes of known sizes: the clustering of before UMAP (issue
        # 11) keeps them; the names are today's. No parent themes: the flat overview (the theme
        # tree has its own project, tree_project).
        project.configure(reducer="pca", n_components=10, n_themes=50)
        project.analyse()
    return folder


@pytest.fixture(scope="session")
def tree_template(tmp_path_factory) -> Path:
    """The demo transcripts analysed into a theme tree: two top-level themes (parents)."""
    folder = tmp_path_factory.mktemp("tree") / "proj"
    with Project.init(folder, embedder=HashingEmbedder(), coder="tester") as project:
        project.import_files([DEMO])
        project.configure(n_themes=2)
        project.analyse()
    return folder


@pytest.fixture
def tree_project(tmp_path, tree_template):
    """A project whose overview is a theme tree; decisions are made as 'tester'."""
    yield from _opened_copy(tree_template, tmp_path / "proj")


def _open(folder: Path) -> Project:
    return Project.open(folder, embedder=HashingEmbedder(), coder="tester")


def _opened_copy(template: Path, folder: Path):  # noqa: ANN202 - a fixture's generator
    """A copy of a session template, opened as 'tester' (closed after the test)."""
    shutil.copytree(template, folder)
    with _open(folder) as project:
        yield project


@pytest.fixture
def review_project(tmp_path, review_template):
    """The demo transcripts imported and analysed; decisions are made as 'tester'."""
    yield from _opened_copy(review_template, tmp_path / "proj")


@pytest.fixture(scope="session")
def codebook_template(tmp_path_factory, review_template) -> Path:
    """The analysed demo project with the starter codebook imported (no suggestions yet)."""
    folder = tmp_path_factory.mktemp("codebook") / "proj"
    shutil.copytree(review_template, folder)
    with _open(folder) as project:
        project.codebook.import_file(STARTER)
    return folder


@pytest.fixture(scope="session")
def suggested_template(tmp_path_factory, codebook_template) -> Path:
    folder = tmp_path_factory.mktemp("suggested") / "proj"
    shutil.copytree(codebook_template, folder)
    with _open(folder) as project:
        project.suggestions.run()
    return folder


@pytest.fixture
def codebook_project(tmp_path, codebook_template):
    """The analysed demo transcripts and the starter codebook; no suggestion run yet."""
    yield from _opened_copy(codebook_template, tmp_path / "proj")


@pytest.fixture
def suggested_project(tmp_path, suggested_template):
    """As ``codebook_project``, with the codes suggested for every segment (one run)."""
    yield from _opened_copy(suggested_template, tmp_path / "proj")


@pytest.fixture
def empty_project(tmp_path):
    with Project.init(tmp_path / "empty", embedder=HashingEmbedder(), coder="tester") as project:
        yield project


class Stored:
    """What the project holds, read through a new connection as another process would."""

    def __init__(self, project: Project) -> None:
        self.project = project

    def reopen(self) -> Project:
        return Project.open(self.project.folder, embedder=HashingEmbedder(), coder="tester")

    def codings(self) -> list[tuple[int, str, str]]:
        """(segment id, code name, status) of every coding."""
        with self.reopen() as fresh:
            names = {c.id: c.name for c in fresh.log.codes(include_deleted=True)}
            return sorted((c.segment_id, names[c.code_id], c.status.value)
                          for c in fresh.log.codings())

    def labels(self) -> list[str]:
        with self.reopen() as fresh:
            return [e.label for e in fresh.review.entries()]


@pytest.fixture
def stored(review_project) -> Stored:
    return Stored(review_project)
