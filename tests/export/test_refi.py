"""REFI-QDA: the .qdpx and .qdc validate against the official schemas, selections point at the
right text, suggested codings belong to the model's User, and .qdc codebooks import back."""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree as ET

import pytest

from focuscode.domain import IngestError
from focuscode.domain.reports import MODEL_CODER
from focuscode.export.codebooks import write_codebook
from focuscode.export.refi import PROJECT_NS, SUGGESTED_GROUP, from_qdc, write_qdpx

NS = {"q": PROJECT_NS}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def qdpx(report_data, tmp_path_factory):
    return write_qdpx(report_data, tmp_path_factory.mktemp("refi") / "demo.qdpx")


def _project(path):  # noqa: ANN001, ANN202
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        sources = {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                   if name.startswith("sources/")}
    return root, sources


@pytest.mark.shared
def test_project_validates_against_the_official_schema(qdpx, refi_schemas) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(refi_schemas / "Project.xsd"))
    with zipfile.ZipFile(qdpx) as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))


def test_zip_holds_the_project_and_one_source_per_transcript(qdpx, report_data) -> None:
    root, sources = _project(qdpx)
    text_sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(text_sources) == len(report_data.transcripts) == len(sources)
    for source in text_sources:
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        assert f"sources/{source.get('guid')}.txt" in sources
    guids = [e.get("guid") for e in root.iter() if e.get("guid")]
    assert len(guids) == len(set(guids)) and all(GUID.match(g) for g in guids)


def test_selections_cover_exactly_the_coded_segments(qdpx, report_data) -> None:
    root, sources = _project(qdpx)
    segments = {s.segment_id: s for s in report_data.segments}
    coded = {c.segment_id for c in report_data.codings}
    n = 0
    for source in root.findall("q:Sources/q:TextSource", NS):
        text = sources[f"sources/{source.get('guid')}.txt"]
        for selection in source.findall("q:PlainTextSelection", NS):
            segment_id = int(selection.get("name").rsplit(" ", 1)[-1])
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == segments[segment_id].text  # code points, end exclusive
            n += 1
    assert n == len(coded)


def test_model_suggestions_and_confirmed_codings_have_different_users(qdpx, report_data) -> None:
    root, _ = _project(qdpx)
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}
    assert sorted(users.values()) == ["ana", f"{MODEL_CODER} (suggestions, not reviewed)"]
    by_user = {}
    for coding in root.iter(f"{{{PROJECT_NS}}}Coding"):
        name = users[coding.get("creatingUser")]
        by_user[name] = by_user.get(name, 0) + 1
    confirmed = sum(1 for c in report_data.codings if c.status == "confirmed")
    assert by_user["ana"] == confirmed == 6
    assert by_user[f"{MODEL_CODER} (suggestions, not reviewed)"] == len(report_data.codings) - 6


def test_codes_cases_and_variables(qdpx, report_data) -> None:
    root, _ = _project(qdpx)
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Who coordinates care", "Physicians want data",
                                            SUGGESTED_GROUP]
    assert top[-1].get("isCodable") == "false"
    assert len(top[-1].findall("q:Code", NS)) == sum(c.status == "suggested"
                                                     for c in report_data.codes)
    variables = {v.get("name"): v for v in root.findall("q:Variables/q:Variable", NS)}
    assert variables["role"].get("typeOfVariable") == "Text"
    assert variables["advocate"].get("typeOfVariable") == "Boolean"
    assert "site" in variables
    cases = root.findall("q:Cases/q:Case", NS)
    assert len(cases) == len(report_data.speakers)
    names = {c.get("name") for c in cases}
    assert names == {s.display_name for s in report_data.speakers}
    role_guid = variables["role"].get("guid")
    for case in cases:
        values = {v.find("q:VariableRef", NS).get("targetGUID"): v
                  for v in case.findall("q:VariableValue", NS)}
        assert values[role_guid].find("q:TextValue", NS).text in {
            "patient", "physician", "caregiver", "moderator"}


def test_sources_carry_pseudonyms_unless_real_names(qdpx, report_data, tmp_path) -> None:
    _, sources = _project(qdpx)
    text = "\n".join(sources.values())
    labels_at_turns = set(re.findall(r"^(?:\[[\d:]+\] )?([^:\n\]]{2,40}): ", text, flags=re.M))
    assert labels_at_turns <= {s.display_name for s in report_data.speakers}
    assert "Moderator A: " in text and "Hannah Berg:" not in text
    real = write_qdpx(report_data, tmp_path / "real.qdpx", real_names=True)
    _, real_sources = _project(real)
    assert sorted(real_sources.values()) == sorted(t.text for t in report_data.transcripts)


def test_export_is_reproducible(report_data, tmp_path) -> None:
    first = zipfile.ZipFile(write_qdpx(report_data, tmp_path / "a.qdpx")).read("project.qde")
    again = zipfile.ZipFile(write_qdpx(report_data, tmp_path / "b.qdpx")).read("project.qde")
    assert first == again


@pytest.mark.shared
def test_codebook_validates_and_round_trips(reviewed, refi_schemas, tmp_path) -> None:
    import xmlschema

    codebook = reviewed.codebook.current(include_suggested=True)
    path, _ = write_codebook(codebook, tmp_path / "codebook.qdc")
    xmlschema.XMLSchema(str(refi_schemas / "Codebook.xsd")).validate(str(path))
    codes = from_qdc(path)
    assert [c.name for c in codes][:3] == ["Who coordinates care", "Physicians want data",
                                           SUGGESTED_GROUP]
    assert {c.parent for c in codes[3:]} == {SUGGESTED_GROUP}
    assert all(c.source == "codebook" and c.status == "accepted" for c in codes)


def test_qdc_import_reads_definitions_notes_colours_and_nesting(tmp_path) -> None:
    path = tmp_path / "other.qdc"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="QualCoder">
 <Codes>
  <Code guid="11111111-2222-3333-4444-555555555555" name="Trust" isCodable="true" color="#AA3300">
   <Description>Whether participants trust industry.

Include: distrust too

Exclude: trust in doctors</Description>
   <Code guid="11111111-2222-3333-4444-555555555556" name="COVID" isCodable="true"/>
  </Code>
 </Codes>
</CodeBook>""", encoding="utf-8")
    trust, covid = from_qdc(path)
    assert (trust.name, trust.definition, trust.include, trust.exclude, trust.color) == (
        "Trust", "Whether participants trust industry.", "distrust too", "trust in doctors",
        "#AA3300")
    assert (covid.name, covid.parent) == ("COVID", "Trust")


def test_qdc_import_refuses_entity_expansion_and_other_files(tmp_path) -> None:
    bomb = tmp_path / "bomb.qdc"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    '<!ENTITY lol2 "&lol;&lol;&lol;">]><CodeBook><Codes>'
                    '<Code name="&lol2;" guid="x" isCodable="true"/></Codes></CodeBook>')
    with pytest.raises(IngestError):
        from_qdc(bomb)
    other = tmp_path / "other.qdc"
    other.write_text("<html></html>")
    with pytest.raises(IngestError, match="not a REFI-QDA codebook"):
        from_qdc(other)


def test_empty_codebook_is_refused(tmp_path) -> None:
    from focuscode.domain import ExportError
    from focuscode.domain.codebook import Codebook

    with pytest.raises(ExportError, match="empty"):
        write_codebook(Codebook.of([]), tmp_path / "codebook.qdc")
    assert not (tmp_path / "codebook.qdc").exists()
