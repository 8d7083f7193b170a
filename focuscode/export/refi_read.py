"""Reading REFI-QDA 1.5: codebooks (``.qdc``) and whole projects (``.qdpx``) from any program.

Follows the standard, not one program's habits: GUIDs in any case (with or without braces),
``origin`` and unknown attributes ignored, codes nested to any depth (up to a limit), text
sources inside the archive (``internal://``) or inline (``PlainTextContent``), ``Sets``, ``Notes``.
Selections count Unicode code points of the source text from 0, end exclusive (§10.2); a UTF-8
byte order mark is the encoding's signature, not a character of the text. XML is parsed with
defusedxml and DTDs are refused; the archive passes the zip guard before anything is unpacked.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator
from xml.etree import ElementTree as ET

from focuscode.domain import Code, IngestError
from focuscode.domain.archives import ZIP_ERRORS, ArchiveKind, check_zip
from focuscode.domain.codebook import MAX_DEPTH, Codebook
from focuscode.domain.model import GROUP_SOURCE

_COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
QDPX = ArchiveKind(noun="REFI-QDA project", program="the QDA program that made it",
                   suffix=".qdpx", contents="a REFI-QDA project")
MAX_SOURCE_BYTES = 200 * 1024 * 1024


# what a project holds --------------------------------------------------------------------------
@dataclass(frozen=True)
class RefiCode:
    guid: str
    name: str
    parent: str | None  # the parent code's GUID
    codable: bool = True
    color: str | None = None
    description: str = ""


@dataclass(frozen=True)
class RefiCoding:
    """A code applied to characters ``start:end`` of a text source, by a user."""

    guid: str
    source: str  # GUID
    start: int
    end: int
    code: str  # GUID
    user: str  # the user's name (or GUID when the project does not name them)
    created_at: str = ""
    selection: str = ""  # GUID of its selection


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    text: str
    description: str = ""
    variables: dict[str, Any] = field(default_factory=dict)
    crlf: bool = False  # the text had CR LF (or CR) line ends


@dataclass(frozen=True)
class RefiCase:
    guid: str
    name: str
    description: str = ""
    variables: dict[str, Any] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # GUIDs of sources the case is linked to
    selections: tuple[str, ...] = ()  # GUIDs of selections


@dataclass(frozen=True)
class RefiNote:
    """A memo: a note with its text, and what it annotates (GUIDs)."""

    guid: str
    name: str
    text: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiProject:
    name: str
    origin: str = ""
    description: str = ""
    codes: tuple[RefiCode, ...] = ()  # parents before children
    sources: tuple[RefiSource, ...] = ()
    codings: tuple[RefiCoding, ...] = ()
    cases: tuple[RefiCase, ...] = ()
    notes: tuple[RefiNote, ...] = ()
    sets: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (set name, member source GUIDs)
    left_out: tuple[str, ...] = ()  # what focuscode cannot hold, said in the import report


# XML -------------------------------------------------------------------------------------------
def parse_xml(data: bytes | str, path: str, what: str) -> ET.Element:
    """The root element of XML from outside; DTDs and entities are refused (defusedxml)."""
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise IngestError(f"the {what} declares a DTD or entities; refusing to read it",
                          path=path, hint="QDA programs never write these: export it again")
    except (ET.ParseError, ValueError) as error:
        raise IngestError(f"not a readable {what} ({error})", path=path) from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next(_children(element, name), None)


def _text_of(element: ET.Element, name: str) -> str:
    found = _child(element, name)
    return (found.text or "") if found is not None else ""


def guid_of(value: str | None) -> str:
    """GUIDs compare in lower case, without braces (the standard allows both)."""
    return (value or "").strip().strip("{}").lower()


# codebooks -------------------------------------------------------------------------------------
def read_codes(codes_element: ET.Element | None, path: str) -> list[RefiCode]:
    """Every ``Code`` under ``Codes``, parents first; nesting deeper than ``MAX_DEPTH`` is
    refused, never recursed into."""
    result: list[RefiCode] = []
    if codes_element is None:
        return result
    stack: list[tuple[ET.Element, str | None, int]] = [
        (child, None, 0) for child in reversed(list(_children(codes_element, "Code")))]
    while stack:
        element, parent, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise IngestError(f"codes are nested more than {MAX_DEPTH} levels deep",
                              path=path)
        name = (element.get("name") or "").strip()
        if not name:
            raise IngestError("a code without a name", path=path)
        color = (element.get("color") or "").strip()
        code = RefiCode(guid=guid_of(element.get("guid")) or f"{parent}/{name}", name=name,
                        parent=parent,
                        codable=(element.get("isCodable") or "true").strip().lower()
                        not in ("false", "0"),
                        color=color if _COLOR.match(color) else None,
                        description=_text_of(element, "Description"))
        result.append(code)
        stack.extend((child, code.guid, depth + 1)
                     for child in reversed(list(_children(element, "Code"))))
    return result


def codes_of(refi_codes: list[RefiCode], path: str) -> list[Code]:
    """REFI codes as focuscode codes: focuscode's own fields back from the Description, a
    non-codable code as a grouping category; a name used twice gets its parent's name added."""
    from focuscode.export.refi_describe import split_description

    names: dict[str, str] = {}
    taken: set[str] = set()
    result: list[Code] = []
    for refi in refi_codes:
        name = refi.name
        if name.casefold() in taken:
            parent = names.get(refi.parent or "", "")
            name = f"{refi.name} ({parent})" if parent else refi.name
            n = 1
            while name.casefold() in taken:
                n += 1
                name = f"{refi.name} ({parent or 'code'} {n})"
        taken.add(name.casefold())
        names[refi.guid] = name
        definition, include, exclude, examples, memo = split_description(refi.description)
        result.append(Code(id=None, name=name, definition=definition, include=include,
                           exclude=exclude, examples=examples,
                           parent=names.get(refi.parent) if refi.parent else None,
                           color=refi.color, memo=memo,
                           source="codebook" if refi.codable else GROUP_SOURCE,
                           status="accepted"))
    return result


def read_qdc(path: Path) -> Codebook:
    """A REFI-QDA codebook (``.qdc``, or the codebook of a ``project.qde``): codes with their
    tree, colours and notes; ``isCodable="false"`` codes are grouping categories. The codebook's
    name is the root's ``name`` (a project's name; the standard gives a ``.qdc`` none), its
    description the root's ``Description``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(f"cannot be read: {error.strerror}", path=str(path)) from None
    root = parse_xml(data, str(path), "REFI-QDA codebook")
    if _local(root.tag) not in ("CodeBook", "Project"):
        raise IngestError(f"not a REFI-QDA codebook (root element {_local(root.tag)})",
                          path=str(path), hint="export the codebook as .qdc from the other program")
    codes_element = next((e for e in root.iter() if _local(e.tag) == "Codes"), None)
    codes = codes_of(read_codes(codes_element, str(path)), str(path))
    return Codebook.of(codes, name=(root.get("name") or "").strip(),
                       description=_text_of(root, "Description"), source=str(path))


def from_qdc(path: Path) -> list[Code]:
    """The codes of a ``.qdc``, parents before children (see ``read_qdc``)."""
    return list(read_qdc(Path(path)).codes)


# projects --------------------------------------------------------------------------------------
def read_qdpx(path: Path) -> RefiProject:
    """A REFI-QDA project archive. Refuses (one line) what is not one, or is hostile."""
    check_zip(path, str(path), QDPX)
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename.replace("\\", "/"): info for info in archive.infolist()}
            qde = next((n for n in members if n.lower().endswith(".qde") and "/" not in n), None)
            if qde is None:
                raise IngestError("no project.qde inside: not a REFI-QDA project", path=str(path),
                                  hint="export the project as .qdpx (REFI-QDA) from the program")
            root = parse_xml(archive.read(members[qde]), f"{path}:{qde}", "REFI-QDA project")

            def member(name: str) -> bytes | None:
                wanted = f"sources/{name}".lower()
                found = next((info for n, info in members.items() if n.lower() == wanted), None)
                if found is None or found.file_size > MAX_SOURCE_BYTES:
                    return None
                return archive.read(found)

            return _project(root, member, str(path))
    except ZIP_ERRORS as error:
        raise IngestError(f"not a valid .qdpx file ({error})", path=str(path),
                          hint="export the project again from the program") from None


def _project(root: ET.Element, member, path: str) -> RefiProject:  # noqa: ANN001
    if _local(root.tag) != "Project":
        raise IngestError(f"not a REFI-QDA project (root element {_local(root.tag)})", path=path)
    users = {guid_of(u.get("guid")): (u.get("name") or u.get("id") or guid_of(u.get("guid")))
             for users in _children(root, "Users") for u in _children(users, "User")}
    codebook = _child(root, "CodeBook")
    codes = read_codes(_child(codebook, "Codes") if codebook is not None else None, path)
    variables = {guid_of(v.get("guid")): (v.get("name") or "").strip()
                 for container in _children(root, "Variables")
                 for v in _children(container, "Variable")}
    left_out: list[str] = []
    sources, codings = [], []
    for container in _children(root, "Sources"):
        for element in container:
            kind = _local(element.tag)
            if kind != "TextSource":
                left_out.append(f"{kind} '{element.get('name') or element.get('guid')}' "
                                "(focuscode imports text sources only)")
                continue
            source = _text_source(element, member, variables, path)
            if source is None:
                left_out.append(f"text source '{element.get('name')}': its text is not in the "
                                "archive")
                continue
            sources.append(source)
            codings.extend(_codings(element, source, users))
    cases = [_case(element, variables) for container in _children(root, "Cases")
             for element in _children(container, "Case")]
    notes = _notes(root, member, path)
    sets = tuple((s.get("name") or "", tuple(guid_of(m.get("targetGUID"))
                                             for m in _children(s, "MemberSource")))
                 for container in _children(root, "Sets") for s in _children(container, "Set"))
    if _child(root, "Graphs") is not None:
        left_out.append("graphs (focuscode has none)")
    if _child(root, "Links") is not None:
        left_out.append("links between objects")
    return RefiProject(name=(root.get("name") or "").strip(), origin=root.get("origin") or "",
                       description=_text_of(root, "Description"), codes=tuple(codes),
                       sources=tuple(sources), codings=tuple(codings), cases=tuple(cases),
                       notes=tuple(notes), sets=sets, left_out=tuple(left_out))


def _text_source(element: ET.Element, member, variables: dict[str, str],  # noqa: ANN001
                 path: str) -> RefiSource | None:
    guid = guid_of(element.get("guid"))
    inline = _child(element, "PlainTextContent")
    if inline is not None:
        text = inline.text or ""
    else:
        target = (element.get("plainTextPath") or "").strip()
        if not target.lower().startswith("internal://"):
            return None
        data = member(PurePosixPath(target[len("internal://"):]).name)
        if data is None:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise IngestError(f"source '{element.get('name')}' is not UTF-8 text as the standard "
                              f"requires (byte {error.start})", path=path) from None
    text = text.removeprefix("\ufeff")
    return RefiSource(guid=guid, name=(element.get("name") or guid).strip(), text=text,
                      description=_text_of(element, "Description"),
                      variables=_values(element, variables), crlf="\r" in text)


def _codings(element: ET.Element, source: RefiSource,
             users: dict[str, str]) -> Iterator[RefiCoding]:
    def user(value: str | None) -> str:
        key = guid_of(value)
        return users.get(key, key)

    for selection in _children(element, "PlainTextSelection"):
        try:
            start = int(selection.get("startPosition") or "")
            end = int(selection.get("endPosition") or "")
        except ValueError:
            continue
        owner = selection.get("creatingUser")
        for coding in _children(selection, "Coding"):
            ref = _child(coding, "CodeRef")
            if ref is None:
                continue
            yield RefiCoding(guid=guid_of(coding.get("guid")), source=source.guid,
                             start=min(start, end), end=max(start, end),
                             code=guid_of(ref.get("targetGUID")),
                             user=user(owner or coding.get("creatingUser")),
                             created_at=(coding.get("creationDateTime")
                                         or selection.get("creationDateTime") or ""),
                             selection=guid_of(selection.get("guid")))


def _values(element: ET.Element, variables: dict[str, str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for value in _children(element, "VariableValue"):
        ref = _child(value, "VariableRef")
        name = variables.get(guid_of(ref.get("targetGUID"))) if ref is not None else None
        if not name:
            continue
        for child in value:
            kind = _local(child.tag)
            if kind == "VariableRef":
                continue
            raw = (child.text or "").strip()
            if kind == "BooleanValue":
                result[name] = raw.lower() in ("true", "1")
            elif kind == "IntegerValue":
                result[name] = int(raw) if re.fullmatch(r"[-+]?\d+", raw) else raw
            elif kind == "FloatValue":
                try:
                    result[name] = float(raw)
                except ValueError:
                    result[name] = raw
            else:
                result[name] = raw
    return result


def _case(element: ET.Element, variables: dict[str, str]) -> RefiCase:
    return RefiCase(guid=guid_of(element.get("guid")),
                    name=(element.get("name") or "").strip(),
                    description=_text_of(element, "Description"),
                    variables=_values(element, variables),
                    sources=tuple(guid_of(r.get("targetGUID"))
                                  for r in _children(element, "SourceRef")),
                    selections=tuple(guid_of(r.get("targetGUID"))
                                     for r in _children(element, "SelectionRef")))


def _notes(root: ET.Element, member, path: str) -> list[RefiNote]:  # noqa: ANN001
    """Notes (memos: text sources of their own, inline or in the archive) with the GUIDs of
    what points to them (``NoteRef``)."""
    targets: dict[str, list[str]] = {}
    for element in root.iter():
        for ref in _children(element, "NoteRef"):
            targets.setdefault(guid_of(ref.get("targetGUID")), []).append(
                guid_of(element.get("guid")) or "project")
    notes = []
    for container in _children(root, "Notes"):
        for note in _children(container, "Note"):
            guid = guid_of(note.get("guid"))
            source = _text_source(note, member, {}, path)
            text = (source.text if source is not None else "") or _text_of(note, "Description")
            notes.append(RefiNote(guid=guid, name=(note.get("name") or "").strip(),
                                  text=text.strip(), targets=tuple(targets.get(guid, ()))))
    return notes
