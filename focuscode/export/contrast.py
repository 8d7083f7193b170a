"""Tables and files of the perspective contrast (``pipeline.contrast``)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from focuscode.domain.reports import PerspectiveContrast
from focuscode.export.provenance import mark_deidentified
from focuscode.export.quote_tables import STATUS_LABELS
from focuscode.export.spreadsheets import table_format, write_csv, write_xlsx

DEIDENTIFIED_NOTE = ("De-identified: people's names inside the quotes are replaced by the "
                     "speaker's pseudonym or [name].")
def contrast_frame(contrasts: Sequence[PerspectiveContrast]):  # noqa: ANN201 - DataFrame
    """One row per code x group: segments, the representative quote, distinctive words."""
    import pandas as pd

    records = []
    for item in contrasts:
        for p in item.perspectives:
            records.append({
                "code_key": item.code_key, "code": item.code_name,
                "status": STATUS_LABELS[item.code_status], "group": p.group,
                "n_segments": p.n_segments, "quote": p.quote_text if p.quote else "",
                "speaker": p.speaker, "role": p.role,
                "segment_id": p.quote.segment_id if p.quote else None,
                "distinctive_words": ", ".join(f"{w} ({z:.1f})" for w, z in p.words)})
    frame = pd.DataFrame.from_records(records, columns=[
        "code_key", "code", "status", "group", "n_segments", "quote", "speaker", "role",
        "segment_id", "distinctive_words"])
    return frame.astype({"segment_id": "Int64"})


def write_contrast(contrasts: Sequence[PerspectiveContrast], path: Path, *,
                   blind_coder: str | None = None) -> Path:
    """The perspectives as XLSX (sheet "Perspectives") or CSV, as ``table_format`` says."""
    frame = contrast_frame(contrasts)
    deidentified = any(c.deidentified for c in contrasts)
    if table_format(path) == "xlsx":
        return write_xlsx({"Perspectives": frame}, path, blind_coder=blind_coder,
                          notes=[DEIDENTIFIED_NOTE] if deidentified else ())
    return write_csv(mark_deidentified(frame, deidentified), path, blind_coder=blind_coder)
