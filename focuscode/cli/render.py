"""Rich renderings of workflow views."""

from __future__ import annotations

from typing import Sequence

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from focuscode.domain import FileReport, Theme, ThemeGroup
from focuscode.domain.model import UNSTABLE
from focuscode.domain.reports import basis_summary
from focuscode.domain.review import ReviewEntry
from focuscode.domain.views import AnalysisReport, ImportReport

QUOTE_CHARS = 110


def themes_table(entries: Sequence[ReviewEntry], roles: Sequence[str]) -> Table:
    """The themes overview the workbench shows (codes, themes, the unassigned queue) with
    keywords, counts per role and one quote; readable from 80 columns up."""
    table = Table(title="Themes and codes", show_lines=True, expand=True,
                  caption="# is the theme's number: focuscode code --accept-theme # "
                          "[--name NAME] makes it a code; focuscode code IDS --theme # "
                          "confirms segments for it")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("theme · keywords", ratio=3, min_width=18)
    table.add_column("segs", justify="right", no_wrap=True)
    table.add_column("spk", justify="right", no_wrap=True)
    for role in roles:
        table.add_column(role[:5], justify="right", no_wrap=True)
    table.add_column("example quote", ratio=4, min_width=20)
    for entry in entries:
        label = Text()
        if entry.is_queue:
            label.append(entry.label, "dim")
        else:
            label.append(entry.label, "bold")
            if entry.status == "accepted":
                label.append(" ✓ code", "green")
            elif entry.source == "codebook":
                label.append(" · codebook", "cyan")
            if entry.n_segments or entry.n_rejected:
                label.append(f"\n{basis_summary(entry.counted)}"
                             + (f" · {entry.n_rejected} rejected" if entry.n_rejected else ""),
                             "dim")
            if entry.keywords:
                label.append(f"\n{', '.join(entry.keywords[:6])}", "dim")
        quote = Text()
        if entry.exemplar:
            quote.append(f"“{_short(entry.exemplar, QUOTE_CHARS)}”")
            quote.append(f" — {entry.exemplar_speaker}", "dim")
        table.add_row("" if entry.number is None else str(entry.number + 1), label,
                      str(entry.n_segments), str(entry.n_speakers),
                      *(str(entry.by_role.get(role, 0)) for role in roles), quote)
    return table


def theme_tree(tree: Sequence[tuple[ThemeGroup | None, Sequence[Theme]]]) -> Text:
    """Parent themes (their ids accept them: 'focuscode accept-parent P3') and their themes,
    indented below them."""
    n_parents = sum(1 for group, _ in tree if group is not None)
    out = Text.assemble(("Theme tree", "bold"),
                        (f" ({n_parents} parent themes; 'focuscode accept-parent P<id>' makes one "
                         "a code with its themes as child codes; stability 0-1: how often a theme "
                         "comes back when HDBSCAN reruns on resamples)", "dim"))
    for group, children in tree:
        if group is None:
            out.append("\n(top level on their own)", "dim")
        else:
            size = sum(t.size for t in children)
            out.append("\n")
            out.append(f"P{group.id} ", "cyan")
            out.append(group.label, "bold")
            out.append(f"  {size} segs · {', '.join(group.keywords[:4])}", "dim")
        for theme in children:
            out.append(f"\n    {theme.number + 1}. {theme.label}")
            out.append(f"  {theme.size} segs", "dim")
            if theme.stability is not None:
                unstable = theme.stability < UNSTABLE
                out.append(f" · stability {theme.stability:.2f}" + (" (unstable)" if unstable
                                                                   else ""),
                           "red" if unstable else "dim")
            if theme.code_id is not None:
                out.append(" ✓ code", "green")
    return out


def _short(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


MAX_LISTED = 12


def import_lines(report: ImportReport) -> list[str]:
    """The import report: totals, then per file its speakers and every line not in a turn."""
    lines = []
    if report.imported:
        verb = "Would import" if report.dry_run else "Imported"
        lines.append(f"{verb} {len(report.imported)} transcript(s): {report.n_turns} turns, "
                     f"{report.n_segments} segments.")
    for name in report.skipped:
        lines.append(f"Skipped {escape(name)}: already in the project, unchanged.")
    for name, note in report.decoding_notes.items():
        lines.append(f"[yellow]Note[/]: {escape(name)}: {escape(note)}")
    for file in report.files:
        lines.extend(file_lines(file))
    for name, labels in report.unknown_speakers.items():
        lines.append(f"[yellow]Warning[/]: {escape(name)}: speakers not in the speakers file "
                     f"(role 'unknown'): {escape(', '.join(labels))}")
    if report.guessed_roles:
        guesses = ", ".join(f"{label} → {role}" for label, role in report.guessed_roles.items())
        lines.append("Roles guessed from labels (give a speakers file to set them): "
                     f"{escape(guesses)}")
    if report.dry_run:
        lines.append("Dry run: nothing was stored.")
    return lines


def file_lines(file: FileReport) -> list[str]:
    lines = [f"[bold]{escape(file.name)}[/] ({file.format}): {file.n_turns} turns, "
             f"{file.n_segments} segments, {len(file.speakers)} speaker(s)"]
    ranked = sorted(file.speakers, key=lambda s: (-s.words, s.label))
    for tally in ranked[:MAX_LISTED]:
        lines.append(f"  {escape(tally.label)}: {tally.turns} turns, {tally.words:,} words, "
                     f"role {escape(tally.role)} ({tally.how})")
    if len(ranked) > MAX_LISTED:
        rest = ranked[MAX_LISTED:]
        lines.append(f"  … and {len(rest)} more speakers: {sum(t.turns for t in rest)} turns, "
                     f"{sum(t.words for t in rest):,} words")
    for group in file.skipped:
        lines.append(f"  Not in a turn: {group.count} {group.kind} line(s) from line "
                     f"{group.line}: “{escape(_short(group.first, 70))}”")
    for item in file.as_text[:MAX_LISTED]:
        lines.append(f"  Read as speech, not a speaker: line {item.line} "
                     f"'{escape(item.label)}:' ({escape(item.reason)})")
    if len(file.as_text) > MAX_LISTED:
        lines.append(f"  … and {len(file.as_text) - MAX_LISTED} more label-like line starts "
                     "read as speech")
    lines.extend(f"  {escape(note)}" for note in file.notes)
    return lines


def reanalysis_lines(report: AnalysisReport) -> list[str]:
    """What a re-analysis kept of the researcher's structure and what no longer applies."""
    if report.decision_id is None:
        return []
    lines = [f"Kept: {escape(line)}" for line in report.kept]
    lines += [f"[yellow]No longer applies:[/] {escape(line)}" for line in report.no_longer_applies]
    lines.append(f"[dim](decision {report.decision_id}: u in the workbench undoes the "
                 "re-analysis at once)[/]")
    return lines
