"""Projects for the workbench tests: the demo round tables analysed once per session (with the
deterministic embedder), copied for each test; and helpers to read the stored decisions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

DEMO = Path(__file__).parents[2] / "transcripts"



@pytest.fixture(scope="session")
def review_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review") / "proj"
    with Project.init(folder, embedder=HashingEmbedder(), coder="tester") as project:
        project.import_files([DEMO])
        project.analyse()
    return folder


@pytest.fixture
def review_project(tmp_path, review_template):
    """The demo transcripts imported and analysed; decisions are made as 'tester'."""
    shutil.copytree(review_template, tmp_path / "proj")
    with Project.open(tmp_path / "proj", embedder=HashingEmbedder(), coder="tester") as project:
        yield project


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
