"""The ``focuscode`` command line: thin Typer commands over ``workflows.Project``."""

from focuscode.cli.app import app, main

__all__ = ["app", "main"]
