"""Pick one of many (a theme, a code, a number) by typing a few letters of it."""

from __future__ import annotations

from typing import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

NEW_PREFIX = "new:"


class PickerModal(ModalScreen[str | None]):
    """Returns the id of the option picked, ``"new:<text>"`` for a new code (``allow_new``), or
    None when cancelled. Options are (id, label) or (id, label, detail); typing filters the
    labels fuzzily, the detail (a size, a kind) is shown muted. Up/down move; enter picks."""

    COMPONENT_CLASSES = {"picker-modal--detail"}

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
    ]

    def __init__(self, title: str, options: Sequence[tuple[str, ...]], *,
                 allow_new: bool = False, fuzzy: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.options = [(option[0], option[1], option[2] if len(option) > 2 else "")
                        for option in options]
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
            scored = [(matcher.match(label), ident, label, detail)
                      for ident, label, detail in self.options]
            options = [Option(self._prompt(matcher.highlight(label), detail), id=ident)
                       for score, ident, label, detail in sorted(scored, key=lambda s: -s[0])
                       if score > 0]
        else:
            options = [Option(self._prompt(Content(label), detail), id=ident)
                       for ident, label, detail in self.options]
        if self.allow_new and query and not any(
                label.casefold() == query.casefold() for _, label, _ in self.options):
            options.append(Option(f"+ new code “{query}”", id=NEW_PREFIX + query))
        found.add_options(options)
        if options:
            found.highlighted = 0

    def _prompt(self, label: Content, detail: str) -> Content:
        """The label as written (no markup), then its detail."""
        if not detail:
            return label
        style = self.get_visual_style("picker-modal--detail", partial=True)
        return Content.assemble(label, (f"  {detail}", style))

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

