"""How fast the review workbench is on a large project (issue 3's targets).

Builds a synthetic project of 100,000 segments directly through the store (no model: random
words, one analysis run with 50 themes and a fifth of the segments unassigned), then measures
with Textual's headless driver:

- open: from ``Project.open`` to the themes list shown (target < 2 s);
- keypress to committed decision: ``y`` on a theme's segments and ``1`` in the unassigned
  queue, timed until the decision is readable from a second connection (target p95 < 50 ms);
- the same decisions through the workflows alone, for comparison.

Run: ``python benchmarks/tui_latency.py [--segments 100000] [--confirms 200] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from focuscode.domain import ParsedTranscript, Segment, Speaker, Turn  # noqa: E402
from focuscode.store import ProjectStore, ThemeRecord, utc_now  # noqa: E402
from focuscode.workflows import DB_NAME, Project  # noqa: E402

WORDS = ("care pharmacy insurance nurse appointment trust data trial drug cost doctor waiting "
         "minutes kitchen app community portal referral scan diagnosis treatment side effects "
         "dose refill coordinator specialist family work sleep pain fatigue diet exercise school "
         "question answer time money letter phone call email support group online forum").split()
ROLES = ("patient", "physician", "caregiver")
N_THEMES = 50
UNASSIGNED_SHARE = 0.2


def build(folder: Path, n_segments: int, *, seed: int = 0, per_transcript: int = 1000) -> None:
    """A project of ``n_segments`` one-turn segments with one analysis run over them."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    store = ProjectStore(folder / DB_NAME, create=True)
    speakers = [Speaker(label=f"S{i:02d}", role=ROLES[i % 3], pseudonym=f"{ROLES[i % 3]} {i}")
                for i in range(30)] + [Speaker(label="Moderator", role="moderator")]
    for t in range(-(-n_segments // per_transcript)):
        count = min(per_transcript, n_segments - t * per_transcript)
        text, turns, segments = [], [], []
        offset = 0
        for i in range(count):
            who = speakers[rng.randrange(30)] if i % 10 else speakers[-1]
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize()
            line = f"{who.label}: {words}."
            start = offset + len(who.label) + 2
            end = offset + len(line)
            turns.append(Turn(index=i, speaker=who.label, start=start, end=end,
                              text=line[len(who.label) + 2:], start_time=float(i * 12)))
            segments.append(Segment(turn_index=i, index=i, start=start, end=end,
                                    text=line[len(who.label) + 2:]))
            text.append(line)
            offset = end + 1
        parsed = ParsedTranscript(name=f"session{t:03d}.txt", source_path=f"session{t:03d}.txt",
                                  format="txt", text="\n".join(text), turns=tuple(turns),
                                  source_sha256=f"{t:064x}")
        store.add_transcript(parsed, {"site": f"site {t % 5}"}, speakers, segments)
    ids = [s.id for s in store.segments()]
    themes = [ThemeRecord(number=k, label=" / ".join(rng.sample(WORDS, 3)),
                          keywords=tuple(rng.sample(WORDS, 8)), exemplar_rows=(k,), size=0)
              for k in range(N_THEMES)]
    labels = [-1 if rng.random() < UNASSIGNED_SHARE else min(int(rng.expovariate(1 / 12)),
                                                             N_THEMES - 1) for _ in ids]
    nearest = [[(k, 0.6 - 0.05 * j) for j, k in enumerate(rng.sample(range(N_THEMES), 3))]
               for _ in ids]
    store.save_run(started_at=utc_now(), model_id="synthetic", params={}, random_state=seed,
                   versions={}, input_sha256="synthetic", segment_ids=ids, themes=themes,
                   labels=labels, probabilities=[0.5] * len(ids), nearest=nearest, seconds=0.0)
    store.close()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class DecisionCounter:
    """Counts decisions through a second connection: what another process would see."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)

    def __call__(self) -> int:
        return self.conn.execute("SELECT MAX(id) FROM decisions").fetchone()[0] or 0


async def measure(folder: Path, n_confirms: int, n_assigns: int) -> dict[str, list[float]]:
    from focuscode.tui import make_app
    from focuscode.tui.queue_screen import QueueScreen
    from focuscode.tui.review_screen import ReviewScreen

    results: dict[str, list[float]] = {}
    n_decisions = DecisionCounter(folder / DB_NAME)
    clock = time.perf_counter()
    project = Project.open(folder, coder=f"bench-{time.time_ns()}")  # a coder with no decisions
    app = make_app(project)
    async with app.run_test(size=(120, 40)) as pilot:
        while not getattr(app.screen, "table", None) or not app.screen.table.entries:
            await pilot.pause(0.005)
        results["open: Project.open to the themes list shown"] = [time.perf_counter() - clock]

        async def decide(key: str, label: str, n: int) -> None:
            """The key is sent as the terminal driver would; the clock stops when the decision
            is readable from a second connection, not when the screen has been redrawn."""
            latencies, redraws = [], []
            for _ in range(n):
                before = n_decisions()
                start = time.perf_counter()
                press = asyncio.create_task(pilot.press(key))
                while n_decisions() == before:
                    if time.perf_counter() - start > 5:
                        raise RuntimeError(f"pressing {key!r} made no decision")
                    await asyncio.sleep(0)
                latencies.append(time.perf_counter() - start)
                await press
                redraws.append(time.perf_counter() - start)
            results[label] = latencies
            results[f"  {key}: until Pilot saw the app idle again (redrawn)"] = redraws

        clock = time.perf_counter()
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen) or not app.screen.table.segments:
            await pilot.pause(0.005)
        results["open the largest theme"] = [time.perf_counter() - clock]
        total = app.screen.table.total
        idle = []
        for _ in range(20):
            start = time.perf_counter()
            await pilot.press("j")
            idle.append(time.perf_counter() - start)
        await pilot.press("home")
        results["  j (moves, decides nothing): until Pilot saw the app idle"] = idle
        await decide("y", f"keypress y to committed confirm (theme of {total})", n_confirms)
        await pilot.press("escape", "end")
        clock = time.perf_counter()
        await pilot.press("enter")
        while not isinstance(app.screen, QueueScreen) or not app.screen.table.segments:
            await pilot.pause(0.005)
        results["open the unassigned queue"] = [time.perf_counter() - clock]
        total = app.screen.table.total
        await decide("1", f"keypress 1 to committed assign (queue of {total})", n_assigns)
        clock = time.perf_counter()
        await pilot.press("u")
        results["keypress u to undone (and the screen re-read)"] = [time.perf_counter() - clock]
    # the same decisions without the interface, for comparison
    entry = project.review.entries()[1]
    rows = project.review.segments(entry.key, limit=n_confirms).rows
    latencies = []
    for row in rows:
        start = time.perf_counter()
        project.decisions.confirm(entry.key, row.segment_id)
        latencies.append(time.perf_counter() - start)
    results["workflow only: decisions.confirm"] = latencies
    start = time.perf_counter()
    project.review.entries()
    results["workflow only: review.entries()"] = [time.perf_counter() - start]
    project.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--confirms", type=int, default=200)
    parser.add_argument("--assigns", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the project in this folder")
    args = parser.parse_args(argv)
    console = Console()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch) / "project"
        if not (folder / DB_NAME).exists():
            clock = time.perf_counter()
            build(folder, args.segments)
            seconds = time.perf_counter() - clock
            console.print(f"Built {args.segments:,} segments in {seconds:.1f} s")
        else:
            Project.open(folder).close()  # apply any new migration outside the measurement
        results = asyncio.run(measure(folder, args.confirms, args.assigns))
    table = Table(title=f"Review workbench, {args.segments:,} segments")
    for column in ("measure", "n", "p50 ms", "p95 ms", "max ms", "target"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for label, values in results.items():
        ms = [v * 1000 for v in values]
        target = "< 2000" if label.startswith("open:") else \
            "p95 < 50" if label.startswith("keypress") and "undone" not in label else ""
        table.add_row(label, str(len(ms)), f"{statistics.median(ms):.1f}",
                      f"{percentile(ms, 95):.1f}", f"{max(ms):.1f}", target)
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
