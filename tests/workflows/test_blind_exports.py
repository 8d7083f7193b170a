"""Blind mode reaches every table, report and file: two coders decide differently on the same
segments; what one of them produces blind holds only their decisions and says so, what is made
open holds both. Built only through ``workflows.Project``."""

from __future__ import annotations

import csv
import html
import zipfile
from pathlib import Path

import pytest
from blind_support import ANA, BEA, CODE, as_coder, two_coders_decide

from focuscode.domain.reports import MODEL_CODER
from focuscode.workflows import Project
from focuscode.workflows.visibility import Visibility


@pytest.fixture
def decided(analysed_project: Project) -> tuple[Project, list[int]]:
    """A theme accepted as a code; on its segments s0..s5: ana confirms s0 s1 and rejects s2;
    bea rejects s0, confirms s2 and s3 and quotes s4; nobody decides s5."""
    ana = as_coder(analysed_project, ANA)
    entry = max((e for e in ana.review.entries() if not e.is_queue), key=lambda e: e.n_segments)
    ana.decisions.accept(entry.key, CODE)
    code_key = next(e.key for e in ana.review.entries() if e.label == CODE)
    s = [row.segment_id for row in ana.review.segments(code_key).rows[:6]]
    assert len(s) == 6
    two_coders_decide(analysed_project, code_key, s)
    return analysed_project, s


def statuses(project: Project, ids: list[int]) -> list[str]:
    rows = {r.segment_id: r for r in project.segment_rows()}
    return [rows[i].coding_status for i in ids]


def test_blind_tables_hold_only_the_coders_own_decisions(decided) -> None:
    project, s = decided
    assert statuses(as_coder(project, ANA, blind=False), s) == ["confirmed"] * 4 + ["suggested"] * 2
    assert statuses(as_coder(project, ANA, blind=True), s) == [
        "confirmed", "confirmed", "rejected", "suggested", "suggested", "suggested"]
    assert statuses(as_coder(project, BEA, blind=True), s) == [
        "rejected", "suggested", "confirmed", "confirmed", "suggested", "suggested"]


def test_blind_report_data_uses_and_counts_only_the_coders_own_decisions(decided) -> None:
    project, s = decided
    open_data = as_coder(project, ANA, blind=False).reports.data()
    blind = as_coder(project, ANA, blind=True).reports.data()
    key = next(c.key for c in blind.codes if c.name == CODE)

    def mine(data):  # ReportData -> its codings of the code on s0..s5
        return {(c.segment_id, c.status, c.coder) for c in data.codings
                if c.code_key == key and c.segment_id in s}

    model = MODEL_CODER
    assert mine(open_data) == {(s[0], "confirmed", ANA), (s[1], "confirmed", ANA),
                               (s[2], "confirmed", BEA), (s[3], "confirmed", BEA),
                               (s[4], "suggested", model), (s[5], "suggested", model)}
    # bea's rejection of s0 is invisible (s0 stays ana's), and so is her confirmation of s2:
    # ana rejected it, so it is not even suggested to her.
    assert mine(blind) == {(s[0], "confirmed", ANA), (s[1], "confirmed", ANA),
                           (s[3], "suggested", model), (s[4], "suggested", model),
                           (s[5], "suggested", model)}
    assert [c.coder for c in open_data.coders] == [ANA, BEA]
    assert [c.coder for c in blind.coders] == [ANA]
    assert (open_data.blind_coder, blind.blind_coder) == (None, ANA)
    assert blind.n_decisions == len([d for d in project.log.history() if d.coder == ANA]) < \
        open_data.n_decisions
    # bea's picked quote is hers: ana's blind reports suggest their own quotes for the code
    assert {q.source for q in open_data.quotes if q.code_key == key} == {"selected"}
    assert {q.source for q in blind.quotes if q.code_key == key} == {"suggested"}


def _text_of(path: Path) -> str:
    """Every character a reader of the file could see (zip members unpacked)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace")
                             for n in archive.namelist())
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    return html.unescape(text) if path.suffix == ".html" else text


def _every_file(project: Project, folder: Path) -> list[Path]:
    reports = project.reports
    files = [project.export_segments(folder / "segments.csv"),
             project.export_segments(folder / "segments.xlsx"),
             reports.export_quotes(folder / "quotes.csv"),
             reports.export_quotes(folder / "quotes.xlsx"),
             reports.export_quotes(folder / "quotes.md"),
             reports.export_quotes(folder / "quotes.docx"),
             reports.export_matrix(folder / "matrix.csv"),
             reports.export_comparison(folder / "comparison.xlsx"),
             reports.export_contrast(folder / "perspectives.csv"),
             reports.export_report(folder / "report.html"),
             reports.export_refi(folder / "project.qdpx")]
    return files + [p for p in reports.export_plots(folder / "plots") if p.suffix == ".svg"]


def test_blind_files_name_their_coder_and_never_the_other(decided, tmp_path) -> None:
    project, _ = decided
    blind = _every_file(as_coder(project, ANA, blind=True), tmp_path / "blind")
    for path in blind:
        text = _text_of(path)
        assert BEA not in text, path.name
        assert "blind" in text.lower() and ANA in text, path.name
    for name in ("quotes.md", "report.html", "quotes.docx", "quotes.xlsx", "project.qdpx"):
        assert "Blind mode: made for coder 'ana'" in _text_of(tmp_path / "blind" / name), name
    with (tmp_path / "blind" / "segments.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["blind_coder"] for r in rows} == {ANA}
    opened = _every_file(as_coder(project, ANA, blind=False), tmp_path / "open")
    for path in opened:
        assert "Blind mode" not in _text_of(path), path.name
    with (tmp_path / "open" / "segments.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert "blind_coder" not in next(csv.reader(handle))
    refi = _text_of(tmp_path / "open" / "project.qdpx")
    assert f'name="{ANA}"' in refi and f'name="{BEA}"' in refi


def test_the_projects_blind_setting_applies_unless_a_command_overrides_it(decided) -> None:
    project, s = decided
    project.coders.set_blind(True)
    ana = as_coder(project, ANA)  # no override: the project's setting
    assert ana.visibility == Visibility(ANA, blind=True)
    assert ana.reports.data().blind_coder == ANA
    assert statuses(ana, s)[2] == "rejected"
    ana.blind = False  # the command's --open
    assert ana.reports.data().blind_coder is None and statuses(ana, s)[2] == "confirmed"
