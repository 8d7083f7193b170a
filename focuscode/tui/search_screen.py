"""Search every segment by its words, and filter by role, speaker, transcript and status."""

from __future__ import annotations

from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Input, Select

from focuscode.domain.review import (
    UNASSIGNED,
    ReviewSegment,
    SearchFilters,
    SearchTerm,
    SegmentPage,
    search_terms,
)
from focuscode.tui.messages import OpenEntry
from focuscode.tui.segments_screen import SegmentsScreen

TYPING_PAUSE = 0.25  # seconds of quiet typing before searching


class SearchScreen(SegmentsScreen):
    """Matches in transcript order, each with the theme or code it sits in now. y/n decide for
    that theme; enter opens it at the segment."""

    BINDINGS = [
        # enter: from the words to the results, then on a result to its theme (one is offered
        # at a time, see check_action, so the footer names what enter does where you are)
        Binding("enter", "results", "Results", tooltip="Search now and go to the results",
                priority=True),
        Binding("enter", "open_entry", "Open theme", tooltip="Open its theme at this segment",
                priority=True),
        Binding("y", "decide('confirmed')", "Confirm", tooltip="Confirm it for the theme it is in"),
        Binding("n", "decide('rejected')", "Reject", tooltip="Reject it from the theme it is in"),
        Binding("ctrl+f", "focus_query", "Edit search",
                tooltip="Back to the search words", show=False),
    ]

    filters: var[SearchFilters] = var(SearchFilters, init=False)
    show_entry_column = True

    def __init__(self) -> None:
        super().__init__()
        self._typing: Timer | None = None

    def compose_top(self) -> ComposeResult:
        options = self.project.review.filter_options()
        with Horizontal(id="search-bar"):
            yield Input(placeholder='words (found inside words too) or "a phrase"',
                        id="search-input", compact=True)
        with Horizontal(id="search-filters"):
            yield Select([(r, r) for r in options.roles], prompt="role", id="filter-role",
                         compact=True)
            yield Select([(name, label) for label, name in options.speakers],
                         prompt="speaker", id="filter-speaker", compact=True)
            yield Select([(t, t) for t in options.transcripts], prompt="transcript",
                         id="filter-transcript", compact=True)
            yield Select([(s, s) for s in options.statuses], prompt="status",
                         id="filter-status", compact=True)

    def on_mount(self) -> None:
        self.focus_query()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter searches while typing and opens a result once the results have the focus;
        elsewhere (a filter's list) it keeps its own meaning."""
        if action == "results":
            return self.is_mounted and self.focused is self.query_one("#search-input", Input)
        if action == "open_entry":
            return self.is_mounted and self.focused is self.table
        return True

    def search_words(self) -> list[SearchTerm]:
        return search_terms(self.filters.query)

    def action_results(self) -> None:
        self._search(self.query_one("#search-input", Input).value)
        self.table.focus()

    def focus_query(self) -> None:
        self.query_one("#search-input", Input).focus()

    def action_focus_query(self) -> None:
        self.focus_query()

    # searching ----------------------------------------------------------------------------
    def fetch(self, offset: int) -> SegmentPage:
        return self.project.review.search(self.filters, offset=offset)

    def fetch_one(self, segment: ReviewSegment) -> ReviewSegment | None:
        return self.project.review.locate(segment.segment_id)

    def title_text(self) -> str:
        n = self.table.total
        return f"{n} segment{'s' if n != 1 else ''} found  ·  tab: words, filters, results"

    def watch_filters(self) -> None:
        had_focus = self.focused
        self.load()
        if had_focus is not None and had_focus is not self.table:
            had_focus.focus()

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        if self._typing is not None:
            self._typing.stop()
        value = event.value
        self._typing = self.set_timer(TYPING_PAUSE, lambda: self._search(value))

    def _search(self, query: str) -> None:
        if query != self.filters.query:
            self.filters = replace(self.filters, query=query)

    @on(Select.Changed)
    def _filtered(self, event: Select.Changed) -> None:
        field = str(event.select.id).removeprefix("filter-")
        value = None if event.value is Select.NULL else str(event.value)
        if getattr(self.filters, field) != value:
            self.filters = replace(self.filters, **{field: value})

    # deciding -----------------------------------------------------------------------------
    def action_decide(self, status: str) -> None:
        targets = self.table.targets()
        keys = {s.entry_key for s in targets}
        if not targets:
            return
        if None in keys or UNASSIGNED in keys:
            self.notify("Unassigned or excluded segments have no theme to confirm: t moves "
                        "them to one", severity="warning")
            return
        if len(keys) > 1:
            self.notify("Decide for one theme at a time", severity="warning")
            return
        [key] = keys
        ids = [s.segment_id for s in targets]
        make = self.project.decisions.confirm if status == "confirmed" else \
            self.project.decisions.reject
        if self.decide(lambda: make(key, ids)) is not None:
            self.refresh_segments(targets)
            if len(targets) == 1:
                self.table.advance(undecided=False)

    def action_open_entry(self) -> None:
        self.open_segment(self.table.current)

    def open_segment(self, segment: ReviewSegment | None) -> None:  # type: ignore[override]
        """Open the theme or code the segment sits in, at the segment."""
        if segment is not None and segment.entry_key is not None:
            self.post_message(OpenEntry(segment.entry_key, segment.segment_id))
