"""What every workbench screen shares: the project, and reading it again after a change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from textual import on
from textual.screen import Screen

from focuscode.domain import Decision
from focuscode.tui.app import ProjectChanged
from focuscode.workflows import Project

if TYPE_CHECKING:
    from focuscode.tui.app import ReviewApp


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
