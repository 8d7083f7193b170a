"""What the screens listing segments share: the list and the segment in full, walking,
selecting, context, moving segments and quoting them. Not shown on its own."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import Footer, Header, Static

from focuscode.domain import Decision
from focuscode.domain.review import UNASSIGNED, ReviewSegment, SearchTerm, SegmentPage
from focuscode.tui.picker_modal import NEW_PREFIX, PickerModal
from focuscode.tui.project_screen import ProjectScreen
from focuscode.tui.span_modal import SpanModal
from focuscode.tui.widgets import SegmentTable, SegmentView, StatusBar


class SegmentsScreen(ProjectScreen):
    """A page-loaded list of segments above the highlighted one in full."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back (or out of the one-by-one view)"),
        Binding("j", "step(1)", "Next", tooltip="Next segment", show=False),
        Binding("k", "step(-1)", "Previous", tooltip="Previous segment", show=False),
        Binding("s", "step(1)", "Skip",
                tooltip="Skip to the next segment, deciding nothing", show=False),
        Binding("space", "select", "Select",
                tooltip="Select or unselect the row (the cursor stays; y, n, t, 1-3 then act on "
                        "the selection)", show=False),
        Binding("asterisk", "select_all", "Select all",
                tooltip="Select every listed segment (again: none)", show=False),
        Binding("c", "toggle_context", "Context",
                tooltip="Show the turns around it, with the moderator's prompt"),
        Binding("w", "toggle_walk", "One by one",
                tooltip="One segment at a time, full screen (enter too)", show=False),
        Binding("t", "move", "Move to…",
                tooltip="Move to another theme or code, or to a new code"),
        Binding("Q", "quote", "Quote",
                tooltip="Quote it (select words for part of it) for its theme", show=False),
    ]

    with_context: var[bool] = var(False)
    """Show the turns around the segment (and the moderator's prompt before it)."""
    walking: var[bool] = var(False)
    """One segment at a time: the list is hidden, the segment fills the screen."""

    show_entry_column = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_top()
        yield Static(id="segments-title")
        yield SegmentTable(id="segment-table", show_entry=self.show_entry_column)
        yield from self.compose_detail()
        yield SegmentView(id="segment-view")
        yield StatusBar(id="status-bar")
        yield Footer()

    def compose_top(self) -> ComposeResult:
        """Widgets above the title (the search screen's query and filters)."""
        yield from ()

    def compose_detail(self) -> ComposeResult:
        """Widgets between the list and the segment (why a code is suggested); they stay in
        view one by one."""
        yield from ()

    @property
    def table(self) -> SegmentTable:
        return self.query_one("#segment-table", SegmentTable)

    # what subclasses provide --------------------------------------------------------------
    def fetch(self, offset: int) -> SegmentPage:
        raise NotImplementedError

    def fetch_one(self, segment: ReviewSegment) -> ReviewSegment | None:
        """The segment's fresh state as this list shows it (None: it left the list)."""
        raise NotImplementedError

    def title_text(self) -> str:
        return ""

    def search_words(self) -> list[SearchTerm]:
        """Terms to highlight in the segments shown (the search screen's query)."""
        return []

    def entry_of(self, segment: ReviewSegment) -> str | None:
        """The entry a decision about ``segment`` applies to."""
        return segment.entry_key

    # showing ------------------------------------------------------------------------------
    def load(self) -> None:
        words = self.search_words()
        self.table.words = words
        self.query_one("#segment-view", SegmentView).words = words
        current, loaded = self.table.current, len(self.table.segments)
        first = self.fetch(0)
        while len(first.rows) < min(loaded, first.total):  # as far down as it was read
            more = self.fetch(len(first.rows))
            if not more.rows:
                break
            first = SegmentPage(first.rows + more.rows, more.total)
        self.table.show(first, keep=current.segment_id if current else None)
        self.refresh_title()
        self.show_current()
        if self.focused is None and not self.walking:
            self.table.focus()

    def refresh_title(self) -> None:
        self.query_one("#segments-title", Static).update(Text(self.title_text()))

    def on_resize(self) -> None:
        self.refresh_title()

    def show_current(self) -> None:
        segment = self.table.current
        context = self.project.review.context(segment.segment_id) \
            if segment is not None and self.with_context else []
        self.query_one("#segment-view", SegmentView).show(segment, context)

    def watch_with_context(self) -> None:
        if self.is_mounted:
            self.show_current()

    def watch_walking(self, walking: bool) -> None:
        self.set_class(walking, "-walking")
        if not walking and self.is_mounted:
            self.table.focus()

    @on(SegmentTable.SegmentHighlighted)
    def _highlighted(self) -> None:
        self.show_current()

    @on(SegmentTable.MoreWanted)
    def _more(self, event: SegmentTable.MoreWanted) -> None:
        self.table.extend(self.fetch(event.offset))

    @on(SegmentTable.SegmentOpened)
    def _opened(self, event: SegmentTable.SegmentOpened) -> None:
        self.open_segment(event.segment)

    def open_segment(self, segment: ReviewSegment) -> None:
        """Enter (or a second click) on a segment: one by one, or back to the list."""
        self.walking = not self.walking

    def refresh_segments(self, segments: Sequence[ReviewSegment], *,
                         gone: str = "assigned") -> None:
        """Show the fresh state of segments after a decision; ones that left the list stay
        shown, marked ``gone``, until the list is read again."""
        for segment in segments:
            fresh = self.fetch_one(segment)
            self.table.replace(fresh if fresh is not None else replace(segment, status=gone))
        self.table.clear_selection()
        self.show_current()

    # actions ------------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.walking:
            self.walking = False
        else:
            self.dismiss()

    def action_step(self, step: int) -> None:
        row = max(0, min(self.table.cursor_row + step, len(self.table.segments) - 1))
        self.table.move_cursor(row=row)

    def action_select(self) -> None:
        """Toggle the row under the cursor; the cursor stays, so the row seen is the row
        selected."""
        self.table.toggle_selected()
        self._say_selected()

    def action_select_all(self) -> None:
        self.table.select_all()
        self._say_selected()

    def _say_selected(self) -> None:
        n = len(self.table.selected)
        self.workbench.say(f"{n} selected" + (": y, n or t acts on them" if n else ""))

    def action_toggle_context(self) -> None:
        self.with_context = not self.with_context

    def action_toggle_walk(self) -> None:
        self.walking = not self.walking

    def action_move(self) -> None:
        """Move the selection (or the segment) to another theme or code, or a new code."""
        targets = self.table.targets()
        if not targets:
            return
        here = {self.entry_of(s) for s in targets}
        labels = self.project.review.labels()
        options = [(key, label) for key, label in labels.items()
                   if key != UNASSIGNED and key not in here]
        what = f"segment {targets[0].segment_id}" if len(targets) == 1 else \
            f"{len(targets)} segments"

        def move(choice: str | None) -> None:
            if choice is None:
                return
            new_code = choice.removeprefix(NEW_PREFIX) if choice.startswith(NEW_PREFIX) else None
            decision = self._move(targets, None if new_code else choice, new_code)
            if decision is not None:
                self.after_move(targets)

        self.app.push_screen(PickerModal(f"Move {what} to…", options, allow_new=True), move)

    def _move(self, targets: Sequence[ReviewSegment], to_key: str | None,
              new_code: str | None) -> Decision | None:
        groups: dict[str | None, list[int]] = {}
        for segment in targets:
            groups.setdefault(self.entry_of(segment), []).append(segment.segment_id)
        if len(groups) > 1:
            self.notify("Move segments of one theme at a time", severity="warning")
            return None
        [(source, ids)] = groups.items()
        return self.decide(lambda: self.project.decisions.move(ids, to_key, from_key=source,
                                                               new_code=new_code))

    def after_move(self, targets: Sequence[ReviewSegment]) -> None:
        self.refresh_segments(targets, gone="assigned")
        self.counts_changed()
        self.table.advance()

    def counts_changed(self) -> None:
        """A decision here changed what the title counts."""
        self.refresh_title()

    def action_quote(self) -> None:
        """Quote the segment, or the words of it selected, for its theme or code."""
        segment = self.table.current
        if segment is None:
            return
        key = self.entry_of(segment)
        if key is None or key == UNASSIGNED:
            self.notify("Assign the segment to a theme first (t), then quote it",
                        severity="warning")
            return

        def quote(span: tuple[int, int] | None) -> None:
            if span is None:
                return
            whole = span == (0, len(segment.text))
            if self.decide(lambda: self.project.quotes.mark(key, segment.segment_id,
                                                            None if whole else span)):
                self.counts_changed()

        self.app.push_screen(SpanModal(f"Quote for '{segment.entry_label or key}'",
                                       segment.text), quote)
