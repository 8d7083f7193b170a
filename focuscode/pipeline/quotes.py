"""Quote suggestions: central, diverse, every role heard, no fragments."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

from focuscode.domain.quoting import MIN_QUOTE_WORDS, is_fragment
from focuscode.domain.tokens import word_count

__all__ = ["QuoteRanker", "is_fragment"]

class QuoteRanker:
    """Rank a theme's segments as quotes by maximal marginal relevance over their embeddings,
    given the quotes already picked. The one ranker of quote suggestions: the workbench's and
    the reports' (until researchers pick quotes).

    Relevance is the cosine to the theme's centroid; each pick is penalised by its similarity to
    the quotes picked before (``diversity``, the researcher's own picks included) and by how many
    of those its role has (``role_penalty``). Roles not heard yet come first, and among them
    speakers not quoted yet; a row already picked is never suggested again.

    Fragments (``domain.quoting.is_fragment``: short, cut off by an interruption or "...", or
    starting mid-sentence) are never suggested. Rows marked ``preferred`` (e.g. confirmed by a
    coder) go before the others among equally new roles and speakers.

    Parameters: ``n_quotes``, ``min_words`` (shorter segments are fragments), ``max_words``,
    ``diversity`` (0: most central first, 1: most different first), ``role_penalty``.
    Fitted: ``ranking_`` (row indices, best first), ``scores_`` (their MMR scores).
    """

    def __init__(self, *, n_quotes: int = 5, min_words: int = MIN_QUOTE_WORDS,
                 max_words: int = 120,
                 diversity: float = 0.4, role_penalty: float = 0.05) -> None:
        self.n_quotes = n_quotes
        self.min_words = min_words
        self.max_words = max_words
        self.diversity = diversity
        self.role_penalty = role_penalty

    def fit(self, X: np.ndarray | None, texts: Sequence[str], roles: Sequence[str],
            speakers: Sequence[str] | None = None, *, picked: Sequence[int] = (),
            preferred: Sequence[bool] | None = None,
            relevance: Sequence[float] | None = None) -> "QuoteRanker":
        """``speakers`` of the rows (each row its own speaker if not given); ``picked``: rows
        already quoted, which count as heard and are never ranked; ``relevance``: how typical
        each row is, used when there are no embeddings ``X``."""
        n = len(texts)
        no_vectors = X is None or len(X) == 0
        X = np.zeros((n, 1)) if no_vectors else np.asarray(X, dtype=np.float64)
        speakers = list(speakers) if speakers is not None else [str(i) for i in range(n)]
        chosen = list(dict.fromkeys(int(i) for i in picked))
        rows = [i for i in range(n) if i not in set(chosen)]
        candidates = [i for i in rows if not is_fragment(texts[i], min_words=self.min_words)
                      and word_count(texts[i]) <= self.max_words]
        first = list(preferred) if preferred is not None else [False] * n
        if no_vectors and relevance is not None:
            relevance = np.asarray(relevance, dtype=np.float64)
        else:
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
            pool = [i for i in pool if first[i]] or pool
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
