"""One line above the footer: what the last key did (a decision, an undo, a sort)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    """Shows the app's ``status`` and follows it; every screen has one (see ``app.tcss``)."""

    def on_mount(self) -> None:
        self.watch(self.app, "status", self._show)

    def _show(self, status: str) -> None:
        self.update(Text(status))
