"""Projects holding the demo round tables, built once per session and copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

DEMO = Path(__file__).parents[2] / "transcripts"


def _build(folder: Path, *, analyse: bool) -> Path:
    with Project.init(folder, embedder=HashingEmbedder()) as project:
        project.import_files([DEMO])
        if analyse:
            project.analyse()
    return folder


@pytest.fixture(scope="session")
def imported_template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("imported") / "proj", analyse=False)


@pytest.fixture(scope="session")
def analysed_template(tmp_path_factory, imported_template) -> Path:
    folder = tmp_path_factory.mktemp("analysed") / "proj"
    shutil.copytree(imported_template, folder)
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        project.analyse()
    return folder


def _open_copy(template: Path, target: Path):
    shutil.copytree(template, target)
    return Project.open(target, embedder=HashingEmbedder())


@pytest.fixture
def imported_project(tmp_path, imported_template):
    """The demo transcripts imported (with speakers.yaml), not analysed."""
    with _open_copy(imported_template, tmp_path / "proj") as project:
        yield project


@pytest.fixture
def analysed_project(tmp_path, analysed_template):
    """The demo transcripts imported and analysed once with the default settings."""
    with _open_copy(analysed_template, tmp_path / "proj") as project:
        yield project
