"""Bytes to text: the encodings transcripts really arrive in, and clear errors for the rest."""

from __future__ import annotations

import codecs
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from focuscode.domain import IngestError

SUPPORTED_ENCODINGS = "UTF-8 (with or without BOM), UTF-16 (with BOM) or Windows-1252"
MAX_BYTES = 200 * 1024 * 1024
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


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise IngestError(f"file is {size // (1024 * 1024)} MiB, larger than a transcript "
                              f"can be ({MAX_BYTES // (1024 * 1024)} MiB)", path=str(path),
                              hint="split it into one file per session")
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError("file not found", path=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise IngestError("is a folder, not a file", path=str(path)) from None
    except PermissionError:
        raise IngestError("permission denied", path=str(path),
                          hint="make the file readable") from None
    except OSError as error:
        raise IngestError(f"cannot be read: {error.strerror}", path=str(path)) from None


def decode_text(data: bytes, path: Path, encoding: str | None = None) -> DecodedText:
    """Decode ``data``, normalise newlines to ``\\n`` and refuse binary or empty files."""
    sha = hashlib.sha256(data).hexdigest()
    name = str(path)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError("file is empty", path=name, hint="export the transcript again")
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise IngestError(f"this is {what}, not a transcript", path=name,
                              hint="focuscode reads .txt, .vtt, .srt and .docx")
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
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _refuse_binary(text, name)
    return DecodedText(text=text, encoding=used, sha256=sha)


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
                          path=name, hint="focuscode reads .txt, .vtt, .srt and .docx")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
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
                          hint="focuscode reads .txt, .vtt, .srt and .docx")
