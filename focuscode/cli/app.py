"""``focuscode`` commands. Each is a few lines over ``workflows.Project``; errors become one
line."""

from __future__ import annotations

import contextlib
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Annotated, Optional

import typer
import typer.main
from rich.console import Console
from rich.markup import escape

from focuscode.cli import INTERRUPTED, caused_by_interrupt, interrupted, watch_sigint
from focuscode.cli.options import (
    MAX_COMPONENTS,
    MAX_COUNT,
    MAX_SEED,
    BlindOption,
    CoderOption,
    ProjectOption,
    RealNames,
    TableFile,
    YesOption,
    table_file,
)
from focuscode.cli.progress import RichProgress
from focuscode.cli.render import import_lines, reanalysis_lines, theme_tree, themes_table
from focuscode.domain import ConfigError, FocuscodeError
from focuscode.domain.views import AnalysisReport
from focuscode.workflows import Project
from focuscode.workflows.importing import SurveyColumns
from focuscode.workflows.project import RUN_PROJECT

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
    found = Project.locate(project)
    if found != project:
        errors.print(f"[dim]Project: {escape(str(found))} (made by 'focuscode run')[/]",
                     highlight=False)
    opened = Project.open(found, coder=coder)
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
         coder: CoderOption = None,
         name: Annotated[Optional[str], typer.Option(
             help="The project's name, the title of its reports (default: the folder's).")
         ] = None) -> None:
    """Create a project (a folder with one SQLite file) or confirm an existing one."""
    existed = Project.exists(project)
    with Project.init(project) as opened:
        if coder:
            opened.store.set_setting("coder", coder)
        if name and name.strip():
            opened.store.set_setting("name", " ".join(name.split()))
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
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Read the files and print the import report; store nothing.")] = False,
    text_column: Annotated[Optional[str], typer.Option(
        "--text-column",
        help="Survey answers (.csv/.xlsx): the column of answers, one respondent a row.")] = None,
    id_column: Annotated[Optional[str], typer.Option(
        "--id-column", help="Survey answers: the column naming the respondent.")] = None,
    attributes: Annotated[Optional[str], typer.Option(
        "--attributes",
        help="Survey answers: columns that become respondent attributes (comma-separated), "
             "for compare --by.")] = None,
    allow_duplicate: Annotated[bool, typer.Option(
        "--allow-duplicate",
        help="Import a file even if it is byte for byte a transcript already imported under "
             "another name.")] = False,
) -> None:
    """Import transcripts (.txt, .vtt, .srt, .docx, WhisperX .json), survey answers (.csv, .xlsx)
    with --text-column, all of them or, on any error, none; or a REFI-QDA project (.qdpx) from
    NVivo, ATLAS.ti, MAXQDA or QualCoder."""
    if any(path.suffix.lower() == ".qdpx" for path in paths):
        if (speakers or attr or encoding or dry_run or text_column or id_column or attributes
                or allow_duplicate):
            raise ConfigError("--speakers, --attr, --encoding, --dry-run, --allow-duplicate and "
                              "the survey options are for transcripts, not a .qdpx",
                              hint="its cases and variables give roles and attributes")
        _import_refi(paths, project)
        return
    survey = _survey_columns(text_column, id_column, attributes)
    with contextlib.ExitStack() as stack:
        if dry_run and not Project.exists(project):  # a dry run needs no project: a scratch one
            project = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "dry-run"
            Project.init(project).close()
        with _open(project) as opened, RichProgress(errors) as progress:
            report = opened.import_files(paths, speakers_file=speakers,
                                         attributes=_attributes(attr), encoding=encoding,
                                         progress=progress, survey=survey, dry_run=dry_run,
                                         allow_duplicate=allow_duplicate)
    for line in import_lines(report):
        console.print(line)


def _import_refi(paths: list[Path], project: Path) -> None:
    from focuscode.workflows.refi_import import report_lines

    if len(paths) != 1:
        raise ConfigError("import a .qdpx on its own, one at a time")
    with _open(project) as opened:
        report = opened.import_refi(paths[0])
    for line in report_lines(report):
        console.print(escape(line))


def _survey_columns(text: str | None, id_column: str | None,
                    attributes: str | None) -> SurveyColumns | None:
    if text is None:
        if id_column is not None or attributes is not None:
            raise ConfigError("--id-column and --attributes go with --text-column",
                              hint="e.g. --text-column text --id-column answer_id")
        return None
    names = tuple(name.strip() for name in (attributes or "").split(",") if name.strip())
    return SurveyColumns(text=text.strip(), id=id_column.strip() if id_column else None,
                         attributes=names)


@app.command()
def analyse(
    project: ProjectOption = Path("."),
    model: Annotated[Optional[str], typer.Option(
        help="sentence-transformers model name or local path (never downloaded).")] = None,
    min_cluster_size: Annotated[Optional[int], typer.Option(
        min=0, max=MAX_COUNT,
        help="Smallest theme, in segments (0: scaled to the data, the default).")] = None,
    themes: Annotated[Optional[str], typer.Option(
        "--themes", help="About how many top-level themes (parents of the themes found), "
                         "or 'auto' (the default: about sqrt(2 x themes)).")] = None,
    min_samples: Annotated[Optional[int], typer.Option(
        min=1, max=MAX_COUNT, help="HDBSCAN density smoothing.")] = None,
    reducer: Annotated[Optional[str], typer.Option(
        help="Reduction before clustering: 'umap' (default), 'pca' or 'none'.")] = None,
    components: Annotated[Optional[int], typer.Option(
        min=0, max=MAX_COMPONENTS,
        help="Dimensions after the reduction (0: no reduction; default 5).")] = None,
    selection: Annotated[Optional[str], typer.Option(
        help="Cluster selection: 'eom' (broader themes) or 'leaf' (finer themes).")] = None,
    seed: Annotated[Optional[int], typer.Option(
        min=0, max=MAX_SEED, help="Random seed of every random step.")] = None,
    stability_runs: Annotated[Optional[int], typer.Option(
        min=0, max=MAX_COUNT,
        help="HDBSCAN reruns on resamples behind each theme's stability; 0: none.")] = None,
    include_moderator: Annotated[Optional[bool], typer.Option(
        "--include-moderator/--exclude-moderator",
        help="Cluster moderator turns too (default: keep them as context only).")] = None,
    yes: YesOption = False,
) -> None:
    """Embed segments and discover themes; human decisions are never changed."""
    with _open(project) as opened:
        settings = opened.configure(model=model, min_cluster_size=min_cluster_size,
                                    min_samples=min_samples, n_components=components,
                                    reducer=reducer, n_themes=themes,
                                    stability_runs=stability_runs,
                                    cluster_selection_method=selection, random_state=seed,
                                    include_moderator=include_moderator)
        report = _analyse(opened, yes)
    parents = f" under {report.n_groups} parent themes" if report.n_groups else ""
    console.print(f"Found {report.n_themes} themes{parents} in {report.n_segments} segments "
                  f"({report.n_unassigned} unassigned) in {report.seconds:.1f} s "
                  f"[dim](run {report.run_id}, model {report.model_id}, seed "
                  f"{settings.random_state}, {report.n_embedded} newly embedded)[/]",
                  soft_wrap=True)
    for line in reanalysis_lines(report):
        console.print(line)


def _analyse(opened: Project, yes: bool) -> AnalysisReport:
    """Analyse; a re-analysis of a project with decisions first shows what it will change and
    asks (``--yes``: do not ask; not asked at a terminal: refuse in one line, change nothing)."""
    refuse_unasked(opened, yes)
    with RichProgress(errors) as progress:
        plan = opened.plan_analysis(progress)
    if plan.needs_confirmation and not yes:
        console.print("Re-analysing keeps your codes, splits, merges, moves and decisions. "
                      "What changes:")
        for line in plan.preview or ("nothing you made: only themes nobody touched are found "
                                     "again",):
            console.print(f"  {escape(line)}")
        if not typer.confirm("Re-analyse?", default=True):
            console.print("Nothing was changed.")
            raise typer.Exit(0)
    with RichProgress(errors) as progress:
        return opened.analyse(progress, plan=plan)


def refuse_unasked(opened: Project, yes: bool) -> None:
    """A re-analysis nobody can be asked about, without ``--yes``: one line, nothing done."""
    if not yes and opened.asks_before_analysing() and not interactive():
        raise ConfigError("the project has decisions: pass --yes to re-analyse it without "
                          "being asked (nothing was changed)")


def interactive() -> bool:
    """Whether someone at a terminal can answer a question."""
    return sys.stdin.isatty()


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
    console.print(f"{escape(decision.coder)}: {escape(decision.summary)} "
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
def status(project: ProjectOption = Path("."), check: Annotated[bool, typer.Option(
        "--check", help="Also check the database file and replay the decision log against "
                        "the project's state; exit 1 if anything is wrong.")] = False) -> None:
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
        problems = opened.check() if check else []
    if check and not problems:
        console.print("Check: the database is sound and the decision log matches the project.")
    for problem in problems:
        errors.print(f"Problem: {escape(problem)}", soft_wrap=True)
    if problems:
        raise typer.Exit(1)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    project: ProjectOption = RUN_PROJECT,
    speakers: Annotated[Optional[Path], typer.Option("--speakers", "-s",
                                                     help="Speakers file (YAML or CSV).")] = None,
    to: Annotated[Path, typer.Option("--to", help="Segment table to write.",
                                     callback=table_file)] = Path(
        "exports/segments.csv"),
    yes: YesOption = False,
) -> None:
    """Do it all: create the project if needed, import, analyse, show themes, export segments."""
    with Project.init(project) as opened:
        refuse_unasked(opened, yes)  # before importing: nothing is done then
        with RichProgress(errors) as progress:
            report = opened.import_files(paths, speakers_file=speakers, progress=progress)
        for line in import_lines(report):
            console.print(line)
        analysed = _analyse(opened, yes)
        console.print(f"Found {analysed.n_themes} themes in {analysed.n_segments} segments "
                      f"({analysed.n_unassigned} unassigned) in {analysed.seconds:.1f} s.")
        for line in reanalysis_lines(analysed):
            console.print(line)
        _print_themes(opened)
        opened.export_segments(to)
    where = "" if project == RUN_PROJECT else f" --project {project}"  # found from here
    console.print(f"Segment table: {to}   Project: {project}   "
                  f"Next: focuscode themes{where}, focuscode review{where}")


@app.command()
def review(project: ProjectOption = Path("."), coder: CoderOption = None) -> None:
    """Open the review workbench: confirm, reassign, shape the codebook, pick quotes (? keys)."""
    from focuscode.tui import make_app

    with _open(project, coder) as opened:
        make_app(opened).run()


def one_line(text: str) -> str:
    """``text`` on one line and harmless to a terminal: a line break or other control character
    in a file name or value shows escaped (``\\n``, ``\\x1b``)."""
    return "".join(ch.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)


def _usage_exceptions() -> tuple[type[BaseException], ...]:
    """The exceptions of the Click that parses the command line: Typer 0.29 carries its own
    (``typer._click``, whose root is ``typer.TyperException``); older Typer used ``click``."""
    found: list[type[BaseException]] = []
    if hasattr(typer, "TyperException"):
        found.append(typer.TyperException)
    try:
        import click
    except ImportError:  # pragma: no cover - Typer 0.29 does not need it
        pass
    else:
        found.append(click.ClickException)
    return tuple(found)


USAGE_ERRORS = _usage_exceptions()


def _usage_line(error: BaseException) -> str:
    """One line for a command-line mistake: what is wrong and where the help is."""
    message = one_line(str(error.format_message()))
    ctx = getattr(error, "ctx", None)
    command = ctx.command_path if ctx is not None else "focuscode"
    if command == "focuscode":  # the parser often gives no context: the words of the command
        command = " ".join(["focuscode", *_command_words(sys.argv[1:])])
    return f"error: {message} (see '{command} --help')"


def _command_words(argv: list[str]) -> list[str]:
    """The command and subcommand names ``argv`` starts with (``export segments``)."""
    group, words = typer.main.get_command(app), []
    for word in argv:
        commands = getattr(group, "commands", None)
        if not commands or word not in commands:
            break
        words.append(word)
        group = commands[word]
    return words


def main() -> None:
    """Run the commands: one clear line for every error a user can cause, never a traceback.
    (The ``focuscode`` command enters through ``focuscode.cli.main``, which imports this module
    once it can handle Ctrl-C.)"""
    watch_sigint()
    try:
        code = app(standalone_mode=False, prog_name="focuscode")
    except FocuscodeError as error:
        if caused_by_interrupt(error):  # a job that stopped at Ctrl-C (Cancelled)
            interrupted()
        # soft_wrap: one line even when stderr is a pipe or a narrow terminal
        errors.print(f"[bold red]error:[/] {escape(one_line(str(error)))}", highlight=False,
                     markup=True, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        code = INTERRUPTED
    except USAGE_ERRORS as error:
        code = _usage_error(error)
    except BaseException as error:
        # click's or Typer's Abort: Ctrl-C inside a prompt; anything else raised by a Ctrl-C
        if type(error).__name__ != "Abort" and not caused_by_interrupt(error):
            raise
        code = INTERRUPTED
    if code == INTERRUPTED:  # Typer turns Ctrl-C into this exit code (older Click: Abort)
        interrupted()
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(error: BaseException) -> int:
    """Show a usage error in one line (a group given no command shows its help); its code."""
    if type(error).__name__ == "NoArgsIsHelpError":
        error.show()
        return 2
    if not hasattr(error, "ctx"):  # another ClickException (a file error, ...): its own line
        errors.print(f"[bold red]error:[/] {escape(one_line(str(error.format_message())))}",
                     highlight=False, soft_wrap=True)
        return int(getattr(error, "exit_code", 1))
    errors.print(escape(_usage_line(error)), highlight=False, soft_wrap=True, markup=False)
    return int(getattr(error, "exit_code", 2))


# The other commands register themselves on ``app`` (and ``export_app``) when imported; they
# import ``app`` from here, so they come last (E402), once ``app`` exists.
from focuscode.cli import codebook as _codebook  # noqa: E402, F401 - codebook, suggest, agreement
from focuscode.cli import reports as _reports  # noqa: E402, F401 - the report commands
