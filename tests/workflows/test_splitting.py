"""Splitting a theme the researcher has started coding: the code follows its confirmed segments,
rejected segments are not offered again, and the same segments always split the same way."""

from __future__ import annotations

from focuscode.store.review_queries import ReviewQueries
from focuscode.workflows import Project


def _coded_theme(project: Project):
    """The largest theme, one segment confirmed and one rejected by the coder."""
    theme = max((e for e in project.review.entries() if not e.is_queue),
                key=lambda e: e.n_segments)
    rows = project.review.segments(theme.key).rows
    project.decisions.confirm(theme.key, rows[0].segment_id)
    key = project.review.resolve_key(theme.key)
    project.decisions.reject(key, rows[-1].segment_id)
    return project.review.entry(key), rows[0].segment_id, rows[-1].segment_id


def _partition(project: Project, theme_ids) -> set[frozenset[int]]:
    run = project.store.latest_run()
    groups: dict[int, set[int]] = {}
    for sid, tid in ReviewQueries(project.store.db).members(run.id, theme_ids):
        groups.setdefault(tid, set()).add(sid)
    return {frozenset(g) for g in groups.values()}


def test_the_code_follows_its_confirmed_segment_into_its_sub_theme(analysed_project):
    project = analysed_project
    code, confirmed, rejected = _coded_theme(project)
    decision = project.decisions.split(code.key, n_themes=2)
    after = project.review.entry(code.key)
    home = [t for t in decision.payload["themes"] if t in after.theme_ids]
    assert len(home) == 1, "the code is linked to one of the sub-themes"
    assert after.n_segments > 1 and after.n_confirmed == 1 and after.n_rejected == 1
    statuses = {r.segment_id: r.status for r in project.review.segments(code.key).rows}
    assert statuses[confirmed] == "confirmed" and statuses[rejected] == "rejected"
    sub = project.review.entry(f"t{home[0]}")
    assert after.label == sub.label != code.label, "an unnamed code takes its sub-theme's words"
    project.undo()
    restored = project.review.entry(code.key)
    assert (restored.label, restored.theme_ids) == (code.label, code.theme_ids)


def test_a_named_code_keeps_its_name_after_a_split(analysed_project):
    project = analysed_project
    code, _, _ = _coded_theme(project)
    project.decisions.rename(code.key, "Who holds care together")
    project.decisions.split(code.key, n_themes=2)
    assert project.review.entry(code.key).label == "Who holds care together"


def test_a_rejected_segment_is_not_suggested_again_in_a_sub_theme(analysed_project):
    project = analysed_project
    code, _, rejected = _coded_theme(project)
    decision = project.decisions.split(code.key, n_themes=2)
    others = [f"t{t}" for t in decision.payload["themes"]
              if t not in project.review.entry(code.key).theme_ids]
    assert others
    for key in others:
        assert rejected not in {r.segment_id for r in project.review.segments(key).rows}


def test_the_same_segments_split_the_same_way_in_any_order(analysed_project, monkeypatch):
    project = analysed_project
    theme = max((e for e in project.review.entries() if not e.is_queue),
                key=lambda e: e.n_segments)
    first = project.decisions.split(theme.key, n_themes=3)
    partition = _partition(project, first.payload["themes"])
    project.undo()
    members = ReviewQueries.members
    monkeypatch.setattr(ReviewQueries, "members",  # as if stored in another order
                        lambda self, run, ids: members(self, run, ids)[::-1])
    again = project.decisions.split(theme.key, n_themes=3)
    assert _partition(project, again.payload["themes"]) == partition
    assert again.payload["summary"] == first.payload["summary"]
