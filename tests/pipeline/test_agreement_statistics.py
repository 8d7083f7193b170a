"""Agreement statistics against textbook examples; undefined cases give None."""

from __future__ import annotations

import numpy as np
import pytest

from focuscode.pipeline.agreement import (
    cohen_kappa,
    krippendorff_alpha,
    pairable,
    percent_agreement,
)

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: four observers,
# twelve units, nominal values 1-5, missing data; alpha (nominal) = 0.743.
KRIPPENDORFF_2011 = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])


def cohen_example() -> tuple[np.ndarray, np.ndarray]:
    """The worked example of Cohen's kappa (e.g. Wikipedia): 50 grant proposals, readers A and B
    both say yes to 20, A yes B no 5, A no B yes 10, both no 15: p_o 0.7, p_e 0.5, kappa 0.4."""
    a = np.array([1] * 20 + [1] * 5 + [0] * 10 + [0] * 15, dtype=float)
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15, dtype=float)
    return a, b


def test_krippendorffs_own_example_with_missing_values() -> None:
    assert krippendorff_alpha(KRIPPENDORFF_2011) == pytest.approx(0.743, abs=5e-4)
    # unit 12 has one value only: not pairable, left out
    assert pairable(KRIPPENDORFF_2011).tolist() == [True] * 11 + [False]


def test_cohens_worked_example() -> None:
    a, b = cohen_example()
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement(np.vstack([a, b])) == pytest.approx(0.7)
    # two coders: alpha is close to kappa (it corrects for small samples)
    assert krippendorff_alpha(np.vstack([a, b])) == pytest.approx(0.4, abs=0.02)


def test_kappa_uses_the_units_both_coded() -> None:
    a, b = cohen_example()
    a_missing = np.r_[a, [1, 0, NAN]]
    b_missing = np.r_[b, [NAN, NAN, 1]]
    assert cohen_kappa(a_missing, b_missing) == pytest.approx(0.4)


def test_perfect_and_chance_agreement() -> None:
    a = np.array([1, 0, 1, 0, 1, 0], dtype=float)
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert krippendorff_alpha(np.vstack([a, a])) == pytest.approx(1.0)
    assert percent_agreement(np.vstack([a, 1 - a])) == 0.0
    assert cohen_kappa(a, 1 - a) == pytest.approx(-1.0)


def test_undefined_statistics_are_none() -> None:
    same = np.array([[0, 0, 0], [0, 0, 0]], dtype=float)
    assert (cohen_kappa(same[0], same[1]), krippendorff_alpha(same)) == (None, None)
    assert percent_agreement(same) == 1.0
    apart = np.array([[1, NAN], [NAN, 0]], dtype=float)  # no unit coded by both
    assert (cohen_kappa(apart[0], apart[1]), krippendorff_alpha(apart),
            percent_agreement(apart)) == (None, None, None)
