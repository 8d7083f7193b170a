"""The clusterings compared: focuscode's defaults, BERTopic's defaults, k-means told k."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Result:
    name: str
    labels: np.ndarray  # -1: unassigned
    keywords: dict[int, tuple[str, ...]]
    seconds: float
    names: dict[int, str] | None = None  # theme names, where the method gives phrases


def keyword_names(keywords: dict[int, tuple[str, ...]]) -> dict[int, str]:
    """c-TF-IDF labels as focuscode showed them before phrase names: the top three words."""
    return {theme: " / ".join(words[:3]) for theme, words in keywords.items() if words}


def run_focuscode(texts: list[str], vectors: np.ndarray, encode=None,  # noqa: ANN001
                  random_state: int = 42) -> Result:
    """focuscode's defaults; with ``encode`` (the loaded model) its phrase names too."""
    from focuscode.pipeline.cluster import ThemeClusterer
    from focuscode.pipeline.label import KeywordLabeler
    from focuscode.pipeline.phrases import PhraseLabeler
    from focuscode.workflows.theming import theme_names

    start = time.perf_counter()
    clusterer = ThemeClusterer(random_state=random_state).fit(vectors)
    labeler = KeywordLabeler().fit(texts, clusterer.labels_)
    names = None
    if encode is not None:
        phrases = PhraseLabeler(encode).fit(texts, clusterer.labels_, clusterer.centroids_)
        names = theme_names(phrases, labeler)
    return Result("focuscode (defaults)", clusterer.labels_, labeler.keywords_,
                  time.perf_counter() - start, names)


def run_bertopic(texts: list[str], vectors: np.ndarray, random_state: int = 42) -> Result:
    """BERTopic 0.17 defaults (UMAP 5-d, HDBSCAN min_cluster_size=10, c-TF-IDF); UMAP seeded
    (BERTopic's FAQ advice) so that the figures are reproducible."""
    from bertopic import BERTopic
    from umap import UMAP

    start = time.perf_counter()
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                      low_memory=False, random_state=random_state)
    model = BERTopic(umap_model=umap_model, calculate_probabilities=False, verbose=False)
    topics, _ = model.fit_transform(texts, vectors)
    keywords = {topic: tuple(word for word, _ in model.get_topic(topic)[:8])
                for topic in set(topics) if topic >= 0}
    return Result("BERTopic (defaults)", np.asarray(topics), keywords, time.perf_counter() - start)


def run_kmeans(texts: list[str], vectors: np.ndarray, k: int, random_state: int = 42) -> Result:
    from sklearn.cluster import KMeans

    from focuscode.pipeline.label import KeywordLabeler

    start = time.perf_counter()
    labels = KMeans(n_clusters=k, n_init=10, random_state=random_state).fit_predict(vectors)
    keywords = KeywordLabeler().fit(texts, labels).keywords_
    return Result(f"k-means (told k={k})", labels, keywords, time.perf_counter() - start)
