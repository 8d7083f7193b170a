"""A scripted researcher (or analysis loop) for the crash and concurrency tests.

    python coding_driver.py PROJECT --mode decisions|analyse [--seed N] [--coder NAME]
                            [--max N] [--pause SECONDS]

Opens the project through ``focuscode.workflows.Project`` (hashing embedder: no model) and
prints, one flushed line each:

- ``READY`` once the project is open;
- ``ACK decision <id> <sha256 of its changes>`` after a decision *returned* (it is committed),
  ``ACK run <id>`` after an analysis returned;
- ``REFUSED <Error>: <message>`` when focuscode refused a step with one of its own errors
  (a conflict with another process, a busy project, a decision that no longer applies);
- ``BUG <traceback>`` for anything else, then exits 3;
- ``DONE`` after ``--max`` steps.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import traceback


def changes_digest(changes: object) -> str:
    return hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()[:16]


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("--mode", choices=("decisions", "analyse"), default="decisions")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--coder", default="rita")
    parser.add_argument("--max", type=int, default=0, help="steps before DONE (0: forever)")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between steps")
    args = parser.parse_args(argv)

    from focuscode.domain import FocuscodeError
    from focuscode.pipeline.embed import HashingEmbedder
    from focuscode.workflows import Project

    rng = random.Random(args.seed)
    project = Project.open(args.project, coder=args.coder, embedder=HashingEmbedder())
    if args.mode == "decisions":
        project.review.entries()  # imports what reading needs (scikit-learn): ~1 s, once
    say("READY")
    steps = 0
    while not args.max or steps < args.max:
        steps += 1
        try:
            if args.mode == "analyse":
                project.configure(random_state=rng.randrange(3))
                report = project.analyse()
                say(f"ACK run {report.run_id}")
            else:
                decision = decide(project, rng)
                if decision is not None:
                    say(f"ACK decision {decision.id} "
                        f"{changes_digest(decision.payload['changes'])}")
        except FocuscodeError as error:
            say(f"REFUSED {type(error).__name__}: {' '.join(str(error).split())}")
        except Exception:  # noqa: BLE001 - the harness reports it as a bug
            say("BUG " + traceback.format_exc().replace("\n", " | "))
            return 3
        if args.pause:
            time.sleep(args.pause)
    say("DONE")
    project.close()
    return 0


OPERATIONS = {"confirm": 24, "reject": 12, "clear": 6, "move": 10, "assign": 6, "accept": 6,
              "rename": 5, "define": 4, "delete": 2, "merge": 2, "split": 1, "undo": 9,
              "redo": 5, "quote": 5, "star": 3, "unquote": 2, "reorder": 3, "legacy": 4}


def decide(project, rng: random.Random):  # noqa: ANN001, ANN201 - Project -> Decision | None
    """One random decision of the kinds the workbench and the CLI make."""
    operation = rng.choices(list(OPERATIONS), weights=list(OPERATIONS.values()))[0]
    if operation == "undo":
        decision_id = project.undo()
        return project.log.decision(decision_id) if decision_id else None
    if operation == "redo":
        decision_id = project.redo()
        return project.log.decision(decision_id) if decision_id else None
    entries = [e for e in project.review.entries() if not e.is_queue]
    if not entries:
        return None
    entry = rng.choice(entries)
    decisions = project.decisions
    if operation == "assign":
        queue = project.review.segments("unassigned", limit=40).rows
        if not queue:
            return None
        ids = [row.segment_id for row in rng.sample(queue, min(len(queue), rng.randint(1, 4)))]
        return decisions.move(ids, entry.key)
    rows = project.review.segments(entry.key, limit=60).rows
    ids = [row.segment_id for row in rng.sample(rows, min(len(rows), rng.choice((1, 1, 2, 8))))]
    if operation in ("confirm", "reject", "clear") and ids:
        return getattr(decisions, operation)(entry.key, ids)
    if operation == "legacy" and ids and entry.theme_ids:  # Project.confirm / reject (spine)
        action = rng.choice((project.confirm, project.reject))
        return project.log.decision(action(ids[0], entry.theme_ids[0]))
    if operation == "move" and ids and len(entries) > 1:
        other = rng.choice([e for e in entries if e.key != entry.key])
        return decisions.move(ids, other.key, from_key=entry.key)
    if operation == "accept":
        return decisions.accept(entry.key, f"code {rng.randrange(10**6)}")
    if operation == "rename":
        return decisions.rename(entry.key, f"renamed {rng.randrange(10**6)}")
    if operation == "define":
        return decisions.define(entry.key, f"definition {rng.randrange(10**6)}")
    if operation == "delete":
        return decisions.delete(entry.key)
    if operation == "merge" and len(entries) > 1:
        other = rng.choice([e for e in entries if e.key != entry.key])
        return decisions.merge(entry.key, other.key)
    if operation == "split" and entry.theme_ids and entry.n_segments >= 8:
        return decisions.split(entry.key, n_themes=2)
    if operation == "quote" and ids:
        return project.quotes.mark(entry.key, ids[0])
    if operation in ("star", "unquote", "reorder"):
        quotes = project.quotes.of(entry.key)
        if quotes:
            quote = rng.choice(quotes)
            if operation == "reorder":
                return project.quotes.move(quote.id, rng.choice((-1, 1)))
            return (project.quotes.star if operation == "star" else project.quotes.remove)(
                quote.id)
    return None


if __name__ == "__main__":
    sys.exit(main())
