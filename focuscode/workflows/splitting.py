"""Split a theme: re-cluster its segments' cached embeddings into sub-themes, as one decision.

The slow part (clustering) runs before anything is written, checking for cancellation; the
result is recorded in one transaction, so a cancelled or failed split leaves the project as it
was. No model is loaded: the vectors come from the embedding cache of the latest analysis.
"""

from __future__ import annotations

import numpy as np

from focuscode.domain import Decision, DecisionError
from focuscode.domain.changes import (
    Change,
    CodeChange,
    MembershipChange,
    ThemeLinkChange,
    ThemeStatusChange,
)
from focuscode.domain.hashing import text_sha256
from focuscode.pipeline.label import KeywordLabeler, rank_exemplars
from focuscode.pipeline.split import ThemeSplitter
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.review_queries import ReviewQueries
from focuscode.workflows.entries import Target, resolve
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.settings import AnalysisSettings


def split_entry(store: ProjectStore, log: DecisionLog, key: str, *, coder: str,
                n_themes: int | None = None, progress: Progress | None = None) -> Decision:
    """Replace the entry's themes by sub-themes of their segments (``n_themes``, or as many as
    HDBSCAN finds).

    The segments are clustered in the order of their texts' hashes, so the same segments give
    the same sub-themes whatever their ids or the order a re-analysis stored them in. Segments
    a coder rejected for the entry's code take no part: they stay with the code, marked
    rejected, and are never offered again in a sub-theme. The code (if the entry has one)
    follows its confirmed segments: it is linked to the sub-theme holding most of them (the
    largest when none), keeps its name when a researcher gave it one, and otherwise takes that
    sub-theme's keywords, so it is never left behind as a code of its confirmed segments only
    under keywords that no longer describe it."""
    progress = progress or NullProgress()
    settings = AnalysisSettings.from_dict(store.get_setting("analysis", {}))
    progress.stage("Reading cached embeddings", None)
    target = resolve(store, log, key)
    if target.is_queue or not target.themes:
        raise DecisionError(f"'{target.label}' has no discovered theme to split",
                            hint="only themes found by the analysis can be split")
    run = store.latest_run()
    assert run is not None  # a target with themes comes from a run
    codings = log.codings(code_id=target.code_id) if target.code_id is not None else []
    rejected = {c.segment_id for c in codings if c.status.value == "rejected"}
    all_members = ReviewQueries(store.db).members(run.id, target.theme_ids)
    segments = {s.id: s for s in store.segments(ids=[sid for sid, _ in all_members])}
    hashes = {sid: text_sha256(segments[sid].text) for sid, _ in all_members}
    members = sorted(((sid, tid) for sid, tid in all_members if sid not in rejected),
                     key=lambda m: (hashes[m[0]], m[0]))
    cached = store.cached_embeddings(run.model_id, [hashes[sid] for sid, _ in members])
    if any(hashes[sid] not in cached for sid, _ in members):
        raise DecisionError("some of these segments have no cached embedding",
                            hint="re-analyse the project, then split again")
    X = np.vstack([cached[hashes[sid]] for sid, _ in members]) if members else np.zeros((0, 0))
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
    placed = {sid: int(label) for (sid, _), label in zip(members, splitter.labels_)}
    home = _home(splitter.labels_, placed, codings)
    for sid in rejected & set(hashes):
        placed[sid] = home
    sizes = [int((splitter.labels_ == t).sum()) for t in range(splitter.n_themes_)]
    progress.stage("Saving the split", None)
    with log.db.atomic():
        new_ids = [log.new_theme_row(
            run.id, label=labeler.labels_[t], keywords=labeler.keywords_[t],
            exemplar_ids=[members[row][0] for row in exemplars[t]],
            size=sizes[t] + (len(rejected & set(hashes)) if t == home else 0),
            parent_id=target.themes[0].id)
            for t in range(splitter.n_themes_)]
        changes: list[Change] = [ThemeStatusChange(theme_id=tid, before="pending",
                                                   after="active") for tid in new_ids]
        changes += [ThemeStatusChange(theme_id=t.id, before=t.status, after="split")
                    for t in target.themes]
        changes += [MembershipChange(run_id=run.id, segment_id=sid, before=tid,
                                     after=new_ids[placed[sid]]) for sid, tid in all_members]
        if target.code is not None:
            changes += _follow(log, target, new_ids[home], labeler.labels_[home])
        summary = (f"split '{target.label}' ({len(all_members)} segments) into "
                   f"{len(new_ids)} themes of {'/'.join(str(n) for n in sizes)}")
        decision_id = log.record("split", changes, coder=coder, summary=summary,
                                 extra={"themes": new_ids})
    return log.decision(decision_id)


def _home(labels: np.ndarray, placed: dict[int, int], codings: list) -> int:
    """The sub-theme the code follows: the one holding most of its confirmed segments (by any
    coder), else the largest (sub-theme 0)."""
    votes = np.bincount([placed[c.segment_id] for c in codings
                         if c.status.value == "confirmed" and c.segment_id in placed],
                        minlength=int(labels.max()) + 1)
    return int(votes.argmax()) if votes.any() else 0


def _follow(log: DecisionLog, target: Target, theme_id: int, label: str) -> list[Change]:
    """Changes linking the target's code to its sub-theme, renamed after it unless a
    researcher named the code (its name is not one of its old themes' keyword labels)."""
    code = target.code
    assert code is not None
    changes: list[Change] = [ThemeLinkChange(theme_id=theme_id, before=None, after=code.id)]
    taken = {c.name.casefold() for c in log.codes() if c.id != code.id}
    if code.name in {t.label for t in target.themes} and label.casefold() not in taken:
        changes.append(CodeChange(code_id=code.id, field="name", before=code.name,
                                  after=label))
    return changes
