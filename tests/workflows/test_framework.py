"""The framework matrix (Framework Method chart): rows x codes, cells of coded quotes with
references, as XLSX, DOCX and a table of the HTML report."""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.domain import ConfigError
from focuscode.domain.counting import bases
from focuscode.workflows import Project

STARTER = Path(__file__).resolve().parents[2] / "codebooks" / "starter_codebook.yaml"


@pytest.fixture
def coded(analysed_project: Project) -> Project:
    analysed_project.codebook.import_file(STARTER)
    analysed_project.suggestions.run()
    return analysed_project


def test_cells_are_each_rows_coded_segments_with_references(coded: Project) -> None:
    frame = coded.reports.framework_frame("speaker").set_index("speaker")
    data = coded.reports.data()
    pseudonyms = {s.pseudonym for s in coded.store.speakers() if s.role != "moderator"}
    assert set(frame.index) <= pseudonyms | {s.pseudonym for s in coded.store.speakers()}
    counted = bases(data)
    holistic = next(c for c in data.codes if c.name == "Holistic view of care")
    segments = {s.segment_id: s for s in data.segments}
    expected = {segments[i].pseudonym for i in counted[holistic.key]}
    filled = {name for name, cell in frame[holistic.name].items() if cell}
    assert filled == expected
    one = next(cell for cell in frame[holistic.name] if cell)
    assert one.startswith("“") and "segment " in one
    assert any(ext in one for ext in (".txt", ".vtt", ".docx"))  # the transcript it is from
    assert all(c.name in frame.columns for c in data.codes if counted[c.key])
    assert not any(c.name in frame.columns for c in data.codes if not counted[c.key])
    by_role = coded.reports.framework_frame("role")
    assert set(by_role["role"]) <= {"patient", "physician", "caregiver", "moderator"}
    with pytest.raises(ConfigError, match="speaker, role or transcript"):
        coded.reports.framework_frame("site")


def test_written_as_xlsx_docx_and_in_the_report(coded: Project, tmp_path: Path) -> None:
    import docx
    import openpyxl

    book = openpyxl.load_workbook(coded.reports.export_framework(tmp_path / "f.xlsx"))
    assert book.sheetnames == ["Framework", "About"]
    sheet = book["Framework"]
    assert sheet.cell(1, 1).value == "speaker" and sheet.max_row > 5
    document = docx.Document(str(coded.reports.export_framework(tmp_path / "f.docx",
                                                                by="transcript")))
    assert len(document.tables) >= 3  # one chart per parent code
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Views of care" in headings
    html = coded.reports.export_report(tmp_path / "r.html").read_text("utf-8")
    assert 'id="framework"' in html and '<table class="framework">' in html
