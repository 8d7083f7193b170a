"""The themes overview: what it lists, sorting, and shaping the codebook from it."""

from __future__ import annotations

from focuscode.tui import make_app
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.themes_screen import ThemesScreen
from focuscode.tui.widgets import EntryTable

SIZE = (120, 40)


def table(app) -> EntryTable:
    return app.screen.query_one("#entry-table", EntryTable)


async def test_overview_lists_every_theme_with_role_counts_and_the_queue(review_project):
    entries = review_project.review.entries()
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = table(pilot.app)
        assert isinstance(pilot.app.screen, ThemesScreen)
        assert [e.key for e in shown.entries] == [e.key for e in entries]
        assert shown.entries[-1].is_queue
        columns = [str(c.value) for c in shown.columns]
        assert {"role:patient", "role:physician", "role:caregiver"} <= set(columns)
        first = [str(cell) for cell in shown.get_row_at(0)]
        assert first[columns.index("role:patient")] == str(entries[0].by_role["patient"])


async def test_sort_by_key_and_by_clicking_a_column_title(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o", "o")  # size, then name
        labels = [e.label.lower() for e in table(pilot.app).entries[:-1]]
        assert labels == sorted(labels)
        assert table(pilot.app).entries[-1].is_queue
        screen = pilot.app.screen
        screen.post_message(EntryTable.SortRequested(table(pilot.app), "role:physician"))
        await pilot.pause()
        physicians = [e.by_role.get("physician", 0) for e in table(pilot.app).entries[:-1]]
        assert physicians == sorted(physicians, reverse=True)


async def test_accept_rename_and_define(review_project, stored):
    first = review_project.review.entries()[0]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.press("r", "ctrl+a", "ctrl+k", *"Care", "enter")
        await pilot.press("d", *"Who.", "ctrl+s")
        await pilot.pause()
        assert table(pilot.app).entries[0].label == "Care"
    with stored.reopen() as fresh:
        [code] = fresh.log.codes()
        assert (code.name, code.status, code.definition) == ("Care", "accepted", "Who.")
        assert fresh.review.entry(first.key).label == "Care"


async def test_merge_two_themes_with_the_picker(review_project, stored):
    a, b = review_project.review.entries()[:2]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m", *b.label[:12], "enter")
        await pilot.app.workers.wait_for_complete()  # a merge runs in a thread
        await pilot.pause()
        merged = table(pilot.app).entries
        assert b.label in [e.label for e in merged] and a.label not in [e.label for e in merged]
    with stored.reopen() as fresh:
        entry = fresh.review.entry(b.key)
        assert set(entry.theme_ids) == set(a.theme_ids + b.theme_ids)
        assert entry.n_segments == a.n_segments + b.n_segments


async def test_split_runs_in_a_worker_and_the_sub_themes_appear(review_project, stored):
    first = review_project.review.entries()[0]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("x", "down", "enter")  # the second choice: 2 themes
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert not pilot.app.screen.query_one("#job").is_running
        keys = [e.key for e in table(pilot.app).entries]
        assert first.key not in keys
    with stored.reopen() as fresh:
        entries = fresh.review.entries()
        assert len(entries) == len(review_project.review.entries())
        decision = fresh.log.history(1)[0]
        assert decision.action == "split" and len(decision.payload["themes"]) == 2
        sizes = sorted(fresh.review.entry(f"t{t}").n_segments
                       for t in decision.payload["themes"])
        assert sum(sizes) == first.n_segments


async def test_delete_asks_first_and_sends_segments_to_the_queue(review_project, stored):
    first, *_, queue = review_project.review.entries()
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("D", "n")
        assert first.label in stored.labels()
        await pilot.press("D", "y")
        await pilot.pause()
    assert first.label not in stored.labels()
    with stored.reopen() as fresh:
        assert fresh.review.entries()[-1].n_segments == queue.n_segments + first.n_segments


async def test_enter_opens_the_theme_and_escape_comes_back(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")
        assert isinstance(pilot.app.screen, ReviewScreen)
        assert pilot.app.screen.key == review_project.review.entries()[1].key
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ThemesScreen)


async def test_a_project_without_analysis_says_what_to_do(empty_project):
    async with make_app(empty_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert pilot.app.screen.has_class("-empty")
        text = str(pilot.app.screen.query_one("#themes-empty").render())
        assert "focuscode analyse" in text
        await pilot.press("a", "enter", "m", "x")  # nothing to act on: no error
    assert empty_project.log.history() == []


async def test_q_quits(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not pilot.app.is_running


async def test_the_queue_row_offers_no_theme_keys(review_project, stored):
    theme_keys = {"a", "r", "d", "m", "x", "delete", "p"}
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert theme_keys <= set(pilot.app.screen.active_bindings)
        await pilot.press("end")
        await pilot.pause()
        assert table(pilot.app).current.is_queue
        assert not theme_keys & set(pilot.app.screen.active_bindings)
        await pilot.press("a", "m", "x", "D")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ThemesScreen) and not pilot.app._notifications
        await pilot.press("up")
        await pilot.pause()
        assert theme_keys <= set(pilot.app.screen.active_bindings)
    assert review_project.log.history() == []


async def test_done_counts_what_the_segments_column_counts(review_project, stored):
    theme = review_project.review.entries()[0]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "y", "n", "y", "escape")  # two confirmed, one rejected
        await pilot.pause()
        shown = table(pilot.app)
        columns = [str(c.value) for c in shown.columns]
        row = [str(cell) for cell in shown.get_row_at(0)]
        assert (row[columns.index("size")], row[columns.index("progress")]) == \
            (str(theme.n_segments - 1), f"2/{theme.n_segments - 1}")
    assert [c[2] for c in stored.codings()] == ["confirmed", "rejected", "confirmed"]


async def test_the_merge_picker_says_size_and_kind_and_keywords_follow(review_project, stored):
    a, b = review_project.review.entries()[:2]
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        options = pilot.app.screen.query_one("#picker-options")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert f"{b.label}  {b.n_segments} segments · suggested theme" in prompts
        await pilot.press(*b.label[:12], "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        merged = table(pilot.app).entries[0]
        assert merged.label == b.label and merged.keywords != b.keywords
    with stored.reopen() as fresh:
        assert fresh.review.entry(b.key).keywords == merged.keywords


async def test_after_a_split_the_code_keeps_its_segments_and_rejections(review_project, stored):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "y", "n", "escape")  # confirm the first, reject the second
        await pilot.pause()
        code = table(pilot.app).entries[0]
        await pilot.press("x", "down", "enter")  # two sub-themes
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        after = next(e for e in table(pilot.app).entries if e.key == code.key)
        assert after.n_segments > 1 and (after.n_confirmed, after.n_rejected) == (1, 1)
        assert after.label != code.label
    with stored.reopen() as fresh:
        [rejected] = [c.segment_id for c in fresh.log.codings() if c.status.value == "rejected"]
        children = [e for e in fresh.review.entries() if e.key.startswith("t")]
        for child in children:
            assert rejected not in {r.segment_id for r in fresh.review.segments(child.key).rows}


async def test_the_sort_order_is_kept_across_a_restart(review_project, stored):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o", "o")  # size, then name
        await pilot.pause()
        by_name = [e.key for e in table(pilot.app).entries]
    with stored.reopen() as fresh:
        async with make_app(fresh).run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert [e.key for e in table(pilot.app).entries] == by_name
            screen = pilot.app.screen
            screen.post_message(EntryTable.SortRequested(table(pilot.app), "role:physician"))
            await pilot.pause()
    with stored.reopen() as fresh:
        async with make_app(fresh).run_test(size=SIZE) as pilot:
            await pilot.pause()
            physicians = [e.by_role.get("physician", 0) for e in table(pilot.app).entries[:-1]]
            assert physicians == sorted(physicians, reverse=True)
            assert pilot.app.screen.sort_by == "role:physician"
    with stored.reopen() as fresh:  # another coder keeps their own order
        fresh.coder = "ben"
        async with make_app(fresh).run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert pilot.app.screen.sort_by == "number"
async def test_a_codebook_code_counts_its_suggestions_as_the_reports_do(suggested_project):
    entry = next(e for e in suggested_project.review.entries()
                 if e.label == "Holistic view of care")
    assert entry.n_by_codebook == entry.n_segments > 0
    async with make_app(suggested_project).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one("#entry-table", EntryTable)
        while table.current is not None and table.current.key != entry.key:
            before = table.current.key
            await pilot.press("down")
            await pilot.pause()
            if table.current.key == before:
                break
        assert table.current.key == entry.key
        detail = str(pilot.app.screen.query_one("#entry-detail").render())
        assert f"0/{entry.n_segments} confirmed · {entry.n_by_codebook} suggested by codebook" \
            in detail
