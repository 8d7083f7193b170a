"""The theme tree of an analysis: parents stored with the run, --themes, accepting a parent."""

from __future__ import annotations

import pytest

from focuscode.domain import ConfigError, DecisionError


def test_parents_group_the_themes_and_are_stored_with_the_run(analysed_project):
    analysed_project.configure(n_themes=3)
    report = analysed_project.analyse()
    run = analysed_project.store.latest_run()
    groups = analysed_project.store.theme_groups(run.id)
    themes = analysed_project.store.themes(run.id)
    assert report.n_groups == len(groups) >= 1
    assert run.params["n_themes"] == 3
    grouped = [t for t in themes if t.group_id is not None]
    assert {t.group_id for t in grouped} == {g.id for g in groups}
    top_level = len(groups) + sum(1 for t in themes if t.group_id is None)
    assert top_level == 3
    for group in groups:
        members = [t for t in themes if t.group_id == group.id]
        assert len(members) >= 2 and group.size == sum(t.size for t in members)
        assert group.label and group.keywords
    tree = analysed_project.theme_tree()
    assert [g.id for g, _ in tree if g is not None] == [g.id for g in groups]


def test_same_settings_give_the_same_tree(analysed_project):
    analysed_project.configure(n_themes=3)

    def tree():
        analysed_project.analyse()
        return [(None if g is None else g.label, [t.number for t in children])
                for g, children in analysed_project.theme_tree()]

    assert tree() == tree()


@pytest.mark.parametrize("value", [0, 1, -3, "0", "many", "2.5", True])
def test_bad_themes_is_one_clear_error_and_changes_nothing(analysed_project, value):
    before = analysed_project.settings
    with pytest.raises(ConfigError, match="--themes must be a whole number of at least 2"):
        analysed_project.configure(n_themes=value)
    assert analysed_project.settings == before


def test_more_themes_than_segments_is_refused_and_changes_nothing(analysed_project):
    n = len(analysed_project.store.segments(included_only=True))
    before = analysed_project.settings
    with pytest.raises(ConfigError, match=f"more themes than the project has segments.*{n}"):
        analysed_project.configure(n_themes=n + 1)
    assert analysed_project.settings == before
    assert analysed_project.configure(n_themes=str(n)).n_themes == n
    assert analysed_project.configure(n_themes="auto").n_themes is None


def test_accepting_a_parent_makes_a_parent_code_with_child_codes_in_one_decision(
        analysed_project):
    analysed_project.configure(n_themes=2)
    analysed_project.analyse()
    group, children = next((g, c) for g, c in analysed_project.theme_tree() if g is not None)
    first = children[0]
    analysed_project.accept_theme(first.id, name="Already a code")
    decision = analysed_project.accept_parent(group.id)
    codes = {c.name: c for c in analysed_project.log.codes()}
    parent = codes[decision.payload["summary"].split("'")[1]]
    assert parent.status == "accepted" and parent.parent is None
    run = analysed_project.store.latest_run()
    linked = {t.id: t.code_id for t in analysed_project.store.themes(run.id)}
    for theme in children:
        child = analysed_project.log.code(linked[theme.id])
        assert child.parent == parent.name and child.status == "accepted"
    assert codes["Already a code"].parent == parent.name
    analysed_project.undo()
    assert analysed_project.log.code(codes["Already a code"].id).parent is None
    assert parent.name not in {c.name for c in analysed_project.log.codes()
                               if c.status == "accepted"}


def test_an_unknown_parent_is_a_decision_error(analysed_project):
    with pytest.raises(DecisionError, match="no parent theme 999"):
        analysed_project.accept_parent(999)


def test_every_theme_gets_a_stability_score_and_none_without_reruns(analysed_project):
    run = analysed_project.store.latest_run()
    assert (run.params["stability_runs"], run.params["stability_runs_used"]) == (None, 10)
    scores = [t.stability for t in analysed_project.store.themes(run.id)]
    assert all(0.0 <= s <= 1.0 for s in scores) and max(scores) > 0.5
    analysed_project.configure(stability_runs=0)
    analysed_project.analyse()
    run = analysed_project.store.latest_run()
    assert {t.stability for t in analysed_project.store.themes(run.id)} == {None}
    with pytest.raises(ConfigError, match="stability reruns"):
        analysed_project.configure(stability_runs=-1)
