"""One root error for everything focuscode reports to a user.

Shells (CLI, TUI) turn these into one clear message and a non-zero exit; anything else is a bug.
"""

from __future__ import annotations


class FocuscodeError(Exception):
    """Root of every error focuscode reports to a user.

    ``path`` and ``line`` say where the problem is, ``hint`` what to do about it.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class IngestError(FocuscodeError):
    """A transcript, speakers file or codebook could not be read."""


class ConfigError(FocuscodeError):
    """A setting or command-line value is not usable."""


class StoreError(FocuscodeError):
    """The project store could not be opened, read or written."""


class ProjectNotFoundError(StoreError):
    """No project exists where one was expected."""


class ModelError(FocuscodeError):
    """The embedding model could not be loaded or used."""


class AnalysisError(FocuscodeError):
    """Theme discovery could not run on the given data."""


class ExportError(FocuscodeError):
    """An export could not be written, or would not be faithful to the source."""


class DecisionError(FocuscodeError):
    """A researcher decision does not apply (unknown segment, nothing to undo, ...)."""
