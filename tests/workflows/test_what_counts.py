"""One definition of what counts for a code, shared by the workbench, ``themes``, every export
and the report: confirmed codings plus the suggestions nobody rejected, of the analysis (theme)
and of the codebook, each marked as such."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from focuscode.domain.counting import basis_counts
from focuscode.domain.reports import BY_CODEBOOK, CONFIRMED
from focuscode.workflows import Project

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "codebooks" / "starter_codebook.yaml"
HOLISTIC, LINEAR = "Holistic view of care", "Linear / physician-centred view"


@pytest.fixture
def suggested(analysed_project: Project) -> Project:
    """The demo with the starter codebook, suggestions run, two confirmed and one rejected
    suggestion of each of the seed's two views of care."""
    project = analysed_project
    project.codebook.import_file(STARTER)
    project.suggestions.run()
    pending, _ = project.suggestions.pending(limit=2000)
    for name in (HOLISTIC, LINEAR):
        mine = [p.suggestion for p in pending if p.suggestion.code_name == name]
        assert len(mine) >= 3, name
        project.suggestions.confirm([(s.segment_id, s.code_id) for s in mine[:2]])
        project.suggestions.reject([(mine[2].segment_id, mine[2].code_id)])
    return project


def test_workbench_themes_and_reports_count_the_same(suggested: Project) -> None:
    data = suggested.reports.data()
    counted = basis_counts(data)
    entries = {e.code_id: e for e in suggested.review.entries() if e.code_id is not None}
    compared = {t.code_key: t for t in suggested.reports.compare("role").themes}
    quotes = suggested.reports.quotes_frame().set_index("code_key")
    codebook_codes = [c for c in data.codes if c.code_id is not None and counted[c.key][
        BY_CODEBOOK]]
    assert codebook_codes, "the codebook's suggestions count"
    for code in data.codes:
        if code.code_id is None:
            continue
        assert entries[code.code_id].counted == counted[code.key], code.name
        assert dict(compared[code.key].basis) == counted[code.key], code.name
        row = quotes.loc[code.key]
        assert (row.n_confirmed, row.n_suggested_by_theme, row.n_suggested_by_codebook) == (
            counted[code.key]["confirmed"], counted[code.key]["theme"],
            counted[code.key]["codebook"])
        assert row.n_segments == sum(counted[code.key].values())
    holistic = next(c for c in data.codes if c.name == HOLISTIC)
    assert counted[holistic.key][CONFIRMED] == 2
    assert counted[holistic.key][BY_CODEBOOK] > 0


def test_a_rejected_suggestion_does_not_count_and_confirmed_only_counts_confirmed(
        suggested: Project) -> None:
    rejected = {(c.segment_id, c.code_id) for c in suggested.log.codings()
                if c.status.value == "rejected"}
    assert len(rejected) == 2
    data = suggested.reports.data()
    counted = {(c.segment_id, int(c.code_key.split("-")[1])) for c in data.codings
               if c.code_key.startswith("code-")}
    assert not rejected & counted
    only = {t.code_name: t for t in suggested.reports.compare(
        "role", confirmed_only=True).themes}
    assert sum(c.n_segments for c in only[HOLISTIC].counts) == 2
    assert only[HOLISTIC].basis == {"confirmed": 2, "theme": 0, "codebook": 0}


def test_the_report_compares_the_two_views_with_counts_and_a_test(suggested: Project,
                                                                  tmp_path: Path) -> None:
    comparison = suggested.reports.compare("role", groups=["patient", "physician"])
    for name in (HOLISTIC, LINEAR):
        theme = next(t for t in comparison.themes if t.code_name == name)
        assert sum(c.n_segments for c in theme.counts) >= 5, name
        assert theme.result.test and theme.result.p_value is not None, name
        assert theme.finding != "Not compared."
    html = suggested.reports.export_report(tmp_path / "report.html").read_text("utf-8")
    assert "Suggested by codebook" in html
    comparison_html = html.split('id="comparison"')[1].split('id="perspectives"')[0]
    assert re.search(r"Holistic view of care.*?2 confirmed, \d+ suggested by codebook",
                     comparison_html)


def test_every_quote_of_a_suggested_segment_is_marked(suggested: Project,
                                                     tmp_path: Path) -> None:
    frame = suggested.reports.quotes_long_frame()
    assert set(frame.coding_status) <= {"confirmed", "suggested by theme",
                                        "suggested by codebook"}
    assert "suggested by codebook" in set(frame.coding_status)
    html = suggested.reports.export_report(tmp_path / "report.html").read_text("utf-8")
    themes = html.split('id="themes"')[1].split('id="comparison"')[0]
    blocks = re.findall(r"<blockquote>(.*?)</blockquote>", themes, flags=re.S)
    marked = [b for b in blocks if "suggested by" in b]
    n_suggested = int((frame.coding_status != "confirmed").sum())
    assert len(marked) == n_suggested > 0
    markdown = suggested.reports.export_quotes(tmp_path / "q.md").read_text("utf-8")
    assert markdown.count("\\[suggested by") == n_suggested


def test_report_quotes_are_whole_and_ranked_as_the_workbench_ranks_them(
        suggested: Project) -> None:
    from focuscode.domain.quoting import is_fragment

    data = suggested.reports.data(real_names=True)
    segments = {s.segment_id: s for s in data.segments}
    assert data.quotes and all(q.source == "suggested" for q in data.quotes)
    for quote in data.quotes:
        assert not is_fragment(quote.text), quote.text
        assert quote.text == segments[quote.segment_id].text
    # one ranker: an unreviewed theme's report quotes are the workbench's suggestions for it
    theme = next(c for c in data.codes if c.key.startswith("theme-"))
    report = [q.segment_id for q in data.quotes if q.code_key == theme.key]
    workbench = [s.segment.segment_id for s in suggested.quotes.suggest(
        f"t{theme.theme_id}", n=len(report))]
    assert report and sorted(report) == sorted(workbench)


def test_reports_follow_the_codebook_tree_and_name_empty_codes_once(suggested: Project,
                                                                   tmp_path: Path) -> None:
    data = suggested.reports.data()
    names = [c.name for c in data.codes]
    views = names.index("Views of care")
    assert names[views + 1:views + 3] == [HOLISTIC, LINEAR]  # children under their parent
    assert all(c.status == "accepted" for c in data.codes[:names.index(
        next(c.name for c in data.codes if c.status != "accepted"))])  # codes, then themes
    html = suggested.reports.export_report(tmp_path / "r.html").read_text("utf-8")
    themes = html.split('id="themes"')[1].split('id="comparison"')[0]
    assert '<h3 class="group" id="code-' in themes and ">Views of care</h3>" in themes
    assert "No quote" not in html and "Not tested: it is in all or none" not in html
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+", html)  # dates as readers write them
    assert re.search(r"Generated \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC", html)
    markdown = suggested.reports.comparison_text(
        suggested.reports.compare("role", groups=["patient", "physician"]), "md")
    assert "| **Views of care** |" in markdown and " pp [" in markdown


def test_the_segment_table_says_what_each_segment_counts_for(suggested: Project) -> None:
    from focuscode.domain.counting import bases
    from focuscode.domain.reports import BASIS_LABELS

    data = suggested.reports.data()
    table = suggested.segments_frame().set_index("segment_id")
    expected: dict[int, set[str]] = {}
    for code in data.codes:
        for segment_id, basis in bases(data)[code.key].items():
            expected.setdefault(segment_id, set()).add(f"{code.name} ({BASIS_LABELS[basis]})")
    shown = {int(i): set(filter(None, str(v).split("; "))) for i, v in table["codes"].items()}
    assert {i: v for i, v in shown.items() if v} == expected
