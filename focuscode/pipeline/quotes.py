"""Quote suggestions: central, diverse, every role heard, no fragments."""

from __future__ import annotations

from collections import Counter
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
    """Rank a theme's segments as quotes by maximal marginal relevance over their embeddings,
    given the quotes already picked.

    Relevance is the cosine to the theme's centroid; each pick is penalised by its similarity to
    the quotes picked before (``diversity``, the researcher's own picks included) and by how many
    of those its role has (``role_penalty``). Roles not heard yet come first, and among them
    speakers not quoted yet; a row already picked is never suggested again.

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

    def fit(self, X: np.ndarray | None, texts: Sequence[str], roles: Sequence[str],
            speakers: Sequence[str] | None = None, *,
            picked: Sequence[int] = ()) -> "QuoteRanker":
        """``speakers`` of the rows (each row its own speaker if not given); ``picked``: rows
        already quoted, which count as heard and are never ranked."""
        n = len(texts)
        X = np.zeros((n, 1)) if X is None or len(X) == 0 else np.asarray(X, dtype=np.float64)
        speakers = list(speakers) if speakers is not None else [str(i) for i in range(n)]
        chosen = list(dict.fromkeys(int(i) for i in picked))
        rows = [i for i in range(n) if i not in set(chosen)]
        whole = [i for i in rows if not is_fragment(texts[i], min_words=self.min_words)
                 and len(texts[i].split()) <= self.max_words]
        candidates = whole or rows
        centroid = X.mean(axis=0) if n else np.zeros(X.shape[1])
        norm = float(np.linalg.norm(centroid)) or 1.0
        relevance = X @ (centroid / norm)
        heard = Counter(roles[i] for i in chosen)
        said = Counter(speakers[i] for i in chosen)
        ranking: list[int] = []
        scores: list[float] = []
        while candidates and len(ranking) < self.n_quotes:
            pool = [i for i in candidates if not heard[roles[i]]] or candidates
            pool = [i for i in pool if not said[speakers[i]]] or pool
            redundancy = (X[pool] @ X[chosen].T).max(axis=1) if chosen else np.zeros(len(pool))
            score = ((1 - self.diversity) * relevance[pool] - self.diversity * redundancy
                     - self.role_penalty * np.array([heard[roles[i]] for i in pool]))
            best = int(np.argmax(score))
            choice = pool[best]
            ranking.append(choice)
            scores.append(float(score[best]))
            chosen.append(choice)
            heard[roles[choice]] += 1
            said[speakers[choice]] += 1
            candidates = [i for i in candidates if i != choice]
        self.ranking_ = ranking
        self.scores_ = scores
        return self
