"""Options several commands share, declared once (Typer ``Annotated`` types)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ProjectOption = Annotated[Path, typer.Option("--project", "-p", help="Project folder.",
                                             show_default=True)]
CoderOption = Annotated[str | None, typer.Option(
    "--coder", help="Who makes the decisions (default: the project's coder or your OS user).")]
BlindOption = Annotated[bool | None, typer.Option(
    "--blind/--open", " /--no-blind",
    help="Leave out (or show) other coders' decisions for this command (default: the "
         "project's setting, see 'focuscode coders'). Files made blind say so.")]
RealNames = Annotated[bool, typer.Option(
    "--real-names", help="Use speaker labels instead of pseudonyms.")]
OutputFile = Annotated[Path, typer.Option("--to", help="Output file.")]
TableFile = Annotated[Path, typer.Option("--to", help="Output file (.csv or .xlsx).")]
AlsoTable = Annotated[Path | None, typer.Option("--to", help="Also write .csv or .xlsx.")]
CodebookFormat = Annotated[str | None, typer.Option(
    "--format", help="yaml, csv, xlsx or qdc (default: from the file name).")]
YesOption = Annotated[bool, typer.Option(
    "--yes", "-y", help="Re-analyse a project with decisions without showing what changes and "
                        "asking first (for scripts).")]
