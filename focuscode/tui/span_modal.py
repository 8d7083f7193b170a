"""Select the words of a segment to quote."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea


class SpanModal(ModalScreen[tuple[int, int] | None]):
    """Returns the (start, end) character span selected in the segment's text, the whole text
    when nothing is selected, or None when cancelled."""

    BINDINGS = [
        Binding("enter", "quote", "Quote", priority=True),
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="span-modal", classes="modal"):
            yield Label(self.title_text, classes="modal-title")
            yield TextArea(self.text, id="span-text", read_only=True, soft_wrap=True,
                           show_cursor=True)
            yield Label("select words with shift+arrows or the mouse · enter quotes them "
                        "(the whole segment if none) · esc cancels", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#span-text", TextArea).focus()

    def action_select_all(self) -> None:
        self.query_one("#span-text", TextArea).select_all()

    def action_quote(self) -> None:
        area = self.query_one("#span-text", TextArea)
        selection = area.selection
        if selection.is_empty:
            self.dismiss((0, len(self.text)))
            return
        ends = sorted(area.document.get_index_from_location(loc)
                      for loc in (selection.start, selection.end))
        start, end = ends
        while start < end and self.text[start].isspace():  # no stray blanks at the edges
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        self.dismiss((start, end) if end > start else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
