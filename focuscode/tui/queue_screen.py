"""The unassigned queue: segments no theme claimed, each with its three nearest themes."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding

from focuscode.domain.review import UNASSIGNED, ReviewSegment, SegmentPage
from focuscode.tui.segments_screen import SegmentsScreen


class QueueScreen(SegmentsScreen):
    """1, 2 or 3 assign the selection (or the segment) to one of its nearest themes; t to
    any theme or a new code; s skips."""

    BINDINGS = [
        Binding("1", "assign(0)", "Nearest 1", tooltip="Assign to the nearest theme"),
        Binding("2", "assign(1)", "Nearest 2", tooltip="Assign to the second nearest theme"),
        Binding("3", "assign(2)", "Nearest 3", tooltip="Assign to the third nearest theme"),
    ]

    def fetch(self, offset: int) -> SegmentPage:
        return self.project.review.segments(UNASSIGNED, offset=offset)

    def fetch_one(self, segment: ReviewSegment) -> ReviewSegment | None:
        return self.project.review.segment(UNASSIGNED, segment.segment_id)

    def entry_of(self, segment: ReviewSegment) -> str | None:
        return UNASSIGNED

    def title_text(self) -> str:
        left = sum(1 for s in self.table.segments if s.status == "unassigned")
        assigned = len(self.table.segments) - left
        title = (f"Unassigned queue  ·  {self.table.total} segments no theme claimed"
                 + (f" · {assigned} assigned now" if assigned else ""))
        hint = "  ·  1/2/3 assign to a nearest theme · t to any"
        return title + hint if len(title + hint) <= (self.size.width or 80) - 2 else title

    def action_assign(self, choice: int) -> None:
        current = self.table.current
        targets = self.table.targets()
        if current is None or not targets:
            return
        if choice >= len(current.nearest):
            self.notify("No such suggestion: t picks any theme", severity="warning")
            return
        target = current.nearest[choice]
        ids = [s.segment_id for s in targets]
        if self.decide(lambda: self.project.decisions.move(ids, target.key)) is not None:
            for segment in targets:
                self.table.replace(replace(segment, status="assigned",
                                           entry_label=target.label))
            self.table.clear_selection()
            self.refresh_title()
            self.table.advance()
            self.show_current()
