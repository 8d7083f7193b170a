"""Readable theme names: a short phrase from the theme's own words, chosen by its embedding.

KeyBERT-style: the theme's frequent 2-3 word n-grams (not starting or ending with a stop word,
without fillers or speakers' names) are embedded with the model the analysis already loaded and
ranked by cosine to the theme's centroid; maximal marginal relevance keeps the next phrases
different from the first. The name is the best two ("primary care / treat the person", at most
six words): on NHS FFT's human-named themes they score a mean cosine of 0.358 to the human name
of each theme's majority, c-TF-IDF keywords 0.365 (python -m benchmarks quality). A
theme whose centroid is close to greetings and introductions is recognised as small talk, so
that the researcher can leave it out.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Sequence

import numpy as np

from focuscode.domain.tokens import words as words_of

FILLERS = frozenset("""
yeah yes yep yup okay ok um uh uhm hmm mm mhm huh ah oh like just really know mean think gonna
wanna gotta basically literally actually honestly looking ask asking asked laughs laughter
crosstalk inaudible unintelligible sorry guess maybe probably kinda sorta
""".split())
EDGE_WORDS = frozenset("""
get got gets getting go going goes went say says said thing things stuff lot lots way bit sure
well right much many also even still really very quite
""".split())
SMALL_TALK = "introductions / small talk"
SMALL_TALK_PROTOTYPES = (
    "Hi everyone, I'm Maria, nice to meet you all.",
    "Thanks for having me, happy to be here today.",
    "Let's go around the table and introduce ourselves.",
    "Good morning, my name is John and I work as a nurse.",
    "Welcome, thank you all for joining us.",
)
SMALL_TALK_SIMILARITY = 0.45
_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”—–]+|\s-+\s")  # n-grams stay inside

Encode = Callable[[Sequence[str]], np.ndarray]


def candidate_phrases(texts: Sequence[str], *, banned: frozenset[str] = frozenset(),
                      min_words: int = 2, max_words: int = 3, limit: int = 40) -> list[str]:
    """The theme's n-grams by how many of its segments use them (ties: alphabetical)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    edges = ENGLISH_STOP_WORDS | FILLERS | EDGE_WORDS | banned
    inside = FILLERS | banned
    counts: Counter[str] = Counter()
    for text in texts:
        seen = set()
        for clause in _CLAUSE.split(text):
            words = words_of(clause)
            for n in range(min_words, max_words + 1):
                for start in range(len(words) - n + 1):
                    gram = words[start:start + n]
                    if gram[0] in edges or gram[-1] in edges or "'" in gram[-1]:
                        continue
                    if any(word in inside or _contraction(word, edges) for word in gram) or \
                            len(set(gram)) < n:
                        continue
                    seen.add(" ".join(gram))
        counts.update(seen)
    if not counts:
        return []
    least = 2 if len(texts) >= 4 and counts.most_common(1)[0][1] >= 2 else 1
    ranked = sorted((p for p, c in counts.items() if c >= least), key=lambda p: (-counts[p], p))
    return ranked[:limit]


def _contraction(word: str, stops: frozenset[str]) -> bool:
    """"i'm", "don't", "it's": not part of a name; a possessive ("patient's") is."""
    if "'" not in word:
        return False
    stem, _, tail = word.partition("'")
    return tail != "s" or stem in stops


def _joined(phrases: Sequence[str], n: int) -> str:
    """The first ``n`` phrases that share no word ("prior authorizations / prior auth" says
    one thing twice), joined by " / "."""
    kept: list[str] = []
    for phrase in phrases:
        if len(kept) == n:
            break
        if not any(set(phrase.split()) & set(other.split()) for other in kept):
            kept.append(phrase)
    return " / ".join(kept)


def mmr(centroid: np.ndarray, vectors: np.ndarray, k: int, diversity: float = 0.5) -> list[int]:
    """Maximal marginal relevance: rows close to ``centroid`` and unlike the rows already kept."""
    relevance = vectors @ centroid
    chosen = [int(np.argmax(relevance))]
    while len(chosen) < min(k, len(vectors)):
        redundancy = (vectors @ vectors[chosen].T).max(axis=1)
        score = (1 - diversity) * relevance - diversity * redundancy
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return chosen


class PhraseLabeler:
    """Fitted: ``phrases_`` (up to ``n_phrases`` per theme, best first), ``labels_`` (the best
    ``n_label_phrases`` that share no word, joined by " / "; ``None`` when the theme has no
    usable n-gram), ``small_talk_`` (themes that look like introductions / small talk)."""

    def __init__(self, encode: Encode, *, n_phrases: int = 3, n_label_phrases: int = 2,
                 diversity: float = 0.5,
                 banned: Sequence[str] = (), limit: int = 40) -> None:
        self.encode = encode
        self.n_phrases = n_phrases
        self.n_label_phrases = n_label_phrases
        self.diversity = diversity
        self.banned = frozenset(word.lower() for word in banned)
        self.limit = limit

    def fit(self, texts: Sequence[str], labels: Sequence[int],
            centroids: np.ndarray) -> "PhraseLabeler":
        labels = np.asarray(labels)
        candidates = {theme: candidate_phrases(
            [t for t, label in zip(texts, labels) if label == theme], banned=self.banned,
            limit=self.limit) for theme in range(len(centroids))}
        every = sorted({p for phrases in candidates.values() for p in phrases})
        vectors = dict(zip(every, self.encode(every))) if every else {}
        self.phrases_: dict[int, tuple[str, ...]] = {}
        self.labels_: dict[int, str | None] = {}
        for theme, phrases in candidates.items():
            if not phrases:
                self.phrases_[theme], self.labels_[theme] = (), None
                continue
            matrix = np.vstack([vectors[p] for p in phrases])
            picked = mmr(centroids[theme], matrix, self.n_phrases, self.diversity)
            self.phrases_[theme] = tuple(phrases[i] for i in picked)
            self.labels_[theme] = _joined(self.phrases_[theme], self.n_label_phrases)
        prototypes = self.encode(list(SMALL_TALK_PROTOTYPES))
        closeness = centroids @ np.asarray(prototypes).T if len(centroids) else np.zeros((0, 1))
        self.small_talk_ = {int(t) for t in np.flatnonzero(
            closeness.max(axis=1) >= SMALL_TALK_SIMILARITY)} if len(centroids) else set()
        self.small_talk_similarity_ = closeness.max(axis=1) if len(centroids) else np.zeros(0)
        return self
