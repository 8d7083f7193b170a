"""Speakers files (YAML and CSV) and role guesses from generic labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.domain import IngestError, Speaker
from focuscode.pipeline.ingest.speakers import guess_role, load_speakers

YAML = """\
# who is who
speakers:
  Dr. Anand Shah:
    role: Physician
    pseudonym: Physician 1
    aliases: [DR. SHAH, Anand]
    attributes: {specialty: gastroenterology, since: 2019-01-02}
  P3: patient
  Moderator:
    role: moderator
transcripts:
  rt1.txt: {site: Boston, date: 2026-03-12}
  rt2: {site: online}
"""

SHAH = Speaker(label="Dr. Anand Shah", role="physician", pseudonym="Physician 1",
               attributes={"specialty": "gastroenterology", "since": "2019-01-02"})


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refuse(path: Path) -> IngestError:
    with pytest.raises(IngestError) as caught:
        load_speakers(path)
    assert caught.value.path == str(path)
    return caught.value


def test_yaml_speakers_roles_pseudonyms_attributes(tmp_path):
    speakers = load_speakers(write(tmp_path, "speakers.yaml", YAML))
    assert speakers.speakers == (SHAH, Speaker(label="P3", role="patient"),
                                 Speaker(label="Moderator", role="moderator"))


@pytest.mark.parametrize("label", ["Dr. Anand Shah", "dr. anand shah", "DR.  SHAH", "anand",
                                   "  Anand  "])
def test_lookup_is_case_insensitive_and_knows_aliases(tmp_path, label):
    speakers = load_speakers(write(tmp_path, "speakers.yaml", YAML))
    assert speakers.find(label) == SHAH


def test_unknown_label_resolves_to_unknown_role(tmp_path):
    speakers = load_speakers(write(tmp_path, "speakers.yaml", YAML))
    assert speakers.find("Dr. Shahid") is None
    assert speakers.resolve("Dr. Shahid") == Speaker(label="Dr. Shahid", role="unknown")


def test_transcript_attributes_by_file_name_or_stem(tmp_path):
    speakers = load_speakers(write(tmp_path, "speakers.yaml", YAML))
    assert speakers.attributes_for("rt1.txt") == {"site": "Boston", "date": "2026-03-12"}
    assert speakers.attributes_for("rt2.vtt") == {"site": "online"}
    assert speakers.attributes_for("rt3.docx") == {}


def test_csv_speakers_with_aliases_and_extra_columns(tmp_path):
    path = write(tmp_path, "speakers.csv",
                 "Label,Role,Pseudonym,Aliases,Specialty\n"
                 "Dr. Anand Shah,Physician,Physician 1,DR. SHAH; Anand,gastroenterology\n"
                 "P3,patient,,,\n"
                 ",,,,\n")
    speakers = load_speakers(path)
    assert speakers.speakers == (
        Speaker(label="Dr. Anand Shah", role="physician", pseudonym="Physician 1",
                attributes={"specialty": "gastroenterology"}),
        Speaker(label="P3", role="patient"))
    assert speakers.find("anand").label == "Dr. Anand Shah"


def test_demo_speakers_file(demo_dir):
    speakers = load_speakers(demo_dir / "speakers.yaml")
    roles = {speaker.role for speaker in speakers.speakers}
    assert roles == {"moderator", "patient", "caregiver", "physician"}
    assert speakers.find("hannah berg").pseudonym == "Moderator A"
    assert speakers.attributes_for("roundtable2_zoom.vtt") == {
        "session": "RT2", "site": "online", "date": "2026-04-02", "mode": "video call"}


@pytest.mark.parametrize(("text", "message", "line"), [
    ("speakers:\n  A: patient\n  B: [unclosed\n  C: patient\n", "does not parse", 4),
    ("speakers:\n  A: patient\n   B: patient\n", "does not parse", 3),
    ("speakers:\n  A: patient\n  B:\n    pseudonym: Bee\n", "speaker 'B' has no role", 3),
    ("speakers:\n  A: patient\n  B:\n    role: patient\n    age: 45\n",
     "speaker 'B' has unknown field(s) ['age']", 3),
    ("speakers:\n  A: patient\n  B: [patient]\n", "speaker 'B' must map to a role", 3),
    ("speakers:\n  A:\n    role: patient\n    attributes: [x]\n",
     "attributes of 'A' must be a mapping", 2),
    ("people:\n  A: patient\n", "needs a 'speakers:' mapping", 1),
    ("speakers:\n  A:\n    role: patient\n    aliases: [B]\n  B: physician\n",
     "'B' names two speakers (A and B)", 5),
    ("speakers:\n  A: patient\ntranscripts:\n  rt1.txt: Boston\n",
     "'transcripts:' must map file names", 3),
], ids=["bad-yaml", "bad-indent", "no-role", "unknown-field", "not-a-mapping",
        "bad-attributes", "no-speakers-key", "alias-clash", "bad-transcripts"])
def test_yaml_errors_name_file_and_line(tmp_path, text, message, line):
    error = refuse(write(tmp_path, "speakers.yaml", text))
    assert message in error.message
    assert error.line == line
    assert str(error).startswith(f"{tmp_path / 'speakers.yaml'}:{line}: ")


@pytest.mark.parametrize(("text", "message", "line"), [
    ("label,role\nA,patient\nB,\n", "speaker 'B' has no role", 3),
    ("name,role\nA,patient\n", "needs the columns 'label' and 'role'", 1),
])
def test_csv_errors_name_file_and_line(tmp_path, text, message, line):
    error = refuse(write(tmp_path, "speakers.csv", text))
    assert (message in error.message, error.line) == (True, line)


@pytest.mark.parametrize(("label", "role"), [
    ("Doctor", "physician"), ("Dr. Lee", "physician"), ("DR LEE", "physician"),
    ("Doctor_2", "physician"), ("GP", "physician"), ("Moderator", "moderator"),
    ("Co-moderator", "moderator"), ("Interviewer", "moderator"), ("Patient 2", "patient"),
    ("Patient2", "patient"), ("Participant 4", "patient"), ("Nurse Joy", "nurse"),
    ("Mother", "caregiver"), ("Guest_family", "caregiver"),
    ("P3", None), ("Grace Liu", None), ("Drew", None), ("Hostess", None),
    ("Maria Hostetler", None), ("Anna Parenti", None), ("Sonia", None), ("Gpa", None),
])
def test_guess_role_reads_whole_words(label, role):
    assert guess_role(label) == role


def test_labels_match_the_speakers_file_whatever_their_invisible_characters(tmp_path):
    from focuscode.pipeline.ingest.speakers import load_speakers

    path = tmp_path / "speakers.csv"
    path.write_text("label,role\n[SPEAKER_00],moderator\nAnna\u00a0Berg,patient\n",
                    encoding="utf-8")
    speakers = load_speakers(path)
    assert speakers.find("SPEAKER_00").role == "moderator"
    assert speakers.find("anna\u200b berg").role == "patient"
# issue 16: what was accepted silently or told in a transcript's words ---------------------------
@pytest.mark.parametrize(("text", "message", "line"), [
    ("speakers:\n  A:\n    role: {a: b}\n", "the role of speaker 'A' is a mapping", 2),
    ("speakers:\n  A:\n    role: patient\n    pseudonym: [a, b]\n",
     "the pseudonym of speaker 'A' is a list", 2),
    ("speakers:\n  A:\n    role: patient\n    attributes: {site: [a, b]}\n",
     "an attribute of 'A' is a list or mapping", 2),
    ("speakers:\n  A: patient\n  B: nurse\n  A: physician\n", "gives the key 'A' twice", 4),
    ("speakers:\n  A:\n    role: patient\n    role: nurse\n", "gives the key 'role' twice", 4),
    ("speakers:\n  A:\n    role: patient\n    pseudonym: P1\n  B:\n    role: patient\n"
     "    pseudonym: p1\n", "same pseudonym 'p1'", 5),
], ids=["role-mapping", "pseudonym-list", "attribute-list", "duplicate-speaker",
        "duplicate-field", "shared-pseudonym"])
def test_wrong_types_duplicates_and_shared_pseudonyms_are_refused(tmp_path, text, message, line):
    error = refuse(write(tmp_path, "speakers.yaml", text))
    assert message in error.message and error.line == line


def test_a_semicolon_csv_is_read():
    from focuscode.pipeline.ingest.speakers import _from_csv

    speakers = _from_csv("label;role;pseudonym\nAna;patient;P1\n", "s.csv")
    assert [(s.label, s.role, s.pseudonym) for s in speakers.speakers] == [("Ana", "patient", "P1")]


@pytest.mark.parametrize(("data", "message", "hint"), [
    (b"", "file is empty", "write the speakers in it"),
    (b"%PDF-1.4 x", "not a speakers file", "a speakers file is YAML or CSV"),
])
def test_speakers_file_errors_speak_of_speakers_files(tmp_path, data, message, hint):
    path = tmp_path / "speakers.yaml"
    path.write_bytes(data)
    error = refuse(path)
    assert message in error.message and hint in error.hint
    assert "a transcript" not in str(error) and "export the transcript" not in str(error)
def test_redact_lists_other_names_and_aliases_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "speakers.yaml"
    path.write_text("speakers:\n  Dr. Anand Shah:\n    role: physician\n    aliases: [DR. SHAH]\n"
                    "redact: [Alex, ' Rosa ']\n", encoding="utf-8")
    loaded = load_speakers(path)
    assert loaded.redact == ("Alex", "Rosa")
    assert loaded.spellings == {"Dr. Anand Shah": ("DR. SHAH",)}
    path.write_text("speakers:\n  Sam: moderator\nredact: {Alex: 1}\n", encoding="utf-8")
    with pytest.raises(IngestError, match="redact"):
        load_speakers(path)
