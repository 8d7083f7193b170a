"""Suggestion runs and suggestions in the store; the 0003 migration upgrades an older project."""

from __future__ import annotations

import pytest

from focuscode.domain import Code
from focuscode.domain.suggestions import Suggestion
from focuscode.store import Database, DecisionLog
from focuscode.store.suggestion_store import SuggestionStore

MIGRATION = "0003_code_suggestions"


def test_migration_upgrades_a_project_made_before_it(store_before):
    path, segments = store_before(MIGRATION)
    n_segments = len(segments)
    db = Database(path)
    assert MIGRATION in db.migrate()
    tables = {r[0] for r in db.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"suggestion_runs", "code_suggestions"} <= tables
    assert db.query("SELECT COUNT(*) FROM segments")[0][0] == n_segments
    db.close()


def _suggestion(segment_id: int, code_id: int, rank: int, suggested: bool) -> Suggestion:
    return Suggestion(segment_id=segment_id, code_id=code_id, code_name="", score=2.0 - rank,
                      similarity=0.5, rank=rank, suggested=suggested, evidence="an example",
                      evidence_kind="example")


@pytest.fixture
def with_run(tiny_store):
    log = DecisionLog(tiny_store.db)
    code_id = log.create_code(Code(id=None, name="Trust", source="codebook"), coder="A")
    other = log.create_code(Code(id=None, name="Time", source="codebook"), coder="A")
    ids = [s.id for s in tiny_store.segments(included_only=True)][:3]
    store = SuggestionStore(tiny_store.db)
    run_id = store.save_run(
        model_id="m", model_version="focuscode 0", params={"max_codes": 3}, threshold=1.0,
        calibration="the default", confirmed_by=[], codebook_sha256="x", n_segments=3,
        n_codes=2, seconds=0.1,
        suggestions=[_suggestion(ids[0], code_id, 1, True), _suggestion(ids[0], other, 2, False),
                     _suggestion(ids[1], code_id, 1, True), _suggestion(ids[2], other, 1, True)])
    return tiny_store, log, store, run_id, ids, code_id


def test_run_keeps_provenance_and_suggestions(with_run) -> None:
    _, _, store, run_id, ids, code_id = with_run
    run = store.latest_run()
    assert (run.id, run.model_id, run.model_version, run.threshold, run.n_suggested,
            run.coder) == (run_id, "m", "focuscode 0", 1.0, 3, "model:m")
    suggested = store.suggestions(run_id)
    assert [(s.segment_id, s.code_name, s.rank) for s in suggested] == [
        (ids[0], "Trust", 1), (ids[1], "Trust", 1), (ids[2], "Time", 1)]
    assert len(store.suggestions(run_id, suggested_only=False)) == 4
    assert [s.segment_id for s in store.suggestions(run_id, code_id=code_id)] == ids[:2]


def test_pending_leaves_out_the_coders_decisions_and_shows_others_unless_blind(with_run):
    _, log, store, run_id, ids, code_id = with_run
    log.record("confirm", [{"kind": "coding", "segment_id": ids[0], "code_id": code_id,
                            "coder": "A", "before": None, "after": "confirmed"}], coder="A")
    rows, total = store.pending(run_id, "A", blind=False)
    assert (total, [r.suggestion.segment_id for r in rows]) == (2, [ids[1], ids[2]])
    rows, total = store.pending(run_id, "B", blind=False)
    assert total == 3 and rows[0].others == (("A", "confirmed"),)
    rows, _ = store.pending(run_id, "B", blind=True)
    assert rows[0].others == ()


def test_blind_coders_see_only_runs_made_without_others_decisions(with_run) -> None:
    _, _, store, run_id, _, _ = with_run
    later = store.save_run(model_id="m", model_version="v", params={}, threshold=1.0,
                           calibration="fitted", confirmed_by=["A", "B"], codebook_sha256="x",
                           n_segments=0, n_codes=0, seconds=0.0, suggestions=[])
    assert store.latest_run().id == later
    assert store.latest_run(visible_to="A").id == run_id
