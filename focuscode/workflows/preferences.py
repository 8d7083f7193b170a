"""A coder's workbench preferences (how the themes overview is sorted), kept in the project so
they survive a restart. They are no decisions: no entry of the log, nothing to undo."""

from __future__ import annotations

from typing import Any

from focuscode.store import ProjectStore


class Preferences:
    """Named values of one coder, stored as one setting of the project (``preferences:<coder>``)."""

    def __init__(self, store: ProjectStore, coder: str) -> None:
        self.store = store
        self.key = f"preferences:{coder}"

    def get(self, name: str, default: Any = None) -> Any:
        return self.store.get_setting(self.key, {}).get(name, default)

    def set(self, name: str, value: Any) -> None:
        with self.store.db.atomic():  # read and write under one lock: two windows, one coder
            values = self.store.get_setting(self.key, {})
            if values.get(name) != value:
                self.store.set_setting(self.key, {**values, name: value})
