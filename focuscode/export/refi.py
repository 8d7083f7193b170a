"""REFI-QDA 1.5 export: the project as ``.qdpx`` and the codebook as ``.qdc``
(``refi_read`` reads both back).

A ``.qdpx`` is a zip of ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and one UTF-8
``sources/<GUID>.txt`` per transcript (members 0644). Selections count Unicode code points from
0, end exclusive (Python slices). There is one selection per coder and segment, the coder its
``creatingUser`` (and its codings'), dated in UTC to the second. The analysis' suggestions are
left out unless asked for; then suggested themes sit under a non-codable "Suggested themes" code
and suggested codings belong to a User that names the model and says they are not reviewed.
Every code has a colour (its own, or one derived from it). GUIDs derive from the project's
lasting identity and each object's key (a code's id, a source's id and content), so the
``.qdc`` and the ``.qdpx`` agree and exporting twice gives the same file. Each speaker is a Case
with a ``role`` Variable.
"""

from __future__ import annotations

import re
import stat
import uuid
import zipfile
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from xml.etree import ElementTree as ET

from focuscode import __version__
from focuscode.domain import Code, ExportError, Transcript
from focuscode.domain.reports import (
    CONFIRMED,
    MODEL_CODER,
    SUGGESTED,
    ReportCode,
    ReportData,
    ReportSegment,
)
from focuscode.export.files import atomic_path
from focuscode.export.provenance import blind_notes
from focuscode.export.quotes import check_fidelity
from focuscode.export.refi_describe import describe, qdc_losses  # noqa: F401 - re-exported
from focuscode.export.refi_sources import plain_text_names, pseudonymised_sources

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"focuscode {__version__}"
SUGGESTED_GROUP = "Suggested themes (focuscode, not reviewed)"
_COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
SUGGESTED_KEY = "suggested-group"
# Tableau 20: distinct colours for codes without one
PALETTE = ("#4E79A7", "#A0CBE8", "#F28E2B", "#FFBE7D", "#59A14F", "#8CD17D", "#B6992D",
           "#F1CE63", "#499894", "#86BCB6", "#E15759", "#FF9D9A", "#79706E", "#BAB0AC",
           "#D37295", "#FABFD2", "#B07AA1", "#D4A6C8", "#9D7660", "#D7B5A6")
MEMBER_MODE = 0o644  # of every file in a .qdpx (rw-r--r--)
_GUID_ROOT = uuid.UUID("6f0c5a57-9f5e-4a8e-9a55-8e5a3c1f0d42")


class _Guids:
    """Stable GUIDs: uuid5 of the project's lasting identity and the object's key, so a code,
    a coder or a source keeps its GUID across the ``.qdpx``, the ``.qdc`` and every re-export."""

    def __init__(self, identity: str) -> None:
        self.root = uuid.uuid5(_GUID_ROOT, identity)

    @classmethod
    def of(cls, identity: str) -> "_Guids":
        return cls(identity)

    def __call__(self, *key: object) -> str:
        return str(uuid.uuid5(self.root, "/".join(str(k) for k in key)))


def source_guid(guid: _Guids, transcript: Transcript) -> str:
    """A source's GUID: the transcript's id and content (another text is another source)."""
    return guid("source", transcript.id, transcript.source_sha256)


def model_user_name(data: ReportData) -> str:
    """The User the analysis' suggestions are exported under: it names the model."""
    model = Path(data.run.model_id).name if data.run is not None and data.run.model_id else ""
    return f"{MODEL_CODER}{' ' + model if model else ''} (suggestions, not reviewed)"


# writing ---------------------------------------------------------------------------------------
def project_xml(data: ReportData, texts: Mapping[int, str],
                offsets: Mapping[int, tuple[int, int]], *, real_names: bool = False,
                include_suggestions: bool = False) -> bytes:
    """``project.qde`` for ``data``; ``texts`` are the sources as written (pseudonymised or not)
    and ``offsets`` each segment's (start, end) in them. One PlainTextSelection per coder and
    segment, its coder as ``creatingUser`` of the selection and of its codings (readers take
    the owner from the selection). The analysis' suggestions (themes and suggested codings) only
    with ``include_suggestions``, under a User of their own."""
    guid = _Guids(data.identity or data.project)
    ET.register_namespace("", PROJECT_NS)
    q = _qualifier(PROJECT_NS)
    code_list = [c for c in data.codes if include_suggestions or c.status != SUGGESTED]
    code_keys = {c.key for c in code_list}
    codings = [c for c in data.codings if c.code_key in code_keys
               and (c.status == CONFIRMED or include_suggestions)]
    coders = sorted({c.coder for c in codings if c.status == CONFIRMED}
                    | {c.coder for c in data.coders})
    users: dict[str, tuple[str, str]] = {c: (guid("user", c), c) for c in coders}
    if include_suggestions:
        users[MODEL_CODER] = (guid("user", MODEL_CODER), model_user_name(data))
    if not users:  # the project's creatingUserGUID needs someone
        users[""] = (guid("user", ""), ORIGIN)
    first_user = next(iter(users.values()))[0]
    root = ET.Element(q("Project"), {"name": data.project, "origin": ORIGIN,
                                     "creatingUserGUID": first_user,
                                     "creationDateTime": _datetime(data.generated_at)})
    users_element = ET.SubElement(root, q("Users"))
    for user_guid, name in users.values():
        ET.SubElement(users_element, q("User"), {"guid": user_guid, "name": name})
    if code_list:
        codes = ET.SubElement(ET.SubElement(root, q("CodeBook")), q("Codes"))
        _code_tree(codes, code_list, guid, q, with_notes=True)
    variables = _variables(data)
    speaker_variables = {"role"} | {k for sp in data.speakers for k in sp.attributes}
    if variables:
        container = ET.SubElement(root, q("Variables"))
        for name, kind in variables.items():
            ET.SubElement(container, q("Variable"), {"guid": guid("variable", name),
                                                     "name": name, "typeOfVariable": kind})
    segments = {s.segment_id: s for s in data.segments}
    selections: dict[tuple[int, str], list] = defaultdict(list)  # (segment, owner) -> codings
    for coding in codings:
        owner = coding.coder if coding.status == CONFIRMED else MODEL_CODER
        selections[(coding.segment_id, owner)].append(coding)
    _cases(root, data, segments, sorted(selections), guid, q, variables, real_names)
    sources = ET.SubElement(root, q("Sources"))
    by_transcript: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for key in selections:
        by_transcript[segments[key[0]].transcript_id].append(key)
    names = plain_text_names(data.transcripts)
    for transcript in data.transcripts:
        source_id = source_guid(guid, transcript)
        source = ET.SubElement(sources, q("TextSource"), {
            "guid": source_id, "name": names[transcript.id],
            "plainTextPath": f"internal://{source_id}.txt",
            "creationDateTime": _datetime(transcript.imported_at or data.generated_at)})
        ET.SubElement(source, q("Description")).text = (
            f"Imported by focuscode from {Path(transcript.source_path).name} "
            f"({transcript.format}, SHA-256 {transcript.source_sha256[:12]}); here as plain text.")
        for segment_id, owner in sorted(by_transcript[transcript.id],
                                        key=lambda k: (offsets[k[0]], k[1])):
            start, end = offsets[segment_id]
            segment = segments[segment_id]
            user = users[owner][0]
            owned = sorted(selections[(segment_id, owner)], key=lambda c: c.code_key)
            when = _datetime(min((c.created_at for c in owned if c.created_at),
                                 default=data.generated_at))
            selection = ET.SubElement(source, q("PlainTextSelection"), {
                "guid": guid("selection", segment_id, owner),
                "name": f"{segment.who(real_names)}, segment {segment_id}",
                "startPosition": str(start), "endPosition": str(end),
                "creatingUser": user, "creationDateTime": when})
            for coding in owned:
                coding_element = ET.SubElement(selection, q("Coding"), {
                    "guid": guid("coding", segment_id, coding.code_key, owner),
                    "creatingUser": user,
                    "creationDateTime": _datetime(coding.created_at or data.generated_at)})
                ET.SubElement(coding_element, q("CodeRef"),
                              {"targetGUID": guid("code", coding.code_key)})
        for name, value in transcript.attributes.items():
            _variable_value(source, q, guid, _transcript_variable(name, speaker_variables),
                            value, variables)
    suggestions = (f"Codings by '{users[MODEL_CODER][1]}' are the analysis' suggestions nobody "
                   "has reviewed; codings by other users were confirmed by them. "
                   if include_suggestions else
                   "Every coding was confirmed by its user; the analysis' unreviewed "
                   "suggestions are left out (export with --include-suggestions to add them). ")
    ET.SubElement(root, q("Description")).text = (
        f"Exported by {ORIGIN} on {_datetime(data.generated_at)}. " + suggestions
        + ("Speaker labels are real names." if real_names else
           "Speaker labels in the sources are replaced by pseudonyms; names mentioned "
           "inside what people said are not.")
        + "".join(" " + note for note in blind_notes(data.blind_coder)))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _qualifier(namespace: str):  # noqa: ANN202
    return lambda tag: f"{{{namespace}}}{tag}"


def _datetime(value: str) -> str:
    """An ``xsd:dateTime`` in UTC to the second, ending in ``Z`` (``2026-12-03T10:57:23Z``):
    the form every reader parses and writes back valid."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"not a date and time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _code_tree(parent: ET.Element, codes: Iterable[ReportCode], guid: _Guids, q,  # noqa: ANN001
               *, with_notes: bool) -> None:
    codes = list(codes)
    accepted = [c for c in codes if c.status != SUGGESTED]
    children: dict[str | None, list[ReportCode]] = defaultdict(list)
    names = {c.name for c in accepted}
    for code in accepted:
        children[code.parent if code.parent in names else None].append(code)

    def add(container: ET.Element, code: ReportCode) -> None:
        element = ET.SubElement(container, q("Code"), _code_attributes(code, guid, code.codable))
        ET.SubElement(element, q("Description")).text = describe(code)
        for child in children.get(code.name, []):
            add(element, child)

    for code in children[None]:
        add(parent, code)
    suggested = [c for c in codes if c.status == SUGGESTED]
    if suggested:
        group = ET.SubElement(parent, q("Code"), {"guid": guid("code", SUGGESTED_KEY),
                                                  "name": SUGGESTED_GROUP, "isCodable": "false",
                                                  "color": derived_color(SUGGESTED_KEY)})
        ET.SubElement(group, q("Description")).text = (
            "Themes the automatic analysis found and no researcher has reviewed yet.")
        for code in suggested:
            add(group, code)


def _code_attributes(code: ReportCode, guid: _Guids, codable: bool = True) -> dict[str, str]:
    color = code.color if code.color and _COLOR.match(code.color) else derived_color(code.key)
    return {"guid": guid("code", code.key), "name": code.name,
            "isCodable": "true" if codable else "false", "color": color}


def derived_color(key: str) -> str:
    """A colour for a code that has none, the same in every export: picked from a palette of
    distinct colours by the code's key."""
    digest = uuid.uuid5(_GUID_ROOT, f"colour/{key}").int
    return PALETTE[digest % len(PALETTE)]


def _variables(data: ReportData) -> dict[str, str]:
    """Variable name -> REFI type: ``role``, the speakers' attributes, then the transcripts'
    (see ``_transcript_variable`` for a name both use)."""
    result: dict[str, str] = {"role": "Text"}
    values: dict[str, list] = defaultdict(list)
    for speaker in data.speakers:
        for name, value in speaker.attributes.items():
            values[name].append(value)
    for name, found in sorted(values.items()):
        result.setdefault(name, _type(found))
    speaker_names = set(result)
    values = defaultdict(list)
    for transcript in data.transcripts:
        for name, value in transcript.attributes.items():
            values[_transcript_variable(name, speaker_names)].append(value)
    for name, found in sorted(values.items()):
        result[name] = _type(found)
    return result


def _transcript_variable(name: str, speaker_names: set[str]) -> str:
    return f"transcript {name}" if name in speaker_names else name


def _type(values: list) -> str:
    if values and all(isinstance(v, bool) for v in values):
        return "Boolean"
    return "Text"


def _variable_value(parent: ET.Element, q, guid: _Guids, name: str, value: Any,  # noqa: ANN001
                    variables: Mapping[str, str]) -> None:
    element = ET.SubElement(parent, q("VariableValue"))
    ET.SubElement(element, q("VariableRef"), {"targetGUID": guid("variable", name)})
    if variables.get(name) == "Boolean":
        ET.SubElement(element, q("BooleanValue")).text = "true" if value else "false"
    else:
        ET.SubElement(element, q("TextValue")).text = "" if value is None else str(value)


def _cases(root: ET.Element, data: ReportData, segments: Mapping[int, ReportSegment],
           selections: list[tuple[int, str]], guid: _Guids, q,  # noqa: ANN001
           variables: Mapping, real_names: bool) -> None:
    if not data.speakers:
        return
    sources_of: dict[str, set[int]] = defaultdict(set)
    for segment in data.segments:
        sources_of[segment.speaker].add(segment.transcript_id)
    selections_of: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for segment_id, owner in selections:
        selections_of[segments[segment_id].speaker].append((segment_id, owner))
    transcripts = {t.id: t for t in data.transcripts}
    cases = ET.SubElement(root, q("Cases"))
    for speaker in data.speakers:
        name = speaker.label if real_names else speaker.display_name
        case = ET.SubElement(cases, q("Case"), {"guid": guid("case", speaker.label),
                                                "name": name})
        ET.SubElement(case, q("Description")).text = f"Speaker ({speaker.role})"
        _variable_value(case, q, guid, "role", speaker.role, variables)
        for attribute, value in speaker.attributes.items():
            if attribute in variables and attribute != "role":
                _variable_value(case, q, guid, attribute, value, variables)
        for transcript_id in sorted(sources_of.get(speaker.label, ())):
            ET.SubElement(case, q("SourceRef"),
                          {"targetGUID": source_guid(guid, transcripts[transcript_id])})
        for segment_id, owner in selections_of.get(speaker.label, []):
            ET.SubElement(case, q("SelectionRef"),
                          {"targetGUID": guid("selection", segment_id, owner)})


def write_qdpx(data: ReportData, path: Path, *, real_names: bool = False,
               include_suggestions: bool = False) -> Path:
    """The project as a ``.qdpx``; every coded selection is checked against its source text.
    Members are written with the usual permissions (0644) and a fixed date, so the same project
    gives the same archive."""
    check_fidelity(data)
    if real_names:
        texts = {t.id: t.text for t in data.transcripts}
        offsets = {s.segment_id: (s.start_char, s.end_char) for s in data.segments}
    else:
        texts, offsets = pseudonymised_sources(data)
    for segment in data.segments:
        start, end = offsets[segment.segment_id]
        if texts[segment.transcript_id][start:end] != segment.text:
            raise ExportError(f"segment {segment.segment_id} would not match its exported source "
                              "text; nothing was exported", path=str(path))
    xml = project_xml(data, texts, offsets, real_names=real_names,
                      include_suggestions=include_suggestions)
    guid = _Guids(data.identity or data.project)
    with atomic_path(path) as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            _add_member(archive, "project.qde", xml)
            for transcript in data.transcripts:
                _add_member(archive, f"sources/{source_guid(guid, transcript)}.txt",
                            texts[transcript.id].encode("utf-8"))
    return path


def _add_member(archive: zipfile.ZipFile, name: str, content: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = (stat.S_IFREG | MEMBER_MODE) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, content)


def codes_qdc_xml(codes: Sequence[Code], *, identity: str) -> bytes:
    """A ``.qdc`` of domain codes (parents by name); definition, notes, examples and memo go into
    each code's Description. GUIDs derive from ``identity`` and the code ids, as in the
    project's ``.qdpx`` (codes not in a project yet: their names)."""
    if not codes:
        raise ExportError("the codebook is empty: import or accept a code first")
    guid = _Guids.of(identity)
    ET.register_namespace("", CODEBOOK_NS)
    q = _qualifier(CODEBOOK_NS)
    report_codes = [ReportCode(key=_code_key(code), name=code.name, status="accepted",
                               definition=code.definition, include=code.include,
                               exclude=code.exclude, parent=code.parent, color=code.color,
                               examples=tuple(code.examples), memo=code.memo,
                               codable=code.codable)
                    for code in codes]
    root = ET.Element(q("CodeBook"), {"origin": ORIGIN})
    _code_tree(ET.SubElement(root, q("Codes")), report_codes, guid, q, with_notes=False)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)




def _code_key(code: Code) -> str:
    if code.name == SUGGESTED_GROUP and code.id is None:
        return SUGGESTED_KEY
    return f"code-{code.id}" if code.id is not None else f"name-{code.name}"
