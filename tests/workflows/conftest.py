"""The demo round tables (imported, and analysed) opened as projects: copies of the session's
templates (``tests/conftest.py``), one per test."""

from __future__ import annotations

import pytest

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project


@pytest.fixture
def imported_project(imported_copy):
    """The demo transcripts imported (with speakers.yaml), not analysed."""
    with Project.open(imported_copy, embedder=HashingEmbedder()) as project:
        yield project


@pytest.fixture
def analysed_project(analysed_copy):
    """The demo transcripts imported and analysed once with the default settings."""
    with Project.open(analysed_copy, embedder=HashingEmbedder()) as project:
        yield project
