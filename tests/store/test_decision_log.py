"""The append-only decision log: record, undo, redo, conflicts; codings derived from it."""

from __future__ import annotations

import pytest

from focuscode.domain import Code, Coding, CodingStatus, DecisionError, StoreError
from focuscode.store import DecisionLog, ProjectStore

CODER = "rita"


def coding(segment_id: int, code_id: int, before, after, coder: str = CODER) -> dict:
    return {"kind": "coding", "segment_id": segment_id, "code_id": code_id, "coder": coder,
            "before": before, "after": after}


@pytest.fixture
def log(tiny_store) -> DecisionLog:
    return DecisionLog(tiny_store.db)


@pytest.fixture
def code_id(log) -> int:
    return log.create_code(Code(id=None, name="Access to care"), coder=CODER)


def state(log: DecisionLog) -> list[tuple[int, int, str]]:
    return [(c.segment_id, c.code_id, c.status.value) for c in log.codings()]


def n_decisions(log: DecisionLog) -> int:
    return log.db.query("SELECT COUNT(*) FROM decisions")[0][0]


def test_record_applies_changes_and_appends_the_decision(log, code_id):
    decision_id = log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER,
                             summary="confirmed segment 2")
    assert log.codings() == [Coding(segment_id=2, code_id=code_id,
                                    status=CodingStatus.CONFIRMED, coder=CODER,
                                    decision_id=decision_id)]
    decision = log.decision(decision_id)
    assert (decision.action, decision.coder, decision.undoes) == ("confirm", CODER, None)
    assert decision.payload == {"summary": "confirmed segment 2",
                                "changes": [coding(2, code_id, None, "confirmed")]}


@pytest.mark.parametrize("statement", ["UPDATE decisions SET coder = 'mallory'",
                                       "DELETE FROM decisions"])
def test_decisions_table_is_append_only(log, code_id, statement):
    log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER)
    before = [tuple(row) for row in log.db.query("SELECT * FROM decisions")]
    with pytest.raises(StoreError, match="the decision log is append-only"):
        with log.db.atomic() as db:
            db.execute(statement)
    assert [tuple(row) for row in log.db.query("SELECT * FROM decisions")] == before


def test_undo_and_redo_walk_the_history(log, code_id):
    log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER)
    log.record("reject", [coding(4, code_id, None, "rejected")], coder=CODER)
    both = [(2, code_id, "confirmed"), (4, code_id, "rejected")]
    assert state(log) == both

    assert log.undo(coder=CODER) is not None
    assert state(log) == [(2, code_id, "confirmed")]
    assert log.undo(coder=CODER) is not None
    assert state(log) == []
    log.undo(coder=CODER)  # undoes the code's creation
    assert log.codes() == []
    assert (log.undo(coder=CODER), log.can_undo(CODER)) == (None, False)

    log.redo(coder=CODER)
    assert [c.name for c in log.codes()] == ["Access to care"]
    log.redo(coder=CODER)
    assert state(log) == [(2, code_id, "confirmed")]
    log.redo(coder=CODER)
    assert state(log) == both
    assert (log.redo(coder=CODER), log.can_redo(CODER)) == (None, False)
    assert [d.action for d in reversed(log.history())] == [
        "create_code", "confirm", "reject", "undo", "undo", "undo", "redo", "redo", "redo"]


def test_undo_records_what_it_undoes(log, code_id):
    first = log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER,
                       summary="confirmed segment 2")
    undo_id = log.undo(coder=CODER)
    undo = log.decision(undo_id)
    assert (undo.action, undo.coder, undo.undoes) == ("undo", CODER, first)
    assert undo.payload["changes"] == [coding(2, code_id, "confirmed", None)]
    assert undo.payload["summary"] == "undo: confirmed segment 2"


def test_each_coder_undoes_and_redoes_their_own_decisions(log, code_id):
    """sam's undo walks sam's decisions only, even when rita decided last."""
    log.record("confirm", [coding(2, code_id, None, "confirmed", "sam")], coder="sam")
    rita = log.record("confirm", [coding(3, code_id, None, "confirmed")], coder=CODER)
    undo = log.decision(log.undo(coder="sam"))
    assert (undo.coder, undo.payload["changes"]) == ("sam", [coding(2, code_id, "confirmed", None,
                                                                     "sam")])
    assert state(log) == [(3, code_id, "confirmed")]  # rita's decision untouched
    assert log.can_undo("sam") is False and log.undo(coder="sam") is None
    assert log.can_redo(CODER) is False  # sam's undo is not rita's to redo
    log.redo(coder="sam")
    assert sorted(state(log)) == [(2, code_id, "confirmed"), (3, code_id, "confirmed")]
    assert log.decision(log.undo(coder=CODER)).undoes == rita


def test_an_undo_another_coder_built_on_is_refused_in_one_line(log):
    """rita created the code; sam has since confirmed a segment for it: her undo would take
    the code from under his decision, so it is refused, naming him (not in blind mode)."""
    code = log.create_code(Code(id=None, name="Trust"), coder=CODER)
    log.record("confirm", [coding(2, code, None, "confirmed", "sam")], coder="sam")
    count = n_decisions(log)
    with pytest.raises(DecisionError) as refused:
        log.undo(coder=CODER)
    assert str(refused.value) == ("cannot undo 'created code 'Trust'': sam has since made a "
                                  "decision that builds on it (ask them to undo theirs first)")
    with pytest.raises(DecisionError) as blind:
        log.undo(coder=CODER, reveal=False)
    assert "sam" not in str(blind.value) and "another coder" in str(blind.value)
    assert (n_decisions(log), [c.name for c in log.codes()]) == (count, ["Trust"])
    log.undo(coder="sam")  # once sam's decision is undone, nothing builds on rita's
    assert log.undo(coder=CODER) is not None and log.codes() == []


def test_independent_decisions_of_two_coders_do_not_block_each_other(log, code_id):
    log.record("confirm", [coding(2, code_id, None, "confirmed", "sam")], coder="sam")
    log.record("confirm", [coding(2, code_id, None, "rejected")], coder=CODER)
    log.record("rename", [{"kind": "code", "code_id": code_id, "field": "name",
                           "before": "Access to care", "after": "Access"}], coder="sam")
    assert log.undo(coder=CODER) is not None  # rita's coding is hers alone
    with pytest.raises(DecisionError, match="sam has since"):  # the code sam renamed
        log.undo(coder=CODER)


def test_new_decision_clears_redo(log, code_id):
    log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER)
    log.undo(coder=CODER)
    assert log.can_redo(CODER)
    log.record("reject", [coding(4, code_id, None, "rejected")], coder=CODER)
    assert (log.can_redo(CODER), log.redo(coder=CODER)) == (False, None)
    assert state(log) == [(4, code_id, "rejected")]


def test_undo_works_across_reopening_the_database(tiny_db_path):
    path = tiny_db_path
    store = ProjectStore(path)
    log = DecisionLog(store.db)
    code_id = log.create_code(Code(id=None, name="Access to care"), coder=CODER)
    log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER)
    store.close()

    store = ProjectStore(path)
    log = DecisionLog(store.db)
    assert state(log) == [(2, code_id, "confirmed")]
    log.undo(coder=CODER)
    assert state(log) == []
    store.close()

    store = ProjectStore(path)
    log = DecisionLog(store.db)
    assert log.can_redo(CODER)
    log.redo(coder=CODER)
    assert state(log) == [(2, code_id, "confirmed")]
    store.close()


def test_stale_before_is_a_conflict_and_writes_nothing(log, code_id):
    log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER)
    count = n_decisions(log)
    with pytest.raises(DecisionError, match="the project changed since this was shown"):
        # Another window still believes segment 2 is undecided.
        log.record("reject", [coding(5, code_id, None, "rejected"),
                              coding(2, code_id, None, "rejected")], coder=CODER)
    assert state(log) == [(2, code_id, "confirmed")]  # segment 5 not written either
    assert n_decisions(log) == count


def test_undo_conflicting_with_a_newer_change_is_refused(log, code_id):
    log.record("confirm", [coding(2, code_id, None, "confirmed")], coder=CODER)
    # A second process changes the coding behind this log's back.
    with log.db.atomic() as db:
        db.execute("UPDATE codings SET status = 'rejected'")
    with pytest.raises(DecisionError):
        log.undo(coder=CODER)
    assert state(log) == [(2, code_id, "rejected")]


def test_codings_are_per_coder(log, code_id):
    log.record("confirm", [coding(2, code_id, None, "confirmed", coder="rita")], coder="rita")
    log.record("reject", [coding(2, code_id, None, "rejected", coder="sam")], coder="sam")
    assert [(c.coder, c.status.value) for c in log.codings(code_id=code_id)] == [
        ("rita", "confirmed"), ("sam", "rejected")]
    assert [c.coder for c in log.codings(coder="sam")] == ["sam"]
    assert log.coding_status(2, code_id, "rita") == "confirmed"


def test_create_code_is_born_deleted_and_accepted_by_a_decision(log):
    code_id = log.create_code(Code(id=None, name="Trust", definition="Believing the doctor",
                                   examples=("I trust her",)), coder=CODER)
    assert log.codes() == [Code(id=code_id, name="Trust", definition="Believing the doctor",
                                examples=("I trust her",), status="accepted")]
    decision = log.history(limit=1)[0]
    assert decision.payload["changes"] == [{"kind": "code", "code_id": code_id,
                                            "field": "status", "before": "deleted",
                                            "after": "accepted"}]
    log.undo(coder=CODER)
    assert log.codes() == []
    assert log.code(code_id).status == "deleted"


@pytest.mark.parametrize("changes", [
    [],
    [{"kind": "vote", "before": None, "after": 1}],
    [{"kind": "code", "code_id": 1, "field": "id; DROP TABLE codes", "before": 1, "after": 2}],
    [{"kind": "theme_link", "theme_id": 999, "before": None, "after": 1}],
], ids=["empty", "unknown-kind", "bad-field", "unknown-theme"])
def test_invalid_decisions_are_refused_and_write_nothing(log, code_id, changes):
    count = n_decisions(log)
    with pytest.raises(DecisionError):
        log.record("edit", changes, coder=CODER)
    assert n_decisions(log) == count


def test_unknown_decision_and_code(log):
    with pytest.raises(DecisionError, match="no decision 42"):
        log.decision(42)
    with pytest.raises(DecisionError, match="no code 42"):
        log.code(42)
