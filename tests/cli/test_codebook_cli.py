"""Codebooks, suggestions, coders and agreement from the command line, as a new user goes: import
the starter codebook, get suggestions, code as A and as B (blind), see kappa and alpha with the
disagreements, export the codebook as .qdc and import it back identically."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from focuscode.cli.app import app
from focuscode.domain import FocuscodeError
from focuscode.export.codebooks import read_codebook
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "codebooks" / "starter_codebook.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli-codebook") / "demo"
    with Project.init(folder, embedder=HashingEmbedder()) as project:
        project.import_files([REPO / "transcripts"])
        project.analyse()
    return folder


@pytest.fixture
def folder(template: Path, tmp_path: Path, monkeypatch) -> Path:
    """A copy of the analysed demo whose commands embed with the deterministic test double."""
    monkeypatch.setattr(Project, "embedder", lambda self: HashingEmbedder())
    monkeypatch.setenv("COLUMNS", "160")
    return Path(shutil.copytree(template, tmp_path / "demo"))


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _pending(folder: Path, coder: str, n: int) -> list[tuple[int, str]]:
    with Project.open(folder, coder=coder, embedder=HashingEmbedder()) as project:
        rows, _ = project.suggestions.pending(limit=n)
        return [(r.suggestion.segment_id, f"c{r.suggestion.code_id}") for r in rows]


def test_new_user_journey(folder: Path, tmp_path: Path) -> None:
    p = ["--project", str(folder)]
    assert "Added 18 code(s)" in _ok("codebook", "import", str(STARTER), *p)
    assert "Nothing to change" in _ok("codebook", "import", str(STARTER), *p)
    shown = _ok("codebook", "show", *p)
    assert "Patient-centricity starter codebook" in shown and "Holistic view of care" in shown
    out = _ok("suggest", *p, "--show", "3", "--to", str(tmp_path / "suggestions.csv"))
    assert "Suggested" in out and "Pending suggestions (first 3 of" in out
    assert "why: nearest evidence" in out and "matches" in out
    assert (tmp_path / "suggestions.csv").read_text(encoding="utf-8-sig").startswith(
        "segment_id,transcript")
    # A and B code blind: B sees nothing of A's decisions
    assert "Blind mode on" in _ok("coders", "--blind", *p)
    pairs = _pending(folder, "A", 6)
    for segment_id, code in pairs[:4]:
        assert "A: confirmed" in _ok("code", str(segment_id), "--as", code, "--coder", "A", *p)
    _ok("code", str(pairs[4][0]), "--as", pairs[4][1], "--reject", "--coder", "A", *p)
    out = _ok("suggest", "--coder", "B", *p, "--show", "50")
    assert "A: confirmed" not in out
    for segment_id, code in pairs[1:5]:
        _ok("code", str(segment_id), "--as", code, "--coder", "B", *p)
    # blind: B compares with the model only
    out = _ok("agreement", "--coder", "B", *p)
    assert "B & model" in out and "A & B" not in out
    result = runner.invoke(app, ["agreement", "--coders", "A", "B", "--coder", "B", *p])
    assert isinstance(result.exception, FocuscodeError) and "blind mode" in str(result.exception)
    # the lead opens the project and compares everyone
    assert "Blind mode off" in _ok("coders", "--open", *p)
    out = _ok("agreement", "--coders", "A", "B", *p, "--to", str(tmp_path / "agreement.xlsx"))
    assert "A & B" in out and "kappa" in out and "alpha" in out and "(all codes)" in out
    assert "Disagreements (first" in out
    assert (tmp_path / "agreement.xlsx").stat().st_size > 0
    out = _ok("agreement", *p, "--overall-only")
    assert "A & model" in out and "B & model" in out
    coders = _ok("coders", *p)
    assert "A " in coders and "B " in coders and "suggested" in coders


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx", "qdc"])
def test_export_and_import_back_in_every_format(folder: Path, tmp_path: Path, fmt: str) -> None:
    _ok("codebook", "import", str(STARTER), "--project", str(folder))
    target = tmp_path / f"book.{fmt}"
    out = _ok("codebook", "export", "--format", fmt, "--to", str(target), "--project",
              str(folder))
    assert "Wrote the codebook (18 codes)" in out
    assert ("cannot hold the codebook's name and description" in out) == (fmt in ("csv", "qdc"))
    fresh = tmp_path / "fresh"
    _ok("init", "--project", str(fresh))
    assert "Added 18 code(s)" in _ok("codebook", "import", str(target), "--project", str(fresh))
    with Project.open(fresh) as project:
        codes = tuple(replace(c, id=None) for c in project.codebook.current().codes)
    assert codes == read_codebook(STARTER).codes


@pytest.mark.shared
def test_exported_qdc_validates_against_the_schema(folder: Path, tmp_path: Path) -> None:
    import xmlschema

    schema = REPO.parent / "shared" / "refi" / "Codebook.xsd"
    if not schema.is_file():
        pytest.skip("../shared/refi is absent")
    _ok("codebook", "import", str(STARTER), "--project", str(folder))
    _ok("codebook", "export", "--to", str(tmp_path / "book.qdc"), "--project", str(folder))
    xmlschema.XMLSchema(str(schema)).validate(str(tmp_path / "book.qdc"))


def test_errors_are_one_clear_line(folder: Path, tmp_path: Path) -> None:
    p = ["--project", str(folder)]
    result = runner.invoke(app, ["suggest", *p])
    assert "no codes to suggest" in str(result.exception)
    result = runner.invoke(app, ["codebook", "export", "--format", "json", "--to",
                                 str(tmp_path / "x.json"), *p])
    assert "unknown codebook format 'json'" in str(result.exception)
    result = runner.invoke(app, ["code", "1", "--as", "Nope", *p])
    assert "no code 'Nope'" in str(result.exception)


def test_suggest_lists_the_codes_made_since_the_run_apart() -> None:
    from focuscode.cli.app import console
    from focuscode.cli.codebook import print_suggest_report
    from focuscode.domain.suggestions import (
        CodebookAlignment,
        CodeCoverage,
        SuggestionRun,
        SuggestReport,
    )

    run = SuggestionRun(id=1, created_at="", model_id="hashing-256-0", model_version="",
                        threshold=1.0, calibration="the default 1.00")
    alignment = CodebookAlignment(unmatched_codes=(CodeCoverage(1, "Quantum", 0, 0),),
                                  codes_since_run=(CodeCoverage(2, "Parking", 0, 0),))
    with console.capture() as captured:
        print_suggest_report(SuggestReport(run, 0, 0, alignment), [], 0)
    out = " ".join(captured.get().split())
    assert "Codes no segment matches: Quantum" in out and "Quantum, Parking" not in out
    assert "Codes made since the run, which it could not match (run 'focuscode suggest' " \
           "again): Parking" in out


def test_code_accepts_a_theme_by_its_number_in_the_themes_table(folder: Path) -> None:
    table = _ok("themes", "--project", str(folder))
    assert "--accept-theme" in table
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        entry = next(e for e in project.themes() if e.number == 2)
    out = _ok("code", "--accept-theme", "3", "--name", "Coordinating care",
              "--project", str(folder))
    assert "accepted 'Coordinating care' as a code" in out
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        code = next(e for e in project.themes() if e.number == 2)
        assert (code.label, code.status, code.theme_ids) == ("Coordinating care", "accepted",
                                                             entry.theme_ids)
        project.undo()  # one decision
        assert next(e for e in project.themes() if e.number == 2).status == "suggested"
    plain = _ok("code", "--accept-theme", "4", "--project", str(folder))
    assert "as a code" in plain
    for args, message in ((["--accept-theme", "99"], "no theme 99"),
                          (["--accept-theme", "4"], "already a code"),
                          (["--accept-theme", "5", "7", "--as", "x"], "takes no segments"),
                          (["7"], "--as CODE"), (["--name", "x"], "--accept-theme")):
        result = runner.invoke(app, ["code", *args, "--project", str(folder)])
        assert result.exit_code != 0 and isinstance(result.exception, FocuscodeError)
        assert message in str(result.exception), (args, result.exception)


def test_code_decides_segments_for_a_theme_by_its_number_and_it_stays_a_theme(
        folder: Path) -> None:
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        entry = next(e for e in project.themes() if e.number == 2)
        yes, no = [r.segment_id for r in project.review.segments(entry.key, limit=2).rows]
    out = _ok("code", str(yes), "--theme", "3", "--project", str(folder))
    assert f"confirmed segment {yes} for '{entry.label}'" in " ".join(out.split())
    _ok("code", str(no), "--theme", "3", "--reject", "--project", str(folder))
    assert "✓ code" not in _ok("themes", "--project", str(folder))
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        now = next(e for e in project.themes() if e.number == 2)
        assert (now.status, now.label, now.n_confirmed, now.n_rejected) == (
            "suggested", entry.label, 1, 1)
        assert project.codebook.current().codes == ()
    _ok("code", "--accept-theme", "3", "--project", str(folder))  # now it is a code
    with Project.open(folder, embedder=HashingEmbedder()) as project:
        now = next(e for e in project.themes() if e.number == 2)
        assert (now.status, now.n_confirmed, now.n_rejected) == ("accepted", 1, 1)
    for args, message in ((["7", "--theme", "3", "--as", "x"], "--as or --theme"),
                          (["--theme", "3"], "--theme N"),
                          (["--accept-theme", "3", "--theme", "4"], "--theme"),
                          (["7", "--theme", "99"], "no theme 99")):
        result = runner.invoke(app, ["code", *args, "--project", str(folder)])
        assert result.exit_code != 0 and isinstance(result.exception, FocuscodeError)
        assert message in str(result.exception), (args, result.exception)


def test_codebook_show_marks_categories(folder: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "groups.qdc"
    qdc.write_text('<?xml version="1.0" encoding="utf-8"?>'
                   '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   '<Code guid="00000000-0000-4000-8000-000000000001" name="Barriers" '
                   'isCodable="false"><Code guid="00000000-0000-4000-8000-000000000002" '
                   'name="Cost" isCodable="true"/></Code></Codes></CodeBook>', encoding="utf-8")
    _ok("codebook", "import", str(qdc), "--project", str(folder))
    out = _ok("codebook", "show", "--project", str(folder))
    assert "Barriers" in out and "category: not applied" in out
    assert out.count("category") == 1
