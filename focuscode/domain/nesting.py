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


def check_unique_keys(node: Any, *, what: str, source: str | None) -> None:
    """Refuse a mapping that gives one key twice (YAML keeps the last silently). ``node`` is a
    composed YAML node (PyYAML's ``compose``; read by duck typing: ``value`` and
    ``start_mark``); a node shared through aliases is walked once."""
    seen, stack = set(), [node]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        value = getattr(item, "value", None)
        if not isinstance(value, list):
            continue
        if value and isinstance(value[0], tuple):  # a mapping: (key node, value node) pairs
            keys: dict[str, Any] = {}
            for key, child in value:
                text = str(getattr(key, "value", key))
                if text in keys and text != "<<":
                    mark = getattr(key, "start_mark", None)
                    raise IngestError(f"{what} gives the key '{text}' twice (the second would "
                                      "silently replace the first)", path=source,
                                      line=mark.line + 1 if mark is not None else None,
                                      hint="keep one of them")
                keys[text] = key
                stack.extend((key, child))
        else:
            stack.extend(value)
