"""The workbench at 80x24 and 100 columns: names get the room there is, the footer keeps undo
and search, pop-ups stay clear of the panels at the bottom, and the header says blind mode."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._toast import Toast  # Textual's notification (it exports no name for it)

from focuscode.tui import make_app
from tests.tui.test_themes_screen import table

LONG_NAME = "Who holds care together across specialists"


def footer_text(app) -> str:
    """The footer as it is drawn, cut where the terminal ends."""
    footer = app.screen.query_one(Footer)
    return " ".join(
        "".join(segment.text for segment in line)
        for line in app.screen._compositor.render_strips()[footer.region.y:footer.region.bottom])


async def test_at_80x24_a_code_name_gets_the_room_there_is(review_project):
    review_project.decisions.rename(review_project.review.entries()[0].key, LONG_NAME)
    async with make_app(review_project).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = str(table(pilot.app).get_row_at(0)[1])
        assert len(shown) >= 30 and LONG_NAME.startswith(shown.rstrip("…"))


async def test_the_footer_keeps_undo_and_search_at_80_columns(review_project):
    async with make_app(review_project).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drawn = footer_text(pilot.app)
        assert "u Undo" in drawn and "/ Search" in drawn and "? Keys" in drawn
        await pilot.press("enter")  # a theme's segments: the decisions come first
        await pilot.pause()
        drawn = footer_text(pilot.app)
        assert all(key in drawn for key in ("u Undo", "/ Search", "y Confirm", "n Reject"))


async def test_the_suggestion_walk_footer_fits_100_columns(suggested_project):
    async with make_app(suggested_project).run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("s", "enter")
        await pilot.pause()
        drawn = footer_text(pilot.app).rstrip()
        assert drawn.endswith("q Quit") and "y Accept" in drawn and "/ Search" in drawn


async def test_pop_ups_stay_clear_of_the_panels_at_the_bottom(review_project):
    async with make_app(review_project).run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("down", "x")  # the split's choices
        await pilot.press("escape")
        pilot.app.notify("A job is running (esc cancels it)", severity="warning")
        await pilot.pause(0.3)
        [toast] = pilot.app.screen.query(Toast)
        for below in ("#entry-detail", "StatusBar", "Footer"):
            assert not toast.region.overlaps(pilot.app.screen.query_one(below).region), below


async def test_the_header_says_the_coder_works_blind(review_project):
    review_project.blind = True
    async with make_app(review_project).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "blind mode" in pilot.app.sub_title
    review_project.blind = False
    async with make_app(review_project).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "blind" not in pilot.app.sub_title
