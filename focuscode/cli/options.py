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
    "--real-names/--deidentify",
    help="--deidentify (the default): speakers as pseudonyms and people's names in quoted text "
         "replaced (see focuscode names); --real-names: speaker labels and verbatim text.")]
OutputFile = Annotated[Path, typer.Option("--to", help="Output file.")]
TableFile = Annotated[Path, typer.Option("--to", help="Output file (.csv or .xlsx).")]
AlsoTable = Annotated[Path | None, typer.Option("--to", help="Also write .csv or .xlsx.")]
CodebookFormat = Annotated[str | None, typer.Option(
    "--format", help="yaml, csv, xlsx or qdc (default: from the file name).")]
