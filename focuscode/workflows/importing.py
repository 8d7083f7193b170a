"""Import use case: files (or folders) to stored transcripts, turns and segments, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from focuscode.domain import (
    MODERATOR_ROLE,
    UNKNOWN_ROLE,
    ExclusionReason,
    IngestError,
    ParsedTranscript,
    Speaker,
)
from focuscode.domain.views import ImportReport
from focuscode.pipeline.ingest import FORMATS, SUPPORTED, parse_transcript
from focuscode.pipeline.ingest.speakers import SpeakerMap, guess_role, load_speakers
from focuscode.pipeline.segment import TurnSegmenter
from focuscode.store import ProjectStore
from focuscode.workflows.names import remember_speaker_names
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings

SPEAKER_FILE_NAMES = ("speakers.yaml", "speakers.yml", "speakers.csv")


def expand_paths(paths: Sequence[Path]) -> tuple[list[Path], Path | None]:
    """Files to import, and a speakers file found beside them in a given folder."""
    files: list[Path] = []
    found_speakers = None
    for path in paths:
        if path.is_dir():
            for name in SPEAKER_FILE_NAMES:
                if (path / name).is_file() and found_speakers is None:
                    found_speakers = path / name
            children = sorted(p for p in path.iterdir()
                              if p.is_file() and p.suffix.lower() in FORMATS
                              and not p.name.startswith((".", "~$")))
            if not children:
                raise IngestError("no transcripts in this folder", path=str(path),
                                  hint=f"focuscode reads {SUPPORTED}")
            files.extend(children)
        elif path.exists():
            files.append(path)
        else:
            raise IngestError("file not found", path=str(path), hint="check the path")
    return files, found_speakers


def import_files(store: ProjectStore, settings: AnalysisSettings, paths: Sequence[Path], *,
                 speakers_file: Path | None = None, attributes: Mapping[str, Any] | None = None,
                 encoding: str | None = None, progress: Progress | None = None) -> ImportReport:
    """Parse every file first; store them only if all parse (one transaction per transcript).

    A file already imported unchanged is skipped; a different file under a known name is refused.
    """
    progress = progress or NullProgress()
    files, found = expand_paths(paths)
    speakers_file = speakers_file or found
    speaker_map = load_speakers(speakers_file) if speakers_file else SpeakerMap()
    known = store.transcript_names()
    parsed: list[ParsedTranscript] = []
    skipped: list[str] = []
    progress.stage("Reading transcripts", len(files))
    for path in files:
        check_cancelled(progress)
        transcript = parse_transcript(path, encoding=encoding)
        if transcript.name in known or any(p.name == transcript.name for p in parsed):
            if known.get(transcript.name) == transcript.source_sha256:
                skipped.append(transcript.name)
                progress.advance()
                continue
            raise IngestError(f"a different transcript named '{transcript.name}' is already in "
                              "the project", path=str(path),
                              hint="rename the file to import it as another transcript")
        parsed.append(transcript)
        progress.advance()
    if speakers_file and speaker_map.speakers:
        store.upsert_speakers(speaker_map.speakers, overwrite=True)
    remember_speaker_names(store, speaker_map)
    stored = {speaker.label: speaker for speaker in store.speakers()}
    unknown: dict[str, tuple[str, ...]] = {}
    guessed: dict[str, str] = {}
    segmenter = TurnSegmenter(max_words=settings.max_words, window_words=settings.window_words,
                              min_content_words=settings.min_content_words,
                              exclude_roles=() if settings.include_moderator else (MODERATOR_ROLE,))
    n_turns = n_segments = 0
    progress.stage("Storing transcripts", len(parsed))
    for transcript in parsed:
        check_cancelled(progress)
        transcript, speakers, missing = _speakers_for(transcript, speaker_map, stored, guessed)
        if missing and speakers_file:
            unknown[transcript.name] = missing
        roles = {speaker.label: speaker.role for speaker in speakers}
        segments = segmenter.transform(transcript.turns, roles)
        merged = {**speaker_map.attributes_for(transcript.name), **(attributes or {})}
        store.add_transcript(transcript, merged, speakers, segments)
        stored.update({speaker.label: speaker for speaker in speakers})
        n_turns += len(transcript.turns)
        n_segments += len(segments)
        progress.advance()
    if speakers_file:
        refresh_exclusions(store, settings)
    return ImportReport(imported=tuple(t.name for t in parsed), skipped=tuple(skipped),
                        n_turns=n_turns, n_segments=n_segments, unknown_speakers=unknown,
                        guessed_roles=guessed)


def _speakers_for(transcript: ParsedTranscript, speaker_map: SpeakerMap,
                  stored: Mapping[str, Speaker],
                  guessed: dict[str, str]
                  ) -> tuple[ParsedTranscript, list[Speaker], tuple[str, ...]]:
    """Speakers of a transcript, relabelled to the speakers file's canonical labels."""
    speakers: dict[str, Speaker] = {}
    missing: list[str] = []
    relabel: dict[str, str] = {}
    for label in dict.fromkeys(turn.speaker for turn in transcript.turns):
        mapped = speaker_map.find(label)
        if mapped is not None:
            relabel[label] = mapped.label
            speakers[mapped.label] = mapped
        elif label in stored:
            speakers[label] = stored[label]
        else:
            role = guess_role(label)
            if role:
                guessed[label] = role
            else:
                missing.append(label)
            speakers[label] = Speaker(label=label, role=role or UNKNOWN_ROLE)
    if relabel:
        transcript = replace(transcript, turns=tuple(
            replace(turn, speaker=relabel.get(turn.speaker, turn.speaker))
            for turn in transcript.turns))
    return transcript, list(speakers.values()), tuple(missing)


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
