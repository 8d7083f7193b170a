"""What an exported file says about how it was made, beyond its rows: whether it was made in
blind mode, and for which coder. Spreadsheets say it on their "About" sheet, Markdown, DOCX and
HTML at the top, REFI-QDA in the project's description, plots in a corner; a CSV file, which has
no other place, in a last column ``blind_coder``. Files made with everyone's decisions are as
they always were."""

from __future__ import annotations

BLIND_COLUMN = "blind_coder"
DEIDENTIFIED_COLUMN = "deidentified"


def blind_note(coder: str) -> str:
    return (f"Blind mode: made for coder '{coder}'. Only {coder}'s coding decisions "
            "(confirmations and rejections) and picked quotes are used; other coders' are left "
            "out. Transcripts, speakers, the analysis' themes and suggestions, and the codebook "
            "are shared.")


def blind_notes(coder: str | None) -> list[str]:
    """``[blind_note(coder)]`` for a file made in blind mode, else nothing."""
    return [blind_note(coder)] if coder is not None else []


def mark_deidentified(frame, deidentified: bool):  # a pandas DataFrame, returned
    """``frame`` with a last column ``deidentified`` ("yes") when its quoted text had people's
    names replaced (a CSV file has no other place to say so)."""
    return frame.assign(**{DEIDENTIFIED_COLUMN: "yes"}) if deidentified else frame


def mark_blind(frame, coder: str | None):  # a pandas DataFrame, returned
    """``frame`` with a last column naming the coder a blind file was made for; unchanged when
    the file holds everyone's decisions."""
    if coder is None:
        return frame
    return frame.assign(**{BLIND_COLUMN: coder})
