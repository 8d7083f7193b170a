"""``Project.reports``: what it gathers, the DataFrames it returns, the files it writes; and a
REFI-QDA codebook round trip through ``Project.codebook``. Built only through
``workflows.Project``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from focuscode.domain import ConfigError, ExportError
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

DEMO = Path(__file__).resolve().parents[2] / "transcripts"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reporting") / "demo"
    with Project.init(folder, embedder=HashingEmbedder(), coder="ana") as project:
        project.import_files([DEMO])
        project.analyse()
        theme = next(t for t in project.themes() if t.theme_id is not None)
        project.accept_theme(theme.theme_id, name="Who coordinates care")
        members = [r for r in project.segment_rows() if r.theme_id == theme.theme_id]
        project.confirm(members[0].segment_id, theme.theme_id)
        project.reject(members[1].segment_id, theme.theme_id)
    return folder


@pytest.fixture
def project(template: Path, tmp_path: Path):
    shutil.copytree(template, tmp_path / "demo")
    with Project.open(tmp_path / "demo", embedder=HashingEmbedder(), coder="ana") as opened:
        yield opened


def test_codes_are_accepted_codes_then_suggested_themes(project) -> None:
    data = project.reports.data()
    themes = [t for t in project.themes() if t.theme_id is not None]
    assert len(data.codes) == len(themes)
    assert (data.codes[0].name, data.codes[0].status) == ("Who coordinates care", "accepted")
    assert {c.status for c in data.codes[1:]} == {"suggested"}
    assert data.project == "demo"


def test_codings_keep_confirmed_drop_rejected_and_mark_suggestions(project) -> None:
    data = project.reports.data()
    code = data.codes[0]
    rows = {r.segment_id: r for r in project.segment_rows() if r.theme_id == code.theme_id}
    mine = [c for c in data.codings if c.code_key == code.key]
    assert {c.segment_id for c in mine} == {i for i, r in rows.items()
                                           if r.coding_status != "rejected"}
    assert [(c.status, c.coder) for c in mine if rows[c.segment_id].coding_status ==
            "confirmed"] == [("confirmed", "ana")]
    assert {c.coder for c in mine if c.status == "suggested"} == {"focuscode model"}
    assert [(a.coder, a.n_confirmed, a.n_rejected, a.n_codes_created) for a in data.coders] == [
        ("ana", 1, 1, 1)]


def test_quotes_researchers_picked_come_first_the_rest_are_suggested(project) -> None:
    data = project.reports.data()
    assert data.quote_source == "suggested"
    code = data.codes[0]
    segment = next(s for s in data.segments
                   if s.segment_id in {c.segment_id for c in data.codings
                                       if c.code_key == code.key})
    project.quotes.mark(f"c{code.code_id}", segment.segment_id, (0, 20))
    data = project.reports.data()
    picked = [q for q in data.quotes if q.code_key == code.key]
    assert [(q.source, q.segment_id, q.text) for q in picked] == [
        ("selected", segment.segment_id, segment.text[:20])]
    assert picked[0].start_char == segment.start_char
    assert {q.source for q in data.quotes if q.code_key != code.key} == {"suggested"}
    assert data.quote_source == "mixed"
    long = project.reports.quotes_long_frame()
    assert long.loc[long["code_key"] == code.key, "quote_source"].tolist() == ["selected"]


def test_a_damaged_source_stops_every_export(project, tmp_path) -> None:
    with project.store.db.atomic() as db:
        db.execute("UPDATE transcripts SET text = upper(text) WHERE id = 1")
    with pytest.raises(ExportError, match="does not match the source"):
        project.reports.export_quotes(tmp_path / "q.csv")
    with pytest.raises(ExportError):
        project.reports.export_refi(tmp_path / "p.qdpx")
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob("*.qdpx"))


def test_every_table_is_a_dataframe(project) -> None:
    reports = project.reports
    frames = [reports.quotes_frame(), reports.quotes_long_frame(), reports.matrix_frame(),
              reports.comparison_frame("role", groups=["patient", "physician"]),
              reports.contrast_frame()]
    assert all(isinstance(f, pd.DataFrame) and len(f) for f in frames)
    quotes, _, matrix, comparison, _ = frames
    assert list(quotes["n_segments"]) == [int(matrix[c].sum()) for c in matrix.columns[7:]]
    assert list(comparison["n_patient"]) == list(quotes["segments_patient"])


def test_exports_write_files(project, tmp_path) -> None:
    reports = project.reports
    written = [reports.export_quotes(tmp_path / f"q.{fmt}") for fmt in ("csv", "xlsx", "md",
                                                                        "docx")]
    written += [reports.export_matrix(tmp_path / "m.csv"),
                reports.export_comparison(tmp_path / "c.xlsx", by="site"),
                reports.export_report(tmp_path / "r.html"),
                reports.export_refi(tmp_path / "p.qdpx"),
                project.codebook.export(tmp_path / "c.qdc")[0],
                *reports.export_plots(tmp_path / "plots")]
    assert all(path.is_file() and path.stat().st_size for path in written)
    assert len(written) == 15
    with pytest.raises(ConfigError, match=".qdpx"):
        reports.export_refi(tmp_path / "p.zip")


def test_qdc_codebook_round_trip_adds_codes_once_and_says_what_it_left(project, tmp_path) -> None:
    path, _ = project.codebook.export(tmp_path / "c.qdc", include_suggested=True)
    exported = project.codebook.current(include_suggested=True)
    assert len(exported) == len(project.reports.data().codes) + 1  # + the suggested group
    with Project.init(tmp_path / "fresh", coder="ben") as fresh:
        result = fresh.codebook.import_file(path)
        codes = fresh.log.codes()
        assert list(result.created) == [c.name for c in codes] == [c.name for c in exported]
        assert codes[0].name == "Who coordinates care" and codes[0].source == "codebook"
        nested = [c for c in codes if c.parent]
        assert nested and {c.parent for c in nested} == {
            "Suggested themes (focuscode, not reviewed)"}
        again = fresh.codebook.import_file(path)  # nothing new: every code said unchanged
        assert (again.created, again.updated, again.decision_id) == ((), (), None)
        assert sorted(again.unchanged) == sorted(c.name for c in codes)
        assert fresh.undo() is not None  # an import is one undoable decision
        assert fresh.log.codes() == []
