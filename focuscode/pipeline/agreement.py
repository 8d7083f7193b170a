"""Inter-coder agreement on nominal data: percent agreement, Cohen's kappa (scikit-learn) and
Krippendorff's alpha (the ``krippendorff`` package), with missing data as NaN.

``data`` is a coders x units matrix of category numbers (floats), NaN where a coder did not code
the unit. Each function returns None where the statistic is undefined (no pairable units, or a
single category observed: agreement beyond chance cannot be told apart from chance).
"""

from __future__ import annotations

import numpy as np


def pairable(data: np.ndarray) -> np.ndarray:
    """Units coded by at least two coders."""
    return (~np.isnan(np.asarray(data, dtype=float))).sum(axis=0) >= 2


def percent_agreement(data: np.ndarray) -> float | None:
    """Share of pairable units on which every coder who coded it gave the same value."""
    data = np.asarray(data, dtype=float)
    units = data[:, pairable(data)]
    if units.shape[1] == 0:
        return None
    agree = [len(set(column[~np.isnan(column)].tolist())) == 1 for column in units.T]
    return float(np.mean(agree))


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float | None:
    """Cohen's kappa of two coders over the units both coded."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    both = ~np.isnan(a) & ~np.isnan(b)
    if not both.any():
        return None
    a, b = a[both], b[both]
    if len(set(a.tolist()) | set(b.tolist())) < 2:
        return None
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(a.astype(int), b.astype(int)))


def krippendorff_alpha(data: np.ndarray) -> float | None:
    """Krippendorff's alpha for nominal data, any number of coders, missing values allowed."""
    data = np.asarray(data, dtype=float)
    data = data[:, pairable(data)]
    if data.shape[1] == 0:
        return None
    values = set(data[~np.isnan(data)].tolist())
    if len(values) < 2:
        return None
    import krippendorff

    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
