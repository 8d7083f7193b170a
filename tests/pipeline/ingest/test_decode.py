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
