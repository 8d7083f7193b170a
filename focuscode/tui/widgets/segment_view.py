"""One segment in full: who, where, when, its status, and (on demand) the turns around it."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from focuscode.domain.review import ContextTurn, ReviewSegment, SearchTerm
from focuscode.tui.widgets.formatting import highlight, timestamp


class SegmentView(Vertical):
    """Shows what it is given: a fixed line about the segment above its (scrolling) text.
    With context, every turn is headed by its speaker and the segment is marked inside its
    turn; ``words`` (a search's) are highlighted. The component classes below are styled in
    ``app.tcss``."""

    COMPONENT_CLASSES = {
        "segment-view--meta",      # speaker, role, transcript, time, status line
        "segment-view--nearest",   # suggested themes of an unassigned segment
        "segment-view--context",   # the turns around the segment
        "segment-view--speaker",   # a speaker's name before a turn
        "segment-view--segment",   # the segment shown alone
        "segment-view--marked",    # the segment inside its turn, among the context
        "segment-view--match",     # a search word
    }

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.words: list[SearchTerm] = []

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
                 f"segment {segment.segment_id}",
                 f"moved → {segment.moved_to}" if segment.moved_to else segment.status]
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
        starts: list[int] = []  # the line each turn starts on (its speaker)
        current = mark = 0
        previous: int | None = None
        for turn in context:
            if previous is not None and turn.turn_index > previous + 1:
                text.append("⋯\n\n", style("segment-view--context"))
            previous = turn.turn_index
            starts.append(text.plain.count("\n"))
            if turn.is_current:
                current = len(starts) - 1
            text.append(f"{turn.speaker_name} ({turn.role})", style("segment-view--speaker"))
            stamp = timestamp(turn.start_time)
            text.append(f"  {stamp}\n" if stamp else "\n", style("segment-view--meta"))
            if turn.is_current and turn.span is not None:
                start, end = turn.span
                text.append(turn.text[:start], style("segment-view--context"))
                mark = len(text.plain)
                text.append(turn.text[start:end], style("segment-view--marked"))
                text.append(turn.text[end:], style("segment-view--context"))
            else:
                text.append(turn.text, style("segment-view--context"))
            text.append("\n\n")
        highlight(text, self.words, style("segment-view--match"))
        body.update(text)
        scroll = self.query_one("#segment-scroll", VerticalScroll)
        scroll.scroll_home(animate=False)
        if context:
            self.call_after_refresh(self._scroll_to, text, starts, current, mark)

    def _scroll_to(self, text: Text, starts: list[int], current: int, mark: int) -> None:
        """Bring the segment's turn into view, from the first turn before it that fits with
        it, so that every turn shown starts with its speaker."""
        scroll = self.query_one("#segment-scroll", VerticalScroll)
        width = max(20, scroll.content_size.width)
        lines = [Content(line).wrap(width) for line in text.plain.split("\n")]
        rows = [max(1, len(wrapped)) for wrapped in lines]
        tops = [sum(rows[:line]) for line in starts]  # the row of each turn's speaker
        end = tops[current + 1] if current + 1 < len(tops) else sum(rows)
        before = text.plain[:mark]
        line = before.count("\n")
        column = len(before) - before.rfind("\n") - 1
        row, seen = 0, 0
        for wrapped in lines[line][:-1]:  # the row of the line the segment starts on
            seen += len(wrapped.plain)
            if seen > column:
                break
            row += 1
        scroll.scroll_to(y=first_shown(tops, current, end, sum(rows[:line]) + row,
                                       scroll.size.height), animate=False)


def first_shown(tops: Sequence[int], current: int, end: int, mark: int, height: int) -> int:
    """The row to scroll to: the start of the earliest turn from which the turns up to the
    current one (ending at row ``end``) fit in ``height`` rows, so that each starts with its
    speaker; if even the current turn does not fit, its start, or a line above the segment
    (row ``mark``) when the segment lies further down than that shows."""
    first = tops[current]
    if end - first > height:
        return first if mark - first < height - 1 else max(first, mark - 1)
    for top in reversed(tops[:current]):
        if end - top > height:
            break
        first = top
    return first
