"""Codebook codes to segments: embedding similarity to each code's definition, examples and
confirmed segments, a calibrated threshold, and the nearest evidence as the reason why.

Each code is represented by the weighted mean (the *centroid*) of its evidence vectors: its
definition, each example quote and each segment a coder confirmed for it (the caller weighs them;
``workflows.suggesting`` gives the definition twice the weight of one example). The more
segments are confirmed, the more the centroid is the researchers' own usage of the code. A
segment is never its own evidence: a vector equal to one of a code's evidence vectors is scored
against the code's centroid without it (leave-one-out), so scores of confirmed segments are
honest.

Calibration. Raw cosines are not comparable across codes (a broad definition is close to
everything), so each code's similarities over the corpus are turned into robust z-scores
(median and MAD of the code's column): how unusually close a segment is to the code, compared
with the rest of the data. That score is the *calibrated score* the threshold applies to. A code
is suggested for a segment where

- its calibrated score reaches the threshold,
- its cosine is within ``margin`` of the segment's best code (the z-score alone would favour a
  narrow code over the code the segment is plainly closest to, when the whole corpus is about
  the latter), and
- its cosine reaches ``min_similarity`` (a code nothing in the data is about gets none),

at most ``max_codes`` per segment, highest cosine first. The threshold is ``default_threshold``
until coders have decided enough segment x code pairs (``min_decisions``, with at least
``min_each`` of each kind); then it is the score that best separates what they applied from
what they did not (highest F1). Measured on MTS-Dialog (``python -m benchmarks deductive``), the
margin raised both precision and recall over the z-score alone, and the threshold fitted to
coded dialogues came out near the default.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from focuscode.domain import AnalysisError
from focuscode.pipeline.vectors import unit_rows

SELF_MATCH = 0.9999  # cosine above which two vectors are the same text
CHUNK = 4096  # rows compared with every evidence vector at once


class CodeAssigner:
    """Scores segments against codes, shaped like a scikit-learn estimator.

    Parameters
    ----------
    threshold : calibrated score (robust z) from which a code is suggested; ``None`` fits it to
        coders' decisions when there are enough, else uses ``default_threshold``.
    default_threshold : the threshold before there are enough decisions.
    margin : a suggested code's cosine is at most this far below the segment's best code's
        (``None``: no such condition).
    min_similarity : raw cosine a suggestion needs at least (absolute floor).
    max_codes : most codes suggested per segment.
    min_decisions, min_each : decisions needed to fit the threshold (pairs in all, and of each
        kind, confirmed and rejected).

    ``fit(X, evidence, evidence_codes, evidence_weights=None, decided=None)``: ``X`` the corpus
    (unit rows), ``evidence`` unit vectors, ``evidence_codes`` the code number (0..n_codes-1) of
    each, ``evidence_weights`` their weights (default 1), ``decided`` optional
    ``(row of X, code number, confirmed?)`` triples.

    Fitted attributes: ``n_codes_``, ``sums_`` (weighted evidence sums, codes x dim),
    ``centroids_`` (unit), ``median_`` and ``scale_`` (per code, over the corpus),
    ``threshold_``, ``calibration_`` (a sentence saying how the threshold was chosen),
    ``n_decisions_``.
    """

    def __init__(self, *, threshold: float | None = None, default_threshold: float = 1.0,
                 margin: float | None = 0.05, min_similarity: float = 0.2, max_codes: int = 3,
                 min_decisions: int = 10, min_each: int = 3) -> None:
        self.threshold = threshold
        self.default_threshold = default_threshold
        self.margin = margin
        self.min_similarity = min_similarity
        self.max_codes = max_codes
        self.min_decisions = min_decisions
        self.min_each = min_each

    # fitting ------------------------------------------------------------------------------------
    def fit(self, X: np.ndarray, evidence: np.ndarray, evidence_codes: Sequence[int],
            evidence_weights: Sequence[float] | None = None,
            decided: Sequence[tuple[int, int, bool]] | None = None) -> "CodeAssigner":
        X = _rows(X)
        evidence = _rows(evidence)
        codes = np.asarray(evidence_codes, dtype=int)
        if len(codes) != len(evidence):
            raise AnalysisError("every evidence vector needs its code")
        if len(evidence) == 0:
            raise AnalysisError("no code has a definition or an example to compare segments with",
                                hint="give the codes definitions or example quotes")
        if self.max_codes < 1:
            raise AnalysisError("max_codes must be at least 1")
        weights = np.ones(len(codes)) if evidence_weights is None else \
            np.asarray(evidence_weights, dtype=float)
        self.n_codes_ = int(codes.max()) + 1
        self.evidence_ = evidence
        self.evidence_codes_ = codes
        self.evidence_weights_ = weights
        self.sums_ = np.zeros((self.n_codes_, evidence.shape[1]))
        np.add.at(self.sums_, codes, evidence * weights[:, None])
        self.centroids_ = unit_rows(self.sums_)
        similarities = self.similarities(X) if len(X) else np.zeros((0, self.n_codes_))
        self.median_, self.scale_ = _robust_location_scale(similarities)
        self.n_decisions_ = len(decided or ())
        self.threshold_, self.calibration_ = self._fit_threshold(X, similarities, decided or ())
        return self

    def _fit_threshold(self, X: np.ndarray, similarities: np.ndarray,
                       decided: Sequence[tuple[int, int, bool]]) -> tuple[float, str]:
        if self.threshold is not None:
            return float(self.threshold), f"set to {self.threshold:g}"
        default = (float(self.default_threshold),
                   f"the default {self.default_threshold:.2f}")
        if not decided:
            return default[0], f"{default[1]} (no coder's decisions to fit it to yet)"
        rows = np.array([d[0] for d in decided], dtype=int)
        cols = np.array([d[1] for d in decided], dtype=int)
        truth = np.array([bool(d[2]) for d in decided])
        n_yes, n_no = int(truth.sum()), int((~truth).sum())
        if len(truth) < self.min_decisions or n_yes < self.min_each or n_no < self.min_each:
            text = (f"{default[1]}: fitted to coders' decisions from {self.min_decisions} with "
                    f"{self.min_each} applied and {self.min_each} not; {n_yes} and {n_no} so far")
            return default[0], text
        z = self._z(similarities[rows, cols], cols)
        eligible = self._eligible(similarities)[rows, cols]
        best_t, best_f1 = default[0], -1.0
        candidates = np.unique(z[eligible]) if eligible.any() else np.array([default[0]])
        for t in candidates:
            predicted = eligible & (z >= t)
            tp = int((predicted & truth).sum())
            f1 = 2 * tp / (predicted.sum() + n_yes) if (predicted.sum() + n_yes) else 0.0
            if f1 > best_f1 + 1e-12:
                best_t, best_f1 = float(t), f1
        # halfway down to the next lower score: a new segment just under the last one counts
        lower = z[eligible & (z < best_t)]
        if len(lower):
            best_t = (best_t + float(lower.max())) / 2
        return best_t, (f"fitted to coders' decisions: {n_yes} applied, {n_no} not "
                        f"(F1 {best_f1:.2f} on them)")

    # scoring ------------------------------------------------------------------------------------
    def similarities(self, X: np.ndarray) -> np.ndarray:
        """Cosine of each row to each code's centroid (leave-one-out for evidence rows)."""
        X = _rows(X)
        scores = X @ self.centroids_.T
        matches = np.vstack([np.argwhere(X[begin:begin + CHUNK] @ self.evidence_.T >= SELF_MATCH)
                             + [begin, 0] for begin in range(0, len(X), CHUNK)] or
                            [np.zeros((0, 2), dtype=int)])
        if len(matches):
            removed: dict[tuple[int, int], np.ndarray] = {}
            for row, j in matches:
                key = (int(row), int(self.evidence_codes_[j]))
                removed[key] = removed.get(key, 0) + self.evidence_weights_[j] * self.evidence_[j]
            for (row, code), vector in removed.items():
                rest = self.sums_[code] - vector
                norm = float(np.linalg.norm(rest))
                scores[row, code] = float(X[row] @ rest) / norm if norm > 1e-9 else -1.0
        return scores

    def transform(self, X: np.ndarray) -> np.ndarray:
        """Calibrated scores (robust z of the similarity, per code); rows x codes."""
        similarities = self.similarities(X)
        return (similarities - self.median_) / self.scale_

    def _z(self, values: np.ndarray, codes: np.ndarray) -> np.ndarray:
        return (values - self.median_[codes]) / self.scale_[codes]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Boolean rows x codes: the codes suggested for each row."""
        return self.suggest(self.similarities(X))

    def suggest(self, similarities: np.ndarray) -> np.ndarray:
        """``predict`` from similarities already computed."""
        z = (similarities - self.median_) / self.scale_
        eligible = (z >= self.threshold_) & self._eligible(similarities)
        order = np.argsort(-similarities, axis=1, kind="stable")
        ranks = np.empty_like(order)
        ranks[np.arange(len(order))[:, None], order] = np.arange(order.shape[1])[None, :]
        eligible_ranks = np.where(eligible, ranks, order.shape[1])
        # keep the best max_codes of the eligible codes of each row
        kept = np.argsort(eligible_ranks, axis=1, kind="stable")[:, :self.max_codes]
        result = np.zeros_like(eligible)
        rows = np.arange(len(order))[:, None]
        result[rows, kept] = eligible[rows, kept]
        return result

    def _eligible(self, similarities: np.ndarray) -> np.ndarray:
        """Pairs the threshold may select: above the floor, near the segment's best code."""
        eligible = similarities >= self.min_similarity
        if self.margin is not None and similarities.shape[1]:
            best = similarities.max(axis=1, keepdims=True)
            eligible &= similarities >= best - self.margin
        return eligible

    def ranking(self, similarities: np.ndarray) -> np.ndarray:
        """Codes of each row best first: the suggested ones by similarity, then the others by
        similarity (rows x codes of code numbers)."""
        suggested = self.suggest(similarities)
        keys = np.where(suggested, similarities + 10.0, similarities)  # cosines are <= 1
        return np.argsort(-keys, axis=1, kind="stable")

    def nearest_evidence(self, X: np.ndarray) -> np.ndarray:
        """Index (into the fitted evidence) of each code's evidence nearest to each row, itself
        excluded; -1 when the code has no other evidence. Rows x codes."""
        X = _rows(X)
        result = np.full((len(X), self.n_codes_), -1, dtype=int)
        columns_of = [np.flatnonzero(self.evidence_codes_ == code)
                      for code in range(self.n_codes_)]
        for begin in range(0, len(X), CHUNK):  # rows x evidence at a time: bounded memory
            cosines = X[begin:begin + CHUNK] @ self.evidence_.T
            cosines[cosines >= SELF_MATCH] = -np.inf
            rows = np.arange(len(cosines))
            for code, columns in enumerate(columns_of):
                if not len(columns):
                    continue
                block = cosines[:, columns]
                best = block.argmax(axis=1)
                found = np.isfinite(block[rows, best])
                result[begin + rows[found], code] = columns[best[found]]
        return result


def _rows(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise AnalysisError("expected a matrix of vectors (rows)")
    return X


def _robust_location_scale(similarities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median and MAD (scaled to a normal's standard deviation) of each column; the standard
    deviation where the MAD is 0, and 1 where both are (or with fewer than 3 rows)."""
    n_codes = similarities.shape[1]
    if similarities.shape[0] < 3:
        return np.zeros(n_codes), np.ones(n_codes)
    median = np.median(similarities, axis=0)
    scale = 1.4826 * np.median(np.abs(similarities - median), axis=0)
    std = similarities.std(axis=0)
    scale = np.where(scale > 1e-9, scale, np.where(std > 1e-9, std, 1.0))
    return median, scale
