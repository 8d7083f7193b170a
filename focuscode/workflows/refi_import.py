"""Import a REFI-QDA 1.5 project (``.qdpx``, from NVivo, ATLAS.ti, MAXQDA, QualCoder, focuscode).

Text sources become transcripts (speaker turns found by the transcript reader; a source without
speaker lines is one speaker's text), codes join the codebook with their tree, colours and
descriptions, and codings become confirmed codings of their coders on the segments they cover; a
coding over part of a segment also keeps the exact words as that coder's quote. Cases map to
speakers of the same name (their variables become the speaker's attributes, a ``role`` variable
its role) or, linked to sources, to those transcripts' attributes; a source's own variables and
the ``Sets`` it belongs to become transcript attributes. Notes on codes join the code's memo,
notes on sources the transcript's ``memo`` attribute.

Everything happens in one transaction: transcripts are stored and the codes, codings and quotes
are one decision of the log, undone at once. An import repeated adds nothing twice: known
transcripts are skipped, codings and quotes already there are not added again. The analysis'
unreviewed suggestions (a user named ``focuscode model ...``) are left out.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from focuscode.domain import (
    MODERATOR_ROLE,
    UNKNOWN_ROLE,
    IngestError,
    Segment,
    Speaker,
)
from focuscode.domain.changes import Change, CodeChange, CodingChange, QuoteChange
from focuscode.domain.codebook import Codebook
from focuscode.domain.reports import MODEL_CODER
from focuscode.domain.suggestions import is_model_coder
from focuscode.export.refi import SUGGESTED_GROUP
from focuscode.export.refi_read import RefiProject, codes_of, read_qdpx
from focuscode.pipeline.ingest.speakers import guess_role
from focuscode.pipeline.segment import TurnSegmenter
from focuscode.store import DecisionLog, ProjectStore
from focuscode.workflows.codebooks import codebook_changes
from focuscode.workflows.refi_texts import SourceText, source_transcript
from focuscode.workflows.settings import AnalysisSettings


@dataclass(frozen=True)
class RefiImportReport:
    """What an import of a ``.qdpx`` did, and what it could not take."""

    path: str
    project: str = ""
    origin: str = ""
    imported: tuple[str, ...] = ()  # transcripts
    skipped: tuple[str, ...] = ()  # already in the project, unchanged
    one_speaker: tuple[str, ...] = ()  # no speaker lines: one speaker's text
    n_turns: int = 0
    n_segments: int = 0
    codes_created: tuple[str, ...] = ()
    codes_updated: tuple[str, ...] = ()
    codings: Mapping[str, int] = field(default_factory=dict)  # coder -> codings added
    n_quotes: int = 0  # codings over part of a segment, kept as quotes of those words
    n_known: int = 0  # codings (and quotes) already in the project
    n_outside: int = 0  # codings that cover no segment's words (a preamble, a speaker label)
    n_on_categories: int = 0  # codings of a non-codable code or of no code in the file
    n_suggestions: int = 0  # the analysis' unreviewed suggestions, left out
    n_themes_left_out: int = 0  # focuscode's unreviewed suggested themes nobody coded with
    n_conflicts: int = 0  # the coder had rejected it in this project: their decision stays
    n_memos: int = 0
    attributes: tuple[str, ...] = ()  # where cases, variables and sets went
    left_out: tuple[str, ...] = ()
    decision_id: int | None = None

    @property
    def n_codings(self) -> int:
        return sum(self.codings.values())


def import_qdpx(store: ProjectStore, log: DecisionLog, settings: AnalysisSettings, path: Path,
                *, coder: str) -> RefiImportReport:
    """Import the project at ``path``: all of it, or (on any error) nothing."""
    project = read_qdpx(path)
    project, n_themes = _without_suggested_themes(project)
    codes = codes_of(list(project.codes), str(path))
    names = {refi.guid: code for refi, code in zip(project.codes, codes)}
    codebook = Codebook.of(codes, source=str(path))
    known = store.transcript_names()
    same_text = {t.text: t.name for t in store.transcripts()}
    texts: dict[str, SourceText] = {}
    one_speaker: list[str] = []
    for source in project.sources:
        text = source_transcript(source, archive=str(path), speaker=_lone_speaker(project,
                                                                                source.guid))
        if text.parsed.text in same_text:  # already here (under this name or another)
            text = replace(text, parsed=replace(text.parsed, name=same_text[text.parsed.text]))
            known[text.parsed.name] = text.parsed.source_sha256
        name = text.parsed.name
        if name in known and known[name] != text.parsed.source_sha256:
            raise IngestError(f"a different transcript named '{name}' is already in the "
                              "project", path=str(path),
                              hint="import the .qdpx into another project, or rename it there")
        if any(t.parsed.name == name for t in texts.values()):
            raise IngestError(f"two sources are named '{name}'", path=str(path),
                              hint="rename one of them in the program and export again")
        texts[source.guid] = text
        if text.one_speaker and name not in known:
            one_speaker.append(name)
    importer = _Importer(store, log, settings, project, path, coder)
    with log.db.atomic():
        imported, skipped = importer.store_transcripts(texts, known)
        found = codebook_changes(log, codebook)
        code_ids = {guid: found.ids[code.name.casefold()] for guid, code in names.items()
                    if code.codable}
        changes = found.changes + importer.coding_changes(texts, code_ids)
        changes += importer.memo_changes(
            {guid: found.ids[code.name.casefold()] for guid, code in names.items()})
        decision_id = None
        if changes:
            title = f" '{project.name}'" if project.name else ""
            decision_id = log.record(
                "import_refi", changes, coder=coder,
                summary=f"imported REFI-QDA project{title} from {Path(path).name}: "
                        f"{len(found.created)} new code(s), {importer.n_codings} coding(s), "
                        f"{importer.n_quotes} quote(s)",
                extra={"refi": {"path": str(path), "origin": project.origin,
                                "transcripts": imported}})
    return RefiImportReport(
        path=str(path), project=project.name, origin=project.origin, imported=tuple(imported),
        skipped=tuple(skipped), one_speaker=tuple(one_speaker), n_turns=importer.n_turns,
        n_segments=importer.n_segments, codes_created=tuple(found.created),
        codes_updated=tuple(name for name, _ in found.updated),
        codings=dict(sorted(importer.by_coder.items())), n_quotes=importer.n_quotes,
        n_known=importer.n_known, n_outside=importer.n_outside,
        n_on_categories=importer.n_on_categories, n_suggestions=importer.n_suggestions,
        n_themes_left_out=n_themes,
        n_conflicts=importer.n_conflicts, n_memos=importer.n_memos,
        attributes=tuple(importer.attribute_notes), left_out=project.left_out,
        decision_id=decision_id)


def _is_model(user: str) -> bool:
    return user.startswith(MODEL_CODER) or is_model_coder(user)


def _without_suggested_themes(project: RefiProject) -> tuple[RefiProject, int]:
    """``project`` without the themes a focuscode export marks as unreviewed suggestions (under
    its "Suggested themes" category) that no person coded with, and their codings."""
    groups = {c.guid for c in project.codes if c.name == SUGGESTED_GROUP and c.parent is None}
    if not groups:
        return project, 0
    used = {c.code for c in project.codings if not _is_model(c.user)}
    under: set[str] = set(groups)
    for code in project.codes:  # parents come before children
        if code.parent in under:
            under.add(code.guid)
    drop = {guid for guid in under - groups if guid not in used}
    if not under - groups - drop:
        drop |= groups
    return replace(project, codes=tuple(c for c in project.codes if c.guid not in drop),
                   codings=tuple(c for c in project.codings if c.code not in drop)), \
        len(drop - groups)


def _lone_speaker(project: RefiProject, source: str) -> str:
    """Who speaks a source without speaker lines: its only case, else the source's name."""
    cases = [c for c in project.cases if source in c.sources and c.name]
    if len(cases) == 1:
        return cases[0].name
    name = next(s.name for s in project.sources if s.guid == source)
    return Path(name).stem or "Speaker"


class _Importer:
    """The steps of one import, and their counts for the report."""

    def __init__(self, store: ProjectStore, log: DecisionLog, settings: AnalysisSettings,
                 project: RefiProject, path: Path, coder: str) -> None:
        self.store, self.log, self.settings = store, log, settings
        self.project, self.path, self.coder = project, path, coder
        self.segments: dict[str, list[Segment]] = {}  # source GUID -> its segments, in order
        self.ends: dict[str, list[int]] = {}
        self.by_coder: Counter[str] = Counter()
        self.n_turns = self.n_segments = self.n_quotes = self.n_known = 0
        self.n_outside = self.n_on_categories = self.n_suggestions = self.n_conflicts = 0
        self.n_memos = 0
        self.source_memos: dict[str, int] = {}  # source GUID -> notes kept in its 'memo'
        self.attribute_notes: list[str] = []

    @property
    def n_codings(self) -> int:
        return sum(self.by_coder.values())

    # transcripts ------------------------------------------------------------------------------
    def store_transcripts(self, texts: Mapping[str, SourceText],
                          known: Mapping[str, str]) -> tuple[list[str], list[str]]:
        speakers = self._speakers(texts)
        attributes = self._transcript_attributes({label.casefold() for label in speakers})
        segmenter = TurnSegmenter(
            max_words=self.settings.max_words, window_words=self.settings.window_words,
            min_content_words=self.settings.min_content_words,
            exclude_roles=() if self.settings.include_moderator else (MODERATOR_ROLE,))
        stored = {s.label: s for s in self.store.speakers()}
        imported, skipped = [], []
        for guid, text in texts.items():
            parsed = text.parsed
            if parsed.name in known:
                skipped.append(parsed.name)
                continue
            own = [stored.get(label) or speakers[label]
                   for label in dict.fromkeys(t.speaker for t in parsed.turns)]
            roles = {s.label: s.role for s in own}
            segments = segmenter.transform(parsed.turns, roles)
            self.store.add_transcript(parsed, attributes.get(guid, {}), own, segments)
            self.n_memos += self.source_memos.get(guid, 0)
            stored.update({s.label: s for s in own})
            imported.append(parsed.name)
            self.n_turns += len(parsed.turns)
            self.n_segments += len(segments)
        by_name = {t.name: int(t.id) for t in self.store.transcripts()}
        by_transcript: dict[int, list[Segment]] = defaultdict(list)
        for segment in self.store.segments():
            by_transcript[int(segment.transcript_id)].append(segment)
        for guid, text in texts.items():
            self.segments[guid] = sorted(by_transcript[by_name[text.parsed.name]],
                                         key=lambda s: s.start)
            self.ends[guid] = [s.end for s in self.segments[guid]]  # ascending: no overlaps
        return imported, skipped

    def _speakers(self, texts: Mapping[str, SourceText]) -> dict[str, Speaker]:
        """Every speaker label of the sources, with a case of the same name's variables."""
        cases = {c.name.casefold(): c for c in self.project.cases if c.name}
        result: dict[str, Speaker] = {}
        mapped = 0
        for text in texts.values():
            for turn in text.parsed.turns:
                if turn.speaker in result:
                    continue
                case = cases.get(turn.speaker.casefold())
                values = dict(case.variables) if case else {}
                role_key = next((k for k in values if k.casefold() == "role"), None)
                role = (str(values.pop(role_key) or "").strip() if role_key else "") \
                    or guess_role(turn.speaker)
                mapped += case is not None
                result[turn.speaker] = Speaker(label=turn.speaker, role=role or UNKNOWN_ROLE,
                                               attributes=values)
        if mapped:
            self.attribute_notes.append(f"{mapped} case(s) became speakers (their variables "
                                        "the speakers' attributes)")
        return result

    def _transcript_attributes(self, speakers: set[str]) -> dict[str, dict[str, Any]]:
        """Per source GUID: its variables, its sets, notes on it, and the variables of cases
        linked to it that are not speakers."""
        result: dict[str, dict[str, Any]] = {s.guid: dict(s.variables)
                                             for s in self.project.sources}
        unmapped = [c.name or c.guid for c in self.project.cases
                    if c.name.casefold() not in speakers and not c.sources]
        if unmapped:
            self.attribute_notes.append(f"{len(unmapped)} case(s) match no speaker and no "
                                        f"source, not imported: {', '.join(unmapped[:5])}"
                                        + (", ..." if len(unmapped) > 5 else ""))
        for case in self.project.cases:
            if case.name.casefold() in speakers or not case.sources:
                continue
            for guid in case.sources:
                if guid in result:
                    for name, value in case.variables.items():
                        result[guid].setdefault(name, value)
                    result[guid].setdefault("case", case.name)
        n_sets = 0
        for name, members in self.project.sets:
            for guid in members:
                if guid in result and name:
                    current = result[guid].get("set")
                    result[guid]["set"] = f"{current}; {name}" if current else name
                    n_sets += 1
        if n_sets:
            self.attribute_notes.append(f"{len(self.project.sets)} set(s) of sources became "
                                        "the transcripts' 'set' attribute")
        notes_on = defaultdict(list)
        for note in self.project.notes:
            for target in note.targets:
                if target in result and note.text:
                    notes_on[target].append(note.text)
        for guid, texts in notes_on.items():
            result[guid]["memo"] = "\n\n".join(texts)
            self.source_memos[guid] = len(texts)
        return result

    # codings ----------------------------------------------------------------------------------
    def coding_changes(self, texts: Mapping[str, SourceText],
                       code_ids: Mapping[str, int]) -> list[Change]:
        changes: list[Change] = []
        seen: set[tuple] = set()
        quotes = {(q.code_id, q.segment_id, q.start, q.end) for q in self.store.quotes()}
        for coding in self.project.codings:
            user = coding.user or self.coder
            if _is_model(user):
                self.n_suggestions += 1
                continue
            code_id = code_ids.get(coding.code)
            text = texts.get(coding.source)
            if code_id is None or text is None:
                self.n_on_categories += code_id is None
                continue
            start, end = text.position(coding.start), text.position(coding.end)
            segments = self.segments[coding.source]
            first = bisect.bisect_right(self.ends[coding.source], start)
            covered = []
            for segment in segments[first:]:
                if segment.start >= end:
                    break
                a, b = max(start, segment.start), min(end, segment.end)
                if text.parsed.text[a:b].strip():
                    covered.append((segment, a, b))
            if not covered:
                self.n_outside += 1
                continue
            for segment, a, b in covered:
                changes += self._coding(segment, code_id, user, seen)
                if a > segment.start or b < segment.end:
                    changes += self._quote(segment, code_id, user, a, b, text, quotes)
        return changes

    def _coding(self, segment: Segment, code_id: int, coder: str,
                seen: set[tuple]) -> list[Change]:
        key = (int(segment.id), code_id, coder)
        if key in seen:
            return []
        seen.add(key)
        before = self.log.coding_status(*key)
        if before == "confirmed":
            self.n_known += 1
            return []
        if before == "rejected":
            self.n_conflicts += 1
            return []
        self.by_coder[coder] += 1
        return [CodingChange(segment_id=key[0], code_id=code_id, coder=coder, before=None,
                             after="confirmed")]

    def _quote(self, segment: Segment, code_id: int, coder: str, a: int, b: int,
               text: SourceText, quotes: set[tuple]) -> list[Change]:
        words = text.parsed.text[a:b]
        a += len(words) - len(words.lstrip())
        b -= len(words) - len(words.rstrip())
        key = (code_id, int(segment.id), a, b)
        if key in quotes:
            return []
        quotes.add(key)
        self.n_quotes += 1
        quote_id = self.log.new_quote_row(code_id, int(segment.id), a, b, coder=coder)
        return [QuoteChange(quote_id=quote_id, field="status", before="removed",
                            after="active")]

    # memos ------------------------------------------------------------------------------------
    def memo_changes(self, code_ids: Mapping[str, int]) -> list[Change]:
        """Notes on codes (``code_ids``: by GUID) join the code's memo, unless it holds them."""
        changes: list[Change] = []
        memos: dict[int, list[str]] = defaultdict(list)
        for note in self.project.notes:
            for target in note.targets:
                if target in code_ids and note.text:
                    memos[code_ids[target]].append(note.text)
        for code_id, texts in memos.items():
            before = self.log.code_field(code_id, "memo") or ""
            missing = [t for t in texts if t not in before]
            if missing:
                after = "\n\n".join([before, *missing] if before else missing)
                changes.append(CodeChange(code_id=code_id, field="memo", before=before,
                                          after=after))
                self.n_memos += len(missing)
        return changes


def report_lines(report: RefiImportReport) -> list[str]:
    """The import report, one line per fact."""
    made = f" ({report.origin})" if report.origin else ""
    lines = [f"REFI-QDA project '{report.project or Path(report.path).stem}'{made}: "
             f"{len(report.imported)} transcript(s) imported ({report.n_turns} turns, "
             f"{report.n_segments} segments), {len(report.skipped)} already here."]
    for name in report.one_speaker:
        lines.append(f"{name}: no speaker lines found; imported as one speaker's text.")
    lines.append(f"Codes: {len(report.codes_created)} new, {len(report.codes_updated)} updated.")
    who = ", ".join(f"{coder} {n}" for coder, n in report.codings.items()) or "none"
    lines.append(f"Codings added as confirmed: {report.n_codings} ({who}); "
                 f"{report.n_known} already here.")
    facts = [(report.n_quotes, "coding(s) over part of a segment also kept as quotes of those "
                               "words"),
             (report.n_outside, "coding(s) cover no segment's words (before the first speaker, "
                                "or only a label): not imported"),
             (report.n_on_categories, "coding(s) of a category or of no code: not imported"),
             (report.n_suggestions, "unreviewed model suggestion(s) left out"),
             (report.n_themes_left_out, "unreviewed suggested theme(s) left out"),
             (report.n_conflicts, "coding(s) the coder had rejected here: their decision kept"),
             (report.n_memos, "memo(s) kept")]
    lines += [f"{n} {what}." for n, what in facts if n]
    lines += [f"{note}." for note in report.attributes]
    if report.left_out:
        lines.append("Not imported: " + "; ".join(report.left_out) + ".")
    if report.decision_id is not None:
        lines.append(f"One decision ({report.decision_id}): undo it at once with u in the "
                     "workbench.")
    else:
        lines.append("Nothing new to add to the codebook or the codings.")
    return lines
