"""The workbench's decisions: each one entry of the log, undoable, kept across re-analysis."""

from __future__ import annotations

import pytest

from focuscode.domain import Code, DecisionError
from focuscode.domain.review import UNASSIGNED
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Cancelled, Project


def first_theme(project: Project, n: int = 0):
    return [e for e in project.review.entries() if not e.is_queue][n]


def segment_ids(project: Project, key: str, n: int = 1) -> list[int]:
    return [row.segment_id for row in project.review.segments(key, limit=n).rows]


def statuses(project: Project, key: str) -> dict[int, str]:
    return {r.segment_id: r.status for r in project.review.segments(key, limit=10_000).rows}


def test_a_first_confirmation_keeps_the_theme_a_theme_in_one_entry_of_the_log(analysed_project):
    theme = first_theme(analysed_project)
    [sid] = segment_ids(analysed_project, theme.key)
    decision = analysed_project.decisions.confirm(theme.key, sid)
    entry = analysed_project.review.entry(theme.key)
    assert (entry.key, entry.status, entry.n_confirmed) == (f"c{entry.code_id}", "suggested", 1)
    assert (entry.label, entry.source) == (theme.label, "theme")
    assert decision.action == "confirm"
    assert decision.payload["summary"] == f"confirmed segment {sid} for '{theme.label}'"
    assert [(c.segment_id, c.status.value) for c in analysed_project.log.codings()] == \
        [(sid, "confirmed")]
    analysed_project.undo()
    assert analysed_project.log.codings() == []
    assert analysed_project.log.codes() == []
    assert analysed_project.review.entry(theme.key).key == theme.key
    assert len(analysed_project.log.history()) == 2  # the confirmation and its undo


def test_a_decision_about_a_suggested_codebook_code_accepts_it(analysed_project):
    project = analysed_project
    code_id = project.log.create_code(Code(id=None, name="Trust", source="codebook",
                                           status="suggested"), coder="tester")
    theme = first_theme(project)
    [sid] = segment_ids(project, theme.key)
    project.decisions.move(sid, f"c{code_id}")
    assert project.log.code(code_id).status == "accepted"
    project.undo()
    assert project.log.code(code_id).status == "suggested"


def test_reject_clear_and_bulk_confirm(analysed_project):
    theme = first_theme(analysed_project)
    ids = segment_ids(analysed_project, theme.key, 4)
    project = analysed_project
    project.decisions.reject(theme.key, ids[0])
    key = project.review.resolve_key(theme.key)
    project.decisions.confirm(key, ids)  # bulk: one decision for the three others and the flip
    assert [statuses(project, key)[i] for i in ids] == ["confirmed"] * 4
    project.decisions.clear(key, ids[1])
    assert statuses(project, key)[ids[1]] == "suggested"
    with pytest.raises(DecisionError, match="already confirmed"):
        project.decisions.confirm(key, ids[2])
    project.undo()  # the clear
    project.undo()  # the bulk confirm, at once
    assert [statuses(project, key)[i] for i in ids] == ["rejected"] + ["suggested"] * 3


def test_move_a_segment_to_another_theme(analysed_project):
    a, b = first_theme(analysed_project), first_theme(analysed_project, 1)
    [sid] = segment_ids(analysed_project, a.key)
    decision = analysed_project.decisions.move(sid, b.key, from_key=a.key)
    assert decision.payload["summary"] == f"moved segment {sid} to '{b.label}'"
    assert statuses(analysed_project, a.key)[sid] == "moved"  # shown as moved, not rejected
    [row] = [r for r in analysed_project.review.segments(a.key).rows if r.segment_id == sid]
    assert row.moved_to == b.label
    assert statuses(analysed_project, b.key)[sid] == "suggested"  # b is no code to confirm
    assert analysed_project.review.entry(a.key).n_segments == a.n_segments - 1
    assert analysed_project.review.entry(b.key).n_segments == b.n_segments + 1
    assert analysed_project.log.codes() == []  # a move makes neither theme a code
    analysed_project.undo()
    assert statuses(analysed_project, a.key)[sid] == "suggested"
    assert analysed_project.review.entry(b.key).n_segments == b.n_segments


def test_a_segment_moved_into_a_code_counts_for_the_code_only(analysed_project):
    project = analysed_project
    a, b = first_theme(project), first_theme(project, 1)
    project.decisions.accept(b.key, "Waiting")
    code = project.review.resolve_key(b.key)
    [sid] = segment_ids(project, a.key)
    project.decisions.move(sid, code, from_key=a.key)
    assert statuses(project, a.key)[sid] == "moved" and statuses(project, code)[sid] == "confirmed"
    assert project.review.entry(a.key).n_segments == a.n_segments - 1
    assert project.review.entry(code).n_segments == b.n_segments + 1
    assert project.review.resolve_key(a.key) == a.key  # still a theme, not a code
    assert [c.name for c in project.log.codes()] == ["Waiting"]


def test_move_to_a_new_code(analysed_project):
    a = first_theme(analysed_project)
    ids = segment_ids(analysed_project, a.key, 2)
    analysed_project.decisions.move(ids, from_key=a.key, new_code="Waiting times")
    code = next(c for c in analysed_project.log.codes() if c.name == "Waiting times")
    assert (code.source, code.status) == ("manual", "accepted")
    assert set(statuses(analysed_project, f"c{code.id}")) == set(ids)
    with pytest.raises(DecisionError, match="already a code called"):
        analysed_project.decisions.move(ids, from_key=a.key, new_code="waiting times")


def test_assign_from_the_unassigned_queue(analysed_project):
    queue = analysed_project.review.segments(UNASSIGNED, limit=1)
    row = queue.rows[0]
    target = row.nearest[0]
    analysed_project.decisions.move(row.segment_id, target.key)
    after = analysed_project.review.segments(UNASSIGNED, limit=1)
    assert after.total == queue.total - 1
    # a member of the theme now; the theme is not made a code by it
    assert statuses(analysed_project, target.key)[row.segment_id] == "suggested"
    assert analysed_project.log.codes() == []
    analysed_project.undo()
    assert analysed_project.review.segments(UNASSIGNED).total == queue.total


def test_accept_rename_define(analysed_project):
    theme = first_theme(analysed_project)
    project = analysed_project
    project.decisions.accept(theme.key)
    key = project.review.resolve_key(theme.key)
    project.decisions.rename(key, "  Care   coordination ")
    project.decisions.define(key, "Who holds the pieces of care together.")
    entry = project.review.entry(key)
    assert (entry.label, entry.status, entry.definition) == (
        "Care coordination", "accepted", "Who holds the pieces of care together.")
    with pytest.raises(DecisionError, match="already a code"):
        project.decisions.accept(key)
    for _ in range(3):
        project.undo()
    assert project.log.codes() == []
    assert project.review.entry(theme.key).label == theme.label


def test_rename_refuses_a_duplicate_name(analysed_project):
    a, b = first_theme(analysed_project), first_theme(analysed_project, 1)
    analysed_project.decisions.rename(a.key, "Trust")
    with pytest.raises(DecisionError, match="already a code called 'Trust'"):
        analysed_project.decisions.rename(b.key, "trust")


def test_merge_moves_themes_codings_and_quotes(analysed_project):
    project = analysed_project
    a, b = first_theme(project, 2), first_theme(project, 3)
    [sid] = segment_ids(project, a.key)
    project.decisions.accept(a.key, name="Pharmacy")
    project.decisions.confirm("c1", sid)
    project.quotes.mark("c1", sid)
    project.decisions.define("c1", "Pharmacies and pharmacists.")
    decision = project.decisions.merge("c1", b.key)
    assert decision.payload["summary"] == f"merged 'Pharmacy' into '{b.label}'"
    merged = project.review.entry(b.key)
    assert merged.theme_ids == tuple(sorted(a.theme_ids + b.theme_ids)) or \
        set(merged.theme_ids) == set(a.theme_ids + b.theme_ids)
    assert (merged.status, merged.n_confirmed, merged.n_quotes) == ("accepted", 1, 1)
    assert merged.definition == "Pharmacies and pharmacists."
    assert merged.n_segments == a.n_segments + b.n_segments
    assert [c.name for c in project.log.codes()] == [b.label]
    assert "c1" not in {e.key for e in project.review.entries()}
    project.undo()
    assert project.review.entry("c1").n_confirmed == 1
    assert project.review.entry(b.key).key == b.key


def test_delete_sends_segments_to_the_queue_and_undo_brings_them_back(analysed_project):
    project = analysed_project
    theme = first_theme(project)
    queue = project.review.entry(UNASSIGNED).n_segments
    project.decisions.delete(theme.key)
    assert theme.key not in {e.key for e in project.review.entries()}
    assert project.review.entry(UNASSIGNED).n_segments == queue + theme.n_segments
    with pytest.raises(DecisionError, match="no longer in the latest analysis"):
        project.decisions.confirm(theme.key, 1)
    project.undo()
    assert project.review.entry(theme.key).n_segments == theme.n_segments


def test_split_reclusters_into_sub_themes_and_undo_restores(analysed_project):
    project = analysed_project
    theme = first_theme(project)
    members = set(statuses(project, theme.key))
    stages = []

    class Recorder:
        def stage(self, name, total=None):
            stages.append(name)

        def advance(self, n=1):
            pass

        def is_cancelled(self):
            return False

    decision = project.decisions.split(theme.key, n_themes=3, progress=Recorder())
    new_keys = [f"t{i}" for i in decision.payload["themes"]]
    assert len(new_keys) == 3 and stages[-1] == "Saving the split"
    parts = [set(statuses(project, k)) for k in new_keys]
    assert set().union(*parts) == members and sum(map(len, parts)) == len(members)
    assert theme.key not in {e.key for e in project.review.entries()}
    assert all(project.review.entry(k).keywords for k in new_keys)
    project.undo()
    assert set(statuses(project, theme.key)) == members
    assert not set(new_keys) & {e.key for e in project.review.entries()}


def test_split_without_a_count_uses_the_clusterer(analysed_project):
    theme = first_theme(analysed_project)
    decision = analysed_project.decisions.split(theme.key)
    assert len(decision.payload["themes"]) >= 2


def test_cancelled_split_changes_nothing(analysed_project):
    class Cancelling:
        def stage(self, name, total=None):
            pass

        def advance(self, n=1):
            pass

        def is_cancelled(self):
            return True

    theme = first_theme(analysed_project)
    before = analysed_project.review.entries()
    with pytest.raises(Cancelled):
        analysed_project.decisions.split(theme.key, progress=Cancelling())
    assert analysed_project.review.entries() == before
    assert analysed_project.log.history() == []


def test_quotes_mark_span_star_reorder_remove(analysed_project):
    project = analysed_project
    theme = first_theme(project)
    ids = segment_ids(project, theme.key, 3)
    row = project.review.segments(theme.key, limit=1).rows[0]
    project.quotes.mark(theme.key, ids[0], span=(0, 20))
    key = project.review.resolve_key(theme.key)
    project.quotes.accept(key, ids[1:])
    quotes = project.quotes.of(key)
    assert [q.segment_id for q in quotes] == ids
    assert quotes[0].text == row.text[:20] and quotes[0].source == "manual"
    assert [q.source for q in quotes[1:]] == ["suggested", "suggested"]
    project.quotes.star(quotes[2].id)
    project.quotes.move(quotes[2].id, -1)
    project.quotes.move(quotes[2].id, -1)
    assert [q.segment_id for q in project.quotes.of(key)] == [ids[2], ids[0], ids[1]]
    assert [q.starred for q in project.quotes.of(key)] == [True, False, False]
    with pytest.raises(DecisionError, match="already first"):
        project.quotes.move(quotes[2].id, -1)
    project.quotes.remove(quotes[0].id)
    assert [q.segment_id for q in project.quotes.of(key)] == [ids[2], ids[1]]
    assert [q.segment_id for q in project.store.quotes()] == [ids[2], ids[1]]
    for _ in range(5):
        project.undo()
    assert [q.segment_id for q in project.quotes.of(key)] == [ids[0]]


def test_quote_span_must_lie_inside_the_segment(analysed_project):
    theme = first_theme(analysed_project)
    row = analysed_project.review.segments(theme.key, limit=1).rows[0]
    with pytest.raises(DecisionError, match="part of the segment"):
        analysed_project.quotes.mark(theme.key, row.segment_id, span=(5, len(row.text) + 1))
    assert analysed_project.log.history() == []


def test_quote_suggestions_are_whole_and_hear_every_role(analysed_project):
    theme = first_theme(analysed_project)
    suggestions = analysed_project.quotes.suggest(theme.key, n=4)
    roles = {r for r in theme.by_role}
    assert len(suggestions) == 4
    assert {s.segment.role for s in suggestions} == roles
    assert all(len(s.segment.text.split()) >= 8 for s in suggestions)
    assert len({s.segment.segment_id for s in suggestions}) == 4


def test_decisions_survive_reanalysis_and_reopening(analysed_project, tmp_path):
    project = analysed_project
    theme = first_theme(project)
    ids = segment_ids(project, theme.key, 2)
    project.decisions.rename(theme.key, "Care coordination")
    key = project.review.resolve_key(theme.key)
    project.decisions.confirm(key, ids[0])
    project.decisions.reject(key, ids[1])
    project.quotes.mark(key, ids[0])
    project.configure(min_cluster_size=12)
    project.analyse()
    entry = project.review.entry(key)
    assert (entry.label, entry.n_confirmed, entry.n_rejected, entry.n_quotes) == \
        ("Care coordination", 1, 1, 1)
    project.close()
    with Project.open(project.folder, embedder=HashingEmbedder()) as reopened:
        assert {ids[0]: "confirmed", ids[1]: "rejected"}.items() <= \
            statuses(reopened, key).items()
        reopened.undo()  # the re-analysis (one decision)
        reopened.undo()  # the quote
        assert reopened.quotes.of(key) == []


def test_stale_decision_is_refused(analysed_project, tmp_path):
    """Two windows on one project: the second's view is stale, its decision is refused."""
    theme = first_theme(analysed_project)
    [sid] = segment_ids(analysed_project, theme.key)
    other = Project.open(analysed_project.folder, embedder=HashingEmbedder())
    analysed_project.decisions.delete(theme.key)
    with pytest.raises(DecisionError):
        other.decisions.confirm(theme.key, sid)
    other.close()


def test_merging_recomputes_the_keywords_over_both_themes(analysed_project):
    project = analysed_project
    a, b = first_theme(project, 2), first_theme(project, 3)
    texts = {e.key: " ".join(r.text.lower() for r in project.review.segments(e.key).rows)
             for e in (a, b)}
    project.decisions.merge(a.key, b.key)
    merged = project.review.entry(b.key)
    assert len(merged.keywords) == len(b.keywords) and merged.keywords != b.keywords
    unions = {tuple(dict.fromkeys(first + second))[:len(merged.keywords)]
              for first, second in ((a.keywords, b.keywords), (b.keywords, a.keywords))}
    assert merged.keywords not in unions  # recomputed, not the two lists run together
    assert all(word in texts[a.key] + texts[b.key] for word in merged.keywords)
    assert any(word in texts[a.key] for word in merged.keywords)
    project.undo()
    assert project.review.entry(b.key).keywords == b.keywords


def test_the_example_is_the_starred_else_the_first_quote_never_a_removed_one(analysed_project):
    project = analysed_project
    theme = first_theme(project)
    [record] = [t for t in project.store.themes(project.store.latest_run().id)
                if t.id == theme.theme_id]
    typical = record.exemplar_ids[0]
    ids = [sid for sid in segment_ids(project, theme.key, 5) if sid != typical][:2]
    project.quotes.accept(theme.key, ids)
    key = project.review.resolve_key(theme.key)
    first, second = project.quotes.of(key)

    def shown() -> tuple[str, str]:
        entry = next(e for e in project.review.entries() if e.key == key)
        assert project.review.entry(key).exemplar == entry.exemplar
        return entry.exemplar, entry.exemplar_speaker

    def beginning(quote) -> tuple[str, str]:  # the overview shortens long quotes
        text = " ".join(quote.text.split())
        return text[:len(shown()[0]) - 1], quote.speaker_name

    assert (shown()[0][:-1], shown()[1]) == beginning(first)
    project.quotes.star(second.id)
    assert (shown()[0][:-1], shown()[1]) == beginning(second)
    project.quotes.remove(second.id)
    project.quotes.remove(first.id)
    assert shown()[0] == theme.exemplar  # no quote left: the analysis' most typical segment
    project.quotes.accept(key, [typical])
    project.quotes.remove(project.quotes.of(key)[0].id)
    assert shown()[0] and shown()[0] != theme.exemplar  # removed as a quote: not the example


def test_suggestions_after_picks_hear_other_roles_and_speakers(analysed_project):
    project = analysed_project
    for theme in [e for e in project.review.entries() if not e.is_queue][:6]:
        key, picked = theme.key, []
        for _ in range(4):  # accept the top suggestion each time, as 'a a a a' does
            top = project.quotes.suggest(key, n=5)[0].segment
            assert top.segment_id not in {q.segment_id for q in picked}
            project.quotes.accept(key, [top.segment_id])
            key = project.review.resolve_key(key)
            picked = project.quotes.of(key)
        roles = [q.role for q in picked]
        assert len(set(roles[:2])) == 2, (theme.label, roles)  # every theme has 2+ roles
        assert len({q.speaker_name for q in picked}) == 4, (theme.label, picked)
