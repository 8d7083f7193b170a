"""The append-only decision log and the coding state derived from it.

A decision is a list of *changes*, each with its state before and after; applying a decision
checks that every ``before`` still holds (so two processes cannot silently overwrite each
other), updates the current-state tables and appends the decision, all in one transaction.
Undo and redo append compensating decisions: nothing is ever deleted from the log.

Change kinds::

    {"kind": "coding", "segment_id", "code_id", "coder",
     "before", "after"}                                                  # None|confirmed|rejected
    {"kind": "code", "code_id", "field", "before", "after"}                   # a field of codes
    {"kind": "theme_link", "theme_id", "before", "after"}                     # themes.code_id
    {"kind": "theme_status", "theme_id", "before", "after"}   # active | pending | split | deleted
    {"kind": "membership", "run_id", "segment_id", "before", "after"}   # theme_members.theme_id
    {"kind": "quote", "quote_id", "field", "before", "after"}                 # a field of quotes

Rows a decision brings into being (codes, quotes, split themes) are inserted in the decision's
transaction in an inert state (deleted / removed / pending) and made live by a change, so undoing
the decision hides them again and nothing is ever deleted.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Mapping, Sequence

from focuscode.domain import Code, Coding, CodingStatus, Decision, DecisionError
from focuscode.store.database import Database, utc_now

NEW_CODE = "__new_code__"  # in create_code's extra changes: the id of the code being created
CODE_FIELDS = {"name", "definition", "include_notes", "exclude_notes", "examples", "parent_id",
               "color", "memo", "status", "source"}
QUOTE_FIELDS = {"status", "starred", "position", "code_id"}
Change = Mapping[str, Any]


class DecisionLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    # writing ------------------------------------------------------------------------------
    def record(self, action: str, changes: Sequence[Change], *, coder: str,
               summary: str = "", extra: Mapping[str, Any] | None = None,
               undoes: int | None = None) -> int:
        """Apply ``changes`` and append the decision; returns its id."""
        if not changes:
            raise DecisionError("nothing to change")
        payload = {"summary": summary, "changes": [dict(c) for c in changes], **(extra or {})}
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
                    extra_changes: Sequence[Change] = ()) -> int:
        """Insert a code (born deleted) and record its acceptance, so undo can hide it again."""
        with self.db.atomic():
            code_id = self.new_code_row(code)
            extra = [{key: code_id if value == NEW_CODE else value for key, value in c.items()}
                     for c in extra_changes]
            self.record("create_code", [
                {"kind": "code", "code_id": code_id, "field": "status", "before": "deleted",
                 "after": code.status}, *extra],
                coder=coder, summary=summary or f"created code '{code.name}'",
                extra={"code": {"id": code_id, "name": code.name, "source": code.source}})
        return code_id

    def undo(self, *, coder: str) -> int | None:
        """Undo the latest decision still in effect; None when there is nothing to undo."""
        with self.db.atomic():
            done, _ = self._stacks()
            if not done:
                return None
            target = self.decision(done[-1])
            return self.record("undo", _inverse(target.payload["changes"]), coder=coder,
                               summary=f"undo: {target.payload.get('summary', target.action)}",
                               undoes=target.id)

    def redo(self, *, coder: str) -> int | None:
        with self.db.atomic():
            _, redo = self._stacks()
            if not redo:
                return None
            target = self.decision(redo[-1])
            return self.record("redo", _inverse(target.payload["changes"]), coder=coder,
                               summary=target.payload.get("summary", "").removeprefix("undo: "),
                               undoes=target.id)

    def can_undo(self) -> bool:
        return bool(self._stacks()[0])

    def can_redo(self) -> bool:
        return bool(self._stacks()[1])

    def _stacks(self) -> tuple[list[int], list[int]]:
        done: list[int] = []
        redo: list[int] = []
        for row in self.db.query("SELECT id, action, undoes FROM decisions ORDER BY id"):
            if row["action"] == "undo":
                if done and done[-1] == row["undoes"]:
                    done.pop()
                redo.append(row["id"])
            elif row["action"] == "redo":
                if redo and redo[-1] == row["undoes"]:
                    redo.pop()
                done.append(row["id"])
            else:
                done.append(row["id"])
                redo.clear()
        return done, redo

    # reading ------------------------------------------------------------------------------
    def decision(self, decision_id: int) -> Decision:
        rows = self.db.query("SELECT * FROM decisions WHERE id = ?", (decision_id,))
        if not rows:
            raise DecisionError(f"no decision {decision_id}")
        return _decision(rows[0])

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

    def code_field(self, code_id: int, field: str) -> Any:
        _check_field(field)
        rows = self.db.query(f"SELECT {field} FROM codes WHERE id = ?", (code_id,))
        if not rows:
            raise DecisionError(f"no code {code_id}")
        return rows[0][0]


def _apply(db: sqlite3.Connection, change: Change, decision_id: int) -> None:
    kind = change["kind"]
    if kind == "coding":
        key = (change["segment_id"], change["code_id"], change["coder"])
        row = db.execute("SELECT status FROM codings WHERE segment_id = ? AND code_id = ? AND "
                         "coder = ?", key).fetchone()
        _check_before(row["status"] if row else None, change)
        if change["after"] is None:
            db.execute("DELETE FROM codings WHERE segment_id = ? AND code_id = ? AND coder = ?",
                       key)
        else:
            db.execute("INSERT INTO codings (segment_id, code_id, coder, status, decision_id, "
                       "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                       "status = excluded.status, decision_id = excluded.decision_id, "
                       "updated_at = excluded.updated_at",
                       (*key, change["after"], decision_id, utc_now()))
    elif kind == "code":
        field = change["field"]
        _check_field(field)
        row = db.execute(f"SELECT {field} FROM codes WHERE id = ?", (change["code_id"],)).fetchone()
        if row is None:
            raise DecisionError(f"no code {change['code_id']}")
        _check_before(row[0], change)
        db.execute(f"UPDATE codes SET {field} = ? WHERE id = ?",
                   (change["after"], change["code_id"]))
    elif kind == "theme_link":
        row = db.execute("SELECT code_id FROM themes WHERE id = ?",
                         (change["theme_id"],)).fetchone()
        if row is None:
            raise DecisionError(f"no theme {change['theme_id']}")
        _check_before(row[0], change)
        db.execute("UPDATE themes SET code_id = ? WHERE id = ?",
                   (change["after"], change["theme_id"]))
    elif kind == "theme_status":
        row = db.execute("SELECT status FROM themes WHERE id = ?", (change["theme_id"],)).fetchone()
        if row is None:
            raise DecisionError(f"no theme {change['theme_id']}")
        _check_before(row[0], change)
        db.execute("UPDATE themes SET status = ? WHERE id = ?",
                   (change["after"], change["theme_id"]))
    elif kind == "membership":
        key = (change["run_id"], change["segment_id"])
        row = db.execute("SELECT theme_id FROM theme_members WHERE run_id = ? AND segment_id = ?",
                         key).fetchone()
        if row is None:
            raise DecisionError(f"segment {change['segment_id']} is not in run {change['run_id']}")
        _check_before(row[0], change)
        db.execute("UPDATE theme_members SET theme_id = ? WHERE run_id = ? AND segment_id = ?",
                   (change["after"], *key))
    elif kind == "quote":
        field = change["field"]
        if field not in QUOTE_FIELDS:
            raise DecisionError(f"quotes have no field {field!r}")
        row = db.execute(f"SELECT {field} FROM quotes WHERE id = ?",
                         (change["quote_id"],)).fetchone()
        if row is None:
            raise DecisionError(f"no quote {change['quote_id']}")
        _check_before(row[0], change)
        db.execute(f"UPDATE quotes SET {field} = ? WHERE id = ?",
                   (change["after"], change["quote_id"]))
    else:
        raise DecisionError(f"unknown change kind {kind!r}")


def _check_before(current: Any, change: Change) -> None:
    if current != change["before"]:
        raise DecisionError("the project changed since this was shown (another window or coder "
                            "edited it)", hint="reload and decide again")


def _check_field(field: str) -> None:
    if field not in CODE_FIELDS:
        raise DecisionError(f"codes have no field {field!r}")


def _inverse(changes: Sequence[Change]) -> list[dict[str, Any]]:
    return [{**change, "before": change["after"], "after": change["before"]}
            for change in reversed(changes)]


def _decision(row: Any) -> Decision:
    return Decision(id=row["id"], created_at=row["created_at"], coder=row["coder"],
                    action=row["action"], payload=json.loads(row["payload"]), undoes=row["undoes"])


def _code(row: Any) -> Code:
    return Code(id=row["id"], name=row["name"], definition=row["definition"],
                include=row["include_notes"], exclude=row["exclude_notes"],
                examples=tuple(json.loads(row["examples"])), parent=row["parent_name"],
                color=row["color"], memo=row["memo"], source=row["source"], status=row["status"])
