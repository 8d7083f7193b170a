"""The unassigned queue (assign with one key) and search with filters."""

from __future__ import annotations

from textual.widgets import Input, Select

from focuscode.domain.review import UNASSIGNED
from focuscode.tui import make_app
from focuscode.tui.queue_screen import QueueScreen
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.search_screen import SearchScreen
from focuscode.tui.widgets import SegmentTable

SIZE = (120, 40)


def segments(app) -> SegmentTable:
    return app.screen.query_one("#segment-table", SegmentTable)


async def test_walk_the_queue_and_assign_with_one_key(review_project, stored):
    first, second = review_project.review.segments(UNASSIGNED, limit=2).rows
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("end", "enter")
        assert isinstance(pilot.app.screen, QueueScreen)
        body = str(pilot.app.screen.query_one("#segment-meta").render())
        assert f"[1] {first.nearest[0].label}" in body
        await pilot.press("1")
        assert segments(pilot.app).current.segment_id == second.segment_id
        await pilot.press("s", "k", "3")  # skip, back, the third suggestion
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.screen.query_one("#entry-table").entries[-1].n_segments == \
            review_project.review.entry(UNASSIGNED).n_segments
    # assigned to themes, which stay themes (no code, so nothing to confirm yet)
    assert stored.codings() == []
    with stored.reopen() as fresh:
        for row, nearest in ((first, first.nearest[0]), (second, second.nearest[2])):
            assert fresh.review.segment(nearest.key, row.segment_id).status == "suggested"
        assert fresh.review.segments(UNASSIGNED).total == \
            review_project.review.segments(UNASSIGNED).total


async def test_search_filters_and_decides(review_project, stored):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash")
        assert isinstance(pilot.app.screen, SearchScreen)
        await pilot.press(*"insur", "enter")
        found = list(segments(pilot.app).segments)
        assert found and all("insur" in s.text.lower() for s in found)
        pilot.app.screen.query_one("#filter-role", Select).value = "patient"
        await pilot.pause()
        patients = list(segments(pilot.app).segments)
        assert patients and {s.role for s in patients} == {"patient"}
        assert len(patients) < len(found)
        target = next(s for s in patients if s.status == "suggested")
        segments(pilot.app).move_cursor(row=patients.index(target))
        await pilot.press("y")
        assert segments(pilot.app).segments[patients.index(target)].status == "confirmed"
        pilot.app.screen.query_one("#filter-status", Select).value = "confirmed"
        await pilot.pause()
        assert [s.segment_id for s in segments(pilot.app).segments] == [target.segment_id]
    assert stored.codings() == [(target.segment_id, target.entry_label, "confirmed")]


async def test_search_opens_the_theme_at_the_segment(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"pharmacy", "enter")
        await pilot.pause()
        table = segments(pilot.app)
        target = next(s for s in table.segments if s.entry_key not in (None, UNASSIGNED))
        table.move_cursor(row=table.segments.index(target))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert segments(pilot.app).current.segment_id == target.segment_id
        await pilot.press("escape", "slash")
        assert pilot.app.screen.focused is pilot.app.screen.query_one("#search-input", Input)


async def test_typing_in_the_search_box_never_triggers_a_key(review_project, stored):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"y n u q")
        await pilot.pause(0.4)
        assert pilot.app.is_running
        assert pilot.app.screen.query_one("#search-input", Input).value == "y n u q"
    assert stored.codings() == []


async def test_search_results_show_their_keys_theme_and_matching_words(review_project, stored):
    async with make_app(review_project).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"insur")
        await pilot.pause(0.4)
        assert pilot.app.screen.active_bindings["enter"].binding.action == "results"
        await pilot.press("enter")
        await pilot.pause()
        screen, table = pilot.app.screen, segments(pilot.app)
        assert screen.focused is table
        active = screen.active_bindings
        assert active["enter"].binding.action == "open_entry" and active["enter"].binding.show
        assert {"y", "n"} <= set(active)
        assert table.columns["entry"].width >= 20
        for row, segment in enumerate(table.segments):
            text = table.get_row_at(row)[-1]
            assert {text.plain[s.start:s.end].lower()[:5] for s in text.spans} == {"insur"}
            assert segment.entry_label.startswith(str(table.get_row_at(row)[-2]).rstrip("…"))
        body = screen.query_one("#segment-body").content
        words = {body.plain[s.start:s.end].lower()[:5] for s in body.spans
                 if s.style.underline}
        assert words == {"insur"}
        first = table.current
        await pilot.press("y")
    assert first.entry_key not in (None, "unassigned")
    assert stored.codings() == [(first.segment_id, first.entry_label, "confirmed")]


async def test_search_finds_words_inside_words_and_quoted_phrases(review_project):
    async with make_app(review_project).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"trust", "enter")
        await pilot.pause()
        table = segments(pilot.app)
        marked = {table.get_row_at(row)[-1].plain[s.start:s.end].lower()
                  for row in range(len(table.segments))
                  for s in table.get_row_at(row)[-1].spans}
        assert {"trust", "mistrust"} <= marked
        await pilot.press("ctrl+f")  # back to the words
        await pilot.press(*["backspace"] * 5, *'"treat the person"', "enter")
        await pilot.pause()
        assert len(segments(pilot.app).segments) == 3
        assert all("treat the person" in s.text for s in segments(pilot.app).segments)
        body = pilot.app.screen.query_one("#segment-body").content
        assert {body.plain[s.start:s.end] for s in body.spans if s.style.underline} == \
            {"treat the person"}
