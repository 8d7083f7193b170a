"""Guarding parsers of user files against documents that expand when read (YAML alias bombs)."""

from __future__ import annotations

from typing import Any


def count_values(data: Any, limit: int) -> int:
    """How many values ``data`` holds, counting shared ones (YAML aliases) each time they are
    reached; stops counting past ``limit``."""
    count, stack = 0, [data]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
    return count
