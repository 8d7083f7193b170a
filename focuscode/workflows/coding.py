"""Researcher decisions on themes and segments, each one a durable entry of the decision log."""

from __future__ import annotations

from focuscode.domain import Code, DecisionError, Theme
from focuscode.store import NEW_CODE, DecisionLog, ProjectStore


def find_theme(store: ProjectStore, theme_id: int) -> Theme:
    run = store.latest_run()
    theme = next((t for t in store.themes(run.id) if t.id == theme_id), None) if run else None
    if theme is None:
        raise DecisionError(f"no theme {theme_id} in the latest analysis",
                            hint="run 'focuscode themes' to see the themes and their ids")
    return theme


def accept_theme(store: ProjectStore, log: DecisionLog, theme_id: int, *, coder: str,
                 name: str | None = None) -> int:
    """Make a discovered theme a code (named after its keywords unless ``name`` is given)."""
    theme = find_theme(store, theme_id)
    if theme.code_id is not None:
        return theme.code_id
    code = Code(id=None, name=name or theme.label, definition="",
                examples=(), source="theme", status="accepted")
    return log.create_code(code, coder=coder, summary=f"accepted theme '{code.name}' as a code",
                           extra_changes=[{"kind": "theme_link", "theme_id": theme.id,
                                           "before": None, "after": NEW_CODE}])


def set_segment_status(store: ProjectStore, log: DecisionLog, segment_id: int, theme_id: int,
                       status: str | None, *, coder: str) -> int:
    """Confirm (``"confirmed"``), reject (``"rejected"``) or clear (None) a segment's theme."""
    if not store.segments(ids=[segment_id]):
        raise DecisionError(f"no segment {segment_id}")
    theme = find_theme(store, theme_id)
    code_id = theme.code_id if theme.code_id is not None else accept_theme(
        store, log, theme_id, coder=coder)
    before = log.coding_status(segment_id, code_id, coder)
    if before == status:
        raise DecisionError(f"segment {segment_id} is already {status or 'undecided'}")
    action, verb = {"confirmed": ("confirm", "confirmed"), "rejected": ("reject", "rejected"),
                    None: ("clear", "cleared")}[status]
    return log.record(action, [
        {"kind": "coding", "segment_id": segment_id, "code_id": code_id, "coder": coder,
         "before": before, "after": status}],
        coder=coder, summary=f"{verb} segment {segment_id} for '{log.code(code_id).name}'")
