"""Crash safety at length: SIGKILL focuscode many times and check the project after every kill.

``python -m benchmarks crash --kills 100`` runs the harness of ``tests/robustness/`` (the default
test suite runs it with ~10 kills): scripted coding sessions (one coder, two coders, the same
coder in two processes), an analysis loop beside a coding session, and every ``--cli-every``-th
round the real ``focuscode analyse`` command (the model included) beside a coding session. After
each kill the project must open, pass ``PRAGMA integrity_check``, hold every acknowledged decision
and run, and show exactly the state its decision log derives (see ``crash_harness``).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ROBUSTNESS = REPO / "tests" / "robustness"


def run(kills: int, seed: int = 0, cli_every: int = 10) -> int:
    sys.path.insert(0, str(ROBUSTNESS))
    import crash_harness

    from focuscode.pipeline.embed import HashingEmbedder
    from focuscode.workflows import Project

    clock = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="focuscode-crash-") as folder:
        work = Path(folder)
        imported = work / "imported"
        with Project.init(imported, embedder=HashingEmbedder()) as project:
            project.import_files([REPO / "transcripts"])
        analysed = work / "analysed"
        shutil.copytree(imported, analysed)
        with Project.open(analysed, embedder=HashingEmbedder()) as project:
            project.analyse()
        print(f"crash benchmark: {kills} kills, seed {seed}, the real 'focuscode analyse' "
              f"every {cli_every} rounds" if cli_every else "", flush=True)
        totals = crash_harness.run(kills, work, analysed, seed=seed, cli_every=cli_every,
                                   log=lambda line: print(line, flush=True))
    print(f"\n{totals['kills']} kills survived in {totals['rounds']} rounds "
          f"({totals['cli_kills']} of 'focuscode analyse'), {totals['acked']} acknowledged "
          f"decisions and runs all found, {totals['refused']} steps refused with a clear "
          f"message, {time.perf_counter() - clock:.0f} s")
    print("refusals (a step another process had made moot, or that did not apply):")
    for kind, n in totals["refusals"].most_common():
        print(f"  {n:5d}  {kind}")
    return 0
