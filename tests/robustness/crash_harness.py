"""Kill focuscode at random points and check the project survived (issue 7, promise 1).

Used by ``tests/robustness/test_crash_safety.py`` (a few kills) and ``python -m benchmarks crash
--kills 100`` (many). Children are the scripted researcher ``coding_driver.py`` (decisions, or an
analysis loop) and the real ``focuscode analyse`` command. After every kill the project must:

- open (``Project.open``), pass ``PRAGMA integrity_check`` and ``foreign_key_check``;
- hold every decision a child acknowledged (``ACK``), with the changes it reported, and every
  acknowledged analysis run;
- show, for every coding, code field, theme link/status, membership and quote field, the state
  the decision log derives: replaying the log from the baseline, each change's ``before`` is the
  previous change's ``after`` and the last ``after`` is what the tables hold now;
- hold no half-done step: no code, quote or split theme that no decision brought into being, and
  every analysis run with all its themes and memberships.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
from coding_driver import changes_digest  # noqa: E402

from focuscode.store.log_check import change_key, current_values  # noqa: E402

DRIVER = HERE / "coding_driver.py"
DB_NAME = "focuscode.sqlite"
TALLY = {"kills": 0, "acked": 0}


# children ---------------------------------------------------------------------------------------
def cli_command(*args: str) -> list[str]:
    """The installed ``focuscode`` command beside this interpreter (else ``python -m``)."""
    script = Path(sys.executable).with_name("focuscode")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "focuscode", *args]


def child_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    env.update(PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return env


def default_sigint() -> None:
    """In the child: Ctrl-C as in a terminal, even when the test runs where SIGINT is ignored
    (a background job of a non-interactive shell)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@dataclass
class Child:
    process: subprocess.Popen
    log: Path
    name: str

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def signal(self, number: int) -> bool:
        """Send ``number``; True if the child was still running to receive it."""
        if not self.alive():
            return False
        self.process.send_signal(number)
        return True

    def wait(self, timeout: float = 120) -> int:
        return self.process.wait(timeout=timeout)


def start(command: list[str], log: Path, name: str) -> Child:
    handle = log.open("w", encoding="utf-8")
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, env=child_env(),
                               preexec_fn=default_sigint)
    handle.close()
    return Child(process, log, name)


def start_driver(project: Path, log: Path, *, mode: str = "decisions", seed: int = 0,
                 coder: str = "rita", max_steps: int = 0, pause: float = 0.0) -> Child:
    return start([sys.executable, str(DRIVER), str(project), "--mode", mode, "--seed", str(seed),
                  "--coder", coder, "--max", str(max_steps), "--pause", str(pause)],
                 log, f"{mode} driver ({coder}, seed {seed})")


def start_cli(log: Path, *args: str) -> Child:
    return start(cli_command(*args), log, "focuscode " + " ".join(args[:1]))


def has_open(child: Child, path: Path) -> bool:
    """Whether the child has ``path`` open (it got past its imports to the project), read from
    ``/proc``; where there is no ``/proc``, after a second."""
    proc = Path(f"/proc/{child.process.pid}/fd")
    if not Path("/proc/self/fd").is_dir():
        time.sleep(1.0)
        return True
    try:
        return any(os.readlink(fd) == str(path) for fd in proc.iterdir())
    except OSError:  # it exited, or an fd closed while looking
        return not child.alive()


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


# acknowledgements -------------------------------------------------------------------------------
@dataclass
class Acks:
    decisions: dict[int, str] = field(default_factory=dict)  # id -> digest of its changes
    runs: set[int] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)
    bugs: list[str] = field(default_factory=list)

    def add(self, output: str, *, source: str = "") -> None:
        for line in output.splitlines():
            if line.startswith("ACK decision "):
                _, _, number, digest = line.split()
                self.decisions[int(number)] = digest
            elif line.startswith("ACK run "):
                self.runs.add(int(line.split()[2]))
            elif line.startswith("REFUSED "):
                self.refused.append(line)
            elif line.startswith("BUG ") or "Traceback" in line:
                self.bugs.append(f"{source}: {line}")


# the checks ---------------------------------------------------------------------------------
@dataclass
class Baseline:
    """State before any child ran: the initial value of everything a decision can change."""

    values: dict[tuple, Any]
    max_code_id: int
    max_quote_id: int
    transcripts: dict[str, tuple[str, int, int]]  # name -> (text, n_turns, n_segments)


def connect(folder: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / DB_NAME, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def transcript_shapes(conn: sqlite3.Connection) -> dict[str, tuple[str, int, int]]:
    return {row["name"]: (row["text"], row["n_turns"], row["n_segments"]) for row in conn.execute(
        "SELECT t.name, t.text, (SELECT COUNT(*) FROM turns WHERE transcript_id = t.id) AS "
        "n_turns, (SELECT COUNT(*) FROM segments WHERE transcript_id = t.id) AS n_segments "
        "FROM transcripts t")}


def baseline(folder: Path) -> Baseline:
    conn = connect(folder)
    try:
        assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone()[0] == 0, \
            "the baseline project must have no decisions yet"
        return Baseline(current_values(conn),
                        conn.execute("SELECT COALESCE(MAX(id), 0) FROM codes").fetchone()[0],
                        conn.execute("SELECT COALESCE(MAX(id), 0) FROM quotes").fetchone()[0],
                        transcript_shapes(conn))
    finally:
        conn.close()


def check_project(folder: Path, base: Baseline, acks: Acks, *,
                  reference: dict[str, tuple[str, int, int]] | None = None) -> dict[str, int]:
    """Raise AssertionError naming the first broken promise; return a few counts."""
    from focuscode.pipeline.embed import HashingEmbedder
    from focuscode.workflows import Project

    assert not acks.bugs, "a child hit an error that is not a focuscode error:\n" + \
        "\n".join(acks.bugs)
    with Project.open(folder, embedder=HashingEmbedder()) as project:  # recovers the WAL
        assert project.store.db.integrity_ok(), "PRAGMA integrity_check failed"
        project.review.entries()  # the workbench's first read works
        project.can_undo()
        problems = project.check()  # what 'focuscode status --check' runs
        assert problems == [], "the decision log does not explain the state:\n" + \
            "\n".join(problems)
    conn = connect(folder)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], "dangling references"
        decisions = {row["id"]: (row["action"], json.loads(row["payload"]))
                     for row in conn.execute("SELECT id, action, payload FROM decisions")}
        for decision_id, digest in acks.decisions.items():
            assert decision_id in decisions, f"acknowledged decision {decision_id} was lost"
            assert changes_digest(decisions[decision_id][1]["changes"]) == digest, \
                f"decision {decision_id} holds other changes than were acknowledged"
        runs = {row["id"]: row for row in conn.execute("SELECT * FROM analysis_runs")}
        for run_id in acks.runs:
            assert run_id in runs, f"acknowledged analysis run {run_id} was lost"
        for run_id, run in runs.items():
            n_themes = conn.execute("SELECT COUNT(*) FROM themes WHERE run_id = ? AND "
                                    "parent_id IS NULL", (run_id,)).fetchone()[0]
            n_members = conn.execute("SELECT COUNT(*) FROM theme_members WHERE run_id = ?",
                                     (run_id,)).fetchone()[0]
            assert (n_themes, n_members) == (run["n_themes"], run["n_segments"]), \
                f"analysis run {run_id} is incomplete"
        now = current_values(conn)
        # Replay the log: every change continues its key's chain from the baseline.
        last: dict[tuple, Any] = {}
        last_coding_decision: dict[tuple, int] = {}
        touched_codes, touched_quotes, touched_themes = set(), set(), set()
        pending_themes = {row[0] for row in conn.execute(
            "SELECT id FROM themes WHERE parent_id IS NOT NULL")}
        for decision_id in sorted(decisions):
            for change in decisions[decision_id][1]["changes"]:
                key = change_key(change)
                if key in last:
                    expected = last[key]
                elif key in base.values or key[0] == "coding":
                    expected = base.values.get(key)
                elif key[0] == "code" and key[2] == "status":
                    expected = "deleted"  # codes are born deleted
                elif key[0] == "quote" and key[2] == "status":
                    expected = "removed"  # quotes are born removed
                elif key[0] == "theme_status":
                    expected = "pending" if key[1] in pending_themes else "active"
                else:
                    expected = change["before"]  # born with the row: its value is not known
                assert change["before"] == expected, (
                    f"decision {decision_id} changed {key} from {change['before']!r}, but the log "
                    f"says it was {expected!r} then: a decision's effect was lost or doubled")
                last[key] = change["after"]
                if key[0] == "coding":
                    last_coding_decision[key] = decision_id
                if key[0] == "code":
                    touched_codes.add(key[1])
                if key[0] == "quote":
                    touched_quotes.add(key[1])
                if key[0] == "theme_status":
                    touched_themes.add(key[1])
        for key, value in last.items():
            assert now.get(key) == value, (
                f"{key} is {now.get(key)!r} but the decision log says {value!r}: the current "
                "state does not hold the logged decisions")
        codings = {key for key in now if key[0] == "coding"}
        extra = codings - {key for key, value in last.items() if key[0] == "coding" and
                           value is not None} - set(k for k in base.values if k[0] == "coding")
        assert not extra, f"codings no decision made: {sorted(extra)[:5]}"
        for row in conn.execute("SELECT segment_id, code_id, coder, decision_id FROM codings"):
            key = ("coding", row[0], row[1], row[2])
            if key in last_coding_decision:
                assert row[3] == last_coding_decision[key], f"{key} names the wrong decision"
        orphans = [row[0] for row in conn.execute("SELECT id FROM codes WHERE id > ?",
                                                  (base.max_code_id,))
                   if row[0] not in touched_codes]
        assert not orphans, f"codes no decision brought into being (half a decision): {orphans}"
        orphans = [row[0] for row in conn.execute("SELECT id FROM quotes WHERE id > ?",
                                                  (base.max_quote_id,))
                   if row[0] not in touched_quotes]
        assert not orphans, f"quotes no decision brought into being: {orphans}"
        orphans = sorted(pending_themes - touched_themes)
        assert not orphans, f"split themes no decision brought into being: {orphans}"
        shapes = transcript_shapes(conn)
        for name, shape in shapes.items():
            expected = (reference or base.transcripts).get(name)
            assert expected is None or shape == expected, (
                f"transcript '{name}' is half imported: {shape[1:]} turns and segments, "
                f"not {expected[1:]}")
        unacked = sorted(decisions[i][0] for i in set(decisions) - set(acks.decisions))
        return {"decisions": len(decisions), "runs": len(runs), "transcripts": len(shapes),
                "unacked_actions": unacked}
    finally:
        conn.close()


# the kill loop ----------------------------------------------------------------------------------
SCENARIOS = ("decisions", "two coders", "analysis and decisions", "decisions", "same coder twice")


def kill_round(project: Path, work: Path, rng: random.Random, scenario: str, number: int, *,
               cli_delay: tuple[float, float] = (1.0, 8.0)) -> tuple[int, int, Acks]:
    """Start the scenario's children on ``project``, SIGKILL each at a random point, and return
    how many kills landed (all, and of ``focuscode analyse``) and what the children
    acknowledged."""
    seed = rng.randrange(10**6)
    children: list[Child] = []
    if scenario == "cli analyse":
        children.append(start_cli(work / f"{number}-cli.log", "analyse", "--project",
                                  str(project), "--seed", str(rng.randrange(3)), "--yes"))
        children.append(start_driver(project, work / f"{number}-a.log", seed=seed))
        delays = [rng.uniform(*cli_delay), rng.uniform(0.3, cli_delay[1])]
    else:
        if scenario == "decisions":
            children.append(start_driver(project, work / f"{number}-a.log", seed=seed))
        elif scenario == "two coders":
            children.append(start_driver(project, work / f"{number}-a.log", seed=seed))
            children.append(start_driver(project, work / f"{number}-b.log", seed=seed + 1,
                                         coder="sam"))
        elif scenario == "same coder twice":
            children.append(start_driver(project, work / f"{number}-a.log", seed=seed))
            children.append(start_driver(project, work / f"{number}-b.log", seed=seed + 1))
        elif scenario == "analysis and decisions":
            children.append(start_driver(project, work / f"{number}-r.log", mode="analyse",
                                         seed=seed))
            children.append(start_driver(project, work / f"{number}-a.log", seed=seed + 1))
        else:
            raise ValueError(scenario)
        # Mostly while deciding; sometimes while the child still starts (opens the project).
        early = rng.random() < 0.15
        if not early:
            wait_for(lambda: all("READY" in c.output() or not c.alive() for c in children),
                     60, "the children to open the project")
        # An analysis takes a second or two: its child lives long enough to finish some.
        delays = [rng.uniform(0.0, 0.4) if early else rng.uniform(0.05, 1.5)
                  * (3 if "analyse" in child.name else 1) for child in children]
    started = time.monotonic()
    kills = cli_kills = 0
    for child, delay in sorted(zip(children, delays), key=lambda pair: pair[1]):
        time.sleep(max(0.0, started + delay - time.monotonic()))
        landed = child.signal(signal.SIGKILL)
        kills += landed
        cli_kills += landed and child.name.startswith("focuscode")
    acks = Acks()
    for child in children:
        child.wait()
        acks.add(child.output(), source=child.name)
    return kills, cli_kills, acks


def run(n_kills: int, work: Path, template: Path, *, seed: int = 0, cli_every: int = 0,
        cli_delay: tuple[float, float] = (1.0, 12.0),
        log: Callable[[str], None] = lambda line: None) -> dict[str, Any]:
    """Kill children on a copy of ``template`` until ``n_kills`` kills landed, checking the
    project after every round. Every ``cli_every``-th round (0: never), starting with the first,
    kills the real ``focuscode analyse`` (which loads the model until one run of it completes
    and its embeddings are cached) beside a coding session."""
    rng = random.Random(seed)
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(template, project)
    base = baseline(project)
    totals: dict[str, Any] = {"kills": 0, "rounds": 0, "acked": 0, "refused": 0,
                              "cli_kills": 0, "refusals": Counter()}
    number = 0
    while totals["kills"] < n_kills:
        number += 1
        use_cli = bool(cli_every) and number % cli_every == 1 % cli_every
        scenario = "cli analyse" if use_cli else SCENARIOS[number % len(SCENARIOS)]
        kills, cli_kills, acks = kill_round(project, work, rng, scenario, number,
                                            cli_delay=cli_delay)
        counts = check_project(project, base, acks)
        totals["kills"] += kills
        totals["rounds"] += 1
        totals["acked"] += len(acks.decisions) + len(acks.runs)
        totals["refused"] += len(acks.refused)
        totals["refusals"].update(re.sub(r"\d+|'[^']*'", "#", line.removeprefix("REFUSED "))
                                  for line in acks.refused)
        totals["cli_kills"] += cli_kills
        TALLY["kills"] += kills
        TALLY["acked"] += len(acks.decisions) + len(acks.runs)
        log(f"round {number:3d} {scenario:24s} kills {kills} acked "
            f"{len(acks.decisions):4d} decisions {len(acks.runs)} runs, refused "
            f"{len(acks.refused):3d}; project ok ({counts['decisions']} decisions, "
            f"{counts['runs']} runs)")
        for child_log in work.glob(f"{number}-*.log"):
            child_log.unlink()
    return totals
