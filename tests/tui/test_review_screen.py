"""Reviewing one theme: every decision is stored the moment a key is pressed."""

from __future__ import annotations

from textual.content import Content

from focuscode.tui import make_app
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.widgets import SegmentTable, SegmentView
from focuscode.tui.widgets.segment_view import first_shown

SIZE = (120, 40)


def segments(app) -> SegmentTable:
    return app.screen.query_one("#segment-table", SegmentTable)


async def open_first(pilot) -> ReviewScreen:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewScreen)
    return pilot.app.screen


async def test_confirm_and_reject_move_on_to_the_next_segment(review_project, stored):
    theme = review_project.review.entries()[0]
    ids = [r.segment_id for r in review_project.review.segments(theme.key, limit=3).rows]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("y")
        assert stored.codings() == [(ids[0], theme.label, "confirmed")]
        assert segments(pilot.app).current.segment_id == ids[1]
        await pilot.press("n")
        assert stored.codings() == [(ids[0], theme.label, "confirmed"),
                                    (ids[1], theme.label, "rejected")]
        await pilot.press("k", "backspace")
        assert stored.codings() == [(ids[0], theme.label, "confirmed")]
        assert [s.status for s in segments(pilot.app).segments[:2]] == ["confirmed", "suggested"]
        await pilot.pause(0.3)  # the counts are read again once the keys pause
        assert "1/97 confirmed · 96 to review · 0 rejected" in screen.title_text()


async def test_bulk_confirm_a_selection_is_one_decision(review_project, stored):
    theme = review_project.review.entries()[0]
    ids = [r.segment_id for r in review_project.review.segments(theme.key, limit=3).rows]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("space", "down", "down", "space", "y")  # rows 1 and 3
        await pilot.pause()
        assert not segments(pilot.app).selected
    assert stored.codings() == [(ids[0], theme.label, "confirmed"),
                                (ids[2], theme.label, "confirmed")]
    with stored.reopen() as fresh:
        assert [d.action for d in fresh.log.history()] == ["confirm"]


async def test_move_a_segment_to_another_theme_with_the_fuzzy_picker(review_project, stored):
    a, b = review_project.review.entries()[:2]
    [first] = review_project.review.segments(a.key, limit=1).rows
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("t", *b.label.split(" / ")[0], "enter")
        await pilot.pause()
        assert segments(pilot.app).segments[0].status == "moved"  # shown moved, not rejected
        assert segments(pilot.app).segments[0].moved_to == b.label
    assert stored.codings() == []  # both are themes still: a move makes neither a code
    with stored.reopen() as fresh:
        assert fresh.review.segment(b.key, first.segment_id).status == "suggested"


async def test_move_a_selection_to_a_new_code(review_project, stored):
    theme = review_project.review.entries()[0]
    ids = [r.segment_id for r in review_project.review.segments(theme.key, limit=2).rows]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        # up wraps around to the last option: the new code
        await pilot.press("space", "down", "space", "t", *"Waits", "up", "enter")
        await pilot.pause()
    assert [c for c in stored.codings() if c[1] == "Waits"] == \
        [(ids[0], "Waits", "confirmed"), (ids[1], "Waits", "confirmed")]


async def test_filter_context_and_one_by_one(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("y", "f")  # to review only
        assert "confirmed" not in {s.status for s in segments(pilot.app).segments}
        await pilot.press("f")  # confirmed only
        assert {s.status for s in segments(pilot.app).segments} == {"confirmed"}
        await pilot.press("f", "f", "c")
        await pilot.pause()
        body = str(screen.query_one("#segment-body").render())
        assert "(moderator)" in body
        await pilot.press("w")
        assert screen.has_class("-walking")
        assert not screen.query_one("#segment-table").display
        await pilot.press("j")
        assert segments(pilot.app).cursor_row == 1
        await pilot.press("escape")
        assert not screen.has_class("-walking")
        assert isinstance(pilot.app.screen, ReviewScreen)


async def test_quote_a_part_of_a_segment(review_project):
    theme = review_project.review.entries()[0]
    [first] = review_project.review.segments(theme.key, limit=1).rows
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("Q", *["shift+right"] * 9, "enter")
        await pilot.pause()
        await pilot.press("down", "Q", "enter")  # the whole of the next segment
        await pilot.pause()
    key = review_project.review.resolve_key(theme.key)
    quotes = review_project.quotes.of(key)
    assert quotes[0].segment_id == first.segment_id
    assert quotes[0].text == first.text[:9].strip()
    assert len(quotes) == 2 and quotes[1].text == review_project.review.segments(
        key, limit=2).rows[1].text


async def test_accept_and_rename_while_reviewing(review_project, stored):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("a", "r", "ctrl+a", "ctrl+k", *"Costs", "enter")
        await pilot.pause()
        assert screen.entry.label == "Costs" and screen.entry.status == "accepted"
    assert stored.labels()[0] == "Costs"


async def test_segment_view_shows_speaker_role_and_transcript(review_project):
    theme = review_project.review.entries()[0]
    [first] = review_project.review.segments(theme.key, limit=1).rows
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        view = screen.query_one("#segment-view", SegmentView)
        meta = str(view.query_one("#segment-meta").render())
        assert first.speaker_name in meta and first.role in meta and first.transcript in meta
        assert first.text[:30] in str(view.query_one("#segment-body").render())


async def test_works_at_80_by_24(review_project, stored):
    async with make_app(review_project).run_test(size=(80, 24)) as pilot:
        await open_first(pilot)
        await pilot.press("y", "c", "w", "n")
        await pilot.pause()
        assert len(stored.codings()) == 2


async def test_the_last_decision_has_a_line_of_its_own_at_80_by_24(review_project, stored):
    theme = review_project.review.entries()[0]
    [first] = review_project.review.segments(theme.key, limit=1).rows
    async with make_app(review_project).run_test(size=(80, 24)) as pilot:
        screen = await open_first(pilot)
        await pilot.press("n")
        await pilot.pause()
        said = f"Rejected segment {first.segment_id} for '{theme.label}'  (u undoes)"
        status = screen.query_one("#status-bar")
        assert str(status.render()) == said and status.region.height == 1
        assert said not in pilot.app.sub_title
    assert stored.codings() == [(first.segment_id, theme.label, "rejected")]


async def test_the_title_fits_on_one_line(review_project):
    for size in ((80, 24), (100, 30)):
        async with make_app(review_project).run_test(size=size) as pilot:
            screen = await open_first(pilot)
            await pilot.press("n")
            await pilot.pause(0.3)
            title = screen.query_one("#segments-title")
            assert title.region.height == 1, screen.title_text()
            assert "1 rejected" in screen.title_text() or "1 ✗" in screen.title_text()


async def test_context_marks_the_segment_and_heads_every_turn_with_its_speaker(review_project):
    async with make_app(review_project).run_test(size=(100, 30)) as pilot:
        screen = await open_first(pilot)
        for row in range(1, 6):
            segments(pilot.app).move_cursor(row=row)
            await pilot.press("c")
            await pilot.pause(0.2)
            current = segments(pilot.app).current
            view = screen.query_one("#segment-view", SegmentView)
            body = view.query_one("#segment-body").content
            marked = [body.plain[s.start:s.end] for s in body.spans if s.style.reverse]
            assert marked == [current.text]
            scroll = view.query_one("#segment-scroll")
            rows = [wrapped.plain for line in body.plain.split("\n")
                    for wrapped in (Content(line).wrap(scroll.content_size.width)
                                    or [Content("")])]
            heads = {f"{t.speaker_name} ({t.role})"
                     for t in review_project.review.context(current.segment_id)}
            first_shown = rows[round(scroll.scroll_y)]
            assert first_shown.split("  ")[0] in heads or current.text.startswith(
                first_shown.strip()[:20]), first_shown
            await pilot.press("c")


def test_the_context_starts_at_a_turn_that_fits():
    tops = [0, 4, 12, 15]  # four turns; the segment's is the third, ending at row 15
    assert first_shown(tops, 2, 15, 12, height=11) == 4
    assert first_shown(tops, 2, 15, 12, height=20) == 0
    assert first_shown(tops, 2, 15, 12, height=3) == 12
    assert first_shown([0, 2, 40], 1, 40, 30, height=10) == 29  # a long turn: to the segment


async def test_space_selects_without_moving_and_the_status_line_counts(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await open_first(pilot)
        table = segments(pilot.app)
        said = []
        for keys in (["space"], ["down", "space"], ["space"], ["up", "space"]):
            await pilot.press(*keys)
            await pilot.pause()
            said.append((table.cursor_row, len(table.selected), pilot.app.status))
        assert said == [(0, 1, "1 selected: y, n or t acts on them"),
                        (1, 2, "2 selected: y, n or t acts on them"),
                        (1, 1, "1 selected: y, n or t acts on them"),
                        (0, 0, "0 selected")]
