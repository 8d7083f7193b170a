"""The benchmark harness works on tiny inputs (the real runs are ``python -m benchmarks ...``,
never part of the test run); its metrics match hand-worked values."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks import data, metrics
from focuscode.pipeline import embed
from focuscode.pipeline.embed import HashingEmbedder


def test_agreement_scores_unassigned_as_one_cluster_and_reports_their_share() -> None:
    truth = ["a", "a", "b", "b"]
    perfect = metrics.agreement(truth, np.array([0, 0, 1, 1]))
    assert perfect["nmi"] == pytest.approx(1.0) and perfect["ari"] == pytest.approx(1.0)
    assert (perfect["unassigned"], perfect["n_themes"]) == (0.0, 2)
    partial = metrics.agreement(truth, np.array([0, 0, -1, -1]))
    assert partial["unassigned"] == 0.5 and partial["n_themes"] == 1
    assert partial["nmi"] == pytest.approx(1.0)  # the unassigned happen to be all of label b
    assert partial["ari_assigned"] == pytest.approx(1.0)


def test_npmi_is_one_for_words_that_always_occur_together_and_minus_one_for_never() -> None:
    texts = ["pain relief", "pain relief", "insurance costs", "insurance costs"]
    assert metrics.npmi_coherence(texts, {0: ("pain", "relief")}) == pytest.approx(1.0)
    assert metrics.npmi_coherence(texts, {0: ("pain", "insurance")}) == pytest.approx(-1.0)


@pytest.fixture
def hashing_embeddings(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    """The harness with the fast test double instead of the real model, cached in tmp."""
    monkeypatch.setattr(embed, "SentenceTransformerEmbedder", lambda: HashingEmbedder())
    monkeypatch.setattr(data, "CACHE", tmp_path / "cache")


@pytest.mark.shared
def test_selection_harness_prints_every_variant_on_a_tiny_corpus(
        shared_dir, hashing_embeddings, capsys) -> None:  # noqa: ANN001
    from benchmarks import selection

    rows = selection.run([80, 120], ["default (eom)", "leaf"])
    assert [(row["n"], row["variant"]) for row in rows] == [
        (80, "default (eom)"), (80, "leaf"), (120, "default (eom)"), (120, "leaf")]
    assert all(0 <= row["unassigned"] <= 1 and row["n_themes"] >= 0 for row in rows)
    shown = capsys.readouterr().out
    assert "Theme selection on 120 units" in shown and "leaf" in shown


@pytest.mark.shared
def test_scale_corpus_is_a_prefix_of_a_larger_one_with_one_label_per_line(shared_dir) -> None:  # noqa: ANN001
    from benchmarks.scale import corpus_units

    small, large = corpus_units(50), corpus_units(200)
    assert small[0] == large[0][:50] and small[1] == large[1][:50]
    assert len(set(large[0])) == 200 and len(large[1]) == 200
    assert all(": " in line for line in large[0])


def test_plot_benchmark_times_both_sides_on_the_demo_and_keeps_their_plots(
        tmp_path, capsys) -> None:  # noqa: ANN001
    import subprocess

    from benchmarks import plots

    if subprocess.run(["git", "-C", str(plots.REPO), "rev-parse", "HEAD"],
                      capture_output=True).returncode:
        pytest.skip("not a git checkout: the baseline comes from git archive")
    result = plots.run(repeats=1, baseline="HEAD", keep=tmp_path)
    assert [len(seconds) for seconds in result["times"].values()] == [1, 1]
    assert result["ratio"] > 0
    for side in ("base", "this"):
        assert sorted(p.name for p in (tmp_path / side).iterdir()) == sorted(
            f"{stem}.{fmt}" for stem in ("saturation", "theme_cooccurrence", "theme_frequency")
            for fmt in ("png", "svg"))
    assert "of the baseline's median time" in capsys.readouterr().out
