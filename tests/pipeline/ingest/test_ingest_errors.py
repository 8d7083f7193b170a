"""Bad input is refused with an IngestError that names the file, and the line where it applies."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest

from focuscode.domain import FocuscodeError, IngestError
from focuscode.pipeline.ingest import parse_transcript

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def random_bytes_with_nuls() -> bytes:
    generator = random.Random(0)
    return bytes(generator.randrange(256) for _ in range(2000)) + b"\x00\x00\x01"


def zip_without_word_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "Ana: hi")
    return buffer.getvalue()


def refuse(path: Path, data: bytes, **kwargs) -> IngestError:
    path.write_bytes(data)
    with pytest.raises(IngestError) as caught:
        parse_transcript(path, **kwargs)
    assert isinstance(caught.value, FocuscodeError)
    assert caught.value.path == str(path)
    return caught.value


# (file name, bytes, message fragment, line or None)
CASES = [
    ("empty.txt", b"", "file is empty", None),
    ("blank.txt", b" \r\n\n\t\n", "file is empty", None),
    ("bom-only.txt", b"\xef\xbb\xbf", "file is empty", None),
    ("image.txt", PNG, "PNG image", None),
    ("noise.txt", random_bytes_with_nuls(), "binary file", None),
    ("report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document", None),
    ("legacy.txt", b"Ana: hello\nBen: fine\nGrace: caf\x81\x8d\n", "unknown text encoding", 3),
    ("notes.txt", b"Some notes about the session.\nNo labels at all here.\n",
     "no speaker turns found", 1),
    ("report.pdf", b"%PDF-1.7\n", "unsupported file type '.pdf'", None),
    ("audio.mp3", b"ID3\x03\x00", "unsupported file type '.mp3'", None),
    ("noextension", b"Ana: hi\n", "unsupported file type '(none)'", None),
    ("broken.docx", b"this is not a zip archive", "not a valid .docx file", None),
    ("truncated.docx", b"PK\x03\x04\x14\x00", "not a valid .docx file", None),
    ("other.docx", zip_without_word_parts(), "not a readable Word document", None),
    ("empty.docx", b"", "file is empty", None),
    ("noheader.vtt", b"00:00:01.000 --> 00:00:02.000\nAna: hi\n", "not a valid WebVTT file", 1),
    ("badtime.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna: hi\n\n"
                    b"00:00:03.000 --> soon\nBen: lost\n", "cannot read the cue timing", 6),
    ("badminutes.vtt", b"WEBVTT\n\n62:10.000 --> 62:11.000\nAna: hi\n",
     "cannot read the cue timing", 3),
    ("nocues.vtt", b"WEBVTT\n\n", "no captions found", 1),
    ("nolabels.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello\n",
     "no speaker labels", 3),
    ("broken.srt", b"1\n00:00:01,000 --> 00:00:02,000\nAna: hi\n\n2\n00:00:0x,000 --> zz\n"
                   b"Ben: lost\n\n3\n00:00:05,000 --> 00:00:06,000\nAna: ok\n",
     "not a valid SRT file", 5),
]


@pytest.mark.parametrize(("name", "data", "message", "line"), CASES,
                         ids=[case[0] for case in CASES])
def test_bad_file_is_refused_naming_file_and_line(tmp_path, name, data, message, line):
    path = tmp_path / name
    error = refuse(path, data)
    assert message in error.message
    assert error.line == line
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(error).startswith(where + error.message)


def test_missing_file(tmp_path):
    path = tmp_path / "absent.txt"
    with pytest.raises(IngestError, match="file not found") as caught:
        parse_transcript(path)
    assert caught.value.path == str(path)


def test_folder_is_not_a_file(tmp_path):
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(IngestError, match="is a folder") as caught:
        parse_transcript(folder)
    assert caught.value.path == str(folder)


def test_unknown_explicit_encoding(tmp_path):
    error = refuse(tmp_path / "s.txt", b"Ana: hi\n", encoding="no-such-codec")
    assert error.message == "unknown encoding 'no-such-codec'"


def test_wrong_explicit_encoding_names_the_line(tmp_path):
    error = refuse(tmp_path / "s.txt", "Ana: hi\nBen: caf\u00e9\n".encode("cp1252"),
                   encoding="utf-8")
    assert (error.message, error.line) == ("not valid utf-8 at byte 16", 2)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Ana: hi\n")
    path.chmod(0)
    with pytest.raises(IngestError, match="permission denied"):
        parse_transcript(path)
