"""The ``focuscode`` command line: thin Typer commands over ``workflows.Project``."""

from focuscode.cli.app import app, main

__all__ = ["app", "main"]
from focuscode.cli import codebook as _codebook  # noqa: E402,F401 - codebook, suggest, agreement
from focuscode.cli import reports as _reports  # noqa: E402,F401 - registers the report commands
