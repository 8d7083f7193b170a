"""Importing transcripts into a project: speakers and roles, exclusions, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from focuscode.domain import ExclusionReason, IngestError
from focuscode.pipeline.ingest import parse_transcript
from focuscode.pipeline.ingest.speakers import load_speakers

DEMO_NAMES = ("roundtable1_boston.txt", "roundtable2_zoom.vtt", "roundtable3_chicago.docx")


def snapshot(project) -> tuple:
    """Everything an import could change."""
    store = project.store
    return (store.transcripts(), store.speakers(), store.segments(),
            store.db.query("SELECT COUNT(*) FROM turns")[0][0])


def folder_with(tmp_path: Path, *files: tuple[str, bytes]) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir(exist_ok=True)
    for name, data in files:
        (folder / name).write_bytes(data)
    return folder


def test_import_demo_folder(project, demo_dir):
    report = project.import_files([demo_dir])
    expected_turns = sum(len(parse_transcript(demo_dir / name).turns) for name in DEMO_NAMES)
    assert (report.imported, report.skipped, report.n_turns) == (DEMO_NAMES, (), expected_turns)
    assert (report.unknown_speakers, report.guessed_roles) == ({}, {})
    transcripts = project.store.transcripts()
    assert [t.name for t in transcripts] == list(DEMO_NAMES)
    assert transcripts[0].attributes == {"session": "RT1", "site": "Boston",
                                         "date": "2026-03-12", "mode": "in person"}
    assert len(project.store.segments()) == report.n_segments


def test_imported_speakers_have_roles_from_the_speakers_file(imported_project, demo_dir):
    speakers_file = load_speakers(demo_dir / "speakers.yaml")
    mapped = {s.label: (s.role, s.pseudonym) for s in speakers_file.speakers}
    stored = {s.label: (s.role, s.pseudonym) for s in imported_project.store.speakers()}
    assert stored == mapped
    used = {s.speaker for s in imported_project.store.segments()}
    assert used <= set(mapped)


def test_moderator_segments_are_excluded(imported_project):
    segments = imported_project.store.segments()
    moderators = [s for s in segments if s.role == "moderator"]
    assert len(moderators) > 50
    assert {s.excluded for s in moderators} == {ExclusionReason.MODERATOR}
    assert all(s.role != "moderator" for s in imported_project.store.segments(included_only=True))


def test_stored_segments_point_into_the_stored_text(imported_project):
    texts = {t.id: t.text for t in imported_project.store.transcripts()}
    for segment in imported_project.store.segments():
        assert texts[segment.transcript_id][segment.start:segment.end] == segment.text


def test_importing_the_same_files_again_skips_them(imported_project, demo_dir):
    before = snapshot(imported_project)
    report = imported_project.import_files([demo_dir])
    assert (report.imported, report.skipped, report.n_turns) == ((), DEMO_NAMES, 0)
    assert snapshot(imported_project) == before


def test_changed_file_under_a_known_name_is_refused(project, tiny_transcript, tmp_path):
    path = tmp_path / "session.txt"
    shutil.copy(tiny_transcript, path)
    project.import_files([path])
    before = snapshot(project)
    path.write_text(tiny_transcript.read_text() + "Ben Okoro: One more thing.\n")
    with pytest.raises(IngestError, match="a different transcript named 'session.txt'") as caught:
        project.import_files([path])
    assert caught.value.path == str(path)
    assert snapshot(project) == before


def test_folder_with_one_bad_file_imports_nothing(project, tiny_transcript, tmp_path):
    folder = folder_with(tmp_path, ("a_session.txt", tiny_transcript.read_bytes()),
                         ("b_session.txt", tiny_transcript.read_bytes() + b"\n"),
                         ("z_broken.txt", b"\x89PNG\r\n\x1a\n\x00\x00"))
    with pytest.raises(IngestError, match="PNG image") as caught:
        project.import_files([folder])
    assert caught.value.path == str(folder / "z_broken.txt")
    assert snapshot(project) == ([], [], [], 0)


def test_bad_speakers_file_imports_nothing(project, tiny_transcript, tmp_path):
    folder = folder_with(tmp_path, ("session.txt", tiny_transcript.read_bytes()),
                         ("speakers.yaml", b"speakers:\n  Ana Silva:\n    pseudonym: A\n"))
    with pytest.raises(IngestError, match="has no role") as caught:
        project.import_files([folder])
    assert (caught.value.path, caught.value.line) == (str(folder / "speakers.yaml"), 2)
    assert snapshot(project) == ([], [], [], 0)


def test_without_a_speakers_file_roles_are_guessed(project, tiny_transcript):
    report = project.import_files([tiny_transcript])
    assert (report.imported, report.guessed_roles) == (("tiny.txt",), {"Moderator": "moderator"})
    assert {s.label: s.role for s in project.store.speakers()} == {
        "Ana Silva": "unknown", "Ben Okoro": "unknown", "Moderator": "moderator"}
    assert [s.id for s in project.store.segments(included_only=True)] == [2, 4, 6, 9, 10, 11]


def test_speakers_file_aliases_relabel_turns_and_unknown_speakers_are_reported(
        project, tiny_transcript, tmp_path):
    speakers = tmp_path / "people.yaml"
    speakers.write_text("speakers:\n  A. Silva:\n    role: patient\n    aliases: [Ana Silva]\n")
    report = project.import_files([tiny_transcript], speakers_file=speakers)
    assert report.unknown_speakers == {"tiny.txt": ("Ben Okoro",)}
    assert report.guessed_roles == {"Moderator": "moderator"}
    assert sorted({(s.speaker, s.role) for s in project.store.segments()}) == [
        ("A. Silva", "patient"), ("Ben Okoro", "unknown"), ("Moderator", "moderator")]


def test_including_the_moderator_re_includes_their_segments(project, tiny_transcript):
    project.import_files([tiny_transcript])
    project.configure(include_moderator=True)
    assert [s.excluded for s in project.store.segments() if s.role == "moderator"] == [
        None, ExclusionReason.TOO_SHORT, ExclusionReason.TOO_SHORT, None]  # short questions
    project.configure(include_moderator=False)
    assert {s.excluded for s in project.store.segments() if s.role == "moderator"} == {
        ExclusionReason.MODERATOR}


def test_missing_path_and_empty_folder(project, tmp_path):
    with pytest.raises(IngestError, match="file not found"):
        project.import_files([tmp_path / "absent.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(IngestError, match="no transcripts in this folder"):
        project.import_files([tmp_path / "empty"])


@pytest.mark.shared
def test_import_all_primock57_consultations(project, shared_dir):
    report = project.import_files([shared_dir / "data" / "primock57" / "vtt"])
    assert len(report.imported) == 57
    assert report.guessed_roles == {"Doctor": "physician", "Patient": "patient"}
    assert {s.label: s.role for s in project.store.speakers()} == {
        "Doctor": "physician", "Patient": "patient"}
    texts = {t.id: t.text for t in project.store.transcripts()}
    segments = project.store.segments()
    assert len(segments) == report.n_segments
    assert all(texts[s.transcript_id][s.start:s.end] == s.text for s in segments)


# issue 16: a byte-identical copy under another name would double every count --------------------
def test_a_copy_under_another_name_is_refused_naming_the_original(project, demo_dir, tmp_path):
    project.import_files([demo_dir / "roundtable1_boston.txt"])
    copy = tmp_path / "roundtable1_boston (1).txt"
    shutil.copy(demo_dir / "roundtable1_boston.txt", copy)
    before = snapshot(project)
    with pytest.raises(IngestError, match="byte for byte the transcript 'roundtable1_boston.txt'"
                       ) as caught:
        project.import_files([copy])
    assert "--allow-duplicate" in str(caught.value) and caught.value.path == str(copy)
    assert snapshot(project) == before
    report = project.import_files([copy], allow_duplicate=True)
    assert report.imported == ("roundtable1_boston (1).txt",)


def test_two_copies_in_one_import_are_refused(project, tiny_transcript, tmp_path):
    folder = folder_with(tmp_path, ("a.txt", tiny_transcript.read_bytes()),
                         ("b.txt", tiny_transcript.read_bytes()))
    with pytest.raises(IngestError, match="the transcript 'a.txt'"):
        project.import_files([folder])
    assert project.store.transcripts() == []


def test_a_folder_that_cannot_be_searched_is_one_clear_error(project, tmp_path, monkeypatch):
    """What ``is_dir`` raises for a file in a folder without search permission (as any user but
    root meets it)."""
    def denied(self):  # noqa: ANN001, ANN202
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "is_dir", denied)
    with pytest.raises(IngestError, match="permission denied") as caught:
        project.import_files([tmp_path / "locked" / "t.txt"])
    assert caught.value.path == str(tmp_path / "locked" / "t.txt")
