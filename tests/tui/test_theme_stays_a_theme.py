"""In the workbench a theme stays a theme when its segments are confirmed or rejected: the
overview and the review say so, a accepts it as a code (with the decisions made), u undoes one
step at a time."""

from __future__ import annotations

import io

from rich.console import Console

from focuscode.tui import make_app
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.widgets import EntryTable

SIZE = (120, 40)


def overview_row(app, key: str) -> str:
    table = app.screen.query_one(EntryTable)
    index = next(i for i, e in enumerate(table.entries) if e.key == key)
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(*table.get_row_at(index))
    return console.export_text()


async def test_confirming_and_rejecting_in_the_review_keep_it_a_theme(review_project, stored):
    theme = review_project.review.entries()[0]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "y", "n")
        await pilot.pause(0.3)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        assert f"{theme.label} · theme · 1/" in screen.title_text()
        key = screen.key
        await pilot.press("escape")
        await pilot.pause()
        row = overview_row(pilot.app, key)
        assert "theme" in row and "code" not in row
        assert pilot.app.screen.query_one(EntryTable).current.status == "suggested"
        await pilot.press("a")  # now the researcher accepts it: a code, with its decisions
        await pilot.pause()
        entry = pilot.app.screen.query_one(EntryTable).current
        assert (entry.key, entry.status, entry.n_confirmed, entry.n_rejected) == (
            key, "accepted", 1, 1)
        await pilot.press("u")  # undoes the acceptance only
        await pilot.pause()
        entry = pilot.app.screen.query_one(EntryTable).current
        assert (entry.status, entry.n_confirmed) == ("suggested", 1)
    with stored.reopen() as fresh:
        assert fresh.codebook.current().codes == ()
        assert [d.action for d in fresh.log.history()] == ["undo", "accept", "reject",
                                                           "confirm"]
        assert fresh.check() == []
