"""Statistics for reports: pure functions over counts, wrapping scipy and statsmodels.

Kept in ``export/`` because they only describe finished results for a reader (they never change
what the analysis finds) and depend on nothing but counts. No hand-written tests of significance:
scipy computes the tests, statsmodels the intervals and the false-discovery-rate correction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

MIN_EXPECTED = 5.0  # chi-square's approximation needs expected counts of at least 5 ...
MAX_SMALL_CELLS = 0.2  # ... in at least 80% of the cells (Cochran's rule), none below 1
MONTE_CARLO_RESAMPLES = 20_000  # Fisher-Freeman-Halton p-values for tables larger than 2x2
BOOTSTRAP_RESAMPLES = 2_000


@dataclass(frozen=True)
class IndependenceResult:
    """Which test ran and what it gave; ``test`` is "" when nothing could be tested."""

    test: str
    statistic: float | None
    p_value: float | None


@dataclass(frozen=True)
class Effect:
    measure: str
    value: float | None
    ci_low: float | None
    ci_high: float | None


def expected_counts(table: Sequence[Sequence[int]]) -> np.ndarray:
    """Counts expected under independence (row total x column total / grand total)."""
    array = np.asarray(table, dtype=float)
    total = array.sum()
    if total == 0:
        return np.zeros_like(array)
    return np.outer(array.sum(axis=1), array.sum(axis=0)) / total


def chi_square_allowed(table: Sequence[Sequence[int]]) -> bool:
    """Cochran's rule: no expected count below 1, at most 20% below 5 (all of them, for 2x2)."""
    expected = expected_counts(table)
    if expected.size == 0 or (expected < 1).any():
        return False
    small = (expected < MIN_EXPECTED).mean()
    if expected.shape == (2, 2):
        return small == 0
    return small <= MAX_SMALL_CELLS


def check_independence(table: Sequence[Sequence[int]], *,
                       random_state: int = 0) -> IndependenceResult:
    """Groups (rows) x (has the code, has not) (columns): chi-square where the counts allow it,
    otherwise Fisher's exact test (exact for 2x2; Monte Carlo with a fixed seed for larger tables).
    A table whose rows or columns are all zero cannot be tested."""
    from scipy import stats

    array = np.asarray(table, dtype=np.int64)
    if array.ndim != 2 or array.shape[0] < 2 or array.shape[1] < 2:
        return IndependenceResult("", None, None)
    if (array.sum(axis=1) == 0).any() or (array.sum(axis=0) == 0).any():
        return IndependenceResult("", None, None)
    if chi_square_allowed(array):
        result = stats.chi2_contingency(array, correction=True)
        return IndependenceResult("chi-square", float(result.statistic), float(result.pvalue))
    if array.shape == (2, 2):
        result = stats.fisher_exact(array)
        return IndependenceResult("Fisher's exact", float(result.statistic), float(result.pvalue))
    method = stats.MonteCarloMethod(n_resamples=MONTE_CARLO_RESAMPLES,
                                    rng=np.random.default_rng(random_state))
    result = stats.fisher_exact(array, method=method)
    return IndependenceResult("Fisher's exact (Monte Carlo)", None, float(result.pvalue))




def risk_difference(count1: int, n1: int, count2: int, n2: int, *,
                    alpha: float = 0.05) -> Effect:
    """p1 - p2 with Newcombe's hybrid score interval (sound for small counts and zeros)."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    if n1 == 0 or n2 == 0:
        return Effect("risk difference", None, None, None)
    low, high = confint_proportions_2indep(count1, n1, count2, n2, method="newcomb",
                                           compare="diff", alpha=alpha)
    return Effect("risk difference", count1 / n1 - count2 / n2, float(low), float(high))


def cramers_v(table: Sequence[Sequence[int]]) -> float | None:
    """Cramér's V (no bias correction), 0 = no association, 1 = complete."""
    from scipy.stats.contingency import association

    array = np.asarray(table, dtype=np.int64)
    if (array.sum(axis=1) == 0).any() or (array.sum(axis=0) == 0).any():
        return None
    return float(association(array, method="cramer"))


def cramers_v_interval(table: Sequence[Sequence[int]], *, alpha: float = 0.05,
                       random_state: int = 0) -> Effect:
    """Cramér's V with a percentile bootstrap interval (observations resampled, seeded)."""
    from scipy import stats

    array = np.asarray(table, dtype=np.int64)
    value = cramers_v(array)
    if value is None:
        return Effect("Cramér's V", None, None, None)
    rows = np.repeat(np.arange(array.shape[0]), array.sum(axis=1))
    cols = np.concatenate([np.repeat(np.arange(array.shape[1]), r) for r in array])
    n_rows, n_cols = array.shape

    def statistic(row: np.ndarray, col: np.ndarray, axis: int = -1) -> np.ndarray:
        # Vectorised over resamples: rebuild each resampled table, then V from its chi-square.
        row, col = np.moveaxis(row, axis, -1), np.moveaxis(col, axis, -1)
        tables = ((row[..., None, None] == np.arange(n_rows)[:, None])
                  & (col[..., None, None] == np.arange(n_cols)[None, :])).sum(axis=-3)
        total = tables.sum(axis=(-2, -1))[..., None, None]
        expected = tables.sum(axis=-1)[..., :, None] * tables.sum(axis=-2)[..., None, :] / total
        with np.errstate(divide="ignore", invalid="ignore"):
            chi2 = np.where(expected > 0, (tables - expected) ** 2 / expected, 0.0).sum(
                axis=(-2, -1))
        return np.sqrt(chi2 / (total[..., 0, 0] * (min(n_rows, n_cols) - 1)))

    result = stats.bootstrap((rows, cols), statistic, paired=True, vectorized=True,
                             n_resamples=BOOTSTRAP_RESAMPLES, confidence_level=1 - alpha,
                             method="percentile", rng=np.random.default_rng(random_state))
    low, high = result.confidence_interval
    return Effect("Cramér's V", value, float(low), float(high))


def adjust_bh(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini-Hochberg adjusted p-values (q-values); None stays None and is not counted."""
    from statsmodels.stats.multitest import multipletests

    present = [i for i, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    adjusted: list[float | None] = [None] * len(p_values)
    if present:
        _, q, _, _ = multipletests([p_values[i] for i in present], method="fdr_bh")
        for i, value in zip(present, q):
            adjusted[i] = float(value)
    return adjusted


def weighted_log_odds(counts: Mapping[str, Mapping[str, int]],
                      prior: Mapping[str, int], *, prior_size: float = 500.0
                      ) -> dict[str, dict[str, float]]:
    """Distinctive words per group: the log-odds ratio of each word in a group against all other
    groups, with an informative Dirichlet prior, as a z-score (Monroe, Colaresi & Quinn 2008,
    "Fightin' words", eq. 22). ``counts`` is group -> word -> count; ``prior`` word -> count in
    a background corpus, scaled to ``prior_size`` pseudo-counts. Returns group -> word -> z."""
    vocabulary = sorted({w for words in counts.values() for w in words} | set(prior))
    total_prior = sum(prior.get(w, 0) for w in vocabulary)
    if not vocabulary or total_prior == 0:
        return {group: {} for group in counts}
    alpha = {w: prior_size * prior.get(w, 0) / total_prior for w in vocabulary}
    alpha0 = sum(alpha.values())
    result: dict[str, dict[str, float]] = {}
    for group, words in counts.items():
        n_i = sum(words.values())
        rest = {w: sum(other.get(w, 0) for g, other in counts.items() if g != group)
                for w in vocabulary}
        n_j = sum(rest.values())
        scores: dict[str, float] = {}
        for w in vocabulary:
            y_i, y_j, a = words.get(w, 0), rest[w], alpha[w]
            if a <= 0 or (y_i == 0 and y_j == 0):
                continue
            delta = (math.log((y_i + a) / (n_i + alpha0 - y_i - a))
                     - math.log((y_j + a) / (n_j + alpha0 - y_j - a)))
            variance = 1 / (y_i + a) + 1 / (y_j + a)
            scores[w] = delta / math.sqrt(variance)
        result[group] = scores
    return result
