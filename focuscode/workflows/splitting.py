"""Split a theme: re-cluster its segments' cached embeddings into sub-themes, as one decision.

The slow part (clustering) runs before anything is written, checking for cancellation; the
result is recorded in one transaction, so a cancelled or failed split leaves the project as it
was. No model is loaded: the vectors come from the embedding cache of the latest analysis.
"""

from __future__ import annotations

import numpy as np

from focuscode.domain import Decision, DecisionError
from focuscode.domain.changes import Change, MembershipChange, ThemeStatusChange
from focuscode.domain.hashing import text_sha256
from focuscode.pipeline.label import KeywordLabeler, rank_exemplars
from focuscode.pipeline.split import ThemeSplitter
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.review_queries import ReviewQueries
from focuscode.workflows.entries import resolve
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings


def split_entry(store: ProjectStore, log: DecisionLog, key: str, *, coder: str,
                n_themes: int | None = None, progress: Progress | None = None) -> Decision:
    """Replace the entry's themes by sub-themes of their segments (``n_themes``, or as many as
    HDBSCAN finds). Confirmed codings stay with the entry's code, which remains in the codebook."""
    progress = progress or NullProgress()
    settings = AnalysisSettings.from_dict(store.get_setting("analysis", {}))
    progress.stage("Reading cached embeddings", None)
    target = resolve(store, log, key)
    if target.is_queue or not target.themes:
        raise DecisionError(f"'{target.label}' has no discovered theme to split",
                            hint="only themes found by the analysis can be split")
    run = store.latest_run()
    assert run is not None  # a target with themes comes from a run
    members = ReviewQueries(store.db).members(run.id, target.theme_ids)
    segments = {s.id: s for s in store.segments(ids=[sid for sid, _ in members])}
    hashes = [text_sha256(segments[sid].text) for sid, _ in members]
    cached = store.cached_embeddings(run.model_id, hashes)
    if any(h not in cached for h in hashes):
        raise DecisionError("some of these segments have no cached embedding",
                            hint="re-analyse the project, then split again")
    X = np.vstack([cached[h] for h in hashes]) if hashes else np.zeros((0, 0))
    check_cancelled(progress)
    progress.stage(f"Re-clustering {len(members)} segments", None)
    splitter = ThemeSplitter(n_themes=n_themes, random_state=settings.random_state).fit(X)
    check_cancelled(progress)
    texts = [segments[sid].text for sid, _ in members]
    names = {word.strip(".,").lower() for speaker in store.speakers()
             for word in speaker.label.split()}
    labeler = KeywordLabeler(n_keywords=settings.n_keywords,
                             extra_stop_words=sorted(names)).fit(texts, splitter.labels_)
    exemplars = rank_exemplars(X, splitter.labels_, splitter.centroids_)
    check_cancelled(progress)
    progress.stage("Saving the split", None)
    with log.db.atomic():
        new_ids = [log.new_theme_row(
            run.id, label=labeler.labels_[t], keywords=labeler.keywords_[t],
            exemplar_ids=[members[row][0] for row in exemplars[t]],
            size=int((splitter.labels_ == t).sum()), parent_id=target.themes[0].id)
            for t in range(splitter.n_themes_)]
        changes: list[Change] = [ThemeStatusChange(theme_id=tid, before="pending",
                                                   after="active") for tid in new_ids]
        changes += [ThemeStatusChange(theme_id=t.id, before=t.status, after="split")
                    for t in target.themes]
        changes += [MembershipChange(run_id=run.id, segment_id=sid, before=tid,
                                     after=new_ids[int(label)])
                    for (sid, tid), label in zip(members, splitter.labels_)]
        decision_id = log.record("split", changes, coder=coder,
                                 summary=f"split '{target.label}' into {len(new_ids)} themes",
                                 extra={"themes": new_ids})
    return log.decision(decision_id)
