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
from focuscode.export.refi import PROJECT_NS, SUGGESTED_GROUP, write_qdpx
from focuscode.export.refi_read import from_qdc

NS = {"q": PROJECT_NS}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


@pytest.fixture(scope="module")
def qdpx(report_data, tmp_path_factory):
    return write_qdpx(report_data, tmp_path_factory.mktemp("refi") / "demo.qdpx")


@pytest.fixture(scope="module")
def qdpx_with_suggestions(report_data, tmp_path_factory):
    return write_qdpx(report_data, tmp_path_factory.mktemp("refi") / "suggested.qdpx",
                      include_suggestions=True)


@pytest.fixture(scope="module")
def two_coders(reviewed_template, second_coder, tmp_path_factory):
    """The reviewed project with a second coder (``add_second_coder``): the .qdpx with
    suggestions, its .qdc, a re-export without them and the data."""
    import shutil

    from focuscode.pipeline.embed import HashingEmbedder
    from focuscode.workflows import Project

    folder = tmp_path_factory.mktemp("coders") / "demo"
    shutil.copytree(reviewed_template, folder)
    with Project.open(folder, embedder=HashingEmbedder(), coder="ana") as project:
        second_coder(project)
        data = project.reports.data()
        path = write_qdpx(data, folder / "study.qdpx", include_suggestions=True)
        qdc, _ = project.codebook.export(folder / "codebook.qdc")
        again = project.reports.export_refi(folder / "again.qdpx")
    return path, qdc, again, data


def _project(path):  # noqa: ANN001, ANN202
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        sources = {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                   if name.startswith("sources/")}
    return root, sources


def _users(root):  # noqa: ANN001, ANN202
    return {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}


@pytest.mark.shared
@pytest.mark.parametrize("which", ["qdpx", "qdpx_with_suggestions", "two_coders"])
def test_project_validates_against_the_official_schema(which, request, refi_schemas) -> None:
    import xmlschema

    path = request.getfixturevalue(which)
    path = path[0] if isinstance(path, tuple) else path
    schema = xmlschema.XMLSchema(str(refi_schemas / "Project.xsd"))
    with zipfile.ZipFile(path) as archive:
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


def test_members_have_normal_permissions(qdpx) -> None:
    with zipfile.ZipFile(qdpx) as archive:
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in archive.infolist()}
    assert set(modes.values()) == {0o644}, modes


def test_plain_text_sources_are_named_as_plain_text(qdpx, report_data) -> None:
    root, _ = _project(qdpx)
    names = [s.get("name") for s in root.findall("q:Sources/q:TextSource", NS)]
    assert sorted(t.name for t in report_data.transcripts) == [
        "roundtable1_boston.txt", "roundtable2_zoom.vtt", "roundtable3_chicago.docx"]
    assert sorted(names) == ["roundtable1_boston.txt",
                             "roundtable2_zoom (vtt, as plain text).txt",
                             "roundtable3_chicago (docx, as plain text).txt"]


def test_by_default_only_confirmed_codings_are_exported(qdpx, report_data) -> None:
    root, sources = _project(qdpx)
    segments = {s.segment_id: s for s in report_data.segments}
    confirmed = {(c.segment_id, c.code_key) for c in report_data.codings
                 if c.status == "confirmed"}
    assert len(confirmed) == 6 and len(report_data.codings) > 6
    n = 0
    for source in root.findall("q:Sources/q:TextSource", NS):
        text = sources[f"sources/{source.get('guid')}.txt"]
        for selection in source.findall("q:PlainTextSelection", NS):
            segment_id = int(selection.get("name").rsplit(" ", 1)[-1])
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == segments[segment_id].text  # code points, end exclusive
            n += len(selection.findall("q:Coding", NS))
    assert n == len(confirmed)
    assert sorted(_users(root).values()) == ["ana"]
    names = {c.get("name") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    assert SUGGESTED_GROUP not in names
    assert not names & {c.name for c in report_data.codes if c.status == "suggested"}


def test_suggestions_on_request_belong_to_a_user_naming_the_model(qdpx_with_suggestions,
                                                                  report_data) -> None:
    root, _ = _project(qdpx_with_suggestions)
    users = _users(root)
    model_user = next(name for name in users.values() if name != "ana")
    assert model_user.startswith(MODEL_CODER) and "not reviewed" in model_user
    assert "hashing" in model_user.lower()  # the test double's model id
    by_user: dict[str, int] = {}
    for selection in root.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
        for coding in selection.findall("q:Coding", NS):
            assert coding.get("creatingUser") == selection.get("creatingUser")
            name = users[coding.get("creatingUser")]
            by_user[name] = by_user.get(name, 0) + 1
    assert by_user["ana"] == 6
    assert by_user[model_user] == len(report_data.codings) - 6


def test_one_selection_per_coder_and_span_with_owner_and_date(two_coders) -> None:
    path, _, _, data = two_coders
    root, _ = _project(path)
    users = _users(root)
    owners: dict[tuple[str, str], list[str]] = {}
    for selection in root.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
        assert DATETIME.match(selection.get("creationDateTime"))
        span = (selection.get("startPosition"), selection.get("endPosition"))
        owners.setdefault(span, []).append(users[selection.get("creatingUser")])
        for coding in selection.findall("q:Coding", NS):
            assert coding.get("creatingUser") == selection.get("creatingUser")
            assert DATETIME.match(coding.get("creationDateTime"))
    # each coder's codings stay theirs: (coder, span, code) triples are all there, none merged
    triples = set()
    for selection in root.iter(f"{{{PROJECT_NS}}}PlainTextSelection"):
        for coding in selection.findall("q:Coding", NS):
            triples.add((users[selection.get("creatingUser")], selection.get("name"),
                         coding.find("q:CodeRef", NS).get("targetGUID")))
    expected = {c for c in data.codings if c.status == "confirmed"}
    assert sum(1 for t in triples if t[0] in ("ana", "ben")) == len(expected) == 9
    shared_selections = [span for span, who in owners.items() if sorted(who)[:2] == ["ana", "ben"]]
    assert len(shared_selections) == 2
    for who in owners.values():
        assert len(who) == len(set(who))  # one selection per coder and span
    dates = [e.get("creationDateTime") for e in root.iter() if e.get("creationDateTime")]
    assert all(DATETIME.match(d) for d in dates)


def test_code_guids_agree_between_qdc_and_qdpx_and_every_code_has_a_colour(two_coders) -> None:
    path, qdc, again, _ = two_coders
    root, _ = _project(path)
    in_qdpx = {c.get("name"): c.get("guid") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    assert all(c.get("color") for c in root.iter(f"{{{PROJECT_NS}}}Code"))
    codebook = ET.parse(qdc).getroot()
    in_qdc = {c.get("name"): c.get("guid")
              for c in codebook.iter("{urn:QDA-XML:codebook:1.0}Code")}
    colours_qdc = {c.get("name"): c.get("color")
                   for c in codebook.iter("{urn:QDA-XML:codebook:1.0}Code")}
    colours_qdpx = {c.get("name"): c.get("color") for c in root.iter(f"{{{PROJECT_NS}}}Code")}
    assert in_qdc and all(in_qdpx[name] == guid for name, guid in in_qdc.items())
    assert all(colours_qdpx[name] == colour for name, colour in colours_qdc.items())
    again_root, _ = _project(again)
    in_again = {c.get("name"): c.get("guid") for c in again_root.iter(f"{{{PROJECT_NS}}}Code")}
    assert all(in_again[name] == guid for name, guid in in_qdc.items())
    sources = {s.get("name"): s.get("guid") for s in root.iter(f"{{{PROJECT_NS}}}TextSource")}
    assert sources == {s.get("name"): s.get("guid")
                       for s in again_root.iter(f"{{{PROJECT_NS}}}TextSource")}


def test_codes_cases_and_variables(qdpx_with_suggestions, report_data) -> None:
    root, _ = _project(qdpx_with_suggestions)
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Who coordinates care", "Physicians want data",
                                            SUGGESTED_GROUP]
    assert top[-1].get("isCodable") == "false"
    assert all(c.get("color") for c in root.iter(f"{{{PROJECT_NS}}}Code"))
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
    assert all(c.status == "accepted" for c in codes)
    assert [c.name for c in codes if not c.codable] == [SUGGESTED_GROUP]  # as in the .qdpx


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


def test_every_reference_points_at_an_element(qdpx_with_suggestions, two_coders) -> None:
    for path in (qdpx_with_suggestions, two_coders[0]):
        root, _ = _project(path)
        guids = {e.get("guid") for e in root.iter() if e.get("guid")}
        refs = [e.get(a) for e in root.iter() for a in ("targetGUID", "creatingUser")
                if e.get(a)]
        assert refs and set(refs) <= guids


def test_plain_text_names_stay_unique_and_say_plain_text() -> None:
    from focuscode.domain import Transcript
    from focuscode.export.refi_sources import plain_text_names

    def transcript(n: int, name: str) -> Transcript:
        return Transcript(id=n, name=name, source_path=name, format="text", text="",
                          source_sha256="")

    names = plain_text_names([transcript(1, "a.txt"), transcript(2, "a (docx, as plain text).txt"),
                              transcript(3, "a.docx"), transcript(4, "notes"),
                              transcript(5, "NOTES.txt")])
    assert names == {1: "a.txt", 2: "a (docx, as plain text).txt",
                     3: "a (docx, as plain text) (2).txt", 4: "notes.txt", 5: "NOTES (2).txt"}
    assert all(name.endswith(".txt") for name in names.values())
