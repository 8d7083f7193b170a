"""Pick one of many (a theme, a code, a number) by typing a few letters of it."""

from __future__ import annotations

from typing import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

NEW_PREFIX = "new:"


class PickerModal(ModalScreen[str | None]):
    """Returns the id of the option picked, ``"new:<text>"`` for a new code (``allow_new``), or
    None when cancelled. Typing filters fuzzily; up/down move; enter picks."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, str]], *,
                 allow_new: bool = False, fuzzy: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.allow_new = allow_new
        self.fuzzy = fuzzy

    def compose(self) -> ComposeResult:
        with Vertical(id="picker", classes="modal"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(placeholder="type to filter" + (", or a new code's name"
                                                        if self.allow_new else ""),
                        id="picker-input")
            yield OptionList(id="picker-options")
            yield Label("enter picks · esc cancels", classes="modal-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-input", Input).focus()

    @on(Input.Changed, "#picker-input")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        found = self.query_one("#picker-options", OptionList)
        found.clear_options()
        query = query.strip()
        if query and self.fuzzy:
            matcher = Matcher(query)
            scored = [(matcher.match(label), ident, label) for ident, label in self.options]
            options = [Option(matcher.highlight(label), id=ident)
                       for score, ident, label in sorted(scored, key=lambda s: -s[0]) if score > 0]
        else:
            options = [Option(label, id=ident) for ident, label in self.options]
        if self.allow_new and query and not any(
                label.casefold() == query.casefold() for _, label in self.options):
            options.append(Option(f"+ new code “{query}”", id=NEW_PREFIX + query))
        found.add_options(options)
        if options:
            found.highlighted = 0

    def action_move(self, step: int) -> None:
        found = self.query_one("#picker-options", OptionList)
        if found.option_count:
            found.highlighted = ((found.highlighted or 0) + step) % found.option_count

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        found = self.query_one("#picker-options", OptionList)
        if found.highlighted is not None:
            self.dismiss(found.get_option_at_index(found.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
