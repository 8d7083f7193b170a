"""Promise 2: two processes on one project corrupt nothing and lose no decision; where one must
wait it waits (SQLite's busy timeout), and where it cannot it says so in one line."""

from __future__ import annotations

import subprocess
import sys
import time

import crash_harness
import pytest
from robust_support import assert_one_line_error, run_cli

from focuscode.domain import DecisionError, StoreError
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.store import database
from focuscode.workflows import Project

CLEAR_REFUSALS = ("DecisionError:", "StoreError:")


def check_refusals(acks: crash_harness.Acks) -> None:
    for line in acks.refused:
        kind, _, message = line.removeprefix("REFUSED ").partition(" ")
        assert kind in CLEAR_REFUSALS and message.strip(), line


@pytest.mark.parametrize("coders", [("rita", "rita"), ("rita", "sam")],
                         ids=["same coder", "two coders"])
def test_two_decision_loops_lose_nothing(tmp_path, analysed_copy, coders):
    base = crash_harness.baseline(analysed_copy)
    children = [crash_harness.start_driver(analysed_copy, tmp_path / f"{n}.log", seed=n,
                                           coder=coder, max_steps=120)
                for n, coder in enumerate(coders)]
    acks = crash_harness.Acks()
    for child in children:
        assert child.wait() == 0, child.output()[-2000:]
        acks.add(child.output(), source=child.name)
    check_refusals(acks)
    counts = crash_harness.check_project(analysed_copy, base, acks)
    assert len(acks.decisions) > 100
    # Every decision in the log was acknowledged, but for the theme acceptance that
    # Project.confirm/reject record first, in the same transaction, as a decision of its own.
    assert set(counts["unacked_actions"]) <= {"create_code"}


def test_decisions_go_on_while_focuscode_analyse_runs(tmp_path, real_analysed_copy):
    base = crash_harness.baseline(real_analysed_copy)
    driver = crash_harness.start_driver(real_analysed_copy, tmp_path / "driver.log", seed=5,
                                        pause=0.005)
    crash_harness.wait_for(lambda: "READY" in driver.output(), 60, "the coding session")
    before = driver.output().count("ACK")
    result = run_cli("analyse", "--project", str(real_analysed_copy), "--seed", "4", "--yes")
    during = driver.output().count("ACK") - before
    driver.signal(9)
    driver.wait()
    assert result.returncode == 0, result.stderr
    acks = crash_harness.Acks()
    acks.add(driver.output(), source=driver.name)
    check_refusals(acks)
    counts = crash_harness.check_project(real_analysed_copy, base, acks)
    assert counts["runs"] == 3  # hashing, the fixture's real run, and this one
    assert during > 10  # the coder was not locked out while the analysis ran


def test_conflicting_decisions_from_two_windows(analysed_copy):
    """Two windows (Project instances) show segment S undecided; one confirms it, then the
    other's decision, made on what it showed, is refused: nothing is silently overwritten."""
    first = Project.open(analysed_copy, coder="rita", embedder=HashingEmbedder())
    second = Project.open(analysed_copy, coder="rita", embedder=HashingEmbedder())
    entry = next(e for e in first.review.entries() if not e.is_queue)
    segment = first.review.segments(entry.key).rows[0].segment_id
    first.decisions.accept(entry.key)
    code_id = first.review.entry(entry.key).code_id
    shown = second.log.coding_status(segment, code_id, "rita")  # what the second window shows
    assert shown is None
    decided = first.decisions.confirm(entry.key, segment)
    n_decisions = len(second.log.history())
    with pytest.raises(DecisionError, match="the project changed since this was shown"):
        second.log.record("reject", [{"kind": "coding", "segment_id": segment,
                                      "code_id": code_id, "coder": "rita", "before": shown,
                                      "after": "rejected"}], coder="rita")
    assert second.log.coding_status(segment, code_id, "rita") == "confirmed"
    assert [d.id for d in second.log.history()][:1] == [decided.id]
    assert len(second.log.history()) == n_decisions
    first.close()
    second.close()


def hold_write_lock(folder, seconds: float) -> subprocess.Popen:
    """Another process in the middle of a long write (``BEGIN IMMEDIATE`` held)."""
    script = ("import sqlite3, sys, time\n"
              "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
              "conn.execute('BEGIN IMMEDIATE')\n"
              "conn.execute(\"INSERT INTO settings VALUES ('lock', '1') ON CONFLICT DO NOTHING\")\n"
              "print('LOCKED', flush=True)\n"
              "time.sleep(float(sys.argv[2]))\n"
              "conn.execute('COMMIT')\n")
    holder = subprocess.Popen([sys.executable, "-c", script, str(folder / "focuscode.sqlite"),
                               str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "LOCKED"
    return holder


def test_a_decision_waits_for_another_writer(analysed_copy):
    project = Project.open(analysed_copy, coder="rita", embedder=HashingEmbedder())
    entry = next(e for e in project.review.entries() if not e.is_queue)
    segment = project.review.segments(entry.key).rows[0].segment_id
    holder = hold_write_lock(analysed_copy, 1.0)
    clock = time.monotonic()
    decision = project.decisions.confirm(entry.key, segment)  # waits, then goes through
    assert time.monotonic() - clock > 0.5
    assert holder.wait() == 0
    assert project.log.decision(decision.id).action == "confirm"
    project.close()


def test_a_writer_held_past_the_busy_timeout_is_a_one_line_refusal(analysed_copy, monkeypatch,
                                                                    capsys):
    from focuscode.cli.app import main

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 300)
    holder = hold_write_lock(analysed_copy, 3.0)
    project = Project.open(analysed_copy, coder="rita", embedder=HashingEmbedder())
    entry = next(e for e in project.review.entries() if not e.is_queue)
    with pytest.raises(StoreError, match="the project is busy: another focuscode process is "
                                         "writing to it"):
        project.decisions.accept(entry.key)
    assert project.log.history() == []
    project.close()
    monkeypatch.setattr(sys, "argv", ["focuscode", "analyse", "--project", str(analysed_copy)])
    with pytest.raises(SystemExit) as exited:
        main()
    holder.wait()
    err = capsys.readouterr().err
    result = subprocess.CompletedProcess([], exited.value.code, "", err)
    assert "the project is busy" in assert_one_line_error(result)
