"""Researcher decisions through the Project facade: confirm, reject, undo, redo, re-analyse."""

from __future__ import annotations

import shutil

import pytest

from focuscode.domain import Coding, CodingStatus, DecisionError
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project


def row(project, segment_id: int):
    return next(r for r in project.segment_rows() if r.segment_id == segment_id)


def first_member(project, theme_id: int) -> int:
    return next(r.segment_id for r in project.segment_rows() if r.theme_id == theme_id)


def codings(project) -> list[tuple[int, int, str]]:
    return [(c.segment_id, c.code_id, c.status.value) for c in project.log.codings()]


def test_confirm_records_the_coding_and_the_theme_stays_a_theme(analysed_project):
    theme = analysed_project.themes()[0]
    segment_id = first_member(analysed_project, theme.theme_id)
    decision_id = analysed_project.confirm(segment_id, theme.theme_id)
    [held] = analysed_project.log.codes()  # the theme's row, holding its codings: no code
    assert (held.name, held.source, held.status) == (theme.label, "theme", "suggested")
    assert analysed_project.log.codings() == [Coding(
        segment_id=segment_id, code_id=held.id, status=CodingStatus.CONFIRMED,
        coder=analysed_project.coder, decision_id=decision_id)]
    assert analysed_project.themes()[0].status == "suggested"
    assert analysed_project.codebook.current().codes == ()
    assert analysed_project.accept_theme(theme.theme_id, name="Named") == held.id
    assert analysed_project.themes()[0].status == "accepted"
    assert analysed_project.themes()[0].label == "Named"
    analysed_project.undo()
    confirmed = row(analysed_project, segment_id)
    assert (confirmed.theme_id, confirmed.theme_label, confirmed.coding_status) == (
        theme.theme_id, theme.label, "confirmed")
    others = [r.coding_status for r in analysed_project.segment_rows()
              if r.theme_id == theme.theme_id and r.segment_id != segment_id]
    assert set(others) == {"suggested"}


def test_reject(analysed_project):
    theme = analysed_project.themes()[1]
    segment_id = first_member(analysed_project, theme.theme_id)
    analysed_project.reject(segment_id, theme.theme_id)
    assert row(analysed_project, segment_id).coding_status == "rejected"


def test_undo_and_redo_through_the_project(analysed_project):
    theme = analysed_project.themes()[0]
    segment_id = first_member(analysed_project, theme.theme_id)
    analysed_project.confirm(segment_id, theme.theme_id)
    code_id = analysed_project.log.codes()[0].id

    assert analysed_project.undo() is not None  # the confirmation, the theme's row with it
    assert (codings(analysed_project), row(analysed_project, segment_id).coding_status) == (
        [], "suggested")
    assert analysed_project.log.codes() == []
    assert analysed_project.themes()[0].status == "suggested"
    assert analysed_project.undo() is None

    analysed_project.redo()
    assert codings(analysed_project) == [(segment_id, code_id, "confirmed")]
    assert row(analysed_project, segment_id).coding_status == "confirmed"
    assert analysed_project.redo() is None


def test_decisions_survive_reopening_the_project(analysed_project):
    theme = analysed_project.themes()[0]
    segment_id = first_member(analysed_project, theme.theme_id)
    analysed_project.confirm(segment_id, theme.theme_id)
    analysed_project.close()
    with Project.open(analysed_project.folder, embedder=HashingEmbedder()) as reopened:
        assert row(reopened, segment_id).coding_status == "confirmed"
        reopened.undo()
        assert codings(reopened) == []


def test_confirmed_coding_survives_reanalysis_with_other_settings(analysed_project):
    theme = analysed_project.themes()[0]
    segment_id = first_member(analysed_project, theme.theme_id)
    analysed_project.confirm(segment_id, theme.theme_id)
    code_id = analysed_project.log.codes()[0].id

    analysed_project.configure(min_cluster_size=15)
    analysed_project.analyse()
    assert analysed_project.store.latest_run().params["min_cluster_size_used"] == 15
    assert codings(analysed_project) == [(segment_id, code_id, "confirmed")]
    assert [c.name for c in analysed_project.log.codes()] == [theme.label]
    after = row(analysed_project, segment_id)
    assert (after.theme_label, after.coding_status) == (theme.label, "confirmed")


def test_confirmed_segment_moved_out_of_its_theme_stays_confirmed(analysed_project, tmp_path,
                                                                  demo_analysed):
    """A re-analysis that leaves a confirmed segment unassigned must not hide the decision."""
    # Find, on a scratch copy, a segment that min_cluster_size=5 takes out of every theme.
    shutil.copytree(demo_analysed, tmp_path / "scratch")
    with Project.open(tmp_path / "scratch", embedder=HashingEmbedder()) as scratch:
        before = {r.segment_id: r.theme_id for r in scratch.segment_rows()}
        scratch.configure(min_cluster_size=5)
        scratch.analyse()
        after = {r.segment_id: r.theme_id for r in scratch.segment_rows()}
    moved = sorted(s for s, t in before.items() if t is not None and after[s] is None)
    assert moved, "the scenario needs a segment that becomes unassigned"
    segment_id, theme_id = moved[0], before[moved[0]]
    label = row(analysed_project, segment_id).theme_label

    analysed_project.confirm(segment_id, theme_id)
    analysed_project.configure(min_cluster_size=5)
    analysed_project.analyse()
    moved_row = row(analysed_project, segment_id)
    assert (moved_row.theme_label, moved_row.coding_status) == (label, "confirmed")


@pytest.mark.parametrize("action", ["confirm", "reject"])
def test_repeating_a_decision_is_refused(analysed_project, action):
    theme = analysed_project.themes()[0]
    segment_id = first_member(analysed_project, theme.theme_id)
    getattr(analysed_project, action)(segment_id, theme.theme_id)
    with pytest.raises(DecisionError, match=f"segment {segment_id} is already {action}ed"):
        getattr(analysed_project, action)(segment_id, theme.theme_id)


def test_unknown_segment_or_theme_is_refused(analysed_project):
    theme = analysed_project.themes()[0]
    with pytest.raises(DecisionError, match="no segment 99999"):
        analysed_project.confirm(99999, theme.theme_id)
    with pytest.raises(DecisionError, match="no theme 99999 in the latest analysis"):
        analysed_project.confirm(first_member(analysed_project, theme.theme_id), 99999)
    assert analysed_project.log.history() == []


def test_deciding_before_any_analysis_is_refused(imported_project):
    with pytest.raises(DecisionError, match="no theme 1"):
        imported_project.confirm(1, 1)
