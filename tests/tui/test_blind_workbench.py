"""The workbench in blind mode: another coder's confirmations and quotes appear nowhere, not
in the overview's counts, not in a theme's ✓/✗, not among its quotes."""

from __future__ import annotations

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.tui import make_app
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.widgets import EntryTable, SegmentTable
from focuscode.workflows import Project

SIZE = (120, 40)


async def test_blind_workbench_shows_none_of_another_coders_work(review_project):
    theme = review_project.review.entries()[0]
    ids = [r.segment_id for r in review_project.review.segments(theme.key, limit=4).rows]
    bob = Project(review_project.folder, review_project.store, coder="bob",
                  embedder=HashingEmbedder())
    bob.decisions.confirm(theme.key, ids[:3])  # the theme becomes a code (shared)
    key = bob.review.resolve_key(theme.key)
    bob.quotes.mark(key, ids[3])
    review_project.decisions.reject(key, ids[:1])  # tester, who works blind
    review_project.coders.set_blind(True)
    mine = review_project.review.entry(key)
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one("#entry-table", EntryTable)
        assert table.current.key == key
        columns = [str(c.value) for c in table.columns]
        done = str(table.get_row_at(0)[columns.index("progress")])
        assert done == f"0/{mine.n_segments}"
        detail = str(pilot.app.screen.query_one("#entry-detail").render())
        assert "0/" in detail and "1 rejected · 0 quotes" in detail
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        assert f"0/{mine.n_segments} confirmed" in screen.title_text()
        assert "1 rejected · 0 quotes" in screen.title_text()
        shown = {s.segment_id: s.status
                 for s in screen.query_one("#segment-table", SegmentTable).segments}
        assert [shown[i] for i in ids] == ["rejected", "suggested", "suggested", "suggested"]
        await pilot.press("p")  # the quotes: bob's is not among them
        await pilot.pause()
        assert pilot.app.screen.quotes == []


async def test_blind_undo_in_the_workbench_never_shows_another_coders_decision(review_project):
    """bob decided last, but tester's u undoes tester's own decision and says so; once only
    the code's acceptance (which bob built on) is left, u is refused without naming bob."""
    theme = review_project.review.entries()[0]
    ids = [r.segment_id for r in review_project.review.segments(theme.key, limit=3).rows]
    review_project.decisions.accept(theme.key, "Tester's code")
    key = review_project.review.resolve_key(theme.key)
    review_project.decisions.confirm(key, ids[:1])
    bob = Project(review_project.folder, review_project.store, coder="bob",
                  embedder=HashingEmbedder())
    bob.decisions.reject(key, ids[1:3])
    review_project.coders.set_blind(True)
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        assert pilot.app.status == f"Undo: confirmed segment {ids[0]} for 'Tester's code'"
        await pilot.press("u")
        await pilot.pause()
        [refused] = [n.message for n in pilot.app._notifications]
        assert "another coder has since" in refused and "bob" not in refused
        assert "rejected" not in refused and "bob" not in pilot.app.status
    assert [c.status.value for c in bob.log.codings(coder="bob")] == ["rejected", "rejected"]
