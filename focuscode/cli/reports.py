"""Report commands (issue 4): theme-quote tables, matrix, comparison, perspectives, plots,
the HTML report and REFI-QDA. Registered on ``app`` / ``export_app`` when imported. (The
``codebook`` commands are in ``cli.codebook``.)"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from focuscode.cli.app import _open, app, blind_remark, console, export_app
from focuscode.cli.options import (
    AlsoTable,
    BlindOption,
    CoderOption,
    OutputFile,
    ProjectOption,
    RealNames,
    TableFile,
    writable,
)
from focuscode.domain import ConfigError
from focuscode.domain.reports import (
    SUGGESTED,
    Comparison,
    PerspectiveContrast,
    basis_summary,
)
from focuscode.workflows import Project

By = Annotated[str, typer.Option(
    "--by", help="role, transcript, or a speaker/transcript attribute (e.g. site, session); "
                 "prefix speaker: or transcript: when both have it.")]
Groups = Annotated[Optional[str], typer.Option(
    "--groups", help="Comma-separated groups to compare, e.g. patient,physician "
                     "(default: all).")]
ConfirmedOnly = Annotated[bool, typer.Option(
    "--confirmed-only", help="Count only codings a researcher confirmed.")]


def _groups(value: str | None) -> list[str] | None:
    return [g.strip() for g in value.split(",") if g.strip()] if value else None


@export_app.command("quotes")
def export_quotes(
    to: OutputFile,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", help="csv, xlsx, md or docx (default: from the file name).")] = None,
    project: ProjectOption = Path("."),
    long: Annotated[bool, typer.Option(
        "--long", help="CSV: the tidy table, one row per code x quote.")] = False,
    quotes: Annotated[int, typer.Option("--quotes", min=1, max=20,
                                        help="Quotes per code.")] = 3,
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Export the theme-quote table: one row per code with counts per role and its quotes."""
    with _open(project, coder, blind) as opened:
        path = opened.reports.export_quotes(to, fmt=fmt, real_names=real_names,
                                            n_quotes=quotes, long=long)
        remark = blind_remark(opened)
    console.print(f"Wrote the theme-quote table to {escape(str(path))}{remark}")


@export_app.command("matrix")
def export_matrix(
    to: TableFile,
    project: ProjectOption = Path("."),
    confirmed_only: ConfirmedOnly = False,
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Export the 0/1 segment x code matrix (for R and pandas)."""
    with _open(project, coder, blind) as opened:
        path = opened.reports.export_matrix(to, real_names=real_names,
                                            confirmed_only=confirmed_only)
        remark = blind_remark(opened)
    console.print(f"Wrote the segment x code matrix to {escape(str(path))}{remark}")


@export_app.command("framework")
def export_framework(
    to: Annotated[Path, typer.Option("--to", help="Output file (.xlsx or .docx).")],
    by: Annotated[str, typer.Option(
        "--by", help="One row per speaker, role or transcript.")] = "speaker",
    project: ProjectOption = Path("."),
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Export the framework matrix: rows (speakers) x codes, each cell their coded quotes."""
    with _open(project, coder, blind) as opened:
        path = opened.reports.export_framework(to, by=by, real_names=real_names)
        remark = blind_remark(opened)
    console.print(f"Wrote the framework matrix to {escape(str(path))}{remark}")


@export_app.command("plots")
def export_plots(
    to: Annotated[Path, typer.Option("--to", help="Folder for the PNG and SVG files.")],
    project: ProjectOption = Path("."),
    by: By = "role",
    normalisation: Annotated[str, typer.Option(
        help="Bars show: segments (% of the group's segments), words (per 1,000 words), "
             "speakers (% of speakers) or count.")] = "segments",
    order: Annotated[str, typer.Option(help="Saturation order: import or date.")] = "import",
    cooccurrence: Annotated[str, typer.Option(
        help="Co-occurrence unit: segment, turn, speaker or transcript.")] = "segment",
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Plot theme frequency by group, theme co-occurrence and thematic saturation."""
    with _open(project, coder, blind) as opened:
        paths = opened.reports.export_plots(to, by=by, normalisation=normalisation, order=order,
                                            cooccurrence_unit=cooccurrence)
        remark = blind_remark(opened)
    console.print(f"Wrote {len(paths)} files to {escape(str(to))}: "
                  + escape(", ".join(p.name for p in paths)) + remark)


@export_app.command("refi")
def export_refi(
    to: Annotated[Path, typer.Option("--to", help="Output file (.qdpx).", callback=writable)],
    project: ProjectOption = Path("."),
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
    include_suggestions: Annotated[bool, typer.Option(
        "--include-suggestions",
        help="Also the analysis' unreviewed themes and codings, under a user named after "
             "the model.")] = False,
) -> None:
    """Export the project as REFI-QDA (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder."""
    with _open(project, coder, blind) as opened:
        path = opened.reports.export_refi(to, real_names=real_names,
                                          include_suggestions=include_suggestions)
        remark = blind_remark(opened)
    console.print(f"Wrote the REFI-QDA project to {escape(str(path))}{remark}")


@app.command()
def compare(
    project: ProjectOption = Path("."),
    by: By = "role",
    groups: Groups = None,
    unit: Annotated[str, typer.Option(
        help="What the test counts: segment, or speaker (conservative).")] = "segment",
    confirmed_only: ConfirmedOnly = False,
    to: AlsoTable = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", help="table (on a terminal), md (Markdown, one full row per code: the "
                         "default when piped) or csv.")] = None,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Compare themes across roles (or an attribute): rates, tests, effect sizes, cautions."""
    fmt = (fmt or ("table" if console.is_terminal else "md")).lower()
    if fmt not in ("table", "md", "csv"):
        raise ConfigError(f"unknown format '{fmt}'", hint="use table, md or csv")
    with _open(project, coder, blind) as opened:
        comparison = opened.reports.compare(by, groups=_groups(groups), unit=unit,
                                            confirmed_only=confirmed_only)
        if fmt != "table":  # whole rows, never wrapped to a terminal's width
            text = opened.reports.comparison_text(comparison, fmt)
            sys.stdout.write(text)
            if to is not None:
                opened.reports.export_comparison(to, comparison)
            return
        _show(opened, comparison_table(comparison), "comparison", to,
              lambda path: opened.reports.export_comparison(path, comparison))


@app.command()
def contrast(
    project: ProjectOption = Path("."),
    by: By = "role",
    groups: Groups = "patient,physician",
    to: AlsoTable = None,
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Each theme seen from each group: representative quotes side by side, distinctive words."""
    chosen = _groups(groups)
    if not chosen or len(chosen) < 2:
        raise ConfigError("--groups needs two or more groups, e.g. patient,physician")
    with _open(project, coder, blind) as opened:
        contrasts = opened.reports.contrast(by, chosen, real_names=real_names)
        _show(opened, contrast_table(contrasts), "perspectives", to,
              lambda path: opened.reports.export_contrast(path, contrasts))


def _show(opened: Project, table: Table, what: str, to: Path | None,
          write: Callable[[Path], Path]) -> None:
    """Print ``table`` (and that it was made in blind mode); with ``to``, write it there too."""
    console.print(table)
    remark = blind_remark(opened)
    if remark:
        console.print(remark.strip())
    if to is not None:
        write(to)
        console.print(f"Wrote the {what} to {escape(str(to))}")


@app.command()
def report(
    to: Annotated[Path, typer.Option("--to", help="Output file (.html).",
                                     callback=writable)] = Path(
        "exports/report.html"),
    project: ProjectOption = Path("."),
    by: By = "role",
    groups: Groups = "patient,physician",
    normalisation: Annotated[str, typer.Option(
        help="Frequency plot: segments, words, speakers or count.")] = "segments",
    order: Annotated[str, typer.Option(help="Saturation order: import or date.")] = "import",
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Write one self-contained HTML report: codebook, quotes, comparison, plots, methods."""
    with _open(project, coder, blind) as opened:
        path = opened.reports.export_report(to, by=by, groups=_groups(groups) or (),
                                            real_names=real_names, normalisation=normalisation,
                                            order=order)
        remark = blind_remark(opened)
    console.print(f"Wrote the report to {escape(str(path))}{remark}")


# renderings ------------------------------------------------------------------------------------
def _name(name: str, status: str) -> str:
    name = escape(name)
    return f"{name} [yellow](suggested)[/]" if status == SUGGESTED else f"[bold]{name}[/]"


def comparison_table(comparison: Comparison) -> Table:
    """Per theme and group: coded segments (rate), per 1,000 words, speakers who raised it."""
    measure = next((t.result.effect_measure for t in comparison.themes
                    if t.result.effect_measure), "effect")
    table = Table(title=f"Themes by {escape(comparison.by)}: n (% of segments) · per 1,000 "
                        f"words · speakers; test counts {comparison.unit}s, q = "
                        "Benjamini-Hochberg", show_lines=True, expand=True,
                  caption=f"effect: {escape(measure)}" + (
                      f" ({escape(comparison.groups[0])} minus {escape(comparison.groups[1])})"
                      if len(comparison.groups) == 2 else ""))
    table.add_column("theme", ratio=3, min_width=18)
    for group in comparison.groups:
        table.add_column(escape(group), justify="right", min_width=9)
    table.add_column("test", no_wrap=True)
    table.add_column("q", justify="right", no_wrap=True)
    table.add_column({"risk difference": "diff (pp)", "Cramér's V": "V"}.get(measure, measure)
                     + " [95% CI]", min_width=9)
    table.add_column("note", ratio=3, min_width=12)
    _, empty = comparison.outline()
    for theme, heading in comparison.rows():
        if heading:
            table.add_row(f"[bold cyan]{escape(theme.code_name.upper())}[/]")
            continue
        r = theme.result
        cells = [f"{c.n_segments} ({c.rate_per_segment:.0%})\n{c.rate_per_1000_words:.2f}\n"
                 f"{c.n_speakers}/{c.n_group_speakers}" for c in theme.counts]
        effect = r.effect_text.replace(" [", "\n[") or "-"
        q = "-" if r.p_adjusted is None else ("<0.001" if r.p_adjusted < 0.001
                                              else f"{r.p_adjusted:.3f}")
        differs = r.p_adjusted is not None and r.p_adjusted < comparison.alpha
        note = ("[bold green]differs[/]" if differs else "") + (
            ("\n" if differs else "") + f"[dim]{escape(r.caution)}[/]" if r.caution else "") + (
            f"\n[dim]{escape(basis_summary(theme.basis))}[/]")
        test = {"chi-square": "χ²", "Fisher's exact": "Fisher",
                "Fisher's exact (Monte Carlo)": "Fisher MC"}.get(r.test, r.test or "-")
        table.add_row(("  " if theme.parent else "") + _name(theme.code_name, theme.code_status),
                      *cells, test, q,
                      escape(effect), note)
    if empty:
        table.caption += ("\nNo coded segment yet: " + escape("; ".join(t.code_name
                                                                      for t in empty)))
    return table


def contrast_table(contrasts: list[PerspectiveContrast]) -> Table:
    groups = [p.group for p in contrasts[0].perspectives] if contrasts else []
    table = Table(title="Perspectives: where you stand is where you sit", show_lines=True,
                  expand=True)
    table.add_column("theme", ratio=2, min_width=14)
    for group in groups:
        table.add_column(escape(group), ratio=4)
    for item in contrasts:
        cells = []
        for p in item.perspectives:
            quote = (f"“{escape(p.quote_text)}”\n[dim]— {escape(p.speaker)}[/]" if p.quote
                     else "[dim](none)[/]")
            words = escape(", ".join(w for w, _ in p.words))
            cells.append(quote + (f"\n[cyan]{words}[/]" if words else ""))
        table.add_row(_name(item.code_name, item.code_status), *cells)
    return table


# names ----------------------------------------------------------------------------------------
NameList = Annotated[Optional[str], typer.Option(help="Comma-separated names.")]


@app.command()
def names(
    project: ProjectOption = Path("."),
    confirm: NameList = None,
    drop: NameList = None,
    undecide: NameList = None,
) -> None:
    """Review the names de-identified exports take out of quotes: candidates found in the
    transcripts, to --confirm (taken out of quotes) or --drop (kept)."""
    with _open(project, None, None) as opened:
        review = opened.names
        for value, decision in ((confirm, "confirmed"), (drop, "dropped"), (undecide, None)):
            if value:
                done = review.decide(_groups(value) or [], decision)
                console.print(f"{decision or 'undecided'}: {escape(', '.join(done))}")
        candidates = review.candidates()
        listed = review.listed()
        n_speakers = len(review.speaker_names())
    table = Table(title="Possible names in the transcripts (capitalised, never said in lower "
                        "case): confirm the people's names, drop the rest", show_lines=False)
    table.add_column("name", no_wrap=True)
    table.add_column("times", justify="right")
    table.add_column("decision", no_wrap=True)
    table.add_column("where (first time)", ratio=1)
    for item in candidates:
        c = item.candidate
        decision = {"confirmed": "[green]confirmed[/]", "dropped": "[dim]dropped[/]"}.get(
            item.decision or "", "[yellow]to review[/]" + (" · likely" if c.cued else ""))
        table.add_row(escape(c.name), str(c.n), decision, escape(c.example))
    console.print(table)
    others = escape(", ".join(listed)) or "none yet"
    console.print(f"Always replaced: the names and aliases of {n_speakers} speaker label(s) by "
                  f"their pseudonyms; by {escape('[name]')}: {others}.")
