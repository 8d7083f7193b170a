"""Encodings transcripts really arrive in: UTF-8 (with and without BOM), UTF-16, Windows-1252."""

from __future__ import annotations

import pytest

from focuscode.pipeline.ingest import parse_transcript

TEXT = ("Grace Liu: The caf\u00e9 said \u201cno\u201d \u2014 it\u2019s fine.\n"
        "Tom Reilly: Na\u00efve, yes.\n")
TURNS = [("Grace Liu", "The caf\u00e9 said \u201cno\u201d \u2014 it\u2019s fine."),
         ("Tom Reilly", "Na\u00efve, yes.")]


@pytest.mark.parametrize(("data", "encoding"), [
    (TEXT.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),  # with BOM, native byte order
    (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16"),
    (TEXT.encode("cp1252"), "cp1252"),
], ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-be-bom", "cp1252"])
def test_encodings_decode_to_the_same_text(tmp_path, data, encoding):
    path = tmp_path / "session.txt"
    path.write_bytes(data)
    parsed = parse_transcript(path)
    assert (parsed.text, parsed.encoding) == (TEXT, encoding)
    assert [(t.speaker, t.text) for t in parsed.turns] == TURNS
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text


def test_source_hash_is_of_the_bytes_on_disk(tmp_path):
    import hashlib

    path = tmp_path / "session.txt"
    data = TEXT.encode("cp1252")
    path.write_bytes(data)
    assert parse_transcript(path).source_sha256 == hashlib.sha256(data).hexdigest()


def test_explicit_encoding_is_used(tmp_path):
    path = tmp_path / "session.txt"
    word = "\u0436\u0443\u0440\u043d\u0430\u043b"
    path.write_bytes(f"Ana: {word}\n".encode("koi8-r"))
    parsed = parse_transcript(path, encoding="koi8-r")
    assert (parsed.encoding, parsed.turns[0].text) == ("koi8-r", word)


# issue 16: one bad byte in a UTF-8 file is reported, never turned into mojibake -----------------
def test_one_bad_byte_in_utf8_is_refused_with_its_line(tmp_path):
    from focuscode.domain import IngestError

    path = tmp_path / "session.txt"
    path.write_bytes(TEXT.encode("utf-8") + b"Grace Liu: tr\xe8s bien.\n")
    with pytest.raises(IngestError) as caught:
        parse_transcript(path)
    assert caught.value.line == 3 and caught.value.path == str(path)
    assert "0xe8" in str(caught.value) and "--encoding" in str(caught.value)


def test_the_windows_1252_fallback_is_reported_with_the_first_bad_line(tmp_path):
    path = tmp_path / "session.txt"
    path.write_bytes(b"Ana: plain.\n" + TEXT.encode("cp1252"))
    parsed = parse_transcript(path)
    assert parsed.encoding == "cp1252" and "caf\u00e9" in parsed.text
    assert "line 2" in parsed.decoding_note and "--encoding" in parsed.decoding_note
    assert parse_transcript(path, encoding="cp1252").decoding_note == ""
    utf8 = tmp_path / "utf8.txt"
    utf8.write_bytes(TEXT.encode("utf-8"))
    assert parse_transcript(utf8).decoding_note == ""


# issue 16: only regular files are read, and at most the size limit -----------------------------
@pytest.mark.parametrize("kind", ["symlink to /dev/zero", "named pipe", "symlink to a pipe"])
def test_special_files_are_refused_without_reading(tmp_path, kind):
    import os

    from focuscode.domain import IngestError

    path = tmp_path / "session.txt"
    if kind == "symlink to /dev/zero":
        path.symlink_to("/dev/zero")
    elif kind == "named pipe":
        os.mkfifo(path)
    else:
        os.mkfifo(tmp_path / "pipe")
        path.symlink_to(tmp_path / "pipe")
    with pytest.raises(IngestError, match="not a regular file"):
        parse_transcript(path)  # a pipe would block forever in open() and /dev/zero never end


def test_reads_at_most_the_limit(tmp_path):
    from focuscode.domain import IngestError
    from focuscode.pipeline.ingest.decode import read_bytes

    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    assert read_bytes(path, limit=101) == b"x" * 101
    with pytest.raises(IngestError, match="larger than a transcript"):
        read_bytes(path, limit=100)
