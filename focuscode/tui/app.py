"""The review workbench app and its factory, shared by the CLI and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from focuscode.domain import Decision, FocuscodeError
from focuscode.domain.review import UNASSIGNED
from focuscode.tui.alignment_screen import AlignmentScreen
from focuscode.tui.disagreements_screen import DisagreementsScreen
from focuscode.tui.help_screen import HelpScreen, key_label
from focuscode.tui.messages import (
    OpenCodeSuggestions,
    OpenEntry,
    OpenQuotes,
    OpenScreen,
    ProjectChanged,
)
from focuscode.tui.queue_screen import QueueScreen
from focuscode.tui.quotes_screen import QuotesScreen
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.search_screen import SearchScreen
from focuscode.tui.suggestion_review_screen import SuggestionReviewScreen
from focuscode.tui.suggestions_screen import SuggestionsScreen
from focuscode.tui.themes_screen import ThemesScreen
from focuscode.workflows import Project

POLL_SECONDS = 0.5  # how often an idle workbench looks for another process' decisions


@dataclass(frozen=True)
class ListedScreen:
    """A screen of the workbench: the name messages open it by, what it is, its class, and
    the key that opens it (``key``, as bindings spell it) on the screen named ``opened_from``
    (empty: on every screen)."""

    name: str
    title: str
    screen: type[Screen]
    key: str = ""
    opened_from: str = ""


class ReviewApp(App[None]):
    """Every decision is written to the project the moment it is made; quitting saves nothing
    because there is nothing left to save.

    Screens open other screens by posting a message (``tui.messages``); the app pushes them.
    ``SCREEN_LIST`` is every screen, in the order the help shows their keys."""

    SCREEN_LIST: tuple[ListedScreen, ...] = (
        ListedScreen("themes", "Themes overview", ThemesScreen),
        ListedScreen("review", "Reviewing a theme or code", ReviewScreen, "enter", "themes"),
        ListedScreen("queue", "Unassigned queue", QueueScreen, "enter", "themes"),
        ListedScreen("search", "Search", SearchScreen, "slash"),
        ListedScreen("quotes", "Quotes", QuotesScreen, "p", "themes"),
        ListedScreen("suggestions", "Suggestions of the codebook's codes", SuggestionsScreen,
                     "s", "themes"),
        ListedScreen("code suggestions", "Walking a code's suggestions", SuggestionReviewScreen,
                     "enter", "suggestions"),
        ListedScreen("alignment", "Themes beside the codebook", AlignmentScreen, "t",
                     "suggestions"),
        ListedScreen("disagreements", "Disagreements between coders", DisagreementsScreen, "g",
                     "themes"),
    )

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

    def decide_in_worker(self, make: Callable[[], Decision], doing: str) -> None:
        """Make a decision that takes a moment (a merge fits its code's keywords) in a thread,
        so the screen stays responsive; once it is made the app says so and the screen shown
        reads the project again, as after an undo. One at a time, and never over a change the
        screen has not shown."""
        if self.check_for_changes():
            self.notify("The project changed in another window: reloaded. Decide again.",
                        severity="warning")
            return
        if self.job_running():
            self.notify("A job is running: wait for it, or cancel it (esc)", severity="warning")
            return
        self.say(f"{doing}…")
        self.run_worker(partial(self._decide_in_thread, make), thread=True, group="job")

    def _decide_in_thread(self, make: Callable[[], Decision]) -> None:
        try:
            decision = make()
        except FocuscodeError as error:
            self.call_from_thread(self.notify, str(error), severity="warning")
            return
        except Exception as error:  # noqa: BLE001 - a bug must not take the workbench down
            self.call_from_thread(self.notify, f"The decision failed: {error!r}",
                                  severity="error")
            return
        self.call_from_thread(self._decided_in_worker, decision)

    def _decided_in_worker(self, decision: Decision) -> None:
        self.say(f"{decision.summary}  (u undoes)")
        self.changed()

    def job_running(self) -> bool:
        """Whether a job (split, re-analysis, suggestions, a slow decision) writes now."""
        return any(w.group == "job" and not w.is_finished for w in self.workers)

    def check_for_changes(self) -> bool:
        """Reload when another process (the CLI, another window) changed the project since
        the screen last showed it; True when it did. Skipped while this app's own job writes."""
        if self.job_running():
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
    @classmethod
    def listed(cls, name: str) -> ListedScreen:
        return next(listed for listed in cls.SCREEN_LIST if listed.name == name)

    @on(OpenEntry)
    def _open_entry(self, message: OpenEntry) -> None:
        if message.key == UNASSIGNED:
            self.push_screen(QueueScreen())
        else:
            self.push_screen(ReviewScreen(message.key, segment_id=message.segment_id))

    @on(OpenQuotes)
    def _open_quotes(self, message: OpenQuotes) -> None:
        self.push_screen(QuotesScreen(message.key))

    @on(OpenCodeSuggestions)
    def _open_code_suggestions(self, message: OpenCodeSuggestions) -> None:
        self.push_screen(SuggestionReviewScreen(message.code_id, message.code_name))

    @on(OpenScreen)
    def _open_screen(self, message: OpenScreen) -> None:
        if message.screen_name == "search":
            self.action_search()
        else:
            self.push_screen(self.listed(message.screen_name).screen())

    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            self.screen.focus_query()
        else:
            self.push_screen(SearchScreen())

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen, self.help_sections()))

    @classmethod
    def help_sections(cls) -> list[tuple[type, str]]:
        """(class, title) of every screen, for the help: what opens it in the title, the
        app's own keys last."""
        titles = {listed.name: listed.title for listed in cls.SCREEN_LIST}
        sections: list[tuple[type, str]] = []
        for listed in cls.SCREEN_LIST:
            where = f" in {titles[listed.opened_from]}" if listed.opened_from else ""
            how = f"  ({key_label(listed.key)}{where})" if listed.key else ""
            sections.append((listed.screen, listed.title + how))
        return sections + [(cls, "Everywhere")]


def make_app(project: Project) -> ReviewApp:
    """The workbench over an open project (the CLI and the tests both start here)."""
    return ReviewApp(project)
