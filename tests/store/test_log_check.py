"""``DecisionLog.verify``: the log replayed over the state tables, one line per problem."""

from __future__ import annotations

import pytest

from focuscode.domain import Code
from focuscode.store import DecisionLog

CODER = "rita"


@pytest.fixture
def log(tiny_store) -> DecisionLog:
    log = DecisionLog(tiny_store.db)
    code = log.create_code(Code(id=None, name="Access to care"), coder=CODER)
    for segment_id, status in ((2, "confirmed"), (3, "rejected")):
        log.record("decide", [{"kind": "coding", "segment_id": segment_id, "code_id": code,
                               "coder": CODER, "before": None, "after": status}], coder=CODER)
    log.record("rename", [{"kind": "code", "code_id": code, "field": "name",
                           "before": "Access to care", "after": "Access"}], coder=CODER)
    log.undo(coder=CODER)
    log.undo(coder=CODER)
    log.redo(coder=CODER)
    return log


def tamper(log: DecisionLog, statement: str) -> None:
    with log.db.atomic() as db:
        db.execute(statement)


def test_a_consistent_project_has_no_problem(log) -> None:
    assert log.verify() == []


@pytest.mark.parametrize(("statement", "problem"), [
    ("UPDATE codings SET status = 'confirmed' WHERE segment_id = 3",
     "coding of segment 3 with code 1 by rita is 'confirmed', but the decision log says "
     "'rejected'"),
    ("UPDATE codes SET name = 'Acess to care'",
     "code 1's name is 'Acess to care', but the decision log says 'Access to care'"),
    ("INSERT INTO codings VALUES (4, 1, 'rita', 'confirmed', 1, 'now')",
     "coding of segment 4 with code 1 by rita: no decision made it"),
    ("UPDATE codings SET decision_id = 1 WHERE segment_id = 2",
     "coding of segment 2 with code 1 by rita names decision 1, not 2 that made it"),
    ("INSERT INTO codes (name, source, status, created_at) VALUES ('Stray', 'manual', "
     "'accepted', 'now')", "code 2 is in the codebook, but no decision put it there"),
], ids=["status", "field", "unlogged-coding", "wrong-decision", "unlogged-code"])
def test_state_the_log_does_not_explain_is_one_line(log, statement, problem) -> None:
    tamper(log, statement)
    assert log.verify() == [problem]
