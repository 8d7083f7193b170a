"""``focuscode status --check``: SQLite's integrity check and the decision log replayed over the
project's state; one line per problem, exit 1 if any."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from focuscode.cli.app import app
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]


def test_status_check_passes_then_names_each_problem(tmp_path) -> None:
    folder = tmp_path / "p"
    with Project.init(folder, embedder=HashingEmbedder(), coder="ana") as project:
        project.import_files([REPO / "transcripts"])
        project.analyse()
        theme = project.review.entries()[0]
        ids = [r.segment_id for r in project.review.segments(theme.key, limit=3).rows]
        project.decisions.accept(theme.key, "Waiting")
        key = project.review.resolve_key(theme.key)
        project.decisions.confirm(key, ids[:2])
        project.decisions.move(ids[2], new_code="Elsewhere", from_key=key)
        project.analyse()
        project.undo()
    result = CliRunner().invoke(app, ["status", "--check", "--project", str(folder)])
    assert result.exit_code == 0, result.output
    assert "Check: the database is sound and the decision log matches" in result.output
    with Project.open(folder) as project, project.store.db.atomic() as db:
        db.execute("UPDATE codings SET status = 'rejected' WHERE segment_id = ?", (ids[0],))
        db.execute("UPDATE analysis_runs SET status = 'active'")
    result = CliRunner().invoke(app, ["status", "--check", "--project", str(folder)])
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("Problem:")]
    assert problems == [
        f"Problem: coding of segment {ids[0]} with code 1 by ana is 'rejected', but the decision "
        "log says 'confirmed'",
        "Problem: analysis run 2's status is 'active', but the decision log says 'pending'"]
