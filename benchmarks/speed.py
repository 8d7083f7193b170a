"""Time from raw files to stored themes, per stage, against BERTopic on the same segments.

Each pipeline runs in a fresh child process so that its model load, its peak memory (VmHWM)
and its caches are its own.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import data, metrics


class _StageClock:
    """A Progress that times each stage the workflow announces."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._stage: str | None = None
        self._since = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        self.close()
        self._stage, self._since = name, time.perf_counter()

    def close(self) -> None:
        if self._stage is not None:
            self.times[self._stage] = self.times.get(self._stage, 0.0) + (
                time.perf_counter() - self._since)
        self._stage = None

    def advance(self, n: int = 1) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False


def _focuscode(files: list[Path], queue) -> None:  # noqa: ANN001
    import sentence_transformers  # noqa: F401 - imported before the clock, as for BERTopic

    from focuscode.workflows import Project

    times = {}
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        project = Project.init(Path(folder) / "p")
        project.import_files(files, allow_duplicate=True)  # MTS-Dialog repeats some
        times["import + segment"] = time.perf_counter() - start
        clock = time.perf_counter()
        stages = _StageClock()
        report = project.analyse(stages)
        stages.close()
        times["analyse (embed + cluster + store)"] = time.perf_counter() - clock
        times.update({f"  {name.lower()}": seconds for name, seconds in stages.times.items()})
        times["end to end"] = time.perf_counter() - start
        clock = time.perf_counter()
        again = project.analyse()
        times["cached re-analysis"] = time.perf_counter() - clock
        texts = [s.text for s in project.store.segments(included_only=True)]
        project.close()
    queue.put({"times": times, "n": report.n_segments, "themes": report.n_themes,
               "unassigned": report.n_unassigned, "texts": texts,
               "embedded_again": again.n_embedded,
               "rss_mb": metrics.peak_rss_mb()})


def _bertopic(texts: list[str], queue) -> None:  # noqa: ANN001
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer
    from umap import UMAP

    from focuscode.pipeline.embed import SentenceTransformerEmbedder

    times = {}
    start = time.perf_counter()
    model = SentenceTransformer(SentenceTransformerEmbedder().model_path, device="cpu")
    times["load model"] = time.perf_counter() - start
    clock = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True,
                           show_progress_bar=False)
    times["raw encode"] = time.perf_counter() - clock
    clock = time.perf_counter()
    topics, _ = BERTopic(umap_model=UMAP(n_components=5, n_neighbors=15, min_dist=0.0,
                                         metric="cosine", random_state=42)
                         ).fit_transform(texts, vectors)
    times["BERTopic fit"] = time.perf_counter() - clock
    times["end to end"] = time.perf_counter() - start
    queue.put({"times": times, "themes": len(set(topics) - {-1}),
               "unassigned": sum(1 for t in topics if t == -1),
               "rss_mb": metrics.peak_rss_mb()})


def _embedding_ab(files: list[Path], repeats: int, queue) -> None:  # noqa: ANN001
    """The embedding stage (cache look-ups, longest-first chunks, cache writes into a fresh
    project) against raw ``SentenceTransformer.encode`` on the same texts with the same loaded
    model, alternated A B B A ... in one process so that a busy machine slows both alike."""
    import statistics

    from focuscode.pipeline.embed import SentenceTransformerEmbedder
    from focuscode.workflows import Project
    from focuscode.workflows.analysis import embed_segments
    from focuscode.workflows.progress import NullProgress

    embedder = SentenceTransformerEmbedder()
    model = embedder._model
    embedder.encode(["warm up"])
    ours, raw = [], []
    with tempfile.TemporaryDirectory() as folder:
        for repeat in range(repeats):
            project = Project.init(Path(folder) / f"p{repeat}")
            project.import_files(files, allow_duplicate=True)  # MTS-Dialog repeats some
            segments = project.store.segments(included_only=True)
            texts = [segment.text for segment in segments]

            def run_ours() -> None:
                clock = time.perf_counter()
                embed_segments(project.store, embedder, segments, NullProgress())
                ours.append(time.perf_counter() - clock)

            def run_raw() -> None:
                clock = time.perf_counter()
                model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True,
                             convert_to_numpy=True, show_progress_bar=False)
                raw.append(time.perf_counter() - clock)

            for step in ((run_ours, run_raw) if repeat % 2 == 0 else (run_raw, run_ours)):
                step()
            project.close()
    queue.put({"n": len(texts), "ours": ours, "raw": raw,
               "ratio": statistics.median(o / r for o, r in zip(ours, raw))})


def run(n: int, console: Console | None = None, repeats: int = 4) -> dict:
    console = console or Console(width=max(Console().width, 150))
    corpus = data.mts_dialogues(n)
    ours = metrics.in_fresh_process(_focuscode, corpus.files)
    theirs = metrics.in_fresh_process(_bertopic, ours["texts"])
    encode_share = ours["times"]["  embedding segments"]
    table = Table(title=f"Speed on {len(corpus.files)} MTS-Dialog transcripts "
                        f"({ours['n']} segments clustered), 2 CPU cores")
    table.add_column("stage")
    table.add_column("focuscode s", justify="right")
    table.add_column("BERTopic s", justify="right")
    for stage, seconds in ours["times"].items():
        table.add_row(stage, f"{seconds:.2f}", "")
    for stage, seconds in theirs["times"].items():
        table.add_row(stage, "", f"{seconds:.2f}")
    table.add_row("themes / unassigned", f"{ours['themes']} / {ours['unassigned']}",
                  f"{theirs['themes']} / {theirs['unassigned']}")
    table.add_row("peak memory MB", f"{ours['rss_mb']:.0f}", f"{theirs['rss_mb']:.0f}")
    e2e = ours["times"]["end to end"] / theirs["times"]["end to end"]
    cached = ours["times"]["cached re-analysis"] / ours["times"]["end to end"]
    embed_ratio = encode_share / (theirs["times"]["raw encode"] + theirs["times"]["load model"])
    table.caption = (f"end to end focuscode/BERTopic = {e2e:.2f}x; cached re-analysis = "
                     f"{cached:.1%} of a cold run ({ours['embedded_again']} re-embedded); "
                     f"focuscode embedding stage (model load, encode, cache writes) / (model "
                     f"load + raw SentenceTransformer.encode) = {embed_ratio:.2f}x")
    console.print(table)
    ab = metrics.in_fresh_process(_embedding_ab, corpus.files, repeats)
    embed = Table(title=f"Embedding stage vs raw SentenceTransformer.encode, {ab['n']} segments, "
                        f"same loaded model, alternated in one process")
    for column in ("run", "focuscode embedding stage s", "raw encode s", "ratio"):
        embed.add_column(column, justify="right")
    for index, (o, r) in enumerate(zip(ab["ours"], ab["raw"]), 1):
        embed.add_row(str(index), f"{o:.2f}", f"{r:.2f}", f"{o / r:.3f}")
    embed.caption = f"median ratio {ab['ratio']:.3f} (target: within 10% of raw encode)"
    console.print(embed)
    return {"focuscode": ours["times"], "bertopic": theirs["times"], "ratio_e2e": e2e,
            "cached_share": cached, "embed_ratio": embed_ratio, "embed_ab": ab["ratio"]}
