"""Review one theme or code: walk its segments, confirm or reject them, reassign, quote."""

from __future__ import annotations

from textual.binding import Binding
from textual.reactive import var
from textual.timer import Timer

from focuscode.domain import DecisionError
from focuscode.domain.review import ReviewEntry, ReviewSegment, SegmentPage
from focuscode.tui.messages import OpenQuotes
from focuscode.tui.segments_screen import SegmentsScreen
from focuscode.tui.text_modal import TextModal
from focuscode.tui.widgets.formatting import shorten

MIN_LABEL = 20  # characters of the name the title keeps before it shortens its counts
COUNT_PAUSE = 0.15  # seconds without a decision before the title's counts are read again
FILTERS: tuple[str | None, ...] = (None, "suggested", "confirmed", "rejected")
FILTER_NAMES = {None: "all", "suggested": "to review", "confirmed": "confirmed",
                "rejected": "rejected"}


class ReviewScreen(SegmentsScreen):
    """The segments of one entry. y/n (and backspace) decide the selection, or the segment
    under the cursor, and move on to the next one still to review."""

    BINDINGS = [
        Binding("y", "decide('confirmed')", "Confirm",
                tooltip="Confirm: it belongs here; go to the next to review"),
        Binding("n", "decide('rejected')", "Reject",
                tooltip="Reject: it does not belong here; go on. It stays listed, marked ✗, "
                        "but no longer counts (t moves it where it belongs)"),
        Binding("backspace", "decide(None)", "Undecide", tooltip="Back to undecided", show=False),
        Binding("f", "cycle_filter", "Filter",
                tooltip="Show all / to review / confirmed / rejected", show=False),
        Binding("a", "accept", "Accept as code",
                tooltip="Accept the theme as a code of the codebook", show=False),
        Binding("r", "rename", "Rename", tooltip="Rename the theme or code", show=False),
        Binding("d", "define", "Define", tooltip="Write the code's definition", show=False),
        Binding("p", "quotes", "Quotes",
                tooltip="Its quotes: pick, star, reorder, accept suggestions", show=False),
    ]

    status_filter: var[str | None] = var(None, init=False)

    def __init__(self, key: str, *, segment_id: int | None = None) -> None:
        super().__init__()
        self.key = key
        self.entry: ReviewEntry | None = None
        self.start_at = segment_id
        self._counting: Timer | None = None

    # what is shown ------------------------------------------------------------------------
    def load(self) -> None:
        try:
            self._refresh_entry()
        except DecisionError as error:
            self.notify(f"{error}", severity="warning")
            self.dismiss()
            return
        super().load()
        if self.start_at is not None:
            self._go_to(self.start_at)
            self.start_at = None

    def _refresh_entry(self) -> None:
        themes = self.entry.theme_ids if self.entry else ()
        self.entry = self.project.review.follow(self.key, themes)
        self.key = self.entry.key

    def _go_to(self, segment_id: int) -> None:
        table = self.table
        while True:
            index = next((i for i, s in enumerate(table.segments)
                          if s.segment_id == segment_id), None)
            if index is not None:
                table.move_cursor(row=index)
                return
            if len(table.segments) >= table.total:
                return
            table.extend(self.fetch(len(table.segments)))

    def fetch(self, offset: int) -> SegmentPage:
        return self.project.review.segments(self.key, status=self.status_filter, offset=offset)

    def fetch_one(self, segment: ReviewSegment) -> ReviewSegment | None:
        return self.project.review.segment(self.key, segment.segment_id)

    def entry_of(self, segment: ReviewSegment) -> str | None:
        return self.key

    def title_text(self) -> str:
        """One line: the name (shortened to fit), what it is, progress, and the filter."""
        entry = self.entry
        if entry is None:
            return ""
        kind = "code" if entry.status == "accepted" else "theme"
        shown = "" if self.status_filter is None else \
            f" · showing {FILTER_NAMES[self.status_filter]}"
        width = (self.size.width or 80) - 2  # the title's padding
        progress = (f"{entry.n_confirmed}/{entry.n_segments} confirmed · "
                    f"{entry.n_to_review} to review · {entry.n_rejected} rejected · "
                    f"{entry.n_quotes} quotes{shown}")
        for counts in (f" · {kind} · {progress}", f" · {progress}",  # narrower: less said
                       f" · {entry.n_confirmed}/{entry.n_segments} ✓ · {entry.n_to_review} to "
                       f"review · {entry.n_rejected} ✗ · {entry.n_quotes} quotes{shown}"):
            if width - len(counts) >= min(MIN_LABEL, len(entry.label)):
                break
        return shorten(entry.label, max(MIN_LABEL // 2, width - len(counts))) + counts

    def watch_status_filter(self) -> None:
        self.load()
        self.workbench.say(f"Showing {FILTER_NAMES[self.status_filter]}")

    # decisions ----------------------------------------------------------------------------
    def action_decide(self, status: str | None) -> None:
        targets = self.table.targets()
        if not targets:
            return
        ids = [s.segment_id for s in targets]
        decide = {"confirmed": self.project.decisions.confirm,
                  "rejected": self.project.decisions.reject,
                  None: self.project.decisions.clear}[status]
        if self.decide(lambda: decide(self.key, ids)) is None:
            return
        self.refresh_segments(targets)
        if len(targets) == 1:
            self.table.advance()
        self.counts_changed()

    def _count_later(self) -> None:
        """Count the entry again once the keys pause: a big theme takes a moment to count,
        and the next decision should not wait for it."""
        if self._counting is not None:
            self._counting.stop()
        self._counting = self.set_timer(COUNT_PAUSE, self._count)

    def _count(self) -> None:
        self._counting = None
        try:
            self._refresh_entry()
        except DecisionError:
            return
        self.refresh_title()

    def counts_changed(self) -> None:
        self._count_later()

    def action_cycle_filter(self) -> None:
        self.status_filter = FILTERS[(FILTERS.index(self.status_filter) + 1) % len(FILTERS)]

    def action_accept(self) -> None:
        if self.decide(lambda: self.project.decisions.accept(self.key)) is not None:
            self._refresh_entry()
            self.refresh_title()

    def action_rename(self) -> None:
        label = self.entry.label if self.entry else ""

        def rename(name: str | None) -> None:
            if name is not None and self.decide(
                    lambda: self.project.decisions.rename(self.key, name)) is not None:
                self.reload()

        self.app.push_screen(TextModal(f"Rename '{label}'", label), rename)

    def action_define(self) -> None:
        entry = self.entry

        def define(text: str | None) -> None:
            if text is not None and self.decide(
                    lambda: self.project.decisions.define(self.key, text)) is not None:
                self._refresh_entry()
                self.refresh_title()

        self.app.push_screen(TextModal(f"Definition of '{entry.label if entry else ''}'",
                                       entry.definition if entry else "", multiline=True), define)

    def action_quotes(self) -> None:
        self.post_message(OpenQuotes(self.key))
