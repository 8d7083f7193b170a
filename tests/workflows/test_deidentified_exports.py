"""De-identified exports: no real name of the demo's speakers file (labels, their parts,
aliases) nor of its redact list in any export format, while the offsets stay verbatim."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

from focuscode.domain.deidentify import name_parts
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
SPEAKERS = REPO / "transcripts" / "speakers.yaml"
STARTER = REPO / "codebooks" / "starter_codebook.yaml"


def real_names() -> set[str]:
    data = yaml.safe_load(SPEAKERS.read_text("utf-8"))
    found: set[str] = set(data.get("redact") or [])
    for label, entry in data["speakers"].items():
        for name in [label, *((entry or {}).get("aliases") or [])]:
            found.add(name)
            found.update(name_parts(name))
    return found


def text_of(path: Path) -> str:
    """Everything a reader of the file sees, as text."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row
                         if cell is not None)
    if suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        return "\n".join([p.text for p in document.paragraphs] + [
            cell.text for table in document.tables for row in table.rows for cell in row.cells])
    if suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return "\n".join(" ".join(row) for row in csv.reader(handle))
    text = path.read_text("utf-8")
    return re.sub(r"data:image/[^\"]+", "", text)  # embedded plots: code names, not quotes


def leaked(text: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text,
                                                flags=re.IGNORECASE))


@pytest.fixture
def coded(analysed_project: Project) -> Project:
    project = analysed_project
    project.codebook.import_file(STARTER)
    project.suggestions.run()
    return project


def export_everything(project: Project, folder: Path, *, real: bool) -> list[Path]:
    folder.mkdir()
    reports = project.reports
    paths = [reports.export_quotes(folder / f"quotes.{fmt}", real_names=real)
             for fmt in ("csv", "xlsx", "md", "docx")]
    paths.append(reports.export_quotes(folder / "long.csv", long=True, real_names=real))
    paths.append(reports.export_report(folder / "report.html", real_names=real))
    for suffix in ("csv", "xlsx"):
        contrasts = reports.contrast("role", ("patient", "physician"), real_names=real)
        paths.append(reports.export_contrast(folder / f"contrast.{suffix}", contrasts))
        paths.append(project.export_segments(folder / f"segments.{suffix}", real_names=real))
        paths.append(reports.export_matrix(folder / f"matrix.{suffix}", real_names=real))
    for by, suffix in (("speaker", "xlsx"), ("role", "docx"), ("transcript", "xlsx")):
        paths.append(reports.export_framework(folder / f"framework_{by}.{suffix}", by=by,
                                              real_names=real))
    return paths


def test_no_real_name_in_any_deidentified_export(coded: Project, tmp_path: Path) -> None:
    names = real_names()
    assert {"Maria", "Shah", "Alex", "Rosa", "Dr. Anand Shah"} <= names
    paths = export_everything(coded, tmp_path / "out", real=False)
    leaks = {p.name: leaked(text_of(p), names) for p in paths}
    assert not any(leaks.values()), leaks
    # the files say so
    assert "De-identified" in text_of(tmp_path / "out" / "report.html")
    assert "De-identified" in text_of(tmp_path / "out" / "quotes.xlsx")
    assert "deidentified" in text_of(tmp_path / "out" / "quotes.csv").split("\n")[0]
    # and with --real-names they are there (so the check above can fail)
    export_everything(coded, tmp_path / "real", real=True)
    assert leaked(text_of(tmp_path / "real" / "segments.xlsx"), names)
    assert leaked(text_of(tmp_path / "real" / "framework_speaker.xlsx"), names)
    assert "Maria" in text_of(tmp_path / "real" / "segments.csv")


def test_quotes_keep_verbatim_offsets_and_only_names_change(coded: Project) -> None:
    shown = coded.reports.quotes_long_frame()
    verbatim = coded.reports.quotes_long_frame(real_names=True)
    texts = {t.name: t.text for t in coded.store.transcripts()}
    replace = coded.names.deidentifier()
    assert list(shown.start_char) == list(verbatim.start_char)
    changed = 0
    for a, b in zip(shown.itertuples(), verbatim.itertuples()):
        assert texts[b.transcript][b.start_char:b.end_char] == b.text  # offsets: the source
        assert a.text == replace(b.text)
        changed += a.text != b.text
    assert changed > 0


def test_a_confirmed_candidate_is_taken_out_and_a_dropped_one_kept(coded: Project) -> None:
    found = {r.candidate.name: r for r in coded.names.candidates()}
    assert "Diane" in found and found["Diane"].candidate.cued
    assert "Alex" not in found and "Maria" not in found  # listed already, or a speaker's
    before = " ".join(coded.segments_frame().text)
    assert "Diane" in before and "Google" in before
    coded.names.decide(["Diane"], "confirmed")
    coded.names.decide(["Google"], "dropped")
    after = " ".join(coded.segments_frame().text)
    assert "Diane" not in after and "[name]'s story" in after
    assert "Google" in after
    with Project.open(coded.folder) as again:  # stored in the project
        assert "Diane" in again.names.listed()
