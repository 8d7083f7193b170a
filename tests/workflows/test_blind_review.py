"""Blind mode in the review workbench's read models (the themes overview, a theme's segments,
search, quotes), through ``workflows.Project``: two coders decide differently on the same
segments; what each sees is their own decisions, and in blind mode only their own quotes."""

from __future__ import annotations

import pytest
from blind_support import ANA, BEA, CODE, as_coder, two_coders_decide

from focuscode.domain.review import SearchFilters
from focuscode.workflows import Project


@pytest.fixture
def decided(analysed_project: Project) -> tuple[Project, str, list[int], int]:
    """The largest theme accepted as a code (its key returned with its most typical segment);
    on six of its other segments s0..s5: ana confirms s0 s1 and rejects s2; bea rejects s0,
    confirms s2 and s3 and quotes s4; nobody decides s5."""
    ana = as_coder(analysed_project, ANA)
    entry = max((e for e in ana.review.entries() if not e.is_queue), key=lambda e: e.n_segments)
    [theme] = [t for t in ana.store.themes(ana.store.latest_run().id)
               if t.id == entry.theme_id]
    ana.decisions.accept(entry.key, CODE)
    key = ana.review.resolve_key(entry.key)
    s = [row.segment_id for row in ana.review.segments(key).rows
         if row.segment_id not in theme.exemplar_ids][:6]
    assert len(s) == 6
    two_coders_decide(analysed_project, key, s)
    return analysed_project, key, s, theme.exemplar_ids[0]


def _statuses(project: Project, key: str, ids: list[int]) -> list[str]:
    rows = {r.segment_id: r.status for r in project.review.segments(key).rows}
    return [rows[i] for i in ids]


def _found(project: Project, status: str, ids: list[int]) -> list[int]:
    """Which of ``ids`` search lists when filtered by ``status``."""
    rows = project.review.search(SearchFilters(status=status), limit=100_000).rows
    return [r.segment_id for r in rows if r.segment_id in ids]


@pytest.mark.parametrize("blind", [True, False])
def test_counts_statuses_and_search_are_each_coders_own(decided, blind) -> None:
    project, key, s, _ = decided
    ana, bea = as_coder(project, ANA, blind=blind), as_coder(project, BEA, blind=blind)
    mine = ana.review.entry(key)
    assert (mine.n_confirmed, mine.n_rejected) == (2, 1)
    assert next(e for e in ana.themes() if e.key == key) == mine
    assert (bea.review.entry(key).n_confirmed, bea.review.entry(key).n_rejected) == (2, 1)
    # bea's confirmation of s3 does not mark it done for ana, her rejection of s0 does not undo
    # ana's confirmation, and the other way round
    assert _statuses(ana, key, s) == ["confirmed", "confirmed", "rejected", "suggested",
                                      "suggested", "suggested"]
    assert _statuses(bea, key, s) == ["rejected", "suggested", "confirmed", "confirmed",
                                      "suggested", "suggested"]
    assert [r.segment_id for r in ana.review.segments(key, status="suggested").rows
            if r.segment_id in s] == s[3:]
    assert ana.review.segment(key, s[3]).status == "suggested"
    assert _found(ana, "confirmed", s) == s[:2] and _found(ana, "rejected", s) == [s[2]]
    assert _found(bea, "confirmed", s) == s[2:4] and _found(bea, "rejected", s) == [s[0]]
    assert ana.review.locate(s[3]).status == "suggested"


def test_blind_overview_and_quotes_leave_out_the_others_quotes(decided) -> None:
    project, key, s, typical = decided
    rows = project.review.segments(key, limit=100_000).rows
    text_of = {r.segment_id: " ".join(r.text.split()) for r in rows}
    opened = as_coder(project, ANA, blind=False)
    assert opened.review.entry(key).n_quotes == 1
    assert text_of[s[4]].startswith(opened.review.entry(key).exemplar.rstrip("…"))
    assert [q.segment_id for q in opened.quotes.of(key)] == [s[4]]
    blind = as_coder(project, ANA, blind=True)
    mine = blind.review.entry(key)
    assert (mine.n_quotes, blind.quotes.of(key)) == (0, [])
    assert next(e for e in blind.themes() if e.key == key) == mine
    assert text_of[typical].startswith(mine.exemplar.rstrip("…"))  # the analysis' pick
    assert as_coder(project, BEA, blind=True).review.entry(key).n_quotes == 1


def test_blind_example_ignores_quotes_others_removed(decided) -> None:
    """A quote bea picked and removed keeps its segment from being her example only."""
    project, key, _, typical = decided
    bea = as_coder(project, BEA)
    for quote in bea.quotes.of(key):
        bea.quotes.remove(quote.id)
    bea.quotes.remove(bea.quotes.mark(key, typical).payload["changes"][-1]["quote_id"])
    typical_text = next(" ".join(r.text.split()) for r in
                        project.review.segments(key, limit=100_000).rows
                        if r.segment_id == typical)
    assert not typical_text.startswith(
        as_coder(project, ANA, blind=False).review.entry(key).exemplar.rstrip("…"))
    assert typical_text.startswith(
        as_coder(project, ANA, blind=True).review.entry(key).exemplar.rstrip("…"))

