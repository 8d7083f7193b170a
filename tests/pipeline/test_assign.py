"""CodeAssigner: scores against code centroids, a calibrated threshold, several codes per segment,
leave-one-out for confirmed segments, the nearest evidence as the reason."""

from __future__ import annotations

import numpy as np
import pytest

from focuscode.domain import AnalysisError
from focuscode.pipeline.assign import CodeAssigner

DIM = 12


def unit(*rows: np.ndarray) -> np.ndarray:
    matrix = np.vstack(rows).astype(float)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def axis(i: int) -> np.ndarray:
    vector = np.zeros(DIM)
    vector[i] = 1.0
    return vector


@pytest.fixture
def corpus() -> tuple[np.ndarray, np.ndarray]:
    """60 segments: 15 near each of three code directions (axes 0-2), 15 about none of them
    (axes 3-11); and the codes' definitions (the axes themselves)."""
    rng = np.random.default_rng(0)
    rows = []
    for code in range(3):
        rows += [axis(code) * 2 + rng.normal(0, 0.35, DIM) for _ in range(15)]
    rows += [axis(3 + i % 9) * 2 + rng.normal(0, 0.35, DIM) for i in range(15)]
    return unit(*rows), unit(axis(0), axis(1), axis(2))


def test_init_stores_hyperparameters_unchanged_and_fit_returns_self(corpus) -> None:
    X, definitions = corpus
    assigner = CodeAssigner(threshold=None, default_threshold=1.0, margin=0.05,
                            min_similarity=0.2, max_codes=2)
    assert vars(assigner) == {"threshold": None, "default_threshold": 1.0, "margin": 0.05,
                              "min_similarity": 0.2, "max_codes": 2, "min_decisions": 10,
                              "min_each": 3}
    assert assigner.fit(X, definitions, [0, 1, 2]) is assigner
    assert assigner.n_codes_ == 3 and assigner.centroids_.shape == (3, DIM)
    assert assigner.threshold_ == 1.0


def test_each_segment_gets_the_code_it_is_about_and_others_none(corpus) -> None:
    X, definitions = corpus
    assigner = CodeAssigner().fit(X, definitions, [0, 1, 2])
    predicted = assigner.predict(X)
    for code in range(3):
        block = predicted[15 * code:15 * (code + 1)]
        assert block[:, code].mean() > 0.5  # most of the segments about the code
        assert not np.delete(block, code, axis=1).any()  # never another code
    assert not predicted[45:].any()  # segments about nothing in the codebook


def test_a_segment_between_two_codes_gets_both(corpus) -> None:
    X, definitions = corpus
    between = unit(axis(0) + axis(1))
    assigner = CodeAssigner().fit(np.vstack([X, between]), definitions, [0, 1, 2])
    assert assigner.predict(between).tolist() == [[True, True, False]]
    assert CodeAssigner(max_codes=1).fit(X, definitions, [0, 1, 2]).predict(between).sum() == 1


def test_a_code_nothing_is_about_gets_no_suggestion(corpus) -> None:
    """The z-score alone suggests a code's closest segments even when none is about it: the
    floor on the cosine stops that."""
    X, definitions = corpus
    X = X[45:]  # segments about nothing in the codebook
    loose = CodeAssigner(margin=None, min_similarity=-1.0).fit(X, definitions, [0, 1, 2])
    assert loose.predict(X).any()
    strict = CodeAssigner(margin=None, min_similarity=0.6).fit(X, definitions, [0, 1, 2])
    assert strict.similarities(X).max() < 0.6
    assert not strict.predict(X).any()


def test_confirmed_segments_are_scored_without_themselves(corpus) -> None:
    X, definitions = corpus
    evidence = np.vstack([definitions, X[:3]])  # three segments confirmed for code 0
    codes = [0, 1, 2, 0, 0, 0]
    assigner = CodeAssigner().fit(X, evidence, codes, [2, 2, 2, 1, 1, 1])
    similarities = assigner.similarities(X[:1])
    rest = 2 * definitions[0] + X[1] + X[2]
    expected = float(X[0] @ rest / np.linalg.norm(rest))
    assert similarities[0, 0] == pytest.approx(expected)
    assert similarities[0, 0] < 0.9999  # not 1: a segment is not evidence for itself
    nearest = assigner.nearest_evidence(X[:1])
    assert int(nearest[0, 0]) in (0, 4, 5)  # never itself (3)
    assert int(nearest[0, 1]) == 1  # code 1's only evidence, its definition


def test_confirming_segments_moves_the_code_towards_them(corpus) -> None:
    """A code defined half off its data: confirmed segments bring its suggestions to them."""
    X, _ = corpus
    definitions = unit(0.6 * axis(0) + axis(5), axis(1), axis(2))
    before = CodeAssigner().fit(X, definitions, [0, 1, 2]).predict(X)[:, 0]
    evidence = np.vstack([definitions, X[:5]])  # five segments about axis 0 confirmed
    after = CodeAssigner().fit(X, evidence, [0, 1, 2, 0, 0, 0, 0, 0],
                               [2, 2, 2, 1, 1, 1, 1, 1]).predict(X)[:, 0]
    assert before[45:].sum() > 0  # before: segments about axis 5 too
    assert (after[:15].sum(), after[15:].sum()) == (15, 0)
    assert after[:15].sum() >= before[:15].sum()


def test_threshold_is_fitted_to_enough_decisions_only(corpus) -> None:
    X, definitions = corpus
    few = [(0, 0, True), (1, 0, True), (50, 0, False)]
    assigner = CodeAssigner().fit(X, definitions, [0, 1, 2], decided=few)
    assert assigner.threshold_ == 1.0
    assert "from 10 with 3 applied and 3 not; 2 and 1 so far" in assigner.calibration_
    # code 0: the coder applies it to its first 10 segments and to none of the last 15
    decided = [(row, 0, True) for row in range(10)] + [(row, 0, False) for row in range(45, 60)]
    fitted = CodeAssigner().fit(X, definitions, [0, 1, 2], decided=decided)
    assert fitted.calibration_.startswith("fitted to coders' decisions: 10 applied, 15 not")
    z = fitted.transform(X)[:, 0]
    assert z[45:].max() < fitted.threshold_ <= z[:10].min()
    assert fitted.predict(X)[:10, 0].all()
    assert CodeAssigner(threshold=5.0).fit(X, definitions, [0, 1, 2],
                                           decided=decided).threshold_ == 5.0


def test_ranking_puts_suggested_codes_first(corpus) -> None:
    X, definitions = corpus
    assigner = CodeAssigner().fit(X, definitions, [0, 1, 2])
    similarities = assigner.similarities(X)
    ranking = assigner.ranking(similarities)
    suggested = assigner.suggest(similarities)
    for row in range(len(X)):
        n = int(suggested[row].sum())
        assert set(ranking[row, :n].tolist()) == set(np.flatnonzero(suggested[row]).tolist())


def test_transform_is_the_robust_z_score_per_code(corpus) -> None:
    X, definitions = corpus
    assigner = CodeAssigner().fit(X, definitions, [0, 1, 2])
    similarities = X @ definitions.T
    median = np.median(similarities, axis=0)
    mad = 1.4826 * np.median(np.abs(similarities - median), axis=0)
    np.testing.assert_allclose(assigner.transform(X), (similarities - median) / mad)


def test_bad_input_is_refused(corpus) -> None:
    X, definitions = corpus
    with pytest.raises(AnalysisError, match="definition or an example"):
        CodeAssigner().fit(X, np.zeros((0, DIM)), [])
    with pytest.raises(AnalysisError, match="needs its code"):
        CodeAssigner().fit(X, definitions, [0, 1])
    with pytest.raises(AnalysisError, match="max_codes"):
        CodeAssigner(max_codes=0).fit(X, definitions, [0, 1, 2])
