"""``focuscode run transcripts/`` and ``focuscode analyse`` on a project the researcher has
shaped (the README calls re-running safe): codes, splits, merges, moves and confirmations stay
where they were, and the command says what it kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuscode.cli.app import app
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
CODE = "Lost trust in pharma and healthcare"


def _seen(project: Project) -> dict[str, tuple]:
    return {e.label: (e.n_segments, e.n_confirmed, e.n_rejected) for e in project.review.entries()}


@pytest.mark.parametrize("command", [["run", str(REPO / "transcripts")], ["analyse"]])
def test_rerunning_keeps_the_researchers_structure(tmp_path, monkeypatch, command) -> None:
    monkeypatch.setattr(Project, "embedder", lambda self: HashingEmbedder())
    folder = tmp_path / "p"
    with Project.init(folder, coder="ana") as project:
        project.import_files([REPO / "transcripts"])
        project.analyse()
        themes = sorted((e for e in project.review.entries() if not e.is_queue),
                        key=lambda e: -e.n_segments)
        project.decisions.accept(themes[1].key, CODE)
        code = project.review.resolve_key(themes[1].key)
        parts = [f"t{t}" for t in project.decisions.split(themes[0].key, n_themes=3)
                 .payload["themes"]]
        project.decisions.merge(parts[0], code)
        project.decisions.confirm(code, [r.segment_id for r in project.review.segments(code).rows
                                         [:3]])
        before = _seen(project)
    result = CliRunner().invoke(app, [*command, "--project", str(folder),
                                      *(["--to", str(tmp_path / "s.csv")]
                                        if command[0] == "run" else [])])
    assert result.exit_code == 0, result.output
    assert f"Kept: code '{CODE}'" in result.output and "undoes the re-analysis" in result.output
    with Project.open(folder, coder="ana") as project:
        assert _seen(project) == before
    with Project.open(folder) as project:  # as the command ran: the default coder
        project.undo()
        assert project.store.latest_run().id == 1
    with Project.open(folder, coder="ana") as project:
        assert _seen(project) == before
