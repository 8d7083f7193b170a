"""Theme labels: class-based TF-IDF keywords, with the stop words of conversation removed."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from focuscode.domain.tokens import keyword_vectorizer_options

CONVERSATIONAL_STOP_WORDS = frozenset("""
yeah yes yep yup okay ok um uh uhm hmm mm mhm huh ah oh like just really know mean think thing
things stuff kind sort lot lots gonna wanna gotta got get gets getting go going goes went say says
said saying tell told right well actually basically literally probably maybe guess pretty bit
little sure absolutely exactly totally definitely course way ve ll don didn doesn isn wasn aren
weren won wouldn couldn shouldn hadn hasn haven laughs crosstalk inaudible unintelligible
laughter dr doctor also even still
much many one two three want need make makes made come comes came look see seen something
someone somebody everything everybody anything anybody time times day days year years people
person good great fine sorry thank thanks hi hello talk talking talked feel feels felt lot
""".split())


def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(set(ENGLISH_STOP_WORDS) | CONVERSATIONAL_STOP_WORDS)


class KeywordLabeler:
    """Distinctive words per theme by class-based TF-IDF (BERTopic's c-TF-IDF).

    Each theme's segments are one class document; a term's weight is its frequency in the class
    times ``log(1 + A / f)``, ``A`` the mean words per class and ``f`` the term's frequency over
    all classes. Fitted: ``keywords_`` (a tuple of words per theme), ``labels_``.
    """

    def __init__(self, *, n_keywords: int = 8, n_label_words: int = 3,
                 ngram_range: tuple[int, int] = (1, 2),
                 extra_stop_words: Sequence[str] = ()) -> None:
        self.n_keywords = n_keywords
        self.n_label_words = n_label_words
        self.ngram_range = ngram_range
        self.extra_stop_words = extra_stop_words

    def fit(self, texts: Sequence[str], labels: Sequence[int]) -> "KeywordLabeler":
        from sklearn.feature_extraction.text import CountVectorizer

        labels = np.asarray(labels)
        themes = sorted({int(label) for label in labels if label >= 0})
        # Outliers form a class of their own so that words common everywhere are down-weighted.
        classes = themes + ([-1] if (labels < 0).any() else [])
        documents = [" ".join(text for text, label in zip(texts, labels) if label == c)
                     for c in classes]
        self.keywords_: dict[int, tuple[str, ...]] = {}
        self.labels_: dict[int, str] = {}
        if not themes:
            return self
        stops = sorted(set(stop_words()) | {w.lower() for w in self.extra_stop_words})
        # The words that carry meaning (domain.tokens.vocabulary), stop words left out.
        vectorizer = CountVectorizer(stop_words=stops, ngram_range=self.ngram_range, min_df=1,
                                     **keyword_vectorizer_options())
        try:
            counts = vectorizer.fit_transform(documents).toarray().astype(float)
        except ValueError:  # only stop words
            counts = np.zeros((len(classes), 0))
        vocabulary = vectorizer.get_feature_names_out() if counts.shape[1] else np.array([])
        if counts.shape[1]:
            tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
            mean_words = counts.sum(axis=1).mean()
            idf = np.log(1 + mean_words / np.maximum(counts.sum(axis=0), 1))
            weights = tf * idf
        for row, theme in enumerate(classes):
            if theme < 0:
                continue
            words: list[str] = []
            if counts.shape[1]:
                for index in np.argsort(-weights[row], kind="stable"):
                    if weights[row, index] <= 0 or len(words) >= self.n_keywords:
                        break
                    term = str(vocabulary[index])
                    if any(term in kept or kept in term for kept in words):
                        continue
                    words.append(term)
            self.keywords_[theme] = tuple(words)
            self.labels_[theme] = " / ".join(words[: self.n_label_words]) or f"theme {theme + 1}"
        return self


def rank_exemplars(X: np.ndarray, labels: np.ndarray, centroids: np.ndarray,
                   n: int = 5) -> dict[int, list[int]]:
    """Row indices of each theme's ``n`` segments closest to its centroid, closest first."""
    exemplars: dict[int, list[int]] = {}
    for theme in range(centroids.shape[0]):
        rows = np.flatnonzero(labels == theme)
        scores = X[rows] @ centroids[theme]
        exemplars[theme] = [int(rows[i]) for i in np.argsort(-scores, kind="stable")[:n]]
    return exemplars
