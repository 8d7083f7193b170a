"""What screens tell the workbench app: the project changed, or open another screen.

Screens never import each other to navigate: they post one of these, it bubbles up to the
``ReviewApp``, and the app pushes the screen (it keeps the list of screens, see
``ReviewApp.SCREEN_LIST``)."""

from __future__ import annotations

from textual.message import Message


class ProjectChanged(Message):
    """The project changed under the screen (undo, redo, a finished job, another process):
    read it again. Posted by the app to the screen shown."""

    bubble = False


class OpenEntry(Message):
    """Open a theme or code (``key``: ``c12``, ``t5``) for review, at ``segment_id`` when
    given; the unassigned queue when ``key`` is ``unassigned``."""

    def __init__(self, key: str, segment_id: int | None = None) -> None:
        super().__init__()
        self.key = key
        self.segment_id = segment_id


class OpenQuotes(Message):
    """Open the quotes of a theme or code."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key


class OpenCodeSuggestions(Message):
    """Walk one code's pending suggestions."""

    def __init__(self, code_id: int, code_name: str) -> None:
        super().__init__()
        self.code_id = code_id
        self.code_name = code_name


class OpenScreen(Message):
    """Open a screen of the app's list that takes nothing to open (``suggestions``,
    ``alignment``, ``disagreements``, ``search``), by its name in the list."""

    def __init__(self, screen_name: str) -> None:
        super().__init__()
        self.screen_name = screen_name
