"""Import use case: files (or folders) to stored transcripts, turns and segments, all or nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from focuscode.domain import (
    MODERATOR_ROLE,
    UNKNOWN_ROLE,
    ExclusionReason,
    FileReport,
    IngestError,
    ParsedTranscript,
    Speaker,
    SpeakerTally,
)
from focuscode.domain.views import ImportReport
from focuscode.pipeline.ingest import FORMATS, parse_transcript
from focuscode.pipeline.ingest.speakers import SpeakerMap, guess_role, load_speakers
from focuscode.pipeline.ingest.survey import SURVEY_FORMATS, SurveyColumns, parse_survey
from focuscode.pipeline.segment import TurnSegmenter
from focuscode.store import ProjectStore
from focuscode.workflows.names import remember_speaker_names
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings

SPEAKER_FILE_NAMES = ("speakers.yaml", "speakers.yml", "speakers.csv")


def expand_paths(paths: Sequence[Path], *, survey: bool = False
                 ) -> tuple[list[Path], Path | None]:
    """Files to import, and a speakers file found beside them in a given folder; with
    ``survey``, the CSV and XLSX files of answers."""
    readable = SURVEY_FORMATS if survey else FORMATS
    files: list[Path] = []
    found_speakers = None
    for path in paths:
        try:
            is_folder, exists = path.is_dir(), path.exists()
            if is_folder:
                for name in SPEAKER_FILE_NAMES:
                    if (path / name).is_file() and found_speakers is None:
                        found_speakers = path / name
                children = sorted(p for p in path.iterdir()
                                  if p.is_file() and p.suffix.lower() in readable
                                  and not p.name.startswith((".", "~$"))
                                  and p.name not in SPEAKER_FILE_NAMES)
        except PermissionError:
            raise IngestError("permission denied (a folder on the way cannot be searched or "
                              "read)", path=str(path),
                              hint="make the folder readable, or copy the files elsewhere"
                              ) from None
        except OSError as error:
            raise IngestError(f"cannot be read: {error.strerror}", path=str(path)) from None
        if is_folder:
            if not children:
                raise IngestError("no transcripts in this folder", path=str(path),
                                  hint=f"focuscode reads {', '.join(sorted(readable))}")
            files.extend(children)
        elif exists:
            files.append(path)
        else:
            raise IngestError("file not found", path=str(path), hint="check the path")
    return files, found_speakers


def import_files(store: ProjectStore, settings: AnalysisSettings, paths: Sequence[Path], *,
                 speakers_file: Path | None = None, attributes: Mapping[str, Any] | None = None,
                 encoding: str | None = None, progress: Progress | None = None,
                 survey: SurveyColumns | None = None, dry_run: bool = False,
                 allow_duplicate: bool = False) -> ImportReport:
    """Parse every file first; store them only if all parse (one transaction per transcript).

    A file already imported unchanged is skipped; a different file under a known name is refused,
    and so is a byte-identical copy under another name (unless ``allow_duplicate``).
    ``survey`` reads CSV/XLSX survey answers instead of transcripts; ``dry_run`` reads and
    reports everything and stores nothing.
    """
    progress = progress or NullProgress()
    files, found = expand_paths(paths, survey=survey is not None)
    speakers_file = speakers_file or found
    speaker_map = load_speakers(speakers_file) if speakers_file else SpeakerMap()
    known = store.transcript_names()
    parsed: list[ParsedTranscript] = []
    skipped: list[str] = []
    progress.stage("Reading transcripts", len(files))
    for path in files:
        check_cancelled(progress)
        if survey is not None:
            transcript = parse_survey(path, survey, encoding=encoding)
        else:
            transcript = parse_transcript(path, encoding=encoding,
                                          known=tuple(speaker_map.aliases))
        if transcript.name in known or any(p.name == transcript.name for p in parsed):
            if known.get(transcript.name) == transcript.source_sha256:
                skipped.append(transcript.name)
                progress.advance()
                continue
            raise IngestError(f"a different transcript named '{transcript.name}' is already in "
                              "the project", path=str(path),
                              hint="rename the file to import it as another transcript")
        if not allow_duplicate:
            _refuse_duplicate(transcript, path, known, parsed)
        parsed.append(transcript)
        progress.advance()
    if speakers_file and speaker_map.speakers and not dry_run:
        store.upsert_speakers(speaker_map.speakers, overwrite=True)
    remember_speaker_names(store, speaker_map)
    stored = {speaker.label: speaker for speaker in store.speakers()}
    if dry_run:
        stored.update({speaker.label: speaker for speaker in speaker_map.speakers})
    unknown: dict[str, tuple[str, ...]] = {}
    guessed: dict[str, str] = {}
    reports: list[FileReport] = []
    segmenter = TurnSegmenter(max_words=settings.max_words, window_words=settings.window_words,
                              min_content_words=settings.min_content_words,
                              exclude_roles=() if settings.include_moderator else (MODERATOR_ROLE,))
    n_turns = n_segments = 0
    progress.stage("Checking transcripts" if dry_run else "Storing transcripts", len(parsed))
    for transcript in parsed:
        check_cancelled(progress)
        transcript, speakers, missing, how = _speakers_for(transcript, speaker_map, stored,
                                                           guessed)
        if missing and speakers_file:
            unknown[transcript.name] = missing
        roles = {speaker.label: speaker.role for speaker in speakers}
        segments = segmenter.transform(transcript.turns, roles)
        if not dry_run:
            merged = {**speaker_map.attributes_for(transcript.name), **(attributes or {})}
            store.add_transcript(transcript, merged, speakers, segments)
            stored.update({speaker.label: speaker for speaker in speakers})
        reports.append(file_report(transcript, roles, how, len(segments)))
        n_turns += len(transcript.turns)
        n_segments += len(segments)
        progress.advance()
    if speakers_file and not dry_run:
        refresh_exclusions(store, settings)
    return ImportReport(imported=tuple(t.name for t in parsed), skipped=tuple(skipped),
                        n_turns=n_turns, n_segments=n_segments, unknown_speakers=unknown,
                        guessed_roles=guessed, files=tuple(reports), dry_run=dry_run,
                        decoding_notes={t.name: t.decoding_note for t in parsed
                                        if t.decoding_note})


def file_report(transcript: ParsedTranscript, roles: Mapping[str, str], how: Mapping[str, str],
                n_segments: int) -> FileReport:
    """Who spoke how much in one file, and every line not put into a turn."""
    turns: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for turn in transcript.turns:
        turns[turn.speaker] += 1
        words[turn.speaker] += len(turn.text.split())
    tallies = tuple(SpeakerTally(label=label, turns=turns[label], words=words[label],
                                 role=roles.get(label, UNKNOWN_ROLE), how=how.get(label, "unknown"))
                    for label in turns)
    return FileReport(name=transcript.name, format=transcript.format,
                      n_turns=len(transcript.turns), n_segments=n_segments, speakers=tallies,
                      skipped=transcript.skipped, as_text=transcript.as_text,
                      notes=transcript.notes)


def _refuse_duplicate(transcript: ParsedTranscript, path: Path, known: Mapping[str, str],
                      parsed: Sequence[ParsedTranscript]) -> None:
    """A byte-identical copy of a transcript under another name would count it twice."""
    same = [name for name, sha in known.items() if sha == transcript.source_sha256]
    same += [p.name for p in parsed if p.source_sha256 == transcript.source_sha256]
    if same:
        raise IngestError(f"this file is byte for byte the transcript '{same[0]}'; importing it "
                          "again would count every turn twice; nothing was imported",
                          path=str(path), hint="leave it out, or pass --allow-duplicate to "
                                               "import it anyway")


def _speakers_for(transcript: ParsedTranscript, speaker_map: SpeakerMap,
                  stored: Mapping[str, Speaker], guessed: dict[str, str]
                  ) -> tuple[ParsedTranscript, list[Speaker], tuple[str, ...], dict[str, str]]:
    """Speakers of a transcript, relabelled to the speakers file's canonical labels, and how
    each got its role."""
    speakers: dict[str, Speaker] = {}
    missing: list[str] = []
    relabel: dict[str, str] = {}
    how: dict[str, str] = {}
    own = {speaker.label: speaker for speaker in transcript.speakers}
    for label in dict.fromkeys(turn.speaker for turn in transcript.turns):
        mapped = speaker_map.find(label)
        if mapped is not None:
            relabel[label] = mapped.label
            speakers[mapped.label] = mapped
            how[mapped.label] = "speakers file"
        elif label in stored:
            speakers[label] = stored[label]
            how[label] = "already in the project"
        elif label in own:
            speakers[label] = own[label]
            how[label] = "from the file"
        else:
            role = guess_role(label)
            if role:
                guessed[label] = role
                how[label] = "guessed from the label"
            else:
                missing.append(label)
                how[label] = "not in a speakers file"
            speakers[label] = Speaker(label=label, role=role or UNKNOWN_ROLE)
    if relabel:
        transcript = replace(transcript, turns=tuple(
            replace(turn, speaker=relabel.get(turn.speaker, turn.speaker))
            for turn in transcript.turns))
    return transcript, list(speakers.values()), tuple(missing), how


def refresh_exclusions(store: ProjectStore, settings: AnalysisSettings) -> int:
    """Re-apply the moderator rule after roles or the setting changed; returns segments changed."""
    changes: dict[int, ExclusionReason | None] = {}
    segmenter = TurnSegmenter(min_content_words=settings.min_content_words,
                              exclude_roles=() if settings.include_moderator else (MODERATOR_ROLE,))
    for segment in store.segments():
        reason = segmenter.exclusion_for(segment.text, segment.role)
        if reason != segment.excluded:
            changes[segment.id] = reason
    if changes:
        store.set_exclusions(changes)
    return len(changes)
