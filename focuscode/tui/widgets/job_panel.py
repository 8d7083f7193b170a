"""Progress of a long job (split, re-analysis) run in a thread worker, and how to cancel it."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar
from textual.worker import Worker


class JobPanel(Horizontal):
    """Hidden until a job starts; ``-running`` shows it (see ``app.tcss``)."""

    def compose(self) -> ComposeResult:
        yield Label("", id="job-label")
        yield ProgressBar(id="job-bar", show_eta=False)
        yield Label("esc cancels", id="job-hint")

    def start(self, name: str) -> None:
        self.stage(name, None)
        self.add_class("-running")

    def stage(self, name: str, total: int | None) -> None:
        self.query_one("#job-label", Label).update(name)
        self.query_one("#job-bar", ProgressBar).update(total=total, progress=0)

    def advance(self, n: int) -> None:
        self.query_one("#job-bar", ProgressBar).advance(n)

    def finish(self) -> None:
        self.remove_class("-running")

    @property
    def is_running(self) -> bool:
        return self.has_class("-running")


class TuiProgress:
    """The workflows' ``Progress`` for a thread worker: reports to a ``JobPanel`` on the UI
    thread, and reads cancellation from the worker."""

    def __init__(self, app: App, panel: JobPanel, worker: Worker) -> None:
        self.app = app
        self.panel = panel
        self.worker = worker

    def stage(self, name: str, total: int | None = None) -> None:
        self.app.call_from_thread(self.panel.stage, name, total)

    def advance(self, n: int = 1) -> None:
        self.app.call_from_thread(self.panel.advance, n)

    def is_cancelled(self) -> bool:
        return self.worker.is_cancelled
