"""Writing files safely: atomically, never over the project itself or a special file, with the
user's umask, and neutralised against spreadsheet formula injection."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any, Iterable, Iterator

from focuscode.domain import ExportError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STORE_NAME = "focuscode.sqlite"
# The project's files: the database, SQLite's companions and the backups taken before upgrades.
STORE_FILES = re.compile(r"^focuscode\.sqlite(-wal|-shm|-journal|\.bak-.*)?$", re.IGNORECASE)
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")
# The first bytes of an SQLite database, write-ahead log and rollback journal.
SQLITE_MAGIC = (b"SQLite format 3\x00", b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",
                b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
_PROTECTED: set[Path] = set()
_SOURCES: set[Path] = set()
_UMASK_LOCK = threading.Lock()


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def protect(database: Path, sources: Iterable[str | Path] = ()) -> None:
    """Never let an export overwrite ``database``, its companions or its backups, nor the
    transcript files imported into it (``sources``), under any name (a symlink or hard link to
    one of them included)."""
    _PROTECTED.add(Path(os.path.abspath(database)))
    _SOURCES.update(Path(os.path.abspath(source)) for source in sources)


def _protected_files() -> Iterator[Path]:
    for database in _PROTECTED:
        for suffix in STORE_SUFFIXES:
            yield database.with_name(database.name + suffix)
        with contextlib.suppress(OSError):
            yield from database.parent.glob(f"{database.name}.bak-*")


def _refuse(target: Path, why: str, hint: str = "choose another file name") -> ExportError:
    return ExportError(f"refusing to write here: {why}; nothing was written", path=str(target),
                       hint=hint)


def checked_target(target: Path) -> Path:
    """The regular file (new or existing) an export to ``target`` writes: symlinks followed.
    Refuses the project's own files and anything that exists but is not a regular file."""
    try:
        resolved = Path(target).resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop
        raise _refuse(target, f"the path cannot be resolved ({error})") from None
    for name in (Path(target).name, resolved.name):
        if STORE_FILES.match(name):
            raise _refuse(target, "this is a focuscode project file",
                          hint="exports never overwrite a project; choose another file name")
    try:
        info = resolved.stat()
    except (FileNotFoundError, NotADirectoryError):
        return resolved  # a new file (or one that cannot be made: the writer says so)
    except OSError as error:
        raise _refuse(target, f"cannot check the file ({error.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(target, "it is a folder", hint="give a file name inside it")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(target, "it is not a regular file (a device, pipe or socket)",
                      hint="give the name of a new or ordinary file")
    for protected in _protected_files():
        with contextlib.suppress(OSError):
            if os.path.samefile(protected, resolved):
                raise _refuse(target, f"it is the project file {protected}",
                              hint="exports never overwrite a project; choose another file name")
    for source in _SOURCES:
        with contextlib.suppress(OSError):
            if os.path.samefile(source, resolved):
                raise _refuse(target, "it is a transcript imported into the project",
                              hint="exports never overwrite their sources; choose another name")
    if _starts_like_sqlite(resolved):
        raise _refuse(target, "it is an SQLite database (a project?)",
                      hint="exports never overwrite a database; choose another file name")
    return resolved


def _starts_like_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError:
        return False
    return any(head.startswith(magic) for magic in SQLITE_MAGIC)


def file_mode() -> int:
    """The mode a new file gets from the user's umask (0644 under umask 0022)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed onto it only if the block succeeds: the file
    is whole or not there, has the user's umask, and is never the project or a special file."""
    target = Path(target)
    final = checked_target(target)
    folder = final.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".part",
                                             dir=folder)
        os.close(handle)
    except OSError as error:
        raise ExportError(f"cannot write here: {error.strerror}", path=str(target),
                          hint="choose a writable folder") from None
    try:
        yield Path(temporary)
        os.chmod(temporary, file_mode())
        checked_target(target)  # nothing changed it meanwhile into something to refuse
        os.replace(temporary, final)
    except OSError as error:
        raise ExportError(f"cannot write the file: {error.strerror}", path=str(target),
                          hint="check the disk space and that the folder is writable") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
