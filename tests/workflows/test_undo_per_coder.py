"""Undo per coder, through ``workflows.Project``: each coder's ``u`` walks their own decisions;
undoing a decision another coder has since built on is refused in one line, which in blind
mode does not name them (nor say anything else of theirs)."""

from __future__ import annotations

import pytest
from blind_support import ANA, BEA, CODE, as_coder

from focuscode.domain import DecisionError
from focuscode.workflows import Project


@pytest.fixture
def shared(analysed_project: Project) -> tuple[Project, Project, str, list[int]]:
    """ana accepts the largest theme as a code and confirms two of its segments; bea, working
    blind, then confirms two others and rejects one of ana's."""
    ana, bea = as_coder(analysed_project, ANA), as_coder(analysed_project, BEA, blind=True)
    entry = max((e for e in ana.review.entries() if not e.is_queue), key=lambda e: e.n_segments)
    ana.decisions.accept(entry.key, CODE)
    key = ana.review.resolve_key(entry.key)
    s = [row.segment_id for row in ana.review.segments(key).rows][:5]
    ana.decisions.confirm(key, s[:2])
    bea.decisions.confirm(key, s[2:4])
    bea.decisions.reject(key, s[0])
    return ana, bea, key, s


def _statuses(project: Project, key: str, ids: list[int]) -> list[str]:
    rows = {r.segment_id: r.status for r in project.review.segments(key).rows}
    return [rows[i] for i in ids]


def test_each_coders_undo_walks_only_their_own_decisions(shared) -> None:
    ana, bea, key, s = shared
    bea.undo()  # her rejection of s0, although ana decided before her
    assert _statuses(ana, key, s[:4]) == ["confirmed", "confirmed", "suggested", "suggested"]
    assert _statuses(bea, key, s[:4]) == ["suggested", "suggested", "confirmed", "confirmed"]
    ana.undo()  # ana's confirmations of s0 s1, not bea's later ones
    assert _statuses(ana, key, s[:4]) == ["suggested"] * 4
    assert _statuses(bea, key, s[:4]) == ["suggested", "suggested", "confirmed", "confirmed"]
    bea.redo()
    assert _statuses(bea, key, s[:1]) == ["rejected"]
    assert ana.can_redo() and ana.redo() is not None
    assert _statuses(ana, key, s[:2]) == ["confirmed", "confirmed"]


def test_blind_undo_refused_names_nobody_and_changes_nothing(shared) -> None:
    """ana's next undo after hers is the code's acceptance, which bea built on: refused. In
    blind mode the line says 'another coder'; open, it names bea."""
    ana, bea, key, s = shared
    ana.undo()
    n = len(ana.log.history())
    ana.blind = True
    with pytest.raises(DecisionError) as blind:
        ana.undo()
    line = str(blind.value)
    assert line.startswith(f"cannot undo 'accepted '{CODE}' as a code': another coder has since")
    assert BEA not in line and "\n" not in line
    ana.blind = False
    with pytest.raises(DecisionError, match=f"{BEA} has since made a decision"):
        ana.undo()
    assert len(ana.log.history()) == n and ana.review.entry(key).label == CODE


def test_blind_coders_undo_messages_hold_only_their_own_decisions(shared) -> None:
    """What bea's undo reports is the summary of her own decision, never one of ana's."""
    ana, bea, key, s = shared
    summaries = [bea.review.describe(bea.undo()) for _ in range(2)]
    assert summaries == [f"undo: rejected segment {s[0]} for '{CODE}'",
                         f"undo: confirmed 2 segments for '{CODE}'"]
    assert bea.undo() is None and not bea.can_undo()  # nothing of ana's is hers to undo
    assert _statuses(ana, key, s[:2]) == ["confirmed", "confirmed"]


def test_undoing_a_reanalysis_another_coder_worked_in_is_refused(shared) -> None:
    """ana re-analyses; bea deletes a theme of the new run: ana's undo would take the run
    bea decided in away, so it is refused until bea undoes hers."""
    ana, bea, key, s = shared
    report = ana.analyse()
    theme = next(e for e in bea.review.entries() if not e.is_queue and e.code_id is None)
    bea.decisions.delete(theme.key)
    with pytest.raises(DecisionError, match=f"cannot undo 're-analysed: .*{BEA} has since"):
        ana.undo()
    assert ana.store.latest_run().id == report.run_id
    bea.undo()
    assert ana.log.decision(ana.undo()).undoes == report.decision_id
    assert ana.store.latest_run().id != report.run_id
