"""The statistics agree with values computed by hand or published in textbooks and papers."""

from __future__ import annotations

import math

import pytest

from focuscode.pipeline import statistics


def test_fisher_exact_on_the_lady_tasting_tea() -> None:
    # Fisher (1935): 3 of 4 cups right each way; two-sided p = (1 + 16 + 1) ... = 34/70
    result = statistics.check_independence([[3, 1], [1, 3]])
    assert result.test == "Fisher's exact"
    assert result.p_value == pytest.approx(34 / 70)


def test_fisher_exact_on_a_perfect_split_is_two_tables_out_of_252() -> None:
    # hypergeometric: C(10,5) = 252 tables with these margins, the two extreme ones as likely
    result = statistics.check_independence([[5, 0], [0, 5]])
    assert result.test == "Fisher's exact"
    assert result.p_value == pytest.approx(2 / 252)


def test_chi_square_with_yates_correction_when_counts_allow() -> None:
    # expected 40, 60, 40, 60; (|30 - 40| - 0.5)^2 = 90.25 in every cell
    result = statistics.check_independence([[30, 70], [50, 50]])
    assert result.test == "chi-square"
    expected = 90.25 / 40 + 90.25 / 60 + 90.25 / 40 + 90.25 / 60
    assert result.statistic == pytest.approx(expected)
    # chi-square with 1 degree of freedom: p = erfc(sqrt(x / 2))
    assert result.p_value == pytest.approx(math.erfc(math.sqrt(expected / 2)))


def test_cochrans_rule_decides_between_the_tests() -> None:
    assert statistics.chi_square_allowed([[30, 70], [50, 50]])
    assert not statistics.chi_square_allowed([[3, 1], [1, 3]])  # expected 2 everywhere
    # 3 x 2 with one small expected cell of six (17%): chi-square is still allowed
    assert statistics.chi_square_allowed([[20, 80], [20, 80], [3, 12]])
    assert not statistics.chi_square_allowed([[1, 20], [0, 20], [1, 20]])


def test_larger_tables_use_a_seeded_monte_carlo_fisher_test() -> None:
    table = [[2, 100], [0, 150], [1, 50]]
    first = statistics.check_independence(table, random_state=3)
    again = statistics.check_independence(table, random_state=3)
    assert first.test == "Fisher's exact (Monte Carlo)"
    assert first.p_value == again.p_value
    assert 0.05 < first.p_value <= 1


def test_nothing_to_test_when_a_margin_is_empty() -> None:
    assert statistics.check_independence([[0, 10], [0, 12]]).test == ""
    assert statistics.check_independence([[0, 0], [3, 4]]).p_value is None


def _wilson(count: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = count / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_risk_difference_matches_newcombes_published_interval() -> None:
    # Newcombe (1998), Statistics in Medicine 17:873, table II, example (a): 56/70 vs 48/80,
    # method 10 (score interval, hybrid): 0.0524 to 0.3339
    effect = statistics.risk_difference(56, 70, 48, 80)
    assert effect.value == pytest.approx(0.2)
    assert effect.ci_low == pytest.approx(0.0524, abs=5e-5)
    assert effect.ci_high == pytest.approx(0.3339, abs=5e-5)


def test_risk_difference_matches_newcombe_computed_by_hand_with_zeros() -> None:
    # Newcombe's hybrid from two Wilson intervals, written out independently here
    count1, n1, count2, n2 = 0, 10, 7, 9
    p1, p2 = count1 / n1, count2 / n2
    (l1, u1), (l2, u2) = _wilson(count1, n1), _wilson(count2, n2)
    low = p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    effect = statistics.risk_difference(count1, n1, count2, n2)
    assert (effect.value, effect.ci_low, effect.ci_high) == pytest.approx((p1 - p2, low, high))


def test_cramers_v_by_hand_and_its_interval() -> None:
    assert statistics.cramers_v([[10, 0], [0, 10]]) == pytest.approx(1.0)
    assert statistics.cramers_v([[5, 5], [5, 5]]) == pytest.approx(0.0)
    # 3 x 2: chi2 = sum (O - E)^2 / E with E from the margins; V = sqrt(chi2 / n)
    table = [[10, 20], [20, 10], [15, 15]]
    n = 90
    expected = [[15, 15], [15, 15], [15, 15]]
    chi2 = sum((o - e) ** 2 / e for row, erow in zip(table, expected) for o, e in zip(row, erow))
    assert statistics.cramers_v(table) == pytest.approx(math.sqrt(chi2 / n))
    effect = statistics.cramers_v_interval(table, random_state=0)
    assert effect.ci_low <= effect.value <= effect.ci_high <= 1
    assert statistics.cramers_v_interval(table, random_state=0) == effect  # seeded


def test_benjamini_hochberg_by_hand() -> None:
    # sorted 0.01, 0.03, 0.04, 0.2 (m = 4): p * m / rank = 0.04, 0.06, 0.0533, 0.2, then the
    # running minimum from the largest rank down: 0.04, 0.0533, 0.0533, 0.2
    q = statistics.adjust_bh([0.01, 0.04, None, 0.03, 0.2])
    assert q[2] is None
    assert [q[0], q[1], q[3], q[4]] == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])


def test_weighted_log_odds_by_hand() -> None:
    # prior x:1, y:1 scaled to 2 pseudo-counts -> alpha_x = alpha_y = 1, alpha_0 = 2.
    # group a, word x: y_i = 3, n_i = 4, y_j = 1, n_j = 4:
    # delta = log(4 / (4 + 2 - 3 - 1)) - log(2 / (4 + 2 - 1 - 1)) = 2 log 2,
    # variance = 1/4 + 1/2, z = 2 log 2 / sqrt(0.75)
    scores = statistics.weighted_log_odds({"a": {"x": 3, "y": 1}, "b": {"x": 1, "y": 3}},
                                          {"x": 1, "y": 1}, prior_size=2)
    z = 2 * math.log(2) / math.sqrt(0.75)
    assert scores["a"]["x"] == pytest.approx(z)
    assert scores["b"]["x"] == pytest.approx(-z)
    assert scores["a"]["y"] == pytest.approx(-z)
