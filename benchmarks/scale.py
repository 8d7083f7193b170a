"""How time and memory grow with the corpus: 1k -> 10k -> 100k segments, per stage.

The corpus is MTS-Dialog and ACI-Bench turns, repeated with variation (a spoken-language lead-in
and a neighbouring turn's clause) so that the embedding cache cannot short-cut the repeats. Each
size runs in a fresh child process; peak memory is its VmHWM. The observed exponent between
sizes is log(t2/t1)/log(n2/n1).
"""

from __future__ import annotations

import csv
import math
import random
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import data, metrics

LEADS = ["", "Well, ", "I mean, ", "You know, ", "Honestly, ", "So, ", "Um, ", "Right, and ",
         "Okay. ", "To be fair, "]


def corpus_units(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` distinct texts built from the real turns, and each source turn's label. The
    sequence is the same for every ``n``: a smaller corpus is a prefix of a larger one."""
    root = data.shared_data()
    turns = []
    for name in ("mts_dialog", "aci_bench"):
        with (root / name / "labels.csv").open(encoding="utf-8") as handle:
            turns += [(r["speaker"], r["text"], r["label"]) for r in csv.DictReader(handle)
                      if len(r["text"].split()) >= 6]
    rng = random.Random(seed)
    lines, labels, seen = [], [], set()
    while len(lines) < n:
        speaker, text, label = rng.choice(turns)
        _, other, _ = rng.choice(turns)
        clause = other.split(".")[0][:80] if rng.random() < 0.5 else ""
        line = f"{rng.choice(LEADS)}{text}" + (f" {clause}." if clause else "")
        if line not in seen:
            seen.add(line)
            lines.append(f"{speaker.strip() or 'Speaker'}: {line}")
            labels.append(label)
    return lines, labels


def corpus_lines(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct ``Speaker: text`` lines built from the real turns."""
    return corpus_units(n, seed)[0]


def _one(n: int, queue) -> None:  # noqa: ANN001
    from focuscode.workflows import Project

    lines = corpus_lines(n)
    times = {}
    with tempfile.TemporaryDirectory() as folder:
        files = []
        per_file = 200
        for index in range(0, len(lines), per_file):
            path = Path(folder) / f"t{index // per_file:05d}.txt"
            path.write_text("\n".join(lines[index:index + per_file]) + "\n", encoding="utf-8")
            files.append(path)
        project = Project.init(Path(folder) / "p")
        clock = time.perf_counter()
        project.import_files(files)
        times["import"] = time.perf_counter() - clock
        clock = time.perf_counter()
        report = project.analyse()
        times["analyse"] = time.perf_counter() - clock
        clock = time.perf_counter()
        project.themes()
        times["themes view"] = time.perf_counter() - clock
        project.close()
    queue.put({"n": report.n_segments, "themes": report.n_themes, "times": times,
               "rss_mb": metrics.peak_rss_mb()})


def run(sizes: list[int], console: Console | None = None) -> list[dict]:
    console = console or Console(width=max(Console().width, 150))
    results = [metrics.in_fresh_process(_one, n) for n in sizes]
    table = Table(title="Scale: time (s) and peak memory per corpus size, 2 CPU cores")
    for column in ("segments", "themes", "import", "analyse", "themes view", "peak MB",
                   "exponent (analyse)"):
        table.add_column(column, justify="right")
    previous = None
    for result in results:
        exponent = ""
        if previous:
            time_ratio = result["times"]["analyse"] / previous["times"]["analyse"]
            size_ratio = result["n"] / previous["n"]
            exponent = f"{math.log(time_ratio) / math.log(size_ratio):.2f}"
        table.add_row(str(result["n"]), str(result["themes"]),
                      *(f"{result['times'][k]:.1f}" for k in ("import", "analyse",
                                                              "themes view")),
                      f"{result['rss_mb']:.0f}", exponent)
        previous = result
    console.print(table)
    return results
