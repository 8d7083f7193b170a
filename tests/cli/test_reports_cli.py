"""The report commands: thin, documented, and writing what they say."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuscode.cli import app
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
    assert "<h1>focuscode report: demo</h1>" in (folder / "r.html").read_text(encoding="utf-8")
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
