"""Suggestions in the workbench: run them when there are none, walk a code's suggestions and
decide each (stored at once, as the coder, undoable), and act on the themes beside the codebook."""

from __future__ import annotations

import threading

from focuscode.domain.review import code_key, theme_key
from focuscode.pipeline.split import ThemeSplitter
from focuscode.tui import make_app
from focuscode.tui.alignment_screen import AlignmentScreen
from focuscode.tui.confirm_modal import ConfirmModal
from focuscode.tui.suggestion_review_screen import SuggestionReviewScreen
from focuscode.tui.suggestions_screen import SuggestionsScreen

SIZE = (120, 40)


def codings(project, coder: str = "tester") -> list[tuple[int, int, str]]:
    """(segment id, code id, status) of the coder's codings, read through the Project API."""
    return sorted((c.segment_id, c.code_id, c.status.value) for c in project.log.codings()
                  if c.coder == coder)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def open_code(pilot, row: int) -> SuggestionReviewScreen:
    await pilot.pause()
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SuggestionsScreen)
    pilot.app.screen.table.move_cursor(row=row)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SuggestionReviewScreen)
    return pilot.app.screen


async def test_without_a_run_it_says_so_and_runs_in_a_worker(codebook_project):
    assert codebook_project.suggestions.latest_run() is None
    async with make_app(codebook_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmModal)  # the offer to run them now
        below = pilot.app.screen_stack[-2]
        assert "No suggestions yet" in str(below.query_one("#suggestions-info").render())
        await pilot.press("y")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SuggestionsScreen) and not screen.job.is_running
        run = codebook_project.suggestions.latest_run()
        assert run is not None and run.model_id == "hashing-256-0"
        pending = {c.code_name: n for c, n in screen.rows}
        assert sum(pending.values()) == codebook_project.suggestions.pending(limit=0)[1] > 0
        assert "for you to decide" in text_of(pilot.app, "#suggestions-info")


async def test_walk_a_codes_suggestions_accept_skip_reject(suggested_project):
    coverage = suggested_project.suggestions.alignment().coverage
    row = next(i for i, c in enumerate(coverage) if c.n_suggested >= 4)
    code = coverage[row]
    pending, total = suggested_project.suggestions.pending(code.code_id, limit=4)
    ids = [p.suggestion.segment_id for p in pending]
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        screen = await open_code(pilot, row)
        assert [s.segment_id for s in screen.table.segments[:4]] == ids
        why = text_of(pilot.app, "#suggestion-why")
        assert f"z {pending[0].suggestion.score:.2f}" in why
        assert pending[0].suggestion.evidence[:40] in " ".join(why.split())
        assert f"{total} to decide" in screen.title_text()
        await pilot.press("y", "s", "n")  # accept, skip, reject
        await pilot.pause()
        assert screen.table.current.segment_id == ids[3]
        assert [s.status for s in screen.table.segments[:3]] == ["confirmed", "suggested",
                                                                 "rejected"]
        assert f"{total - 2} to decide · 1 accepted · 1 rejected" in screen.title_text()
    assert codings(suggested_project) == sorted([(ids[0], code.code_id, "confirmed"),
                                                 (ids[2], code.code_id, "rejected")])
    assert [(d.action, d.coder) for d in suggested_project.log.history(limit=2)] == \
        [("reject", "tester"), ("confirm", "tester")]
    left = {p.suggestion.segment_id for p in
            suggested_project.suggestions.pending(code.code_id, limit=10_000)[0]}
    assert ids[1] in left and not {ids[0], ids[2]} & left


async def test_a_selection_is_one_decision_and_undo_brings_it_back(suggested_project):
    coverage = suggested_project.suggestions.alignment().coverage
    row = next(i for i, c in enumerate(coverage) if c.n_suggested >= 3)
    code = coverage[row]
    ids = [p.suggestion.segment_id
           for p in suggested_project.suggestions.pending(code.code_id, limit=3)[0]]
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        screen = await open_code(pilot, row)
        await pilot.press("space", "down", "down", "space", "y")  # rows 1 and 3
        await pilot.pause()
        assert codings(suggested_project) == sorted([(ids[0], code.code_id, "confirmed"),
                                                     (ids[2], code.code_id, "confirmed")])
        [decision] = suggested_project.log.history(limit=1)
        assert (decision.action, decision.coder) == ("confirm", "tester")
        assert decision.payload["summary"] == "confirmed 2 codings"
        await pilot.press("u")
        await pilot.pause()
        assert codings(suggested_project) == []
        assert [s.segment_id for s in screen.table.segments[:3]] == ids
        assert {s.status for s in screen.table.segments} == {"suggested"}
        assert screen.table.current.segment_id == ids[0]  # the undone suggestion
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SuggestionsScreen)


async def test_other_coders_show_unless_blind(suggested_project):
    coverage = suggested_project.suggestions.alignment().coverage
    row = next(i for i, c in enumerate(coverage) if c.n_suggested)
    code = coverage[row]
    [first] = suggested_project.suggestions.pending(code.code_id, limit=1)[0]
    other = type(suggested_project)(suggested_project.folder, suggested_project.store,
                                    coder="zelda", embedder=suggested_project.embedder())
    other.suggestions.reject([(first.suggestion.segment_id, code.code_id)])
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await open_code(pilot, row)
        assert "Other coders: zelda ✗ rejected" in text_of(pilot.app, "#suggestion-why")
    suggested_project.coders.set_blind(True)
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await open_code(pilot, row)
        assert "zelda" not in text_of(pilot.app, "#suggestion-why")


async def test_themes_beside_the_codebook_merge_and_new_code(suggested_project):
    alignment = suggested_project.suggestions.alignment()
    merge, new = alignment.merges[0], alignment.new_codes[0]
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AlignmentScreen)
        await pilot.press("m")  # the first theme into the code proposed for it
        await pilot.app.workers.wait_for_complete()  # a merge runs in a thread
        await pilot.pause()
        review = suggested_project.review
        assert review.resolve_key(theme_key(merge.theme_id)) == code_key(merge.code_id)
        await pilot.press("tab", "a")  # the first theme matching no code becomes a code
        await pilot.pause()
        made = review.resolve_key(theme_key(new.theme_id))
        assert made.startswith("c") and review.entry(made).status == "accepted"
        assert [d.action for d in suggested_project.log.history(limit=2)] == ["accept", "merge"]
        await pilot.press("u", "u")
        await pilot.pause()
    assert review.resolve_key(theme_key(merge.theme_id)) == theme_key(merge.theme_id)
    assert review.resolve_key(theme_key(new.theme_id)) == theme_key(new.theme_id)


async def test_codes_made_since_the_run_are_shown_apart(suggested_project):
    theme = next(e for e in suggested_project.review.entries()
                 if e.code_id is None and not e.is_queue)
    suggested_project.decisions.accept(theme.key, "Accepted later")
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s", "t")
        await pilot.pause()
        assert isinstance(pilot.app.screen, AlignmentScreen)
        lines = text_of(pilot.app, "#alignment-detail").splitlines()
        since = next(line for line in lines if line.startswith("Codes made since the run"))
        assert since.endswith(": Accepted later")
        assert not any("Accepted later" in line for line in lines if line != since)
        assert any(line.startswith(("Codes no segment matches:", "Every code the run scored"))
                   for line in lines)


async def test_undoing_the_codebook_import_closes_the_walk(suggested_project):
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await open_code(pilot, 0)
        await pilot.press("u")  # the last decision: the codebook's import
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, SuggestionsScreen) and screen.rows == []
        assert "The codebook has no codes yet" in text_of(pilot.app, "#suggestions-info")


async def test_one_job_at_a_time_across_screens(suggested_project, monkeypatch):
    release = threading.Event()
    fit = ThemeSplitter.fit

    def slow_fit(self, X):  # noqa: ANN001 - holds the split until the test is done
        release.wait(10)
        return fit(self, X)

    monkeypatch.setattr(ThemeSplitter, "fit", slow_fit)
    run = suggested_project.suggestions.latest_run().id
    async with make_app(suggested_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "enter", "s")  # a split runs on the overview
        await pilot.pause()
        await pilot.press("R")
        await pilot.pause()
        assert not pilot.app.screen.job.is_running
        assert any("another screen" in n.message for n in pilot.app._notifications)
        release.set()
        await pilot.app.workers.wait_for_complete()
    assert suggested_project.suggestions.latest_run().id == run  # no second job ran
