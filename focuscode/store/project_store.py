"""Rows in, domain objects out: transcripts, speakers, segments, embeddings, analysis runs."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from focuscode.domain import (
    AnalysisRun,
    ExclusionReason,
    ParsedTranscript,
    Segment,
    Speaker,
    StoreError,
    Theme,
    ThemeGroup,
    Transcript,
)
from focuscode.domain.hashing import text_sha256
from focuscode.domain.review import Quote
from focuscode.store.database import Database, load_json, utc_now
from focuscode.store.review_queries import ReviewQueries


@dataclass(frozen=True)
class ThemeRecord:
    """A theme as the pipeline found it, before it has an id."""

    number: int
    label: str
    keywords: tuple[str, ...]
    exemplar_rows: tuple[int, ...]
    size: int
    group: int | None = None  # number of its GroupRecord (None: top level)
    small_talk: bool = False
    stability: float | None = None  # mean best Jaccard over reruns (None: not measured)


@dataclass(frozen=True)
class GroupRecord:
    """A parent theme as the pipeline found it."""

    number: int
    label: str
    keywords: tuple[str, ...]
    size: int


@dataclass(frozen=True)
class Membership:
    """Where one segment landed in a run (``theme_id`` None: unassigned)."""

    segment_id: int
    theme_id: int | None
    probability: float
    nearest: tuple[tuple[int, float], ...]


class ProjectStore:
    """The project's SQLite store. Every write is one transaction."""

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.db = Database(path, create=create)
        self.db.migrate()

    def close(self) -> None:
        self.db.close()

    # settings -----------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self.db.query("SELECT value FROM settings WHERE key = ?", (key,))
        return load_json(rows[0]["value"]) if rows else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.db.atomic() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                       "DO UPDATE SET value = excluded.value", (key, json.dumps(value)))

    def identity(self) -> str:
        """What tells this project apart from every other, for ever: when its store was made
        (the first migration's time; renaming or moving the folder keeps it)."""
        rows = self.db.query("SELECT applied_at FROM _migrations ORDER BY id LIMIT 1")
        return f"focuscode project created {rows[0]['applied_at']}" if rows else ""

    # speakers -----------------------------------------------------------------------------
    def speakers(self) -> list[Speaker]:
        return [_speaker(row) for row in self.db.query("SELECT * FROM speakers ORDER BY label")]

    def upsert_speakers(self, speakers: Iterable[Speaker], *, overwrite: bool) -> None:
        with self.db.atomic() as db:
            for speaker in speakers:
                values = (speaker.label, speaker.role, speaker.pseudonym,
                          json.dumps(dict(speaker.attributes)))
                if overwrite:
                    db.execute("INSERT INTO speakers (label, role, pseudonym, attributes) "
                               "VALUES (?, ?, ?, ?) ON CONFLICT(label) DO UPDATE SET "
                               "role = excluded.role, pseudonym = excluded.pseudonym, "
                               "attributes = excluded.attributes", values)
                else:
                    db.execute("INSERT OR IGNORE INTO speakers (label, role, pseudonym, "
                               "attributes) VALUES (?, ?, ?, ?)", values)

    # transcripts --------------------------------------------------------------------------
    def add_transcript(self, parsed: ParsedTranscript, attributes: Mapping[str, Any],
                       speakers: Sequence[Speaker], segments: Sequence[Segment]) -> int:
        """Store a transcript, its speakers, turns and segments in one transaction."""
        with self.db.atomic() as db:
            for speaker in speakers:
                db.execute("INSERT OR IGNORE INTO speakers (label, role, pseudonym, attributes) "
                           "VALUES (?, ?, ?, ?)", (speaker.label, speaker.role, speaker.pseudonym,
                                                   json.dumps(dict(speaker.attributes))))
            ids = {row["label"]: row["id"] for row in db.execute("SELECT id, label FROM speakers")}
            try:
                cursor = db.execute(
                    "INSERT INTO transcripts (name, source_path, format, encoding, text, "
                    "source_sha256, attributes, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (parsed.name, parsed.source_path, parsed.format, parsed.encoding,
                     parsed.text, parsed.source_sha256, json.dumps(dict(attributes)), utc_now()))
            except sqlite3.IntegrityError as error:
                if "transcripts.name" not in str(error):
                    raise
                raise StoreError(f"a transcript named '{parsed.name}' was imported meanwhile "
                                 "(by another focuscode process?); this one was not stored",
                                 path=parsed.source_path,
                                 hint="run the import again when the other one is done: "
                                      "transcripts already in the project are skipped") from None
            transcript_id = int(cursor.lastrowid)
            turn_ids = {}
            for turn in parsed.turns:
                cursor = db.execute(
                    "INSERT INTO turns (transcript_id, idx, speaker_id, start_char, end_char, "
                    "start_time, end_time, source_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (transcript_id, turn.index, ids[turn.speaker], turn.start, turn.end,
                     turn.start_time, turn.end_time, turn.line))
                turn_ids[turn.index] = cursor.lastrowid
            db.executemany(
                "INSERT INTO segments (transcript_id, turn_id, idx, start_char, end_char, text, "
                "text_sha256, excluded, start_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(transcript_id, turn_ids[s.turn_index], s.index, s.start, s.end, s.text,
                  text_sha256(s.text), s.excluded.value if s.excluded else None, s.start_time)
                 for s in segments])
        return transcript_id

    def transcripts(self) -> list[Transcript]:
        return [_transcript(row) for row in self.db.query("SELECT * FROM transcripts ORDER BY id")]

    def transcript(self, transcript_id: int) -> Transcript:
        return _transcript(self.db.query("SELECT * FROM transcripts WHERE id = ?",
                                         (transcript_id,))[0])

    def transcript_sources(self) -> list[str]:
        """The files the transcripts were imported from (as given then)."""
        return [row["source_path"] for row in
                self.db.query("SELECT source_path FROM transcripts WHERE source_path != ''")]

    def transcript_names(self) -> dict[str, str]:
        """Transcript name -> source SHA-256."""
        return {row["name"]: row["source_sha256"]
                for row in self.db.query("SELECT name, source_sha256 FROM transcripts")}

    # segments -----------------------------------------------------------------------------
    def segments(self, *, included_only: bool = False,
                 ids: Sequence[int] | None = None) -> list[Segment]:
        sql = ("SELECT s.*, t.idx AS turn_idx, COALESCE(s.start_time, t.start_time) AS "
               "cue_time, sp.label AS speaker, "
               "sp.role AS role FROM segments s JOIN turns t ON t.id = s.turn_id "
               "JOIN speakers sp ON sp.id = t.speaker_id")
        params: tuple = ()
        if included_only:
            sql += " WHERE s.excluded IS NULL"
        if ids is not None:
            sql += (" AND" if included_only else " WHERE") + \
                   f" s.id IN ({','.join('?' * len(ids))})"
            params = tuple(ids)
        return [_segment(row) for row in self.db.query(sql + " ORDER BY s.id", params)]

    def count_segments(self) -> dict[str, int]:
        rows = self.db.query("SELECT COALESCE(excluded, 'included') AS k, COUNT(*) AS n "
                             "FROM segments GROUP BY k")
        return {row["k"]: row["n"] for row in rows}

    def set_exclusions(self, exclusions: Mapping[int, ExclusionReason | None]) -> None:
        with self.db.atomic() as db:
            db.executemany("UPDATE segments SET excluded = ? WHERE id = ?",
                           [(reason.value if reason else None, segment_id)
                            for segment_id, reason in exclusions.items()])

    # embeddings ---------------------------------------------------------------------------
    def cached_embeddings(self, model_id: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for begin in range(0, len(unique), 500):
            chunk = unique[begin:begin + 500]
            rows = self.db.query(
                f"SELECT text_sha256, vector FROM embeddings WHERE model_id = ? AND "
                f"text_sha256 IN ({','.join('?' * len(chunk))})", (model_id, *chunk))
            for row in rows:
                found[row["text_sha256"]] = np.frombuffer(row["vector"], dtype="<f4")
        return found

    def put_embeddings(self, model_id: str, hashes: Sequence[str], vectors: np.ndarray) -> None:
        with self.db.atomic() as db:
            db.executemany("INSERT OR REPLACE INTO embeddings (model_id, text_sha256, dim, vector) "
                           "VALUES (?, ?, ?, ?)",
                           [(model_id, h, int(v.shape[0]), v.astype("<f4").tobytes())
                            for h, v in zip(hashes, vectors)])

    # analysis runs ------------------------------------------------------------------------
    def save_run(self, *, started_at: str, model_id: str, params: Mapping[str, Any],
                 random_state: int, versions: Mapping[str, str], input_sha256: str,
                 segment_ids: Sequence[int], themes: Sequence[ThemeRecord],
                 labels: Sequence[int], probabilities: Sequence[float],
                 nearest: Sequence[Sequence[tuple[int, float]]], seconds: float,
                 theme_codes: Mapping[int, int] | None = None,
                 theme_status: Mapping[int, str] | None = None, status: str = "active",
                 moved_from: Mapping[int, int] | None = None,
                 groups: Sequence[GroupRecord] = ()) -> int:
        """Store a finished run, its themes and every segment's membership in one transaction.

        ``status`` pending: a re-analysis, put in effect by its decision (``run_status``);
        ``moved_from``: segment row -> number of the theme it was moved out of; ``groups``: the
        parent themes of the theme tree."""
        with self.db.atomic() as db:
            cursor = db.execute(
                "INSERT INTO analysis_runs (started_at, finished_at, model_id, params, "
                "random_state, versions, input_sha256, n_segments, n_themes, seconds, status) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (started_at, utc_now(), model_id, json.dumps(dict(params), sort_keys=True),
                 random_state, json.dumps(dict(versions), sort_keys=True), input_sha256,
                 len(segment_ids), len(themes), seconds, status))
            run_id = int(cursor.lastrowid)
            group_ids: dict[int, int] = {}
            for group in groups:
                cursor = db.execute(
                    "INSERT INTO theme_groups (run_id, number, label, keywords, size) "
                    "VALUES (?, ?, ?, ?, ?)", (run_id, group.number, group.label,
                                               json.dumps(list(group.keywords)), group.size))
                group_ids[group.number] = int(cursor.lastrowid)
            theme_ids: dict[int, int] = {}
            for theme in themes:
                cursor = db.execute(
                    "INSERT INTO themes (run_id, number, label, keywords, exemplar_ids, size, "
                    "code_id, status, group_id, small_talk, stability) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, theme.number, theme.label, json.dumps(list(theme.keywords)),
                     json.dumps([segment_ids[row] for row in theme.exemplar_rows]), theme.size,
                     (theme_codes or {}).get(theme.number),
                     (theme_status or {}).get(theme.number, "active"),
                     None if theme.group is None else group_ids[theme.group],
                     int(theme.small_talk), theme.stability))
                theme_ids[theme.number] = int(cursor.lastrowid)
            moved = {row: theme_ids[number] for row, number in (moved_from or {}).items()}
            db.executemany(
                "INSERT INTO theme_members (run_id, segment_id, theme_id, probability, nearest, "
                "moved_from) VALUES (?, ?, ?, ?, ?, ?)",
                [(run_id, segment_id, theme_ids.get(int(label)), float(probability),
                  json.dumps([[theme_ids[int(t)], round(float(sim), 4)] for t, sim in near]),
                  moved.get(row))
                 for row, (segment_id, label, probability, near) in
                 enumerate(zip(segment_ids, labels, probabilities, nearest))])
        return run_id

    def runs(self) -> list[AnalysisRun]:
        return [_run(row) for row in self.db.query("SELECT * FROM analysis_runs ORDER BY id")]

    def latest_run(self) -> AnalysisRun | None:
        rows = self.db.query("SELECT * FROM analysis_runs WHERE status = 'active' "
                             "ORDER BY id DESC LIMIT 1")
        return _run(rows[0]) if rows else None

    def themes(self, run_id: int, *, include_inactive: bool = False) -> list[Theme]:
        """The run's themes in effect (split and deleted ones only with ``include_inactive``)."""
        sql = "SELECT * FROM themes WHERE run_id = ?"
        if not include_inactive:
            sql += " AND status = 'active'"
        return [_theme(row) for row in self.db.query(sql + " ORDER BY number", (run_id,))]

    def theme_ids(self, run_id: int, by_number: Mapping[int, Any]) -> dict[str, Any]:
        """The run's theme ids (as JSON keys) for a mapping keyed by theme number."""
        rows = self.db.query("SELECT id, number FROM themes WHERE run_id = ?", (run_id,))
        return {str(r["id"]): by_number[r["number"]] for r in rows if r["number"] in by_number}
    def theme_groups(self, run_id: int) -> list[ThemeGroup]:
        """The run's parent themes (the theme tree), by number."""
        return [ThemeGroup(id=row["id"], run_id=row["run_id"], number=row["number"],
                           label=row["label"], keywords=tuple(load_json(row["keywords"])),
                           size=row["size"])
                for row in self.db.query("SELECT * FROM theme_groups WHERE run_id = ? "
                                         "ORDER BY number", (run_id,))]

    def memberships(self, run_id: int) -> list[Membership]:
        return [Membership(row["segment_id"], row["theme_id"], row["probability"],
                           tuple((int(t), float(s)) for t, s in load_json(row["nearest"])))
                for row in self.db.query("SELECT * FROM theme_members WHERE run_id = ? "
                                         "ORDER BY segment_id", (run_id,))]

    def link_theme(self, theme_id: int, code_id: int | None) -> None:
        with self.db.atomic() as db:
            db.execute("UPDATE themes SET code_id = ? WHERE id = ?", (code_id, theme_id))

    # quotes -------------------------------------------------------------------------------
    def quotes(self) -> list[Quote]:
        """Quotes researchers picked (active, of live codes): by code, starred first, in order."""
        return ReviewQueries(self.db).quotes()


def _speaker(row: Any) -> Speaker:
    return Speaker(label=row["label"], role=row["role"], pseudonym=row["pseudonym"],
                   attributes=load_json(row["attributes"]), id=row["id"])


def _transcript(row: Any) -> Transcript:
    return Transcript(id=row["id"], name=row["name"], source_path=row["source_path"],
                      format=row["format"], text=row["text"], source_sha256=row["source_sha256"],
                      attributes=load_json(row["attributes"]), imported_at=row["imported_at"])


def _segment(row: Any) -> Segment:
    return Segment(turn_index=row["turn_idx"], index=row["idx"], start=row["start_char"],
                   end=row["end_char"], text=row["text"],
                   excluded=ExclusionReason(row["excluded"]) if row["excluded"] else None,
                   id=row["id"], transcript_id=row["transcript_id"], speaker=row["speaker"],
                   role=row["role"], start_time=row["cue_time"])


def _theme(row: Any) -> Theme:
    return Theme(id=row["id"], run_id=row["run_id"], number=row["number"], label=row["label"],
                 keywords=tuple(load_json(row["keywords"])),
                 exemplar_ids=tuple(load_json(row["exemplar_ids"])), size=row["size"],
                 code_id=row["code_id"], status=row["status"], parent_id=row["parent_id"],
                 group_id=row["group_id"], small_talk=bool(row["small_talk"]),
                 stability=row["stability"])


def _run(row: Any) -> AnalysisRun:
    return AnalysisRun(id=row["id"], started_at=row["started_at"], finished_at=row["finished_at"],
                       status="finished", model_id=row["model_id"],
                       params=load_json(row["params"]), random_state=row["random_state"],
                       versions=load_json(row["versions"]), input_sha256=row["input_sha256"],
                       n_segments=row["n_segments"], n_themes=row["n_themes"])
