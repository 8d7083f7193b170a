"""Row vectors."""

from __future__ import annotations

import numpy as np


def unit_rows(X: np.ndarray) -> np.ndarray:
    """Every row of ``X`` divided by its length (a row of zeros stays zeros)."""
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return X / norms
