"""REFI-QDA 1.5 exchange: the project as ``.qdpx`` and the codebook as ``.qdc`` (and back).

A ``.qdpx`` is a zip of ``project.qde`` (namespace ``urn:QDA-XML:project:1.0``) and one UTF-8
``sources/<GUID>.txt`` per transcript. Selections count Unicode code points from 0, end exclusive
(Python slices). Accepted codes are top-level codes; suggested themes sit under a non-codable
"Suggested themes" code; suggested codings are made by a separate User (the model) so other
programs keep them apart from confirmed ones. Each speaker is a Case with a ``role`` Variable.
GUIDs are derived from the project's content, so exporting twice gives the same file.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence
from xml.etree import ElementTree as ET

from focuscode import __version__
from focuscode.domain import Code, ExportError, IngestError
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

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
ORIGIN = f"focuscode {__version__}"
SUGGESTED_GROUP = "Suggested themes (focuscode, not reviewed)"
_COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
_LABEL_BEFORE_TURN = re.compile(r"(?P<label>[^\s\[\]:][^:\n\]]{0,80}?)(?P<colon>\s*:\s*)$")
_GUID_ROOT = uuid.UUID("6f0c5a57-9f5e-4a8e-9a55-8e5a3c1f0d42")


class _Guids:
    """Stable GUIDs: uuid5 of the project's identity and the object's key."""

    def __init__(self, data: ReportData | None) -> None:
        if data is not None:
            identity = data.project + "|" + "|".join(t.source_sha256 for t in data.transcripts)
            self.root = uuid.uuid5(_GUID_ROOT, identity)

    @classmethod
    def of(cls, identity: str) -> "_Guids":
        guids = cls(None)
        guids.root = uuid.uuid5(_GUID_ROOT, identity)
        return guids

    def __call__(self, *key: object) -> str:
        return str(uuid.uuid5(self.root, "/".join(str(k) for k in key)))


# writing ---------------------------------------------------------------------------------------
def project_xml(data: ReportData, texts: Mapping[int, str],
                offsets: Mapping[int, tuple[int, int]], *, real_names: bool = False) -> bytes:
    """``project.qde`` for ``data``; ``texts`` are the sources as written (pseudonymised or not)
    and ``offsets`` each segment's (start, end) in them."""
    guid = _Guids(data)
    ET.register_namespace("", PROJECT_NS)
    q = _qualifier(PROJECT_NS)
    coders = sorted({c.coder for c in data.codings if c.coder != MODEL_CODER}
                    | {c.coder for c in data.coders})
    model_guid = guid("user", MODEL_CODER)
    first_user = guid("user", coders[0]) if coders else model_guid
    root = ET.Element(q("Project"), {"name": data.project, "origin": ORIGIN,
                                     "creatingUserGUID": first_user,
                                     "creationDateTime": _datetime(data.generated_at)})
    users = ET.SubElement(root, q("Users"))
    for coder in coders:
        ET.SubElement(users, q("User"), {"guid": guid("user", coder), "name": coder})
    ET.SubElement(users, q("User"), {"guid": model_guid,
                                     "name": f"{MODEL_CODER} (suggestions, not reviewed)"})
    if data.codes:
        codes = ET.SubElement(ET.SubElement(root, q("CodeBook")), q("Codes"))
        _code_tree(codes, data.codes, guid, q, with_notes=True)
    variables = _variables(data)
    speaker_variables = {"role"} | {k for sp in data.speakers for k in sp.attributes}
    if variables:
        container = ET.SubElement(root, q("Variables"))
        for name, kind in variables.items():
            ET.SubElement(container, q("Variable"), {"guid": guid("variable", name),
                                                     "name": name, "typeOfVariable": kind})
    segments = {s.segment_id: s for s in data.segments}
    coded_ids = sorted({c.segment_id for c in data.codings})
    _cases(root, data, segments, coded_ids, guid, q, variables, real_names)
    sources = ET.SubElement(root, q("Sources"))
    by_transcript: dict[int, list[int]] = defaultdict(list)
    for segment_id in coded_ids:
        by_transcript[segments[segment_id].transcript_id].append(segment_id)
    codings_of: dict[int, list] = defaultdict(list)
    for coding in data.codings:
        codings_of[coding.segment_id].append(coding)
    code_keys = {c.key for c in data.codes}
    for transcript in data.transcripts:
        source = ET.SubElement(sources, q("TextSource"), {
            "guid": guid("source", transcript.id), "name": transcript.name,
            "plainTextPath": f"internal://{guid('source', transcript.id)}.txt",
            "creationDateTime": _datetime(transcript.imported_at or data.generated_at)})
        ET.SubElement(source, q("Description")).text = (
            f"Imported by focuscode from {Path(transcript.source_path).name} "
            f"({transcript.format}, SHA-256 {transcript.source_sha256[:12]}).")
        for segment_id in sorted(by_transcript[transcript.id], key=lambda i: offsets[i]):
            start, end = offsets[segment_id]
            segment = segments[segment_id]
            selection = ET.SubElement(source, q("PlainTextSelection"), {
                "guid": guid("selection", segment_id),
                "name": f"{segment.who(real_names)}, segment {segment_id}",
                "startPosition": str(start), "endPosition": str(end)})
            for coding in sorted(codings_of[segment_id], key=lambda c: (c.code_key, c.coder)):
                if coding.code_key not in code_keys:
                    continue
                user = model_guid if coding.status != CONFIRMED else guid("user", coding.coder)
                coding_element = ET.SubElement(selection, q("Coding"), {
                    "guid": guid("coding", segment_id, coding.code_key, coding.coder),
                    "creatingUser": user})
                ET.SubElement(coding_element, q("CodeRef"),
                              {"targetGUID": guid("code", coding.code_key)})
        for name, value in transcript.attributes.items():
            _variable_value(source, q, guid, _transcript_variable(name, speaker_variables),
                            value, variables)
    ET.SubElement(root, q("Description")).text = (
        f"Exported by {ORIGIN} on {data.generated_at}. Codings by '{MODEL_CODER}' are the "
        "analysis' suggestions nobody has reviewed; codings by other users were confirmed by "
        "them. " + ("Speaker labels are real names." if real_names else
                    "Speaker labels in the sources are replaced by pseudonyms; names mentioned "
                    "inside what people said are not.")
        + "".join(" " + note for note in blind_notes(data.blind_coder)))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _qualifier(namespace: str):  # noqa: ANN202
    return lambda tag: f"{{{namespace}}}{tag}"


def _datetime(value: str) -> str:
    """An ``xsd:dateTime`` (ISO 8601 with a time zone)."""
    return value if "T" in value else value + "T00:00:00Z"


def _code_tree(parent: ET.Element, codes: Iterable[ReportCode], guid: _Guids, q,  # noqa: ANN001
               *, with_notes: bool) -> None:
    codes = list(codes)
    accepted = [c for c in codes if c.status != SUGGESTED]
    children: dict[str | None, list[ReportCode]] = defaultdict(list)
    names = {c.name for c in accepted}
    for code in accepted:
        children[code.parent if code.parent in names else None].append(code)

    def add(container: ET.Element, code: ReportCode) -> None:
        element = ET.SubElement(container, q("Code"), _code_attributes(code, guid))
        ET.SubElement(element, q("Description")).text = describe(code)
        for child in children.get(code.name, []):
            add(element, child)

    for code in children[None]:
        add(parent, code)
    suggested = [c for c in codes if c.status == SUGGESTED]
    if suggested:
        group = ET.SubElement(parent, q("Code"), {"guid": guid("code", "suggested-group"),
                                                  "name": SUGGESTED_GROUP, "isCodable": "false"})
        ET.SubElement(group, q("Description")).text = (
            "Themes the automatic analysis found and no researcher has reviewed yet.")
        for code in suggested:
            add(group, code)


def _code_attributes(code: ReportCode, guid: _Guids) -> dict[str, str]:
    attributes = {"guid": guid("code", code.key), "name": code.name, "isCodable": "true"}
    if code.color and _COLOR.match(code.color):
        attributes["color"] = code.color
    return attributes


def describe(code: ReportCode) -> str:
    """A code's Description: its definition, then include/exclude notes, keywords, examples (one
    ``- `` line each) and the memo, last (``from_qdc`` reads them back)."""
    parts = [code.definition.strip()] if code.definition.strip() else []
    if code.include:
        parts.append(f"Include: {_one_paragraph(code.include)}")
    if code.exclude:
        parts.append(f"Exclude: {_one_paragraph(code.exclude)}")
    if code.keywords:
        parts.append(f"Keywords: {', '.join(code.keywords)}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {' '.join(e.split())}"
                                                for e in code.examples))
    if code.memo.strip():
        parts.append(f"Memo: {code.memo.strip()}")
    return "\n\n".join(parts)


def _one_paragraph(text: str) -> str:
    return re.sub(r"\n\s*\n", "\n", text.strip())


def qdc_losses(codes: Iterable[Code]) -> list[str]:
    """What a ``.qdc`` cannot hold of these codes exactly (said when exporting)."""
    codes = list(codes)
    losses = []
    folded = [c.name for c in codes if any(re.search(r"\n\s*\n", t) for t in (c.include,
                                                                             c.exclude))]
    if folded:
        losses.append(f"blank lines inside include/exclude notes become line breaks "
                      f"({', '.join(folded)})")
    joined = [c.name for c in codes if any(e != " ".join(e.split()) for e in c.examples)]
    if joined:
        losses.append(f"line breaks inside examples become spaces ({', '.join(joined)})")
    return losses


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
           coded_ids: list[int], guid: _Guids, q, variables: Mapping,  # noqa: ANN001
           real_names: bool) -> None:
    if not data.speakers:
        return
    sources_of: dict[str, set[int]] = defaultdict(set)
    for segment in data.segments:
        sources_of[segment.speaker].add(segment.transcript_id)
    selections_of: dict[str, list[int]] = defaultdict(list)
    for segment_id in coded_ids:
        selections_of[segments[segment_id].speaker].append(segment_id)
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
            ET.SubElement(case, q("SourceRef"), {"targetGUID": guid("source", transcript_id)})
        for segment_id in selections_of.get(speaker.label, []):
            ET.SubElement(case, q("SelectionRef"), {"targetGUID": guid("selection", segment_id)})


def pseudonymised_sources(data: ReportData) -> tuple[dict[int, str], dict[int, tuple[int, int]]]:
    """Each transcript's text with the speaker label before every turn (and any exact speaker
    label outside what was said) replaced by the pseudonym, and every segment's new offsets."""
    pseudonym = {s.label: s.display_name for s in data.speakers}
    by_transcript: dict[int, list[ReportSegment]] = defaultdict(list)
    for segment in data.segments:
        by_transcript[segment.transcript_id].append(segment)
    texts: dict[int, str] = {}
    offsets: dict[int, tuple[int, int]] = {}
    labels = sorted(pseudonym, key=len, reverse=True)
    for transcript in data.transcripts:
        text = transcript.text
        spans = sorted((s.start_char, s.end_char) for s in by_transcript[transcript.id])
        replacements: list[tuple[int, int, str]] = []
        first_of_turn: dict[int, ReportSegment] = {}
        for segment in sorted(by_transcript[transcript.id], key=lambda s: s.start_char):
            first_of_turn.setdefault(segment.turn_index, segment)
        gaps, cursor = [], 0
        for start, end in spans:
            if start > cursor:
                gaps.append((cursor, start))
            cursor = max(cursor, end)
        gaps.append((cursor, len(text)))
        turn_starts = {s.start_char: s for s in first_of_turn.values()}
        for gap_start, gap_end in gaps:
            taken: list[tuple[int, int]] = []
            turn = turn_starts.get(gap_end)
            if turn is not None and turn.speaker in pseudonym:
                line_start = text.rfind("\n", gap_start, gap_end) + 1 or gap_start
                line_start = max(line_start, gap_start)
                match = _LABEL_BEFORE_TURN.search(text, line_start, gap_end)
                if match:
                    taken.append(match.span("label"))
                    replacements.append((*match.span("label"), pseudonym[turn.speaker]))
            for label in labels:
                for found in re.finditer(re.escape(label), text[gap_start:gap_end]):
                    a, b = gap_start + found.start(), gap_start + found.end()
                    if not any(a < y and x < b for x, y in taken):
                        taken.append((a, b))
                        replacements.append((a, b, pseudonym[label]))
        replacements.sort()
        pieces, cursor, shifts = [], 0, []
        for a, b, new in replacements:
            pieces += [text[cursor:a], new]
            shifts.append((b, len(new) - (b - a)))
            cursor = b
        pieces.append(text[cursor:])
        texts[transcript.id] = "".join(pieces)
        for segment in by_transcript[transcript.id]:
            shift = sum(delta for end, delta in shifts if end <= segment.start_char)
            offsets[segment.segment_id] = (segment.start_char + shift, segment.end_char + shift)
    return texts, offsets


def write_qdpx(data: ReportData, path: Path, *, real_names: bool = False) -> Path:
    """The project as a ``.qdpx``; every coded selection is checked against its source text."""
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
    xml = project_xml(data, texts, offsets, real_names=real_names)
    guid = _Guids(data)
    with atomic_path(path) as temporary:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", xml)
            for transcript in data.transcripts:
                archive.writestr(f"sources/{guid('source', transcript.id)}.txt",
                                 texts[transcript.id].encode("utf-8"))
    return path


def codes_qdc_xml(codes: Sequence[Code], *, identity: str) -> bytes:
    """A ``.qdc`` of domain codes (parents by name); definition, notes, examples and memo go into
    each code's Description. GUIDs derive from ``identity`` and the code names."""
    if not codes:
        raise ExportError("the codebook is empty: import or accept a code first")
    guid = _Guids.of(identity)
    ET.register_namespace("", CODEBOOK_NS)
    q = _qualifier(CODEBOOK_NS)
    report_codes = [ReportCode(key=f"name-{code.name}", name=code.name, status="accepted",
                               definition=code.definition, include=code.include,
                               exclude=code.exclude, parent=code.parent, color=code.color,
                               examples=tuple(code.examples), memo=code.memo)
                    for code in codes]
    root = ET.Element(q("CodeBook"), {"origin": ORIGIN})
    _code_tree(ET.SubElement(root, q("Codes")), report_codes, guid, q, with_notes=False)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# reading ---------------------------------------------------------------------------------------
def from_qdc(path: Path) -> list[Code]:
    """Codes of a REFI-QDA codebook (``.qdc``), parents before children. Parsed with defusedxml
    (no entity expansion, no external references)."""
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        root = SafeET.parse(str(path)).getroot()
    except (ET.ParseError, DefusedXmlException, OSError) as error:
        raise IngestError(f"not a readable REFI-QDA codebook ({error})", path=str(path)) from None
    if _local(root.tag) not in ("CodeBook", "Project"):
        raise IngestError(f"not a REFI-QDA codebook (root element {_local(root.tag)})",
                          path=str(path), hint="export the codebook as .qdc from the other program")
    codes_element = next((e for e in root.iter() if _local(e.tag) == "Codes"), None)
    result: list[Code] = []
    if codes_element is None:
        return result

    def walk(element: ET.Element, parent: str | None) -> None:
        for child in element:
            if _local(child.tag) != "Code":
                continue
            name = (child.get("name") or "").strip()
            if not name:
                raise IngestError("a code without a name", path=str(path))
            description = next((e.text or "" for e in child if _local(e.tag) == "Description"),
                               "")
            definition, include, exclude, examples, memo = _split_description(description)
            color = child.get("color")
            result.append(Code(id=None, name=name, definition=definition, include=include,
                               exclude=exclude, examples=examples, parent=parent,
                               color=color if color and _COLOR.match(color) else None,
                               memo=memo, source="codebook", status="accepted"))
            walk(child, name)

    try:
        walk(codes_element, None)
    except RecursionError:
        raise IngestError("the codebook's codes are nested too deeply", path=str(path)) from None
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _split_description(text: str) -> tuple[str, str, str, tuple[str, ...], str]:
    """Definition, include, exclude, examples and memo from a Description (see ``describe``);
    everything after ``Memo:`` is the memo."""
    definition, include, exclude, examples = [], "", "", []
    text = text.strip()
    memo_at = re.search(r"(?:^|\n[^\S\n]*\n)Memo:", text)  # not \s*: quadratic on blank runs
    memo = ""
    if memo_at:
        memo = text[memo_at.end():].strip()
        text = text[:memo_at.start()]
    for part in re.split(r"\n\s*\n", text.strip()):
        if part.startswith("Include:"):
            include = part.removeprefix("Include:").strip()
        elif part.startswith("Exclude:"):
            exclude = part.removeprefix("Exclude:").strip()
        elif part.startswith("Keywords:"):
            continue
        elif part.startswith("Examples:"):
            for line in part.removeprefix("Examples:").strip().splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(line[2:].strip())
                elif line and examples:
                    examples[-1] += " " + line
                elif line:
                    examples.append(line)
        else:
            definition.append(part.strip())
    return ("\n\n".join(p for p in definition if p), include, exclude, tuple(examples), memo)
