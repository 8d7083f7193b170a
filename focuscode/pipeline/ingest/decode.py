"""Bytes to text: the encodings transcripts really arrive in, and clear errors for the rest."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from focuscode.domain import IngestError

SUPPORTED_ENCODINGS = "UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252"
MAX_BYTES = 200 * 1024 * 1024
# a lead byte and its continuation bytes: one well-formed UTF-8 character of 2 to 4 bytes
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                             rb"|[\xf0-\xf4][\x80-\xbf]{3}")
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_BINARY_SIGNATURES = {
    b"%PDF": "a PDF document: save or export it as .txt or .docx",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Word (.doc) or Office file: save it as .docx or .txt",
    b"ID3": "an audio file: transcribe it first",
    b"RIFF": "an audio or video file: transcribe it first",
    b"{\\rtf": "an RTF document: save it as .docx or .txt",
}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    sha256: str
    note: str = ""  # how the encoding was guessed, when it was not UTF-8


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (symlinks followed), at most ``limit`` (``MAX_BYTES``):
    devices, pipes and sockets are refused before they are opened, so none can hang or stream
    without end."""
    limit = MAX_BYTES if limit is None else limit
    too_big = IngestError(f"file is larger than a transcript can be ({limit // (1024 * 1024)} "
                          "MiB)", path=str(path), hint="split it into one file per session")
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise _not_regular(path)
        if info.st_size > limit:
            raise too_big
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped meanwhile
                raise _not_regular(path)
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise IngestError("file not found", path=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise IngestError("is a folder, not a file", path=str(path)) from None
    except PermissionError:
        raise IngestError("permission denied", path=str(path),
                          hint="make the file readable") from None
    except OSError as error:
        raise IngestError(f"cannot be read: {error.strerror}", path=str(path)) from None
    if len(data) > limit:  # it grew while being read
        raise too_big
    return data


def _not_regular(path: Path) -> IngestError:
    return IngestError("is not a regular file (a device, named pipe or socket), not a transcript",
                       path=str(path), hint="copy the transcript into an ordinary file")


# What a refused file should have been, and what to do: for transcripts and speakers files.
_KINDS = {
    "transcript": ("export the transcript again", "focuscode reads .txt, .vtt, .srt and .docx"),
    "speakers file": ("write the speakers in it (see transcripts/speakers.yaml)",
                      "a speakers file is YAML or CSV text"),
}


def decode_text(data: bytes, path: Path, encoding: str | None = None, *,
                kind: str = "transcript") -> DecodedText:
    """Decode ``data``, normalise newlines to ``\\n`` and refuse binary or empty files (the
    messages say ``kind``: a transcript or a speakers file)."""
    try:
        return _decode_text(data, path, encoding)
    except IngestError as error:
        if kind == "transcript":
            raise
        empty, reads = _KINDS[kind]
        error.message = error.message.replace("a transcript", f"a {kind}")
        error.hint = {_KINDS["transcript"][0]: empty,
                      _KINDS["transcript"][1]: reads}.get(error.hint or "", error.hint)
        error.args = (error.message,)
        raise


def _decode_text(data: bytes, path: Path, encoding: str | None = None) -> DecodedText:
    sha = hashlib.sha256(data).hexdigest()
    name = str(path)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError("file is empty", path=name, hint=_KINDS["transcript"][0])
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise IngestError(f"this is {what}, not a transcript", path=name,
                              hint=_KINDS["transcript"][1])
    if encoding is not None:
        used = encoding
        try:
            text = data.decode(encoding)
        except LookupError:
            raise IngestError(f"unknown encoding {encoding!r}", path=name,
                              hint=f"use one of {SUPPORTED_ENCODINGS}") from None
        except UnicodeDecodeError as error:
            raise IngestError(f"not valid {encoding} at byte {error.start}", path=name,
                              line=data[: error.start].count(b"\n") + 1,
                              hint="check the encoding or save the file as UTF-8") from None
    else:
        text, used = _guess(data, name)
    note = ""
    if used == "cp1252" and encoding is None:
        bad = _first_bad_utf8(data)
        line = data[:bad].count(b"\n") + 1
        note = (f"not UTF-8 (byte {data[bad]:#04x} on line {line}): read as Windows-1252; if "
                "accents look wrong, import it again with --encoding")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _refuse_binary(text, name)
    return DecodedText(text=text, encoding=used, sha256=sha, note=note)


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def _utf8_sequences(data: bytes) -> int:
    """How many well-formed multi-byte UTF-8 characters ``data`` holds (a Windows-1252 file
    has almost none: its accented letters are single bytes)."""
    return len(_UTF8_MULTIBYTE.findall(data))


def _bad_utf8(data: bytes) -> int:
    """How many places of ``data`` are not UTF-8."""
    return data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd")


def _guess(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        # UTF-16 without a BOM shows as every other byte NUL in mostly-ASCII text.
        evens, odds = data[0::2].count(0), data[1::2].count(0)
        half = len(data) // 2
        if half and odds > 0.4 * half and evens == 0:
            return _strict(data, "utf-16-le", name), "utf-16-le"
        if half and evens > 0.4 * half and odds == 0:
            return _strict(data, "utf-16-be", name), "utf-16-be"
        raise IngestError("looks like a binary file (it contains NUL bytes), not a transcript",
                          path=name, hint=_KINDS["transcript"][1])
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        line = data[: utf8_error.start].count(b"\n") + 1
        if _utf8_sequences(data) >= _bad_utf8(data):
            # UTF-8 elsewhere: one bad byte must not turn every accent into mojibake
            raise IngestError(
                f"byte {data[utf8_error.start]:#04x} is not UTF-8, though the rest of the file "
                "is", path=name, line=line,
                hint="fix or remove that character and save the file as UTF-8, or pass "
                     "--encoding (e.g. --encoding cp1252) if the file is in another "
                     "encoding") from None
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            raise IngestError(
                f"unknown text encoding (byte {data[utf8_error.start]:#04x} is neither UTF-8 "
                f"nor Windows-1252)", path=name, line=line,
                hint=f"save the file as UTF-8, or pass --encoding; supported: "
                     f"{SUPPORTED_ENCODINGS}") from None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise IngestError(f"not valid {encoding} at byte {error.start}", path=name,
                          hint="save the file again as UTF-8") from None


def check_characters(text: str, name: str) -> None:
    """Refuse a lone surrogate (from ``--encoding unicode_escape``, or text handed in by
    code): no encoder, tokenizer or database can store it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise IngestError(f"the text holds an invalid character (U+{ord(text[error.start]):04X}) "
                          f"at character {error.start}", path=name,
                          line=text[:error.start].count("\n") + 1,
                          hint="check the encoding or save the file as UTF-8") from None


def _refuse_binary(text: str, name: str) -> None:
    check_characters(text, name)
    sample = text[:20000]
    controls = sum(1 for ch in sample
                   if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"))
    if "\x00" in text or controls > max(3, len(sample) // 100):
        raise IngestError("looks like a binary file, not a transcript", path=name,
                          hint=_KINDS["transcript"][1])
