"""Agreement through ``Project``: textbook values from real decisions, missing data, the model as
a coder, the disagreement list, blind mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.domain import DecisionError
from focuscode.domain.agreement import ALL_CODES, APPLIED, MISSING, NOT_APPLIED, REJECTED
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "codebooks" / "starter_codebook.yaml"
TRUST = "Lost trust in pharma and healthcare"


def _as(project: Project, coder: str) -> Project:
    return Project(project.folder, project.store, coder=coder, embedder=HashingEmbedder())


@pytest.fixture
def coded(analysed_project: Project) -> Project:
    analysed_project.codebook.import_file(STARTER)
    return analysed_project


@pytest.fixture
def cohen(coded: Project) -> tuple[Project, list[int]]:
    """Cohen's worked example as decisions on 50 segments and one code: A and B both apply it
    to 20, only A to 5, only B to 10, neither to 15 (p_o 0.7, p_e 0.5, kappa 0.4)."""
    ids = [int(s.id) for s in coded.store.segments(included_only=True)][:50]
    a, b = _as(coded, "A"), _as(coded, "B")
    a.suggestions.confirm([(i, TRUST) for i in ids[:25]])
    a.suggestions.reject([(i, TRUST) for i in ids[25:]])
    b.suggestions.confirm([(i, TRUST) for i in ids[:20] + ids[25:35]])
    b.suggestions.reject([(i, TRUST) for i in ids[20:25] + ids[35:]])
    return coded, ids


def test_cohens_worked_example_from_decisions(cohen) -> None:
    project, _ = cohen
    report = project.coders.agreement(["A", "B"], include_model=False)
    row = report.for_code(TRUST, "A", "B")
    assert (row.n_segments, row.n_applied) == (50, 35)
    assert row.kappa == pytest.approx(0.4) and row.percent == pytest.approx(0.7)
    # alpha: observed disagreement 15/50 = 0.3, expected 2 * 55 * 45 / (100 * 99) = 0.5
    assert row.alpha == pytest.approx(1 - 0.3 / 0.5)
    overall = report.overall("A", "B")
    assert (overall.code_name, overall.kappa) == (ALL_CODES, pytest.approx(0.4))
    assert len(report.disagreements) == 15


def test_three_coders_with_missing_data(cohen) -> None:
    project, ids = cohen
    c = _as(project, "C")  # codes only ten of the segments
    c.suggestions.confirm([(i, TRUST) for i in ids[:5]])
    c.suggestions.reject([(i, TRUST) for i in ids[40:45]])
    report = project.coders.agreement(include_model=False)
    assert report.coders == ("A", "B", "C")
    group = report.overall("A", "B", "C")
    assert group.kappa is None and group.alpha is not None  # alpha: any number, missing data
    assert group.n_segments == 50
    pair = report.overall("A", "C")
    assert pair.n_segments == 10 and pair.kappa == pytest.approx(1.0)
    first = report.disagreements[0]
    assert first.values == (("A", APPLIED), ("B", REJECTED), ("C", MISSING))
    assert first.key == f"c{first.code_id}" and first.text


def test_each_person_against_the_model(cohen) -> None:
    project, _ = cohen
    run = project.suggestions.run().run
    report = project.coders.agreement()
    assert report.coders == ("A", "B", run.coder)
    with_model = report.overall("A", run.coder)
    assert with_model.n_segments == 50  # the model coded every segment
    assert with_model.kappa is not None
    # the model counts as a coder: it can be named
    assert project.coders.agreement(["A", "model"]).coders == ("A", run.coder)


def test_a_segment_coded_for_another_code_counts_as_not_applied(coded: Project) -> None:
    ids = [int(s.id) for s in coded.store.segments(included_only=True)][:2]
    _as(coded, "A").suggestions.confirm([(ids[0], TRUST), (ids[1], "Feeling monetised")])
    _as(coded, "B").suggestions.confirm([(ids[0], TRUST), (ids[1], TRUST)])
    report = coded.coders.agreement(include_model=False)
    values = {(d.segment_id, d.code_name): dict(d.values) for d in report.disagreements}
    assert values == {(ids[1], TRUST): {"A": NOT_APPLIED, "B": APPLIED},
                      (ids[1], "Feeling monetised"): {"A": APPLIED, "B": NOT_APPLIED}}


def test_blind_coders_compare_themselves_with_the_model_only(cohen) -> None:
    project, _ = cohen
    a = _as(project, "A")
    a.suggestions.run()  # made with B's decisions too: a blind coder does not see it
    a.blind = True
    with pytest.raises(DecisionError, match="blind mode"):
        a.coders.agreement()
    a.suggestions.run()
    report = a.coders.agreement()
    assert report.blind and report.coders[0] == "A" and len(report.coders) == 2
    with pytest.raises(DecisionError, match="blind mode"):
        a.coders.agreement(["A", "B"])
    assert a.coders.counts() == {"A": (25, 25)}


def test_unknown_coders_and_too_few_are_said(coded: Project) -> None:
    with pytest.raises(DecisionError, match="no coder has made a decision"):
        coded.coders.agreement()
    _as(coded, "A").suggestions.confirm([(int(coded.store.segments()[0].id), TRUST)])
    with pytest.raises(DecisionError, match="no decisions by Zed"):
        coded.coders.agreement(["A", "Zed"])
    with pytest.raises(DecisionError, match="agreement needs two coders"):
        coded.coders.agreement(include_model=False)
    with pytest.raises(DecisionError, match="no suggestions yet"):
        coded.coders.agreement(["A", "model"])


def test_frames(cohen) -> None:
    project, _ = cohen
    frame = project.coders.agreement_frame(["A", "B"], include_model=False)
    assert list(frame.columns) == ["coders", "code_id", "code_name", "n_segments", "n_applied",
                                   "percent", "kappa", "alpha"]
    assert frame.iloc[0]["coders"] == "A & B" and frame.iloc[0]["code_name"] == ALL_CODES
    walk = project.coders.disagreements_frame(["A", "B"], include_model=False)
    assert len(walk) == 15 and list(walk.columns[-2:]) == ["A", "B"]
