"""The workbench notices what another process changed (the log's last id, checked when idle
and before every write) and reloads; ``u`` never undoes a decision it has not shown."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from focuscode.tui import make_app
from focuscode.tui.widgets import EntryTable
from focuscode.workflows import Project

SIZE = (120, 40)
STARTER = Path(__file__).parents[2] / "codebooks" / "starter_codebook.yaml"


def cli_import(project) -> None:
    """``focuscode codebook import`` from another shell, as the workbench's coder."""
    result = subprocess.run([sys.executable, "-m", "focuscode", "codebook", "import", str(STARTER),
                             "--project", str(project.folder), "--coder", project.coder],
                            capture_output=True, text=True, timeout=300, env=dict(os.environ))
    assert result.returncode == 0, result.stderr


def labels(pilot) -> set[str]:
    table = pilot.app.screen.query_one("#entry-table", EntryTable)
    return {entry.label for entry in table.entries}


async def test_a_cli_change_appears_in_an_open_workbench_within_2_s(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = labels(pilot)
        cli_import(review_project)
        done = time.monotonic()
        while labels(pilot) == before and time.monotonic() - done < 2:
            await pilot.pause(0.1)
        assert time.monotonic() - done < 2 and len(labels(pilot)) > len(before)
        assert pilot.app.status.startswith("Changed elsewhere, reloaded: tester: imported")


async def test_u_never_undoes_a_decision_the_screen_has_not_shown(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        n_codes = len(review_project.log.codes())
        cli_import(review_project)
        pilot.app.action_undo()  # before the idle check ran: the screen has not shown it
        assert len(review_project.log.codes()) > n_codes  # the import is still in effect
        await pilot.pause()
        assert any("changed in another window" in n.message.lower()
                   for n in pilot.app._notifications)
        await pilot.press("u")  # now it has been shown: u undoes it
        await pilot.pause()
        assert len(review_project.log.codes()) == n_codes


async def test_in_blind_mode_the_reload_says_nothing_of_another_coders_decision(review_project):
    review_project.coders.set_blind(True)
    theme = review_project.review.entries()[0]
    [row] = review_project.review.segments(theme.key, limit=1).rows
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        with Project.open(review_project.folder, coder="bob") as other:  # another window
            other.decisions.accept(theme.key, "Bob's secret code")
            other.decisions.reject(other.review.resolve_key(theme.key), row.segment_id)
        for _ in range(30):
            await pilot.pause(0.1)
            if pilot.app.status.startswith("Changed elsewhere"):
                break
        assert pilot.app.status == "Changed elsewhere, reloaded"
        assert "bob" not in pilot.app.status.lower()
