"""Disagreements in the workbench: what each coder said, deciding as yourself, opening the
segment; in blind mode no other coder's decision is shown."""

from __future__ import annotations

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.tui import make_app
from focuscode.tui.disagreements_screen import DisagreementsScreen
from focuscode.tui.review_screen import ReviewScreen
from focuscode.workflows import Project

SIZE = (120, 40)
TRUST = "Lost trust in pharma and healthcare"


def as_coder(project: Project, coder: str) -> Project:
    return Project(project.folder, project.store, coder=coder, embedder=HashingEmbedder())


def two_coders(project: Project) -> list[int]:
    """Coders 'alice7' and 'bob7' disagree about TRUST on segments 2, 3 and 5 of the first six."""
    ids = [int(s.id) for s in project.store.segments(included_only=True)][:6]
    alice, bob = as_coder(project, "alice7"), as_coder(project, "bob7")
    alice.suggestions.confirm([(i, TRUST) for i in ids[:3]])
    alice.suggestions.reject([(i, TRUST) for i in ids[3:]])
    bob.suggestions.confirm([(i, TRUST) for i in ids[:1] + ids[4:5]])
    bob.suggestions.reject([(i, TRUST) for i in ids[1:4] + ids[5:]])
    return ids


def marks(screen: DisagreementsScreen, row: int) -> list[str]:
    """What each coder said on a row of the list."""
    return [str(cell) for cell in screen.table.get_row_at(row)[3:]]


def screen_text(app) -> str:
    return " ".join(str(widget.render()) for widget in app.screen.query("Static"))


async def open_list(pilot) -> DisagreementsScreen:
    await pilot.pause()
    await pilot.press("g")
    await pilot.pause()
    assert isinstance(pilot.app.screen, DisagreementsScreen)
    return pilot.app.screen


async def test_walk_two_coders_disagreements_and_decide_as_yourself(suggested_project):
    ids = two_coders(suggested_project)
    expected = suggested_project.coders.disagreements()
    assert [(d.segment_id, d.code_name) for d in expected] == \
        [(ids[1], TRUST), (ids[2], TRUST), (ids[4], TRUST)]
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        assert [(d.segment_id, d.values) for d in screen.rows] == \
            [(d.segment_id, d.values) for d in expected]
        assert marks(screen, 0) == ["✓", "✗"]  # alice7 applied, bob7 rejected
        detail = str(screen.query_one("#disagreement-detail").render())
        assert "alice7 ✓ applied · bob7 ✗ rejected" in detail
        assert "The model" in detail  # and what the model said
        await pilot.press("n")  # as tester: the code does not apply
        await pilot.pause()
        assert screen.coders == ("alice7", "bob7", "tester")
        assert marks(screen, 0) == ["✓", "✗", "✗"]
        assert screen._current().segment_id == ids[2]  # on to the next
    assert [(c.segment_id, c.status.value) for c in suggested_project.log.codings(
        coder="tester")] == [(ids[1], "rejected")]


async def test_enter_opens_the_segment(suggested_project):
    ids = two_coders(suggested_project)
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await open_list(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.table.current.segment_id == ids[1]


async def test_blind_mode_shows_no_other_coder(suggested_project):
    ids = two_coders(suggested_project)
    suggested_project.coders.set_blind(True)
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        text = screen_text(pilot.app)
        assert "Blind mode: other coders' decisions stay hidden" in text
        assert screen.rows == [] and "alice7" not in text and "bob7" not in text
    # with decisions of their own and a run made from them, a blind coder meets the model only
    suggested_project.suggestions.confirm([(i, TRUST) for i in ids])
    suggested_project.suggestions.run()
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        screen = await open_list(pilot)
        text = screen_text(pilot.app)
        assert screen.coders == ("tester", "model:hashing-256-0")
        assert "Where you and the model differ" in text
        assert "alice7" not in text and "bob7" not in text
