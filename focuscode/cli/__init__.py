"""The ``focuscode`` command line: thin Typer commands over ``workflows.Project``.

The commands are in ``cli.app`` (the Typer ``app``), ``cli.codebook`` and ``cli.reports``. This
package imports nothing heavy: ``main``, the entry point of ``focuscode`` and ``python -m
focuscode``, handles Ctrl-C before it imports them (Typer, Rich, numpy, pandas, ...: the first
fraction of a second), so Ctrl-C then ends as it does later, with one line and exit code 130.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
INTERRUPTED_MESSAGE = ("interrupted: decisions made so far are saved; the step in progress was "
                       "not applied")

__all__ = ["INTERRUPTED", "INTERRUPTED_MESSAGE", "interrupted", "main"]


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
