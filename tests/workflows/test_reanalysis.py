"""Re-analysis keeps the researcher's structure (the issue's walkthrough, scripted): splits,
renames, merges, moves, deletions and confirmations are where the researcher left them after a
new run, and one undo undoes the re-analysis."""

from __future__ import annotations

import pytest

from focuscode.workflows import Project

LOST_TRUST = "Lost trust in pharma and healthcare"
DECREASED = "Decreased trust in pharma"


def overview(project: Project) -> dict[str, tuple]:
    """What the researcher sees, independent of run ids: label -> counts and statuses."""
    result = {}
    for entry in project.review.entries():
        rows = project.review.segments(entry.key, limit=100_000).rows
        result[entry.label] = (entry.status, entry.n_segments, entry.n_confirmed,
                               entry.n_rejected, tuple(sorted((r.segment_id, r.status)
                                                              for r in rows)))
    return result


@pytest.fixture
def walked(analysed_project: Project) -> tuple[Project, dict[str, tuple], int]:
    """Split the biggest theme into 3, rename one part, merge it into a code, move a segment,
    delete a theme, confirm some segments; returns the overview and the moved segment."""
    project = analysed_project
    themes = sorted((e for e in project.review.entries() if not e.is_queue),
                    key=lambda e: -e.n_segments)
    biggest, other, doomed = themes[0], themes[1], themes[-1]
    project.decisions.accept(other.key, LOST_TRUST)
    code_key = project.review.resolve_key(other.key)
    split = project.decisions.split(biggest.key, n_themes=3)
    parts = [f"t{theme_id}" for theme_id in split.payload["themes"]]
    project.decisions.rename(parts[0], DECREASED)
    project.decisions.merge(project.review.resolve_key(parts[0]), code_key)
    rows = project.review.segments(code_key).rows
    project.decisions.confirm(code_key, [r.segment_id for r in rows[:3]])
    project.decisions.reject(code_key, rows[3].segment_id)
    moved = project.review.segments(parts[1]).rows[0].segment_id
    project.decisions.move(moved, code_key, from_key=parts[1])
    project.decisions.delete(doomed.key)
    return project, overview(project), moved


def test_reanalysis_keeps_every_split_merge_rename_move_and_confirmation(walked) -> None:
    project, before, moved = walked
    report = project.analyse()
    assert overview(project) == before
    assert report.decision_id is not None and report.no_longer_applies == ()
    assert any(line.startswith(f"code '{LOST_TRUST}'") for line in report.kept)
    code = next(e for e in project.review.entries() if e.label == LOST_TRUST)
    statuses = {r.segment_id: r.status for r in project.review.segments(code.key).rows}
    assert statuses[moved] == "confirmed"


def test_one_undo_undoes_the_reanalysis(walked) -> None:
    project, before, _ = walked
    run = project.store.latest_run().id
    report = project.analyse()
    assert project.store.latest_run().id == report.run_id != run
    undo = project.log.decision(project.undo())
    assert undo.undoes == report.decision_id
    assert project.store.latest_run().id == run and overview(project) == before
    project.redo()
    assert project.store.latest_run().id == report.run_id and overview(project) == before


def test_reanalysis_with_other_settings_keeps_the_researchers_codes(walked) -> None:
    project, before, _ = walked
    project.configure(min_cluster_size=4, cluster_selection_method="leaf")
    report = project.analyse()
    after = overview(project)
    for label, (status, *_, rows) in before.items():
        if status == "accepted":  # the codes: their segments, decided the same way, and
            gained = set(after[label][-1]) - set(rows)  # new ones the new themes bring
            assert set(rows) <= set(after[label][-1]), label
            assert {status for _, status in gained} <= {"suggested"}
            [line] = [k for k in report.kept if k.startswith(f"code '{label}': ")]
            assert line.endswith(f", +{len(gained)} new" if gained else " segments")


def test_a_first_analysis_is_not_a_decision(imported_project) -> None:
    report = imported_project.analyse()
    assert report.decision_id is None and imported_project.log.history() == []


def test_a_second_reanalysis_still_keeps_everything(walked) -> None:
    """What a re-analysis carried (split themes, themes segments moved out of) is the
    researcher's still at the next one."""
    project, before, _ = walked
    project.analyse()
    report = project.analyse()
    assert overview(project) == before
    assert any(line.startswith("split theme '") for line in report.kept)
