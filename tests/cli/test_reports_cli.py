"""The report commands: thin, documented, and writing what they say."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuscode.cli.app import app
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

DEMO = Path(__file__).resolve().parents[2] / "transcripts"
runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli-reports") / "demo"
    with Project.init(folder, embedder=HashingEmbedder(), coder="ana") as project:
        project.import_files([DEMO])
        project.analyse()
        theme = next(t for t in project.themes() if t.theme_id is not None)
        project.accept_theme(theme.theme_id, name="Who coordinates care")
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(template, tmp_path / "demo"))


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_export_quotes_in_every_format(folder: Path) -> None:
    for fmt in ("csv", "xlsx", "md", "docx"):
        out = _ok("export", "quotes", "--format", fmt, "--to", str(folder / f"q.{fmt}"),
                  "--project", str(folder))
        assert "Wrote the theme-quote table" in out and (folder / f"q.{fmt}").stat().st_size
    _ok("export", "quotes", "--long", "--to", str(folder / "long.csv"), "--project", str(folder))
    _ok("export", "matrix", "--to", str(folder / "m.xlsx"), "--project", str(folder))


def test_compare_prints_a_table_and_writes_it(folder: Path) -> None:
    out = _ok("compare", "--by", "role", "--groups", "patient,physician", "--to",
              str(folder / "c.csv"), "--project", str(folder))
    assert "Themes by role" in out and "patient" in out
    assert "Who coordinates care" in (folder / "c.csv").read_text(encoding="utf-8-sig")
    result = runner.invoke(app, ["compare", "--by", "shoe_size", "--project", str(folder)])
    assert result.exit_code != 0


def test_contrast_report_plots_refi_and_codebook(folder: Path) -> None:
    assert "Perspectives" in _ok("contrast", "--project", str(folder))
    _ok("report", "--to", str(folder / "r.html"), "--project", str(folder))
    assert "<h1>demo</h1>" in (folder / "r.html").read_text(encoding="utf-8")
    _ok("export", "plots", "--to", str(folder / "plots"), "--project", str(folder))
    assert len(list((folder / "plots").glob("*.png"))) == 3
    _ok("export", "refi", "--to", str(folder / "p.qdpx"), "--project", str(folder))
    assert "project.qde" in zipfile.ZipFile(folder / "p.qdpx").namelist()
    _ok("codebook", "export", "--format", "qdc", "--to", str(folder / "c.qdc"), "--project",
        str(folder))
    fresh = folder.parent / "fresh"
    _ok("init", "--project", str(fresh))
    assert "Added 1 code(s)" in _ok("codebook", "import", str(folder / "c.qdc"), "--project",
                                    str(fresh))


def test_export_refi_holds_the_codebook(folder: Path) -> None:
    _ok("export", "refi", "--to", str(folder / "p.qdpx"), "--project", str(folder))
    qde = zipfile.ZipFile(folder / "p.qdpx").read("project.qde").decode("utf-8")
    assert "<CodeBook>" in qde and 'name="Who coordinates care"' in qde


def _segments_csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["segment_id"]: row for row in csv.DictReader(handle)}


def test_blind_and_open_on_the_export_and_report_commands(folder: Path) -> None:
    with Project.open(folder, embedder=HashingEmbedder(), coder="ana") as ana:
        key = next(e.key for e in ana.review.entries() if e.label == "Who coordinates care")
        first, second = [r.segment_id for r in ana.review.segments(key).rows[:2]]
        ana.suggestions.confirm([(first, "Who coordinates care")])
    with Project.open(folder, embedder=HashingEmbedder(), coder="ben") as ben:
        ben.suggestions.reject([(first, "Who coordinates care")])
        ben.suggestions.confirm([(second, "Who coordinates care")])
    p = ["--project", str(folder)]
    out = _ok("export", "segments", "--to", str(folder / "blind.csv"), "--coder", "ben",
              "--blind", *p)
    assert "blind mode: ben's decisions only" in " ".join(out.split())
    rows = _segments_csv(folder / "blind.csv")
    assert {r["blind_coder"] for r in rows.values()} == {"ben"}
    assert (rows[str(first)]["coding_status"], rows[str(second)]["coding_status"]) == (
        "rejected", "confirmed")
    for flag in ("--open", "--no-blind"):
        out = _ok("export", "segments", "--to", str(folder / "open.csv"), "--coder", "ben",
                  flag, *p)
        rows = _segments_csv(folder / "open.csv")
        assert "mode:" not in out and "blind_coder" not in next(iter(rows.values()))
        assert rows[str(first)]["coding_status"] == "confirmed"  # ana's confirmation
    # The project's setting applies to every command that takes --blind, unless overridden.
    _ok("coders", "--blind", *p)
    for command in (["export", "quotes", "--to", str(folder / "q.xlsx")],
                    ["export", "matrix", "--to", str(folder / "m.csv")],
                    ["export", "plots", "--to", str(folder / "plots")],
                    ["export", "refi", "--to", str(folder / "p.qdpx")],
                    ["report", "--to", str(folder / "r.html")],
                    ["compare"], ["contrast"]):
        out = " ".join(_ok(*command, "--coder", "ana", *p).split())  # Rich wraps at 80
        assert "blind mode: ana's decisions only" in out, command
    assert _confirmed_and_about(folder / "q.xlsx") == (1, True)  # ana's own confirmation
    assert "mode:" not in _ok("export", "quotes", "--to", str(folder / "q.xlsx"), "--coder",
                              "ana", "--open", *p)
    assert _confirmed_and_about(folder / "q.xlsx") == (2, False)  # and ben's


def test_themes_takes_blind_and_open(folder: Path) -> None:
    p = ["--project", str(folder), "--coder", "ana"]
    out = " ".join(_ok("themes", "--blind", *p).split())
    assert "Themes and codes" in out and "blind mode: ana's decisions only" in out
    for flag in ("--open", "--no-blind"):
        assert "blind mode" not in _ok("themes", flag, *p)
    _ok("coders", "--blind", "--project", str(folder))  # the project's setting applies
    assert "blind mode: ana's decisions only" in " ".join(_ok("themes", *p).split())


def _confirmed_and_about(path: Path) -> tuple[int, bool]:
    """The code's n_confirmed in a theme-quote workbook, and whether it says it is blind."""
    import pandas as pd

    sheets = pd.read_excel(path, sheet_name=None)
    themes = sheets["Themes"].set_index("code")
    about = " ".join(sheets["About"].iloc[:, 0].astype(str))
    return int(themes.loc["Who coordinates care", "n_confirmed"]), "Blind mode: made for" in about


def test_names_lists_candidates_and_keeps_decisions(folder: Path) -> None:
    out = _ok("names", "--project", str(folder))
    assert "Diane" in out and "likely" in out and "by [name]: Alex, Rosa" in out  # the demo's list
    out = _ok("names", "--confirm", "Diane", "--drop", "Google", "--project", str(folder))
    assert "confirmed: Diane" in out and "dropped: Google" in out
    assert "Alex, Rosa, Diane" in _ok("names", "--project", str(folder))
    segments = folder / "s.csv"
    _ok("export", "segments", "--to", str(segments), "--project", str(folder))
    assert "Diane" not in segments.read_text("utf-8-sig")
    _ok("export", "segments", "--real-names", "--to", str(segments), "--project", str(folder))
    assert "Diane" in segments.read_text("utf-8-sig")


def test_compare_to_a_pipe_writes_whole_rows(folder: Path) -> None:
    out = _ok("compare", "--groups", "patient,physician", "--project", str(folder))
    row = next(line for line in out.splitlines() if line.startswith("| Who coordinates care"))
    assert row.count("|") >= 10 and " pp" in row and "segments:" in row  # one line, not wrapped
    assert "…" not in out and "percentage points (pp)" in out
    table = _ok("compare", "--format", "csv", "--project", str(folder))
    header, first = table.splitlines()[:2]
    assert header.startswith("code_key,code,status,n_confirmed") and first.count(",") > 10


def test_export_framework_by_speaker_role_or_transcript(folder: Path) -> None:
    out = _ok("export", "framework", "--to", str(folder / "f.xlsx"), "--project", str(folder))
    assert "Wrote the framework matrix" in out and (folder / "f.xlsx").stat().st_size
    _ok("export", "framework", "--by", "role", "--to", str(folder / "f.docx"),
        "--project", str(folder))
    result = runner.invoke(app, ["export", "framework", "--by", "site", "--to",
                                 str(folder / "x.xlsx"), "--project", str(folder)])
    assert result.exit_code != 0 and "speaker, role or transcript" in str(result.exception)
