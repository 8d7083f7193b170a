"""What screens running a long job (split, re-analysis, suggestions) share: the job panel, one
job at a time, reporting back from the worker's thread, and cancelling."""

from __future__ import annotations

from collections.abc import Callable

from focuscode.domain import FocuscodeError
from focuscode.tui.project_screen import ProjectScreen
from focuscode.tui.widgets import JobPanel
from focuscode.workflows import Cancelled


class JobScreen(ProjectScreen):
    """A screen with a ``JobPanel`` (``#job``). Subclasses start the job in a
    ``@work(thread=True, exclusive=True, group="job")`` method that calls ``run_job``."""

    @property
    def job(self) -> JobPanel:
        return self.query_one("#job", JobPanel)

    def job_running(self) -> bool:
        """Whether a job runs already, here or on another screen (and say so: one at a time,
        as two jobs would write the project at once)."""
        if self.job.is_running:
            self.notify("A job is running (esc cancels it)", severity="warning")
            return True
        if self.workbench.job_running():
            self.notify("A job is running on another screen: wait for it, or cancel it there "
                        "(esc)", severity="warning")
            return True
        return False

    def action_cancel_job(self) -> None:
        if self.job.is_running:
            self.workers.cancel_group(self, "job")
            self.workbench.say("Cancelling…")

    def run_job(self, job: Callable[[], str]) -> None:
        """Run in the worker's thread; report back on the UI thread."""
        try:
            message, severity = job(), "information"
        except Cancelled:
            message, severity = "Cancelled: the project is as it was", "information"
        except FocuscodeError as error:
            message, severity = str(error), "warning"
        except Exception as error:  # noqa: BLE001 - a bug must not take the workbench down
            message, severity = f"the job failed: {error!r}", "error"
        self.app.call_from_thread(self._job_done, message, severity)

    def _job_done(self, message: str, severity: str) -> None:
        self.job.finish()
        if severity == "information":  # the status bar says it; warnings pop up too
            self.workbench.say(message)
        else:
            self.notify(message[:1].upper() + message[1:], severity=severity)  # type: ignore
        self.workbench.changed()
