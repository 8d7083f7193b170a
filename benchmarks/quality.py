"""Theme discovery against human labels: focuscode vs BERTopic (same embeddings) vs k-means."""

from __future__ import annotations

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks import data, metrics, peers
from focuscode.pipeline.embed import SentenceTransformerEmbedder


def corpora(sizes: list[int], seed: int) -> list[data.Corpus]:
    found = []
    for n in sizes:
        found.append(data.mts_dialogues(n, seed))
        found.append(data.mts_turns(n, seed))
    found.append(data.aci_dialogues())
    found.append(data.nhs_answers())
    return found


NAMED = ("NHS FFT",)  # corpora whose human labels are theme names (label similarity is scored)


def run(sizes: list[int], seed: int = 0, console: Console | None = None) -> list[dict]:
    console = console or Console(width=max(Console().width, 150))
    embedder = SentenceTransformerEmbedder()
    rows = []
    for corpus in corpora(sizes, seed):
        vectors = data.embeddings(corpus.texts, embedder)
        k = len(set(corpus.labels))
        named = corpus.name.startswith(NAMED)
        results = [peers.run_focuscode(corpus.texts, vectors, embedder.encode if named else None),
                   peers.run_bertopic(corpus.texts, vectors),
                   peers.run_kmeans(corpus.texts, vectors, k)]
        table = Table(title=f"{corpus.name}: {k} human labels; same {embedder.model_id} "
                            "embeddings for all")
        for column in ("method", "NMI", "ARI", "NMI assigned", "ARI assigned", "unassigned",
                       "themes", "largest", "NPMI top-5", "name cos", "keyword cos", "seconds"):
            table.add_column(column, justify="left" if column == "method" else "right")
        for result in results:
            score = metrics.agreement(corpus.labels, result.labels)
            coherence = metrics.npmi_coherence(corpus.texts, result.keywords)
            names = {"name_cos": float("nan"), "keyword_cos": float("nan")}
            if named:
                names["keyword_cos"] = metrics.name_similarity(
                    corpus.labels, result.labels, peers.keyword_names(result.keywords),
                    embedder.encode)
                if result.names:
                    names["name_cos"] = metrics.name_similarity(
                        corpus.labels, result.labels, result.names, embedder.encode)
            assigned = result.labels[result.labels >= 0]
            largest = float(np.bincount(assigned).max() / len(result.labels)) if len(assigned) \
                else 0.0
            rows.append({"corpus": corpus.name, "method": result.name, **score,
                         "npmi": coherence, "seconds": result.seconds, "largest": largest,
                         **names})
            table.add_row(result.name, f"{score['nmi']:.3f}", f"{score['ari']:.3f}",
                          f"{score.get('nmi_assigned', float('nan')):.3f}",
                          f"{score.get('ari_assigned', float('nan')):.3f}",
                          f"{score['unassigned']:.0%}", str(score["n_themes"]),
                          f"{largest:.0%}", f"{coherence:.3f}", f"{names['name_cos']:.3f}",
                          f"{names['keyword_cos']:.3f}", f"{result.seconds:.2f}")
        ours, bert = rows[-3], rows[-2]
        table.caption = (f"focuscode - BERTopic: NMI {ours['nmi'] - bert['nmi']:+.3f}, "
                         f"ARI {ours['ari'] - bert['ari']:+.3f}, unassigned "
                         f"{ours['unassigned'] - bert['unassigned']:+.0%}; clustering time "
                         f"focuscode/BERTopic {ours['seconds'] / max(bert['seconds'], 1e-9):.2f}x")
        console.print(table)
        if named and results[0].names:
            console.print("focuscode names: " + "; ".join(
                f"{t + 1}. {n}" for t, n in sorted(results[0].names.items())))
    return rows
