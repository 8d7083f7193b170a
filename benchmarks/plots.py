"""``focuscode export plots`` on the demo: a baseline commit's code beside this tree's, in one
sitting (issue 15: plots in a quarter of the time).

The demo (``transcripts/`` and ``codebooks/starter_codebook.yaml``) is imported, analysed with the
deterministic ``HashingEmbedder`` (no model) and given the codebook's suggestions once, by the
baseline's code, since an older focuscode cannot open a newer project; this tree's code opens a
copy of it once first (its schema upgrade, not timed). The baseline's ``focuscode/`` comes from
``git archive REV`` into a temporary folder. Each repetition then runs the command once per side
in a rotated order, each a fresh process (``python -m focuscode export plots``, as a researcher
runs it: start-up and imports included), and the wall times are reported as median and min-max
with the load average before and after (the machine is shared: a load above about 0.5 makes the
figures slower and their spread wider).
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "5657939"  # the code before issue 15's plot work
BUILD = """
import sys
from pathlib import Path
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project
folder, demo = Path(sys.argv[1]), Path(sys.argv[2])
with Project.init(folder, embedder=HashingEmbedder()) as project:
    project.import_files([demo / "transcripts"])
    project.analyse()
    project.codebook.import_file(demo / "codebooks" / "starter_codebook.yaml")
    project.suggestions.run()
"""
UPGRADE = """
import sys
from focuscode.workflows import Project
Project.open(sys.argv[1]).close()
"""


def extract(rev: str, folder: Path) -> Path:
    """``rev``'s ``focuscode/`` package under ``folder`` (returned): an importable root."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev,
                              "focuscode"], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def _python(root: Path, *args: str) -> subprocess.CompletedProcess:
    """This interpreter with ``root``'s focuscode first on the path (run from ``root``: ``-m``
    and ``-c`` put the working folder before PYTHONPATH)."""
    env = {**os.environ, "PYTHONPATH": str(root), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, *args], cwd=root, env=env, check=True,
                          capture_output=True, text=True)


def time_export(root: Path, project: Path, out: Path) -> float:
    start = time.perf_counter()
    _python(root, "-m", "focuscode", "export", "plots", "--to", str(out), "--project",
            str(project))
    return time.perf_counter() - start


def summary(seconds: list[float]) -> str:
    return (f"{statistics.median(seconds):.2f} s (min {min(seconds):.2f}, max "
            f"{max(seconds):.2f}, n={len(seconds)})")


def run(repeats: int = 5, baseline: str = BASELINE, keep: Path | None = None) -> dict:
    """Times both sides; ``keep``: a folder to leave each side's plots in (``base/``, ``this/``),
to look at."""
    with tempfile.TemporaryDirectory(prefix="focuscode-plots-") as temporary:
        work = Path(temporary)
        old_root = extract(baseline, work / "baseline")
        sides = {f"baseline {baseline}": (old_root, work / "project-old"),
                 "this tree": (REPO, work / "project-new")}
        _python(old_root, "-c", BUILD, str(work / "project-old"), str(REPO))
        shutil.copytree(work / "project-old", work / "project-new")
        _python(REPO, "-c", UPGRADE, str(work / "project-new"))
        load_before = os.getloadavg()
        times: dict[str, list[float]] = {name: [] for name in sides}
        names = list(sides)
        for repetition in range(repeats):
            for name in names[repetition % 2:] + names[:repetition % 2]:
                root, project = sides[name]
                times[name].append(time_export(root, project, work / f"plots-{name[:4]}"))
        load_after = os.getloadavg()
        if keep is not None:
            for name in names:
                shutil.copytree(work / f"plots-{name[:4]}", Path(keep) / name[:4],
                                dirs_exist_ok=True)
    old, new = (statistics.median(times[name]) for name in names)
    print(f"focuscode export plots on the demo, {repeats} alternated runs a side, "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after")
    for name in names:
        print(f"  {name:>18}: {summary(times[name])}")
    print(f"  new / baseline: {new / old:.0%} of the baseline's median time")
    return {"times": times, "ratio": new / old, "load": (load_before, load_after)}
