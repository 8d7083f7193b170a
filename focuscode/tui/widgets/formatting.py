"""Small text helpers shared by the workbench's widgets."""

from __future__ import annotations

import re
from typing import Sequence

from rich.style import Style
from rich.text import Text

from focuscode.domain.review import SUBSTRING_MIN, SearchTerm

STATUS_MARKS = {"suggested": "·", "confirmed": "✓", "rejected": "✗", "unassigned": "○",
                "excluded": "–", "assigned": "→", "moved": "→"}


def shorten(text: str, width: int) -> str:
    """One line of at most ``width`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(1, width - 1)]
    if text[len(cut)] != " " and " " in cut[width // 2:]:  # not in the middle of a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def word_pattern(terms: Sequence[SearchTerm]) -> re.Pattern[str] | None:
    """Where the terms of a search occur, as searched: a word inside a longer word (the whole
    word is marked), a short word at the start of one, a quoted phrase as whole words."""
    if not terms:
        return None
    parts = []
    for term in terms:
        if term.exact:
            parts.append(r"\b" + r"\W+".join(re.escape(w) for w in term.words) + r"\b")
        elif len(term.words[0]) < SUBSTRING_MIN:
            parts.append(rf"\b{re.escape(term.words[0])}\w*")
        else:
            parts.append(rf"\w*{re.escape(term.words[0])}\w*")
    return re.compile("|".join(parts), re.IGNORECASE)


def highlight(text: Text, words: Sequence[SearchTerm], style: Style | str) -> Text:
    """``text`` with the search terms in ``style``."""
    pattern = word_pattern(words)
    if pattern is not None:
        for match in pattern.finditer(text.plain):
            text.stylize(style, match.start(), match.end())
    return text


def snippet(text: str, words: Sequence[SearchTerm], width: int) -> str:
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
