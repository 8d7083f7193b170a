"""The themes overview: every code and theme at a glance, and shaping the codebook."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

from rich.markup import escape
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import var
from textual.widgets import Footer, Header, Static
from textual.worker import get_current_worker

from focuscode.domain import Decision, FocuscodeError
from focuscode.domain.review import ReviewEntry
from focuscode.tui.confirm_modal import ConfirmModal
from focuscode.tui.job_screen import JobScreen
from focuscode.tui.messages import OpenEntry, OpenQuotes, OpenScreen
from focuscode.tui.picker_modal import PickerModal
from focuscode.tui.text_modal import TextModal
from focuscode.tui.widgets import EntryTable, JobPanel, StatusBar, TuiProgress
from focuscode.tui.widgets.formatting import shorten
from focuscode.workflows import Cancelled

if TYPE_CHECKING:  # importing the analysis would load the clustering libraries
    from focuscode.workflows.analysis import AnalysisPlan

SORTS: dict[str, tuple[str, Callable[[ReviewEntry], object]]] = {
    "number": ("analysis order", lambda e: (e.number is None, e.number or 0, e.label.lower())),
    "size": ("size", lambda e: (-e.n_segments, e.label.lower())),
    "label": ("name", lambda e: e.label.lower()),
    "status": ("status", lambda e: (e.status != "accepted", e.number is None, e.number or 0)),
    "progress": ("least reviewed", lambda e: (e.n_confirmed / max(1, e.n_segments),
                                              e.label.lower())),
    "speakers": ("speakers", lambda e: (-e.n_speakers, e.label.lower())),
}
PREVIEW_LINES = 12
SORT_CYCLE = ("number", "size", "label", "status", "progress")
SORT_PREFERENCE = "themes_sort"
# What the unassigned queue does not offer: it is no theme (its footer hides these keys).
NOT_FOR_THE_QUEUE = {"accept", "rename", "define", "merge", "split", "delete", "quotes"}
SPLIT_CHOICES = [("auto", "As many themes as the clusterer finds"),
                 *[(str(n), f"{n} themes") for n in range(2, 7)]]


class ThemesScreen(JobScreen):
    """Codes, themes and the unassigned queue; open one to review its segments."""

    BINDINGS = [
        Binding("enter", "open", "Open",
                tooltip="Review its segments (the queue: walk the unassigned segments; a "
                        "parent theme: collapse or expand it)"),
        Binding("a", "accept", "Accept",
                tooltip="Accept the theme as a code of the codebook (a parent theme: a parent "
                        "code with its themes as child codes)"),
        Binding("left", "collapse", "Collapse", show=False, priority=True,
                tooltip="Collapse the parent theme: hide its themes"),
        Binding("right", "expand", "Expand", show=False, priority=True,
                tooltip="Expand the parent theme: show its themes"),
        Binding("r", "rename", "Rename", tooltip="Rename the theme or code"),
        Binding("d", "define", "Define", tooltip="Write the code's definition", show=False),
        Binding("m", "merge", "Merge",
                tooltip="Merge into another theme or code (type to find it)"),
        Binding("x", "split", "Split",
                tooltip="Split: re-cluster its segments into two or more themes"),
        Binding("delete,D", "delete", "Delete",
                tooltip="Delete it; its segments go to the unassigned queue", show=False),
        Binding("p", "quotes", "Quotes",
                tooltip="Its quotes: pick, star, reorder, accept suggestions"),
        Binding("s", "suggestions", "Suggestions",
                tooltip="The codebook's suggested codes, code by code: accept or reject each, "
                        "see why; themes beside the codebook"),
        Binding("g", "disagreements", "Disagreements",
                tooltip="Where coders (and the model) disagree: walk them, decide as yourself",
                show=False),
        Binding("o", "sort", "Sort",
                tooltip="Sort by order, size, name, status, progress (or click a column "
                        "title)", show=False),
        Binding("R", "reanalyse", "Re-analyse",
                tooltip="Re-analyse the project (your decisions are kept)", show=False),
        Binding("escape", "cancel_job", "Cancel job",
                tooltip="Cancel a split or re-analysis in progress", show=False),
    ]

    sort_by: var[str] = var("number")

    def __init__(self) -> None:
        super().__init__()
        self._sorts = dict(SORTS)
        self._flat: list[ReviewEntry] = []  # every entry, the queue last
        self._parents: list[ReviewEntry] = []  # the theme tree's parents
        self._collapsed: set[int] = set()  # parent themes whose themes are hidden

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="themes-empty")
        yield EntryTable(id="entry-table")
        yield Static(id="entry-detail")
        yield JobPanel(id="job")
        yield StatusBar(id="status-bar")
        yield Footer()

    @property
    def table(self) -> EntryTable:
        return self.query_one("#entry-table", EntryTable)

    # showing ------------------------------------------------------------------------------
    def load(self) -> None:
        entries = self.project.review.entries()
        self._parents = self.project.review.parents() if entries else []
        self.set_class(not entries, "-empty")
        if not entries:
            self.query_one("#themes-empty", Static).update(
                "No analysis yet.\n\nRun 'focuscode analyse' in the project folder, or press R "
                "to analyse now (it takes a while the first time). ? shows every key.")
            return
        self._show(entries, keep=self.table.current)

    def _show(self, entries: list[ReviewEntry], *, keep: ReviewEntry | None = None) -> None:
        self._flat = list(entries)
        sort = self._sorts[self.sort_by][1]
        queue = [e for e in entries if e.is_queue]
        groups = {p.group_id: p for p in self._parents}
        children: dict[int, list[ReviewEntry]] = {}
        top: list[ReviewEntry] = []
        for entry in entries:
            if entry.is_queue:
                continue
            if entry.group_id in groups:
                children.setdefault(entry.group_id, []).append(entry)
            else:
                top.append(entry)
        top += [_parent_row(groups[group_id], under) for group_id, under in children.items()]
        rows: list[ReviewEntry] = []
        marks: dict[str, str] = {}
        for entry in sorted(top, key=sort):
            rows.append(entry)
            if entry.is_parent:
                shut = entry.group_id in self._collapsed
                marks[entry.key] = "▸ " if shut else "▾ "
                under = [] if shut else sorted(children[entry.group_id or 0], key=sort)
                rows += under
                marks.update({child.key: "   " for child in under})
        roles = sorted({role for e in entries for role in e.by_role})
        self.table.show(rows + queue, roles, keep=keep, marks=marks)
        self.table.focus()
        self._describe(self.table.current)

    def on_mount(self) -> None:
        """The sort order the coder left the overview in (kept in the project)."""
        saved = self.project.preferences.get(SORT_PREFERENCE, "number")
        if self._sortable(str(saved)):
            self.set_reactive(ThemesScreen.sort_by, str(saved))

    def _sortable(self, column: str) -> bool:
        if column.startswith("role:"):
            role = column.removeprefix("role:")
            self._sorts[column] = (f"{role} segments",
                                   lambda e: (-e.by_role.get(role, 0), e.label.lower()))
        return column in self._sorts

    def watch_sort_by(self) -> None:
        self.project.preferences.set(SORT_PREFERENCE, self.sort_by)
        if self.table.entries:
            self._show(self._flat, keep=self.table.current)
            self.workbench.say(f"Sorted by {self._sorts[self.sort_by][0]}")

    @on(EntryTable.EntryHighlighted)
    def _highlighted(self, event: EntryTable.EntryHighlighted) -> None:
        self._describe(event.entry)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that shape a theme or code are not offered on the unassigned queue."""
        if action in NOT_FOR_THE_QUEUE and self.is_mounted:
            current = self.table.current
            return current is not None and not current.is_queue
        return True

    @on(EntryTable.EntryOpened)
    def _opened(self, event: EntryTable.EntryOpened) -> None:
        self._open(event.entry)

    @on(EntryTable.SortRequested)
    def _sort_requested(self, event: EntryTable.SortRequested) -> None:
        if self._sortable(event.column):
            self.sort_by = event.column

    def _describe(self, entry: ReviewEntry | None) -> None:
        detail = self.query_one("#entry-detail", Static)
        if entry is None:
            detail.update("")
            return
        text = Text()
        text.append(entry.label, "bold")
        if entry.is_queue:
            text.append(f"  {entry.n_segments} segments no theme claimed; Enter walks them with "
                        "their nearest themes")
        elif entry.is_parent:
            text.append(f"  parent theme · {entry.n_segments} segments in its themes · a makes "
                        "it a parent code with its themes as child codes · ←/→ collapses and "
                        "expands it")
            if entry.keywords:
                text.append(f"\nKeywords: {', '.join(entry.keywords)}")
        else:
            width = max(40, (detail.size.width or self.size.width or 80) - 2)
            by_codebook = (f" · {entry.n_by_codebook} suggested by codebook"
                           if entry.n_by_codebook else "")
            facts = (f"  {_kind(entry, short=True)} · {entry.n_confirmed}/{entry.n_segments} "
                     f"confirmed{by_codebook} · {entry.n_rejected} rejected · "
                     f"{entry.n_quotes} quotes")
            hint = " · enter reviews it"
            text.append(facts + (hint if len(entry.label + facts + hint) <= width else ""))
            if entry.keywords:
                text.append(f"\nKeywords: {', '.join(entry.keywords)}")
            text.append(f"\nDefinition: {entry.definition}" if entry.definition
                        else "\nNo definition yet (d writes one).")
            if entry.exemplar:  # two lines at most: the table keeps the room
                who = f" — {entry.exemplar_speaker}"
                text.append(f"\n“{shorten(entry.exemplar, 2 * width - len(who) - 8)}”", "italic")
                text.append(who, "dim")
        detail.update(text)

    # actions ------------------------------------------------------------------------------
    def _current(self, *, queue_ok: bool = False) -> ReviewEntry | None:
        entry = self.table.current
        if entry is not None and entry.is_parent:
            self.notify(f"'{entry.label}' is a parent theme: a makes it a parent code with its "
                        "themes as child codes; ←/→ collapses and expands it",
                        severity="warning")
            return None
        if entry is None or (entry.is_queue and not queue_ok):
            if entry is not None:
                self.notify("Pick a theme or code: the unassigned queue cannot be changed "
                            "this way", severity="warning")
            return None
        return entry

    def _fold(self, entry: ReviewEntry, *, collapse: bool) -> None:
        """Hide (or show) the themes under the parent ``entry``; the cursor stays on it."""
        if entry.group_id is None:
            return
        if collapse:
            self._collapsed.add(entry.group_id)
        else:
            self._collapsed.discard(entry.group_id)
        self._show(self._flat, keep=entry)

    def _parent_of(self, entry: ReviewEntry | None) -> ReviewEntry | None:
        """The parent row of ``entry``: itself if it is one, else the parent it is under."""
        if entry is None or entry.group_id is None:
            return None
        return next((e for e in self.table.entries
                     if e.is_parent and e.group_id == entry.group_id), None)

    def action_collapse(self) -> None:
        parent = self._parent_of(self.table.current)
        if parent is not None:
            self._fold(parent, collapse=True)

    def action_expand(self) -> None:
        entry = self.table.current
        if entry is not None and entry.is_parent:
            self._fold(entry, collapse=False)

    def _decided(self, decision: Decision | None) -> None:
        if decision is not None:
            self.load()

    def action_open(self) -> None:
        if self.table.current is not None and self.table.current.is_parent:
            parent = self.table.current
            self._fold(parent, collapse=parent.group_id not in self._collapsed)
            return
        entry = self._current(queue_ok=True)
        if entry is not None:
            self._open(entry)

    def _open(self, entry: ReviewEntry) -> None:
        if entry.is_parent:
            self._fold(entry, collapse=entry.group_id not in self._collapsed)
            return
        self.post_message(OpenEntry(entry.key))

    def action_accept(self) -> None:
        parent = self.table.current
        if parent is not None and parent.is_parent and parent.group_id is not None:
            group_id = parent.group_id
            self._decided(self.decide(lambda: self.project.decisions.accept_parent(group_id)))
            return
        entry = self._current()
        if entry is not None:
            self._decided(self.decide(lambda: self.project.decisions.accept(entry.key)))

    def action_rename(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def rename(name: str | None) -> None:
            if name is not None:
                self._decided(self.decide(lambda: self.project.decisions.rename(entry.key, name)))

        self.app.push_screen(TextModal(f"Rename '{entry.label}'", entry.label), rename)

    def action_define(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def define(text: str | None) -> None:
            if text is not None:
                self._decided(self.decide(
                    lambda: self.project.decisions.define(entry.key, text)))

        self.app.push_screen(TextModal(f"Definition of '{entry.label}'", entry.definition,
                                       multiline=True), define)

    def action_merge(self) -> None:
        entry = self._current()
        if entry is None:
            return
        options = [(e.key, e.label, f"{e.n_segments} segments · {_kind(e)}")
                   for e in self._flat if not e.is_queue and e.key != entry.key]

        def merge(into: str | None) -> None:
            if into is not None:  # in a thread: a merge fits its code's keywords
                self.workbench.decide_in_worker(
                    lambda: self.project.decisions.merge(entry.key, into),
                    f"Merging '{entry.label}'")

        self.app.push_screen(PickerModal(f"Merge '{entry.label}' into…", options), merge)

    def action_delete(self) -> None:
        entry = self._current()
        if entry is None:
            return

        def delete(sure: bool | None) -> None:
            if sure:
                self._decided(self.decide(lambda: self.project.decisions.delete(entry.key)))

        self.app.push_screen(ConfirmModal(
            f"Delete '{entry.label}'? Its segments go to the unassigned queue. Nothing is "
            "destroyed: u undoes it."), delete)

    def action_quotes(self) -> None:
        entry = self._current()
        if entry is not None:
            self.post_message(OpenQuotes(entry.key))

    def action_suggestions(self) -> None:
        self.post_message(OpenScreen("suggestions"))

    def action_disagreements(self) -> None:
        self.post_message(OpenScreen("disagreements"))

    def action_sort(self) -> None:
        at = SORT_CYCLE.index(self.sort_by) if self.sort_by in SORT_CYCLE else -1
        self.sort_by = SORT_CYCLE[(at + 1) % len(SORT_CYCLE)]

    # long jobs ----------------------------------------------------------------------------
    def action_split(self) -> None:
        entry = self._current()
        if entry is None:
            return
        if not entry.theme_ids:
            self.notify(f"'{entry.label}' has no discovered theme to split", severity="warning")
            return
        if self.job_running():
            return

        def split(choice: str | None) -> None:
            if choice is not None:
                self.job.start(f"Splitting '{entry.label}'")
                self._split(entry.key, None if choice == "auto" else int(choice))

        self.app.push_screen(PickerModal(f"Split '{entry.label}' into…", SPLIT_CHOICES,
                                         fuzzy=False), split)

    def action_reanalyse(self) -> None:
        if self.job_running():
            return
        if self.project.asks_before_analysing():  # work out what changes, then ask
            self.job.start("Working out what a re-analysis changes")
            self._plan()
            return

        def reanalyse(sure: bool | None) -> None:
            if sure:
                self.job.start("Re-analysing")
                self._reanalyse(None)

        self.app.push_screen(ConfirmModal(
            "Re-analyse the project with its current settings? Your decisions are kept; "
            "themes are found again."), reanalyse)

    @work(thread=True, exclusive=True, group="job")
    def _plan(self) -> None:
        progress = TuiProgress(self.app, self.job, get_current_worker())
        try:
            plan = self.project.plan_analysis(progress)
        except Cancelled:
            self.app.call_from_thread(self._job_done, "Cancelled: the project is as it was",
                                      "information")
            return
        except FocuscodeError as error:
            self.app.call_from_thread(self._job_done, str(error), "warning")
            return
        self.app.call_from_thread(self._ask_to_save, plan)

    def _ask_to_save(self, plan: AnalysisPlan) -> None:
        self.job.finish()
        lines = list(plan.preview) or ["nothing you made: only themes nobody touched are found "
                                       "again"]
        shown = [f"• {line}" for line in lines[:PREVIEW_LINES]]
        if len(lines) > PREVIEW_LINES:
            shown.append(f"… and {len(lines) - PREVIEW_LINES} more")
        question = ("Re-analyse? Your codes, splits, merges, moves and decisions are kept "
                    "(u undoes it at once). What changes:\n" + "\n".join(shown))

        def save(sure: bool | None) -> None:
            if sure:
                self.job.start("Re-analysing")
                self._reanalyse(plan)

        self.app.push_screen(ConfirmModal(escape(question)), save)

    @work(thread=True, exclusive=True, group="job")
    def _split(self, key: str, n_themes: int | None) -> None:
        progress = TuiProgress(self.app, self.job, get_current_worker())
        self.run_job(lambda: self.project.review.describe(
            self.project.decisions.split(key, n_themes=n_themes, progress=progress).id))

    @work(thread=True, exclusive=True, group="job")
    def _reanalyse(self, plan: AnalysisPlan | None) -> None:
        progress = TuiProgress(self.app, self.job, get_current_worker())

        def run() -> str:
            report = self.project.analyse(progress, plan=plan)
            if report.no_longer_applies:
                self.app.call_from_thread(
                    self.app.notify, "No longer applies: " + "; ".join(report.no_longer_applies),
                    severity="warning", timeout=20)
            kept = (f"; {len(report.kept)} of your codes and themes kept (u undoes the "
                    "re-analysis)" if report.decision_id is not None else "")
            return (f"Found {report.n_themes} themes in {report.n_segments} segments "
                    f"({report.n_unassigned} unassigned){kept}")

        self.run_job(run)


def _parent_row(parent: ReviewEntry, children: list[ReviewEntry]) -> ReviewEntry:
    """A parent theme's row: the totals of the themes and codes shown under it (speakers:
    those of its largest, as speakers are not added up); sorted as any row by them."""
    by_role: dict[str, int] = {}
    for child in children:
        for role, n in child.by_role.items():
            by_role[role] = by_role.get(role, 0) + n
    return replace(parent, number=min((c.number for c in children if c.number is not None),
                                      default=parent.number),
                   n_segments=sum(c.n_segments for c in children),
                   n_speakers=max((c.n_speakers for c in children), default=0),
                   by_role=by_role, n_confirmed=sum(c.n_confirmed for c in children),
                   n_rejected=sum(c.n_rejected for c in children))


def _kind(entry: ReviewEntry, *, short: bool = False) -> str:
    if entry.status == "accepted":
        return "code"
    kind = "codebook code" if entry.source == "codebook" else "theme"
    return kind if short else f"suggested {kind}"
