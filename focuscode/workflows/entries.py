"""Entries of the review: what a key (``c12``, ``t5``, ``unassigned``) stands for right now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from focuscode.domain import Code, DecisionError, Theme
from focuscode.domain.review import UNASSIGNED, code_key, parse_key, theme_key
from focuscode.store import DecisionLog, ProjectStore

Change = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """A resolved entry: a code with the themes linked to it, an unlinked theme, or the queue."""

    key: str
    run_id: int | None
    code: Code | None = None
    themes: tuple[Theme, ...] = ()

    @property
    def is_queue(self) -> bool:
        return self.key == UNASSIGNED

    @property
    def code_id(self) -> int | None:
        return self.code.id if self.code else None

    @property
    def theme_ids(self) -> tuple[int, ...]:
        return tuple(t.id for t in self.themes)

    @property
    def label(self) -> str:
        if self.code:
            return self.code.name
        return self.themes[0].label if self.themes else "(unassigned)"

    @property
    def is_accepted(self) -> bool:
        return self.code is not None and self.code.status == "accepted"


def resolve(store: ProjectStore, log: DecisionLog, key: str) -> Target:
    """The entry ``key`` names now; a theme linked to a code resolves to the code."""
    kind, ident = parse_key(key)
    run = store.latest_run()
    run_id = run.id if run else None
    if kind == UNASSIGNED:
        return Target(UNASSIGNED, run_id)
    themes = store.themes(run_id) if run_id is not None else []
    if kind == "theme":
        theme = next((t for t in themes if t.id == ident), None)
        if theme is None:
            raise DecisionError(f"theme {ident} is no longer in the latest analysis",
                                hint="it was split, deleted or replaced by a re-analysis")
        code = _live_code(log, theme.code_id)
        if code is None:
            return Target(theme_key(theme.id), run_id, None, (theme,))
        ident = code.id
    code = _live_code(log, ident)
    if code is None:
        raise DecisionError(f"code {ident} was deleted or merged", hint="undo to bring it back")
    return Target(code_key(code.id), run_id, code, tuple(t for t in themes if t.code_id == code.id))


def ensure_code(log: DecisionLog, target: Target, *,
                name: str | None = None) -> tuple[int, list[Change]]:
    """The target's code id, and the changes that make it an accepted code if it is not yet.

    Call inside ``log.db.atomic()`` and record the changes in the same transaction. A decision
    about a theme (or a suggested codebook code) accepts it, as the spine's ``confirm`` always
    did: a theme's code is born with the first decision about it, so undoing that decision
    takes the code away again. Reports count accepted codes' codings only.
    """
    if target.is_queue:
        raise DecisionError("the unassigned queue is not a code",
                            hint="assign its segments to a theme or code instead")
    if target.code is not None:
        code_id = int(target.code.id)
        if target.code.status == "accepted":
            return code_id, []
        return code_id, [{"kind": "code", "code_id": code_id, "field": "status",
                          "before": target.code.status, "after": "accepted"}]
    code_id = log.new_code_row(Code(id=None, name=name or target.label, source="theme",
                                    status="deleted"))
    changes: list[Change] = [{"kind": "code", "code_id": code_id, "field": "status",
                              "before": "deleted", "after": "accepted"}]
    changes += [{"kind": "theme_link", "theme_id": t.id, "before": t.code_id, "after": code_id}
                for t in target.themes]
    return code_id, changes


def _live_code(log: DecisionLog, code_id: int | None) -> Code | None:
    if code_id is None:
        return None
    try:
        code = log.code(code_id)
    except DecisionError:
        return None
    return code if code.status != "deleted" else None
