"""Turns to codable segments: whole turns, or sentence windows of long turns.

Segments never cross a turn, keep exact offsets into the transcript text, and carry the reason
they are left out of theme discovery (moderator prompts, backchannels, fragments).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping, Sequence

from focuscode.domain import MODERATOR_ROLE, ExclusionReason, Segment, Turn
from focuscode.domain.tokens import tokens

FILLERS = frozenset(
    "yeah yes yep yup no nope okay ok right sure mm mhm mm-hmm mmhmm uh-huh uh huh um uhm hmm "
    "ah oh exactly absolutely totally true definitely indeed agreed agree wow well so and but "
    "thanks thank you great good fine cool interesting i see got it sorry go on ahead please "
    "of course that's yeah, alright all right".split()
)
_NOTE = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")  # no nested openers: linear on "[[[[..."


def is_backchannel(text: str, max_words: int = 6) -> bool:
    """Whether ``text`` is only fillers and acknowledgements ("Yeah.", "Mm-hmm, right.")."""
    said = tokens(_NOTE.sub(" ", text))
    return len(said) <= max_words and all(token in FILLERS for token in said)


def count_content_words(text: str) -> int:
    return sum(1 for token in tokens(_NOTE.sub(" ", text)) if token not in FILLERS)


class TurnSegmenter:
    """Split turns into segments.

    Parameters
    ----------
    max_words : a turn of at most this many words is one segment.
    window_words : longer turns are cut into windows of whole sentences of about this many words.
    min_content_words : a segment with fewer words that are not fillers is too short to cluster.
    exclude_roles : roles whose turns are kept as context but left out of theme discovery.
    """

    def __init__(self, *, max_words: int = 80, window_words: int = 50,
                 min_content_words: int = 5,
                 exclude_roles: Sequence[str] = (MODERATOR_ROLE,)) -> None:
        self.max_words = max_words
        self.window_words = window_words
        self.min_content_words = min_content_words
        self.exclude_roles = exclude_roles

    def transform(self, turns: Sequence[Turn], roles: Mapping[str, str]) -> list[Segment]:
        """Segments for ``turns``; ``roles`` maps speaker label to role."""
        segments: list[Segment] = []
        excluded_roles = set(self.exclude_roles)
        for turn in turns:
            role = roles.get(turn.speaker)
            for start, end in self._spans(turn):
                text = turn.text[start - turn.start:end - turn.start]
                segments.append(Segment(turn_index=turn.index, index=len(segments), start=start,
                                        end=end, text=text,
                                        excluded=self._exclusion(text, role, excluded_roles),
                                        speaker=turn.speaker, role=role,
                                        start_time=turn.time_at(start)))
        return segments

    def exclusion_for(self, text: str, role: str | None) -> ExclusionReason | None:
        """Why a segment of this text by this role is left out of discovery, or None."""
        return self._exclusion(text, role, set(self.exclude_roles))

    def _exclusion(self, text: str, role: str | None,
                   excluded_roles: set[str]) -> ExclusionReason | None:
        if role in excluded_roles:
            return ExclusionReason.MODERATOR
        if is_backchannel(text):
            return ExclusionReason.BACKCHANNEL
        if count_content_words(text) < self.min_content_words:
            return ExclusionReason.TOO_SHORT
        return None

    def _spans(self, turn: Turn) -> list[tuple[int, int]]:
        if len(turn.text.split()) <= self.max_words:
            return [_strip(turn.text, 0, len(turn.text), turn.start)]
        sentences = _outside_brackets(sentence_spans(turn.text), turn.text)
        windows: list[list[tuple[int, int]]] = []
        words = 0
        for sentence in sentences:
            n = len(turn.text[sentence[0]:sentence[1]].split())
            if windows and words + n <= self.window_words:
                windows[-1].append(sentence)
                words += n
            else:
                windows.append([sentence])
                words = n
        if len(windows) > 1 and sum(len(turn.text[a:b].split()) for a, b in windows[-1]) \
                < self.window_words // 3:
            windows[-2].extend(windows.pop())
        spans = [_strip(turn.text, w[0][0], w[-1][1], turn.start) for w in windows]
        return [span for span in spans if span[1] > span[0]]


def _outside_brackets(sentences: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Join sentences split inside a bracketed note (``[laughs]``, ``(inaudible)``): a boundary
    never falls between an opener and its closer."""
    inside = [(m.start(), m.end()) for m in _NOTE.finditer(text)]
    joined: list[tuple[int, int]] = []
    for start, end in sentences:
        if joined and any(a < start < b for a, b in inside):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined
CHUNK_CHARS = 100_000  # spaCy refuses texts over nlp.max_length (1,000,000) characters (E088)


def sentence_spans(text: str, chunk: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets into ``text``, of any length: a long text is cut into
    pieces of at most ``chunk`` characters (after a sentence's end, else a line or a space where
    there is one), each sentencized apart, and the offsets shifted back exactly."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = len(text)
        if end - start > chunk:
            end = _cut(text, start, start + chunk)
        spans += [(start + s.start_char, start + s.end_char) for s in _nlp()(text[start:end]).sents
                  if s.end_char > s.start_char]
        start = end
    return spans


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece of ``text`` begun at ``start``, at most at ``limit``: after the last
    sentence end, line break or space in its second half, else at ``limit``."""
    window = text[start + (limit - start) // 2:limit]
    base = limit - len(window)
    for pattern in (r"[.!?]\s+", r"\n\s*", r"\s+"):
        found = [m.end() for m in re.finditer(pattern, window)]
        if found:
            return base + found[-1]
    return limit


def _strip(text: str, start: int, end: int, base: int) -> tuple[int, int]:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    right = len(piece.rstrip())
    return base + start + left, base + start + right


@lru_cache(maxsize=1)
def _nlp():  # noqa: ANN202 - spaCy Language
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp
