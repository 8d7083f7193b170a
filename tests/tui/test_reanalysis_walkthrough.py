"""The issue's walkthrough in the workbench: split the biggest theme into 3, rename a part,
merge it into a code, move a segment, confirm some, delete a theme; then ``R``: everything is
where the researcher left it, and one ``u`` undoes the re-analysis."""

from __future__ import annotations

from focuscode.tui import make_app
from focuscode.tui.confirm_modal import ConfirmModal
from focuscode.workflows import Project

SIZE = (120, 40)
CODE = "Lost trust in pharma and healthcare"


def seen(project: Project) -> dict[str, tuple]:
    """Label -> (status, segments, confirmed, rejected, each segment's status)."""
    return {e.label: (e.status, e.n_segments, e.n_confirmed, e.n_rejected,
                      sorted((r.segment_id, r.status)
                             for r in project.review.segments(e.key, limit=10_000).rows))
            for e in project.review.entries()}


def shape(project: Project) -> None:
    decisions, review = project.decisions, project.review
    themes = sorted((e for e in review.entries() if not e.is_queue), key=lambda e: -e.n_segments)
    decisions.accept(themes[1].key, CODE)
    code = review.resolve_key(themes[1].key)
    parts = [f"t{t}" for t in decisions.split(themes[0].key, n_themes=3).payload["themes"]]
    decisions.rename(parts[0], "Decreased trust in pharma")
    decisions.merge(review.resolve_key(parts[0]), code)
    rows = review.segments(code).rows
    decisions.confirm(code, [r.segment_id for r in rows[:4]])
    decisions.move(review.segments(parts[1]).rows[0].segment_id, code, from_key=parts[1])
    decisions.delete(themes[-1].key)


async def test_R_keeps_the_researchers_structure_and_u_undoes_it(review_project):
    shape(review_project)
    before, run = seen(review_project), review_project.store.latest_run().id
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")  # works out what changes, then asks
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        modal = pilot.app.screen
        assert isinstance(modal, ConfirmModal) and "What changes:" in modal.question
        assert review_project.store.latest_run().id == run  # nothing saved before the answer
        await pilot.press("y")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert review_project.store.latest_run().id != run
        assert "of your codes and themes kept" in pilot.app.status
        assert seen(review_project) == before
        await pilot.press("u")
        await pilot.pause()
        assert pilot.app.status.startswith("Undo: re-analysed")
        assert review_project.store.latest_run().id == run
        assert seen(review_project) == before


async def test_R_preview_lists_what_changes_and_no_changes_nothing(review_project):
    shape(review_project)
    review_project.configure(min_cluster_size=4, cluster_selection_method="leaf")
    before, run = seen(review_project), review_project.store.latest_run().id
    n = len(review_project.log.history())
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("R")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        question = pilot.app.screen.question
        assert "• code '" in question and "• new theme '" in question
        await pilot.press("n")
        await pilot.pause()
    assert review_project.store.latest_run().id == run and seen(review_project) == before
    assert len(review_project.log.history()) == n
