"""Every key of the workbench, the current screen's first."""

from __future__ import annotations

from typing import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

KEY_NAMES = {"question_mark": "?", "slash": "/", "asterisk": "*", "space": "space",
             "escape": "esc", "delete": "del", "backspace": "backspace", "enter": "enter",
             "left": "←", "right": "→"}


def key_label(keys: str) -> str:
    return " / ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def bindings_table(title: str, bindings: list) -> Table:
    table = Table(title=title, title_justify="left", show_header=False, box=None, expand=True,
                  padding=(0, 1))
    table.add_column("key", style="bold", no_wrap=True, width=14)
    table.add_column("does", ratio=1)
    seen: set[str] = set()
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        label = key_label(binding.key)
        if (label, binding.description) in seen:
            continue
        seen.add((label, binding.description))
        table.add_row(label, binding.tooltip or binding.description)
    return table


def all_bindings(cls: type) -> list:
    """A class's bindings, its bases' too (screens share the segment list's keys)."""
    found: list = []
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("focuscode."):
            found += [b for b in klass.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    return found


class HelpScreen(ModalScreen[None]):
    """The keys of every screen the app lists (``sections``: class and title), the current
    screen's first."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, current: Screen | None, sections: Sequence[tuple[type, str]]) -> None:
        super().__init__()
        self.current = type(current) if current is not None else None
        self.sections = list(sections)

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="modal"):
            yield Label("Keys · every decision is saved at once · u undoes, even after a "
                        "restart", classes="modal-title")
            with VerticalScroll(id="help-body"):
                ordered = sorted(self.sections, key=lambda s: s[0] is not self.current)
                for cls, title in ordered:
                    yield Static(bindings_table(title, all_bindings(cls)), classes="help-section")
                yield Static(Text("Mouse: click a row to move there, click it again to open it; "
                                  "click a column title to sort the themes."),
                             classes="help-section")
            yield Label("esc closes", classes="modal-hint")

    def action_close(self) -> None:
        self.dismiss(None)
