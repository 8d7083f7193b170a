"""What makes a segment quotable on its own: enough words actually said, starting a sentence and
not cut off. One rule for the workbench's quote suggestions, the reports' and the perspectives'.
Standard library only."""

from __future__ import annotations

import re

from focuscode.domain.tokens import word_count

MIN_QUOTE_WORDS = 8  # shorter segments are fragments, not quotes
_NOTE = re.compile(r"\[[^\]]*\]")
# Cut off: an interruption ("it wasn't --"), a trailing-off "..." or a dangling comma.
_CUT_OFF = ("-", "—", "–", "...", "…", ",", ";", ":")
# Picked up mid-sentence: a continuation dash or dots, or a lower-case first word.
_CONTINUES = ("-", "—", "–", "...", "…")


def n_spoken_words(text: str) -> int:
    """Words actually said: transcriber's notes such as ``[laughs]`` do not count."""
    return word_count(_NOTE.sub(" ", text))


def is_fragment(text: str, *, min_words: int = MIN_QUOTE_WORDS) -> bool:
    """Too short, starting mid-sentence, or cut off: not something to quote on its own."""
    said = " ".join(_NOTE.sub(" ", text).split())
    if n_spoken_words(said) < min_words:
        return True
    if said.startswith(_CONTINUES):
        return True
    first = said.lstrip("\"'“‘([")[:1]
    return first.islower() or said.rstrip("\"'”’)]").endswith(_CUT_OFF)
