"""The discovered themes beside the codebook: themes most of whose segments are suggested for a
code (merge them into it), themes that match no code (make them codes), codes nothing matches,
and the codes made since the suggestion run (which it could not match)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from focuscode.domain import Decision, DecisionError
from focuscode.domain.review import code_key, theme_key
from focuscode.domain.suggestions import CodebookAlignment, ThemeMatch
from focuscode.tui.messages import OpenEntry
from focuscode.tui.picker_modal import PickerModal
from focuscode.tui.project_screen import ProjectScreen
from focuscode.tui.widgets import StatusBar
from focuscode.tui.widgets.formatting import shorten
from focuscode.tui.widgets.row_table import RowTable


class AlignmentScreen(ProjectScreen):
    """Two lists (tab moves between them): themes to merge into a code, themes offered as new
    codes. Each action is one decision of the log, undone by u."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back"),
        Binding("m", "merge", "Merge",
                tooltip="Merge the theme into the code proposed for it (a theme that matches no "
                        "code: into a code you pick)"),
        Binding("a", "accept", "New code", tooltip="Make the theme a code of its own"),
        Binding("enter", "open", "Review", tooltip="Review the theme's segments before deciding"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.alignment = CodebookAlignment()
        self.entries: dict[int, tuple[str, str]] = {}  # theme id -> (entry key, its label)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="alignment-title")
        yield Label("Themes to merge into a code  (m merges · a makes it a new code instead)",
                    classes="section")
        yield RowTable(id="merge-table")
        yield Label("Themes that match no code  (a makes it a code · m merges it into one)",
                    classes="section")
        yield RowTable(id="new-table")
        yield Static(id="alignment-detail")
        yield StatusBar(id="status-bar")
        yield Footer()

    # showing ------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            self.alignment = self.project.suggestions.alignment()
        except DecisionError as error:
            self.notify(str(error), severity="warning")
            self.dismiss()
            return
        review = self.project.review
        labels = review.labels()
        self.entries = {}
        for match in (*self.alignment.merges, *self.alignment.new_codes):
            try:
                key = review.resolve_key(theme_key(match.theme_id))
            except DecisionError:
                continue
            self.entries[match.theme_id] = (key, labels.get(key, match.theme_label))
        self._fill("#merge-table", self.alignment.merges)
        self._fill("#new-table", self.alignment.new_codes)
        linked = len(self.alignment.linked)
        self.query_one("#alignment-title", Static).update(Text(
            f"Themes beside the codebook · {len(self.alignment.merges)} to merge · "
            f"{len(self.alignment.new_codes)} match no code · {linked} linked"))
        if self.focused is None:
            first = "#merge-table" if self.alignment.merges else "#new-table"
            self.query_one(first, RowTable).focus()
        self._describe()

    def _fill(self, table_id: str, matches: tuple[ThemeMatch, ...]) -> None:
        table = self.query_one(table_id, RowTable)
        row = table.cursor_row
        table.clear(columns=True)
        width = max(60, table.size.width or self.size.width or 80)
        share = 6 if table_id == "#merge-table" else 0
        theme = max(20, (width - 21) // 2)  # both lists alike: the merge list's columns
        rest = max(20, width - theme - 5 - share - 2 * (4 if share else 3) - 2)
        table.add_column("Theme", key="theme", width=theme)
        table.add_column("Segs", key="size", width=5)
        if share:
            table.add_column("Into code", key="code", width=rest)
            table.add_column("Share", key="share", width=share)
        else:
            table.add_column("Keywords", key="keywords", width=rest)
        for match in matches:
            label = shorten(self._label(match), theme)
            if share:
                table.add_row(label, str(match.size), shorten(match.code_name, rest),
                              f"{match.share:.0%}", key=str(match.theme_id))
            else:
                table.add_row(label, str(match.size), shorten(", ".join(match.keywords), rest),
                              key=str(match.theme_id))
        if matches:
            table.move_cursor(row=min(row, len(matches) - 1))

    def on_resize(self) -> None:
        if self.is_mounted:
            self._fill("#merge-table", self.alignment.merges)
            self._fill("#new-table", self.alignment.new_codes)

    def _label(self, match: ThemeMatch) -> str:
        key, label = self.entries.get(match.theme_id, (theme_key(match.theme_id),
                                                       match.theme_label))
        return f"{label} (code)" if key.startswith("c") else label

    def _current(self) -> tuple[str, ThemeMatch] | None:
        """The list with the focus and its highlighted theme."""
        focused = self.focused
        for table_id, matches in (("#merge-table", self.alignment.merges),
                                  ("#new-table", self.alignment.new_codes)):
            table = self.query_one(table_id, RowTable)
            if focused is table and matches and 0 <= table.cursor_row < len(matches):
                return table_id, matches[table.cursor_row]
        return None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._describe()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def on_descendant_focus(self) -> None:
        self._describe()

    def _describe(self) -> None:
        detail = self.query_one("#alignment-detail", Static)
        width = max(40, (detail.size.width or self.size.width or 80) - 2)
        text = Text()
        current = self._current()
        if current is not None:
            _, match = current
            label = self._label(match)
            text.append(label, "bold")
            text.append("  " + shorten(f"{match.size} segments · {', '.join(match.keywords)}",
                                       width - len(label) - 2) + "\n")
            if match.code_id is not None:
                text.append(shorten(f"{match.share:.0%} of its segments are suggested for "
                                    f"'{match.code_name}' (mean z {match.score:.2f})", width)
                            + "\n")
            else:
                text.append("No code is suggested for enough of its segments "
                            f"(the most: {match.share:.0%})\n")
        unmatched, since = self.alignment.unmatched_codes, self.alignment.codes_since_run
        names = ", ".join(c.code_name for c in unmatched)
        text.append(shorten(f"Codes no segment matches: {names}", width) if unmatched else
                    "Every code the run scored matches some segments.", "dim")
        if since:
            names = ", ".join(c.code_name for c in since)
            text.append("\n" + shorten(f"Codes made since the run (R in suggestions scores "
                                       f"them): {names}", width), "dim")
        if not self.alignment.merges and not self.alignment.new_codes:
            text.append("\nNo theme to merge or add: every discovered theme already is a code "
                        "(or there is no analysis yet).", "dim")
        detail.update(text)

    # actions ------------------------------------------------------------------------------
    def _decided(self, decision: Decision | None) -> None:
        if decision is not None:
            self.load()

    def _pick(self) -> ThemeMatch | None:
        current = self._current()
        if current is None:
            self.notify("Pick a theme in one of the lists", severity="warning")
            return None
        return current[1]

    def _key(self, match: ThemeMatch) -> str:
        return self.entries.get(match.theme_id, (theme_key(match.theme_id), ""))[0]

    def action_merge(self) -> None:
        match = self._pick()
        if match is None:
            return
        key = self._key(match)
        doing = f"Merging '{self._label(match)}'"  # in a thread: a merge fits keywords
        if match.code_id is not None:
            into = code_key(match.code_id)
            self.workbench.decide_in_worker(lambda: self.project.decisions.merge(key, into),
                                            doing)
            return
        options = [(k, label) for k, label in self.project.review.labels().items()
                   if k.startswith("c") and k != key]

        def merge(into: str | None) -> None:
            if into is not None:
                self.workbench.decide_in_worker(
                    lambda: self.project.decisions.merge(key, into), doing)

        self.app.push_screen(PickerModal(f"Merge '{self._label(match)}' into…", options), merge)

    def action_accept(self) -> None:
        match = self._pick()
        if match is not None:
            key = self._key(match)
            self._decided(self.decide(lambda: self.project.decisions.accept(key)))

    def action_open(self) -> None:
        match = self._pick()
        if match is not None:
            self.post_message(OpenEntry(self._key(match)))

    def action_back(self) -> None:
        self.dismiss()
