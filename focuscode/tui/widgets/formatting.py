"""Small text helpers shared by the workbench's widgets."""

from __future__ import annotations

STATUS_MARKS = {"suggested": "·", "confirmed": "✓", "rejected": "✗", "unassigned": "○",
                "excluded": "–", "assigned": "→"}


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    if " " in cut[width // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def timestamp(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
