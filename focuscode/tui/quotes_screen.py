"""The quotes of one theme or code: star the best, reorder, remove, accept suggestions."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Label, Static

from focuscode.domain import DecisionError
from focuscode.domain.review import Quote, QuoteSuggestion, ReviewEntry
from focuscode.tui.project_screen import ProjectScreen
from focuscode.tui.widgets import StatusBar
from focuscode.tui.widgets.formatting import shorten
from focuscode.tui.widgets.row_table import RowTable

N_SUGGESTIONS = 5


class QuotesScreen(ProjectScreen):
    """Two lists: the quotes picked, in order, and the model's suggestions (central, diverse,
    every role heard, no fragments). Tab moves between them."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back"),
        Binding("a", "accept", "Accept suggestion",
                tooltip="Accept the highlighted suggestion as a quote"),
        Binding("A", "accept_all", "Accept all",
                tooltip="Accept every suggestion shown", show=False),
        Binding("asterisk", "star", "Star",
                tooltip="Star or unstar the quote (starred quotes come first in reports)"),
        Binding("shift+up,K", "move(-1)", "Move up", tooltip="Move the quote up"),
        Binding("shift+down,J", "move(1)", "Move down", tooltip="Move the quote down", show=False),
        Binding("delete,x", "remove", "Remove", tooltip="Remove the quote"),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.entry: ReviewEntry | None = None
        self.quotes: list[Quote] = []
        self.suggestions: list[QuoteSuggestion] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="quotes-title")
        yield Label("Quotes  (* stars · shift+↑/↓ reorder · del removes)", classes="section")
        yield RowTable(id="quote-table")
        yield Label("Suggested  (a accepts · A accepts all)", classes="section")
        yield RowTable(id="suggestion-table")
        yield Static(id="quote-detail")
        yield StatusBar(id="status-bar")
        yield Footer()

    def on_mount(self) -> None:
        for table_id in ("#quote-table", "#suggestion-table"):
            table = self.query_one(table_id, DataTable)
            table.add_column("#", key="mark", width=3)
            table.add_column("Speaker", key="speaker", width=11)
            table.add_column("Role", key="role", width=9)
            table.add_column("Text", key="text")

    # showing ------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            self.entry = self.project.review.follow(self.key,
                                                    self.entry.theme_ids if self.entry else ())
        except DecisionError as error:
            self.notify(str(error), severity="warning")
            self.dismiss()
            return
        self.key = self.entry.key
        self.quotes = self.project.quotes.of(self.key)
        self.query_one("#quotes-title", Static).update(
            f"Quotes for '{self.entry.label}'  ·  {len(self.quotes)} picked")
        table = self.query_one("#quote-table", DataTable)
        row = table.cursor_row
        table.clear()
        width = self._text_width(table)
        for number, quote in enumerate(self.quotes, start=1):
            table.add_row(f"★{number}" if quote.starred else str(number), quote.speaker_name,
                          quote.role, shorten(quote.text, width), key=str(quote.id))
        if self.quotes:
            table.move_cursor(row=min(row, len(self.quotes) - 1))
        self.query_one("#suggestion-table", DataTable).loading = True
        self._suggest(self.key)
        self._describe()

    @work(thread=True, exclusive=True, group="suggest")
    def _suggest(self, key: str) -> None:
        try:
            found = self.project.quotes.suggest(key, n=N_SUGGESTIONS)
        except DecisionError:
            found = []
        self.app.call_from_thread(self._show_suggestions, found)

    def _show_suggestions(self, suggestions: list[QuoteSuggestion]) -> None:
        self.suggestions = suggestions
        table = self.query_one("#suggestion-table", DataTable)
        row = table.cursor_row  # after an accept: the same place, on the next suggestion
        table.loading = False
        table.clear()
        width = self._text_width(table)
        for number, suggestion in enumerate(suggestions, start=1):
            segment = suggestion.segment
            table.add_row(str(number), segment.speaker_name, segment.role,
                          shorten(segment.text, width), key=str(segment.segment_id))
        if suggestions:
            table.move_cursor(row=min(row, len(suggestions) - 1))
        if not self.quotes and suggestions:
            table.focus()
        self._describe()

    def _text_width(self, table: DataTable) -> int:
        return max(20, (table.size.width or self.size.width or 80) - 3 - 11 - 9 - 8 - 2)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._describe()

    def _describe(self) -> None:
        detail = self.query_one("#quote-detail", Static)
        focused = self.focused
        text = Text()
        on_suggestions = focused is self.query_one("#suggestion-table") or not self.quotes
        if on_suggestions and self.suggestions:
            table = self.query_one("#suggestion-table", DataTable)
            segment = self.suggestions[min(table.cursor_row, len(self.suggestions) - 1)].segment
            text.append(f"{segment.speaker_name} ({segment.role}) · {segment.transcript}\n", "dim")
            text.append(segment.text)
        elif self.quotes:
            table = self.query_one("#quote-table", DataTable)
            quote = self.quotes[min(table.cursor_row, len(self.quotes) - 1)]
            text.append(f"{quote.speaker_name} ({quote.role}) · {quote.transcript}"
                        f"{' · starred' if quote.starred else ''}\n", "dim")
            text.append(f"“{quote.text}”")
        detail.update(text)

    def on_descendant_focus(self) -> None:
        self._describe()

    # actions ------------------------------------------------------------------------------
    def _current_quote(self) -> Quote | None:
        table = self.query_one("#quote-table", DataTable)
        if not self.quotes:
            self.notify("No quote yet: accept a suggestion (a) or press Q on a segment",
                        severity="warning")
            return None
        return self.quotes[min(table.cursor_row, len(self.quotes) - 1)]

    def _done(self, decision: object | None, *, follow: int | None = None) -> None:
        if decision is None:
            return
        self.load()
        if follow is not None:
            table = self.query_one("#quote-table", DataTable)
            index = next((i for i, q in enumerate(self.quotes) if q.id == follow), None)
            if index is not None:
                table.move_cursor(row=index)

    def action_back(self) -> None:
        self.dismiss()

    def action_accept(self) -> None:
        if not self.suggestions:
            self.notify("No suggestion to accept", severity="warning")
            return
        table = self.query_one("#suggestion-table", DataTable)
        segment = self.suggestions[min(table.cursor_row, len(self.suggestions) - 1)].segment
        self._done(self.decide(lambda: self.project.quotes.accept(self.key,
                                                                  [segment.segment_id])))

    def action_accept_all(self) -> None:
        ids = [s.segment.segment_id for s in self.suggestions]
        if not ids:
            self.notify("No suggestion to accept", severity="warning")
            return
        self._done(self.decide(lambda: self.project.quotes.accept(self.key, ids)))

    def action_star(self) -> None:
        quote = self._current_quote()
        if quote is not None:
            self._done(self.decide(lambda: self.project.quotes.star(quote.id)), follow=quote.id)

    def action_move(self, step: int) -> None:
        quote = self._current_quote()
        if quote is not None:
            self._done(self.decide(lambda: self.project.quotes.move(quote.id, step)),
                       follow=quote.id)

    def action_remove(self) -> None:
        quote = self._current_quote()
        if quote is not None:
            self._done(self.decide(lambda: self.project.quotes.remove(quote.id)))
