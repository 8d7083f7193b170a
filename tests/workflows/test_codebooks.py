"""Codebook import (one undoable decision) and export through ``Project``: the file comes back
as it went in."""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.domain import DecisionError, IngestError
from focuscode.export.codebooks import read_codebook
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project
from focuscode.workflows.codebooks import SUGGESTED_GROUP

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "codebooks" / "starter_codebook.yaml"


def test_import_is_one_decision_and_undone_at_once(project: Project) -> None:
    result = project.codebook.import_file(STARTER)
    assert len(result.created) == 18 and result.updated == () and result.decision_id
    assert len(project.log.history()) == 1
    decision = project.log.history()[0]
    assert (decision.action, decision.coder) == ("import_codebook", project.coder)
    assert "18 new" in decision.payload["summary"]
    codebook = project.codebook.current()
    assert codebook.name == "Patient-centricity starter codebook"
    assert codebook.code("COVID and rare diseases").parent == "Trust"
    project.undo()
    assert project.log.codes() == []
    project.redo()
    assert project.codebook.current().codes == codebook.codes


def test_file_to_project_to_file_keeps_everything(project: Project, tmp_path: Path) -> None:
    project.codebook.import_file(STARTER)
    starter = read_codebook(STARTER)
    for suffix in (".yaml", ".csv", ".xlsx", ".qdc"):
        path, _ = project.codebook.export(tmp_path / f"book{suffix}")
        assert read_codebook(path).codes == starter.codes, suffix
    assert read_codebook(tmp_path / "book.yaml") == starter


def test_qdc_reimports_identically_into_another_project(project: Project,
                                                        tmp_path: Path) -> None:
    project.codebook.import_file(STARTER)
    path, _ = project.codebook.export(tmp_path / "book.qdc")
    with Project.init(tmp_path / "other", embedder=HashingEmbedder()) as other:
        other.codebook.import_file(path)
        assert other.codebook.current().codes == project.codebook.current().codes


def test_reimport_updates_changed_fields_only(project: Project, tmp_path: Path) -> None:
    project.codebook.import_file(STARTER)
    again = project.codebook.import_file(STARTER)
    assert (again.decision_id, again.n_changed, len(again.unchanged)) == (None, 0, 18)
    text = STARTER.read_text(encoding="utf-8").replace(
        "color: \"#e15759\"", "color: \"#000000\"")
    edited = tmp_path / "edited.yaml"
    edited.write_text(text + """  - name: Cost of care
    definition: Paying for treatment.
    parent: Physicians' constraints
""", encoding="utf-8")
    result = project.codebook.import_file(edited)
    assert result.created == ("Cost of care",)
    assert result.updated == (("Time pressure and workload", ("color",)),)
    codebook = project.codebook.current()
    assert codebook.code("Time pressure and workload").color == "#000000"
    assert codebook.code("Cost of care").parent == "Physicians' constraints"
    project.undo()
    assert project.codebook.current().code("Time pressure and workload").color == "#e15759"


def test_import_joins_codes_already_in_the_project(analysed_project: Project,
                                                   tmp_path: Path) -> None:
    theme = analysed_project.themes()[0]
    analysed_project.accept_theme(theme.theme_id, name="Trust")
    book = tmp_path / "book.csv"
    book.write_text("name,definition,parent\nTrust,Trust in pharma.,\nCOVID,,Trust\n")
    result = analysed_project.codebook.import_file(book)
    assert result.created == ("COVID",) and result.updated == (("Trust", ("definition",)),)
    trust = analysed_project.codebook.current().code("trust")
    assert (trust.definition, trust.source) == ("Trust in pharma.", "theme")


def test_export_with_suggested_themes(analysed_project: Project, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="empty"):
        analysed_project.codebook.export(tmp_path / "none.yaml")
    path, _ = analysed_project.codebook.export(tmp_path / "all.yaml", include_suggested=True)
    codebook = read_codebook(path)
    assert codebook.codes[0].name == SUGGESTED_GROUP
    assert all(c.parent == SUGGESTED_GROUP for c in codebook.codes[1:])
    assert len(codebook.codes) == 1 + len([t for t in analysed_project.themes() if t.theme_id])


def test_bad_files_change_nothing(project: Project, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - name: A\n    parent: Missing\n")
    with pytest.raises(IngestError, match="parent 'Missing'"):
        project.codebook.import_file(bad)
    assert project.log.codes() == [] and project.log.history() == []
    with pytest.raises(IngestError, match="not found"):
        project.codebook.import_file(tmp_path / "absent.yaml")
    with pytest.raises(DecisionError, match="no segment 1"):
        project.suggestions.confirm([(1, "Nope")])


QDC_WITH_CATEGORY = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24">
 <Codes>
  <Code guid="A1B2C3D4-0000-4000-8000-00000000000A" name="Barriers" isCodable="false">
   <Description>Everything that stands in the way.</Description>
   <Code guid="A1B2C3D4-0000-4000-8000-00000000000B" name="Cost" isCodable="true"
         color="#AA3300"/>
  </Code>
  <Code guid="A1B2C3D4-0000-4000-8000-00000000000C" name="Empty heading" isCodable="0"/>
 </Codes>
</CodeBook>"""


def test_qdc_categories_group_codes_and_are_never_applied(analysed_project: Project,
                                                          tmp_path: Path) -> None:
    from focuscode.workflows.suggesting import scored_codes

    path = tmp_path / "Barriers study.qdc"
    path.write_text(QDC_WITH_CATEGORY, encoding="utf-8")
    result = analysed_project.codebook.import_file(path)
    assert result.created == ("Barriers", "Cost", "Empty heading")
    codebook = analysed_project.codebook.current()
    assert codebook.name == "Barriers study"  # a .qdc has no name: the file's
    barriers = codebook.code("Barriers")
    assert (barriers.codable, barriers.definition) == (False, "Everything that stands in the way.")
    assert codebook.code("Empty heading").codable is False
    assert codebook.code("Cost").codable and codebook.code("Cost").parent == "Barriers"
    assert [c.name for c in scored_codes(analysed_project.log, include_parents=True)] == ["Cost"]
    segment = analysed_project.segment_rows()[0].segment_id
    with pytest.raises(DecisionError, match="category"):
        analysed_project.suggestions.confirm([(segment, "Empty heading")])
    analysed_project.suggestions.confirm([(segment, "Cost")])
    exported, _ = analysed_project.codebook.export(tmp_path / "out.qdc")
    text = exported.read_text(encoding="utf-8")
    assert 'name="Barriers" isCodable="false"' in text and 'name="Cost" isCodable="true"' in text


def test_qdc_of_a_project_keeps_its_name_and_description(project: Project,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "project.qde.qdc"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Caregivers 2025" origin="ATLAS.ti 23">
 <CodeBook><Codes><Code guid="{5E1F0000-0000-4000-8000-000000000001}" name="Respite"
   isCodable="true"/></Codes></CodeBook>
 <Description>Codes of the caregivers' study.</Description>
</Project>""", encoding="utf-8")
    project.codebook.import_file(path)
    codebook = project.codebook.current()
    assert (codebook.name, codebook.description) == ("Caregivers 2025",
                                                     "Codes of the caregivers' study.")
    assert [c.name for c in codebook.codes] == ["Respite"]
def test_two_valid_imports_cannot_make_a_parent_cycle(project: Project, tmp_path: Path) -> None:
    """Issue 16: B under A, then a file with A under B (B's parent left out, so kept): refused
    in one line, nothing changed, and the codebook still shows and exports."""
    first = tmp_path / "first.yaml"
    first.write_text("codes:\n  - name: A\n  - name: B\n    parent: A\n"
                     "  - name: C\n    parent: B\n")
    project.codebook.import_file(first)
    before = (project.log.codes(), len(project.log.history()))
    second = tmp_path / "second.yaml"
    second.write_text("codes:\n  - name: C\n  - name: A\n    parent: C\n  - name: D\n")
    with pytest.raises(IngestError, match="their own ancestors") as caught:
        project.codebook.import_file(second)
    assert "'A'" in str(caught.value) and "'C'" in str(caught.value)
    assert "\n" not in str(caught.value) and caught.value.path == "second.yaml"
    assert (project.log.codes(), len(project.log.history())) == before
    assert project.codebook.current().depth("C") == 2
    project.codebook.export(tmp_path / "out.qdc")
