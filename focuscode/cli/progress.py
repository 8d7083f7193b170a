"""Rich progress bars behind the workflows' Progress protocol."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class RichProgress:
    """Shows one bar per stage on stderr; ``with RichProgress(console) as progress: ...``."""

    def __init__(self, console: Console) -> None:
        self._bars = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                              MofNCompleteColumn(), TimeElapsedColumn(), console=console,
                              transient=False)
        self._task = None

    def __enter__(self) -> "RichProgress":
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            task = self._bars.tasks[-1]
            if task.total is None:
                self._bars.update(self._task, total=1, completed=1)
        self._bars.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        if self._task is not None:
            task = self._bars.tasks[-1]
            self._bars.update(self._task, total=task.total or 1,
                              completed=task.total or 1)
        self._task = self._bars.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bars.advance(self._task, n)

    def is_cancelled(self) -> bool:
        """After a Ctrl-C, even one a library swallowed: stop at the next safe point."""
        from focuscode.cli import SIGINT_SEEN

        return SIGINT_SEEN.is_set()
