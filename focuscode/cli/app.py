"""``focuscode`` commands. Each is a few lines over ``workflows.Project``; errors become one
line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from rich.console import Console
from rich.markup import escape

from focuscode.cli import INTERRUPTED, interrupted
from focuscode.cli.options import BlindOption, CoderOption, ProjectOption, RealNames, TableFile
from focuscode.cli.progress import RichProgress
from focuscode.cli.render import import_lines, theme_tree, themes_table
from focuscode.domain import ConfigError, FocuscodeError
from focuscode.workflows import Project

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  rich_markup_mode="rich",
                  help="focuscode: from focus-group transcripts to reviewed themes.")
export_app = typer.Typer(no_args_is_help=True, help="Export tables and files from a project.")
app.add_typer(export_app, name="export")
console = Console()
errors = Console(stderr=True)


def _open(project: Path, coder: str | None = None, blind: bool | None = None) -> Project:
    """The project, for ``coder``; ``blind`` (when given) overrides its blind mode for this
    command."""
    opened = Project.open(project, coder=coder)
    if blind is not None:
        opened.blind = blind
    return opened


def blind_remark(opened: Project) -> str:
    """What a command adds to its last line when it worked in blind mode (else nothing)."""
    coder = opened.visibility.blind_coder
    return "" if coder is None else f" [dim](blind mode: {escape(coder)}'s decisions only)[/]"


def _attributes(values: list[str]) -> dict[str, str]:
    attributes = {}
    for value in values:
        key, sep, text = value.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--attr takes key=value, not '{value}'",
                              hint="e.g. --attr site=Boston")
        attributes[key.strip()] = text.strip()
    return attributes


@app.command()
def init(project: ProjectOption = Path("."),
         coder: CoderOption = None) -> None:
    """Create a project (a folder with one SQLite file) or confirm an existing one."""
    existed = Project.exists(project)
    with Project.init(project) as opened:
        if coder:
            opened.store.set_setting("coder", coder)
    console.print(f"{'Project already exists' if existed else 'Created project'} in {project}")


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    project: ProjectOption = Path("."),
    speakers: Annotated[Optional[Path], typer.Option(
        "--speakers", "-s",
        help="Speakers file (YAML or CSV): label -> role, pseudonym. "
             "A speakers.yaml inside an imported folder is used by default.")] = None,
    attr: Annotated[list[str], typer.Option(
        "--attr",
        help="Transcript attribute key=value (repeatable), e.g. --attr site=Boston.")] = [],
    encoding: Annotated[Optional[str], typer.Option(
        help="Text encoding when it cannot be detected (e.g. cp1252).")] = None,
) -> None:
    """Import transcripts (.txt, .vtt, .srt, .docx): all of them or, on any error, none."""
    with _open(project) as opened, RichProgress(errors) as progress:
        report = opened.import_files(paths, speakers_file=speakers, attributes=_attributes(attr),
                                     encoding=encoding, progress=progress)
    for line in import_lines(report):
        console.print(line)


@app.command()
def analyse(
    project: ProjectOption = Path("."),
    model: Annotated[Optional[str], typer.Option(
        help="sentence-transformers model name or local path (never downloaded).")] = None,
    min_cluster_size: Annotated[Optional[int], typer.Option(
        help="Smallest theme, in segments (0: scaled to the data, the default).")] = None,
    themes: Annotated[Optional[str], typer.Option(
        "--themes", help="About how many top-level themes (parents of the themes found), "
                         "or 'auto' (the default: about sqrt(2 x themes)).")] = None,
    min_samples: Annotated[Optional[int], typer.Option(help="HDBSCAN density smoothing.")] = None,
    reducer: Annotated[Optional[str], typer.Option(
        help="Reduction before clustering: 'umap' (default), 'pca' or 'none'.")] = None,
    components: Annotated[Optional[int], typer.Option(
        help="Dimensions after the reduction (0: no reduction; default 5).")] = None,
    selection: Annotated[Optional[str], typer.Option(
        help="Cluster selection: 'eom' (broader themes) or 'leaf' (finer themes).")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed of every random step.")] = None,
    stability_runs: Annotated[Optional[int], typer.Option(
        help="HDBSCAN reruns on resamples behind each theme's stability; 0: none.")] = None,
    include_moderator: Annotated[Optional[bool], typer.Option(
        "--include-moderator/--exclude-moderator",
        help="Cluster moderator turns too (default: keep them as context only).")] = None,
) -> None:
    """Embed segments and discover themes; human decisions are never changed."""
    with _open(project) as opened:
        settings = opened.configure(model=model, min_cluster_size=min_cluster_size,
                                    min_samples=min_samples, n_components=components,
                                    reducer=reducer, n_themes=themes,
                                    stability_runs=stability_runs,
                                    cluster_selection_method=selection, random_state=seed,
                                    include_moderator=include_moderator)
        with RichProgress(errors) as progress:
            report = opened.analyse(progress)
    parents = f" under {report.n_groups} parent themes" if report.n_groups else ""
    console.print(f"Found {report.n_themes} themes{parents} in {report.n_segments} segments "
                  f"({report.n_unassigned} unassigned) in {report.seconds:.1f} s "
                  f"[dim](run {report.run_id}, model {report.model_id}, seed "
                  f"{settings.random_state}, {report.n_embedded} newly embedded)[/]",
                  soft_wrap=True)


@app.command()
def themes(project: ProjectOption = Path("."), coder: CoderOption = None,
           blind: BlindOption = None) -> None:
    """List the themes and codes as the workbench shows them: keywords, role counts, a quote;
    confirmed and rejected counts are the coder's own."""
    with _open(project, coder, blind) as opened:
        _print_themes(opened)


def _print_themes(opened: Project) -> None:
    entries = opened.themes()
    if not entries:
        console.print("No analysis yet: run 'focuscode analyse'.")
        return
    roles = sorted({role for e in entries for role in e.by_role})
    console.print(themes_table(entries, roles))
    tree = opened.theme_tree()
    if tree:
        console.print(theme_tree(tree))
    for theme in (t for _, themes in tree for t in themes if t.small_talk):
        console.print(f"[yellow]Theme {theme.number + 1} looks like introductions / small "
                      "talk[/]: delete it in the workbench (focuscode review) to leave it out of "
                      "the codes and reports.")
    remark = blind_remark(opened)
    if remark:
        console.print(remark.strip())


@app.command("accept-parent")
def accept_parent(
    parent: Annotated[str, typer.Argument(help="Parent theme id (P3) from focuscode themes.")],
    name: Annotated[Optional[str], typer.Option(help="Name of the parent code.")] = None,
    project: ProjectOption = Path("."),
    coder: CoderOption = None,
) -> None:
    """Make a parent theme of the theme tree a code, its themes child codes (one decision)."""
    text = parent.strip().upper().removeprefix("P")
    if not text.isdigit():
        raise ConfigError(f"'{parent}' is not a parent theme id",
                          hint="use the P-number 'focuscode themes' shows, e.g. P3")
    with _open(project, coder) as opened:
        decision = opened.accept_parent(int(text), name)
    console.print(f"{escape(decision.coder)}: {escape(decision.payload.get('summary', ''))} "
                  f"[dim](decision {decision.id})[/]")


@export_app.command("segments")
def export_segments(
    to: TableFile,
    project: ProjectOption = Path("."),
    real_names: RealNames = False,
    coder: CoderOption = None,
    blind: BlindOption = None,
) -> None:
    """Export the tidy segment table (one row per segment, with theme and coding status)."""
    with _open(project, coder, blind) as opened:
        path = opened.export_segments(to, real_names=real_names)
        n = len(opened.segment_rows())
        remark = blind_remark(opened)
    console.print(f"Wrote {n} segments to {escape(str(path))}{remark}")


@app.command()
def status(project: ProjectOption = Path(".")) -> None:
    """Summarise the project: transcripts, speakers, segments, analysis runs, decisions."""
    with _open(project) as opened:
        transcripts = opened.store.transcripts()
        counts = opened.store.count_segments()
        run = opened.store.latest_run()
        console.print(f"Project {opened.folder} (coder: {opened.coder})")
        for transcript in transcripts:
            attrs = ", ".join(f"{k}={v}" for k, v in transcript.attributes.items())
            console.print(f"  {transcript.name} [{transcript.format}] {attrs}")
        console.print(f"Speakers: {len(opened.store.speakers())}; segments: "
                      + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
        if run:
            console.print(f"Latest analysis: run {run.id} at {run.finished_at}, {run.n_themes} "
                          f"themes over {run.n_segments} segments, model {run.model_id}, "
                          f"seed {run.random_state}")
        console.print(f"Decisions logged: {len(opened.log.history())}")


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    project: ProjectOption = Path("exports/project"),
    speakers: Annotated[Optional[Path], typer.Option("--speakers", "-s",
                                                     help="Speakers file (YAML or CSV).")] = None,
    to: Annotated[Path, typer.Option("--to", help="Segment table to write.")] = Path(
        "exports/segments.csv"),
) -> None:
    """Do it all: create the project if needed, import, analyse, show themes, export segments."""
    with Project.init(project) as opened:
        with RichProgress(errors) as progress:
            report = opened.import_files(paths, speakers_file=speakers, progress=progress)
        for line in import_lines(report):
            console.print(line)
        with RichProgress(errors) as progress:
            analysed = opened.analyse(progress)
        console.print(f"Found {analysed.n_themes} themes in {analysed.n_segments} segments "
                      f"({analysed.n_unassigned} unassigned) in {analysed.seconds:.1f} s.")
        _print_themes(opened)
        opened.export_segments(to)
    console.print(f"Segment table: {to}   Project: {project}   "
                  f"Next: focuscode themes --project {project}")


@app.command()
def review(project: ProjectOption = Path("."), coder: CoderOption = None) -> None:
    """Open the review workbench: confirm, reassign, shape the codebook, pick quotes (? keys)."""
    from focuscode.tui import make_app

    with _open(project, coder) as opened:
        make_app(opened).run()


def main() -> None:
    """Run the commands: one clear line for every error a user can cause, never a traceback.
    (The ``focuscode`` command enters through ``focuscode.cli.main``, which imports this module
    once it can handle Ctrl-C.)"""
    try:
        code = app(standalone_mode=False)
    except FocuscodeError as error:
        # soft_wrap: one line even when stderr is a pipe or a narrow terminal
        errors.print(f"[bold red]error:[/] {error}", highlight=False, markup=True,
                     soft_wrap=True)
        sys.exit(1)
    except (click.exceptions.Abort, KeyboardInterrupt):
        code = INTERRUPTED
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    if code == INTERRUPTED:  # Typer turns Ctrl-C into this exit code (older Click: Abort)
        interrupted()
    sys.exit(code if isinstance(code, int) else 0)


# The other commands register themselves on ``app`` (and ``export_app``) when imported; they
# import ``app`` from here, so they come last (E402), once ``app`` exists.
from focuscode.cli import codebook as _codebook  # noqa: E402, F401 - codebook, suggest, agreement
from focuscode.cli import reports as _reports  # noqa: E402, F401 - the report commands
