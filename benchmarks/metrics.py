"""Scores against human labels, keyword coherence over the corpus, and what a fresh process
costs (peak memory)."""

from __future__ import annotations

import math
import multiprocessing
import resource
from itertools import combinations
from pathlib import Path
from queue import Empty

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score


def agreement(labels_true: list[str], labels_pred: np.ndarray) -> dict[str, float]:
    """NMI and ARI over all units (the unassigned as one cluster of their own, as BERTopic's -1
    topic is usually scored) and over the assigned units only."""
    truth = np.asarray(labels_true)
    assigned = labels_pred >= 0
    both = {"nmi": normalized_mutual_info_score(truth, labels_pred),
            "ari": adjusted_rand_score(truth, labels_pred),
            "unassigned": float(1 - assigned.mean()),
            "n_themes": int(len(set(labels_pred[assigned].tolist())))}
    if assigned.sum() > 1:
        both["nmi_assigned"] = normalized_mutual_info_score(truth[assigned], labels_pred[assigned])
        both["ari_assigned"] = adjusted_rand_score(truth[assigned], labels_pred[assigned])
    return both


def name_similarity(labels_true: list[str], labels_pred: np.ndarray, names: dict[int, str],
                    encode) -> float:  # noqa: ANN001
    """Mean cosine between each theme's name and the human theme name of its majority."""
    truth = np.asarray(labels_true)
    pairs = []
    for theme, name in names.items():
        members = truth[labels_pred == theme]
        if len(members):
            values, counts = np.unique(members, return_counts=True)
            pairs.append((name, str(values[np.argmax(counts)])))
    if not pairs:
        return float("nan")
    ours = encode([a for a, _ in pairs])
    theirs = encode([b for _, b in pairs])
    return float(np.mean(np.sum(ours * theirs, axis=1)))


def npmi_coherence(texts: list[str], keywords: dict[int, tuple[str, ...]], top: int = 5) -> float:
    """Mean NPMI of each theme's top keyword pairs, from document co-occurrence in the corpus
    (Bouma 2009; the C_NPMI of Röder et al. 2015 with whole units as windows). -1..1, higher
    is better; unigrams only (bigrams are scored by their words)."""
    from sklearn.feature_extraction.text import CountVectorizer

    words = sorted({w for kws in keywords.values() for kw in kws[:top] for w in kw.split()})
    if not words:
        return float("nan")
    vectorizer = CountVectorizer(vocabulary=words, binary=True, lowercase=True,
                                 token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b")
    docs = vectorizer.transform(texts).tocsc()
    n = docs.shape[0]
    index = {w: i for i, w in enumerate(words)}
    counts = np.asarray(docs.sum(axis=0)).ravel()
    scores = []
    for kws in keywords.values():
        terms = [w for kw in kws[:top] for w in kw.split()][:top]
        for a, b in combinations(dict.fromkeys(terms), 2):
            ia, ib = index[a], index[b]
            joint = docs[:, ia].multiply(docs[:, ib]).sum()
            if joint == 0 or counts[ia] == 0 or counts[ib] == 0:
                scores.append(-1.0)
                continue
            p_ab, p_a, p_b = joint / n, counts[ia] / n, counts[ib] / n
            scores.append(1.0 if p_ab == 1 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
    return float(np.mean(scores)) if scores else float("nan")


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss over
    fork and exec, so a child started from a big parent reports at least the parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_process(target, *args):  # noqa: ANN001, ANN201
    """``target(*args, queue)`` run in a freshly spawned process (its imports, model loads and
    peak memory its own); returns what it put on the queue."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    while True:  # a child that dies (an exception, the OOM killer) must not hang the benchmark
        try:
            result = queue.get(timeout=1.0)
            break
        except Empty:
            if not process.is_alive():
                raise RuntimeError(f"{target.__name__} died in its child process (exit code "
                                   f"{process.exitcode}); its traceback is above") from None
    process.join()
    return result
