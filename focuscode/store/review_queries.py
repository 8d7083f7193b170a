"""The review workbench's reads: counts per entry, pages of segments, context turns, search, quotes.

Rows in, domain objects out. Every query is bounded (a page, one turn's neighbours, one code's
quotes) or a single aggregate pass, so the workbench stays fast at 100,000 segments.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Sequence

from focuscode.domain import MODERATOR_ROLE
from focuscode.domain.review import (
    SUBSTRING_MIN,
    UNASSIGNED,
    ContextTurn,
    FilterOptions,
    Quote,
    ReviewSegment,
    RoleCounts,
    SearchFilters,
    SearchTerm,
    SegmentText,
    code_key,
    search_terms,
    theme_key,
)
from focuscode.store.database import Database, load_json

_SEGMENT_COLUMNS = """
    s.id AS segment_id, tr.name AS transcript, tu.idx AS turn_index, sp.label AS speaker,
    COALESCE(sp.pseudonym, sp.label) AS speaker_name, sp.role AS role,
    COALESCE(s.start_time, tu.start_time) AS start_time,
    s.start_char AS start_char, s.end_char AS end_char, s.text AS text"""
_SEGMENT_JOINS = """
    JOIN turns tu ON tu.id = s.turn_id
    JOIN speakers sp ON sp.id = tu.speaker_id
    JOIN transcripts tr ON tr.id = s.transcript_id"""
# A segment counts as placed once the coder confirmed it for a live code.
_CONFIRMED_SOMEWHERE = """EXISTS (SELECT 1 FROM codings c JOIN codes k ON k.id = c.code_id
    WHERE c.segment_id = {segment} AND c.coder = :coder AND c.status = 'confirmed'
    AND k.status != 'deleted')"""
MAX_INSIDE = 500  # indexed words a search word may be inside (bounds the query's size)
_QUEUE_IDS = f"""
    SELECT m.segment_id, m.nearest FROM theme_members m
    LEFT JOIN themes t ON t.id = m.theme_id
    WHERE m.run_id = :run AND (m.theme_id IS NULL OR t.status != 'active')
    AND NOT {_CONFIRMED_SOMEWHERE.format(segment="m.segment_id")}"""


@dataclass(frozen=True)
class EntryScope:
    """The segments of one entry: members of its themes in the run, plus its code's codings."""

    run_id: int | None
    code_id: int | None
    theme_ids: tuple[int, ...]
    suggestion_run: int | None = None  # the codebook suggestions that count (latest visible)


class ReviewQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    # entries ------------------------------------------------------------------------------
    def entry_counts(self, run_id: int | None, coder: str, scope: EntryScope | None = None,
                     *, suggestion_run: int | None = None) -> dict[str, RoleCounts]:
        """Per entry key (``c<code>`` or ``t<theme>``): segments and speakers per role, and how
        many the coder confirmed and rejected. One pass over the run's memberships, or over one
        entry's when ``scope`` is given.

        What counts is what reports count (``domain.reports.BASES``): the coder's confirmed
        codings and the suggestions they did not reject, of the analysis (theme members) and
        of the codebook suggestion run ``suggestion_run`` (``n_by_codebook`` of them)."""
        params: dict[str, Any] = {"run": run_id, "coder": coder, "srun": suggestion_run}
        theme_filter = code_filter = suggestion_filter = ""
        if scope is not None:
            theme_filter = f"AND id IN ({','.join(str(int(t)) for t in scope.theme_ids) or 'NULL'})"
            code_filter = "AND c.code_id = :code"
            suggestion_filter = "AND cs.code_id = :code"
            params["code"] = scope.code_id
        rows = self.db.query(f"""
            WITH active AS (
                SELECT id, code_id FROM themes WHERE run_id = :run AND status = 'active'
                {theme_filter}
            ), listed AS (
                SELECT m.segment_id, a.code_id AS code_id,
                       CASE WHEN a.code_id IS NULL THEN a.id END AS theme_id, 0 AS by_codebook
                FROM active a JOIN theme_members m ON m.run_id = :run AND m.theme_id = a.id
                UNION ALL
                SELECT c.segment_id, c.code_id, NULL, 0 FROM codings c
                JOIN codes k ON k.id = c.code_id
                WHERE c.coder = :coder AND k.status != 'deleted' {code_filter}
                UNION ALL
                SELECT cs.segment_id, cs.code_id, NULL, 1 FROM code_suggestions cs
                JOIN codes k ON k.id = cs.code_id
                WHERE cs.run_id = :srun AND cs.suggested = 1 AND k.status != 'deleted'
                {suggestion_filter}
            ), members AS (
                SELECT segment_id, code_id, MAX(theme_id) AS theme_id,
                       MIN(by_codebook) AS by_codebook
                FROM listed GROUP BY segment_id, code_id
            )
            SELECT mem.code_id, mem.theme_id, sp.role AS role,
                   SUM(cd.status IS NOT 'rejected') AS n,
                   COUNT(DISTINCT CASE WHEN cd.status IS NOT 'rejected' THEN tu.speaker_id END)
                       AS n_speakers,
                   SUM(cd.status IS 'confirmed') AS n_confirmed,
                   SUM(cd.status IS 'rejected') AS n_rejected,
                   SUM(cd.status IS NULL AND mem.by_codebook) AS n_by_codebook
            FROM members mem
            JOIN segments s ON s.id = mem.segment_id
            JOIN turns tu ON tu.id = s.turn_id
            JOIN speakers sp ON sp.id = tu.speaker_id
            LEFT JOIN codings cd ON cd.segment_id = mem.segment_id AND cd.code_id = mem.code_id
                AND cd.coder = :coder
            GROUP BY mem.code_id, mem.theme_id, sp.role""", params)
        return _role_counts(
            (code_key(r["code_id"]) if r["code_id"] is not None else theme_key(r["theme_id"]), r)
            for r in rows)

    def queue_counts(self, run_id: int | None, coder: str) -> RoleCounts:
        rows = self.db.query(f"""
            SELECT sp.role AS role, COUNT(*) AS n, COUNT(DISTINCT tu.speaker_id) AS n_speakers,
                   0 AS n_confirmed, 0 AS n_rejected, 0 AS n_by_codebook
            FROM ({_QUEUE_IDS}) q
            JOIN segments s ON s.id = q.segment_id
            JOIN turns tu ON tu.id = s.turn_id
            JOIN speakers sp ON sp.id = tu.speaker_id
            GROUP BY sp.role""", {"run": run_id, "coder": coder})
        return _role_counts((UNASSIGNED, r) for r in rows).get(UNASSIGNED, RoleCounts())

    def members(self, run_id: int, theme_ids: Sequence[int]) -> list[tuple[int, int]]:
        """(segment id, theme id) of the themes' members in the run, by segment id."""
        if not theme_ids:
            return []
        return [(r[0], r[1]) for r in self.db.query(
            f"SELECT segment_id, theme_id FROM theme_members WHERE run_id = ? AND theme_id IN "
            f"({','.join('?' * len(theme_ids))}) ORDER BY segment_id", (run_id, *theme_ids))]

    def membership(self, run_id: int,
                   segment_id: int) -> tuple[int | None, int | None, bool] | None:
        """The segment's theme in the run, the theme it was moved from, and whether it is in
        the unassigned queue (no theme, or one no longer in effect); None: not in the run."""
        rows = self.db.query("SELECT m.theme_id, m.moved_from, t.status FROM theme_members m "
                             "LEFT JOIN themes t ON t.id = m.theme_id WHERE m.run_id = ? AND "
                             "m.segment_id = ?", (run_id, segment_id))
        if not rows:
            return None
        row = rows[0]
        return row[0], row[1], row[0] is None or row[2] != "active"

    def moved(self, run_id: int) -> dict[int, int]:
        """Segment id -> the theme it was moved out of, in the run."""
        return {r[0]: r[1] for r in self.db.query(
            "SELECT segment_id, moved_from FROM theme_members WHERE run_id = ? AND "
            "moved_from IS NOT NULL", (run_id,))}

    def segment_texts(self, ids: Sequence[int]) -> dict[int, SegmentText]:
        """Segments by id with who said them."""
        found: dict[int, SegmentText] = {}
        ids = list(dict.fromkeys(ids))
        for begin in range(0, len(ids), 900):
            chunk = ids[begin:begin + 900]
            for r in self.db.query(f"""
                    SELECT {_SEGMENT_COLUMNS} FROM segments s {_SEGMENT_JOINS}
                    WHERE s.id IN ({','.join('?' * len(chunk))})""", tuple(chunk)):
                found[r["segment_id"]] = SegmentText(
                    segment_id=r["segment_id"], text=r["text"], speaker=r["speaker"],
                    speaker_name=r["speaker_name"], role=r["role"])
        return found

    def not_exemplary(self, coder: str, *,
                      quotes_of: str | None = None) -> dict[int, set[int]]:
        """Per code, segments not to show as its example: quotes researchers removed (and did
        not quote again; only ``quotes_of``'s quotes when given) and segments the coder
        rejected."""
        found: dict[int, set[int]] = defaultdict(set)
        for r in self.db.query("""
                SELECT code_id, segment_id FROM quotes WHERE status = 'removed'
                    AND (:quotes_of IS NULL OR coder = :quotes_of)
                EXCEPT SELECT code_id, segment_id FROM quotes WHERE status = 'active'
                    AND (:quotes_of IS NULL OR coder = :quotes_of)
                UNION SELECT code_id, segment_id FROM codings
                WHERE coder = :coder AND status = 'rejected'""",
                {"coder": coder, "quotes_of": quotes_of}):
            found[r[0]].add(r[1])
        return found

    def member_texts(self, run_id: int, theme_ids: Sequence[int], *, inside: bool,
                     limit: int) -> list[str]:
        """Texts of the run's segments in the themes (``inside``) or in none of them (the
        rest of the run, unassigned included), at most ``limit``, spread evenly by id."""
        themes = ",".join(str(int(t)) for t in theme_ids) or "NULL"
        where = f"m.theme_id IN ({themes})" if inside else \
            f"(m.theme_id IS NULL OR m.theme_id NOT IN ({themes}))"
        n = self.db.query(f"SELECT COUNT(*) FROM theme_members m WHERE m.run_id = ? AND {where}",
                          (run_id,))[0][0]
        step = max(1, -(-n // max(1, limit)))
        return [r[0] for r in self.db.query(f"""
            SELECT text FROM (SELECT s.text AS text, ROW_NUMBER() OVER (ORDER BY s.id) AS k
                FROM theme_members m JOIN segments s ON s.id = m.segment_id
                WHERE m.run_id = ? AND {where})
            WHERE (k - 1) % ? = 0 LIMIT ?""", (run_id, step, limit))]

    # segments of an entry -----------------------------------------------------------------
    def entry_page(self, scope: EntryScope, coder: str, *, status: str | None = None,
                   offset: int = 0, limit: int = 200,
                   segment_id: int | None = None) -> tuple[list[ReviewSegment], int]:
        """A page of the entry's segments in transcript order, with the coder's status for the
        entry's code (``suggested`` when undecided); ``segment_id`` picks one segment."""
        themes = ",".join(str(int(t)) for t in scope.theme_ids) or "NULL"
        moved = f"""moved_from IN ({themes}) AND (theme_id IS NULL OR theme_id NOT IN ({themes}))"""
        shown = "CASE WHEN cd.status IS NULL AND mv.segment_id IS NOT NULL THEN 'moved' " \
                "ELSE COALESCE(cd.status, 'suggested') END"
        where = f"WHERE {shown} = :status" if status else ""
        if segment_id is None:
            ids = f"""WITH ids AS (
                SELECT segment_id FROM theme_members WHERE run_id = :run AND theme_id IN ({themes})
                UNION
                SELECT segment_id FROM codings WHERE code_id = :code AND coder = :coder
                UNION
                SELECT segment_id FROM theme_members WHERE run_id = :run AND {moved}
                UNION
                SELECT segment_id FROM code_suggestions WHERE run_id = :srun AND code_id = :code
                    AND suggested = 1)"""
        else:  # one row, fresh after a decision: look it up by key, do not list them all
            ids = f"""WITH ids AS (SELECT :segment AS segment_id WHERE EXISTS (
                    SELECT 1 FROM theme_members WHERE run_id = :run AND segment_id = :segment
                    AND (theme_id IN ({themes}) OR {moved}))
                OR EXISTS (SELECT 1 FROM codings WHERE segment_id = :segment AND code_id = :code
                    AND coder = :coder)
                OR EXISTS (SELECT 1 FROM code_suggestions WHERE run_id = :srun
                    AND segment_id = :segment AND code_id = :code AND suggested = 1))"""
        source = f"""FROM ids JOIN segments s ON s.id = ids.segment_id {_SEGMENT_JOINS}
            LEFT JOIN codings cd ON cd.segment_id = s.id AND cd.code_id = :code
                AND cd.coder = :coder
            LEFT JOIN (SELECT segment_id, theme_id FROM theme_members WHERE run_id = :run
                AND {moved}) mv ON mv.segment_id = s.id
            {where}"""
        params = {"run": scope.run_id, "code": scope.code_id, "coder": coder, "status": status,
                  "segment": segment_id, "limit": limit, "offset": offset,
                  "srun": scope.suggestion_run}
        total = self.db.query(f"{ids} SELECT COUNT(*) {source}", params)[0][0]
        rows = self.db.query(f"""{ids} SELECT {_SEGMENT_COLUMNS}, {shown} AS status,
                (SELECT COALESCE(k.name, t.label) FROM themes t LEFT JOIN codes k
                 ON k.id = t.code_id AND k.status != 'deleted' WHERE t.id = mv.theme_id)
                AS moved_to {source}
            ORDER BY s.transcript_id, s.idx LIMIT :limit OFFSET :offset""", params)
        also = self._also(coder, [r["segment_id"] for r in rows], scope.code_id)
        return [_review_segment(r, also=also.get(r["segment_id"], ())) for r in rows], total

    def queue_page(self, run_id: int | None, coder: str, *, offset: int = 0, limit: int = 200,
                   segment_id: int | None = None
                   ) -> tuple[list[tuple[ReviewSegment, list[tuple[int, float]]]], int]:
        """A page of the unassigned queue, each segment with its nearest themes (id, cosine)."""
        where = "WHERE s.id = :segment" if segment_id is not None else ""
        params = {"run": run_id, "coder": coder, "segment": segment_id, "limit": limit,
                  "offset": offset}
        total = self.db.query(f"SELECT COUNT(*) FROM ({_QUEUE_IDS}) q "
                              f"JOIN segments s ON s.id = q.segment_id {where}", params)[0][0]
        rows = self.db.query(f"""
            SELECT {_SEGMENT_COLUMNS}, 'unassigned' AS status, q.nearest AS nearest
            FROM ({_QUEUE_IDS}) q JOIN segments s ON s.id = q.segment_id {_SEGMENT_JOINS}
            {where} ORDER BY s.transcript_id, s.idx LIMIT :limit OFFSET :offset""", params)
        return [(_review_segment(r), [(int(t), float(sim)) for t, sim in load_json(r["nearest"])])
                for r in rows], total

    def _also(self, coder: str, ids: Sequence[int],
              code_id: int | None) -> dict[int, tuple[str, ...]]:
        if not ids:
            return {}
        found: dict[int, list[str]] = defaultdict(list)
        for r in self.db.query(
                f"SELECT c.segment_id, k.name FROM codings c JOIN codes k ON k.id = c.code_id "
                f"WHERE c.segment_id IN ({','.join('?' * len(ids))}) AND c.coder = ? "
                f"AND c.status = 'confirmed' AND k.status != 'deleted' AND k.id IS NOT ? "
                f"ORDER BY k.id", (*ids, coder, code_id)):
            found[r["segment_id"]].append(r["name"])
        return {k: tuple(v) for k, v in found.items()}

    # search -------------------------------------------------------------------------------
    def search_page(self, run_id: int | None, coder: str, filters: SearchFilters, *,
                    offset: int = 0, limit: int = 200,
                    segment_id: int | None = None) -> tuple[list[ReviewSegment], int]:
        """Full-text search (every word, the last one as a prefix) with filters, in transcript
        order; each row names the entry the segment sits in now. ``segment_id`` looks up one
        segment instead, whatever the filters."""
        conditions, params = [], {"run": run_id, "coder": coder, "limit": limit, "offset": offset}
        if segment_id is not None:
            conditions.append("s.id = :segment")
            params["segment"] = segment_id
            filters = SearchFilters()
        match = self.fts_match(search_terms(filters.query))
        if match:
            conditions.append("s.id IN (SELECT rowid FROM segments_fts WHERE segments_fts "
                              "MATCH :match)")
            params["match"] = match
        for column, value in (("sp.role", filters.role), ("sp.label", filters.speaker),
                              ("tr.name", filters.transcript)):
            if value:
                name = f"p{len(params)}"
                conditions.append(f"{column} = :{name}")
                params[name] = value
        where = ("WHERE " + " AND ".join(conditions)) if conditions else ""
        confirmed_code = """(SELECT c.code_id FROM codings c JOIN codes k ON k.id = c.code_id
            WHERE c.segment_id = s.id AND c.coder = :coder AND c.status = 'confirmed'
            AND k.status != 'deleted' ORDER BY c.code_id LIMIT 1)"""
        inner = f"""
            SELECT {_SEGMENT_COLUMNS}, s.transcript_id AS tid, s.idx AS idx, s.excluded AS excluded,
                   {confirmed_code} AS confirmed_code, t.id AS theme_id, t.code_id AS theme_code
            FROM segments s {_SEGMENT_JOINS}
            LEFT JOIN theme_members m ON m.run_id = :run AND m.segment_id = s.id
            LEFT JOIN themes t ON t.id = m.theme_id AND t.status = 'active'
            {where}"""
        status_sql = """CASE
            WHEN excluded IS NOT NULL THEN 'excluded'
            WHEN confirmed_code IS NOT NULL THEN 'confirmed'
            WHEN theme_code IS NOT NULL AND EXISTS (SELECT 1 FROM codings c WHERE
                c.segment_id = x.segment_id AND c.code_id = theme_code AND c.coder = :coder
                AND c.status = 'rejected') THEN 'rejected'
            WHEN theme_id IS NOT NULL THEN 'suggested'
            ELSE 'unassigned' END"""
        outer = f"SELECT x.*, {status_sql} AS status FROM ({inner}) x"
        status_where = ""
        if filters.status:
            status_where = "WHERE y.status = :status"
            params["status"] = filters.status
        total = self.db.query(f"SELECT COUNT(*) FROM ({outer}) y {status_where}", params)[0][0]
        rows = self.db.query(f"SELECT * FROM ({outer}) y {status_where} ORDER BY tid, idx "
                             f"LIMIT :limit OFFSET :offset", params)
        return [_review_segment(r, entry_key=_entry_key_of(r)) for r in rows], total

    def fts_match(self, terms: Sequence[SearchTerm]) -> str:
        """An FTS5 query finding every term: a word at the start of a word or, from three
        letters on, inside one (the indexed words containing it, read from the index's
        vocabulary: "trust" finds "mistrust"); a quoted term as whole words in order."""
        parts = []
        for term in terms:
            if term.exact:
                parts.append('"' + " ".join(term.words) + '"')
                continue
            word = term.words[0]
            inside = []
            if len(word) >= SUBSTRING_MIN:
                inside = [r[0] for r in self.db.query(
                    "SELECT term FROM segments_vocab WHERE instr(term, ?) > 1 ORDER BY term "
                    f"LIMIT {MAX_INSIDE}", (_folded(word),))]
            parts.append("(" + " OR ".join([f'"{word}"*', *(f'"{t}"' for t in inside)]) + ")")
        return " AND ".join(parts)

    def filter_options(self) -> FilterOptions:
        roles = tuple(r[0] for r in self.db.query(
            "SELECT DISTINCT role FROM speakers ORDER BY role"))
        speakers = tuple((r["label"], r["name"]) for r in self.db.query(
            "SELECT label, COALESCE(pseudonym, label) AS name FROM speakers ORDER BY name"))
        transcripts = tuple(r[0] for r in self.db.query("SELECT name FROM transcripts ORDER BY id"))
        return FilterOptions(roles=roles, speakers=speakers, transcripts=transcripts)

    # context ------------------------------------------------------------------------------
    def context(self, segment_id: int, *, before: int = 2, after: int = 1) -> list[ContextTurn]:
        """The segment's turn with ``before`` and ``after`` turns around it, and the last
        moderator prompt before it however far back it is."""
        found = self.db.query("SELECT s.transcript_id, s.start_char, s.end_char, tu.idx, "
                              "tu.start_char AS turn_start FROM segments s JOIN turns tu ON "
                              "tu.id = s.turn_id WHERE s.id = ?", (segment_id,))
        if not found:
            return []
        seg = found[0]
        rows = self.db.query("""
            SELECT tu.idx, tu.start_char, tu.start_time, sp.role,
                   COALESCE(sp.pseudonym, sp.label) AS name,
                   substr(tr.text, tu.start_char + 1, tu.end_char - tu.start_char) AS text
            FROM turns tu JOIN speakers sp ON sp.id = tu.speaker_id
            JOIN transcripts tr ON tr.id = tu.transcript_id
            WHERE tu.transcript_id = :tid AND (tu.idx BETWEEN :lo AND :hi OR tu.idx = (
                SELECT MAX(t2.idx) FROM turns t2 JOIN speakers s2 ON s2.id = t2.speaker_id
                WHERE t2.transcript_id = :tid AND t2.idx < :cur AND s2.role = :moderator))
            ORDER BY tu.idx""", {"tid": seg["transcript_id"], "lo": seg["idx"] - before,
                                 "hi": seg["idx"] + after, "cur": seg["idx"],
                                 "moderator": MODERATOR_ROLE})
        turns = []
        for r in rows:
            current = r["idx"] == seg["idx"]
            span = (seg["start_char"] - r["start_char"], seg["end_char"] - r["start_char"]) \
                if current else None
            turns.append(ContextTurn(turn_index=r["idx"], speaker_name=r["name"], role=r["role"],
                                     text=r["text"], start_time=r["start_time"],
                                     is_current=current, span=span))
        return turns

    # quotes -------------------------------------------------------------------------------
    def quotes(self, code_id: int | None = None) -> list[Quote]:
        """Active quotes of live codes: one code's in its order, or every code's (by code, starred
        first)."""
        where, order, params = "", "q.code_id, q.starred DESC, q.position, q.id", ()
        if code_id is not None:
            where, order, params = "AND q.code_id = ?", "q.position, q.id", (code_id,)
        rows = self.db.query(f"""
            SELECT q.*, substr(tr.text, q.start_char + 1, q.end_char - q.start_char) AS text,
                   COALESCE(sp.pseudonym, sp.label) AS name, sp.role, tr.name AS transcript
            FROM quotes q JOIN codes k ON k.id = q.code_id JOIN segments s ON s.id = q.segment_id
            JOIN turns tu ON tu.id = s.turn_id JOIN speakers sp ON sp.id = tu.speaker_id
            JOIN transcripts tr ON tr.id = s.transcript_id
            WHERE q.status = 'active' AND k.status != 'deleted' {where}
            ORDER BY {order}""", params)
        return [Quote(id=r["id"], code_id=r["code_id"], segment_id=r["segment_id"],
                      start=r["start_char"], end=r["end_char"], text=r["text"],
                      position=r["position"], starred=bool(r["starred"]), source=r["source"],
                      speaker_name=r["name"], role=r["role"], transcript=r["transcript"],
                      coder=r["coder"])
                for r in rows]

    def quote_ids(self, code_id: int) -> list[int]:
        """Every quote of a code in any state (for merges)."""
        return [r[0] for r in self.db.query("SELECT id FROM quotes WHERE code_id = ?", (code_id,))]

    def segment_span(self, segment_id: int) -> tuple[int, int] | None:
        rows = self.db.query("SELECT start_char, end_char FROM segments WHERE id = ?",
                             (segment_id,))
        return (rows[0][0], rows[0][1]) if rows else None


def _folded(word: str) -> str:
    """As the word index stores words: lower case, without diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _role_counts(rows: Any) -> dict[str, RoleCounts]:
    n: dict[str, dict[str, int]] = defaultdict(dict)
    speakers: dict[str, dict[str, int]] = defaultdict(dict)
    confirmed: dict[str, int] = defaultdict(int)
    rejected: dict[str, int] = defaultdict(int)
    by_codebook: dict[str, int] = defaultdict(int)
    for key, r in rows:
        if r["n"]:
            n[key][r["role"]] = n[key].get(r["role"], 0) + r["n"]
            speakers[key][r["role"]] = speakers[key].get(r["role"], 0) + r["n_speakers"]
        confirmed[key] += r["n_confirmed"] or 0
        rejected[key] += r["n_rejected"] or 0
        by_codebook[key] += r["n_by_codebook"] or 0
    keys = set(n) | set(confirmed)
    return {k: RoleCounts(n_segments=dict(sorted(n[k].items())),
                          n_speakers=dict(sorted(speakers[k].items())),
                          n_confirmed=confirmed[k], n_rejected=rejected[k],
                          n_by_codebook=by_codebook[k]) for k in keys}


def _entry_key_of(row: Any) -> str | None:
    if row["excluded"] is not None:
        return None
    if row["confirmed_code"] is not None:
        return code_key(row["confirmed_code"])
    if row["theme_code"] is not None:
        return code_key(row["theme_code"])
    if row["theme_id"] is not None:
        return theme_key(row["theme_id"])
    return UNASSIGNED


def _review_segment(row: Any, *, also: tuple[str, ...] = (),
                    entry_key: str | None = None) -> ReviewSegment:
    return ReviewSegment(segment_id=row["segment_id"], transcript=row["transcript"],
                         turn_index=row["turn_index"], speaker=row["speaker"],
                         speaker_name=row["speaker_name"], role=row["role"],
                         start_time=row["start_time"], start_char=row["start_char"],
                         end_char=row["end_char"], text=row["text"], status=row["status"],
                         entry_key=entry_key, also=also, moved_to=_moved_to(row, also))


def _moved_to(row: Any, also: tuple[str, ...]) -> str:
    """Where a segment shown as moved went: the entry of its theme now, else its code."""
    if row["status"] != "moved":
        return ""
    return row["moved_to"] or (also[0] if also else "(unassigned)")
