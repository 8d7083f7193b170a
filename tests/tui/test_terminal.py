"""`focuscode review` in a real terminal (tmux): confirm a segment, kill the process, reopen
the project, and find the decision there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(
    TMUX is None, reason="tmux is not installed: this test drives `focuscode review` in a real "
                         "terminal (apt-get install tmux to run it)")


class Terminal:
    """One tmux session on a private server, so a developer's own tmux is never touched."""

    def __init__(self, command: str, *, width: int = 120, height: int = 40) -> None:
        self.socket = f"focuscode-test-{os.getpid()}"
        self._tmux("new-session", "-d", "-s", "review", "-x", str(width), "-y", str(height),
                   command)
        self._tmux("resize-window", "-t", "review", "-x", str(width), "-y", str(height))

    def _tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True,
                              timeout=10, check=False).stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "review")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "review", *keys)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def kill(self) -> None:
        self._tmux("kill-server")


def wait_until(condition, timeout: float = 10.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the condition never held")


def test_confirm_kill_and_reopen(review_project, stored):
    theme = review_project.review.entries()[0]
    [first] = review_project.review.segments(theme.key, limit=1).rows
    focuscode = Path(sys.executable).with_name("focuscode")
    terminal = Terminal(f"{focuscode} review --project {review_project.folder} --coder tester")
    try:
        terminal.wait_for("Theme or code")
        terminal.keys("Enter")
        terminal.wait_for(f"0/{theme.n_segments} confirmed")
        terminal.wait_for(f"segment {first.segment_id} ")  # the first segment has the cursor
        terminal.keys("y")
        wait_until(lambda: stored.codings() != [], timeout=30.0)
        terminal.wait_for(f"1/{theme.n_segments} confirmed")
    finally:
        terminal.kill()  # the process dies with its terminal: no chance to save anything
    assert stored.codings() == [(first.segment_id, theme.label, "confirmed")]
    with stored.reopen() as fresh:
        assert fresh.review.entry(theme.key).n_confirmed == 1
        assert fresh.store.db.integrity_ok()
