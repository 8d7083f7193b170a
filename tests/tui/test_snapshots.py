"""The looks of the main screens (pytest-textual-snapshot). Behaviour is tested elsewhere.

After a deliberate change of looks: run with --snapshot-update, review the SVGs in
__snapshots__/ (the report shows the difference), and commit them.
"""

from __future__ import annotations

from focuscode.tui import make_app


def _steady(*keys: str):
    """Keys to press, then hide what varies between runs (the project's temporary path)."""

    async def run_before(pilot) -> None:
        await pilot.pause()
        pilot.app.title = "focuscode review · demo"
        if keys:
            await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


def test_themes_overview_at_80x24(review_project, snap_compare):
    assert snap_compare(make_app(review_project), terminal_size=(80, 24),
                        run_before=_steady())


def test_reviewing_a_theme_with_context_at_120x40(review_project, snap_compare):
    assert snap_compare(make_app(review_project), terminal_size=(120, 40),
                        run_before=_steady("enter", "down", "c"))


def test_unassigned_queue_at_80x24(review_project, snap_compare):
    assert snap_compare(make_app(review_project), terminal_size=(80, 24),
                        run_before=_steady("end", "enter"))


def test_keys_at_80x24(review_project, snap_compare):
    assert snap_compare(make_app(review_project), terminal_size=(80, 24),
                        run_before=_steady("question_mark"))


def test_walking_a_codes_suggestions_at_80x24(suggested_project, snap_compare):
    assert snap_compare(make_app(suggested_project), terminal_size=(80, 24),
                        run_before=_steady("s", "enter"))


def test_themes_overview_blind_with_a_named_code_at_80x24(review_project, snap_compare):
    review_project.decisions.rename(review_project.review.entries()[0].key,
                                    "Who holds care together across specialists")
    review_project.blind = True
    assert snap_compare(make_app(review_project), terminal_size=(80, 24),
                        run_before=_steady())


def test_themes_overview_at_120x36(review_project, snap_compare):
    assert snap_compare(make_app(review_project), terminal_size=(120, 36),
                        run_before=_steady())


def test_walking_a_codes_suggestions_at_120x36(suggested_project, snap_compare):
    assert snap_compare(make_app(suggested_project), terminal_size=(120, 36),
                        run_before=_steady("s", "enter"))
