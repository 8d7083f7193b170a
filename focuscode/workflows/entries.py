"""Entries of the review: what a key (``c12``, ``t5``, ``unassigned``) stands for right now."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from focuscode.domain import Code, DecisionError, Theme
from focuscode.domain.changes import Change, CodeChange, CodingChange, ThemeLinkChange
from focuscode.domain.review import UNASSIGNED, code_key, parse_key, theme_key
from focuscode.store import DecisionLog, ProjectStore

# A coding status -> the decision's action and the verb its summary uses.
STATUS_ACTIONS = {"confirmed": ("confirm", "confirmed"), "rejected": ("reject", "rejected"),
                  None: ("clear", "cleared")}


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

    @property
    def is_theme(self) -> bool:
        """A discovered theme that is no code yet (without a row, or with its row)."""
        return bool(self.themes) and (self.code is None or self.code.is_theme_row)


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

    Call inside ``log.db.atomic()`` and record the changes in the same transaction. For the
    decisions that make a theme a code of the codebook: accepting, naming, merging into it.
    The code is born with that decision, so undoing it takes the code away again.
    """
    _refuse_queue(target)
    if target.code is not None:
        code_id = int(target.code.id)
        if target.code.status == "accepted":
            return code_id, []
        return code_id, [CodeChange(code_id=code_id, field="status",
                                    before=target.code.status, after="accepted")]
    return _born(log, target, "accepted", name)


def coding_row(log: DecisionLog, target: Target) -> tuple[int, list[Change]]:
    """The code row holding the target's codings, quotes and definition, and the changes
    that bring it into being when the target has none.

    For the decisions that do not make a theme a code (a confirmation, a rejection, a quote, a
    definition): a theme's row is born *suggested*, linked to the theme, which stays a theme
    (shown, counted and reported as one, not in the codebook) until the researcher accepts or
    names it (``ensure_code`` then makes the same row an accepted code, keeping its codings).
    Call inside ``log.db.atomic()`` and record the changes in the same transaction.
    """
    _refuse_queue(target)
    if not target.is_theme:  # a code (a suggested codebook code is accepted, as ever)
        return ensure_code(log, target)
    if target.code is not None:
        return int(target.code.id), []
    return _born(log, target, "suggested", None)


def _born(log: DecisionLog, target: Target, status: str,
          name: str | None) -> tuple[int, list[Change]]:
    code_id = log.new_code_row(Code(id=None, name=name or target.label, source="theme",
                                    status="deleted"))
    changes: list[Change] = [CodeChange(code_id=code_id, field="status", before="deleted",
                                        after=status)]
    changes += [ThemeLinkChange(theme_id=t.id, before=t.code_id, after=code_id)
                for t in target.themes]
    return code_id, changes


def _refuse_queue(target: Target) -> None:
    if target.is_queue:
        raise DecisionError("the unassigned queue is not a code",
                            hint="assign its segments to a theme or code instead")


def check_segments(store: ProjectStore, ids: Sequence[int]) -> None:
    """Refuse an empty selection or a segment the project does not have."""
    if not ids:
        raise DecisionError("no segment selected")
    found: set[int] = set()
    for begin in range(0, len(ids), 900):
        found |= {int(s.id) for s in store.segments(ids=list(ids[begin:begin + 900]))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise DecisionError(f"no segment {missing[0]}")


def coding_changes(log: DecisionLog, pairs: Sequence[tuple[int, int]], status: str | None, *,
                   coder: str) -> list[CodingChange]:
    """The one path every shell's codings take: for each (segment, code), the change that
    gives ``coder``'s coding ``status`` (confirmed, rejected, None: undecided), none where it
    already has it. Read inside the decision's transaction."""
    if status not in STATUS_ACTIONS:
        raise DecisionError(f"no coding status {status!r}")
    changes = []
    for segment_id, code_id in dict.fromkeys((int(s), int(c)) for s, c in pairs):
        before = log.coding_status(segment_id, code_id, coder)
        if before != status:
            changes.append(CodingChange(segment_id=segment_id, code_id=code_id, coder=coder,
                                        before=before, after=status))
    return changes


def _live_code(log: DecisionLog, code_id: int | None) -> Code | None:
    if code_id is None:
        return None
    try:
        code = log.code(code_id)
    except DecisionError:
        return None
    return code if code.status != "deleted" else None
