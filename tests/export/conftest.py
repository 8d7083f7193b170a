"""A reviewed demo project for the report exports: built once per session, copied to change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "transcripts"
REFI = REPO.parent / "shared" / "refi"
CODER = "ana"


def build_reviewed_project(folder: Path) -> Path:
    """The demo round tables, analysed with the hashing embedder; two themes accepted as codes,
    three segments of each confirmed and one rejected."""
    with Project.init(folder, embedder=HashingEmbedder(), coder=CODER) as project:
        project.import_files([DEMO])
        project.analyse()
        rows = project.segment_rows()
        themes = [t for t in project.themes() if t.theme_id is not None]
        by_role = {t.theme_id: t.by_role for t in themes}
        # a theme both patients and physicians raised, and one mostly physicians raised
        mixed = next(t for t in themes if by_role[t.theme_id].get("patient", 0) >= 5
                     and by_role[t.theme_id].get("physician", 0) >= 5)
        physician = max((t for t in themes if t.theme_id != mixed.theme_id),
                        key=lambda t: t.by_role.get("physician", 0) - t.by_role.get("patient", 0))
        project.accept_theme(mixed.theme_id, name="Who coordinates care")
        project.accept_theme(physician.theme_id, name="Physicians want data")
        for theme in (mixed, physician):
            members = [r for r in rows if r.theme_id == theme.theme_id]
            for row in members[:3]:
                project.confirm(row.segment_id, theme.theme_id)
        rejected = [r for r in rows if r.theme_id == mixed.theme_id][3]
        project.reject(rejected.segment_id, mixed.theme_id)
    return folder


def add_second_coder(project: Project) -> None:
    """ben confirms two of ana's codings and one segment of his own (for the first code)."""
    data = project.reports.data()
    confirmed = [c for c in data.codings if c.status == "confirmed"]
    theme_of = {c.key: c.theme_id for c in data.codes}
    coder, project.coder = project.coder, "ben"
    for coding in confirmed[:2]:
        project.confirm(coding.segment_id, theme_of[coding.code_key])
    own = next(c for c in data.codings if c.status == "suggested"
               and c.code_key == confirmed[0].code_key)
    project.confirm(own.segment_id, theme_of[own.code_key])
    project.coder = coder


@pytest.fixture(scope="session")
def second_coder():
    return add_second_coder


@pytest.fixture(scope="session")
def reviewed_template(tmp_path_factory) -> Path:
    return build_reviewed_project(tmp_path_factory.mktemp("reviewed") / "demo")


@pytest.fixture(scope="session")
def reviewed(reviewed_template: Path):
    """The reviewed project, opened once; tests must not change it (use ``reviewed_copy``)."""
    with Project.open(reviewed_template, embedder=HashingEmbedder(), coder=CODER) as project:
        yield project


@pytest.fixture(scope="session")
def report_data(reviewed):
    return reviewed.reports.data()


@pytest.fixture
def reviewed_copy(reviewed_template: Path, tmp_path: Path):
    target = tmp_path / "demo"
    shutil.copytree(reviewed_template, target)
    with Project.open(target, embedder=HashingEmbedder(), coder=CODER) as project:
        yield project


@pytest.fixture(scope="session")
def refi_schemas() -> Path:
    if not (REFI / "Project.xsd").is_file():
        pytest.skip(f"the REFI-QDA schemas are not here ({REFI}): ../shared/refi is absent")
    return REFI
