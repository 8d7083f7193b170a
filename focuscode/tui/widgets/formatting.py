"""Small text helpers shared by the workbench's widgets."""

from __future__ import annotations

import re
from typing import Sequence

from rich.style import Style
from rich.text import Text

STATUS_MARKS = {"suggested": "·", "confirmed": "✓", "rejected": "✗", "unassigned": "○",
                "excluded": "–", "assigned": "→", "moved": "→"}


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    if " " in cut[width // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut + "…"


def word_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """Where the words of a search occur: whole words, the last one as a prefix (as searched)."""
    if not words:
        return None
    parts = [rf"\b{re.escape(word)}\b" for word in words[:-1]]
    parts.append(rf"\b{re.escape(words[-1])}\w*")
    return re.compile("|".join(parts), re.IGNORECASE)


def highlight(text: Text, words: Sequence[str], style: Style | str) -> Text:
    """``text`` with the search words in ``style``."""
    pattern = word_pattern(words)
    if pattern is not None:
        for match in pattern.finditer(text.plain):
            text.stylize(style, match.start(), match.end())
    return text


def snippet(text: str, words: Sequence[str], width: int) -> str:
    """One line of ``width`` characters showing the first search word: shortened from the start
    if it shows there, else from a little before the word (with a leading ellipsis)."""
    text = " ".join(text.split())
    pattern = word_pattern(words)
    found = pattern.search(text) if pattern is not None else None
    if found is None or found.end() <= width - 1 or len(text) <= width:
        return shorten(text, width)
    # a little before the word, or earlier when the text ends soon after it
    around = max(0, min(found.start() - width // 4, len(text) - width + 1))
    start = around if around == 0 or text[around - 1] == " " else text.find(" ", around) + 1
    if not 0 < start <= found.start():
        start = around
    return "…" + shorten(text[start:], width - 1)


def timestamp(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
