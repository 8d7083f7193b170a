"""The tidy segment table: one row per segment, for R, pandas and spreadsheets."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from focuscode.domain.views import SegmentRow
from focuscode.export.provenance import mark_deidentified
from focuscode.export.spreadsheets import write_tables

SEGMENT_COLUMNS = ["transcript", "segment_id", "turn_index", "speaker", "role", "start_char",
                   "end_char", "start_time", "text", "theme_id", "theme_label", "coding_status",
                   "excluded", "codes"]


def segments_frame(rows: Sequence[SegmentRow], *, real_names: bool = False,
                   shown: Callable[[str], str] | None = None):  # noqa: ANN201
    """A pandas DataFrame of ``rows``; speakers appear as pseudonyms unless ``real_names``;
    ``shown`` de-identifies the text (a last column ``deidentified`` says so)."""
    import pandas as pd

    records = [{
        "transcript": row.transcript, "segment_id": row.segment_id,
        "turn_index": row.turn_index, "speaker": row.speaker if real_names else row.pseudonym,
        "role": row.role, "start_char": row.start_char, "end_char": row.end_char,
        "start_time": row.start_time, "text": shown(row.text) if shown else row.text,
        "theme_id": row.theme_id,
        "theme_label": row.theme_label, "coding_status": row.coding_status,
        "excluded": row.excluded, "codes": row.codes} for row in rows]
    frame = pd.DataFrame.from_records(records, columns=SEGMENT_COLUMNS)
    return mark_deidentified(frame.astype({"theme_id": "Int64"}), shown is not None)


def write_table(frame, path: Path, fmt: str | None = None, *,  # noqa: ANN001
                blind_coder: str | None = None) -> Path:
    """Write ``frame`` as CSV (UTF-8 with BOM, so Excel reads accents) or XLSX, atomically and
    neutralised against formulas; made in blind mode for ``blind_coder``, it says so."""
    return write_tables({"Segments": frame}, path, fmt, blind_coder=blind_coder)
