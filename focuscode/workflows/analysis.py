"""Analysis use case: embed (with the cache), cluster, label, and store the run in one go."""

from __future__ import annotations

import hashlib
import platform
import time
from importlib import metadata
from typing import Sequence

import numpy as np

from focuscode import __version__
from focuscode.domain import AnalysisError, Segment
from focuscode.domain.hashing import text_sha256
from focuscode.domain.views import AnalysisReport
from focuscode.pipeline.cluster import ThemeClusterer
from focuscode.pipeline.embed import Embedder
from focuscode.pipeline.label import KeywordLabeler, rank_exemplars
from focuscode.store import DecisionLog, Membership, ProjectStore, ThemeRecord, utc_now
from focuscode.workflows.carry_over import carry_over
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings

LIBRARIES = ("sentence-transformers", "torch", "transformers", "scikit-learn", "numpy", "spacy",
             "webvtt-py", "srt", "python-docx")


def embed_segments(store: ProjectStore, embedder: Embedder, segments: Sequence[Segment],
                   progress: Progress) -> tuple[np.ndarray, int]:
    """Vectors for ``segments``, from the cache where possible; new ones are cached per batch,
    so an interrupted run keeps what it computed."""
    hashes = [text_sha256(segment.text) for segment in segments]
    cached = store.cached_embeddings(embedder.model_id, hashes)
    texts = {text_sha256(s.text): s.text for s in segments}
    # Longest first, as sentence-transformers orders one encode call: batches of like lengths
    # need little padding, so embedding chunk by chunk costs what one call would.
    missing = sorted(dict.fromkeys(h for h in hashes if h not in cached),
                     key=lambda h: (-len(texts[h]), h))
    progress.stage("Embedding segments", len(missing))
    batch = 256
    for begin in range(0, len(missing), batch):
        check_cancelled(progress)
        chunk = missing[begin:begin + batch]
        vectors = embedder.encode([texts[h] for h in chunk])
        store.put_embeddings(embedder.model_id, chunk, vectors)
        cached.update(zip(chunk, vectors))
        progress.advance(len(chunk))
    if not hashes:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack([cached[h] for h in hashes]).astype(np.float32), len(missing)


def analyse(store: ProjectStore, settings: AnalysisSettings, embedder: Embedder,
            progress: Progress | None = None, *, log: DecisionLog | None = None,
            coder: str = "focuscode") -> AnalysisReport:
    """Embed, cluster and label the included segments and store the run. A re-analysis keeps
    the researcher's structure (``workflows.carry_over``) and is one decision of the log, made
    by ``coder``: undoing it brings the previous run back."""
    progress = progress or NullProgress()
    log = log or DecisionLog(store.db)
    started, clock = utc_now(), time.perf_counter()
    segments = store.segments(included_only=True)
    if not segments:
        raise AnalysisError("no segments to analyse",
                            hint="import transcripts first: focuscode import PATH")
    vectors, n_embedded = embed_segments(store, embedder, segments, progress)
    check_cancelled(progress)
    progress.stage("Clustering themes", None)
    clusterer = ThemeClusterer(n_components=settings.n_components,
                               min_cluster_size=settings.min_cluster_size,
                               min_samples=settings.min_samples,
                               cluster_selection_method=settings.cluster_selection_method,
                               reassign_quantile=settings.reassign_quantile,
                               reassign_margin=settings.reassign_margin,
                               random_state=settings.random_state).fit(vectors)
    texts = [segment.text for segment in segments]
    # Names people call each other by ("as Ellen said") say nothing about the theme.
    names = {word.strip(".,").lower() for speaker in store.speakers()
             for word in speaker.label.split()}
    labeler = KeywordLabeler(n_keywords=settings.n_keywords,
                             extra_stop_words=sorted(names)).fit(texts, clusterer.labels_)
    exemplars = rank_exemplars(vectors, clusterer.labels_, clusterer.centroids_)
    themes = [ThemeRecord(number=t, label=labeler.labels_[t], keywords=labeler.keywords_[t],
                          exemplar_rows=tuple(exemplars[t]),
                          size=int((clusterer.labels_ == t).sum()))
              for t in range(clusterer.n_themes_)]
    nearest = [[(int(t), float(clusterer.similarities_[row, t])) for t in clusterer.nearest_[row]]
               for row in range(len(segments))]
    segment_ids = [int(segment.id) for segment in segments]
    check_cancelled(progress)
    progress.stage("Saving themes", None)
    params = {**settings.to_dict(), "min_cluster_size_used": int(clusterer.min_cluster_size_)}
    with store.db.atomic():  # the run and its decision together, or neither
        previous = store.latest_run()
        plan = carry_over(store, log, segment_ids, themes, clusterer.labels_.tolist(), nearest)
        run_id = store.save_run(
            started_at=started, model_id=embedder.model_id, params=params,
            random_state=settings.random_state, versions=library_versions(),
            input_sha256=_input_hash(embedder.model_id, segments), segment_ids=segment_ids,
            themes=plan.themes, labels=plan.labels,
            probabilities=clusterer.probabilities_.tolist(), nearest=plan.nearest,
            seconds=time.perf_counter() - clock, theme_codes=plan.theme_codes,
            theme_status=plan.theme_status, moved_from=plan.moved_from,
            status="active" if previous is None else "pending")
        decision_id = None
        if previous is not None:  # a re-analysis: one decision, undone at once
            decision_id = log.record(
                "analyse", [{"kind": "run_status", "run_id": run_id, "previous": previous.id,
                             "before": "pending", "after": "active"}], coder=coder,
                summary=f"re-analysed: {plan.n_themes} themes, your codes and themes kept",
                extra={"kept": list(plan.kept), "no_longer_applies": list(plan.no_longer_applies),
                       "differences": list(plan.changes)})
    n_unassigned = sum(1 for label in plan.labels if label < 0) + sum(
        t.size for t in plan.themes if plan.theme_status.get(t.number) == "deleted")
    return AnalysisReport(run_id=run_id, n_segments=len(segments), n_themes=plan.n_themes,
                          n_unassigned=n_unassigned, n_embedded=n_embedded,
                          seconds=time.perf_counter() - clock, model_id=embedder.model_id,
                          decision_id=decision_id, kept=plan.kept,
                          no_longer_applies=plan.no_longer_applies)


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
