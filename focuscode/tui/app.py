"""The review workbench app and its factory, shared by the CLI and the tests."""

from __future__ import annotations

from typing import Callable

from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import var

from focuscode.domain import Decision, FocuscodeError
from focuscode.workflows import Project

POLL_SECONDS = 0.5  # how often an idle workbench looks for another process' decisions


class ProjectChanged(Message):
    """The project changed under the screen (undo, redo, a finished job): read it again."""


class ReviewApp(App[None]):
    """Every decision is written to the project the moment it is made; quitting saves nothing
    because there is nothing left to save."""

    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)"),
        Binding("question_mark", "help", "Keys", tooltip="Show every key"),
        Binding("u", "undo", "Undo",
                tooltip="Undo the last decision (again: the one before), even after a restart"),
        Binding("ctrl+r", "redo", "Redo", tooltip="Redo what was undone", show=False),
        Binding("ctrl+z", "undo", "Undo", show=False),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("slash", "search", "Search",
                tooltip="Search every segment; filter by role, speaker, transcript, status"),
    ]

    status: var[str] = var("")
    """What the last key did, in a sentence: every screen's status bar shows it."""
    revision: var[int] = var(0)
    """Bumped after every change to the project; screens read the project again when they
    come back into view after it changed."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.seen = project.log.last_id()
        """The latest decision of the log this screen has shown: another process' decision
        after it means the screen is stale (reloaded when idle, and before any write)."""

    def on_mount(self) -> None:
        from focuscode.tui.themes_screen import ThemesScreen

        self.title = f"focuscode review · {self.project.folder.resolve().name}"
        blind = self.project.visibility.blind_coder is not None
        self.sub_title = f"coder {self.project.coder} · " + (
            "blind mode" if blind else "saved as you decide")
        self.say("Every decision is saved at once · u undoes, even after a restart · ? keys")
        self.push_screen(ThemesScreen())
        self.set_interval(POLL_SECONDS, self.check_for_changes)

    # decisions ----------------------------------------------------------------------------
    def decide(self, make: Callable[[], Decision]) -> Decision | None:
        """Make one decision: say what it did, or why it could not be made."""
        if self.check_for_changes():
            self.notify("The project changed in another window: reloaded. Decide again.",
                        severity="warning")
            return None
        try:
            decision = make()
        except FocuscodeError as error:
            self.notify(str(error), severity="warning")
            return None
        self.seen = self.project.log.last_id()
        self.say(f"{decision.summary}  (u undoes)")
        self.revision += 1
        return decision

    def check_for_changes(self) -> bool:
        """Reload when another process (the CLI, another window) changed the project since
        the screen last showed it; True when it did. Skipped while this app's own job writes."""
        if any(w.group == "job" and not w.is_finished for w in self.workers):
            return False
        latest = self.project.log.last_id()
        if latest == self.seen:
            return False
        self.changed()
        decision = self.project.log.decision(latest) if latest is not None else None
        if decision is not None and (decision.coder == self.project.coder
                                     or not self.project.blind):
            self.say(f"Changed elsewhere, reloaded: {decision.coder}: {decision.summary}")
        else:  # blind mode: nothing of another coder's decision
            self.say("Changed elsewhere, reloaded")
        return True

    def say(self, message: str) -> None:
        """What was just done, in the status bar: calmer than a toast for every key."""
        self.status = message[:1].upper() + message[1:]

    def changed(self) -> None:
        """The project changed outside a screen's own decision: the screen shown reloads."""
        self.seen = self.project.log.last_id()
        self.revision += 1
        self.screen.post_message(ProjectChanged())

    def action_undo(self) -> None:
        self._step(self.project.undo, "Nothing to undo")

    def action_redo(self) -> None:
        self._step(self.project.redo, "Nothing to redo")

    def _step(self, step: Callable[[], int | None], nothing: str) -> None:
        if self.check_for_changes():  # never undo a decision the screen has not shown
            self.notify("The project changed in another window: reloaded. Press again to "
                        "undo or redo.", severity="warning")
            return
        try:
            decision_id = step()
        except FocuscodeError as error:
            self.notify(str(error), severity="warning")
            return
        if decision_id is None:
            self.say(nothing)
            return
        self.say(self.project.review.describe(decision_id))
        self.changed()

    # navigation ---------------------------------------------------------------------------
    def action_search(self) -> None:
        from focuscode.tui.search_screen import SearchScreen

        if isinstance(self.screen, SearchScreen):
            self.screen.focus_query()
        else:
            self.push_screen(SearchScreen())

    def action_help(self) -> None:
        from focuscode.tui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def make_app(project: Project) -> ReviewApp:
    """The workbench over an open project (the CLI and the tests both start here)."""
    return ReviewApp(project)
