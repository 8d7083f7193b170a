"""Replay the decision log and check it against the state tables (``focuscode status --check``).

Every change of the log continues its key's chain: its ``before`` is what the previous change
of the same key left (or what the row is born with: codings none, codes deleted, quotes
removed), and the state tables hold what the last change left. Codings
no decision made, codes alive without a decision, and codings naming the wrong decision are
problems too. One line per problem; none when the project is consistent.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Mapping

from focuscode.domain import DecisionError
from focuscode.domain.changes import change_from_json

CODE_FIELDS = ("name", "definition", "include_notes", "exclude_notes", "examples", "parent_id",
               "color", "memo", "status", "source", "keywords")
QUOTE_FIELDS = ("status", "starred", "position", "code_id")
MAX_PROBLEMS = 50


def change_key(change: Mapping[str, Any]) -> tuple:
    """The piece of state a change (in its JSON form) sets."""
    return change_from_json(change).key


def current_values(conn: sqlite3.Connection) -> dict[tuple, Any]:
    """Every piece of state a change can set, as the tables hold it now."""
    values: dict[tuple, Any] = {}
    for row in conn.execute("SELECT segment_id, code_id, coder, status FROM codings"):
        values[("coding", row[0], row[1], row[2])] = row[3]
    for row in conn.execute(f"SELECT id, {', '.join(CODE_FIELDS)} FROM codes"):
        values.update({("code", row[0], name): row[i + 1] for i, name in enumerate(CODE_FIELDS)})
    for row in conn.execute("SELECT id, code_id, status FROM themes"):
        values[("theme_link", row[0])] = row[1]
        values[("theme_status", row[0])] = row[2]
    for row in conn.execute("SELECT run_id, segment_id, theme_id, moved_from FROM theme_members"):
        values[("membership", row[0], row[1], "theme_id")] = row[2]
        values[("membership", row[0], row[1], "moved_from")] = row[3]
    for row in conn.execute(f"SELECT id, {', '.join(QUOTE_FIELDS)} FROM quotes"):
        values.update({("quote", row[0], name): row[i + 1] for i, name in enumerate(QUOTE_FIELDS)})
    for row in conn.execute("SELECT id, status FROM analysis_runs"):
        values[("run_status", row[0])] = row[1]
    return values


def _born(key: tuple, change: Mapping[str, Any]) -> Any:
    """What the row held before the first change of ``key`` (its ``before`` when not known)."""
    if key[0] == "coding":
        return None
    if key[0] == "code" and key[2] == "status":
        return "deleted"
    if key[0] == "quote" and key[2] == "status":
        return "removed"
    return change["before"]


def check_log(conn: sqlite3.Connection) -> list[str]:
    """Problems found replaying the log over the state tables (empty: consistent)."""
    problems: list[str] = []
    now = current_values(conn)
    last: dict[tuple, Any] = {}
    coding_decision: dict[tuple, int] = {}
    for decision_id, payload in conn.execute("SELECT id, payload FROM decisions ORDER BY id"):
        try:
            changes = json.loads(payload)["changes"]
            keys = [change_key(change) for change in changes]
        except (DecisionError, KeyError, TypeError) as error:
            problems.append(f"decision {decision_id} cannot be read: {error}")
            continue
        for key, change in zip(keys, changes):
            expected = last[key] if key in last else _born(key, change)
            if change["before"] != expected:
                problems.append(f"decision {decision_id} changed {_name(key)} from "
                                f"{change['before']!r}, but the log left it {expected!r}")
            last[key] = change["after"]
            if key[0] == "coding":
                coding_decision[key] = decision_id
    for key, value in last.items():
        if now.get(key) != value:
            problems.append(f"{_name(key)} is {now.get(key)!r}, but the decision log says "
                            f"{value!r}")
    for segment_id, code_id, coder, decision_id in conn.execute(
            "SELECT segment_id, code_id, coder, decision_id FROM codings"):
        key = ("coding", segment_id, code_id, coder)
        if key not in coding_decision:
            problems.append(f"{_name(key)}: no decision made it")
        elif decision_id != coding_decision[key]:
            problems.append(f"{_name(key)} names decision {decision_id}, not "
                            f"{coding_decision[key]} that made it")
    touched = {key[1] for key in last if key[0] == "code"}
    for (code_id,) in conn.execute("SELECT id FROM codes WHERE status != 'deleted'"):
        if code_id not in touched:
            problems.append(f"code {code_id} is in the codebook, but no decision put it there")
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [f"... and {len(problems) - MAX_PROBLEMS} more"]
    return problems


def _name(key: tuple) -> str:
    kind, *ident = key
    if kind == "coding":
        return f"coding of segment {ident[0]} with code {ident[1]} by {ident[2]}"
    if kind in ("code", "quote"):
        return f"{kind} {ident[0]}'s {ident[1]}"
    if kind == "membership":
        return f"segment {ident[1]}'s {ident[2]} in run {ident[0]}"
    if kind == "run_status":
        return f"analysis run {ident[0]}'s status"
    return f"theme {ident[0]}'s {'code' if kind == 'theme_link' else 'status'}"
