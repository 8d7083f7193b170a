"""Rich renderings of workflow views."""

from __future__ import annotations

from typing import Sequence

from rich.table import Table

from focuscode.domain.views import ImportReport, ThemeSummary

QUOTE_CHARS = 110


def themes_table(themes: Sequence[ThemeSummary], roles: Sequence[str]) -> Table:
    """Themes with keywords, counts per role and one quote; readable from 80 columns up."""
    table = Table(title="Themes (latest analysis)", show_lines=True, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("theme · keywords", ratio=3, min_width=18)
    table.add_column("segs", justify="right", no_wrap=True)
    table.add_column("spk", justify="right", no_wrap=True)
    for role in roles:
        table.add_column(role[:5], justify="right", no_wrap=True)
    table.add_column("example quote", ratio=4, min_width=20)
    for theme in themes:
        if theme.theme_id is None:
            label = f"[dim]{theme.label}[/]"
        else:
            code = " [green](code)[/]" if theme.status == "accepted" else ""
            label = f"[bold]{theme.label}[/]{code}\n[dim]{', '.join(theme.keywords[:6])}[/]"
        quote = _short(theme.quote, QUOTE_CHARS)
        quote = f"“{quote}” [dim]— {theme.quote_speaker}[/]" if quote else ""
        table.add_row(str(theme.theme_id or "-"), label, str(theme.n_segments),
                      str(theme.n_speakers), *(str(theme.by_role.get(role, 0)) for role in roles),
                      quote)
    return table


def _short(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def import_lines(report: ImportReport) -> list[str]:
    lines = []
    if report.imported:
        lines.append(f"Imported {len(report.imported)} transcript(s): {report.n_turns} turns, "
                     f"{report.n_segments} segments.")
    for name in report.skipped:
        lines.append(f"Skipped {name}: already in the project, unchanged.")
    for name, labels in report.unknown_speakers.items():
        lines.append(f"[yellow]Warning[/]: {name}: speakers not in the speakers file (role "
                     f"'unknown'): {', '.join(labels)}")
    if report.guessed_roles:
        guesses = ", ".join(f"{label} → {role}" for label, role in report.guessed_roles.items())
        lines.append(f"Roles guessed from labels (give a speakers file to set them): {guesses}")
    return lines
