"""The review workbench: a Textual app over a project (``focuscode review``)."""

from focuscode.tui.app import ReviewApp, make_app

__all__ = ["ReviewApp", "make_app"]
