"""Write a name (one line) or a definition (several lines)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, TextArea


class TextModal(ModalScreen[str | None]):
    """Returns the text written, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, title: str, value: str = "", *, multiline: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.multiline = multiline

    def compose(self) -> ComposeResult:
        with Vertical(id="text-modal", classes="modal"):
            yield Label(self.title_text, classes="modal-title")
            if self.multiline:
                yield TextArea(self.value, id="text-area", soft_wrap=True)
                yield Label("ctrl+s saves · esc cancels", classes="modal-hint")
            else:
                yield Input(self.value, id="text-input")
                yield Label("enter saves · esc cancels", classes="modal-hint")

    def on_mount(self) -> None:
        if self.multiline:
            area = self.query_one("#text-area", TextArea)
            area.focus()
            area.move_cursor(area.document.end)
        else:
            self.query_one("#text-input", Input).focus()

    @on(Input.Submitted, "#text-input")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if self.multiline:
            self.dismiss(self.query_one("#text-area", TextArea).text)
        else:
            self.dismiss(self.query_one("#text-input", Input).value)

    def action_cancel(self) -> None:
        self.dismiss(None)
