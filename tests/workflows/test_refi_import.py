"""`focuscode import project.qdpx`: REFI-QDA 1.5 projects as MAXQDA, ATLAS.ti, NVivo, QualCoder
write them (upper-case GUIDs, an origin, deep code trees, Sets, BOM, CRLF), focuscode's own
export and QualCoder's re-export of it come back with the same transcripts, codes and each
coder's codings; one decision, undone at once, added only once; hostile archives refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from focuscode.domain import FocuscodeError, IngestError
from focuscode.export.refi import derived_color
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

ALICE = "Moderator: Welcome, everyone. Let us start.\n" \
        "Alice: I waited six months for a diagnosis and nobody explained anything to me.\n" \
        "Bob: The pharmacist was the only one who took time to explain my medication.\n"
NOTES = "Field notes from the clinic visit. The waiting room was full and the nurse said " \
        "appointments run late most days.\n"
LONG = "A long description. " * 300


def _guid(n: int) -> str:
    return f"{{6F9619FF-8B86-D011-B42D-{n:012X}}}"


def deep_codes(depth: int) -> str:
    xml = ""
    for level in reversed(range(depth)):
        xml = (f'<Code guid="{_guid(100 + level)}" name="Level {level}" isCodable="true" '
               f'color="#{level:02X}33AA"><Description>{LONG}</Description>{xml}</Code>')
    return xml


def maxqda_like(tmp_path: Path, *, crlf: bool = True, bom: bool = True) -> Path:
    """A MAXQDA-like project: upper-case braced GUIDs, an origin, a category, a deep tree,
    sets, a case per speaker and one for the clinic, a memo, a CRLF source with a BOM whose
    offsets count the CRs, a source without speaker lines and one without codings."""
    text = ALICE.replace("\n", "\r\n") if crlf else ALICE
    wait_start = text.index("I waited")
    wait_end = text.index("anything to me.") + len("anything to me.")
    part_start = text.index("pharmacist")
    part_end = part_start + len("pharmacist")
    notes_start = NOTES.index("nurse")
    xml = f"""<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Clinic study" origin="MAXQDA 24 (Release 24.1.0)"
  creationDateTime="2025-01-10T09:00:00Z" creatingUserGUID="{_guid(1)}">
 <Users><User guid="{_guid(1)}" name="Chris"/><User guid="{_guid(2)}" name="Dana"/></Users>
 <CodeBook><Codes>
  <Code guid="{_guid(10)}" name="Access" isCodable="false" color="#FF0000">
   <Description>Getting care at all.</Description>
   <Code guid="{_guid(11)}" name="Waiting" isCodable="true" color="#00FF00">
    <Description>Waiting for care.

Include: months for a diagnosis</Description><NoteRef targetGUID="{_guid(60)}"/></Code>
  </Code>
  <Code guid="{_guid(12)}" name="Medication" isCodable="true" color="#0000FF"/>
  {deep_codes(12)}
 </Codes></CodeBook>
 <Variables>
  <Variable guid="{_guid(20)}" name="Role" typeOfVariable="Text"/>
  <Variable guid="{_guid(21)}" name="Age" typeOfVariable="Integer"/>
  <Variable guid="{_guid(22)}" name="Clinic" typeOfVariable="Text"/>
 </Variables>
 <Cases>
  <Case guid="{_guid(30)}" name="Alice"><VariableValue><VariableRef targetGUID="{_guid(21)}"/>
   <IntegerValue>54</IntegerValue></VariableValue><VariableValue>
   <VariableRef targetGUID="{_guid(20)}"/><TextValue>patient</TextValue></VariableValue></Case>
  <Case guid="{_guid(31)}" name="North clinic"><VariableValue>
   <VariableRef targetGUID="{_guid(22)}"/><TextValue>North</TextValue></VariableValue>
   <SourceRef targetGUID="{_guid(40)}"/></Case>
 </Cases>
 <Sources>
  <TextSource guid="{_guid(40)}" name="Group 1.docx" plainTextPath="internal://{_guid(40)[1:-1]}.txt"
    richTextPath="internal://{_guid(40)[1:-1]}.docx">
   <PlainTextSelection guid="{_guid(50)}" startPosition="{wait_start}" endPosition="{wait_end}"
     creatingUser="{_guid(1)}" creationDateTime="2025-01-11T10:00:00Z">
    <Coding guid="{_guid(51)}" creatingUser="{_guid(1)}">
     <CodeRef targetGUID="{_guid(11)}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="{_guid(52)}" startPosition="{wait_start}" endPosition="{wait_end}"
     creatingUser="{_guid(2)}">
    <Coding guid="{_guid(53)}" creatingUser="{_guid(2)}">
     <CodeRef targetGUID="{_guid(11)}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="{_guid(54)}" startPosition="{part_start}" endPosition="{part_end}"
     creatingUser="{_guid(2)}">
    <Coding guid="{_guid(55)}" creatingUser="{_guid(2)}">
     <CodeRef targetGUID="{_guid(12)}"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="{_guid(56)}" startPosition="0" endPosition="5"
     creatingUser="{_guid(2)}">
    <Coding guid="{_guid(57)}" creatingUser="{_guid(2)}">
     <CodeRef targetGUID="{_guid(10)}"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="{_guid(41)}" name="Field notes">
   <PlainTextContent>{NOTES}</PlainTextContent>
   <PlainTextSelection guid="{_guid(58)}" startPosition="{notes_start}"
     endPosition="{len(NOTES) - 1}"
     creatingUser="{_guid(1)}">
    <Coding guid="{_guid(59)}" creatingUser="{_guid(1)}">
     <CodeRef targetGUID="{_guid(11)}"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="{_guid(42)}" name="Group 2.txt" plainTextPath="internal://{_guid(42)[1:-1].lower()}.txt"/>
 </Sources>
 <Notes><Note guid="{_guid(60)}" name="Memo on waiting">
  <PlainTextContent>Waiting came up in every group.</PlainTextContent></Note></Notes>
 <Sets><Set guid="{_guid(70)}" name="Wave 1"><MemberSource targetGUID="{_guid(40)}"/>
  <MemberSource targetGUID="{_guid(42)}"/></Set></Sets>
</Project>"""
    encoded = ("\ufeff" if bom else "") + text
    return write_archive(tmp_path / "clinic.qdpx", xml, {
        f"sources/{_guid(40)[1:-1]}.txt": encoded.encode("utf-8"),
        f"sources/{_guid(42)[1:-1].lower()}.txt": "Alice: Only this.\nBob: And that.\n".encode(),
    })


def write_archive(path: Path, xml: str, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml.encode("utf-8"))
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def empty(tmp_path: Path):
    with Project.init(tmp_path / "study", embedder=HashingEmbedder(), coder="lead") as project:
        yield project


def _codings(project: Project) -> set[tuple[str, str, str]]:
    """(segment text, code name, coder) of every confirmed coding."""
    texts = {s.id: s.text for s in project.store.segments()}
    names = {c.id: c.name for c in project.log.codes()}
    return {(texts[c.segment_id], names[c.code_id], c.coder) for c in project.log.codings()
            if c.status.value == "confirmed"}


@pytest.mark.parametrize("crlf,bom", [(True, True), (False, False), (True, False)])
def test_a_maxqda_like_project_imports_whole(empty: Project, tmp_path: Path, crlf, bom) -> None:
    report = empty.import_refi(maxqda_like(tmp_path, crlf=crlf, bom=bom))
    assert (report.project, report.origin) == ("Clinic study", "MAXQDA 24 (Release 24.1.0)")
    assert sorted(report.imported) == ["Field notes", "Group 1.docx", "Group 2.txt"]
    assert report.one_speaker == ("Field notes",)
    transcripts = {t.name: t for t in empty.store.transcripts()}
    assert transcripts["Group 1.docx"].text == ALICE  # line ends are \n here, offsets mapped
    codings = _codings(empty)
    alice = "I waited six months for a diagnosis and nobody explained anything to me."
    assert (alice, "Waiting", "Chris") in codings and (alice, "Waiting", "Dana") in codings
    assert report.codings == {"Chris": 2, "Dana": 2}
    # Dana coded one word of Bob's turn: the turn is coded and the word kept as her quote
    bob = "The pharmacist was the only one who took time to explain my medication."
    assert (bob, "Medication", "Dana") in codings
    quotes = empty.store.quotes()
    assert sorted((q.text, q.coder) for q in quotes) == [
        ("nurse said appointments run late most days.", "Chris"), ("pharmacist", "Dana")]
    assert report.n_quotes == 2  # the word, and the part of the field notes
    assert report.n_on_categories == 1  # Dana's coding of the category "Access"
    codebook = empty.codebook.current()
    access = codebook.code("Access")
    assert (access.codable, access.color, access.definition) == (False, "#FF0000",
                                                                 "Getting care at all.")
    waiting = codebook.code("Waiting")
    assert (waiting.parent, waiting.include, waiting.color) == ("Access",
                                                                "months for a diagnosis",
                                                                "#00FF00")
    assert codebook.depth("Level 11") == 11 and codebook.code("Level 11").color == "#0B33AA"
    assert codebook.code("Level 5").definition == LONG.strip()
    speakers = {s.label: s for s in empty.store.speakers()}
    assert (speakers["Alice"].attributes, speakers["Alice"].role) == ({"Age": 54}, "patient")
    assert speakers["Moderator"].role == "moderator"
    assert transcripts["Group 1.docx"].attributes == {"Clinic": "North", "case": "North clinic",
                                                      "set": "Wave 1"}
    assert transcripts["Group 2.txt"].attributes == {"set": "Wave 1"}
    assert waiting.memo == "Waiting came up in every group." and report.n_memos == 1
    assert len(empty.log.history()) == 1


def test_one_decision_undone_at_once_and_a_repeat_adds_nothing(empty: Project,
                                                               tmp_path: Path) -> None:
    path = maxqda_like(tmp_path)
    first = empty.import_refi(path)
    assert first.decision_id is not None
    before = (_codings(empty), [c.name for c in empty.log.codes()], len(empty.store.quotes()))
    again = empty.import_refi(path)
    assert again.decision_id is None and again.n_codings == 0 and again.imported == ()
    assert sorted(again.skipped) == ["Field notes", "Group 1.docx", "Group 2.txt"]
    assert (_codings(empty), [c.name for c in empty.log.codes()],
            len(empty.store.quotes())) == before
    assert len(empty.log.history()) == 1
    empty.undo()
    assert empty.log.codes() == [] and _codings(empty) == set() and empty.store.quotes() == []
    assert len(empty.store.transcripts()) == 3  # transcripts stay, as after any import


def test_a_project_without_sources_brings_its_codebook(empty: Project, tmp_path: Path) -> None:
    path = write_archive(tmp_path / "codes.qdpx", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Codes only" origin="ATLAS.ti 23.2">
 <CodeBook><Codes><Code guid="{_guid(1).lower()}" name="Trust" isCodable="true"/></Codes></CodeBook>
</Project>""", {})
    report = empty.import_refi(path)
    assert report.imported == () and report.codes_created == ("Trust",)
    assert [c.name for c in empty.log.codes()] == ["Trust"]


def test_too_deep_a_code_tree_and_unmatched_cases(empty: Project, tmp_path: Path) -> None:
    path = write_archive(tmp_path / "deep.qdpx", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Deep"><CodeBook><Codes>{deep_codes(60)}
</Codes></CodeBook></Project>""", {})
    with pytest.raises(IngestError, match="nested more than 50 levels"):
        empty.import_refi(path)
    path = write_archive(tmp_path / "cases.qdpx", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Cases"><Cases>
 <Case guid="{_guid(1)}" name="Household 7"/></Cases></Project>""", {})
    report = empty.import_refi(path)
    assert any("match no speaker" in note and "Household 7" in note
               for note in report.attributes)


def test_notes_become_memos_of_codes_and_transcripts(empty: Project, tmp_path: Path) -> None:
    note_file = _guid(3)[1:-1]
    path = write_archive(tmp_path / "memo.qdpx", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Memos">
 <CodeBook><Codes><Code guid="{_guid(1)}" name="Trust" isCodable="true">
  <NoteRef targetGUID="{_guid(2)}"/></Code></Codes></CodeBook>
 <Sources><TextSource guid="{_guid(4)}" name="g.txt"><PlainTextContent>{ALICE}</PlainTextContent>
  <NoteRef targetGUID="{_guid(3)}"/></TextSource></Sources>
 <Notes><Note guid="{_guid(2)}" name="m"><PlainTextContent>Trust is fragile.</PlainTextContent>
 </Note><Note guid="{_guid(3)}" name="n" plainTextPath="internal://{note_file}.txt"/></Notes>
</Project>""", {f"sources/{note_file}.txt": "Recorded on a noisy day.".encode()})
    report = empty.import_refi(path)
    assert report.n_memos == 2
    assert empty.codebook.current().code("Trust").memo == "Trust is fragile."
    assert empty.store.transcripts()[0].attributes == {"memo": "Recorded on a noisy day."}
    again = empty.import_refi(path)
    assert again.decision_id is None and again.n_memos == 0  # not added twice


@pytest.mark.parametrize("members,message", [
    ({"../evil.txt": b"x"}, "unsafe path"),
    ({"sources/a.txt": b"x", "project.qde": None}, "DTD"),
    ({}, "no project.qde"),
    ("not a zip", "not a valid .qdpx"),
])
def test_hostile_or_broken_archives_are_refused_and_change_nothing(empty: Project,
                                                                   tmp_path: Path, members,
                                                                   message) -> None:
    path = tmp_path / "bad.qdpx"
    if isinstance(members, str):
        path.write_text(members)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members.items():
                if name == "project.qde":
                    data = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]>'
                            b'<Project xmlns="urn:QDA-XML:project:1.0" name="&a;"/>')
                archive.writestr(name, data)
    with pytest.raises(IngestError, match=message) as caught:
        empty.import_refi(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert empty.store.transcripts() == [] and empty.log.history() == []


def test_a_zip_bomb_is_refused(empty: Project, tmp_path: Path) -> None:
    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>')
        archive.writestr("sources/big.txt", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(IngestError, match="zip bomb"):
        empty.import_refi(path)


def test_offsets_outside_the_text_and_other_media_are_reported(empty: Project,
                                                               tmp_path: Path) -> None:
    path = write_archive(tmp_path / "media.qdpx", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Media">
 <CodeBook><Codes><Code guid="{_guid(1)}" name="Trust" isCodable="true"/></Codes></CodeBook>
 <Sources>
  <TextSource guid="{_guid(2)}" name="g.txt"><PlainTextContent>{ALICE}</PlainTextContent>
   <PlainTextSelection guid="{_guid(3)}" startPosition="0" endPosition="11">
    <Coding guid="{_guid(4)}">
     <CodeRef targetGUID="{_guid(1)}"/></Coding></PlainTextSelection>
  </TextSource>
  <PictureSource guid="{_guid(5)}" name="photo.jpg" path="internal://x.jpg"/>
 </Sources>
</Project>""", {})
    report = empty.import_refi(path)
    assert report.n_outside == 1  # "Moderator: " is a label, not what was said
    assert any("PictureSource 'photo.jpg'" in item for item in report.left_out)


def test_the_cli_imports_a_qdpx_and_says_what_it_did(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from focuscode.cli.app import app

    folder = tmp_path / "cli"
    Project.init(folder).close()
    path = maxqda_like(tmp_path)
    result = CliRunner().invoke(app, ["import", str(path), "--project", str(folder)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "3 transcript(s) imported" in out and "Chris 2, Dana 2" in out
    assert "Field notes: no speaker lines found; imported as one speaker's text." in out
    assert "One decision" in out
    for extra in ([str(path)], ["--attr", "site=x"]):
        result = CliRunner().invoke(app, ["import", str(path), *extra, "--project", str(folder)])
        assert isinstance(result.exception, FocuscodeError)


def _same_project(original: Project, imported: Project, *, renamed: dict[str, str]) -> None:
    """Same transcript texts, codes (names, tree) and each coder's codings."""
    assert sorted(t.text for t in original.store.transcripts()) == sorted(
        t.text.removeprefix("\ufeff") for t in imported.store.transcripts())
    codes = {(c.name, c.parent) for c in original.codebook.current().codes}
    assert codes <= {(c.name, c.parent) for c in imported.codebook.current().codes}
    mine = _codings(original)
    theirs = {(text, code, renamed.get(coder, coder)) for text, code, coder in _codings(imported)}
    assert mine and theirs == mine


def test_focuscode_export_comes_back_as_it_went(tmp_path: Path) -> None:
    from refi_support import two_coder_project

    folder = two_coder_project(tmp_path / "original")
    with Project.open(folder, embedder=HashingEmbedder()) as original, \
            Project.init(tmp_path / "back", embedder=HashingEmbedder()) as back:
        path = original.reports.export_refi(tmp_path / "study.qdpx", real_names=True,
                                            include_suggestions=True)
        report = back.import_refi(path)
        assert report.n_suggestions > 0 and set(report.codings) == {"ana", "ben"}
        assert report.n_themes_left_out > 0  # the unreviewed themes stay behind
        _same_project(original, back, renamed={})
        assert [(c.name, c.parent, c.color) for c in back.codebook.current().codes] == [
            (c.name, c.parent, c.color or derived_color(c.key))  # the colour it was given
            for c in original.reports.data().codes if c.status == "accepted"]
        speakers = {s.label: s for s in original.store.speakers()}
        for speaker in back.store.speakers():
            assert speaker.role == speakers[speaker.label].role
        again = original.import_refi(path)  # into the project it came from: no transcript,
        assert again.imported == () and len(again.skipped) == 3  # no coding, only the colours
        assert again.n_codings == 0 and again.n_known == len(_codings(original))  # it was shown
        assert set(again.codes_updated) == {"Who coordinates care", "Physicians want data"}
        assert original.import_refi(path).decision_id is None


def test_qualcoder_reexport_comes_back_with_every_coders_codings(tmp_path: Path) -> None:
    from refi_support import FIXTURE, two_coder_project

    folder = two_coder_project(tmp_path / "original")
    with Project.open(folder, embedder=HashingEmbedder()) as original, \
            Project.init(tmp_path / "back", embedder=HashingEmbedder()) as back:
        report = back.import_refi(FIXTURE)
        assert report.origin.startswith("QualCoder") and report.n_outside == 0
        _same_project(original, back, renamed={})


def test_a_source_text_that_is_not_utf8_is_refused(empty: Project, tmp_path: Path) -> None:
    path = write_archive(tmp_path / "latin.qdpx", f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="L"><Sources>
 <TextSource guid="{_guid(2)}" name="g.txt" plainTextPath="internal://{_guid(2)[1:-1]}.txt"/>
</Sources></Project>""", {f"sources/{_guid(2)[1:-1]}.txt": "Alice: café".encode("cp1252")})
    with pytest.raises(IngestError, match="not UTF-8"):
        empty.import_refi(path)
    assert empty.store.transcripts() == []
