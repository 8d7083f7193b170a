"""Undo and redo across every kind of decision and across restarts; every key in ?."""

from __future__ import annotations

import io

from rich.console import Console

from focuscode.tui import make_app
from focuscode.tui.app import ReviewApp
from focuscode.tui.help_screen import HelpScreen, all_bindings, key_label
from focuscode.tui.review_screen import ReviewScreen

SIZE = (120, 40)


async def test_undo_redo_across_restarts(review_project, stored):
    theme = review_project.review.entries()[0]
    ids = [r.segment_id for r in review_project.review.segments(theme.key, limit=2).rows]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r", "ctrl+a", "ctrl+k", *"Care", "enter", "enter", "y", "y")
        await pilot.pause()
    assert stored.codings() == [(ids[0], "Care", "confirmed"), (ids[1], "Care", "confirmed")]
    with stored.reopen() as fresh:  # a new session: the log, not memory, is undone
        async with make_app(fresh).run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("u", "u")
            await pilot.pause()
            assert pilot.app.screen.query_one("#entry-table").entries[0].label == "Care"
    assert stored.codings() == []
    with stored.reopen() as fresh:
        async with make_app(fresh).run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("u", "ctrl+r", "ctrl+r", "ctrl+r")
            await pilot.pause()
            assert pilot.app.screen.query_one("#entry-table").entries[0].label == "Care"
    assert stored.codings() == [(ids[0], "Care", "confirmed"), (ids[1], "Care", "confirmed")]


async def test_undo_on_a_review_screen_shows_the_undone_state(review_project, stored):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "y", "n", "u")
        await pilot.pause()
        table = pilot.app.screen.query_one("#segment-table")
        assert [s.status for s in table.segments[:2]] == ["confirmed", "suggested"]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [s.status for s in table.segments[:2]] == ["confirmed", "rejected"]
    assert [c[2] for c in stored.codings()] == ["confirmed", "rejected"]


async def test_undoing_the_first_decision_on_a_theme_keeps_the_theme_open(review_project):
    theme = review_project.review.entries()[0]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "y")
        await pilot.pause(0.3)
        assert pilot.app.screen.key.startswith("c")
        await pilot.press("u")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.key == theme.key
        assert {s.status for s in screen.table.segments} == {"suggested"}


async def test_after_a_merge_the_review_follows_the_themes(review_project):
    a, b = review_project.review.entries()[:2]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "y")
        await pilot.pause(0.3)
        review_project.decisions.merge(pilot.app.screen.key, b.key)  # as another window would
        pilot.app.changed()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.entry.label == b.label
        assert set(screen.entry.theme_ids) == set(a.theme_ids + b.theme_ids)


async def test_undo_with_nothing_to_undo_says_so(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert pilot.app.status == "Nothing to undo"


async def test_question_mark_shows_every_binding(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        console = Console(width=120, record=True, file=io.StringIO())
        for section in pilot.app.screen.query(".help-section"):
            console.print(section.content)
        text = console.export_text()
        for cls, title in ReviewApp.help_sections():
            assert title in text
            for binding in all_bindings(cls):
                assert binding.description, f"{cls.__name__} {binding.key} has no description"
                assert (binding.tooltip or binding.description) in " ".join(text.split())
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


def test_key_labels_read_as_typed():
    assert key_label("question_mark") == "?"
    assert key_label("delete,D") == "del / D"
