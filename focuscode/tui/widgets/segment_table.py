"""A list of segments, loaded a page at a time, with decision marks and a selection."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from focuscode.domain.review import ReviewSegment, SearchTerm, SegmentPage
from focuscode.tui.widgets.formatting import STATUS_MARKS, highlight, shorten, snippet
from focuscode.tui.widgets.row_table import RowTable

LOAD_AHEAD = 20  # ask for the next page when the cursor is this close to the last loaded row


class SegmentTable(RowTable):
    """Segments in order; ``●`` marks the selection, then the status (``✓ ✗ · ○ →``).

    Keys are the screen's: this widget shows rows, keeps the selection, and asks for more rows
    (``MoreWanted``) when the cursor nears the end of what is loaded. ``words`` (a search's)
    are highlighted in the text, which then shows the first of them.
    """

    COMPONENT_CLASSES = {"segment-table--match"}  # a search word in the text

    @dataclass
    class SegmentHighlighted(Message):
        table: "SegmentTable"
        segment: ReviewSegment | None

        @property
        def control(self) -> "SegmentTable":
            return self.table

    @dataclass
    class SegmentOpened(Message):
        table: "SegmentTable"
        segment: ReviewSegment

        @property
        def control(self) -> "SegmentTable":
            return self.table

    @dataclass
    class MoreWanted(Message):
        table: "SegmentTable"
        offset: int

        @property
        def control(self) -> "SegmentTable":
            return self.table

    def __init__(self, *, show_entry: bool = False, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.show_entry = show_entry
        self.segments: list[ReviewSegment] = []
        self.words: list[SearchTerm] = []
        self.total = 0
        self.selected: set[int] = set()
        self._text_width = 40
        self._entry_width = 20
        self._wide = False
        self._width = 0
        self._asked = -1

    # what is shown ------------------------------------------------------------------------
    @property
    def current(self) -> ReviewSegment | None:
        if not self.segments or not 0 <= self.cursor_row < len(self.segments):
            return None
        return self.segments[self.cursor_row]

    def targets(self) -> list[ReviewSegment]:
        """The selection if there is one, else the segment under the cursor."""
        if self.selected:
            return [s for s in self.segments if s.segment_id in self.selected]
        return [self.current] if self.current else []

    def show(self, page: SegmentPage, *, keep: int | None = None) -> None:
        """Replace the rows with a first page; keep the cursor on segment ``keep`` if shown."""
        self.selected &= {s.segment_id for s in page.rows}
        self._asked = -1
        self._build(page, keep)

    def on_resize(self) -> None:
        """Fit the text column to the new width, keeping what is loaded."""
        if self.segments and self.size.width != self._width:
            current = self.current
            self._build(SegmentPage(tuple(self.segments), self.total),
                        current.segment_id if current else None)

    def _build(self, page: SegmentPage, keep: int | None) -> None:
        row = self.cursor_row
        self.clear(columns=True)
        self.segments, self.total = [], page.total
        self._width = self.size.width
        width = max(60, self.size.width or 80)
        wide = self._wide = width >= 110
        self.add_column(" ", key="mark", width=2)
        self.add_column("Speaker", key="speaker", width=12 if wide else 11)
        self.add_column("Role", key="role", width=9 if wide else 4)
        fixed = 2 + (12 + 9 if wide else 11 + 4)
        columns = 4
        if wide:
            self.add_column("Transcript", key="transcript", width=16)
            fixed, columns = fixed + 16, columns + 1
        if self.show_entry:  # a quarter of the width, within bounds
            entry_width = max(16, min(28, width // 4))
            self.add_column("Theme or code", key="entry", width=entry_width)
            fixed, columns = fixed + entry_width, columns + 1
            self._entry_width = entry_width
        self._text_width = max(20, width - fixed - 2 * columns - 2)
        self.add_column("Text", key="text", width=self._text_width)
        self.extend(page)
        index = next((i for i, s in enumerate(self.segments) if s.segment_id == keep), None)
        if index is None:
            index = min(row, len(self.segments) - 1)
        self.move_cursor(row=max(0, index))

    def extend(self, page: SegmentPage) -> None:
        """Append a further page."""
        for segment in page.rows:
            self.segments.append(segment)
            self.add_row(*self._cells(segment), key=str(segment.segment_id))
        self.total = page.total

    def replace(self, segment: ReviewSegment) -> None:
        """Show the fresh state of a segment already listed."""
        index = self._index(segment.segment_id)
        if index is None:
            return
        self.segments[index] = segment
        for column, value in zip(self._columns(), self._cells(segment)):
            self.update_cell(str(segment.segment_id), column, value)

    def toggle_selected(self) -> None:
        current = self.current
        if current is None:
            return
        self.selected ^= {current.segment_id}
        self.update_cell(str(current.segment_id), "mark", self._mark(current))

    def select_all(self) -> None:
        """Select every loaded row, or clear the selection if all are selected."""
        ids = {s.segment_id for s in self.segments}
        self.selected = set() if ids <= self.selected else ids
        for segment in self.segments:
            self.update_cell(str(segment.segment_id), "mark", self._mark(segment))

    def clear_selection(self) -> None:
        was, self.selected = self.selected, set()
        for segment_id in was:
            index = self._index(segment_id)
            if index is not None:
                self.update_cell(str(segment_id), "mark", self._mark(self.segments[index]))

    def advance(self, *, undecided: bool = True) -> None:
        """Move to the next row still to decide (or simply the next row)."""
        start = self.cursor_row + 1
        if undecided:
            for index in range(start, len(self.segments)):
                if self.segments[index].status in ("suggested", "unassigned"):
                    self.move_cursor(row=index)
                    return
        self.move_cursor(row=min(start, len(self.segments) - 1))

    # helpers ------------------------------------------------------------------------------
    def _index(self, segment_id: int) -> int | None:
        return next((i for i, s in enumerate(self.segments) if s.segment_id == segment_id), None)

    def _columns(self) -> list[str]:
        return [str(key.value) for key in self.columns]

    def _mark(self, segment: ReviewSegment) -> str:
        selected = "●" if segment.segment_id in self.selected else " "
        return selected + STATUS_MARKS.get(segment.status, "?")

    def _cells(self, segment: ReviewSegment) -> list[str | Text]:
        text: str | Text = shorten(segment.text, self._text_width)
        if self.words:
            text = highlight(Text(snippet(segment.text, self.words, self._text_width)),
                             self.words, self.get_component_rich_style("segment-table--match"))
        cells = {"mark": self._mark(segment), "speaker": segment.speaker_name,
                 "role": segment.role if self._wide else segment.role[:3],
                 "transcript": segment.transcript,
                 "entry": shorten(segment.entry_label, self._entry_width), "text": text}
        return [cells[column] for column in self._columns()]

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.SegmentHighlighted(self, self.current))
        loaded = len(self.segments)
        if loaded < self.total and self.cursor_row >= loaded - LOAD_AHEAD and self._asked != loaded:
            self._asked = loaded
            self.post_message(self.MoreWanted(self, loaded))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.current is not None:
            self.post_message(self.SegmentOpened(self, self.current))
