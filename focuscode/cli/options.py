"""Options several commands share, declared once (Typer ``Annotated`` types)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

# Upper bounds of numeric options: what SQLite, NumPy and scikit-learn accept (a seed is 32-bit).
MAX_COUNT = 1_000_000_000
MAX_ID = 2**63 - 1
MAX_SEED = 2**32 - 1
MAX_COMPONENTS = 4096

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="Project folder.",
                                             file_okay=False, show_default=True)]
CoderOption = Annotated[str | None, typer.Option(
    "--coder", help="Who makes the decisions (default: the project's coder or your OS user).")]
BlindOption = Annotated[bool | None, typer.Option(
    "--blind/--open", " /--no-blind",
    help="Leave out (or show) other coders' decisions for this command (default: the "
         "project's setting, see 'focuscode coders'). Files made blind say so.")]
RealNames = Annotated[bool, typer.Option(
    "--real-names/--deidentify",
    help="--deidentify (the default): speakers as pseudonyms and people's names in quoted text "
         "replaced (see focuscode names); --real-names: speaker labels and verbatim text.")]


def writable(value: Path | None) -> Path | None:
    """A ``--to`` file, checked before any work is done: never the project's own files, a
    folder or a device (the writer checks again, at the moment it writes)."""
    if value is not None:
        from focuscode.workflows.exporting import check_export_path

        check_export_path(value)
    return value


def table_file(value: Path | None) -> Path | None:
    """A ``--to`` table: writable, and named .csv or .xlsx."""
    if value is not None:
        from focuscode.workflows.exporting import check_export_path

        check_export_path(value, table=True)
    return value


OutputFile = Annotated[Path, typer.Option("--to", help="Output file.", callback=writable)]
TableFile = Annotated[Path, typer.Option("--to", help="Output file (.csv or .xlsx).",
                                         callback=table_file)]
AlsoTable = Annotated[Path | None, typer.Option("--to", help="Also write .csv or .xlsx.",
                                                callback=table_file)]
CodebookFormat = Annotated[str | None, typer.Option(
    "--format", help="yaml, csv, xlsx or qdc (default: from the file name).")]
YesOption = Annotated[bool, typer.Option(
    "--yes", "-y", help="Re-analyse a project with decisions without showing what changes and "
                        "asking first (for scripts).")]
