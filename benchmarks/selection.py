"""How themes are selected as the corpus grows: HDBSCAN's selection variants from 1k to 100k units.

The units are the scale corpus's lines (MTS-Dialog and ACI-Bench turns repeated with variation,
``benchmarks.scale.corpus_lines``), each labelled with its source turn's label (MTS section,
ACI chief complaint). Those labels belong to whole dialogues, so every method scores low in
absolute terms; the comparison between selection rules on the same embeddings is what counts,
with the number of themes a researcher would have to review and the share left unassigned.
Embeddings come from the benchmark cache (``benchmarks/.cache``): the 100k embedding takes
several minutes once on 2 cores.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks import data, metrics
from benchmarks.scale import corpus_units

Variant = Callable[[np.ndarray], np.ndarray]


def variants() -> dict[str, Variant]:
    from focuscode.pipeline.cluster import ThemeClusterer

    def make(**options) -> Variant:  # noqa: ANN003
        return lambda vectors: ThemeClusterer(**options).fit(vectors).labels_

    return {
        "default (eom)": make(),
        "eom, min_samples 2": make(min_samples=2),
        "leaf": make(cluster_selection_method="leaf"),
        "leaf, min_samples 5": make(cluster_selection_method="leaf", min_samples=5),
        "eom, no outlier joins": make(reassign_quantile=None),
    }


def run(sizes: list[int], names: list[str] | None = None,
        console: Console | None = None) -> list[dict]:
    from focuscode.pipeline.embed import SentenceTransformerEmbedder

    console = console or Console(width=max(Console().width, 150))
    lines, labels = corpus_units(max(sizes))
    texts = [line.split(": ", 1)[1] for line in lines]
    vectors = data.embeddings(texts, SentenceTransformerEmbedder())
    chosen = {name: variant for name, variant in variants().items()
              if not names or name in names}
    rows = []
    for n in sorted(sizes):
        table = Table(title=f"Theme selection on {n:,} units ({len(set(labels[:n]))} labels)")
        for column in ("variant", "themes", "largest", "unassigned", "NMI", "ARI", "seconds",
                       "peak MB"):
            table.add_column(column, justify="left" if column == "variant" else "right")
        for name, variant in chosen.items():
            start = time.perf_counter()
            found = variant(vectors[:n])
            seconds = time.perf_counter() - start
            score = metrics.agreement(labels[:n], found)
            sizes_found = np.bincount(found[found >= 0]) if (found >= 0).any() else [0]
            largest = max(sizes_found) / n
            peak = metrics.peak_rss_mb()
            rows.append({"n": n, "variant": name, **score, "largest": largest,
                         "seconds": seconds})
            table.add_row(name, str(score["n_themes"]), f"{largest:.0%}",
                          f"{score['unassigned']:.0%}", f"{score['nmi']:.3f}",
                          f"{score['ari']:.3f}", f"{seconds:.1f}", f"{peak:.0f}")
        console.print(table)
    return rows
