"""Candidate names of people in transcripts, for the researcher to confirm or drop
(``focuscode names``) before quotes are de-identified.

A candidate is a capitalised word inside a sentence (not its first word) that the transcripts
never use in lower case ("Rosa", "Diane"; not "Grace" if "grace" is said too) and that is not a
speaker's name already. Words said right after a cue of a name ("her name is", "I'm", "like",
"Dr.", "my son", a comma of apposition) come first. No model: a rule a researcher can check.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from focuscode.domain.tokens import search_words

_WORD = re.compile(r"(?<![\w'’])([A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![\w])")
_LOWER = re.compile(r"(?<![\w'’])([a-z][a-z]+)(?![\w])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(\[]|--|—)\s*$")
_CUE = re.compile(r"(?:\bname(?:'s| is| was)|\bnamed|\bcalled|\bI'm|\bI am|\blike|\bwith|"
                  r"\bDr\.?|\bMr\.?|\bMrs\.?|\bMs\.?|\bmy (?:son|daughter|husband|wife|partner|"
                  r"friend|mom|mum|dad|mother|father|sister|brother|kid|child|nurse|doctor|"
                  r"pharmacist|neighbor|neighbour)|\bsaid|, )\s*$")
# Capitalised words that are not names however rarely they are said in lower case.
_NOT_NAMES = frozenset("""I I'm I've I'd I'll OK Okay Mm Mm-hmm Uh Um Yeah Yes No Oh God Lord
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December English Spanish French Internet TV""".split())


@dataclass(frozen=True)
class NameCandidate:
    name: str
    n: int  # times said
    cued: bool  # said right after a cue of a name at least once
    example: str  # the first place it is said, a few words either side


class NameCandidates:
    """Find candidate names in ``texts``. Parameters: ``context`` (characters shown either
    side of the example), ``min_count``. Fitted: ``candidates_`` (cued first, then most said,
    then by name)."""

    def __init__(self, *, context: int = 40, min_count: int = 1) -> None:
        self.context = context
        self.min_count = min_count

    def fit(self, texts: Sequence[str], known: Iterable[str] = ()) -> "NameCandidates":
        """``known``: names already handled (speakers' names and aliases, the redact list)."""
        known_words = {w.casefold() for name in known for w in search_words(name)}
        lower: set[str] = set()
        for text in texts:
            lower.update(_LOWER.findall(text))
        counts: Counter[str] = Counter()
        cued: set[str] = set()
        examples: dict[str, str] = {}
        for text in texts:
            for match in _WORD.finditer(text):
                word = match.group(1)
                if (word in _NOT_NAMES or word.casefold() in known_words
                        or word.lower() in lower):
                    continue
                before = text[max(0, match.start() - 30):match.start()]
                is_cued = bool(_CUE.search(before))
                if _SENTENCE_START.search(before) and not is_cued:
                    continue
                counts[word] += 1
                if is_cued:
                    cued.add(word)
                if word not in examples:
                    start, end = max(0, match.start() - self.context), match.end() + self.context
                    examples[word] = " ".join(text[start:end].split())
        self.candidates_ = sorted(
            (NameCandidate(word, n, word in cued, examples[word])
             for word, n in counts.items() if n >= self.min_count),
            key=lambda c: (not c.cued, -c.n, c.name))
        return self
