"""Deductive suggestions, code by code: how many are left for this coder to decide; open a code
to walk them; run the suggestions (a thread worker) when there are none yet or to refresh."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from focuscode.domain import Code
from focuscode.domain.suggestions import CodeCoverage, SuggestionRun
from focuscode.tui.confirm_modal import ConfirmModal
from focuscode.tui.job_screen import JobScreen
from focuscode.tui.messages import OpenCodeSuggestions, OpenScreen
from focuscode.tui.widgets import JobPanel, StatusBar, TuiProgress
from focuscode.tui.widgets.formatting import shorten
from focuscode.tui.widgets.row_table import RowTable

NUMBER_COLUMNS = (("To decide", "pending", 9), ("Suggested", "suggested", 9),
                  ("Confirmed", "confirmed", 9))


class SuggestionsScreen(JobScreen):
    """One row per code suggestions are made for: pending for you, suggested by the model,
    confirmed by coders (by you only, in blind mode)."""

    BINDINGS = [
        Binding("enter", "open", "Walk",
                tooltip="Walk the code's suggestions: accept, reject or skip each, see why"),
        Binding("R", "run", "Run",
                tooltip="Suggest codes for every segment again (uses the embedding model; "
                        "decisions are kept and make the suggestions better)"),
        Binding("t", "alignment", "Themes ↔ codes",
                tooltip="Discovered themes beside the codebook: merge a theme into a code, or "
                        "make it a new code"),
        Binding("escape", "back", "Back", tooltip="Back (first cancels a running job)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[CodeCoverage, int]] = []
        self.codes: dict[int, Code] = {}
        self.run: SuggestionRun | None = None
        self._offered = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="suggestions-info")
        yield RowTable(id="code-table")
        yield Static(id="code-detail")
        yield JobPanel(id="job")
        yield StatusBar(id="status-bar")
        yield Footer()

    @property
    def table(self) -> RowTable:
        return self.query_one("#code-table", RowTable)

    # showing ------------------------------------------------------------------------------
    def load(self) -> None:
        suggestions = self.project.suggestions
        self.codes = {int(c.id): c for c in self.project.codebook.current().codes
                      if c.id is not None}
        self.run = suggestions.latest_run()
        info = self.query_one("#suggestions-info", Static)
        self.set_class(self.run is None or not self.codes, "-empty")
        if self.run is None or not self.codes:
            self.rows = []
            info.update(Text(self._no_run()))
            if self.codes and not self._offered:
                self._offered = True
                self._offer_run()
            return
        alignment = suggestions.alignment()
        self.rows = [(code, suggestions.pending(code.code_id, limit=0)[1])
                     for code in alignment.coverage]
        info.update(Text(self._run_line(self.run, sum(n for _, n in self.rows))))
        self._fill()

    def _no_run(self) -> str:
        if not self.codes:
            return ("The codebook has no codes yet, so there is nothing to suggest.\n\nImport "
                    "one (focuscode codebook import FILE) or accept themes as codes in the "
                    "overview (a). esc goes back.")
        blind = (" In blind mode only suggestions made from your own decisions count."
                 if self.project.blind else "")
        return (f"No suggestions yet.{blind}\n\nPress R to suggest the codebook's codes for "
                "every segment now: it loads the embedding model (a few seconds the first "
                "time) and changes no decision. From a shell: focuscode suggest.")

    def _run_line(self, run: SuggestionRun, pending: int) -> str:
        model = run.model_id.rsplit("/", 1)[-1].split("@")[0]
        blind = " · blind: your decisions only" if self.project.blind else ""
        return (f"{pending} suggestions for you to decide · {run.n_suggested} made for "
                f"{run.n_segments} segments and {run.n_codes} codes · threshold z ≥ "
                f"{run.threshold:.2f} · {model}, {run.created_at[:16].replace('T', ' ')}"
                f"{blind}")

    def _fill(self) -> None:
        table = self.table
        row = table.cursor_row
        table.clear(columns=True)
        width = max(60, table.size.width or self.size.width or 80)
        name_width = max(16, width - sum(w for _, _, w in NUMBER_COLUMNS) - 2 * 4 - 2)
        table.add_column("Code", key="code", width=name_width)
        for title, key, column_width in NUMBER_COLUMNS:
            table.add_column(title, key=key, width=column_width)
        for code, pending in self.rows:
            table.add_row(shorten(code.code_name, name_width), str(pending or ""),
                          str(code.n_suggested), str(code.n_confirmed or ""),
                          key=str(code.code_id))
        if self.rows:
            table.move_cursor(row=min(row, len(self.rows) - 1))
        table.focus()
        self._describe()

    def on_resize(self) -> None:
        if self.rows:
            self._fill()

    @on(DataTable.RowHighlighted, "#code-table")
    def _highlighted(self) -> None:
        self._describe()

    @on(DataTable.RowSelected, "#code-table")
    def _selected(self) -> None:
        self.action_open()

    def _current(self) -> tuple[CodeCoverage, int] | None:
        if not self.rows or not 0 <= self.table.cursor_row < len(self.rows):
            return None
        return self.rows[self.table.cursor_row]

    def _describe(self) -> None:
        detail = self.query_one("#code-detail", Static)
        current = self._current()
        if current is None:
            detail.update("")
            return
        coverage, pending = current
        code = self.codes.get(coverage.code_id)
        text = Text()
        text.append(coverage.code_name, "bold")
        if code is not None and code.parent:
            text.append(f"  in {code.parent}", "dim")
        text.append(f"  · {pending} for you to decide" + (" · enter walks them" if pending
                                                          else ""))
        definition = code.definition if code is not None else ""
        width = max(40, (detail.size.width or self.size.width or 80) - 2)
        text.append("\n" + (shorten(definition, 2 * width - 12) if definition
                            else "No definition: suggestions lean on its name and examples."),
                    "italic" if definition else "dim")
        detail.update(text)

    # actions ------------------------------------------------------------------------------
    def action_open(self) -> None:
        current = self._current()
        if current is None:
            return
        coverage, pending = current
        if not pending:
            self.notify(f"Nothing left for you to decide for '{coverage.code_name}'")
            return
        self.post_message(OpenCodeSuggestions(coverage.code_id, coverage.code_name))

    def action_alignment(self) -> None:
        if self.run is None:
            self.notify("Run the suggestions first (R)", severity="warning")
            return
        self.post_message(OpenScreen("alignment"))

    def action_back(self) -> None:
        if self.job.is_running:
            self.action_cancel_job()
        else:
            self.dismiss()

    def action_run(self) -> None:
        if self.job_running():
            return
        if not self.codes:
            self.notify("The codebook has no codes to suggest", severity="warning")
            return
        self.job.start("Suggesting codes")
        self._suggest()

    def _offer_run(self) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.action_run()

        self.app.push_screen(ConfirmModal(
            "No suggestions yet. Suggest the codebook's codes for every segment now? It "
            "loads the embedding model and changes no decision."), answer)

    @work(thread=True, exclusive=True, group="job")
    def _suggest(self) -> None:
        progress = TuiProgress(self.app, self.job, get_current_worker())

        def run() -> str:
            report = self.project.suggestions.run(progress=progress)
            return (f"{report.run.n_suggested} suggestions for {report.n_segments_with} "
                    f"of {report.run.n_segments} segments; {report.n_pending} for you to decide")

        self.run_job(run)

