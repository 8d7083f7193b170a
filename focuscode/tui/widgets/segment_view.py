"""One segment in full: who, where, when, its status, and (on demand) the turns around it."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from focuscode.domain.review import ContextTurn, ReviewSegment
from focuscode.tui.widgets.formatting import timestamp


class SegmentView(Vertical):
    """Shows what it is given: a fixed line about the segment above its (scrolling) text.
    The component classes below are styled in ``app.tcss``."""

    COMPONENT_CLASSES = {
        "segment-view--meta",      # speaker, role, transcript, time, status line
        "segment-view--nearest",   # suggested themes of an unassigned segment
        "segment-view--context",   # the turns around the segment
        "segment-view--speaker",   # a speaker's name before a turn
        "segment-view--segment",   # the segment itself, inside its turn
    }

    def compose(self) -> ComposeResult:
        yield Static(id="segment-meta")
        with VerticalScroll(id="segment-scroll", can_focus=False):
            yield Static(id="segment-body")

    def show(self, segment: ReviewSegment | None, context: Sequence[ContextTurn] = ()) -> None:
        meta = self.query_one("#segment-meta", Static)
        body = self.query_one("#segment-body", Static)
        if segment is None:
            meta.update("")
            body.update("Nothing to show here.")
            return
        style = self.get_component_rich_style
        head = Text()
        where = [segment.speaker_name, segment.role, segment.transcript,
                 timestamp(segment.start_time), f"turn {segment.turn_index + 1}",
                 f"segment {segment.segment_id}", segment.status]
        head.append(" · ".join(w for w in where if w), style("segment-view--meta"))
        if segment.also:
            head.append(f"  also: {', '.join(segment.also)}", style("segment-view--meta"))
        if segment.nearest:
            head.append("\nNearest: ", style("segment-view--meta"))
            head.append("   ".join(f"[{i}] {n.label} ({n.similarity:.2f})"
                                   for i, n in enumerate(segment.nearest, start=1)),
                        style("segment-view--nearest"))
        meta.update(head)
        text = Text()
        if not context:
            text.append(segment.text, style("segment-view--segment"))
        current_line = 0
        for turn in context:
            if turn.is_current:
                current_line = len(text.plain.split("\n")) - 1
            text.append(f"{turn.speaker_name} ({turn.role})", style("segment-view--speaker"))
            stamp = timestamp(turn.start_time)
            text.append(f"  {stamp}\n" if stamp else "\n", style("segment-view--meta"))
            if turn.is_current and turn.span is not None:
                start, end = turn.span
                text.append(turn.text[:start], style("segment-view--context"))
                text.append(turn.text[start:end], style("segment-view--segment"))
                text.append(turn.text[end:], style("segment-view--context"))
            else:
                text.append(turn.text, style("segment-view--context"))
            text.append("\n\n")
        body.update(text)
        scroll = self.query_one("#segment-scroll", VerticalScroll)
        scroll.scroll_home(animate=False)
        if context:
            self.call_after_refresh(self._scroll_to, text, current_line)

    def _scroll_to(self, text: Text, line: int) -> None:
        """Bring the current turn into view (with a line of what came before)."""
        scroll = self.query_one("#segment-scroll", VerticalScroll)
        width = max(20, scroll.content_size.width)
        before = text.plain.split("\n")[:line]
        rows = sum(max(1, -(-len(row) // width)) for row in before)
        scroll.scroll_to(y=max(0, rows - 2), animate=False)
