"""``focuscode run transcripts/`` and ``focuscode analyse`` on a project the researcher has
shaped (the README calls re-running safe): codes, splits, merges, moves and confirmations stay
where they were, and the command says what it kept."""

from __future__ import annotations

import os
import subprocess
import sys
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
    result = CliRunner().invoke(app, [*command, "--project", str(folder), "--yes",
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


@pytest.fixture
def decided(tmp_path, monkeypatch) -> Path:
    """An analysed project with one decision (a theme accepted), analysed by the test
    embedder whatever the command."""
    monkeypatch.setattr(Project, "embedder", lambda self: HashingEmbedder())
    folder = tmp_path / "p"
    with Project.init(folder) as project:
        project.import_files([REPO / "transcripts"])
        project.analyse()
        project.decisions.accept(project.review.entries()[0].key, CODE)
    return folder


def _runs(folder: Path) -> int:
    with Project.open(folder) as project:
        return len(project.store.runs())


@pytest.mark.parametrize("command", [["analyse"], ["run", str(REPO / "transcripts")]])
def test_without_yes_and_no_terminal_one_line_and_nothing_changes(decided, command) -> None:
    result = subprocess.run([sys.executable, "-m", "focuscode", *command, "--project",
                             str(decided)], capture_output=True, text=True, timeout=300,
                            stdin=subprocess.DEVNULL, env={**os.environ, "COLUMNS": "200"})
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1 and "pass --yes" in lines[0] and "nothing was changed" in lines[0]
    assert _runs(decided) == 1


@pytest.mark.parametrize(("answer", "runs"), [("n\n", 1), ("y\n", 2)])
def test_at_a_terminal_the_preview_is_shown_and_asked(decided, monkeypatch, answer,
                                                      runs) -> None:
    monkeypatch.setattr("focuscode.cli.app.interactive", lambda: True)
    with Project.open(decided) as project:  # settings that change the themes
        project.configure(min_cluster_size=4, cluster_selection_method="leaf")
    result = CliRunner().invoke(app, ["analyse", "--project", str(decided)], input=answer)
    assert result.exit_code == 0, result.output
    assert "Re-analysing keeps your codes" in result.output and "Re-analyse?" in result.output
    assert "new theme '" in result.output and "is gone" in result.output
    assert _runs(decided) == runs
