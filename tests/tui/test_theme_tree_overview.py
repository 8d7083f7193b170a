"""The themes overview as a theme tree: parent rows above their themes, collapse and expand,
accepting a parent as a parent code with child codes (and undoing it)."""

from __future__ import annotations

from focuscode.tui import make_app
from focuscode.tui.widgets import EntryTable
from tests.tui.conftest import Stored

SIZE = (120, 40)


def table(app) -> EntryTable:
    return app.screen.query_one("#entry-table", EntryTable)


def keys(app) -> list[str]:
    return [e.key for e in table(app).entries]


def first_parent(project):
    group, children = next((g, c) for g, c in project.theme_tree() if g is not None)
    return group, children


async def go_to(pilot, key: str) -> None:
    shown = table(pilot.app)
    shown.move_cursor(row=[e.key for e in shown.entries].index(key))
    await pilot.pause()


async def test_parent_rows_sit_above_their_themes_with_their_total(tree_project):
    group, children = first_parent(tree_project)
    async with make_app(tree_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        entries = table(pilot.app).entries
        parents = [e for e in entries if e.is_parent]
        assert parents and entries[-1].is_queue
        row = next(i for i, e in enumerate(entries) if e.key == f"p{group.id}")
        under = entries[row + 1:row + 1 + len(children)]
        assert {t for e in under for t in e.theme_ids} == {t.id for t in children}
        assert entries[row].n_segments == sum(e.n_segments for e in under)
        cells = [str(cell) for cell in table(pilot.app).get_row_at(row)]
        assert cells[0] == f"P{group.id}" and cells[1].startswith("▾ " + group.label[:5])
        assert str(table(pilot.app).get_row_at(row + 1)[1]).startswith("   ")
        # every theme of the analysis is shown once, under its parent or at the top level
        themes = [t for e in entries for t in e.theme_ids]
        assert sorted(themes) == sorted(t.id for g, c in tree_project.theme_tree() for t in c)


async def test_collapse_hides_a_parents_themes_and_expand_shows_them(tree_project):
    group, children = first_parent(tree_project)
    parent = f"p{group.id}"
    async with make_app(tree_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = keys(pilot.app)
        await go_to(pilot, before[before.index(parent) + 1])  # a theme under it
        await pilot.press("left")
        await pilot.pause()
        after = keys(pilot.app)
        assert len(after) == len(before) - len(children)
        assert table(pilot.app).current.key == parent
        assert str(table(pilot.app).get_row_at(after.index(parent))[1]).startswith("▸ ")
        await pilot.press("right")
        await pilot.pause()
        assert keys(pilot.app) == before
        await pilot.press("enter")  # enter on a parent folds it too
        await pilot.pause()
        assert len(keys(pilot.app)) == len(before) - len(children)
        await pilot.press("o")  # sorting keeps it collapsed, the queue last
        await pilot.pause()
        assert len(keys(pilot.app)) == len(before) - len(children)
        assert table(pilot.app).entries[-1].is_queue


async def test_sorting_sorts_themes_within_their_parent_and_parents_by_total(tree_project):
    async with make_app(tree_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")  # size
        await pilot.pause()
        entries = table(pilot.app).entries[:-1]
        top = [e for e in entries if e.is_parent or e.group_id is None]
        sizes = [e.n_segments for e in top]
        assert sizes == sorted(sizes, reverse=True)
        for parent in (e for e in entries if e.is_parent):
            under = [e.n_segments for e in entries
                     if not e.is_parent and e.group_id == parent.group_id]
            assert under == sorted(under, reverse=True)
            at = entries.index(parent)
            assert all(not e.is_parent for e in entries[at + 1:at + 1 + len(under)])


async def test_a_on_a_parent_makes_a_parent_code_with_child_codes_and_u_undoes_it(
        tree_project):
    group, children = first_parent(tree_project)
    async with make_app(tree_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await go_to(pilot, f"p{group.id}")
        await pilot.press("r")  # not for a parent: one warning, nothing changes
        await pilot.pause()
        assert not tree_project.codebook.current().codes
        await pilot.press("a")
        await pilot.pause()
        codes = tree_project.codebook.current().codes
        parent = next(c for c in codes if c.name == group.label)
        assert parent.parent is None
        assert len([c for c in codes if c.parent == parent.name]) == len(children)
        assert table(pilot.app).current.key == f"p{group.id}"
        await pilot.press("u")
        await pilot.pause()
        assert not tree_project.codebook.current().codes
    with Stored(tree_project).reopen() as fresh:
        assert not fresh.codebook.current().codes
