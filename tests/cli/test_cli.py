"""The focuscode command as a user runs it: help everywhere, one-line errors, the demo end to
end."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuscode.cli.app import app
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def focuscode(*args: str, cwd: Path | None = None,
              timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "160"}
    return subprocess.run([sys.executable, "-m", "focuscode", *args], capture_output=True,
                          text=True, cwd=cwd or REPO, env=env, timeout=timeout)


def command_paths() -> list[list[str]]:
    import typer.main

    group = typer.main.get_command(app)
    paths = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            paths += [[name, sub] for sub in command.commands]
        else:
            paths.append([name])
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output and len(result.output.splitlines()) > 3


def test_init_import_themes_without_analysis(tmp_path: Path) -> None:
    project = tmp_path / "p"
    assert runner.invoke(app, ["init", "--project", str(project)]).exit_code == 0
    result = runner.invoke(app, ["import", str(REPO / "transcripts"), "--project", str(project)])
    assert result.exit_code == 0, result.output
    assert "Imported 3 transcript(s)" in result.output
    again = runner.invoke(app, ["import", str(REPO / "transcripts"), "--project", str(project)])
    assert again.output.count("Skipped") == 3
    themes = runner.invoke(app, ["themes", "--project", str(project)])
    assert "No analysis yet" in themes.output


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("empty.txt", b"", "file is empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("prose.txt", b"This is a letter.\nIt has no speakers at all.\n", "no speaker turns found"),
    ("latin.txt", b"Ann: caf\x81\x8d\n", "unknown text encoding"),
    ("notes.pdf", b"%PDF-1.4 ...", "unsupported file type"),
])
def test_bad_file_gives_one_line_error_and_leaves_project_unchanged(
        tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    project = tmp_path / "p"
    Project.init(project).close()
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text("Ann: Hello there, this is a proper turn.\nBob: And so is this one.\n")
    bad = tmp_path / "in" / name
    bad.write_bytes(content)
    result = focuscode("import", str(good), str(bad), "--project", str(project))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    error = [line for line in lines if line.startswith("error:")]
    assert len(error) == 1, result.stderr
    assert name in error[0] and expected in error[0]
    assert "Traceback" not in result.stderr
    with Project.open(project) as opened:
        assert opened.store.transcripts() == []


def test_bad_speakers_file_names_file_and_line(tmp_path: Path) -> None:
    project = tmp_path / "p"
    Project.init(project).close()
    speakers = tmp_path / "speakers.yaml"
    speakers.write_text("speakers:\n  Ann:\n    role: patient\n  Bob: [unclosed\n")
    result = focuscode("import", str(REPO / "transcripts" / "roundtable1_boston.txt"),
                       "--speakers", str(speakers), "--project", str(project))
    assert result.returncode == 1
    assert f"{speakers}:" in result.stderr and "does not parse" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_project_is_a_clear_error(tmp_path: Path) -> None:
    result = focuscode("themes", "--project", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "no focuscode project here" in result.stderr and "focuscode init" in result.stderr


def test_themes_shows_what_the_workbench_shows(tmp_path: Path) -> None:
    from focuscode.domain.review import UNASSIGNED
    from focuscode.pipeline.embed import HashingEmbedder

    folder = tmp_path / "p"
    with Project.init(folder, embedder=HashingEmbedder(), coder="ana") as project:
        project.import_files([REPO / "transcripts"])
        project.analyse()
        a, b, c, d, *_ = project.review.entries()
        project.decisions.merge(a.key, b.key)
        project.decisions.rename(c.key, "Who coordinates care")
        project.decisions.delete(d.key)
        sid = project.review.segments(UNASSIGNED, limit=1).rows[0].segment_id
        project.decisions.move(sid, project.review.resolve_key(c.key))
        entries = project.review.entries()
    result = runner.invoke(app, ["themes", "--project", str(folder), "--coder", "ana"],
                           env={"COLUMNS": "200"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("│") and
            line.split("│")[1].strip()]  # the first line of each entry, the one with its number
    assert [line.split("│")[2].strip().split(" ✓")[0] for line in rows] == \
        [e.label for e in entries if not e.is_queue]
    for entry, line in zip(entries, rows):
        assert line.split("│")[3].strip() == str(entry.n_segments)
    queue = next(line for line in result.output.splitlines() if "(unassigned)" in line)
    assert queue.split("│")[3].strip() == str(entries[-1].n_segments)
    assert a.label not in result.output and d.label not in result.output


@pytest.mark.model
def test_demo_end_to_end_with_the_real_model(tmp_path: Path) -> None:
    """The README's main job on the demo round tables, with all-MiniLM-L6-v2 loaded offline."""
    project, table = tmp_path / "demo", tmp_path / "segments.csv"
    result = focuscode("run", "transcripts/", "--project", str(project), "--to", str(table))
    assert result.returncode == 0, result.stderr
    assert "Imported 3 transcript(s)" in result.stdout
    assert "Themes and codes" in result.stdout
    with Project.open(project) as opened:
        themes = [t for t in opened.themes() if not t.is_queue]
        run = opened.store.latest_run()
        assert run.model_id.startswith("sentence-transformers/all-MiniLM-L6-v2@53aa51172d14")
        assert run.params["random_state"] == 42 and run.versions["sentence-transformers"]
        texts = {t.name: t.text for t in opened.store.transcripts()}
        shown = opened.names.deidentifier()  # names in the text are taken out by default
        first = {t.key: (t.label, t.n_segments) for t in themes}
    # several distinct, sensibly labelled themes, each raised by more than one speaker
    assert 5 <= len(themes) <= 30
    assert len({t.label for t in themes}) == len(themes)
    assert all(t.n_speakers >= 2 and len(t.keywords) >= 3 for t in themes)
    # the seed's headline topics surface among the keywords
    words = {w for t in themes for w in t.keywords}
    assert words & {"pharmacy", "pharmacist", "app", "apps", "digital"}
    assert words & {"covid", "trust", "money", "surveys"}
    with table.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {"transcript", "segment_id", "turn_index", "speaker", "role", "start_char", "end_char",
            "start_time", "text", "theme_id", "theme_label", "coding_status"} <= set(rows[0])
    for row in rows:
        text = row["text"][1:] if row["text"].startswith("'") else row["text"]
        assert shown(texts[row["transcript"]][int(row["start_char"]):int(row["end_char"])]) == text
    assert {row["role"] for row in rows} >= {"patient", "physician", "moderator"}
    assert not any(row["speaker"] == "Dr. Anand Shah" for row in rows)  # pseudonyms by default
    # same inputs and settings -> same themes (the second run reads the embedding cache)
    again = focuscode("analyse", "--project", str(project))
    assert again.returncode == 0 and "0 newly embedded" in again.stdout
    with Project.open(project) as opened:
        second = {t.key: (t.label, t.n_segments) for t in opened.themes() if not t.is_queue}
    assert list(second.values()) == list(first.values())


def test_status_and_review_find_the_project_focuscode_run_made(tmp_path: Path, monkeypatch):
    with Project.init(tmp_path / "exports" / "project"):
        pass  # where 'focuscode run transcripts/' puts it
    monkeypatch.chdir(tmp_path)
    status = runner.invoke(app, ["status"])
    assert status.exit_code == 0, status.output
    assert "Project exports/project (coder: " in status.output
    opened = []
    monkeypatch.setattr("focuscode.tui.make_app",
                        lambda project: type("App", (), {"run": lambda self: opened.append(
                            project.folder)})())
    review = runner.invoke(app, ["review"])
    assert review.exit_code == 0, review.output
    assert opened == [Path("exports/project")]


def test_no_project_here_says_where_focuscode_run_puts_it(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 1
    assert "no focuscode project here" in str(result.exception)
    assert "exports/project" in str(result.exception.hint)
@pytest.mark.parametrize(("value", "expected"), [
    ("0", "--themes must be a whole number of at least 2"),
    ("lots", "--themes must be a whole number of at least 2"),
    ("100000", "more themes than the project has segments"),
])
def test_bad_themes_setting_is_one_line_and_leaves_the_project_unchanged(
        tmp_path: Path, value: str, expected: str) -> None:
    project = tmp_path / "p"
    with Project.init(project) as opened:
        opened.import_files([REPO / "transcripts"])
        before = opened.store.get_setting("analysis", {})
    result = focuscode("analyse", "--themes", value, "--project", str(project))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and expected in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    with Project.open(project) as opened:
        assert opened.store.get_setting("analysis", {}) == before
        assert opened.store.runs() == []


def test_themes_shows_the_theme_tree_and_accept_parent_makes_codes(tmp_path: Path) -> None:
    from focuscode.pipeline.embed import HashingEmbedder

    folder = tmp_path / "p"
    with Project.init(folder, embedder=HashingEmbedder(), coder="ana") as project:
        project.import_files([REPO / "transcripts"])
        project.configure(n_themes=2)
        project.analyse()
        group, children = next((g, c) for g, c in project.theme_tree() if g is not None)
    result = runner.invoke(app, ["themes", "--project", str(folder), "--coder", "ana"],
                           env={"COLUMNS": "200"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Theme tree" in result.output
    line = next(line for line in result.output.splitlines() if line.startswith(f"P{group.id} "))
    assert group.label in line
    for theme in children:
        assert f"    {theme.number + 1}. {theme.label}" in result.output
    accepted = runner.invoke(app, ["accept-parent", f"P{group.id}", "--project", str(folder),
                                   "--coder", "ana"], env={"COLUMNS": "200"},
                             catch_exceptions=False)
    assert accepted.exit_code == 0, accepted.output
    assert f"with {len(children)} child codes" in accepted.output
    bad = runner.invoke(app, ["accept-parent", "Px", "--project", str(folder)])
    assert bad.exit_code == 1
