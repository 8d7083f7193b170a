"""Long jobs (split, re-analysis) run in a thread worker with a progress bar; esc cancels and
leaves the project as it was."""

from __future__ import annotations

import threading

from focuscode.pipeline.split import ThemeSplitter
from focuscode.tui import make_app

SIZE = (120, 40)


async def test_reanalysis_in_a_worker_keeps_every_decision(review_project, stored):
    theme = review_project.review.entries()[0]
    [first] = review_project.review.segments(theme.key, limit=1).rows
    review_project.decisions.confirm(theme.key, first.segment_id)
    runs = len(review_project.store.runs())
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")  # the project has a decision: what changes is worked out first
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("y")  # fast with the test embedder: it may be done already
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not pilot.app.screen.query_one("#job").is_running
        assert pilot.app.status.startswith("Found")  # in the status bar, no pop-up
        assert not pilot.app._notifications
    with stored.reopen() as fresh:
        assert len(fresh.store.runs()) == runs + 1
    assert stored.codings() == [(first.segment_id, theme.label, "confirmed")]


async def test_cancelling_a_split_changes_nothing(review_project, stored, monkeypatch):
    release = threading.Event()
    fit = ThemeSplitter.fit

    def slow_fit(self, X):  # noqa: ANN001 - holds the worker until the test has pressed esc
        release.wait(10)
        return fit(self, X)

    monkeypatch.setattr(ThemeSplitter, "fit", slow_fit)
    before = stored.labels()
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "enter")
        await pilot.pause()
        assert pilot.app.screen.query_one("#job").is_running
        await pilot.press("escape")
        release.set()
        # A cancelled thread worker counts as complete at once; its thread still has to see
        # the cancellation and report back (slower on a loaded machine).
        for _ in range(200):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0.05)
            if not pilot.app.screen.query_one("#job").is_running:
                break
        assert not pilot.app.screen.query_one("#job").is_running
        assert pilot.app.status.startswith("Cancelled")
    assert stored.labels() == before
    with stored.reopen() as fresh:
        assert fresh.log.history() == []
