"""The themes overview: one row per code, theme and the unassigned queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from textual import on
from textual.message import Message
from textual.widgets import DataTable

from focuscode.domain.review import ReviewEntry
from focuscode.tui.widgets.formatting import shorten
from focuscode.tui.widgets.row_table import RowTable

STATUS_WORDS = {"accepted": "✓ code", "suggested": "· theme", "unassigned": "○ queue",
                "parent": "◆parent"}


class EntryTable(RowTable):
    """Entries with their status, size, speakers, segments per role and review progress.

    Segs counts what belongs to the entry now (rejected segments do not); Done is how many of
    those are confirmed.

    Shows what it is given (``show``); sorting and loading belong to the screen.
    """

    @dataclass
    class EntryHighlighted(Message):
        table: "EntryTable"
        entry: ReviewEntry | None

        @property
        def control(self) -> "EntryTable":
            return self.table

    @dataclass
    class EntryOpened(Message):
        table: "EntryTable"
        entry: ReviewEntry

        @property
        def control(self) -> "EntryTable":
            return self.table

    @dataclass
    class SortRequested(Message):
        """The header of column ``column`` was clicked."""

        table: "EntryTable"
        column: str

        @property
        def control(self) -> "EntryTable":
            return self.table

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.entries: list[ReviewEntry] = []
        self._roles: list[str] = []
        self._width = 0
        self._marks: dict[str, str] = {}

    @property
    def current(self) -> ReviewEntry | None:
        if not self.entries or not 0 <= self.cursor_row < len(self.entries):
            return None
        return self.entries[self.cursor_row]

    def show(self, entries: Sequence[ReviewEntry], roles: Sequence[str], *,
             keep: ReviewEntry | None = None, marks: Mapping[str, str] | None = None) -> None:
        """Replace the rows; keep the cursor on ``keep`` (or where it came from) if possible.
        ``marks``: what goes before a row's label (the tree: ▸/▾ on a parent, an indent under
        it)."""
        row = self.cursor_row
        self.clear(columns=True)
        self.entries, self._roles = list(entries), list(roles)
        self._marks = dict(marks or {})
        self._width = self.size.width
        width = max(60, self.size.width or 80)
        short = width < 110  # narrow: the status as its mark alone, roles in three letters
        role_width, status_width = (3, 1) if short else (9, 7)
        fixed = 3 + status_width + 5 + 4 + 7 + len(roles) * role_width  # all but the label
        padding = 2 * (6 + len(roles)) + 2  # a space each side of every cell, and a scrollbar
        name_width = max(14, width - fixed - padding)
        self.add_column("#", key="number", width=3)
        self.add_column("Theme or code", key="label", width=name_width)
        self.add_column("" if short else "Status", key="status", width=status_width)
        self.add_column("Segs", key="size", width=5)
        self.add_column("Spk", key="speakers", width=4)
        for role in roles:
            self.add_column(role[:3] if short else role[:9], key=f"role:{role}",
                            width=role_width)
        self.add_column("Done", key="progress", width=7)
        for entry in self.entries:
            # Rejected segments left the entry: done is confirmed out of what still counts.
            done = "" if entry.is_queue else f"{entry.n_confirmed}/{entry.n_segments}"
            number = "" if entry.number is None else str(entry.number + 1)
            mark = self._marks.get(entry.key, "")
            self.add_row(
                f"P{entry.group_id}" if entry.is_parent else number,
                mark + shorten(entry.label, name_width - len(mark)),
                STATUS_WORDS.get(entry.status, entry.status)[:status_width],
                str(entry.n_segments), str(entry.n_speakers),
                *[str(entry.by_role.get(role, 0) or "") for role in roles], done, key=entry.key)
        target = _find(self.entries, keep) if keep is not None else None
        self.move_cursor(row=target if target is not None else min(row, len(self.entries) - 1))

    def on_resize(self) -> None:
        """Fit the label column to the new width."""
        if self.entries and self.size.width != self._width:
            self.show(self.entries, self._roles, keep=self.current, marks=self._marks)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.EntryHighlighted(self, self.current))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.EntryOpened(self, self.current))

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.post_message(self.SortRequested(self, str(event.column_key.value)))


def _find(entries: Sequence[ReviewEntry], keep: ReviewEntry) -> int | None:
    """The row of ``keep``: the same key, or an entry sharing one of its themes (a theme that
    became a code, or was merged), or its code."""
    for index, entry in enumerate(entries):
        if entry.key == keep.key:
            return index
    for index, entry in enumerate(entries):
        if set(entry.theme_ids) & set(keep.theme_ids) or (
                keep.code_id is not None and entry.code_id == keep.code_id):
            return index
    return None
