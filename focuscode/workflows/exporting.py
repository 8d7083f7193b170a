"""Export use cases: tables checked against the source before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from focuscode.domain import ExportError
from focuscode.domain.deidentify import Deidentifier
from focuscode.domain.views import SegmentRow
from focuscode.export.segments import segments_frame, write_table
from focuscode.store import ProjectStore
from focuscode.workflows.names import Names


def check_export_path(path: Path, *, table: bool = False) -> Path:
    """Refuse at once a ``--to`` the writer would refuse: the project's own files, a folder, a
    device (``table``: a name not ending in .csv or .xlsx)."""
    from focuscode.export.files import checked_target
    from focuscode.export.spreadsheets import table_format

    checked = checked_target(Path(path))
    if table:
        table_format(Path(path))
    return checked


def verify_offsets(store: ProjectStore, rows: Sequence[SegmentRow]) -> None:
    """Fail loudly if any exported text is not the source text at its offsets."""
    texts = {t.name: t.text for t in store.transcripts()}
    for row in rows:
        if texts[row.transcript][row.start_char:row.end_char] != row.text:
            raise ExportError(f"segment {row.segment_id} of '{row.transcript}' no longer matches "
                              f"the source at characters {row.start_char}-{row.end_char}; "
                              "nothing was exported", hint="the project may be damaged: "
                                                           "re-import the transcript")


def export_segments(store: ProjectStore, rows: Sequence[SegmentRow], path: Path, *,
                    real_names: bool = False, fmt: str | None = None,
                    blind_coder: str | None = None) -> Path:
    """The segment table; made in blind mode for ``blind_coder`` (from their decisions), the
    file says so; de-identified unless ``real_names`` (after the offsets are checked)."""
    verify_offsets(store, rows)
    return write_table(segments_frame(rows, real_names=real_names,
                                      shown=deidentifier(store, real_names)), Path(path), fmt,
                       blind_coder=blind_coder)


def deidentifier(store: ProjectStore, real_names: bool) -> Deidentifier | None:
    """What takes names out of exported text; None with ``real_names``."""
    return None if real_names else Names(store).deidentifier()
