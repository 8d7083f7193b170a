"""Quotes: accept suggestions, star, reorder, remove; each one a decision."""

from __future__ import annotations

from textual.widgets import DataTable

from focuscode.tui import make_app
from focuscode.tui.quotes_screen import QuotesScreen

SIZE = (120, 40)


async def test_pick_three_quotes_star_reorder_and_remove(review_project):
    theme = review_project.review.entries()[0]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("p")
        assert isinstance(pilot.app.screen, QuotesScreen)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        suggested = [s.segment.segment_id for s in screen.suggestions]
        assert len(suggested) == 5
        screen.query_one("#suggestion-table", DataTable).focus()
        await pilot.press("a")  # the first suggestion
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("a", "a")  # suggestions are ranked again without the accepted one
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        key = review_project.review.resolve_key(theme.key)
        picked = [q.segment_id for q in review_project.quotes.of(key)]
        assert len(picked) == 3 and picked[0] == suggested[0]
        screen.query_one("#quote-table", DataTable).focus()
        await pilot.press("end", "asterisk", "shift+up", "shift+up")
        await pilot.pause()
        quotes = review_project.quotes.of(key)
        assert [q.segment_id for q in quotes] == [picked[2], picked[0], picked[1]]
        assert [q.starred for q in quotes] == [True, False, False]
        await pilot.press("down", "x")
        await pilot.pause()
        assert [q.segment_id for q in review_project.quotes.of(key)] == [picked[2], picked[1]]
        await pilot.press("escape")
        await pilot.pause()
        entry = pilot.app.screen.query_one("#entry-table").entries[0]
        assert entry.n_quotes == 2


async def test_accept_every_suggestion_at_once(review_project):
    theme = review_project.review.entries()[1]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "p")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        shown = [s.segment.segment_id for s in pilot.app.screen.suggestions]
        await pilot.press("A")
        await pilot.app.workers.wait_for_complete()
    key = review_project.review.resolve_key(theme.key)
    assert [q.segment_id for q in review_project.quotes.of(key)] == shown
    assert review_project.log.history(1)[0].payload["summary"] == \
        f"accepted {len(shown)} suggested quotes for '{theme.label}'"


async def test_accepting_keeps_the_row_and_the_quotes_stay_diverse(review_project):
    theme = next(e for e in review_project.review.entries()
                 if len([r for r, n in e.by_role.items() if n >= 3]) >= 2)
    index = review_project.review.entries().index(theme)
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*["down"] * index, "p")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        suggestions = screen.query_one("#suggestion-table", DataTable)
        suggestions.focus()
        await pilot.press("down")
        for _ in range(3):
            await pilot.press("a")
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            assert suggestions.cursor_row == 1
        key = review_project.review.resolve_key(theme.key)
        quotes = review_project.quotes.of(key)
        assert len(quotes) == 3 and len({q.role for q in quotes}) >= 2
        assert len({q.speaker_name for q in quotes}) == 3
        assert not {q.segment_id for q in quotes} & \
            {s.segment.segment_id for s in screen.suggestions}
        screen.query_one("#quote-table", DataTable).focus()
        await pilot.press("down", "asterisk")
        await pilot.pause()
        marks = [str(screen.query_one("#quote-table", DataTable).get_row_at(i)[0])
                 for i in range(3)]
        assert marks == ["1", "★2", "3"]
    assert [q.starred for q in review_project.quotes.of(key)] == [False, True, False]
