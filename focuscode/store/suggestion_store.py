"""Deductive suggestions in the store: runs with their provenance, each segment's best codes, and
what a coder has still to decide. Rows in, domain objects out; nothing here touches codings."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from focuscode.domain.suggestions import PendingSuggestion, Suggestion, SuggestionRun
from focuscode.store.database import Database, load_json, utc_now

_LIVE_CODE = "k.status != 'deleted'"


@dataclass(frozen=True)
class SegmentView:
    """A segment as lists of suggestions and disagreements show it."""

    segment_id: int
    transcript: str
    turn_index: int
    speaker_name: str
    role: str
    text: str


class SuggestionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # writing ------------------------------------------------------------------------------
    def save_run(self, *, model_id: str, model_version: str, params: Mapping[str, Any],
                 threshold: float, calibration: str, confirmed_by: Sequence[str],
                 codebook_sha256: str, n_segments: int, n_codes: int, seconds: float,
                 suggestions: Sequence[Suggestion]) -> int:
        """Store a run and its suggestions in one transaction; returns the run id."""
        with self.db.atomic() as db:
            cursor = db.execute(
                "INSERT INTO suggestion_runs (created_at, model_id, model_version, params, "
                "threshold, calibration, confirmed_by, codebook_sha256, n_segments, n_codes, "
                "n_suggested, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (utc_now(), model_id, model_version, json.dumps(dict(params), sort_keys=True),
                 float(threshold), calibration, json.dumps(sorted(confirmed_by)),
                 codebook_sha256, n_segments, n_codes,
                 sum(1 for s in suggestions if s.suggested), seconds))
            run_id = int(cursor.lastrowid)
            db.executemany(
                "INSERT INTO code_suggestions (run_id, segment_id, code_id, score, similarity, "
                "rank, suggested, evidence, evidence_kind, evidence_segment_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, s.segment_id, s.code_id, round(float(s.score), 4),
                  round(float(s.similarity), 4), s.rank, int(s.suggested), s.evidence,
                  s.evidence_kind, s.evidence_segment_id) for s in suggestions])
        return run_id

    # runs ---------------------------------------------------------------------------------
    def runs(self) -> list[SuggestionRun]:
        return [_run(row) for row in self.db.query("SELECT * FROM suggestion_runs ORDER BY id")]

    def latest_run(self, *, visible_to: str | None = None) -> SuggestionRun | None:
        """The latest run; with ``visible_to``, the latest that used no other coder's
        confirmations (what a blind coder may see)."""
        for run in reversed(self.runs()):
            if visible_to is None or set(run.confirmed_by) <= {visible_to}:
                return run
        return None

    def codes_created_after(self, run: SuggestionRun) -> set[int]:
        """Ids of the codes made after ``run`` was stored (for runs that did not record the
        codes they scored)."""
        return {r[0] for r in self.db.query("SELECT id FROM codes WHERE created_at > ?",
                                            (run.created_at,))}

    # suggestions --------------------------------------------------------------------------
    def suggestions(self, run_id: int, *, suggested_only: bool = True,
                    code_id: int | None = None,
                    segment_ids: Sequence[int] | None = None) -> list[Suggestion]:
        """The run's suggestions for live codes, by segment then rank."""
        sql = (f"SELECT s.*, k.name AS code_name FROM code_suggestions s JOIN codes k "
               f"ON k.id = s.code_id WHERE s.run_id = ? AND {_LIVE_CODE}")
        params: list[Any] = [run_id]
        if suggested_only:
            sql += " AND s.suggested = 1"
        if code_id is not None:
            sql += " AND s.code_id = ?"
            params.append(code_id)
        if segment_ids is not None:
            if not segment_ids:
                return []
            sql += f" AND s.segment_id IN ({','.join('?' * len(segment_ids))})"
            params += list(segment_ids)
        return [_suggestion(row) for row in self.db.query(sql + " ORDER BY s.segment_id, s.rank",
                                                          tuple(params))]

    def pending(self, run_id: int, coder: str, *, blind: bool, code_id: int | None = None,
                offset: int = 0, limit: int = 200) -> tuple[list[PendingSuggestion], int]:
        """Suggestions the coder has neither confirmed nor rejected, in transcript order, with
        the other coders' decisions on them unless ``blind``; and how many there are."""
        where = ("s.run_id = :run AND s.suggested = 1 AND k.status != 'deleted' AND NOT EXISTS "
                 "(SELECT 1 FROM codings c WHERE c.segment_id = s.segment_id AND c.code_id = "
                 "s.code_id AND c.coder = :coder)")
        params: dict[str, Any] = {"run": run_id, "coder": coder, "limit": limit,
                                  "offset": offset, "code": code_id}
        if code_id is not None:
            where += " AND s.code_id = :code"
        joins = """FROM code_suggestions s JOIN codes k ON k.id = s.code_id
            JOIN segments g ON g.id = s.segment_id JOIN turns tu ON tu.id = g.turn_id
            JOIN speakers sp ON sp.id = tu.speaker_id
            JOIN transcripts tr ON tr.id = g.transcript_id"""
        total = self.db.query(f"SELECT COUNT(*) {joins} WHERE {where}", params)[0][0]
        rows = self.db.query(f"""
            SELECT s.*, k.name AS code_name, tr.name AS transcript, tu.idx AS turn_index,
                   COALESCE(sp.pseudonym, sp.label) AS speaker_name, sp.role AS role,
                   g.text AS text
            {joins} WHERE {where}
            ORDER BY g.transcript_id, g.idx, s.rank LIMIT :limit OFFSET :offset""", params)
        others: dict[tuple[int, int], list[tuple[str, str]]] = {}
        if not blind and rows:
            ids = sorted({r["segment_id"] for r in rows})
            for r in self.db.query(
                    f"SELECT segment_id, code_id, coder, status FROM codings WHERE segment_id IN "
                    f"({','.join('?' * len(ids))}) AND coder != ? ORDER BY coder",
                    (*ids, coder)):
                others.setdefault((r["segment_id"], r["code_id"]), []).append(
                    (r["coder"], r["status"]))
        return [PendingSuggestion(
            suggestion=_suggestion(r), transcript=r["transcript"], turn_index=r["turn_index"],
            speaker_name=r["speaker_name"], role=r["role"], text=r["text"],
            others=tuple(others.get((r["segment_id"], r["code_id"]), ())))
            for r in rows], total

    def segment_views(self, ids: Sequence[int]) -> dict[int, SegmentView]:
        found: dict[int, SegmentView] = {}
        unique = sorted(set(ids))
        for begin in range(0, len(unique), 900):
            chunk = unique[begin:begin + 900]
            for r in self.db.query(f"""
                    SELECT g.id, tr.name AS transcript, tu.idx AS turn_index,
                           COALESCE(sp.pseudonym, sp.label) AS speaker_name, sp.role, g.text
                    FROM segments g JOIN turns tu ON tu.id = g.turn_id
                    JOIN speakers sp ON sp.id = tu.speaker_id
                    JOIN transcripts tr ON tr.id = g.transcript_id
                    WHERE g.id IN ({','.join('?' * len(chunk))})""", tuple(chunk)):
                found[r["id"]] = SegmentView(r["id"], r["transcript"], r["turn_index"],
                                             r["speaker_name"], r["role"], r["text"])
        return found

    def segment_order(self) -> dict[int, tuple[int, int]]:
        """Segment id -> (transcript id, index): transcript order."""
        return {r[0]: (r[1], r[2]) for r in self.db.query(
            "SELECT id, transcript_id, idx FROM segments")}


def _run(row: Any) -> SuggestionRun:
    return SuggestionRun(id=row["id"], created_at=row["created_at"], model_id=row["model_id"],
                         model_version=row["model_version"], threshold=row["threshold"],
                         calibration=row["calibration"], params=load_json(row["params"]),
                         n_segments=row["n_segments"], n_codes=row["n_codes"],
                         n_suggested=row["n_suggested"],
                         confirmed_by=tuple(load_json(row["confirmed_by"])),
                         seconds=row["seconds"])


def _suggestion(row: Any) -> Suggestion:
    return Suggestion(segment_id=row["segment_id"], code_id=row["code_id"],
                      code_name=row["code_name"], score=row["score"],
                      similarity=row["similarity"], rank=row["rank"],
                      suggested=bool(row["suggested"]), evidence=row["evidence"],
                      evidence_kind=row["evidence_kind"],
                      evidence_segment_id=row["evidence_segment_id"], run_id=row["run_id"])
