"""Analysis use case: embed (with the cache), cluster, label, and store the run in one go."""

from __future__ import annotations

import hashlib
import platform
import time
from dataclasses import replace
from importlib import metadata
from typing import Sequence

import numpy as np

from focuscode import __version__
from focuscode.domain import AnalysisError, Segment
from focuscode.domain.hashing import text_sha256
from focuscode.domain.views import AnalysisReport
from focuscode.pipeline.cluster import ThemeClusterer
from focuscode.pipeline.embed import Embedder
from focuscode.pipeline.stability import theme_stability
from focuscode.store import Membership, ProjectStore, utc_now
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings
from focuscode.workflows.theming import name_themes

LIBRARIES = ("sentence-transformers", "torch", "transformers", "scikit-learn", "numpy",
             "umap-learn", "pynndescent", "numba", "spacy", "webvtt-py", "srt", "python-docx")
LINK_OVERLAP = 0.5
AUTO_STABILITY_RUNS, AUTO_STABILITY_MAX = 10, 20_000  # reruns, and up to how many segments


def embed_segments(store: ProjectStore, embedder: Embedder, segments: Sequence[Segment],
                   progress: Progress) -> tuple[np.ndarray, int]:
    """Vectors for ``segments``, from the cache where possible; new ones are cached per batch,
    so an interrupted run keeps what it computed."""
    return embed_texts(store, embedder, [segment.text for segment in segments], progress,
                       "Embedding segments")


def embed_texts(store: ProjectStore, embedder: Embedder, texts: Sequence[str],
                progress: Progress, stage: str) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` through the project's embedding cache, and how many were new."""
    hashes = [text_sha256(text) for text in texts]
    cached = store.cached_embeddings(embedder.model_id, hashes)
    by_hash = dict(zip(hashes, texts))
    # Longest first, as sentence-transformers orders one encode call: batches of like lengths
    # need little padding, so embedding chunk by chunk costs what one call would.
    missing = sorted(dict.fromkeys(h for h in hashes if h not in cached),
                     key=lambda h: (-len(by_hash[h]), h))
    progress.stage(stage, len(missing))
    batch = 256
    for begin in range(0, len(missing), batch):
        check_cancelled(progress)
        chunk = missing[begin:begin + batch]
        vectors = embedder.encode([by_hash[h] for h in chunk])
        store.put_embeddings(embedder.model_id, chunk, vectors)
        cached.update(zip(chunk, vectors))
        progress.advance(len(chunk))
    if not hashes:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack([cached[h] for h in hashes]).astype(np.float32), len(missing)


def analyse(store: ProjectStore, settings: AnalysisSettings, embedder: Embedder,
            progress: Progress | None = None) -> AnalysisReport:
    progress = progress or NullProgress()
    started, clock = utc_now(), time.perf_counter()
    segments = store.segments(included_only=True)
    if not segments:
        raise AnalysisError("no segments to analyse",
                            hint="import transcripts first: focuscode import PATH")
    vectors, n_embedded = embed_segments(store, embedder, segments, progress)
    check_cancelled(progress)
    progress.stage("Clustering themes", None)
    clusterer = make_clusterer(settings, settings.random_state).fit(vectors)
    stability, runs = None, settings.stability_runs
    if runs is None:
        runs = AUTO_STABILITY_RUNS if len(segments) <= AUTO_STABILITY_MAX else 0
    if runs:
        check_cancelled(progress)
        progress.stage("Checking stability", None)
        stability = theme_stability(clusterer.core_labels_, clusterer.n_themes_,
                                    clusterer.resample, runs, settings.random_state)
    texts = [segment.text for segment in segments]
    # Names people call each other by ("as Ellen said") say nothing about the theme.
    names = {word.strip(".,").lower() for speaker in store.speakers()
             for word in speaker.label.split()}
    check_cancelled(progress)
    named = name_themes(
        texts, vectors, clusterer, settings,
        lambda batch: embed_texts(store, embedder, batch, progress, "Naming themes")[0],
        sorted(names))
    themes = named.themes if stability is None else [
        replace(theme, stability=round(float(stability[theme.number]), 4))
        for theme in named.themes]
    nearest = [[(int(t), float(clusterer.similarities_[row, t])) for t in clusterer.nearest_[row]]
               for row in range(len(segments))]
    segment_ids = [int(segment.id) for segment in segments]
    check_cancelled(progress)
    progress.stage("Saving themes", None)
    params = {**settings.to_dict(), "min_cluster_size_used": int(clusterer.min_cluster_size_),
              "stability_runs_used": runs}
    run_id = store.save_run(
        started_at=started, model_id=embedder.model_id, params=params,
        random_state=settings.random_state, versions=library_versions(),
        input_sha256=_input_hash(embedder.model_id, segments), segment_ids=segment_ids,
        themes=themes, labels=clusterer.labels_.tolist(),
        probabilities=clusterer.probabilities_.tolist(), nearest=nearest,
        seconds=time.perf_counter() - clock,
        theme_codes=_inherited_codes(store, segment_ids, clusterer.labels_),
        groups=named.groups)
    return AnalysisReport(run_id=run_id, n_segments=len(segments), n_themes=len(themes),
                          n_unassigned=int((clusterer.labels_ < 0).sum()), n_embedded=n_embedded,
                          seconds=time.perf_counter() - clock, model_id=embedder.model_id,
                          n_groups=len(named.groups))


def make_clusterer(settings: AnalysisSettings, seed: int) -> ThemeClusterer:
    return ThemeClusterer(reducer=settings.reducer, n_components=settings.n_components,
                          n_neighbors=settings.n_neighbors,
                          min_cluster_size=settings.min_cluster_size,
                          min_samples=settings.min_samples,
                          cluster_selection_method=settings.cluster_selection_method,
                          reassign_quantile=settings.reassign_quantile,
                          reassign_margin=settings.reassign_margin, random_state=seed)


def _inherited_codes(store: ProjectStore, segment_ids: list[int],
                     labels: np.ndarray) -> dict[int, int]:
    """New themes that overlap an accepted theme of the previous run keep its code."""
    previous = store.latest_run()
    if previous is None:
        return {}
    linked = {t.id: t.code_id for t in store.themes(previous.id) if t.code_id is not None}
    if not linked:
        return {}
    old_members: dict[int, set[int]] = {}
    for member in store.memberships(previous.id):
        if member.theme_id in linked:
            old_members.setdefault(member.theme_id, set()).add(member.segment_id)
    result: dict[int, int] = {}
    for theme in range(int(labels.max()) + 1 if len(labels) else 0):
        members = {sid for sid, label in zip(segment_ids, labels) if label == theme}
        best, score = None, 0.0
        for old_theme, old in old_members.items():
            jaccard = len(members & old) / len(members | old)
            if jaccard > score:
                best, score = old_theme, jaccard
        if best is not None and score >= LINK_OVERLAP and linked[best] not in result.values():
            result[theme] = linked[best]
    return result


def _input_hash(model_id: str, segments: Sequence[Segment]) -> str:
    digest = hashlib.sha256(model_id.encode())
    for segment in segments:
        digest.update(text_sha256(segment.text).encode())
    return digest.hexdigest()


def library_versions() -> dict[str, str]:
    versions = {"focuscode": __version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return versions


def current_memberships(store: ProjectStore) -> tuple[int | None, dict[int, Membership]]:
    run = store.latest_run()
    if run is None:
        return None, {}
    return run.id, {m.segment_id: m for m in store.memberships(run.id)}
