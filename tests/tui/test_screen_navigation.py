"""Screens do not import each other to navigate: they post ``tui.messages`` and the app opens
the screen. The app's list of screens is the one the help shows, and every key it names works."""

from __future__ import annotations

import ast
from pathlib import Path

from focuscode.domain.review import UNASSIGNED
from focuscode.tui import make_app
from focuscode.tui.app import ReviewApp
from focuscode.tui.help_screen import all_bindings
from focuscode.tui.messages import OpenEntry, OpenQuotes, OpenScreen
from focuscode.tui.queue_screen import QueueScreen
from focuscode.tui.quotes_screen import QuotesScreen
from focuscode.tui.review_screen import ReviewScreen
from focuscode.tui.search_screen import SearchScreen
from focuscode.tui.suggestions_screen import SuggestionsScreen

TUI = Path(__file__).resolve().parents[2] / "focuscode" / "tui"
SIZE = (120, 40)


def _screen_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of every import (at the top or inside a function) from another screen
    module of the workbench."""
    own = f"focuscode.tui.{path.stem}"
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("focuscode.tui.") and node.module.endswith("_screen") \
                    and node.module != own:
                found += [(node.module, alias.name) for alias in node.names]
            elif node.module == "focuscode.tui":
                found += [(f"focuscode.tui.{a.name}", a.name) for a in node.names
                          if a.name.endswith("_screen")]
        elif isinstance(node, ast.Import):
            found += [(a.name, a.name) for a in node.names
                      if a.name.startswith("focuscode.tui.") and a.name.endswith("_screen")]
    return found


def _bases(path: Path) -> set[str]:
    return {base.id for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ClassDef) for base in node.bases
            if isinstance(base, ast.Name)}


def test_no_screen_module_imports_another_screen_to_open_it():
    listed = {listed.screen.__name__ for listed in ReviewApp.SCREEN_LIST}
    screens = sorted(TUI.glob("*_screen.py"))
    assert len(screens) >= 10
    wrong = []
    for path in screens:
        bases = _bases(path)
        for module, name in _screen_imports(path):
            # only the class a screen is made from (ProjectScreen, JobScreen, SegmentsScreen),
            # never one it could open
            if name not in bases or name in listed:
                wrong.append(f"{path.name} imports {name} from {module}")
    assert wrong == []


def test_the_app_lists_every_screen_once_and_the_keys_it_names_open_them():
    listed = ReviewApp.SCREEN_LIST
    assert len({s.name for s in listed}) == len(listed)
    assert len({s.screen for s in listed}) == len(listed)
    names = {s.name: s for s in listed}
    for screen in listed:
        if not screen.key:
            continue
        where = names[screen.opened_from].screen if screen.opened_from else ReviewApp
        keys = {k for b in all_bindings(where) for k in b.key.split(",")}
        assert screen.key in keys, f"{screen.name}: no key {screen.key} on {where.__name__}"
    help_titles = [title for _, title in ReviewApp.help_sections()]
    assert help_titles[0] == "Themes overview"
    assert "Quotes  (p in Themes overview)" in help_titles
    assert help_titles[-1] == "Everywhere"


async def test_each_message_opens_its_screen(review_project):
    theme = review_project.review.entries()[0]
    segment = review_project.review.segments(theme.key).rows[3].segment_id
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        app = pilot.app
        for message, kind in ((OpenEntry(theme.key, segment), ReviewScreen),
                              (OpenEntry(UNASSIGNED), QueueScreen),
                              (OpenQuotes(theme.key), QuotesScreen),
                              (OpenScreen("suggestions"), SuggestionsScreen),
                              (OpenScreen("search"), SearchScreen)):
            app.screen.post_message(message)  # as a screen posts it: it bubbles to the app
            await pilot.pause()
            assert isinstance(app.screen, kind), message
            if isinstance(app.screen, ReviewScreen):
                assert app.screen.table.current.segment_id == segment
            app.pop_screen()
            await pilot.pause()
        assert type(app.screen).__name__ == "ThemesScreen"


async def test_enter_p_s_and_slash_open_their_screens_and_esc_goes_back(review_project):
    async with make_app(review_project).run_test(size=SIZE) as pilot:
        await pilot.pause()
        for keys, kind in ((["enter"], ReviewScreen), (["p"], QuotesScreen),
                           (["escape", "escape", "p"], QuotesScreen),
                           (["escape", "slash"], SearchScreen),
                           (["escape", "s"], SuggestionsScreen)):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(pilot.app.screen, kind), keys
