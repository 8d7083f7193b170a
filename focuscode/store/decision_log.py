"""The append-only decision log and the coding state derived from it.

A decision is a list of *changes*, each with its state before and after; applying a decision
checks that every ``before`` still holds (so two processes cannot silently overwrite each
other), updates the current-state tables and appends the decision, all in one transaction.
Undo and redo append compensating decisions: nothing is ever deleted from the log. Each coder
undoes and redoes their own decisions only (see ``undo_stacks``).

Changes are the frozen classes of ``domain.changes`` (coding, code field, theme link, theme
status, membership, quote field, run status), each applied by its one handler below; the log
stores their JSON form.

Rows a decision brings into being (codes, quotes, split themes) are inserted in the decision's
transaction in an inert state (deleted / removed / pending) and made live by a change, so undoing
the decision hides them again and nothing is ever deleted.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Callable, Mapping, Sequence

from focuscode.domain import Code, Coding, CodingStatus, Decision, DecisionError
from focuscode.domain.changes import (
    Change,
    CodeChange,
    CodingChange,
    MembershipChange,
    QuoteChange,
    RunStatusChange,
    ThemeLinkChange,
    ThemeStatusChange,
    change_from_json,
)
from focuscode.domain.model import GROUP_SOURCE
from focuscode.store.database import Database, load_json, utc_now
from focuscode.store.log_check import CODE_FIELDS as CHANGEABLE_CODE_FIELDS
from focuscode.store.log_check import check_log
from focuscode.store.undo_stacks import Stacks, built_on_by, coder_stacks

CODE_FIELDS = set(CHANGEABLE_CODE_FIELDS)
QUOTE_FIELDS = {"status", "starred", "position", "code_id"}
MEMBERSHIP_FIELDS = {"theme_id", "moved_from"}


class DecisionLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    # writing ------------------------------------------------------------------------------
    def record(self, action: str, changes: Sequence[Change | Mapping[str, Any]], *, coder: str,
               summary: str = "", extra: Mapping[str, Any] | None = None,
               undoes: int | None = None) -> int:
        """Apply ``changes`` and append the decision; returns its id."""
        if not changes:
            raise DecisionError("nothing to change")
        changes = [change_from_json(c) for c in changes]
        payload = {"summary": summary, "changes": [c.to_json() for c in changes],
                   **(extra or {})}
        with self.db.atomic() as db:
            cursor = db.execute("INSERT INTO decisions (created_at, coder, action, payload, "
                                "undoes) VALUES (?, ?, ?, ?, ?)",
                                (utc_now(), coder, action, json.dumps(payload), undoes))
            decision_id = int(cursor.lastrowid)
            for change in changes:
                _apply(db, change, decision_id)
        return decision_id

    def new_code_row(self, code: Code) -> int:
        """Insert a code born deleted; a decision's ``code`` status change brings it to life."""
        with self.db.atomic() as db:
            parent_id = None
            if code.parent:
                row = db.execute("SELECT id FROM codes WHERE name = ? AND status != 'deleted'",
                                 (code.parent,)).fetchone()
                parent_id = row["id"] if row else None
            cursor = db.execute(
                "INSERT INTO codes (name, definition, include_notes, exclude_notes, examples, "
                "parent_id, color, memo, source, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'deleted', ?)",
                (code.name, code.definition, code.include, code.exclude,
                 json.dumps(list(code.examples)), parent_id, code.color, code.memo, code.source,
                 utc_now()))
            return int(cursor.lastrowid)

    def new_quote_row(self, code_id: int, segment_id: int, start: int, end: int, *,
                      coder: str, source: str = "manual") -> int:
        """Insert a quote born removed, placed last; a ``quote`` status change makes it active."""
        with self.db.atomic() as db:
            position = db.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM quotes "
                                  "WHERE code_id = ?", (code_id,)).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO quotes (code_id, segment_id, start_char, end_char, status, starred, "
                "position, source, coder, created_at) "
                "VALUES (?, ?, ?, ?, 'removed', 0, ?, ?, ?, ?)",
                (code_id, segment_id, start, end, position, source, coder, utc_now()))
            return int(cursor.lastrowid)

    def new_theme_row(self, run_id: int, *, label: str, keywords: Sequence[str],
                      exemplar_ids: Sequence[int], size: int, parent_id: int) -> int:
        """Insert a theme born pending (numbered after the run's others); a ``theme_status``
        change puts it in effect."""
        with self.db.atomic() as db:
            number = db.execute("SELECT COALESCE(MAX(number), -1) + 1 FROM themes WHERE "
                                "run_id = ?", (run_id,)).fetchone()[0]
            cursor = db.execute(
                "INSERT INTO themes (run_id, number, label, keywords, exemplar_ids, size, code_id, "
                "status, parent_id, group_id) VALUES (?, ?, ?, ?, ?, ?, NULL, 'pending', ?, "
                "(SELECT group_id FROM themes WHERE id = ?))",  # a split stays in its group
                (run_id, number, label, json.dumps(list(keywords)), json.dumps(list(exemplar_ids)),
                 size, parent_id, parent_id))
            return int(cursor.lastrowid)

    def create_code(self, code: Code, *, coder: str, summary: str = "",
                    extra_changes: Sequence[Change | Mapping[str, Any]] = ()) -> int:
        """Insert a code (born deleted) and record its acceptance, so undo can hide it again."""
        with self.db.atomic():
            code_id = self.new_code_row(code)
            extra = [change_from_json(c).with_new_code(code_id) for c in extra_changes]
            self.record("create_code", [
                CodeChange(code_id=code_id, field="status", before="deleted",
                           after=code.status), *extra],
                coder=coder, summary=summary or f"created code '{code.name}'",
                extra={"code": {"id": code_id, "name": code.name, "source": code.source}})
        return code_id

    def undo(self, *, coder: str, reveal: bool = True) -> int | None:
        """Undo ``coder``'s latest decision still in effect; None when they have nothing to
        undo. Refused (one line why) when another coder has since built on it; ``reveal``
        False (blind mode) leaves the other coder's name out of that line."""
        with self.db.atomic():
            done = self._stacks(coder).done
            if not done:
                return None
            target = self.decision(done[-1])
            summary = target.payload.get("summary", target.action)
            other = built_on_by(self.db, target.id, coder)
            if other is not None:
                who = other if reveal else "another coder"
                raise DecisionError(f"cannot undo '{summary}': {who} has since made a decision "
                                    "that builds on it", hint="ask them to undo theirs first")
            return self.record("undo", _inverse(target.payload["changes"]), coder=coder,
                               summary=f"undo: {summary}", undoes=target.id)

    def redo(self, *, coder: str) -> int | None:
        """Redo what ``coder`` undid last; None when they have nothing to redo."""
        with self.db.atomic():
            redo = self._stacks(coder).redo
            if not redo:
                return None
            target = self.decision(redo[-1])
            return self.record("redo", _inverse(target.payload["changes"]), coder=coder,
                               summary=target.payload.get("summary", "").removeprefix("undo: "),
                               undoes=target.id)

    def can_undo(self, coder: str) -> bool:
        return bool(self._stacks(coder).done)

    def can_redo(self, coder: str) -> bool:
        return bool(self._stacks(coder).redo)

    def last_undoable(self, coder: str) -> int | None:
        """The id of the decision ``coder``'s next undo would reverse."""
        done = self._stacks(coder).done
        return done[-1] if done else None

    def _stacks(self, coder: str) -> Stacks:
        return coder_stacks(self.db).get(coder, Stacks([], []))

    def verify(self) -> list[str]:
        """Replay the log against the state tables: one line per problem, none when the
        current state is exactly what the logged decisions made (see ``store.log_check``)."""
        with self.db.atomic() as conn:  # one consistent snapshot
            return check_log(conn)

    # reading ------------------------------------------------------------------------------
    def decision(self, decision_id: int) -> Decision:
        rows = self.db.query("SELECT * FROM decisions WHERE id = ?", (decision_id,))
        if not rows:
            raise DecisionError(f"no decision {decision_id}")
        return _decision(rows[0])

    def last_id(self) -> int | None:
        """The id of the log's latest entry (None: no decision yet): it changes with every
        decision of any process, so a screen can tell that the project changed."""
        return self.db.query("SELECT MAX(id) FROM decisions")[0][0]

    def history(self, limit: int | None = None) -> list[Decision]:
        sql = "SELECT * FROM decisions ORDER BY id DESC"
        rows = self.db.query(sql + (f" LIMIT {int(limit)}" if limit else ""))
        return [_decision(row) for row in rows]

    def codings(self, *, code_id: int | None = None, coder: str | None = None) -> list[Coding]:
        sql, params = "SELECT * FROM codings WHERE 1 = 1", []
        if code_id is not None:
            sql += " AND code_id = ?"
            params.append(code_id)
        if coder is not None:
            sql += " AND coder = ?"
            params.append(coder)
        return [Coding(segment_id=r["segment_id"], code_id=r["code_id"],
                       status=CodingStatus(r["status"]), coder=r["coder"],
                       decision_id=r["decision_id"])
                for r in self.db.query(sql + " ORDER BY segment_id", tuple(params))]

    def coding_status(self, segment_id: int, code_id: int, coder: str) -> str | None:
        rows = self.db.query("SELECT status FROM codings WHERE segment_id = ? AND code_id = ? "
                             "AND coder = ?", (segment_id, code_id, coder))
        return rows[0]["status"] if rows else None

    def codes(self, *, include_deleted: bool = False) -> list[Code]:
        sql = ("SELECT c.*, p.name AS parent_name FROM codes c "
               "LEFT JOIN codes p ON p.id = c.parent_id")
        if not include_deleted:
            sql += " WHERE c.status != 'deleted'"
        return [_code(row) for row in self.db.query(sql + " ORDER BY c.id")]

    def code(self, code_id: int) -> Code:
        rows = self.db.query("SELECT c.*, p.name AS parent_name FROM codes c "
                             "LEFT JOIN codes p ON p.id = c.parent_id WHERE c.id = ?", (code_id,))
        if not rows:
            raise DecisionError(f"no code {code_id}")
        return _code(rows[0])

    def code_tree(self) -> dict[int, tuple[str, int | None]]:
        """Every code row (deleted ones too): id -> (name, parent id)."""
        return {int(row["id"]): (row["name"], row["parent_id"])
                for row in self.db.query("SELECT id, name, parent_id FROM codes")}

    def code_field(self, code_id: int, field: str) -> Any:
        _check_field(field)
        rows = self.db.query(f"SELECT {field} FROM codes WHERE id = ?", (code_id,))
        if not rows:
            raise DecisionError(f"no code {code_id}")
        return rows[0][0]


def _check_codable(db: sqlite3.Connection, code_id: int) -> None:
    row = db.execute("SELECT name, source FROM codes WHERE id = ?", (code_id,)).fetchone()
    if row is not None and row["source"] == GROUP_SOURCE:
        raise DecisionError(f"'{row['name']}' is a category that groups codes; it is not applied "
                            "to segments", hint="code with one of the codes under it")


def _apply(db: sqlite3.Connection, change: Change, decision_id: int) -> None:
    _HANDLERS[type(change)](db, change, decision_id)


def _apply_coding(db: sqlite3.Connection, change: CodingChange, decision_id: int) -> None:
    key = (change.segment_id, change.code_id, change.coder)
    row = db.execute("SELECT status FROM codings WHERE segment_id = ? AND code_id = ? AND "
                     "coder = ?", key).fetchone()
    _check_before(row["status"] if row else None, change)
    if change.after == "confirmed":
        _check_codable(db, change.code_id)
    if change.after is None:
        db.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ?", key)
    else:
        db.execute("INSERT INTO codings (segment_id, code_id, coder, status, decision_id, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                   "status = excluded.status, decision_id = excluded.decision_id, "
                   "updated_at = excluded.updated_at",
                   (*key, change.after, decision_id, utc_now()))


def _set_field(db: sqlite3.Connection, change: Change, table: str, column: str,
               where: str, key: tuple, missing: str) -> None:
    """Check a column's ``before`` and set its ``after`` (one row, by ``where``)."""
    row = db.execute(f"SELECT {column} FROM {table} WHERE {where}", key).fetchone()
    if row is None:
        raise DecisionError(missing)
    _check_before(row[0], change)
    db.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", (change.after, *key))


def _apply_code(db: sqlite3.Connection, change: CodeChange, _: int) -> None:
    _check_field(change.field)
    _set_field(db, change, "codes", change.field, "id = ?", (change.code_id,),
               f"no code {change.code_id}")


def _apply_theme_link(db: sqlite3.Connection, change: ThemeLinkChange, _: int) -> None:
    _set_field(db, change, "themes", "code_id", "id = ?", (change.theme_id,),
               f"no theme {change.theme_id}")


def _apply_theme_status(db: sqlite3.Connection, change: ThemeStatusChange, _: int) -> None:
    _set_field(db, change, "themes", "status", "id = ?", (change.theme_id,),
               f"no theme {change.theme_id}")


def _apply_membership(db: sqlite3.Connection, change: MembershipChange, _: int) -> None:
    if change.field not in MEMBERSHIP_FIELDS:
        raise DecisionError(f"memberships have no field {change.field!r}")
    _set_field(db, change, "theme_members", change.field, "run_id = ? AND segment_id = ?",
               (change.run_id, change.segment_id),
               f"segment {change.segment_id} is not in run {change.run_id}")


def _apply_quote(db: sqlite3.Connection, change: QuoteChange, _: int) -> None:
    if change.field not in QUOTE_FIELDS:
        raise DecisionError(f"quotes have no field {change.field!r}")
    _set_field(db, change, "quotes", change.field, "id = ?", (change.quote_id,),
               f"no quote {change.quote_id}")


def _apply_run_status(db: sqlite3.Connection, change: RunStatusChange, _: int) -> None:
    _set_field(db, change, "analysis_runs", "status", "id = ?", (change.run_id,),
               f"no analysis run {change.run_id}")


_HANDLERS: dict[type, Callable[[sqlite3.Connection, Any, int], None]] = {
    CodingChange: _apply_coding, CodeChange: _apply_code, ThemeLinkChange: _apply_theme_link,
    ThemeStatusChange: _apply_theme_status, MembershipChange: _apply_membership,
    QuoteChange: _apply_quote, RunStatusChange: _apply_run_status}


def _check_before(current: Any, change: Change) -> None:
    if current != change.before:
        raise DecisionError("the project changed since this was shown (another window or coder "
                            "edited it)", hint="reload and decide again")


def _check_field(field: str) -> None:
    if field not in CODE_FIELDS:
        raise DecisionError(f"codes have no field {field!r}")


def _inverse(changes: Sequence[Mapping[str, Any]]) -> list[Change]:
    return [change_from_json(change).inverse() for change in reversed(changes)]


def _decision(row: Any) -> Decision:
    return Decision(id=row["id"], created_at=row["created_at"], coder=row["coder"],
                    action=row["action"], payload=load_json(row["payload"]), undoes=row["undoes"])


def _code(row: Any) -> Code:
    return Code(id=row["id"], name=row["name"], definition=row["definition"],
                include=row["include_notes"], exclude=row["exclude_notes"],
                examples=tuple(load_json(row["examples"])), parent=row["parent_name"],
                color=row["color"], memo=row["memo"], source=row["source"], status=row["status"],
                keywords=tuple(load_json(row["keywords"], None) or ()))
