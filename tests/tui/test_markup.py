"""Transcript text and code names are shown as written, never read as Rich markup."""

from __future__ import annotations

from rich.text import Text

from focuscode.tui.widgets.row_table import RowTable


async def test_bracketed_transcript_notes_are_shown_literally() -> None:
    from textual.app import App, ComposeResult

    class Host(App):
        def compose(self) -> ComposeResult:
            yield RowTable(id="t")

    async with Host().run_test() as pilot:
        table = pilot.app.query_one("#t", RowTable)
        table.add_columns("text")
        key = table.add_row("Apps. [laughs] No, [bold]seriously[/bold].")
        cell = table.get_cell(key, table.ordered_columns[0].key)
        assert isinstance(cell, Text) and cell.plain == "Apps. [laughs] No, [bold]seriously[/bold]."
        table.update_cell(key, table.ordered_columns[0].key, "[crosstalk] again")
        assert table.get_cell(key, table.ordered_columns[0].key).plain == "[crosstalk] again"
