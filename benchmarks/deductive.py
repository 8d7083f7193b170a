"""Deductive suggestions against human labels: MTS-Dialog's 20 note sections as a codebook.

Each of the 1,301 dialogues is one unit, labelled with the note section it was written for.
The codebook (``benchmarks/mts_sections_codebook.yaml``) defines every section from the data
set's documentation. Scored, top-1 against the label (accuracy, macro-F1 over the 20 labels):

- nearest label name: the baseline, cosine to the embedded label (``GENHX``); and the same with
  the section names of the data set's README ("history of present illness");
- definitions: focuscode's suggestions from the codebook alone (``pipeline.assign``, with the
  settings ``focuscode suggest`` uses);
- + k confirmed per code: k dialogues of each section confirmed by a coder (fewer where the
  section has fewer than k+1), added as evidence, as the workflow does with confirmed segments;
- + n coded dialogues: a coder codes n random dialogues (confirms the label, suggested or not;
  the other codes of a coded dialogue count as not applied, as ``workflows.suggesting`` reads
  decisions), so the threshold is also fitted to decisions.

Every condition is scored on the same held-out dialogues (those no coder saw in that seed),
over several seeds. The thresholded suggestions (several per dialogue allowed) are described by
how many a dialogue gets, their precision, and how often the label is among them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks import data
from focuscode.export.codebooks import read_codebook
from focuscode.pipeline.assign import CodeAssigner
from focuscode.pipeline.embed import SentenceTransformerEmbedder
from focuscode.workflows.suggesting import SuggestOptions

CODEBOOK = Path(__file__).with_name("mts_sections_codebook.yaml")
# The data set's README names each section; those in brackets are its own expansions.
README_NAMES = {
    "FAM/SOCHX": "family history / social history", "GENHX": "history of present illness",
    "PASTMEDICALHX": "past medical history", "CC": "chief complaint",
    "PASTSURGICAL": "past surgical history", "ALLERGY": "allergy", "ROS": "review of systems",
    "MEDICATIONS": "medications", "ASSESSMENT": "assessment", "EXAM": "exam",
    "DIAGNOSIS": "diagnosis", "DISPOSITION": "disposition", "PLAN": "plan",
    "EDCOURSE": "emergency department course", "IMMUNIZATIONS": "immunizations",
    "IMAGING": "imaging", "GYNHX": "gynecologic history", "PROCEDURES": "procedures",
    "OTHER_HISTORY": "other history", "LABS": "labs"}


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    n_suggested: float = float("nan")  # mean suggestions per dialogue
    precision: float = float("nan")  # suggestions that are the label
    recall: float = float("nan")  # dialogues whose label is suggested
    threshold: float = float("nan")


def score(truth: np.ndarray, top1: np.ndarray, n_labels: int,
          suggested: np.ndarray | None = None, threshold: float = float("nan")) -> Scores:
    from sklearn.metrics import accuracy_score, f1_score

    accuracy = float(accuracy_score(truth, top1))
    # macro over the labels present: a label with no unit left has no F1 (not 0)
    macro = float(f1_score(truth, top1, average="macro", labels=sorted(set(truth.tolist())),
                           zero_division=0))
    if suggested is None:
        return Scores(accuracy, macro)
    hits = suggested[np.arange(len(truth)), truth]
    total = suggested.sum()
    return Scores(accuracy, macro, float(suggested.sum(axis=1).mean()),
                  float(hits.sum() / total) if total else float("nan"), float(hits.mean()),
                  threshold)


def assigner(options: SuggestOptions) -> CodeAssigner:
    return CodeAssigner(threshold=options.threshold, default_threshold=options.default_threshold,
                        margin=options.margin, min_similarity=options.min_similarity,
                        max_codes=options.max_codes)


def suggest(X: np.ndarray, definitions: np.ndarray, options: SuggestOptions,
            confirmed: dict[int, list[int]] | None = None,
            decided: list[tuple[int, int, bool]] | None = None) -> CodeAssigner:
    """Fit as ``workflows.suggesting`` does: definitions weigh ``definition_weight``, each
    confirmed unit 1."""
    vectors, codes, weights = [definitions], list(range(len(definitions))), \
        [options.definition_weight] * len(definitions)
    for code, rows in (confirmed or {}).items():
        vectors.append(X[rows])
        codes += [code] * len(rows)
        weights += [1.0] * len(rows)
    return assigner(options).fit(X, np.vstack(vectors), codes, weights, decided)


def run(seeds: int = 5, k_values: tuple[int, ...] = (5, 20), review: int = 100,
        console: Console | None = None) -> list[dict]:
    console = console or Console(width=max(Console().width, 130))
    clock = time.perf_counter()
    corpus = data.mts_dialogues(None)
    codebook = read_codebook(CODEBOOK)
    names = [code.name for code in codebook.codes]
    truth = np.array([names.index(label) for label in corpus.labels])
    embedder = SentenceTransformerEmbedder()
    X = data.embeddings(corpus.texts, embedder).astype(np.float64)
    definitions = embedder.encode([c.definition or c.name for c in codebook.codes])
    label_names = embedder.encode(names)
    readme_names = embedder.encode([README_NAMES[name] for name in names])
    options = SuggestOptions()
    n_labels = len(names)
    results: dict[str, list[Scores]] = {}

    def add(name: str, value: Scores) -> None:
        results.setdefault(name, []).append(value)

    everyone = np.ones(len(truth), dtype=bool)
    add(f"nearest label name (baseline), all {len(truth)}",
        score(truth, (X @ label_names.T).argmax(axis=1), n_labels))
    add(f"nearest README section name (baseline), all {len(truth)}",
        score(truth, (X @ readme_names.T).argmax(axis=1), n_labels))
    whole = suggest(X, definitions, options)
    similarities = whole.similarities(X[everyone])
    add(f"definitions, all {len(truth)}",
        score(truth, whole.ranking(similarities)[:, 0], n_labels, whole.suggest(similarities),
              whole.threshold_))
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        confirmed_at: dict[int, dict[int, list[int]]] = {}
        for k in k_values:
            confirmed_at[k] = {}
            for code in range(n_labels):
                rows = np.flatnonzero(truth == code)
                take = min(k, len(rows) - 1)
                confirmed_at[k][code] = sorted(rng.choice(rows, take, replace=False).tolist())
        reviewed = sorted(rng.choice(len(truth), review, replace=False).tolist())
        seen = np.zeros(len(truth), dtype=bool)
        for confirmed in confirmed_at.values():
            for rows in confirmed.values():
                seen[rows] = True
        seen[reviewed] = True
        held = ~seen

        def measure(name: str, fitted: CodeAssigner) -> None:
            similarities = fitted.similarities(X[held])
            add(name, score(truth[held], fitted.ranking(similarities)[:, 0], n_labels,
                            fitted.suggest(similarities), fitted.threshold_))

        add("nearest label name (baseline), held out",
            score(truth[held], (X[held] @ label_names.T).argmax(axis=1), n_labels))
        add("nearest README section name (baseline), held out",
            score(truth[held], (X[held] @ readme_names.T).argmax(axis=1), n_labels))
        measure("definitions, held out", suggest(X, definitions, options))
        for k in k_values:
            measure(f"definitions + {k} confirmed per code",
                    suggest(X, definitions, options, confirmed_at[k]))
        # a coder codes `review` dialogues: confirms the label (suggested or not); every other
        # code of a coded dialogue counts as not applied, as the workflow reads decisions
        decided, confirmed = [], {}
        for row in reviewed:
            confirmed.setdefault(int(truth[row]), []).append(row)
            decided += [(row, code, code == truth[row]) for code in range(n_labels)]
        measure(f"definitions + {review} coded dialogues",
                suggest(X, definitions, options, confirmed, decided))

    table = Table(title=f"Deductive suggestions on {corpus.name}: 20 section labels as codes, "
                        f"top-1 against the human label; mean ± sd over {seeds} seeds on the "
                        f"dialogues no coder saw in that seed (held out); model "
                        f"{embedder.model_id}")
    for column in ("condition", "accuracy", "macro-F1", "suggested / dialogue",
                   "precision", "label suggested", "threshold (z)"):
        table.add_column(column, justify="left" if column == "condition" else "right")
    rows = []
    for name, values in results.items():
        row = {"condition": name}
        for field in ("accuracy", "macro_f1", "n_suggested", "precision", "recall",
                      "threshold"):
            found = np.array([getattr(v, field) for v in values])
            row[field] = float(np.mean(found))
            row[field + "_sd"] = float(np.std(found))
        rows.append(row)

        def cell(field: str, fmt: str = ".3f") -> str:
            if np.isnan(row[field]):
                return "-"
            return f"{row[field]:{fmt}} ± {row[field + '_sd']:{fmt}}"

        table.add_row(name, cell("accuracy"), cell("macro_f1"), cell("n_suggested", ".2f"),
                      cell("precision"), cell("recall"), cell("threshold", ".2f"))
    n_held = int(held.sum())
    table.caption = (f"{n_held} held-out dialogues in the last seed; majority class "
                     f"{np.bincount(truth).max() / len(truth):.1%} of all; "
                     f"{time.perf_counter() - clock:.1f} s")
    console.print(table)
    return rows
