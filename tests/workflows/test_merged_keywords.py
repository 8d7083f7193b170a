"""A merged code's keywords are fitted once, by the merge, and stored by its decision: showing
the code fits nothing, undo and redo put the words back, reports show the same words."""

from __future__ import annotations

import json

from focuscode.domain import Code, Theme
from focuscode.domain.changes import CodeChange
from focuscode.domain.review import entry_keywords
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.pipeline.label import KeywordLabeler
from focuscode.workflows import Project


def themes(project: Project, *ns: int):
    entries = [e for e in project.review.entries() if not e.is_queue]
    return [entries[n] for n in ns]


def keyword_changes(decision) -> list[CodeChange]:
    return [c for c in decision.changes if isinstance(c, CodeChange) and c.field == "keywords"]


def _refuse(self, texts, labels):  # noqa: ANN001, ANN202
    raise AssertionError("keywords were fitted while showing the project")


def test_the_merge_decision_stores_the_words_and_showing_them_fits_nothing(
        analysed_project, monkeypatch):
    project = analysed_project
    a, b = themes(project, 2, 3)
    decision = project.decisions.merge(a.key, b.key)
    [change] = keyword_changes(decision)
    words = tuple(json.loads(change.after))
    assert change.before is None and words and words != b.keywords
    key = project.review.resolve_key(b.key)
    folder = project.folder
    project.close()
    monkeypatch.setattr(KeywordLabeler, "fit", _refuse)
    with Project.open(folder, embedder=HashingEmbedder()) as reopened:
        assert reopened.review.entry(key).keywords == words[:8]
        shown = next(e for e in reopened.review.entries() if e.key == key)
        assert shown.keywords == words[:8]
        code = next(c for c in reopened.reports.data().codes if c.code_id == shown.code_id)
        assert code.keywords == words  # the reports show what the workbench shows
        assert reopened.check() == []


def test_undo_and_redo_put_back_the_words_each_merge_left(analysed_project):
    project = analysed_project
    a, b, c = themes(project, 1, 2, 3)
    project.decisions.merge(a.key, c.key)
    key = project.review.resolve_key(c.key)
    two = project.review.entry(key).keywords
    second = project.decisions.merge(b.key, key)
    [change] = keyword_changes(second)
    assert change.before is not None  # the words the first merge stored
    three = project.review.entry(key).keywords
    assert three != two
    project.undo()
    assert project.review.entry(key).keywords == two
    project.undo()
    assert project.review.entry(c.key).keywords == c.keywords
    assert project.log.code_field(int(key[1:]), "keywords") is None
    project.redo()
    project.redo()
    assert project.review.entry(key).keywords == three
    assert project.check() == []


def test_merging_a_theme_into_a_code_without_themes_stores_no_words(analysed_project):
    project = analysed_project
    [a] = themes(project, 0)
    project.decisions.move([project.review.segments(a.key, limit=1).rows[0].segment_id],
                           new_code="Trust")
    code_key = next(k for k, label in project.review.labels().items() if label == "Trust")
    decision = project.decisions.merge(a.key, code_key)
    assert keyword_changes(decision) == []  # one theme: its own words are the code's
    assert project.review.entry(code_key).keywords == a.keywords


def test_a_merged_code_keeps_its_words_through_a_re_analysis(analysed_project, monkeypatch):
    project = analysed_project
    a, b = themes(project, 2, 3)
    project.decisions.merge(a.key, b.key)
    key = project.review.resolve_key(b.key)
    words = project.review.entry(key).keywords
    project.analyse()
    entry = project.review.entry(key)
    assert len(entry.theme_ids) == 2 and entry.keywords == words
    monkeypatch.setattr(KeywordLabeler, "fit", _refuse)
    assert next(e for e in project.review.entries() if e.key == key).keywords == words


def test_what_an_entry_shows():
    one = Theme(id=1, run_id=1, number=0, label="a", keywords=("care", "nurse"),
                exemplar_ids=(), size=3)
    two = Theme(id=2, run_id=1, number=1, label="b", keywords=("nurse", "cost"),
                exemplar_ids=(), size=3)
    stored = Code(id=1, name="Care", keywords=("fitted", "words"))
    assert entry_keywords(stored, [one, two]) == ("fitted", "words")
    assert entry_keywords(stored, [one]) == ("care", "nurse")  # split since: its one theme's
    # merged before the words were stored (an older project): both themes' words, no fitting
    assert entry_keywords(Code(id=1, name="Care"), [one, two]) == ("care", "nurse", "cost")
    assert entry_keywords(None, [two]) == ("nurse", "cost")


def test_a_merge_fits_again_when_another_process_merged_meanwhile(analysed_project,
                                                                  monkeypatch):
    from focuscode.workflows import coding

    project = analysed_project
    a, b, c = themes(project, 1, 2, 3)
    fitted: list[tuple[int, ...]] = []
    real = coding.merged_keywords

    def racing(store, run_id, theme_ids):  # noqa: ANN001, ANN202
        fitted.append(tuple(sorted(theme_ids)))
        if len(fitted) == 1:  # while this merge fits, another process merges c into b
            with Project.open(project.folder, embedder=HashingEmbedder(),
                              coder="other") as other:
                other.decisions.merge(c.key, b.key)
        return real(store, run_id, theme_ids)

    monkeypatch.setattr(coding, "merged_keywords", racing)
    project.decisions.merge(a.key, b.key)
    every = tuple(sorted(a.theme_ids + b.theme_ids + c.theme_ids))
    assert fitted[0] == tuple(sorted(a.theme_ids + b.theme_ids)) and fitted[-1] == every
    key = project.review.resolve_key(b.key)
    assert project.review.entry(key).keywords == real(project.store, project.store.latest_run().id,
                                                      every)[:8]
    assert project.check() == []
