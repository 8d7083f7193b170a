"""Promise 1: a crash or Ctrl-C loses nothing that was acknowledged and leaves no half step.

SIGKILL lands at random points in scripted coding sessions, an analysis loop and the real
``focuscode analyse``; SIGINT in ``focuscode analyse`` and ``focuscode import``. The checks are
``crash_harness.check_project``; ``python -m benchmarks crash --kills 100`` is the long run.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import crash_harness
import pytest
from robust_support import DEMO, KILLS, assert_one_line_error, run_cli

from focuscode.workflows import Project

INTERRUPTED = ("interrupted: decisions made so far are saved; the step in progress was not "
               "applied")


@pytest.mark.model  # every round's real 'focuscode analyse' loads the model
def test_sigkill_at_random_points_loses_no_acknowledged_decision(tmp_path, demo_analysed):
    seed = int(os.environ.get("FOCUSCODE_CRASH_SEED", "7"))
    totals = crash_harness.run(KILLS, tmp_path, demo_analysed, seed=seed, cli_every=KILLS,
                               cli_delay=(1.0, 6.0))
    assert totals["kills"] >= KILLS
    assert totals["cli_kills"] >= 1  # the real 'focuscode analyse' was killed too
    assert totals["acked"] >= totals["rounds"]  # the children did work before dying


def _runs(folder) -> int:
    conn = sqlite3.connect(folder / crash_harness.DB_NAME)
    try:
        return conn.execute("SELECT COUNT(*) FROM analysis_runs").fetchone()[0]
    finally:
        conn.close()


def test_ctrl_c_in_focuscode_analyse_exits_130_with_one_line(tmp_path, demo_real_analysed):
    not_applied = 0
    for attempt, delay in enumerate((0.0, 0.3, 0.8)):  # seconds after it opened the project
        folder = tmp_path / f"proj{attempt}"
        shutil.copytree(demo_real_analysed, folder)
        base, runs = crash_harness.baseline(folder), _runs(folder)
        child = crash_harness.start_cli(tmp_path / f"analyse{attempt}.log", "analyse",
                                        "--project", str(folder), "--seed", str(attempt + 1))
        database = (folder / crash_harness.DB_NAME).resolve()
        crash_harness.wait_for(lambda: crash_harness.has_open(child, database), 60,
                               "focuscode to open the project")
        time.sleep(delay)
        child.signal(signal.SIGINT)
        code = child.wait()
        output = child.output()
        assert "Traceback" not in output, output
        crash_harness.check_project(folder, base, crash_harness.Acks())  # no half run
        if code == 130:
            assert output.rstrip().splitlines()[-1] == INTERRUPTED, output
            not_applied += _runs(folder) == runs
        else:  # the signal came after the run was saved and reported (then Python's own exit)
            assert code in (0, -signal.SIGINT) and "Found" in output, (code, output)
            assert _runs(folder) == runs + 1
    assert not_applied >= 1


def test_ctrl_c_in_focuscode_import_leaves_no_half_imported_transcript(tmp_path, demo_imported):
    reference = crash_harness.baseline(demo_imported).transcripts
    interrupted = 0
    for attempt in range(2):
        folder = tmp_path / f"proj{attempt}"
        Project.init(folder).close()
        base = crash_harness.baseline(folder)
        child = crash_harness.start_cli(tmp_path / f"import{attempt}.log", "import", str(DEMO),
                                        "--project", str(folder))
        if attempt == 0:  # while transcripts are being stored: once the first is in
            conn = sqlite3.connect(folder / crash_harness.DB_NAME, timeout=30)
            crash_harness.wait_for(lambda: not child.alive() or conn.execute(
                "SELECT COUNT(*) FROM transcripts").fetchone()[0] >= 1, 60, "a transcript")
            conn.close()
        else:  # while reading and segmenting: once it has opened the project
            database = (folder / crash_harness.DB_NAME).resolve()
            crash_harness.wait_for(lambda: crash_harness.has_open(child, database), 60,
                                   "focuscode to open the project")
        sent = child.signal(signal.SIGINT)
        code = child.wait()
        output = child.output()
        assert "Traceback" not in output, output
        if code == 130:
            assert sent and output.rstrip().splitlines()[-1] == INTERRUPTED, output
            interrupted += 1
        else:
            assert code == 0, output
        counts = crash_harness.check_project(folder, base, crash_harness.Acks(),
                                             reference=reference)
        # Importing again completes the project: what was stored is skipped, not doubled.
        again = run_cli("import", str(DEMO), "--project", str(folder))
        assert again.returncode == 0, again.stderr
        assert crash_harness.baseline(folder).transcripts == reference
        assert counts["transcripts"] <= len(reference)
    assert interrupted >= 1


def test_interrupted_message_is_one_line_on_a_narrow_pipe(tmp_path, analysed_copy):
    """Errors too: one line even where Rich would wrap at 80 columns."""
    result = run_cli("themes", "--project", str(tmp_path / "no" / "such" / ("deep" * 20)))
    message = assert_one_line_error(result)
    assert "no focuscode project here" in message and len(message) > 80


def _loaded(pid: int, library: str) -> bool:
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux's /proc")
def test_ctrl_c_while_the_commands_are_imported_exits_130_with_one_line():
    """Ctrl-C in the first fraction of a second (Typer, Rich, numpy, pandas being imported).

    The signal is sent the moment numpy's compiled core is mapped into the child: in the middle
    of the commands' imports, whatever the machine's load. (Earlier, during Python's own
    start-up before any focuscode code runs, CPython itself reports the interrupt.)"""
    commands = [crash_harness.cli_command("--help"),
                [sys.executable, "-m", "focuscode", "--help"]]
    for command in commands:
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=crash_harness.child_env(),
                                 preexec_fn=crash_harness.default_sigint)  # noqa: PLW1509
        deadline = time.monotonic() + 60
        while not _loaded(child.pid, "_multiarray_umath") and child.poll() is None:
            assert time.monotonic() < deadline, "numpy never loaded"
            time.sleep(0.001)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
        assert "Traceback" not in err + out, (command, err)
        assert (child.returncode, err.splitlines()) == (130, [INTERRUPTED]), (command, out, err)


def test_ctrl_c_just_after_start_up_never_prints_a_traceback():
    """At later moments the command may have finished: then the help was printed."""
    for delay in (0.3, 0.6):
        child = subprocess.Popen(crash_harness.cli_command("--help"), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True,
                                 env=crash_harness.child_env(),
                                 preexec_fn=crash_harness.default_sigint)  # noqa: PLW1509
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
        assert "Traceback" not in err + out, (delay, err)
        if child.returncode == 130:
            assert err.splitlines() == [INTERRUPTED], (delay, err)
        else:  # it had finished: the help was printed (then Python's own exit, or 0)
            assert child.returncode in (0, -signal.SIGINT) and "Usage" in out, (
                delay, child.returncode, err)


def test_ctrl_c_in_any_import_of_the_commands_is_one_line():
    """Deterministic: KeyboardInterrupt raised by the import of the commands themselves."""
    code = ("import builtins, sys\n"
            "real = builtins.__import__\n"
            "def fake(name, *args, **kwargs):\n"
            "    if name == 'focuscode.cli.app':\n"
            "        raise KeyboardInterrupt\n"
            "    return real(name, *args, **kwargs)\n"
            "builtins.__import__ = fake\n"
            "sys.argv = ['focuscode', 'status']\n"
            "from focuscode.cli import main\n"
            "main()\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=crash_harness.child_env(), timeout=120, check=False)
    assert (result.returncode, result.stderr.splitlines(), result.stdout) == (
        130, [INTERRUPTED], "")
