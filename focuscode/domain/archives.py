"""Zip-based files from outside (a DOCX transcript, an XLSX codebook): refuse what an office
program never writes, before a library unpacks it: paths out of the archive, zip bombs (by total
size, by ratio, or by a header that lies about the size), and DTDs (entity tricks: XXE, billion
laughs). Standard library only; the one guard every zip reader uses.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from focuscode.domain.errors import IngestError

MAX_UNCOMPRESSED = 300 * 1024 * 1024
# Deflate cannot beat ~1030:1; office files' own parts reach a few hundred to one only when small.
MAX_RATIO, RATIO_FROM = 100, 20 * 1024 * 1024
# What a damaged or hostile archive raises while it is read (encrypted: RuntimeError; a
# damaged directory: ValueError "negative seek value").
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
              RuntimeError, ValueError, zlib.error)
DTD_MARKERS = tuple(marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY")
                    for codec in ("utf-8", "utf-16-le", "utf-16-be"))


@dataclass(frozen=True)
class ArchiveKind:
    """How to speak of one kind of file in refusals, e.g. a Word ``document``."""

    noun: str  # "document"
    program: str  # "Word": what writes it, and what to save it again with
    suffix: str  # ".docx"
    contents: str  # "a transcript": what it was supposed to hold


def check_zip(source: bytes | Path, path: str, kind: ArchiveKind) -> None:
    """Raise ``IngestError`` (one line, naming ``path``) unless ``source`` (the file's bytes, or
    its path) is a zip archive its program could have written."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) \
                as archive:
            members = archive.infolist()
            for info in members:
                _check_member(info, path, kind)
            if sum(info.file_size for info in members) > MAX_UNCOMPRESSED:
                raise IngestError(f"the {kind.noun} unpacks to more than "
                                  f"{MAX_UNCOMPRESSED // (1024 * 1024)} MiB; refusing to open it",
                                  path=path,
                                  hint=f"this is not {kind.contents}, or it is damaged")
            for info in members:
                if info.filename.lower().endswith((".xml", ".rels")) and any(
                        marker in archive.read(info) for marker in DTD_MARKERS):
                    raise IngestError(f"the {kind.noun} declares a DTD or entities in "
                                      f"{info.filename!r}; refusing to open it", path=path,
                                      hint=f"{kind.program} never writes these: open it in "
                                           f"{kind.program} and save it again as {kind.suffix}")
    except ZIP_ERRORS as error:
        raise IngestError(f"not a valid {kind.suffix} file ({error or 'it is not a zip archive'})",
                          path=path, hint=f"open it in {kind.program} and save it again as "
                                          f"{kind.suffix}") from None


def _check_member(info: zipfile.ZipInfo, path: str, kind: ArchiveKind) -> None:
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
        raise IngestError(f"the {kind.noun} holds a file with an unsafe path {info.filename!r}; "
                          "refusing to open it", path=path,
                          hint=f"this is not a {kind.noun} {kind.program} wrote")
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise IngestError(f"{info.filename!r} unpacks to {info.file_size // (1024 * 1024)} MiB "
                          f"from {info.compress_size // 1024} KiB (a zip bomb?); refusing to "
                          "open it", path=path,
                          hint=f"this is not {kind.contents}, or it is damaged")
