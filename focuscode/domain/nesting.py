"""Guarding parsers of user files against documents that expand when read (YAML alias bombs):
by the values they hold and by the bytes they would produce, shared ones (aliases) counted each
time they are reached."""

from __future__ import annotations

from typing import Any

from focuscode.domain.errors import IngestError


def check_expansion(data: Any, *, max_values: int, max_bytes: int, what: str,
                    source: str | None) -> None:
    """Refuse ``data`` (read from ``source``) if it holds more than ``max_values`` values or
    would expand to more than ``max_bytes``: one line, naming the file."""
    values, size = _measure(data, max_values, max_bytes)
    if values > max_values:
        raise IngestError(f"{what} expands to more than {max_values:,} values (through YAML "
                          "aliases?); refusing to read it", path=source)
    if size > max_bytes:
        raise IngestError(f"{what} expands to more than {max_bytes // (1024 * 1024)} MiB of text "
                          "(through YAML aliases?); refusing to read it", path=source,
                          hint="write the repeated text out once, without '*' aliases")


def _measure(data: Any, max_values: int | None, max_bytes: int | None) -> tuple[int, int]:
    count, size, stack = 0, 0, [data]
    while stack and (max_values is None or count <= max_values) and (
            max_bytes is None or size <= max_bytes):
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set)):
            stack.extend(item)
        elif isinstance(item, (str, bytes)):
            size += len(item) + 1
        else:
            size += 1
    return count, size
