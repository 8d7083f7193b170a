"""Labelled units from ../shared/data (MTS-Dialog, ACI-Bench, NHS FFT), read in place, never
copied."""

from __future__ import annotations

import csv
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
CACHE = REPO / "benchmarks" / ".cache"


class DataMissing(SystemExit):
    pass


@dataclass(frozen=True)
class Corpus:
    name: str
    texts: list[str]
    labels: list[str]
    files: list[Path]  # raw transcript files behind the units (for end-to-end runs)


def shared_data() -> Path:
    if not SHARED.is_dir():
        raise DataMissing(f"{SHARED} is not here: the benchmarks read the labelled data of the "
                          "development workspace (../shared/data beside the repository)")
    return SHARED


def mts_dialogues(n: int | None, seed: int = 0) -> Corpus:
    """MTS-Dialog, one unit per dialogue, labelled with its note section (20 labels)."""
    root = shared_data() / "mts_dialog"
    rows = list(csv.DictReader((root / "dialogues.csv").open(encoding="utf-8")))
    rows = _sample(rows, n, seed)
    files = [root / "transcripts" / f"{row['dialogue_id']}.txt" for row in rows]
    return Corpus(f"MTS-Dialog dialogues (n={len(rows)})",
                  [_dialogue_text(path) for path in files],
                  [row["section_header"] for row in rows], files)


def mts_turns(n: int | None, seed: int = 0, min_words: int = 5) -> Corpus:
    """MTS-Dialog, one unit per turn of at least ``min_words`` words, with its dialogue's label."""
    root = shared_data() / "mts_dialog"
    rows = [r for r in csv.DictReader((root / "labels.csv").open(encoding="utf-8"))
            if len(r["text"].split()) >= min_words]
    rows = _sample(rows, n, seed)
    files = sorted({root / "transcripts" / f"{row['dialogue_id']}.txt" for row in rows})
    return Corpus(f"MTS-Dialog turns (n={len(rows)})", [row["text"] for row in rows],
                  [row["label"] for row in rows], files)


def aci_dialogues() -> Corpus:
    """ACI-Bench visits, labelled with the chief complaint, lower-cased and without laterality
    ("Right knee pain" -> "knee pain"): most complaints still occur once, so read NMI here with
    care (k-means told k makes near-singleton clusters and scores high)."""
    root = shared_data() / "aci_bench"
    rows = list(csv.DictReader((root / "dialogues.csv").open(encoding="utf-8")))
    files = [root / "transcripts" / f"{row['dialogue_id']}.txt" for row in rows]
    return Corpus(f"ACI-Bench visits (n={len(rows)})", [_dialogue_text(p) for p in files],
                  [_complaint(row["chief_complaint"]) for row in rows], files)


def nhs_answers() -> Corpus:
    """NHS Friends and Family Test answers labelled by people with exactly one of the
    framework's themes (3,742 answers, 42 themes): human themes per unit, as a researcher codes
    segments."""
    root = shared_data() / "nhs_fft"
    rows = [r for r in csv.DictReader((root / "answers.csv").open(encoding="utf-8"))
            if r["label"].strip()]
    files = sorted((root / "transcripts").glob("*.txt"))
    return Corpus(f"NHS FFT single-theme answers (n={len(rows)})",
                  [row["text"] for row in rows], [row["label"] for row in rows], files)


def _complaint(text: str) -> str:
    words = [w for w in text.strip().lower().split() if w not in {"right", "left", "bilateral"}]
    return " ".join(words)


def _dialogue_text(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return " ".join(line.split(":", 1)[1].strip() if ":" in line else line for line in lines)


def _sample(rows: list[dict], n: int | None, seed: int) -> list[dict]:
    """A stratified sample: every label keeps its share (at least one unit)."""
    if n is None or n >= len(rows):
        return rows
    by_label: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_label[row.get("section_header") or row.get("label")].append(row)
    rng = random.Random(seed)
    chosen = []
    for label in sorted(by_label):
        group = by_label[label]
        take = max(1, round(n * len(group) / len(rows)))
        chosen += rng.sample(group, min(take, len(group)))
    rng.shuffle(chosen)
    return chosen[:n]


def embeddings(texts: list[str], embedder) -> np.ndarray:  # noqa: ANN001
    """Embeddings from a file cache keyed by model and texts (the model is slow on 2 cores)."""
    key = hashlib.sha256((embedder.model_id + "\0" + "\0".join(texts)).encode()).hexdigest()[:20]
    path = CACHE / f"{key}.npy"
    if path.exists():
        return np.load(path)
    vectors = embedder.encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
