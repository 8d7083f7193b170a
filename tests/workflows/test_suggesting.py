"""Deductive suggestions through ``Project``: stored with provenance, never over a decision,
better with confirmations, calibrated on decisions, blind per coder, beside the themes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from focuscode.domain import DecisionError
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project
from focuscode.workflows.suggesting import SuggestOptions

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "codebooks" / "starter_codebook.yaml"
LEAVES = 14  # the starter codebook's codes without children


@pytest.fixture
def coded(analysed_project: Project) -> Project:
    """The analysed demo project with the starter codebook imported."""
    analysed_project.codebook.import_file(STARTER)
    return analysed_project


def _as(project: Project, coder: str) -> Project:
    return Project(project.folder, project.store, coder=coder, embedder=HashingEmbedder())


def test_run_is_stored_with_provenance_and_the_reason_why(coded: Project) -> None:
    report = coded.suggestions.run()
    run = report.run
    assert run.model_id == "hashing-256-0" and run.coder == "model:hashing-256-0"
    assert run.model_version.startswith("focuscode ")
    assert (run.n_codes, run.threshold, run.params["max_codes"]) == (LEAVES, 1.0, 3)
    assert run.calibration.startswith("the default 1.00")
    assert run.n_segments == len(coded.store.segments(included_only=True))
    suggestions = coded.suggestions.all()
    assert len(suggestions) == run.n_suggested > 0
    names = {c.name for c in coded.codebook.current().codes}
    assert {s.code_name for s in suggestions} <= names - {"Views of care", "Trust"}
    assert all(s.score >= run.threshold and s.similarity >= 0.2 and s.evidence
               for s in suggestions)
    assert {s.evidence_kind for s in suggestions} <= {"definition", "example"}
    first = coded.suggestions.for_segment(suggestions[0].segment_id)
    assert [s.rank for s in first] == list(range(1, len(first) + 1))
    assert first[0].suggested  # suggested codes rank first


def test_suggestions_never_change_a_decision(coded: Project) -> None:
    coded.suggestions.run()
    pending, total = coded.suggestions.pending(limit=5)
    first, second = pending[0].suggestion, pending[1].suggestion
    coded.suggestions.reject([(first.segment_id, first.code_id)])
    coded.suggestions.confirm([(second.segment_id, second.code_id)])
    codings = sorted((c.segment_id, c.code_id, c.status.value)
                     for c in coded.log.codings())
    coded.suggestions.run()
    assert sorted((c.segment_id, c.code_id, c.status.value)
                  for c in coded.log.codings()) == codings
    left = {(p.suggestion.segment_id, p.suggestion.code_id)
            for p in coded.suggestions.pending(limit=10_000)[0]}
    assert (first.segment_id, first.code_id) not in left
    assert (second.segment_id, second.code_id) not in left
    # another coder still has them to decide, and sees what the first decided
    other = _as(coded, "B")
    rows = {(p.suggestion.segment_id, p.suggestion.code_id): p
            for p in other.suggestions.pending(limit=10_000)[0]}
    assert rows[(first.segment_id, first.code_id)].others == ((coded.coder, "rejected"),)


def test_confirmed_segments_become_evidence(coded: Project) -> None:
    before = coded.suggestions.run().run
    code = coded.codebook.current().code("Time pressure and workload")
    segments = [s.id for s in coded.store.segments(included_only=True)
                if "minutes" in s.text.lower()][:4]
    coded.suggestions.confirm([(segment_id, code.id) for segment_id in segments])
    after = coded.suggestions.run().run
    assert after.params["n_evidence"] == before.params["n_evidence"] + len(segments)
    assert after.confirmed_by == (coded.coder,)
    confirmed = [s for s in coded.suggestions.all(suggested_only=False)
                 if s.evidence_kind == "confirmed"]
    assert confirmed and {s.evidence_segment_id for s in confirmed} <= set(segments)
    assert all(s.evidence_segment_id != s.segment_id for s in confirmed)  # never itself


def test_threshold_is_fitted_once_coders_decided_enough(coded: Project) -> None:
    coded.suggestions.run()
    pending, _ = coded.suggestions.pending(limit=12)
    pairs = [(p.suggestion.segment_id, p.suggestion.code_id) for p in pending]
    coded.suggestions.confirm(pairs[:6])
    coded.suggestions.reject(pairs[6:])
    run = coded.suggestions.run().run
    assert run.calibration.startswith("fitted to coders' decisions")
    assert run.params["n_decisions"] >= 12
    fixed = coded.suggestions.run(SuggestOptions(threshold=2.5)).run
    assert (fixed.threshold, fixed.calibration) == (2.5, "set to 2.5")


def test_blind_coder_uses_and_sees_only_their_own_decisions(coded: Project) -> None:
    coded.suggestions.run()
    pending, _ = coded.suggestions.pending(limit=3)
    coded.suggestions.confirm([(p.suggestion.segment_id, p.suggestion.code_id)
                               for p in pending])
    open_run = coded.suggestions.run().run  # uses the first coder's confirmations
    blind = _as(coded, "B")
    blind.blind = True
    assert blind.suggestions.latest_run().id != open_run.id  # made with another coder's work
    assert all(not p.others for p in blind.suggestions.pending(limit=10_000)[0])
    own = blind.suggestions.run().run
    assert own.confirmed_by == () and own.params["blind"] is True
    assert blind.suggestions.latest_run().id == own.id
    coded.coders.set_blind(True)
    assert _as(coded, "C").blind and _as(coded, "C").coders.names() == []


def _import_unrelated_code(project: Project) -> None:
    """A code no focus-group segment can match."""
    project.codebook.import_file(_write(project.folder / "extra.yaml", """
codes:
  - name: Quantum chromodynamics
    definition: Gluon lattice renormalisation of quark confinement in hadron spectroscopy.
"""))


def test_themes_are_set_beside_the_codebook(coded: Project) -> None:
    _import_unrelated_code(coded)
    alignment = coded.suggestions.run().alignment
    themes = {t.id for t in coded.store.themes(coded.store.latest_run().id)}
    seen = [m.theme_id for m in (*alignment.merges, *alignment.new_codes, *alignment.linked)]
    assert sorted(seen) == sorted(themes)  # every theme is either a match or a new code
    assert all(m.share >= 0.4 and m.code_id is not None for m in alignment.merges)
    assert all(m.code_id is None and m.action == "new code" for m in alignment.new_codes)
    assert [c.code_name for c in alignment.unmatched_codes] == ["Quantum chromodynamics"]
    frame = coded.suggestions.alignment_frame()
    assert "code matches no segment" in set(frame["action"])
    if alignment.merges:  # merging a matched theme into its code is one workbench decision
        match = alignment.merges[0]
        coded.decisions.merge(f"t{match.theme_id}", f"c{match.code_id}")
        assert coded.suggestions.alignment().merges[0].theme_id != match.theme_id


def test_codes_made_since_the_run_are_not_called_unmatched(coded: Project) -> None:
    _import_unrelated_code(coded)
    run = coded.suggestions.run().run
    assert run.params["code_ids"] == sorted(run.params["code_ids"]) and \
        len(run.params["code_ids"]) == run.n_codes
    # after the run: a code imported, a theme accepted as a code; the run scored neither
    coded.codebook.import_file(_write(coded.folder / "later.yaml", """
codes:
  - name: Parking at the clinic
    definition: Finding a place to park before an appointment.
"""))
    theme = next(e for e in coded.review.entries() if e.code_id is None and not e.is_queue)
    coded.decisions.accept(theme.key, "Accepted later")
    alignment = coded.suggestions.alignment()
    assert [c.code_name for c in alignment.unmatched_codes] == ["Quantum chromodynamics"]
    assert sorted(c.code_name for c in alignment.codes_since_run) == [
        "Accepted later", "Parking at the clinic"]
    assert {c.code_name for c in alignment.coverage} >= {"Accepted later", "Quantum chromodynamics"}
    actions = coded.suggestions.alignment_frame().groupby("action")["code_name"].apply(set)
    assert actions["code made since the run"] == {"Accepted later", "Parking at the clinic"}
    assert actions["code matches no segment"] == {"Quantum chromodynamics"}
    # a run stored before runs recorded their codes: the codes made after it are the new ones
    with coded.store.db.atomic() as db:
        db.execute("UPDATE suggestion_runs SET params = json_remove(params, '$.code_ids')")
    assert "code_ids" not in coded.suggestions.latest_run().params
    assert coded.suggestions.alignment() == alignment
    # suggesting again scores them
    alignment = coded.suggestions.run().alignment
    assert alignment.codes_since_run == ()
    assert "Accepted later" not in {c.code_name for c in alignment.unmatched_codes}


class _Stages:
    """A ``Progress`` that writes down its stages, and a test embedder that writes down in
    which stage it was asked to encode."""

    def __init__(self) -> None:
        self.stages: list[str] = []
        self.encoded_in: list[str] = []

    def stage(self, name: str, total: int | None = None) -> None:
        self.stages.append(name)

    def advance(self, n: int = 1) -> None:
        pass

    def is_cancelled(self) -> bool:
        return False

    def embedder(self) -> HashingEmbedder:
        watcher = self

        class Watched(HashingEmbedder):
            def encode(self, texts, on_batch=None):  # noqa: ANN001, ANN202 - as the parent's
                watcher.encoded_in.append(watcher.stages[-1] if watcher.stages else "")
                return super().encode(texts, on_batch)

        return Watched()


def test_a_run_announces_its_stages_in_order(imported_project: Project) -> None:
    imported_project.codebook.import_file(STARTER)
    progress = _Stages()
    with Project.open(imported_project.folder, embedder=progress.embedder()) as project:
        project.suggestions.run(progress=progress)
    assert progress.stages == ["Embedding the codebook", "Embedding segments",
                               "Scoring segments against the codebook", "Saving suggestions"]
    # the model (loaded by its first encoding) works under the stage that names the work
    assert progress.encoded_in[0] == "Embedding the codebook"
    assert set(progress.encoded_in[1:]) == {"Embedding segments"}
    # with the segments in the cache, only a new code is embedded, in its own stage
    progress = _Stages()
    imported_project.codebook.import_file(_write(imported_project.folder / "new.yaml", """
codes:
  - name: Parking at the clinic
    definition: Finding a place to park before an appointment.
"""))
    with Project.open(imported_project.folder, embedder=progress.embedder()) as project:
        project.suggestions.run(progress=progress)
    assert progress.encoded_in == ["Embedding the codebook"]
    assert progress.stages[0] == "Embedding the codebook"


def test_suggestions_frame_has_one_row_per_suggestion(coded: Project) -> None:
    coded.suggestions.run()
    frame = coded.suggestions.frame()
    assert len(frame) == coded.suggestions.latest_run().n_suggested
    assert list(frame.columns[:8]) == ["segment_id", "transcript", "turn_index", "speaker_name",
                                       "role", "text", "code_id", "code_name"]
    assert frame["suggested"].all()


def test_pending_frame_is_every_page_of_the_pending_suggestions(coded: Project) -> None:
    coded.suggestions.run()
    pending, total = coded.suggestions.pending(limit=10_000)
    first = pending[0].suggestion
    coded.suggestions.confirm([(first.segment_id, first.code_id)])
    frame = coded.suggestions.pending_frame()
    assert len(frame) == total - 1 > 200  # more than one page, minus the decided one
    assert (first.segment_id, first.code_id) not in set(zip(frame.segment_id, frame.code_id))
    assert frame.text.str.len().gt(0).all()


def test_nothing_to_suggest_is_said(analysed_project: Project) -> None:
    with pytest.raises(DecisionError, match="no codes to suggest"):
        analysed_project.suggestions.run()
    assert analysed_project.suggestions.pending() == ([], 0)
    with pytest.raises(DecisionError, match="no suggestions yet"):
        analysed_project.suggestions.all()


def test_the_model_cannot_be_a_coder(coded: Project) -> None:
    coded.suggestions.run()
    model = _as(coded, coded.suggestions.latest_run().coder)
    with pytest.raises(DecisionError, match="not a coder's"):
        model.suggestions.confirm([(1, "Trust")])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CLEAR = {  # the start of a demo segment -> the code a researcher would give it first
    "Mine are fifteen. Fifteen minutes": "Time pressure and workload",
    "The pharmacies are way ahead on this": "Pharmacies as best practice",
    "So there's this idea I keep pushing, I call it contextual education":
        "Contextual education",
    "Data, honestly. Comparative data.": "Comparative and concomitant-treatment data",
    "And the surveys. Can I say about the surveys?": "Surveys seen as sales tools",
}


@pytest.mark.model
def test_real_model_puts_the_expected_code_first(tmp_path: Path) -> None:
    """all-MiniLM-L6-v2 on the demo round tables with the starter codebook (under 20 s)."""
    clock = time.perf_counter()
    with Project.init(tmp_path / "demo") as project:
        project.import_files([REPO / "transcripts"])
        project.codebook.import_file(STARTER)
        project.suggestions.run()
        segments = project.store.segments(included_only=True)
        for start, expected in CLEAR.items():
            segment = next(s for s in segments if s.text.startswith(start))
            best = project.suggestions.for_segment(int(segment.id))[0]
            assert (best.code_name, best.suggested) == (expected, True), start
    assert time.perf_counter() - clock < 20
