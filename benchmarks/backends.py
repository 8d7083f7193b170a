"""Embedding backends side by side (issue #6): torch as focuscode runs it, ONNX fp32, optimized
ONNX and int8 ONNX, on MTS-Dialog turns and dialogues.

Measured: throughput (texts/s), import and model-load time, peak memory, agreement with torch's
vectors (cosine per text), clustering quality (NMI/ARI against the human labels with focuscode's
clusterer), deductive suggestion accuracy, and determinism.

The machine is shared and has 2 cores, so every speed figure is taken interleaved in one process
(each repetition runs every backend once, in a rotated order) and reported as median and
min-max over the repetitions. Load time and peak memory come from a fresh (spawned) process per
backend and repetition, so that each backend's imports and allocations are its own.

A backend is named ``KIND[:FILE][,bs=N][@THREADS]``:

- ``torch``: focuscode's ``SentenceTransformerEmbedder`` (default model, SHA-256 check included),
  fed as ``workflows.analysis`` feeds it: longest text first, 256 texts per call, batches of 64;
- ``torch-raw``: ``SentenceTransformer.encode`` over all texts in one call;
- ``onnx[:FILE]``: ``SentenceTransformer(..., backend="onnx")`` with ``onnx/FILE`` (default
  ``model.onnx``); needs ``optimum-onnx[onnxruntime]``, which (0.1.0) requires transformers < 4.58,
  so sentence-transformers < 6;
- ``ort[:FILE]``: the same ONNX file run by onnxruntime directly (tokenizers + mean pooling +
  L2 norm), longest first; no optimum, so it runs with sentence-transformers 6;
  ``ort-unsorted`` keeps the input order;
- ``,bs=N``: batches of N texts instead of 64 (``ort:model_qint8_avx512_vnni.onnx,bs=1``: int8
  vectors that depend on the text alone, see below);
- ``@N``: N intra-op threads (torch: ``torch.set_num_threads`` around each call).

Dynamic int8 quantization scales each activation tensor by its min/max over the whole batch, so
an int8 vector depends on the other texts in its batch (and their padding): the same turn in
another batch has cosine ~0.989 to itself. Only batches of one avoid that.

ONNX files come from :func:`export` into ``--model-dir`` (a copy of the model folder with an
``onnx/`` subfolder): sentence-transformers' own export functions when optimum is importable,
otherwise torch.onnx plus onnxruntime's quantizer and transformer optimizer.

Usage: ``python -m benchmarks.backends --export`` once, then
``python -m benchmarks.backends [--backends torch onnx ort:model_qint8_avx512_vnni.onnx ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from benchmarks import data
from benchmarks.metrics import in_fresh_process, peak_rss_mb

DEFAULT_DIR = data.CACHE / "onnx" / "all-MiniLM-L6-v2"
INT8 = "model_qint8_avx512_vnni.onnx"
DEFAULT_BACKENDS = ["torch", "torch-raw", "ort", "ort:model_O2.onnx", f"ort:{INT8}"]
QUANTIZE_OPS = ["Conv", "MatMul", "Attention", "LSTM", "Gather", "Transpose",
                "EmbedLayerNormalization"]  # optimum's default for dynamic quantization
BATCH = 64  # SentenceTransformerEmbedder's default
CHUNK = 256  # texts per encode call in workflows.analysis.embed_segments


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


# --- export -------------------------------------------------------------------------------------

def has_optimum() -> bool:
    try:
        import optimum.onnxruntime  # noqa: F401
    except Exception:  # noqa: BLE001 - ImportError, or optimum-onnx failing on transformers 5
        return False
    return True


def export(model_dir: Path = DEFAULT_DIR, quantize: Sequence[str] = ("avx512_vnni",),
           optimize: Sequence[str] = ("O1", "O2", "O3"), method: str = "auto") -> dict[str, float]:
    """Copy the default model to ``model_dir`` and write ``onnx/model.onnx``, the int8 files
    (``model_qint8_avx512_vnni.onnx``, ``model_quint8_avx2.onnx``, ...) and the optimized ones
    (``model_O2.onnx``, ...). Returns the seconds each step took. ``method``: ``"optimum"``
    (sentence-transformers' export functions), ``"plain"`` (torch.onnx + onnxruntime tools) or
    ``"auto"`` (optimum where importable)."""
    _offline()
    from focuscode.pipeline.embed import _default_model_path

    if method == "auto":
        method = "optimum" if has_optimum() else "plain"
    model_dir = Path(model_dir)
    if model_dir.exists():
        shutil.rmtree(model_dir)
    shutil.copytree(_default_model_path(), model_dir)
    exporter = _export_optimum if method == "optimum" else _export_plain
    times = exporter(model_dir, list(quantize), list(optimize))
    times["method"] = method  # type: ignore[assignment]
    return times


def _export_optimum(model_dir: Path, quantize: list[str], optimize: list[str]) -> dict[str, float]:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.backend import (
        export_dynamic_quantized_onnx_model,
        export_optimized_onnx_model,
    )

    times = {}
    clock = time.perf_counter()
    model = SentenceTransformer(str(model_dir), backend="onnx", device="cpu",
                                local_files_only=True)
    with tempfile.TemporaryDirectory() as folder:  # save_pretrained rewrites the configs too
        model.save_pretrained(folder)
        (model_dir / "onnx").mkdir(exist_ok=True)
        shutil.copy(Path(folder) / "onnx" / "model.onnx", model_dir / "onnx" / "model.onnx")
    times["onnx fp32 (export + save)"] = time.perf_counter() - clock
    for config in quantize:
        clock = time.perf_counter()
        export_dynamic_quantized_onnx_model(model, config, str(model_dir))
        times[f"int8 {config}"] = time.perf_counter() - clock
    for level in optimize:
        clock = time.perf_counter()
        export_optimized_onnx_model(model, level, str(model_dir))
        times[f"optimized {level}"] = time.perf_counter() - clock
    return times


def _export_plain(model_dir: Path, quantize: list[str], optimize: list[str]) -> dict[str, float]:
    """The same files without optimum: torch.onnx (TorchScript exporter, eager attention),
    onnxruntime's dynamic quantizer with optimum's avx512_vnni/avx512/avx2/arm64 settings, and
    onnxruntime's BERT fusion at level 2 for O2 (O3 adds the fast GELU approximation), as
    optimum's O2/O3 do."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    out = model_dir / "onnx"
    out.mkdir(exist_ok=True)
    times = {}
    clock = time.perf_counter()
    bert = AutoModel.from_pretrained(str(model_dir), local_files_only=True,
                                     attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    names = ["input_ids", "attention_mask", "token_type_ids"]
    ids = torch.ones(2, 16, dtype=torch.long)
    axes = {name: {0: "batch", 1: "sequence"} for name in [*names, "last_hidden_state"]}
    with torch.no_grad():
        torch.onnx.export(Encoder(bert), (ids, torch.ones_like(ids), torch.zeros_like(ids)),
                          str(out / "model.onnx"), input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
    times["onnx fp32 (export + save)"] = time.perf_counter() - clock
    for config in quantize:
        clock = time.perf_counter()
        # optimum's dynamic configurations differ only there: avx2 has uint8 weights
        unsigned = config == "avx2"
        weight = QuantType.QUInt8 if unsigned else QuantType.QInt8
        suffix = f"{'quint8' if unsigned else 'qint8'}_{config}"
        quantize_dynamic(out / "model.onnx", out / f"model_{suffix}.onnx", per_channel=True,
                         reduce_range=False, weight_type=weight,
                         op_types_to_quantize=QUANTIZE_OPS,
                         extra_options={"WeightSymmetric": True, "ActivationSymmetric": False})
        times[f"int8 {config}"] = time.perf_counter() - clock
    for level in optimize:
        if level not in ("O2", "O3"):
            continue  # O1 is what onnxruntime does on load anyway; O4 is fp16 for GPUs
        from onnxruntime.transformers.fusion_options import FusionOptions
        from onnxruntime.transformers.optimizer import optimize_model

        clock = time.perf_counter()
        options = FusionOptions("bert")
        options.enable_gelu_approximation = level == "O3"
        optimized = optimize_model(str(out / "model.onnx"), model_type="bert", num_heads=0,
                                   hidden_size=0, optimization_options=options, opt_level=2)
        optimized.save_model_to_file(str(out / f"model_{level}.onnx"))
        times[f"optimized {level}"] = time.perf_counter() - clock
    return times


# --- backends -----------------------------------------------------------------------------------

@dataclass
class Backend:
    """One way to embed: ``load()`` then ``encode(texts)`` -> L2-normalised float32 rows."""

    spec: str
    model_dir: Path = DEFAULT_DIR
    batch_size: int = BATCH
    kind: str = field(init=False)
    file: str = field(init=False)
    threads: int | None = field(init=False)

    def __post_init__(self) -> None:
        spec, _, threads = self.spec.partition("@")
        spec, _, batch = spec.partition(",bs=")
        if batch:
            self.batch_size = int(batch)
        self.kind, _, self.file = spec.partition(":")
        self.file = self.file or "model.onnx"
        self.threads = int(threads) if threads else None
        if self.kind not in ("torch", "torch-raw", "onnx", "ort", "ort-unsorted"):
            raise ValueError(f"unknown backend kind {self.kind!r} in {self.spec!r}")
        self._model = None

    def load(self) -> None:
        _offline()
        if self.kind == "torch":
            from focuscode.pipeline.embed import SentenceTransformerEmbedder

            self._model = SentenceTransformerEmbedder(batch_size=self.batch_size)
            self._model._model  # noqa: B018 - loads (and checks) the model now
        elif self.kind in ("torch-raw", "onnx"):
            from sentence_transformers import SentenceTransformer

            kwargs = {}
            if self.kind == "onnx":
                kwargs = {"backend": "onnx", "model_kwargs": {"file_name": self.file}}
                if self.threads:
                    import onnxruntime

                    options = onnxruntime.SessionOptions()
                    options.intra_op_num_threads = self.threads
                    kwargs["model_kwargs"]["session_options"] = options
            self._model = SentenceTransformer(str(self.model_dir), device="cpu",
                                              local_files_only=True, **kwargs)
        else:
            self._model = _OrtModel(self.model_dir, self.file, self.threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._model is None:
            self.load()
        texts = list(texts)
        if self.kind == "torch":
            return self._with_threads(lambda: _focuscode_order(self._model.encode, texts))
        if self.kind in ("torch-raw", "onnx"):
            return self._with_threads(lambda: self._model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False).astype(np.float32))
        return self._model.encode(texts, self.batch_size, sort=self.kind == "ort")

    def _with_threads(self, call: Callable[[], np.ndarray]) -> np.ndarray:
        if not self.threads or self.kind == "onnx":
            return call()
        import torch

        before = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            return call()
        finally:
            torch.set_num_threads(before)


def _focuscode_order(encode: Callable[[list[str]], np.ndarray], texts: list[str]) -> np.ndarray:
    """``workflows.analysis.embed_segments``: longest first, ``CHUNK`` texts per call."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    out = np.zeros((len(texts), 0), dtype=np.float32)
    for begin in range(0, len(order), CHUNK):
        rows = order[begin:begin + CHUNK]
        vectors = encode([texts[i] for i in rows])
        if out.shape[1] == 0:
            out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        out[rows] = vectors
    return out


class _OrtModel:
    """An exported feature-extraction ONNX file run by onnxruntime, pooled as the model's
    ``1_Pooling`` says (mean over the attention mask) and L2-normalised."""

    def __init__(self, model_dir: Path, file: str, threads: int | None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        self.session = onnxruntime.InferenceSession(str(Path(model_dir) / "onnx" / file),
                                                    options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        config = json.loads((Path(model_dir) / "sentence_bert_config.json").read_text())
        pooling = json.loads((Path(model_dir) / "1_Pooling" / "config.json").read_text())
        if not (pooling.get("pooling_mode_mean_tokens") or pooling.get("pooling_mode") == "mean"):
            raise ValueError("only mean pooling is implemented")
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(config["max_seq_length"]))
        pad = self.tokenizer.token_to_id("[PAD]") or 0
        self.tokenizer.enable_padding(pad_id=pad, pad_token="[PAD]")

    def encode(self, texts: list[str], batch_size: int, sort: bool = True) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i])) if sort \
            else list(range(len(texts)))
        out = None
        for begin in range(0, len(order), batch_size):
            rows = order[begin:begin + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in rows])
            feed = {"input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in encoded],
                                               dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64)}
            hidden = self.session.run(None, {k: v for k, v in feed.items()
                                             if k in self.inputs})[0]
            mask = feed["attention_mask"][:, :, None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            if out is None:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[rows] = pooled
        return out if out is not None else np.zeros((0, 0), dtype=np.float32)


# --- texts --------------------------------------------------------------------------------------

def all_turns() -> list[str]:
    """Every distinct turn text of MTS-Dialog (10,321 of 12,266 rows)."""
    import csv

    path = data.shared_data() / "mts_dialog" / "labels.csv"
    with path.open(encoding="utf-8") as handle:
        return list(dict.fromkeys(row["text"] for row in csv.DictReader(handle)))


def sample(texts: list[str], n: int, seed: int = 0) -> list[str]:
    return texts if n >= len(texts) else random.Random(seed).sample(texts, n)


# --- measurements -------------------------------------------------------------------------------

def spread(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": len(values)}


def throughput(backends: list[Backend], texts: list[str], reps: int,
               keep: dict[str, np.ndarray] | None = None) -> dict[str, dict]:
    """Texts per second, interleaved: repetition r runs every backend once, starting at
    backend r (mod the count), after one untimed warm-up call each. ``keep`` receives each
    backend's vectors from its last repetition."""
    for backend in backends:
        backend.encode(texts[:BATCH])
    rates: dict[str, list[float]] = {b.spec: [] for b in backends}
    for rep in range(reps):
        for backend in backends[rep % len(backends):] + backends[:rep % len(backends)]:
            clock = time.perf_counter()
            vectors = backend.encode(texts)
            rates[backend.spec].append(len(texts) / (time.perf_counter() - clock))
            if keep is not None:
                keep[backend.spec] = vectors
    return {spec: spread(values) for spec, values in rates.items()}


def _child(spec: str, model_dir: str, texts: list[str], queue) -> None:
    clock = time.perf_counter()
    backend = Backend(spec, Path(model_dir))
    if backend.kind in ("torch", "torch-raw", "onnx"):
        import sentence_transformers  # noqa: F401
    else:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    imported = time.perf_counter()
    backend.load()
    loaded = time.perf_counter()
    backend.encode(texts)
    queue.put({"import_s": imported - clock, "load_s": loaded - imported,
               "encode_s": time.perf_counter() - loaded,
               "rss_mb": peak_rss_mb()})


def footprint(specs: list[str], model_dir: Path, texts: list[str], reps: int) -> dict[str, dict]:
    """Import time, load time and peak RSS, each backend in a fresh spawned process, the
    backends alternating over ``reps`` rounds."""
    found: dict[str, list[dict]] = {spec: [] for spec in specs}
    for rep in range(reps):
        for spec in specs[rep % len(specs):] + specs[:rep % len(specs)]:
            found[spec].append(in_fresh_process(_child, spec, str(model_dir), texts))
    return {spec: {key: spread([r[key] for r in rows]) for key in rows[0]}
            for spec, rows in found.items()}


def cosine_to(reference: np.ndarray, vectors: np.ndarray) -> dict[str, float]:
    cos = np.einsum("ij,ij->i", reference.astype(np.float64), vectors.astype(np.float64))
    return {"mean": float(cos.mean()), "p01": float(np.quantile(cos, 0.01)),
            "min": float(cos.min())}


def determinism(backend: Backend, texts: list[str], seed: int = 0) -> dict[str, float]:
    """Max |difference| between two runs over the same texts, and between the given order and
    a shuffled one (other batch neighbours, so other padding)."""
    first, second = backend.encode(texts), backend.encode(texts)
    order = list(range(len(texts)))
    random.Random(seed).shuffle(order)
    shuffled = np.empty_like(first)
    shuffled[order] = backend.encode([texts[i] for i in order])
    return {"rerun_max_abs": float(np.abs(first - second).max()),
            "shuffled_max_abs": float(np.abs(first - shuffled).max())}


def clustering(corpora: list[data.Corpus], vectors: dict[str, dict[str, np.ndarray]],
               reference: str, noise_seeds: int = 0,
               noise_cosine: float | None = None) -> list[dict]:
    """focuscode's clusterer on each corpus with each backend's vectors: NMI/ARI against the
    human labels, and NMI against the reference backend's partition. With ``noise_seeds``, the
    reference vectors plus Gaussian noise of mean cosine ``noise_cosine`` give the spread that a
    perturbation of that size causes anyway."""
    from sklearn.metrics import normalized_mutual_info_score

    from benchmarks import metrics, peers

    rows = []
    for corpus in corpora:
        partitions = {}
        for spec, table in vectors.items():
            X = np.vstack([table[text] for text in corpus.texts])
            partitions[spec] = peers.run_focuscode(corpus.texts, X).labels
        if noise_seeds and noise_cosine is not None and noise_cosine < 1:
            X = np.vstack([vectors[reference][text] for text in corpus.texts])
            sigma = np.sqrt(2 * (1 - noise_cosine) / X.shape[1])
            for seed in range(noise_seeds):
                noisy = X + np.random.default_rng(seed).normal(0, sigma, X.shape)
                noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
                partitions[f"{reference} + noise (seed {seed})"] = peers.run_focuscode(
                    corpus.texts, noisy.astype(np.float32)).labels
        for spec, labels in partitions.items():
            score = metrics.agreement(corpus.labels, labels)
            rows.append({"corpus": corpus.name, "backend": spec, "nmi": score["nmi"],
                         "ari": score["ari"], "unassigned": score["unassigned"],
                         "themes": score["n_themes"],
                         "nmi_vs_reference": float(normalized_mutual_info_score(
                             partitions[reference], labels))})
    return rows


def deductive_scores(table: dict[str, np.ndarray]) -> dict[str, float]:
    """``benchmarks.deductive`` on all 1,301 dialogues without coders: top-1 accuracy and
    macro-F1 of the nearest label name and of the codebook definitions."""
    from benchmarks import deductive
    from focuscode.export.codebooks import read_codebook
    from focuscode.workflows.suggesting import SuggestOptions

    corpus = data.mts_dialogues(None)
    codes = read_codebook(deductive.CODEBOOK).codes
    names = [code.name for code in codes]
    truth = np.array([names.index(label) for label in corpus.labels])
    X = np.vstack([table[text] for text in corpus.texts]).astype(np.float64)
    definitions = np.vstack([table[c.definition or c.name] for c in codes])
    label_names = np.vstack([table[name] for name in names])
    fitted = deductive.suggest(X, definitions, SuggestOptions())
    by_name = deductive.score(truth, (X @ label_names.T).argmax(axis=1), len(names))
    by_definition = deductive.score(truth, fitted.ranking(fitted.similarities(X))[:, 0],
                                    len(names))
    return {"label name acc": by_name.accuracy, "label name F1": by_name.macro_f1,
            "definitions acc": by_definition.accuracy, "definitions F1": by_definition.macro_f1}


def deductive_texts() -> list[str]:
    from benchmarks import deductive
    from focuscode.export.codebooks import read_codebook

    codes = read_codebook(deductive.CODEBOOK).codes
    return [c.definition or c.name for c in codes] + [c.name for c in codes]


# --- the run ------------------------------------------------------------------------------------

def run(specs: Sequence[str] = DEFAULT_BACKENDS, model_dir: Path = DEFAULT_DIR,
        sizes: Sequence[int] = (3000, 0), reps: int = 5, dialogues: int = 300,
        cluster_sizes: Sequence[int] = (300, 1000), footprint_reps: int = 2,
        noise_seeds: int = 3, seed: int = 0, deductive: bool = True,
        thread_specs: Sequence[str] = ("torch", "ort", f"ort:{INT8}"), thread_texts: int = 1000,
        footprint_texts: int = 1000, save: Path | None = None, console=None) -> dict:
    """Every measurement; prints tables and returns the figures. ``sizes``: turn counts for
    throughput (0: all distinct turns); ``thread_specs``: backends whose thread count (and,
    for onnxruntime, sorting) is varied; empty to skip."""
    from rich.console import Console
    from rich.table import Table

    _offline()
    console = console or Console(width=max(Console().width, 150))
    backends = [Backend(spec, Path(model_dir)) for spec in specs]
    reference = backends[0].spec
    turns = all_turns()
    result: dict = {"specs": list(specs), "environment": _environment()}

    # speed, interleaved in this process
    speed = {}
    kept: dict[str, np.ndarray] = {}
    for n in sizes:
        texts = sample(turns, n or len(turns), seed)
        speed[f"{len(texts)} turns"] = throughput(backends, texts, reps,
                                                  kept if texts is turns else None)
    if dialogues:
        speed[f"{dialogues} dialogues"] = throughput(
            backends, data.mts_dialogues(dialogues, seed).texts, reps)
    result["throughput"] = speed
    table = Table(title="Throughput, texts/s: median (min-max) over interleaved repetitions")
    table.add_column("backend")
    for name in speed:
        table.add_column(name, justify="right")
    for spec in specs:
        table.add_row(spec, *(f"{s[spec]['median']:.0f} ({s[spec]['min']:.0f}-"
                              f"{s[spec]['max']:.0f})" for s in speed.values()))
    console.print(table)

    if thread_specs:
        result["threads"] = _threads(thread_specs, Path(model_dir),
                                     sample(turns, thread_texts, seed), reps, console)

    # quality: every backend embeds the union of the texts once (the turns perhaps already)
    corpora = [c for n in cluster_sizes for c in (data.mts_dialogues(n, seed),
                                                  data.mts_turns(n, seed))]
    needed = list(dict.fromkeys(turns + data.mts_dialogues(None).texts + deductive_texts()
                                + [text for corpus in corpora for text in corpus.texts]))
    vectors: dict[str, dict[str, np.ndarray]] = {}
    for backend in backends:
        if backend.spec in kept:
            matrix = np.vstack([kept[backend.spec], backend.encode(needed[len(turns):])])
        else:
            matrix = backend.encode(needed)
        vectors[backend.spec] = dict(zip(needed, matrix))
    if save:
        np.savez_compressed(save, texts=np.array(needed, dtype=object),
                            **{spec: np.vstack(list(t.values())) for spec, t in vectors.items()})
    ref_turns = np.vstack([vectors[reference][t] for t in turns])
    dialogue_texts = data.mts_dialogues(None).texts
    ref_dialogues = np.vstack([vectors[reference][t] for t in dialogue_texts])
    agreement = {}
    for spec in specs:
        agreement[spec] = {
            "turns": cosine_to(ref_turns, np.vstack([vectors[spec][t] for t in turns])),
            "dialogues": cosine_to(ref_dialogues,
                                   np.vstack([vectors[spec][t] for t in dialogue_texts]))}
    result["cosine_to_reference"] = agreement
    sample_texts = sample(turns, 1000, seed)
    result["determinism"] = {b.spec: determinism(b, sample_texts, seed) for b in backends}
    table = Table(title=f"Agreement with {reference} (cosine per text) and determinism "
                        "(max |diff| over 1,000 turns)")
    for column in ("backend", "turns mean", "turns p01", "turns min", "dialogues mean",
                   "dialogues min", "rerun", "shuffled order"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    for spec in specs:
        a, d = agreement[spec], result["determinism"][spec]
        table.add_row(spec, f"{a['turns']['mean']:.6f}", f"{a['turns']['p01']:.6f}",
                      f"{a['turns']['min']:.6f}", f"{a['dialogues']['mean']:.6f}",
                      f"{a['dialogues']['min']:.6f}", f"{d['rerun_max_abs']:.1e}",
                      f"{d['shuffled_max_abs']:.1e}")
    console.print(table)

    worst = min(a["turns"]["mean"] for a in agreement.values())
    result["clustering"] = clustering(corpora, vectors, reference, noise_seeds, worst)
    table = Table(title=f"focuscode clustering with each backend's vectors (noise rows: "
                        f"{reference} vectors perturbed to mean cosine {worst:.4f})")
    for column in ("corpus", "backend", "NMI", "ARI", "unassigned", "themes",
                   f"NMI vs {reference}"):
        table.add_column(column, justify="left" if column in ("corpus", "backend") else "right")
    for row in result["clustering"]:
        table.add_row(row["corpus"], row["backend"], f"{row['nmi']:.3f}", f"{row['ari']:.3f}",
                      f"{row['unassigned']:.0%}", str(row["themes"]),
                      f"{row['nmi_vs_reference']:.3f}")
    console.print(table)

    if deductive:
        result["deductive"] = {spec: deductive_scores(vectors[spec]) for spec in specs}
        table = Table(title="Deductive suggestions, all 1,301 dialogues, no coder: top-1")
        for column in ("backend", "label name acc", "label name F1", "definitions acc",
                       "definitions F1"):
            table.add_column(column, justify="left" if column == "backend" else "right")
        for spec, scores in result["deductive"].items():
            table.add_row(spec, *(f"{value:.3f}" for value in scores.values()))
        console.print(table)

    if footprint_reps:
        result["footprint"] = footprint(list(specs), Path(model_dir),
                                        sample(turns, footprint_texts, seed), footprint_reps)
        table = Table(title=f"Fresh process per backend ({footprint_texts} turns): "
                            "median (min-max)")
        for column in ("backend", "import s", "load s", "encode s", "peak RSS MB"):
            table.add_column(column, justify="left" if column == "backend" else "right")
        for spec, f in result["footprint"].items():
            table.add_row(spec, *(f"{f[k]['median']:.2f} ({f[k]['min']:.2f}-{f[k]['max']:.2f})"
                                  for k in ("import_s", "load_s", "encode_s", "rss_mb")))
        console.print(table)
    return result


def _threads(specs: Sequence[str], model_dir: Path, texts: list[str], reps: int,
             console) -> dict:
    """Default thread count against 1 and 2 threads, and onnxruntime with and without length
    sorting, interleaved."""
    from rich.table import Table

    variants = []
    for spec in specs:
        backend = Backend(spec, model_dir)
        base = spec.partition("@")[0]
        if backend.kind in ("torch", "torch-raw", "ort"):
            variants += [base, f"{base}@1", f"{base}@2"]
        if backend.kind == "ort":
            variants.append(base.replace("ort", "ort-unsorted", 1))
    variants = list(dict.fromkeys(variants))
    found = throughput([Backend(v, model_dir) for v in variants], texts, reps)
    info: dict = {"variants": found}
    try:
        import torch

        info["torch_default_threads"] = torch.get_num_threads()
        info["torch_interop_threads"] = torch.get_num_interop_threads()
    except ImportError:
        pass
    table = Table(title=f"Threads and sorting, {len(texts)} turns, texts/s (torch default "
                        f"threads: {info.get('torch_default_threads')})")
    for column in ("variant", "median", "min", "max"):
        table.add_column(column, justify="left" if column == "variant" else "right")
    for spec, s in found.items():
        table.add_row(spec, f"{s['median']:.0f}", f"{s['min']:.0f}", f"{s['max']:.0f}")
    console.print(table)
    return info


def _environment() -> dict[str, str]:
    from importlib import metadata

    versions = {}
    for name in ("sentence-transformers", "transformers", "torch", "onnxruntime", "onnx",
                 "optimum", "optimum-onnx", "tokenizers", "numpy"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    versions["cpu_count"] = str(os.cpu_count())
    versions["loadavg"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.backends",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", action="store_true", help="export the ONNX files first")
    parser.add_argument("--export-only", action="store_true", help="export, then stop")
    parser.add_argument("--method", choices=["auto", "optimum", "plain"], default="auto")
    parser.add_argument("--quantize", nargs="*", default=["avx512_vnni"],
                        help="int8 configurations: arm64 avx2 avx512 avx512_vnni")
    parser.add_argument("--optimize", nargs="*", default=["O1", "O2", "O3"])
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--backends", nargs="+", default=DEFAULT_BACKENDS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[3000, 0],
                        help="turns for throughput (0: all distinct turns)")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--dialogues", type=int, default=300)
    parser.add_argument("--cluster-sizes", type=int, nargs="*", default=[300, 1000])
    parser.add_argument("--footprint-reps", type=int, default=2)
    parser.add_argument("--noise-seeds", type=int, default=3)
    parser.add_argument("--no-deductive", action="store_true")
    parser.add_argument("--thread-backends", nargs="*", default=["torch", "ort", f"ort:{INT8}"],
                        help="backends run with 1, 2 and default threads (none: skip)")
    parser.add_argument("--thread-texts", type=int, default=1000)
    parser.add_argument("--footprint-texts", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--save-vectors", type=Path, help="write every backend's vectors (.npz)")
    args = parser.parse_args(argv)
    try:
        if args.export or args.export_only:
            times = export(args.model_dir, args.quantize, args.optimize, args.method)
            print(json.dumps(times, indent=1))
            if args.export_only:
                return 0
        result = run(args.backends, args.model_dir, args.sizes, args.reps, args.dialogues,
                     args.cluster_sizes, args.footprint_reps, args.noise_seeds,
                     deductive=not args.no_deductive, thread_specs=args.thread_backends,
                     thread_texts=args.thread_texts, footprint_texts=args.footprint_texts,
                     save=args.save_vectors)
    except data.DataMissing as missing:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
