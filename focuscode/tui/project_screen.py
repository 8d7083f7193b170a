"""What every workbench screen shares: the project, and reading it again after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from textual import on
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from focuscode.domain import Decision
from focuscode.tui.messages import ProjectChanged
from focuscode.workflows import Project

if TYPE_CHECKING:
    from focuscode.tui.app import ReviewApp


FOOTER_FIRST = ("undo", "search", "help")  # the app's actions, as its bindings name them
FOOTER_LAST = ("back", "quit")


class ProjectScreen(Screen):
    """A screen over the project. ``load`` reads what it shows; it runs when the screen comes
    into view after the project changed, and when an undo or a job changes it underneath."""

    def __init__(self) -> None:
        super().__init__()
        self._seen = -1

    @property
    def workbench(self) -> "ReviewApp":
        return self.app  # type: ignore[return-value]

    @property
    def project(self) -> Project:
        return self.workbench.project

    @property
    def active_bindings(self):  # noqa: ANN201 - Textual's dict of ActiveBinding
        """The screen's keys in the order the footer shows them (it cuts what does not fit):
        the app's undo, search and keys first, then the decisions, the screen's own keys, and
        back and quit last."""
        bindings = super().active_bindings
        return dict(sorted(bindings.items(), key=lambda item: _footer_rank(item[1].binding)))

    def on_resize(self) -> None:
        """Below 100 columns the footer closes up, so more of its keys fit."""
        for footer in self.query(Footer):
            footer.compact = self.size.width < 100

    def load(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        self._seen = self.workbench.revision
        self.load()

    def decide(self, make: Callable[[], Decision]) -> Decision | None:
        """Make a decision through the app; the caller shows its effect itself."""
        decision = self.workbench.decide(make)
        if decision is not None:
            self._seen = self.workbench.revision
        return decision

    def on_screen_resume(self) -> None:
        if self._seen != self.workbench.revision:
            self.reload()

    @on(ProjectChanged)
    def _project_changed(self) -> None:
        self.reload()


def _footer_rank(binding: Binding) -> int:
    action = binding.action
    if action in FOOTER_FIRST:
        return FOOTER_FIRST.index(action)
    if action in FOOTER_LAST:
        return len(FOOTER_FIRST) + 2 + FOOTER_LAST.index(action)
    return len(FOOTER_FIRST) + (0 if action.startswith("decide(") else 1)
