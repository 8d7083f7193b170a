"""The ``focuscode`` command line: thin Typer commands over ``workflows.Project``.

The commands are in ``cli.app`` (the Typer ``app``), ``cli.codebook`` and ``cli.reports``. This
package imports nothing heavy: ``main``, the entry point of ``focuscode`` and ``python -m
focuscode``, handles Ctrl-C before it imports them (Typer, Rich, numpy, pandas, ...: the first
fraction of a second), so Ctrl-C then ends as it does later, with one line and exit code 130.
"""

from __future__ import annotations

import sys
import threading

INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
INTERRUPTED_MESSAGE = ("interrupted: decisions made so far are saved; the step in progress was "
                       "not applied")

__all__ = ["INTERRUPTED", "INTERRUPTED_MESSAGE", "SIGINT_SEEN", "interrupted", "main",
           "watch_sigint"]

# Set by the first Ctrl-C: a library that swallows the KeyboardInterrupt (lxml does, while it is
# imported) cannot make the command go on as if nothing happened; long jobs check it.
SIGINT_SEEN = threading.Event()


def watch_sigint() -> None:
    """Ctrl-C raises KeyboardInterrupt as usual, and is remembered in ``SIGINT_SEEN``."""
    import signal

    def on_sigint(signum, frame):  # noqa: ANN001, ANN202 - a signal handler
        SIGINT_SEEN.set()
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, on_sigint)


def caused_by_interrupt(error: BaseException) -> bool:
    """Whether ``error`` came of a Ctrl-C: raised after one, or with a KeyboardInterrupt in its
    chain (Python wraps one raised inside ``__set_name__`` in a RuntimeError)."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return SIGINT_SEEN.is_set()


def interrupted(*, starting: bool = False) -> None:
    """Say in one line that Ctrl-C stopped the command, and exit with 130 (never returns).

    ``starting``: while the commands were being imported, when nothing is open yet: exit at
    once. (A Ctrl-C caught inside code that an import ran through ``exec``, as ``dataclasses``
    does, leaves CPython to turn any later exit into a death by SIGINT.)"""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    sys.stderr.write(INTERRUPTED_MESSAGE + "\n")
    sys.stderr.flush()
    if starting:
        import os

        sys.stdout.flush()
        os._exit(INTERRUPTED)
    sys.exit(INTERRUPTED)


def main() -> None:
    """Entry point: import the commands, then run them (``cli.app.main``)."""
    try:
        from focuscode.cli.app import main as run
    except KeyboardInterrupt:
        interrupted(starting=True)
    run()
