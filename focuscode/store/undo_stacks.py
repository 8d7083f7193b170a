"""Per-coder undo: each coder's stack of decisions in effect, and what another coder built on.

A coder's undo and redo walk that coder's own decisions only. Undoing one is refused when a
decision of another coder, still in effect and made later, depends on what it changed: a code
it created or whose field it set that the other coder then decided on, a theme or membership
the other coder changed again, an analysis run the other coder worked in. Each change has a
*footprint*: the keys it writes and the keys it reads (depends on); ``marks`` are writes that
only matter to readers (a change inside a run marks the run, which a later re-analysis reads).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from focuscode.store.database import Database

Key = tuple[Any, ...]


@dataclass
class Footprint:
    writes: set[Key] = field(default_factory=set)
    reads: set[Key] = field(default_factory=set)
    marks: set[Key] = field(default_factory=set)

    def depends_on(self, earlier: "Footprint") -> bool:
        """Whether this (later) footprint builds on ``earlier``."""
        return bool(earlier.writes & (self.writes | self.reads) or earlier.marks & self.reads)


@dataclass(frozen=True)
class Stacks:
    """One coder's undo stack (oldest first) and redo stack (next redo last)."""

    done: list[int]
    redo: list[int]


def coder_stacks(db: Database) -> dict[str, Stacks]:
    """Every coder's stacks, from the log: undo and redo entries point at what they reverse."""
    stacks: dict[str, Stacks] = {}
    for row in db.query("SELECT id, coder, action, undoes FROM decisions ORDER BY id"):
        own = stacks.setdefault(row["coder"], Stacks([], []))
        if row["action"] == "undo":
            if own.done and own.done[-1] == row["undoes"]:
                own.done.pop()
            own.redo.append(row["id"])
        elif row["action"] == "redo":
            if own.redo and own.redo[-1] == row["undoes"]:
                own.redo.pop()
            own.done.append(row["id"])
        else:
            own.done.append(row["id"])
            own.redo.clear()
    return stacks


def built_on_by(db: Database, target_id: int, coder: str) -> str | None:
    """The coder (not ``coder``) whose later decision in effect depends on decision
    ``target_id``, or None when nobody else built on it."""
    stacks = coder_stacks(db)
    in_effect = {i for who, s in stacks.items() if who != coder for i in s.done if i > target_id}
    if not in_effect:
        return None
    theme_runs = {r[0]: r[1] for r in db.query("SELECT id, run_id FROM themes")}
    target = footprint(_changes(db, target_id), theme_runs)
    rows = db.query(f"SELECT id, coder, payload FROM decisions WHERE id IN "
                    f"({','.join(str(i) for i in sorted(in_effect))}) ORDER BY id")
    for row in rows:
        changes = json.loads(row["payload"]).get("changes", [])
        if footprint(changes, theme_runs).depends_on(target):
            return str(row["coder"])
    return None


def _changes(db: Database, decision_id: int) -> list[Mapping[str, Any]]:
    rows = db.query("SELECT payload FROM decisions WHERE id = ?", (decision_id,))
    return json.loads(rows[0]["payload"]).get("changes", []) if rows else []


def footprint(changes: Iterable[Mapping[str, Any]], theme_runs: Mapping[int, int]) -> Footprint:
    result = Footprint()
    for change in changes:
        kind = change.get("kind")
        if kind == "coding":
            result.writes.add(("coding", change["segment_id"], change["code_id"], change["coder"]))
            result.reads.add(("code", change["code_id"], "status"))
        elif kind == "code":
            result.writes.add(("code", change["code_id"], change["field"]))
        elif kind in ("theme_link", "theme_status"):
            result.writes.add((kind, change["theme_id"]))
            result.reads.add(("theme_status", change["theme_id"]))
            for code_id in (change["before"], change["after"]) if kind == "theme_link" else ():
                if code_id is not None:
                    result.reads.add(("code", code_id, "status"))
            _in_run(result, theme_runs.get(change["theme_id"]))
        elif kind == "membership":
            result.writes.add(("membership", change["run_id"], change["segment_id"],
                               change.get("field", "theme_id")))
            for theme_id in (change["before"], change["after"]):
                if theme_id is not None:
                    result.reads.add(("theme_status", theme_id))
            _in_run(result, change["run_id"])
        elif kind == "quote":
            result.writes.add(("quote", change["quote_id"], change["field"]))
            result.reads.add(("quote", change["quote_id"], "status"))
            if change["field"] == "code_id":
                result.reads |= {("code", c, "status") for c in (change["before"], change["after"])}
        elif kind == "run_status":
            result.writes.add(("run", change["run_id"]))
            if change.get("previous") is not None:
                result.reads.add(("run_content", change["previous"]))
    return result


def _in_run(result: Footprint, run_id: int | None) -> None:
    if run_id is not None:
        result.reads.add(("run", run_id))
        result.marks.add(("run_content", run_id))
