"""Walk one code's pending suggestions: the segment, the score, and why the model suggests it;
accept (confirm the code as yours), reject or skip each, or a selection at once."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from focuscode.domain import DecisionError
from focuscode.domain.review import ReviewSegment, SegmentPage, code_key
from focuscode.domain.suggestions import PendingSuggestion
from focuscode.tui.segments_screen import SegmentsScreen
from focuscode.tui.widgets.formatting import shorten

PAGE = 200
TITLE = "Suggested: "
MIN_NAME = 30  # characters of the code's name the title keeps before it says less
EVIDENCE_KINDS = {"definition": "the code's definition", "example": "an example of the code",
                  "confirmed": "confirmed segment"}
STATUS_WORDS = {"confirmed": "✓ confirmed", "rejected": "✗ rejected"}


class SuggestionReviewScreen(SegmentsScreen):
    """The coder's pending suggestions of one code, in transcript order. y/n decide the
    selection (one decision) or the segment under the cursor, and move on to the next one still
    to decide; decided ones stay listed, marked, until the list is read again."""

    BINDINGS = [
        Binding("y", "decide('confirmed')", "Accept",
                tooltip="Accept: the code applies (confirmed as yours); go to the next"),
        Binding("n", "decide('rejected')", "Reject",
                tooltip="Reject: the code does not apply; go to the next"),
        Binding("s", "step(1)", "Skip", tooltip="Skip to the next segment, deciding nothing"),
        Binding("backspace", "decide(None)", "Undecide", tooltip="Back to undecided", show=False),
    ]

    def __init__(self, code_id: int, code_name: str) -> None:
        super().__init__()
        self.code_id = code_id
        self.code_name = code_name
        self.key = code_key(code_id)
        self._why: dict[int, PendingSuggestion] = {}
        self._loading = False
        self._threshold: float | None = None

    def compose_detail(self) -> ComposeResult:
        yield Static(id="suggestion-why")

    # what is shown ------------------------------------------------------------------------
    def load(self) -> None:
        try:  # the code may be gone (merged, deleted, its import undone)
            self.project.suggestions.pending(self.code_id, limit=0)
        except DecisionError as error:
            self.notify(f"{error}", severity="warning")
            self.dismiss()
            return
        run = self.project.suggestions.latest_run()
        self._threshold = run.threshold if run is not None else None
        decided = {s.segment_id for s in self.table.segments if s.status != "suggested"}
        self._loading = True
        try:
            super().load()
        finally:
            self._loading = False
        # a decision undone: its suggestion is pending again, and gets the cursor
        back = next((i for i, s in enumerate(self.table.segments) if s.segment_id in decided),
                    None)
        if back is not None:
            self.table.move_cursor(row=back)

    def fetch(self, offset: int) -> SegmentPage:
        """A page of the pending list. Rows decided since the list was read left it: the next
        page starts after the loaded rows still pending."""
        gone = 0 if self._loading else sum(1 for s in self.table.segments
                                           if s.status != "suggested")
        try:
            rows, total = self.project.suggestions.pending(
                self.code_id, offset=max(0, offset - gone), limit=PAGE)
        except DecisionError:  # the code is gone: load() says so
            rows, total = [], 0
        self._why.update((p.suggestion.segment_id, p) for p in rows)
        return SegmentPage(tuple(_segment(p, self.key) for p in rows), total + gone, offset)

    def fetch_one(self, segment: ReviewSegment) -> ReviewSegment | None:
        try:
            fresh = self.project.review.segment(self.key, segment.segment_id)
        except DecisionError:
            return segment
        if fresh is None:  # undecided, and not in a theme of the code: pending again
            return replace(segment, status="suggested")
        return replace(segment, status=fresh.status, also=fresh.also)

    def entry_of(self, segment: ReviewSegment) -> str | None:
        return self.key

    def title_text(self) -> str:
        decided = [s.status for s in self.table.segments if s.status != "suggested"]
        left = self.table.total - len(decided)
        accepted, rejected = decided.count("confirmed"), decided.count("rejected")
        width = (self.size.width or 80) - 2
        for counts in (f" · {left} to decide · {accepted} accepted · {rejected} rejected here",
                       f" · {left} to decide · {accepted} ✓ · {rejected} ✗"):
            if width - len(counts) - len(TITLE) >= min(MIN_NAME, len(self.code_name)):
                break
        room = max(MIN_NAME // 2, width - len(counts) - len(TITLE))
        return TITLE + shorten(self.code_name, room) + counts

    def show_current(self) -> None:
        super().show_current()
        segment = self.table.current
        why = self.query_one("#suggestion-why", Static)
        if segment is None:
            why.update(Text(f"No suggestions of '{self.code_name}' left for you to decide. "
                            "esc goes back.") if self.table.total == 0 else "")
            return
        pending = self._why.get(segment.segment_id)
        why.update(self._reason(pending) if pending is not None else "")

    def _reason(self, pending: PendingSuggestion) -> Text:
        s = pending.suggestion
        width = max(40, (self.size.width or 80) - 2)
        text = Text()
        text.append("Why: ", "bold")
        threshold = f" (threshold {self._threshold:.2f})" if self._threshold is not None else ""
        source = f" {s.evidence_segment_id}" if s.evidence_segment_id is not None else ""
        text.append(f"z {s.score:.2f}{threshold} · nearest: "
                    f"{EVIDENCE_KINDS.get(s.evidence_kind, s.evidence_kind)}{source}, cosine "
                    f"{s.similarity:.2f}\n")
        text.append(f"“{shorten(s.evidence, 2 * width - 4)}”", "italic")
        others = self._other_codes(s.segment_id)
        if others:
            text.append("\n" + shorten(f"Also suggested for it: {others}", width), "dim")
        if pending.others:  # empty in blind mode
            text.append("\n" + shorten("Other coders: " + ", ".join(
                f"{coder} {STATUS_WORDS.get(status, status)}" for coder, status in pending.others),
                width), "dim")
        return text

    def _other_codes(self, segment_id: int) -> str:
        try:
            found = self.project.suggestions.for_segment(segment_id)
        except DecisionError:
            return ""
        return ", ".join(f"{s.code_name} (z {s.score:.1f})" for s in found
                         if s.suggested and s.code_id != self.code_id)

    # decisions ----------------------------------------------------------------------------
    def action_decide(self, status: str | None) -> None:
        targets = self.table.targets()
        if not targets:
            return
        pairs = [(s.segment_id, self.code_id) for s in targets]
        suggestions = self.project.suggestions
        decide = {"confirmed": suggestions.confirm, "rejected": suggestions.reject,
                  None: suggestions.clear}[status]
        if self.decide(lambda: decide(pairs)) is None:
            return
        self.refresh_segments(targets)
        if len(targets) == 1:
            self.table.advance()
        self.refresh_title()
        if status is not None and not any(s.status == "suggested" for s in self.table.segments) \
                and len(self.table.segments) >= self.table.total:
            self.notify(f"Every suggestion of '{self.code_name}' is decided: esc goes back")


def _segment(pending: PendingSuggestion, key: str) -> ReviewSegment:
    """A pending suggestion's segment as the segment list shows it."""
    s = pending.suggestion
    return ReviewSegment(
        segment_id=s.segment_id, transcript=pending.transcript, turn_index=pending.turn_index,
        speaker=pending.speaker_name, speaker_name=pending.speaker_name, role=pending.role,
        start_time=None, start_char=0, end_char=len(pending.text), text=pending.text,
        status="suggested", entry_key=key, entry_label=s.code_name)
