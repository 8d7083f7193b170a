"""Quote suggestions: central, diverse, every role heard, no fragments."""

from __future__ import annotations

from typing import Sequence

import numpy as np

_CUT_OFF = ("-", "—", "–", "...", "…", ",")


def is_fragment(text: str, *, min_words: int = 8) -> bool:
    """Too short, starting mid-sentence, or cut off: not something to quote on its own."""
    stripped = text.strip()
    if len(stripped.split()) < min_words:
        return True
    first = stripped.lstrip("\"'“‘([")[:1]
    return first.islower() or stripped.endswith(_CUT_OFF)


class QuoteRanker:
    """Rank a theme's segments as quotes by maximal marginal relevance over their embeddings.

    Relevance is the cosine to the theme's centroid; each pick is penalised by its similarity to
    the quotes already picked (``diversity``) and by how many picks its role already has, and once
    the slots left equal the roles not yet heard, only those roles are considered.

    Parameters: ``n_quotes``, ``min_words`` (shorter segments are fragments), ``max_words``,
    ``diversity`` (0: most central first, 1: most different first), ``role_penalty``.
    Fitted: ``ranking_`` (row indices, best first), ``scores_`` (their MMR scores).
    """

    def __init__(self, *, n_quotes: int = 5, min_words: int = 8, max_words: int = 120,
                 diversity: float = 0.4, role_penalty: float = 0.05) -> None:
        self.n_quotes = n_quotes
        self.min_words = min_words
        self.max_words = max_words
        self.diversity = diversity
        self.role_penalty = role_penalty

    def fit(self, X: np.ndarray | None, texts: Sequence[str],
            roles: Sequence[str]) -> "QuoteRanker":
        n = len(texts)
        X = np.zeros((n, 1)) if X is None or len(X) == 0 else np.asarray(X, dtype=np.float64)
        whole = [i for i in range(n) if not is_fragment(texts[i], min_words=self.min_words)
                 and len(texts[i].split()) <= self.max_words]
        candidates = whole or list(range(n))
        centroid = X.mean(axis=0) if n else np.zeros(X.shape[1])
        norm = float(np.linalg.norm(centroid)) or 1.0
        relevance = X @ (centroid / norm)
        picked: list[int] = []
        scores: list[float] = []
        heard: dict[str, int] = {}
        all_roles = {roles[i] for i in candidates}
        while candidates and len(picked) < self.n_quotes:
            unheard = all_roles - set(heard)
            pool = candidates
            if unheard and self.n_quotes - len(picked) <= len(unheard):
                pool = [i for i in candidates if roles[i] in unheard] or candidates
            redundancy = (X[pool] @ X[picked].T).max(axis=1) if picked else np.zeros(len(pool))
            score = ((1 - self.diversity) * relevance[pool] - self.diversity * redundancy
                     - self.role_penalty * np.array([heard.get(roles[i], 0) for i in pool]))
            best = int(np.argmax(score))
            choice = pool[best]
            picked.append(choice)
            scores.append(float(score[best]))
            heard[roles[choice]] = heard.get(roles[choice], 0) + 1
            candidates = [i for i in candidates if i != choice]
        self.ranking_ = picked
        self.scores_ = scores
        return self
