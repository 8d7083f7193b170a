"""A theme becomes a code only when the researcher accepts or names it (or merges into it):
confirming, rejecting, quoting or defining it records the decision with the theme, which stays
a suggested theme, counted as one in the workbench, the segment table, every report and
through a re-analysis, until it is accepted, when the decisions become the code's."""

from __future__ import annotations

import pytest

from focuscode.domain.counting import basis_counts
from focuscode.domain.reports import BY_THEME, CONFIRMED, SUGGESTED
from focuscode.workflows import Project
from focuscode.workflows.coding import Decisions


def theme(project: Project, n: int = 0):
    return [e for e in project.review.entries() if not e.is_queue][n]


def ids(project: Project, key: str, n: int) -> list[int]:
    return [r.segment_id for r in project.review.segments(key, limit=n).rows]


def report_code(project: Project, theme_id: int):
    return next(c for c in project.reports.data().codes if c.theme_id == theme_id)


@pytest.fixture
def decided(analysed_project):
    """The first theme, one of its segments confirmed and the next rejected (as the
    workbench's y and n do)."""
    t = theme(analysed_project)
    yes, no = ids(analysed_project, t.key, 2)
    analysed_project.decisions.confirm(t.key, yes)
    analysed_project.decisions.reject(t.key, no)
    return t, yes, no


def test_confirming_and_rejecting_keep_the_theme_a_theme(analysed_project, decided):
    project = analysed_project
    t, yes, no = decided
    entry = project.review.entry(t.key)
    assert (entry.status, entry.label, entry.source) == ("suggested", t.label, "theme")
    assert (entry.n_confirmed, entry.n_rejected, entry.n_segments) == (1, 1, t.n_segments - 1)
    assert project.codebook.current().codes == ()  # nothing in the codebook
    assert [c.status for c in project.log.codes()] == ["suggested"]
    assert project.check() == []


def test_reports_count_the_themes_confirmed_segment_and_never_its_rejected_one(
        analysed_project, decided):
    project = analysed_project
    t, yes, no = decided
    data = project.reports.data()
    code = report_code(project, t.theme_id)
    assert (code.key, code.status, code.name) == (f"theme-{t.theme_id}", SUGGESTED, t.label)
    counted = basis_counts(data)[code.key]
    assert counted[CONFIRMED] == 1 and counted[BY_THEME] == t.n_segments - 2
    assert not any(c.segment_id == no and c.code_key == code.key for c in data.codings)
    assert project.review.entry(t.key).counted == counted  # the workbench counts the same
    rows = {r.segment_id: r for r in project.segment_rows()}
    assert (rows[yes].coding_status, rows[no].coding_status) == ("confirmed", "rejected")
    assert t.label in rows[yes].codes and t.label not in rows[no].codes
    assert f"{t.label} (confirmed)" in rows[yes].codes


def test_accepting_it_later_makes_the_decisions_the_codes(analysed_project, decided):
    project = analysed_project
    t, yes, no = decided
    key = project.review.resolve_key(t.key)
    project.decisions.accept(key)
    entry = project.review.entry(key)
    assert (entry.status, entry.n_confirmed, entry.n_rejected) == ("accepted", 1, 1)
    code = report_code(project, t.theme_id)
    assert (code.key, code.status) == (f"code-{entry.code_id}", "accepted")
    assert basis_counts(project.reports.data())[code.key][CONFIRMED] == 1
    assert [c.name for c in project.codebook.current().codes] == [t.label]
    project.undo()  # the acceptance only: the decisions stay with the theme
    assert project.review.entry(key).status == "suggested"
    assert project.review.entry(key).n_confirmed == 1


def test_naming_it_makes_it_a_code_quoting_and_defining_do_not(analysed_project):
    project = analysed_project
    t = theme(project)
    [sid] = ids(project, t.key, 1)
    project.quotes.mark(t.key, sid)
    key = project.review.resolve_key(t.key)
    project.decisions.define(key, "What people say about it.")
    entry = project.review.entry(key)
    assert (entry.status, entry.n_quotes, entry.definition) == (
        "suggested", 1, "What people say about it.")
    code = report_code(project, t.theme_id)
    assert code.status == SUGGESTED and code.definition == "What people say about it."
    assert [q.segment_id for q in project.reports.data().quotes if q.code_key == code.key
            and q.source == "selected"] == [sid]
    project.decisions.rename(key, "Named by me")
    entry = project.review.entry(key)
    assert (entry.status, entry.label, entry.n_quotes) == ("accepted", "Named by me", 1)


def test_a_move_into_a_theme_with_decisions_keeps_it_a_theme(analysed_project):
    project = analysed_project
    a, b = theme(project, 0), theme(project, 1)
    [yes] = ids(project, b.key, 1)
    project.decisions.confirm(b.key, yes)
    key = project.review.resolve_key(b.key)
    [moved] = ids(project, a.key, 1)
    project.decisions.reject(key, yes)  # b rejects one of its own
    project.decisions.move(moved, key, from_key=a.key)
    entry = project.review.entry(key)
    assert entry.status == "suggested" and entry.n_segments == b.n_segments  # +1 moved, -1 ✗
    assert project.review.segment(key, moved).status == "suggested"  # a member, not confirmed


def test_a_re_analysis_carries_the_theme_with_its_decisions_as_a_theme(analysed_project, decided):
    project = analysed_project
    t, yes, no = decided
    key = project.review.resolve_key(t.key)
    plan = project.plan_analysis()
    assert any(line.startswith(f"theme '{t.label}'") for line in plan.carry.kept)
    assert not any(line.startswith(f"code '{t.label}'") for line in plan.carry.kept)
    project.analyse(plan=plan)
    entry = project.review.entry(key)
    assert (entry.status, entry.label, entry.n_confirmed, entry.n_rejected) == (
        "suggested", t.label, 1, 1)
    statuses = {r.segment_id: r.status for r in project.review.segments(key, limit=5000).rows}
    assert (statuses[yes], statuses[no]) == ("confirmed", "rejected")
    code = next(c for c in project.reports.data().codes if c.code_id == entry.code_id)
    assert code.status == SUGGESTED
    assert basis_counts(project.reports.data())[code.key][CONFIRMED] == 1
    project.undo()  # the re-analysis, at once
    assert project.review.entry(key).n_confirmed == 1
    assert project.check() == []


def test_the_codebook_with_suggestions_lists_it_among_the_suggested_themes(analysed_project):
    project = analysed_project
    t = theme(project)
    project.decisions.confirm(t.key, ids(project, t.key, 1))
    codebook = project.codebook.current(include_suggested=True)
    mine = [c for c in codebook.codes if c.name == t.label]
    assert len(mine) == 1 and mine[0].parent is not None  # under the suggested themes' group


def test_two_coders_decide_on_one_theme_row(analysed_project):
    project = analysed_project
    t = theme(project)
    [sid] = ids(project, t.key, 1)
    project.decisions.confirm(t.key, sid)
    Decisions(project.store, project.log, "ben").reject(t.key, sid)
    [row] = project.log.codes()  # one row holds both coders' decisions; still a theme
    assert row.status == "suggested"
    assert {(c.coder, c.status.value) for c in project.log.codings()} == {
        (project.coder, "confirmed"), ("ben", "rejected")}
    assert project.review.entry(t.key).n_confirmed == 1  # each coder's own
