"""Where coders disagree: each segment and code they coded differently, what each said (and the
model), in transcript order. Open the segment, or decide it right there as yourself. In blind
mode other coders' decisions stay hidden: only you and the model are compared."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import DataTable, Footer, Header, Static

from focuscode.domain import DecisionError
from focuscode.domain.agreement import APPLIED, MISSING, NOT_APPLIED, REJECTED, Disagreement
from focuscode.domain.review import ReviewSegment
from focuscode.domain.suggestions import is_model_coder
from focuscode.tui.messages import OpenEntry
from focuscode.tui.project_screen import ProjectScreen
from focuscode.tui.widgets import SegmentView, StatusBar
from focuscode.tui.widgets.formatting import shorten
from focuscode.tui.widgets.row_table import RowTable

MARKS = {APPLIED: "✓", REJECTED: "✗", NOT_APPLIED: "·", MISSING: "–"}
LEGEND = "✓ applied · ✗ rejected · · not applied (coded other codes) · – not coded"
BLIND = "Blind mode: other coders' decisions stay hidden."
BLIND_EMPTY = (f"{BLIND}\n\nSo there is no list of disagreements between coders here; the "
               "project lead can turn blind mode off (focuscode coders --open). In blind mode "
               "this lists where you and the model differ, once you have decided some segments "
               "and suggestions were made from your decisions alone (s, then R).")


class DisagreementsScreen(ProjectScreen):
    """The disagreements of ``project.coders`` (every person who coded; with one person, that
    person and the model)."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back"),
        Binding("enter", "open", "Open",
                tooltip="Open the code at this segment (or the theme the segment is in)"),
        Binding("y", "decide('confirmed')", "Apply",
                tooltip="Apply the code to the segment, as yourself; go to the next"),
        Binding("n", "decide('rejected')", "Reject",
                tooltip="Reject the code for the segment, as yourself; go to the next"),
        Binding("backspace", "decide(None)", "Undecide",
                tooltip="Take back your own decision on it", show=False),
        Binding("c", "toggle_context", "Context",
                tooltip="Show the turns around it, with the moderator's prompt"),
    ]

    with_context: var[bool] = var(False)

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Disagreement] = []
        self.coders: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="disagreements-title")
        yield RowTable(id="disagreement-table")
        yield Static(id="disagreement-detail")
        yield SegmentView(id="segment-view")
        yield StatusBar(id="status-bar")
        yield Footer()

    @property
    def table(self) -> RowTable:
        return self.query_one("#disagreement-table", RowTable)

    # showing ------------------------------------------------------------------------------
    def load(self, *, keep: tuple[int, int] | None = None) -> None:
        title = self.query_one("#disagreements-title", Static)
        current = self._current()
        if keep is None and current is not None:
            keep = (current.segment_id, current.code_id)
        blind = self.project.blind
        try:
            report = self.project.coders.agreement()
        except DecisionError as error:
            self.rows, self.coders = [], ()
            title.update(Text(BLIND_EMPTY if blind else f"No disagreements to show: {error}."))
            self._fill(None)
            return
        self.rows = list(report.disagreements)
        self.coders = tuple(c for c, _ in self.rows[0].values) if self.rows else ()
        who = ", ".join(self._who(c) for c in self.coders)
        overall = report.overall(*self.coders) if self.coders else None
        scores = ""
        if overall is not None and overall.percent is not None:
            kappa = f" · kappa {overall.kappa:.2f}" if overall.kappa is not None else ""
            alpha = f" · alpha {overall.alpha:.2f}" if overall.alpha is not None else ""
            scores = f" · {overall.percent:.0%} agree{kappa}{alpha}"
        head = (f"{BLIND} Where you and the model differ: " if blind
                else f"Disagreements among {who}: " if who else "")
        title.update(Text(f"{head}{len(self.rows)}{scores}\n{LEGEND}" if self.rows else
                          f"{BLIND + ' ' if blind else ''}No disagreements: the coders agree "
                          "on every segment they both coded."))
        self._fill(keep)

    def _fill(self, keep: tuple[int, int] | None) -> None:
        self.set_class(not self.rows, "-empty")
        table = self.table
        row = table.cursor_row
        table.clear(columns=True)
        width = max(60, table.size.width or self.size.width or 80)
        wide = width >= 110
        names = [self._who(c) for c in self.coders]
        coder_widths = [max(5, min(10, len(n))) for n in names]
        code_width, speaker_width = max(14, min(26, width // 5)), 12 if wide else 11
        fixed = code_width + speaker_width + sum(coder_widths)
        text_width = max(16, width - fixed - 2 * (3 + len(names)) - 2)
        table.add_column("Code", key="code", width=code_width)
        table.add_column("Speaker", key="speaker", width=speaker_width)
        table.add_column("Text", key="text", width=text_width)
        for index, (name, column_width) in enumerate(zip(names, coder_widths, strict=True)):
            table.add_column(name[:column_width], key=f"coder{index}", width=column_width)
        for d in self.rows:
            table.add_row(shorten(d.code_name, code_width), d.speaker_name,
                          shorten(d.text, text_width),
                          *(MARKS.get(value, value) for _, value in d.values),
                          key=f"{d.segment_id}:{d.code_id}")
        index = next((i for i, d in enumerate(self.rows)
                      if (d.segment_id, d.code_id) == keep), None)
        if self.rows:
            table.move_cursor(row=index if index is not None else min(row, len(self.rows) - 1))
        table.focus()
        self._describe()

    def on_resize(self) -> None:
        if self.rows:
            current = self._current()
            self._fill((current.segment_id, current.code_id) if current else None)

    def _who(self, coder: str) -> str:
        if coder == self.project.coder:
            return "you"
        return "model" if is_model_coder(coder) else coder

    def _current(self) -> Disagreement | None:
        if not self.rows or not 0 <= self.table.cursor_row < len(self.rows):
            return None
        return self.rows[self.table.cursor_row]

    @on(DataTable.RowHighlighted, "#disagreement-table")
    def _highlighted(self) -> None:
        self._describe()

    @on(DataTable.RowSelected, "#disagreement-table")
    def _selected(self) -> None:
        self.action_open()

    def _describe(self) -> None:
        detail = self.query_one("#disagreement-detail", Static)
        view = self.query_one("#segment-view", SegmentView)
        d = self._current()
        if d is None:
            detail.update("")
            view.show(None)
            return
        text = Text()
        text.append(d.code_name, "bold")
        text.append(":  " + " · ".join(f"{self._who(c)} {MARKS.get(v, '')} {v}"
                                       for c, v in d.values))
        if not any(is_model_coder(c) for c in self.coders):
            model = self._model_view(d)
            if model:
                text.append(f"\n{model}", "dim")
        detail.update(text)
        segment = ReviewSegment(
            segment_id=d.segment_id, transcript=d.transcript, turn_index=d.turn_index,
            speaker=d.speaker_name, speaker_name=d.speaker_name, role=d.role, start_time=None,
            start_char=0, end_char=len(d.text), text=d.text, status="")
        context = self.project.review.context(d.segment_id) if self.with_context else []
        view.show(segment, context)

    def _model_view(self, d: Disagreement) -> str:
        try:
            found = self.project.suggestions.for_segment(d.segment_id)
        except DecisionError:
            return ""  # no suggestion run (that this coder may see)
        match = next((s for s in found if s.code_id == d.code_id), None)
        if match is None:
            return "The model: not among the segment's best codes"
        said = "suggests it" if match.suggested else "does not suggest it"
        return f"The model {said} (score z {match.score:.2f})"

    def watch_with_context(self) -> None:
        if self.is_mounted:
            self._describe()

    # actions ------------------------------------------------------------------------------
    def action_toggle_context(self) -> None:
        self.with_context = not self.with_context

    def action_decide(self, status: str | None) -> None:
        d = self._current()
        if d is None:
            return
        suggestions = self.project.suggestions
        decide = {"confirmed": suggestions.confirm, "rejected": suggestions.reject,
                  None: suggestions.clear}[status]
        if self.decide(lambda: decide([(d.segment_id, d.code_id)])) is None:
            return
        row = self.table.cursor_row
        after = self.rows[row + 1] if row + 1 < len(self.rows) else d
        self.load(keep=(after.segment_id, after.code_id) if status is not None else
                  (d.segment_id, d.code_id))

    def action_open(self) -> None:
        """Open the code at the segment when it lists it, else the theme the segment is in."""
        d = self._current()
        if d is None:
            return
        review = self.project.review
        try:
            listed = review.segment(d.key, d.segment_id) is not None
        except DecisionError:
            listed = False
        if listed:
            self.post_message(OpenEntry(d.key, d.segment_id))
            return
        found = review.locate(d.segment_id)
        if found is None or found.entry_key is None:
            self.notify("The segment is in no theme or code of yours: decide it here (y/n)",
                        severity="warning")
        else:
            self.post_message(OpenEntry(found.entry_key, d.segment_id))

    def action_back(self) -> None:
        self.dismiss()
