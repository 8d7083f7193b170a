"""How long jobs report progress to whichever shell runs them, and learn they were cancelled."""

from __future__ import annotations

from typing import Protocol

from focuscode.domain import FocuscodeError


class Cancelled(FocuscodeError):
    """The researcher cancelled a long job; the project is as it was before it started."""


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins (``total`` units of work, or unknown)."""

    def advance(self, n: int = 1) -> None:
        """``n`` more units of the current stage are done."""

    def is_cancelled(self) -> bool:
        """Whether the job should stop at the next safe point."""


class NullProgress:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


def check_cancelled(progress: Progress) -> None:
    if progress.is_cancelled():
        raise Cancelled("cancelled; the project is unchanged by the interrupted step")
