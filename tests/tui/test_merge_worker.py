"""A merge fits its code's keywords in a thread: the workbench answers keys meanwhile, one job
at a time, and u undoes the merge once it is made."""

from __future__ import annotations

import asyncio
import threading

import pytest

from focuscode.tui import make_app
from focuscode.tui.widgets import EntryTable
from focuscode.workflows import coding

SIZE = (120, 40)


@pytest.fixture
def slow_fit(monkeypatch):
    """The merge's keyword fitting waits until the test lets it go on."""
    started, release = threading.Event(), threading.Event()
    real = coding.merged_keywords

    def slow(*args):  # noqa: ANN002, ANN202
        started.set()
        release.wait(10)
        return real(*args)

    monkeypatch.setattr(coding, "merged_keywords", slow)
    yield started, release
    release.set()


async def _until(event: threading.Event) -> None:
    for _ in range(200):
        if event.is_set():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the merge never started")


async def _merge_into(pilot, label: str, started: threading.Event) -> None:
    """m on the first theme, the picker to ``label``: until the merge starts fitting."""
    await pilot.pause()
    await pilot.press("m", *label[:12], "enter")
    await _until(started)


async def test_the_workbench_answers_keys_while_a_merge_fits(review_project, stored, slow_fit):
    started, release = slow_fit
    a, b = review_project.review.entries()[:2]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await _merge_into(pilot, b.label, started)
        assert pilot.app.status == f"Merging '{a.label}'…"
        await pilot.press("o")  # sorting still works: the UI thread does not fit
        await pilot.pause()
        assert pilot.app.status.startswith("Sorted by")
        await pilot.press("x")  # no second job while the merge writes
        await pilot.pause()
        assert not pilot.app.screen.job.is_running
        release.set()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert pilot.app.status == f"Merged '{a.label}' into '{b.label}'  (u undoes)"
        labels = [e.label for e in pilot.app.screen.query_one(EntryTable).entries]
        assert a.label not in labels and b.label in labels
        await pilot.press("u")
        await pilot.pause()
        labels = [e.label for e in pilot.app.screen.query_one(EntryTable).entries]
        assert a.label in labels
    assert a.label in stored.labels()
    with stored.reopen() as fresh:
        assert fresh.check() == []


async def test_a_merge_over_a_change_the_screen_has_not_shown_is_not_made(review_project,
                                                                        stored):
    a, b = review_project.review.entries()[:2]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        with stored.reopen() as other:  # another window renames b
            other.decisions.rename(b.key, "Renamed elsewhere")
        # the merge asked for before the idle check ran: the screen has not shown the rename
        pilot.app.decide_in_worker(lambda: review_project.decisions.merge(a.key, b.key),
                                   "Merging")
        assert not pilot.app.job_running()
        await pilot.pause()
        assert any("changed in another window" in n.message.lower()
                   for n in pilot.app._notifications)
        assert "Renamed elsewhere" in [e.label for e in pilot.app.screen.query_one(
            EntryTable).entries]
    with stored.reopen() as fresh:
        assert [d.action for d in fresh.log.history()] == ["rename"]  # no merge made


async def test_quitting_while_a_merge_fits_leaves_it_whole_or_not_at_all(review_project, stored,
                                                                         slow_fit):
    started, release = slow_fit
    a, b = review_project.review.entries()[:2]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await _merge_into(pilot, b.label, started)
        await pilot.press("q")  # as Ctrl-C would: the app goes, the merge's thread goes on
        release.set()
    with stored.reopen() as fresh:
        assert fresh.check() == []
        actions = [d.action for d in fresh.log.history()]
        assert actions in ([], ["merge"])
        if actions:  # made: whole, and u undoes it
            assert a.label not in [e.label for e in fresh.review.entries()]
            fresh.undo()
        assert a.label in [e.label for e in fresh.review.entries()]
