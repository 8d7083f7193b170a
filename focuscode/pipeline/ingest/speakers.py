"""Speakers files: which label is which role, under which pseudonym, with which attributes.

YAML::

    speakers:
      Dr. Anand Shah:
        role: physician
        pseudonym: Physician 1
        aliases: [DR. SHAH, Anand]
        attributes: {specialty: gastroenterology}
    redact: [Alex, Rosa]    # optional: other people named in the transcripts
    transcripts:            # optional: transcript-level attributes, by file name or stem
      roundtable1_boston.txt: {session: RT1, site: Boston, date: 2026-03-12}

CSV: columns ``label, role, pseudonym`` (``aliases`` separated by ``;``); any other column
becomes an attribute.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from focuscode.domain import UNKNOWN_ROLE, IngestError, Speaker
from focuscode.domain.nesting import check_expansion, check_unique_keys
from focuscode.pipeline.ingest.decode import decode_text, read_bytes
from focuscode.pipeline.ingest.labels import label_key

_SPEAKER_KEYS = {"role", "pseudonym", "aliases", "attributes"}
MAX_YAML_VALUES = 100_000  # a speakers file has hundreds; YAML aliases can make billions
MAX_YAML_BYTES = 5 * 1024 * 1024  # ... or gigabytes of text out of one long anchor


@dataclass(frozen=True)
class SpeakerMap:
    """Speaker labels (case-insensitive, with aliases) to speakers; transcript attributes."""

    speakers: tuple[Speaker, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict)  # casefolded alias -> label
    transcripts: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # label -> aliases
    redact: tuple[str, ...] = ()  # other people's names to take out of quotes

    def find(self, label: str) -> Speaker | None:
        canonical = self.aliases.get(label_key(label))
        return next((s for s in self.speakers if s.label == canonical), None)

    def resolve(self, label: str) -> Speaker:
        """The mapped speaker for ``label``, or an unknown-role speaker of that label."""
        return self.find(label) or Speaker(label=label, role=UNKNOWN_ROLE)

    def attributes_for(self, file_name: str) -> Mapping[str, Any]:
        stem = Path(file_name).stem
        for key in (file_name, stem):
            if key in self.transcripts:
                return self.transcripts[key]
        return {}


def load_speakers(path: Path) -> SpeakerMap:
    """Read a YAML or CSV speakers file; errors name the file and line."""
    decoded = decode_text(read_bytes(path), path, kind="speakers file")
    if path.suffix.lower() == ".csv":
        return _from_csv(decoded.text, str(path))
    return _from_yaml(decoded.text, str(path))


def _from_yaml(text: str, name: str) -> SpeakerMap:
    import yaml

    try:
        check_unique_keys(yaml.compose(text), what="speakers file", source=name)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise IngestError(f"speakers file does not parse: {problem}", path=name,
                          line=mark.line + 1 if mark else None,
                          hint="check the indentation and quote labels that contain ':'") from None
    except RecursionError:
        raise IngestError("speakers file is nested too deeply to be a speakers file",
                          path=name, hint="see the example in transcripts/speakers.yaml") from None
    check_expansion(data, max_values=MAX_YAML_VALUES, max_bytes=MAX_YAML_BYTES,
                    what="speakers file", source=name)
    if not isinstance(data, dict) or not isinstance(data.get("speakers"), dict):
        raise IngestError("speakers file needs a 'speakers:' mapping of label -> role", path=name,
                          line=1, hint="see the example in transcripts/speakers.yaml")
    lines = _key_lines(text)
    speakers = []
    for label, entry in data["speakers"].items():
        line = lines.get(str(label))
        if isinstance(entry, str):
            entry = {"role": entry}
        if not isinstance(entry, dict):
            raise IngestError(f"speaker '{label}' must map to a role or to role/pseudonym/...",
                              path=name, line=line)
        unknown = set(entry) - _SPEAKER_KEYS
        if unknown:
            raise IngestError(f"speaker '{label}' has unknown field(s) "
                              f"{sorted(map(str, unknown))}", path=name,
                              line=line, hint=f"use {sorted(_SPEAKER_KEYS)}; put anything else "
                                              "under 'attributes:'")
        if entry.get("role") is None or not str(entry["role"]).strip():  # blanks are no role
            raise IngestError(f"speaker '{label}' has no role", path=name, line=line,
                              hint="add e.g. 'role: patient'")
        for key in ("role", "pseudonym"):
            if isinstance(entry.get(key), (dict, list, set, tuple)):
                kind = "a mapping" if isinstance(entry[key], dict) else "a list"
                raise IngestError(f"the {key} of speaker '{label}' is {kind}, not a word",
                                  path=name, line=line,
                                  hint=f"write e.g. '{key}: "
                                       f"{'patient' if key == 'role' else 'Patient 1'}'")
        attributes = entry.get("attributes") or {}
        if not isinstance(attributes, dict):
            raise IngestError(f"attributes of '{label}' must be a mapping", path=name, line=line)
        aliases = entry.get("aliases") or []
        if isinstance(aliases, (str, int, float)):
            aliases = [aliases]
        if not isinstance(aliases, list):
            raise IngestError(f"aliases of '{label}' must be a list of labels", path=name,
                              line=line, hint="e.g. aliases: [DR. SHAH, Anand]")
        if any(isinstance(v, (dict, list)) for v in attributes.values()):
            raise IngestError(f"an attribute of '{label}' is a list or mapping, not a value",
                              path=name, line=line, hint="e.g. attributes: {site: Boston}")
        speakers.append((Speaker(label=" ".join(str(label).split()),
                                 role=str(entry["role"]).strip().lower(),
                                 pseudonym=_optional(entry.get("pseudonym")),
                                 attributes={str(k): _plain(v) for k, v in attributes.items()}),
                         [str(a) for a in aliases], line))
    transcripts = data.get("transcripts") or {}
    if not isinstance(transcripts, dict) or not all(isinstance(v, dict)
                                                    for v in transcripts.values()):
        raise IngestError("'transcripts:' must map file names to attribute mappings", path=name,
                          line=lines.get("transcripts"))
    redact = data.get("redact") or []
    if isinstance(redact, (str, int, float)):
        redact = [redact]
    if not isinstance(redact, list) or not all(isinstance(r, (str, int, float)) for r in redact):
        raise IngestError("'redact:' must be a list of names", path=name,
                          line=lines.get("redact"), hint="e.g. redact: [Alex, Rosa]")
    built = _build(speakers, {str(k): {str(a): _plain(b) for a, b in v.items()}
                              for k, v in transcripts.items()}, name)
    return replace(built, redact=tuple(" ".join(str(r).split()) for r in redact
                                       if str(r).strip()))


def _from_csv(text: str, name: str) -> SpeakerMap:
    first = text.split("\n", 1)[0]
    # Spreadsheets in many locales save "CSV" with semicolons (or tabs) between the columns.
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        return _read_csv(reader, name)
    except csv.Error as error:
        raise IngestError(f"speakers CSV does not parse ({error})", path=name,
                          line=reader.line_num or 1,
                          hint="check the quotes; save it again from a spreadsheet") from None


def _read_csv(reader: csv.DictReader, name: str) -> SpeakerMap:
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "label" not in fields or "role" not in fields:
        raise IngestError("speakers CSV needs the columns 'label' and 'role' (its first line has "
                          f"{', '.join(repr(f) for f in fields[:6]) or 'none'})", path=name,
                          line=1, hint="first line e.g.: label,role,pseudonym")
    speakers = []
    for row in reader:
        line = reader.line_num
        if any(value.strip() for value in row.pop(None, None) or ()):
            raise IngestError("more values than the first line has columns", path=name,
                              line=line, hint="quote values that contain a comma")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("label"):
            continue
        if not row.get("role"):
            raise IngestError(f"speaker '{row['label']}' has no role", path=name, line=line)
        attributes = {k: v for k, v in row.items()
                      if k not in {"label", "role", "pseudonym", "aliases"} and v}
        aliases = [a.strip() for a in row.get("aliases", "").split(";") if a.strip()]
        speakers.append((Speaker(label=" ".join(row["label"].split()), role=row["role"].lower(),
                                 pseudonym=row.get("pseudonym") or None, attributes=attributes),
                         aliases, line))
    return _build(speakers, {}, name)


def _build(entries: list[tuple[Speaker, list[str], int | None]],
           transcripts: dict[str, dict[str, Any]], name: str) -> SpeakerMap:
    aliases: dict[str, str] = {}
    listed: set[str] = set()
    pseudonyms: dict[str, str] = {}
    for speaker, extra, line in entries:
        if speaker.pseudonym:
            key = " ".join(speaker.pseudonym.split()).casefold()
            if key in pseudonyms:
                raise IngestError(f"speakers '{pseudonyms[key]}' and '{speaker.label}' have the "
                                  f"same pseudonym '{speaker.pseudonym}': exports would make "
                                  "them one person", path=name, line=line,
                                  hint="give every speaker a pseudonym of their own")
            pseudonyms[key] = speaker.label
        if speaker.label in listed:
            raise IngestError(f"speaker '{speaker.label}' is listed twice", path=name, line=line,
                              hint="keep one line per speaker")
        listed.add(speaker.label)
        for alias in [speaker.label, *extra]:
            key = label_key(alias)
            if key in aliases and aliases[key] != speaker.label:
                raise IngestError(f"'{alias}' names two speakers ({aliases[key]} and "
                                  f"{speaker.label})", path=name, line=line)
            aliases[key] = speaker.label
    return SpeakerMap(tuple(s for s, _, _ in entries), aliases, transcripts,
                      {s.label: tuple(extra) for s, extra, _ in entries if extra})


def _key_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if ":" in stripped and not stripped.startswith("#"):
            key = stripped.split(":", 1)[0].strip().strip("'\"")
            lines.setdefault(key, number)
    return lines


def _optional(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def _plain(value: Any) -> Any:
    """YAML dates and other objects become strings so attributes store as JSON."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


_ROLE_GUESSES = (
    ("moderator", ("moderator", "facilitator", "interviewer", "host", "chair")),
    ("physician", ("doctor", "dr.", "dr ", "physician", "clinician", "gp", "consultant",
                   "specialist", "surgeon", "oncologist", "cardiologist", "neurologist")),
    ("nurse", ("nurse", "rn ")),
    ("caregiver", ("caregiver", "carer", "mother", "father", "parent", "wife", "husband",
                   "daughter", "son ", "spouse", "family")),
    ("patient", ("patient", "participant")),
)


def guess_role(label: str) -> str | None:
    """A role read off a generic label ("Doctor", "Dr. Lee", "Moderator", "Patient 2"), or None."""
    text = label.casefold()
    for role, cues in _ROLE_GUESSES:
        # Whole words only: "Hostetler" is no host, "Parenti" no parent.
        if any(re.search(rf"(?<![^\W\d_]){re.escape(cue.strip())}(?![^\W\d_])", text)
               for cue in cues):
            return role
    return None
