"""Analysis use case: embed (with the cache), cluster, label, and store the run in one go."""

from __future__ import annotations

import hashlib
import platform
import time
from dataclasses import dataclass, replace
from importlib import metadata
from typing import Sequence

import numpy as np

from focuscode import __version__
from focuscode.domain import AnalysisError, Segment
from focuscode.domain.changes import RunStatusChange
from focuscode.domain.hashing import text_sha256
from focuscode.domain.tokens import name_words
from focuscode.domain.views import AnalysisReport
from focuscode.pipeline.cluster import ThemeClusterer
from focuscode.pipeline.embed import Embedder
from focuscode.pipeline.stability import theme_stability
from focuscode.store import DecisionLog, Membership, ProjectStore, ThemeRecord, utc_now
from focuscode.store.project_store import GroupRecord
from focuscode.workflows.carry_over import CarryOver, carry_over
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings
from focuscode.workflows.theming import name_themes

LIBRARIES = ("sentence-transformers", "torch", "transformers", "scikit-learn", "numpy",
             "umap-learn", "pynndescent", "numba", "spacy", "webvtt-py", "srt", "python-docx")
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


@dataclass(frozen=True)
class AnalysisPlan:
    """A finished clustering laid over the researcher's structure, not saved yet: what a
    re-analysis will change can be shown (``preview``) and asked about before it is saved."""

    started: str
    clock: float
    model_id: str
    params: dict
    random_state: int
    input_sha256: str
    segment_ids: list[int]
    themes: list[ThemeRecord]
    labels: list[int]
    probabilities: list[float]
    nearest: list[list[tuple[int, float]]]
    n_embedded: int
    previous_id: int | None
    last_decision: int | None
    carry: CarryOver
    groups: list[GroupRecord]  # the parent themes of the theme tree

    @property
    def needs_confirmation(self) -> bool:
        """A re-analysis of a project with decisions: show the preview and ask first."""
        return self.previous_id is not None and self.last_decision is not None

    @property
    def preview(self) -> tuple[str, ...]:
        """Codes and themes that gain or lose segments, themes new and gone, and what no
        longer applies, one line each."""
        return self.carry.changes + tuple(f"no longer applies: {line}"
                                          for line in self.carry.no_longer_applies)


def analyse(store: ProjectStore, settings: AnalysisSettings, embedder: Embedder,
            progress: Progress | None = None, *, log: DecisionLog | None = None,
            coder: str = "focuscode") -> AnalysisReport:
    """Embed, cluster and label the included segments and store the run. A re-analysis keeps
    the researcher's structure (``workflows.carry_over``); on a project with decisions it is
    one decision of the log, made by ``coder``: undoing it brings the previous run back."""
    log = log or DecisionLog(store.db)
    return save_analysis(store, log, plan_analysis(store, settings, embedder, progress, log=log),
                         coder=coder, progress=progress)


def plan_analysis(store: ProjectStore, settings: AnalysisSettings, embedder: Embedder,
                  progress: Progress | None = None, *,
                  log: DecisionLog | None = None) -> AnalysisPlan:
    """Everything but saving: embeddings (cached as they are computed), themes, and how they
    map onto the researcher's structure."""
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
    names = name_words(speaker.label for speaker in store.speakers())
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
    previous, last = store.latest_run(), log.last_id()
    labels = clusterer.labels_.tolist()
    return AnalysisPlan(
        started=started, clock=clock, model_id=embedder.model_id,
        params={**settings.to_dict(), "min_cluster_size_used": int(clusterer.min_cluster_size_),
                "stability_runs_used": runs},
        random_state=settings.random_state,
        input_sha256=_input_hash(embedder.model_id, segments), segment_ids=segment_ids,
        themes=themes, labels=labels, probabilities=clusterer.probabilities_.tolist(),
        nearest=nearest, n_embedded=n_embedded, previous_id=previous.id if previous else None,
        last_decision=last, carry=carry_over(store, log, segment_ids, themes, labels, nearest),
        groups=list(named.groups))


def make_clusterer(settings: AnalysisSettings, seed: int) -> ThemeClusterer:
    return ThemeClusterer(reducer=settings.reducer, n_components=settings.n_components,
                          n_neighbors=settings.n_neighbors,
                          min_cluster_size=settings.min_cluster_size,
                          min_samples=settings.min_samples,
                          cluster_selection_method=settings.cluster_selection_method,
                          reassign_quantile=settings.reassign_quantile,
                          reassign_margin=settings.reassign_margin, random_state=seed)


def save_analysis(store: ProjectStore, log: DecisionLog, plan: AnalysisPlan, *, coder: str,
                  progress: Progress | None = None) -> AnalysisReport:
    """Store the planned run (and, for a re-analysis, its decision) in one transaction. When
    decisions were made since the plan, the themes are laid over the structure as it is now."""
    progress = progress or NullProgress()
    progress.stage("Saving themes", None)
    with store.db.atomic():  # the run and its decision together, or neither
        previous = store.latest_run()
        logged = previous is not None and log.last_id() is not None
        carry = plan.carry
        if (previous.id if previous else None, log.last_id()) != (plan.previous_id,
                                                                    plan.last_decision):
            carry = carry_over(store, log, plan.segment_ids, plan.themes, plan.labels,
                               plan.nearest)
        run_id = store.save_run(
            started_at=plan.started, model_id=plan.model_id, params=plan.params,
            random_state=plan.random_state, versions=library_versions(),
            input_sha256=plan.input_sha256, segment_ids=plan.segment_ids,
            themes=carry.themes, labels=carry.labels, probabilities=plan.probabilities,
            nearest=carry.nearest, seconds=time.perf_counter() - plan.clock,
            theme_codes=carry.theme_codes, theme_status=carry.theme_status,
            moved_from=carry.moved_from, status="pending" if logged else "active",
            groups=plan.groups)
        decision_id = None
        if logged:  # a re-analysis of a project with decisions: one decision, undone at once
            decision_id = log.record(
                "analyse", [RunStatusChange(run_id=run_id, previous=previous.id,
                                            before="pending", after="active")], coder=coder,
                summary=f"re-analysed: {carry.n_themes} themes, your codes and themes kept",
                extra={"carried_themes": store.theme_ids(run_id, carry.carried),
                       "kept": list(carry.kept),
                       "no_longer_applies": list(carry.no_longer_applies),
                       "differences": list(carry.changes)})
    n_unassigned = sum(1 for label in carry.labels if label < 0) + sum(
        t.size for t in carry.themes if carry.theme_status.get(t.number) == "deleted")
    return AnalysisReport(run_id=run_id, n_segments=len(plan.segment_ids),
                          n_themes=carry.n_themes, n_unassigned=n_unassigned,
                          n_embedded=plan.n_embedded, seconds=time.perf_counter() - plan.clock,
                          model_id=plan.model_id, decision_id=decision_id, kept=carry.kept,
                          no_longer_applies=carry.no_longer_applies,
                          n_groups=len(plan.groups))


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
