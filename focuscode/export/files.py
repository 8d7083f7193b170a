"""Writing files safely: atomically, and neutralised against spreadsheet formula injection."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator

from focuscode.domain import ExportError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                             dir=folder)
        os.close(handle)
    except OSError as error:
        raise ExportError(f"cannot write here: {error.strerror}", path=str(target),
                          hint="choose a writable folder") from None
    try:
        yield Path(temporary)
        os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"cannot write the file: {error.strerror}", path=str(target),
                          hint="check the disk space and that the folder is writable") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
