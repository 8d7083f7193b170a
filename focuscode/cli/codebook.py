"""Codebook, suggestion and coder commands (issue 5): ``codebook import|export|show``,
``suggest``, ``code``, ``coders`` and ``agreement``. Registered on ``app`` when imported."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from focuscode.cli.app import _open, app, console, errors
from focuscode.cli.options import (
    MAX_COUNT,
    MAX_ID,
    BlindOption,
    CodebookFormat,
    CoderOption,
    OutputFile,
    ProjectOption,
    table_file,
)
from focuscode.cli.progress import RichProgress
from focuscode.cli.render import _short
from focuscode.domain import ConfigError
from focuscode.domain.agreement import AgreementReport
from focuscode.domain.codebook import Codebook
from focuscode.domain.suggestions import PendingSuggestion, SuggestReport, is_model_coder

codebook_app = typer.Typer(no_args_is_help=True,
                           help="Import, export and show the codebook (YAML, CSV, XLSX, REFI-QDA "
                                ".qdc).")
app.add_typer(codebook_app, name="codebook")

TEXT_CHARS = 150


# codebook ---------------------------------------------------------------------------------------
@codebook_app.command("import")
def codebook_import(
    path: Annotated[Path, typer.Argument(help="A codebook: .yaml, .csv, .xlsx or .qdc.")],
    project: ProjectOption = Path("."),
    fmt: CodebookFormat = None,
    coder: CoderOption = None,
) -> None:
    """Add the file's codes and update those already there: one decision, undone at once."""
    with _open(project, coder) as opened:
        result = opened.codebook.import_file(path, fmt=fmt)
    if result.decision_id is None:
        console.print(f"Nothing to change: the project already has the {len(result.unchanged)} "
                      f"code(s) of {escape(str(path))} as they are.")
        return
    console.print(f"Added {len(result.created)} code(s) from {escape(str(path))}"
                  + (f"; updated {len(result.updated)}: "
                     + ", ".join(f"{escape(name)} ({', '.join(fields)})"
                                 for name, fields in result.updated) if result.updated else "")
                  + (f"; {len(result.unchanged)} already as in the file" if result.unchanged
                     else "")
                  + f" [dim](decision {result.decision_id}; undo it at once in the workbench "
                    "with u)[/]")


@codebook_app.command("export")
def codebook_export(
    to: OutputFile,
    fmt: CodebookFormat = None,
    project: ProjectOption = Path("."),
    include_suggested: Annotated[bool, typer.Option(
        "--include-suggested", help="Also export the suggested themes (in a group).")] = False,
) -> None:
    """Export the codebook as YAML, CSV, XLSX (one row per code) or REFI-QDA .qdc."""
    with _open(project) as opened:
        path, losses = opened.codebook.export(to, fmt=fmt, include_suggested=include_suggested)
        n = len(opened.codebook.current(include_suggested=include_suggested))
    console.print(f"Wrote the codebook ({n} codes) to {escape(str(path))}")
    for loss in losses:
        console.print(f"[yellow]Note[/]: {escape(loss)}")


@codebook_app.command("show")
def codebook_show(project: ProjectOption = Path(".")) -> None:
    """Show the codebook as a tree: codes, definitions, number of examples."""
    with _open(project) as opened:
        codebook = opened.codebook.current()
    if not codebook.codes:
        console.print("The codebook is empty: focuscode codebook import FILE, or accept themes.")
        return
    console.print(codebook_tree(codebook))


def codebook_tree(codebook: Codebook) -> Tree:
    tree = Tree(f"[bold]{escape(codebook.name or 'Codebook')}[/] ({len(codebook)} codes)")

    def add(node: Tree, parent: str | None) -> None:
        for code in codebook.children(parent):
            colour = f"[{code.color}]■[/] " if code.color else ""
            examples = f" [dim]({len(code.examples)} examples)[/]" if code.examples else ""
            category = "" if code.codable else " [dim](category: not applied)[/]"
            branch = node.add(f"{colour}[bold]{escape(code.name)}[/] [dim]c{code.id}[/]"
                              f"{category}{examples}\n"
                              f"[dim]{escape(_short(code.definition, 110))}[/]")
            add(branch, code.name)

    add(tree, None)
    return tree


# suggestions ------------------------------------------------------------------------------------
@app.command()
def suggest(
    project: ProjectOption = Path("."),
    coder: CoderOption = None,
    blind: BlindOption = None,
    threshold: Annotated[Optional[float], typer.Option(
        min=-100.0, max=100.0,
        help="Calibrated score (robust z) to suggest a code from (default: calibrated; fitted "
             "to the coders' decisions once there are enough).")] = None,
    max_codes: Annotated[int, typer.Option(min=1, max=10,
                                           help="Most codes per segment.")] = 3,
    min_similarity: Annotated[float, typer.Option(
        min=-1.0, max=1.0, help="Cosine a suggestion needs at least.")] = 0.2,
    include_parents: Annotated[bool, typer.Option(
        "--include-parents", help="Suggest parent codes too (usually group headings).")] = False,
    show: Annotated[int, typer.Option(min=0, max=MAX_COUNT,
                                      help="Pending suggestions to print.")] = 10,
    to: Annotated[Optional[Path], typer.Option(
        "--to", help="Also write every suggestion to .csv or .xlsx.",
        callback=table_file)] = None,
) -> None:
    """Suggest codebook codes for every segment (with why), beside the discovered themes."""
    with _open(project, coder, blind) as opened, RichProgress(errors) as progress:
        report = opened.suggestions.run(progress=progress, threshold=threshold,
                                        max_codes=max_codes, min_similarity=min_similarity,
                                        include_parents=include_parents)
        pending, total = opened.suggestions.pending(limit=show)
        if to is not None:
            _write_frame(opened.suggestions.frame(), to, opened.visibility.blind_coder)
    print_suggest_report(report, pending, total)
    if to is not None:
        console.print(f"Wrote the suggestions to {escape(str(to))}")


def _write_frame(frame, to: Path, blind_coder: str | None) -> None:  # noqa: ANN001 - DataFrame
    from focuscode.export.spreadsheets import write_tables

    write_tables({"Suggestions": frame}, to, blind_coder=blind_coder)


def print_suggest_report(report: SuggestReport, pending: list[PendingSuggestion],
                         total: int) -> None:
    run = report.run
    console.print(f"Suggested {run.n_suggested} code(s) for {report.n_segments_with} of "
                  f"{run.n_segments} segments ({run.n_codes} codes; threshold z ≥ "
                  f"{run.threshold:.2f}: {escape(run.calibration)}) "
                  f"[dim](run {run.id}, {escape(run.coder)}, {run.seconds:.1f} s)[/]")
    alignment = report.alignment
    if alignment.coverage:
        table = Table(title="Codes: segments suggested · confirmed", show_lines=False)
        table.add_column("code")
        table.add_column("suggested", justify="right")
        table.add_column("confirmed", justify="right")
        for code in alignment.coverage:
            table.add_row(escape(code.code_name), str(code.n_suggested), str(code.n_confirmed))
        console.print(table)
    for match in alignment.merges:
        console.print(f"Theme [bold]{escape(match.theme_label)}[/] (t{match.theme_id}, "
                      f"{match.size} segments) matches code [bold]{escape(match.code_name)}"
                      f"[/] ({match.share:.0%} of its segments): merge it with 'm' in the "
                      f"workbench")
    for match in alignment.new_codes:
        console.print(f"Theme [bold]{escape(match.theme_label)}[/] (t{match.theme_id}, "
                      f"{match.size} segments) matches no code: a new code? ('a' in the "
                      "workbench)")
    if alignment.unmatched_codes:
        console.print("Codes no segment matches: " + ", ".join(
            escape(c.code_name) for c in alignment.unmatched_codes))
    if alignment.codes_since_run:
        console.print("Codes made since the run, which it could not match (run 'focuscode "
                      "suggest' again): " + ", ".join(
                          escape(c.code_name) for c in alignment.codes_since_run))
    if pending:
        console.print(suggestions_table(pending, total))
        console.print("Confirm with: focuscode code SEGMENT_ID --as CODE (add --reject to "
                      "reject)")


def suggestions_table(pending: list[PendingSuggestion], total: int) -> Table:
    table = Table(title=f"Pending suggestions (first {len(pending)} of {total})",
                  show_lines=True, expand=True)
    table.add_column("seg", justify="right", no_wrap=True)
    table.add_column("who", ratio=1)
    table.add_column("segment", ratio=4)
    table.add_column("code · score", ratio=2)
    table.add_column("why: nearest evidence", ratio=3)
    for row in pending:
        s = row.suggestion
        others = "".join(f"\n[dim]{escape(c)}: {st}[/]" for c, st in row.others)
        table.add_row(str(s.segment_id), escape(f"{row.speaker_name} ({row.role})"),
                      escape(_short(row.text, TEXT_CHARS)),
                      f"[bold]{escape(s.code_name)}[/]\nz {s.score:.1f} · cos {s.similarity:.2f}"
                      + others,
                      f"[dim]{s.evidence_kind}:[/] {escape(_short(s.evidence, 110))}")
    return table


@app.command()
def code(
    segments: Annotated[Optional[list[int]], typer.Argument(
        min=1, max=MAX_ID, help="Segment ids (see 'focuscode suggest').")] = None,
    as_code: Annotated[Optional[str], typer.Option(
        "--as", help="Code name or id (c12 or 12).")] = None,
    project: ProjectOption = Path("."),
    coder: CoderOption = None,
    reject: Annotated[bool, typer.Option("--reject", help="The code does not apply.")] = False,
    clear: Annotated[bool, typer.Option("--clear", help="Back to undecided.")] = False,
    theme: Annotated[Optional[int], typer.Option(
        "--theme", min=1, max=MAX_COUNT,
        help="Instead of --as: decide the segments for theme number N of 'focuscode themes' "
             "(it stays a theme until accepted).")] = None,
    accept_theme: Annotated[Optional[int], typer.Option(
        "--accept-theme", min=1, max=MAX_COUNT,
        help="Accept theme number N of 'focuscode themes' as a code.")] = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", help="With --accept-theme: the code's name (default: the theme's).")] = None,
) -> None:
    """Confirm (or reject) a code, or a theme (--theme N), for segments, as one decision of
    the coder; or accept a theme as a code (--accept-theme N). Deciding a theme's segments
    leaves it a theme: only accepting or naming it makes it a code."""
    if reject and clear:
        raise ConfigError("--reject or --clear, not both")
    if accept_theme is not None:
        if segments or as_code or theme or reject or clear:
            raise ConfigError("--accept-theme takes no segments, --as, --theme, --reject or "
                              "--clear", hint="accept the theme, or code its segments with "
                                              "--theme N")
        with _open(project, coder) as opened:
            decision = opened.decisions.accept_number(accept_theme, name)
    elif name is not None:
        raise ConfigError("--name goes with --accept-theme")
    elif theme is not None and as_code:
        raise ConfigError("--as or --theme, not both")
    elif not segments or not (as_code or theme):
        raise ConfigError("give segment ids and --as CODE (or --theme N, or --accept-theme N)",
                          hint="e.g. focuscode code 17 42 --as \"Trust\"")
    elif theme is not None:
        with _open(project, coder) as opened:
            decisions = opened.decisions
            decision = _verb(decisions, reject, clear)(decisions.numbered(theme), segments)
    else:
        with _open(project, coder) as opened:
            decision = _verb(opened.suggestions, reject, clear)(
                [(segment_id, as_code) for segment_id in segments])
    console.print(f"{escape(decision.coder)}: {escape(decision.summary)} "
                  f"[dim](decision {decision.id})[/]")


def _verb(decider, reject: bool, clear: bool):  # noqa: ANN001, ANN202 - confirm/reject/clear
    return decider.clear if clear else decider.reject if reject else decider.confirm


# coders and agreement ---------------------------------------------------------------------------
@app.command()
def coders(
    project: ProjectOption = Path("."),
    coder: CoderOption = None,
    blind: Annotated[Optional[bool], typer.Option(
        "--blind/--open", " /--no-blind",
        help="Set the project's blind mode: each coder sees only their own decisions (--open: "
             "everyone's).")] = None,
) -> None:
    """List the coders and their decisions; set blind mode for the project."""
    with _open(project, coder) as opened:
        if blind is not None:
            opened.coders.set_blind(blind)
        coders_ = opened.coders
        counts = coders_.counts()
        run = opened.suggestions.latest_run()
        mode = "on: each coder sees only their own decisions" if coders_.blind else "off"
    console.print(f"Blind mode {mode}.")
    table = Table(title="Coders")
    table.add_column("coder")
    table.add_column("confirmed", justify="right")
    table.add_column("rejected", justify="right")
    for name, (n_confirmed, n_rejected) in counts.items():
        table.add_row(escape(name), str(n_confirmed), str(n_rejected))
    if run is not None:
        table.add_row(f"[dim]{escape(run.coder)}[/]", f"[dim]{run.n_suggested} suggested[/]", "")
    console.print(table)


@app.command()
def agreement(
    project: ProjectOption = Path("."),
    coders: Annotated[Optional[list[str]], typer.Option(
        "--coders", help="Coders to compare (repeat, or list after it); 'model' is the "
                         "model. Default: every coder and the model.")] = None,
    more: Annotated[Optional[list[str]], typer.Argument(
        metavar="CODERS", help="More coder names (so that --coders A B works).",
        show_default=False)] = None,
    no_model: Annotated[bool, typer.Option("--no-model",
                                           help="Leave the model out.")] = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
    show: Annotated[int, typer.Option(min=0, max=MAX_COUNT,
                                      help="Disagreements to print.")] = 10,
    per_code: Annotated[bool, typer.Option("--per-code/--overall-only",
                                           help="Rows per code too.")] = True,
    to: Annotated[Optional[Path], typer.Option(
        "--to", help="Also write agreement and disagreements to .xlsx (or .csv: agreement).",
        callback=table_file)]
    = None,
) -> None:
    """Cohen's kappa, Krippendorff's alpha and percent agreement, per code and overall."""
    chosen = [*(coders or []), *(more or [])] or None
    with _open(project, coder, blind) as opened:
        report = opened.coders.agreement(chosen, include_model=not no_model)
        blind_coder = opened.visibility.blind_coder
    console.print(agreement_table(report, per_code=per_code))
    console.print(disagreements_table(report, show))
    if to is not None:
        _write_agreement(report, to, blind_coder)
        console.print(f"Wrote the agreement to {escape(str(to))}")


def _write_agreement(report: AgreementReport, to: Path, blind_coder: str | None) -> None:
    from focuscode.export.coding_tables import agreement_frame, disagreements_frame
    from focuscode.export.spreadsheets import write_tables

    write_tables({"Agreement": agreement_frame(report),
                  "Disagreements": disagreements_frame(report)}, to, blind_coder=blind_coder)


def _who(coder: str) -> str:
    return "model" if is_model_coder(coder) else coder


def _number(value: float | None, fmt: str = ".2f") -> str:
    return "-" if value is None else f"{value:{fmt}}"


def agreement_table(report: AgreementReport, *, per_code: bool = True) -> Table:
    table = Table(title="Agreement on segments (a code applied or not): percent, Cohen's kappa "
                        "(two coders), Krippendorff's alpha (nominal)", show_lines=False)
    table.add_column("coders")
    table.add_column("code")
    table.add_column("segments", justify="right")
    table.add_column("applied", justify="right")
    table.add_column("%", justify="right")
    table.add_column("kappa", justify="right")
    table.add_column("alpha", justify="right")
    for row in report.rows:
        if not per_code and not row.is_overall:
            continue
        style = "bold" if row.is_overall else ""
        table.add_row(escape(" & ".join(_who(c) for c in row.coders)) if row.is_overall else "",
                      f"[{style}]{escape(row.code_name)}[/]" if style else escape(row.code_name),
                      str(row.n_segments), str(row.n_applied),
                      _number(row.percent * 100 if row.percent is not None else None, ".0f"),
                      _number(row.kappa), _number(row.alpha))
    model = next((c for c in report.coders if is_model_coder(c)), None)
    notes = [f"model = {model}"] if model else []
    if report.blind:
        notes.append("blind mode: your decisions and the model's only")
    table.caption = escape("; ".join(notes)) if notes else None
    return table


def disagreements_table(report: AgreementReport, show: int) -> Table | str:
    if not report.disagreements:
        return "No disagreements."
    rows = report.disagreements[:show]
    coders_ = [c for c, _ in rows[0].values]
    table = Table(title=f"Disagreements (first {len(rows)} of {len(report.disagreements)}, in "
                        "transcript order)", show_lines=True, expand=True)
    table.add_column("seg", justify="right", no_wrap=True)
    table.add_column("code", ratio=2)
    table.add_column("segment", ratio=4)
    for name in coders_:
        table.add_column(escape(_who(name)), ratio=1)
    for d in rows:
        table.add_row(str(d.segment_id), escape(d.code_name),
                      escape(f"{d.speaker_name}: {_short(d.text, TEXT_CHARS)}"),
                      *(escape(value) for _, value in d.values))
    return table
