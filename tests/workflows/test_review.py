"""The workbench's read models: entries, pages of segments, context, the queue and search."""

from __future__ import annotations

import re
import sqlite3

from focuscode.domain import Code
from focuscode.domain.review import UNASSIGNED, SearchFilters, SearchTerm, search_terms
from focuscode.store import Database, ProjectStore
from focuscode.store.schema import MIGRATIONS


def test_the_themes_overview_is_the_workbench_overview(analysed_project):
    entries = analysed_project.review.entries()
    assert analysed_project.themes() == entries
    assert entries[-1].is_queue and entries[-1].status == "unassigned"
    assert [e.status for e in entries[:-1]] == ["suggested"] * (len(entries) - 1)
    assert all(e.exemplar and e.exemplar_speaker for e in entries[:-1])


def test_the_overview_example_is_no_fragment_when_a_whole_exemplar_exists(analysed_project):
    from focuscode.domain.quoting import is_fragment

    project = analysed_project
    texts = project.review.queries.segment_texts(
        [sid for t in project.store.themes(project.store.latest_run().id)
         for sid in t.exemplar_ids])
    themes = {f"t{t.id}": t for t in project.store.themes(project.store.latest_run().id)}
    checked = 0
    for entry in project.review.entries()[:-1]:
        ids = themes[entry.key].exemplar_ids
        if any(not is_fragment(texts[i].text) for i in ids):
            assert not is_fragment(entry.exemplar.rstrip("…")) or entry.exemplar.endswith("…")
            whole = next(texts[i].text for i in ids if not is_fragment(texts[i].text))
            # the overview shows the text on one line: compare it with line breaks as spaces
            assert " ".join(whole.split()).startswith(" ".join(entry.exemplar.rstrip("…").split()))
            checked += 1
    assert checked


def test_the_themes_overview_follows_every_decision(analysed_project):
    project = analysed_project
    a, b, c, d, e, *_, queue = project.review.entries()
    project.decisions.merge(a.key, b.key)
    project.decisions.rename(c.key, "Care")
    moved = project.review.segments(e.key, limit=1).rows[0].segment_id
    project.decisions.move(moved, project.review.resolve_key(b.key), from_key=e.key)
    project.decisions.delete(d.key)
    assigned = project.review.segments(UNASSIGNED, limit=1).rows[0].segment_id
    project.decisions.move(assigned, project.review.resolve_key(c.key))
    themes = project.themes()
    assert themes == project.review.entries()
    by_label = {t.label: t for t in themes}
    assert [t.label for t in themes].count(b.label) == 1 and a.label not in by_label
    assert by_label[b.label].n_segments == a.n_segments + b.n_segments + 1
    assert by_label[b.label].n_confirmed == 1
    assert "Care" in by_label and c.label not in by_label and d.label not in by_label
    assert by_label["Care"].n_segments == c.n_segments + 1
    assert by_label[e.label].n_segments == e.n_segments - 1
    assert by_label[e.label].n_rejected == 0  # moved, not rejected: shown as moved
    assert project.review.segment(e.key, moved).status == "moved"
    assert themes[-1].n_segments == queue.n_segments + d.n_segments - 1


def test_entries_before_any_analysis_are_empty(imported_project):
    assert imported_project.review.entries() == []
    assert not imported_project.review.has_analysis()


def test_accepted_code_without_theme_stays_listed(analysed_project):
    project = analysed_project
    theme = project.review.entries()[0]
    project.decisions.accept(theme.key, name="Care")
    project.decisions.delete(project.review.resolve_key(theme.key))
    project.undo()
    assert project.review.entries()[0].label == "Care"


def test_codebook_codes_appear_beside_the_themes(analysed_project):
    project = analysed_project
    project.log.create_code(Code(id=None, name="Trust in pharma", source="codebook",
                                 status="suggested"), coder="tester")
    entries = project.review.entries()
    code = next(e for e in entries if e.label == "Trust in pharma")
    assert (code.status, code.source, code.n_segments, code.theme_ids) == \
        ("suggested", "codebook", 0, ())
    assert entries.index(code) == len(entries) - 2  # after the themes, before the queue
    sid = project.review.segments(entries[0].key, limit=1).rows[0].segment_id
    project.decisions.move(sid, code.key, from_key=entries[0].key)
    assert project.review.entry(code.key).n_confirmed == 1


def test_segments_page_in_transcript_order_with_a_status_filter(analysed_project):
    project = analysed_project
    theme = project.review.entries()[0]
    first = project.review.segments(theme.key, limit=5)
    rest = project.review.segments(theme.key, offset=5, limit=1000)
    assert first.total == rest.total == theme.n_segments
    assert len(first.rows) + len(rest.rows) == theme.n_segments
    ids = [r.segment_id for r in first.rows + rest.rows]
    assert len(set(ids)) == len(ids)
    project.decisions.confirm(theme.key, ids[:2])
    key = project.review.resolve_key(theme.key)
    confirmed = project.review.segments(key, status="confirmed")
    undecided = project.review.segments(key, status="suggested")
    assert [r.segment_id for r in confirmed.rows] == ids[:2]
    assert undecided.total == theme.n_segments - 2
    one = project.review.segment(key, ids[0])
    assert (one.status, one.entry_key, one.entry_label) == ("confirmed", key, theme.label)


def test_a_segment_confirmed_elsewhere_shows_that_code(analysed_project):
    project = analysed_project
    a, b = project.review.entries()[:2]
    sid = project.review.segments(a.key, limit=1).rows[0].segment_id
    project.decisions.accept(b.key)
    project.decisions.move(sid, project.review.resolve_key(b.key), from_key=a.key)
    row = project.review.segment(project.review.resolve_key(a.key), sid)
    assert (row.status, row.moved_to, row.also) == ("moved", b.label, (b.label,))


def test_context_includes_the_last_moderator_prompt(analysed_project):
    project = analysed_project
    theme = project.review.entries()[0]
    for row in project.review.segments(theme.key, limit=50).rows:
        turns = project.review.context(row.segment_id, before=0, after=0)
        current = next(t for t in turns if t.is_current)
        assert current.text[current.span[0]:current.span[1]] == row.text
        if len(turns) > 1:
            assert turns[0].role == "moderator" and turns[0].turn_index < current.turn_index
            return
    raise AssertionError("no segment with a moderator prompt before it")


def test_queue_offers_three_nearest_live_themes(analysed_project):
    project = analysed_project
    page = project.review.segments(UNASSIGNED, limit=10)
    keys = {e.key for e in project.review.entries()}
    assert page.total == project.review.entry(UNASSIGNED).n_segments
    for row in page.rows:
        assert row.status == "unassigned" and len(row.nearest) == 3
        assert {n.key for n in row.nearest} <= keys
        assert [n.similarity for n in row.nearest] == sorted(
            (n.similarity for n in row.nearest), reverse=True)


def test_search_words_prefix_and_filters(analysed_project):
    project = analysed_project
    every = project.review.search(SearchFilters(query="insurance"))
    prefix = project.review.search(SearchFilters(query="insur"))
    assert every.total > 0 and prefix.total >= every.total
    assert all("insur" in r.text.lower() for r in prefix.rows)
    patients = project.review.search(SearchFilters(query="insur", role="patient"))
    assert 0 < patients.total < prefix.total and {r.role for r in patients.rows} == {"patient"}
    options = project.review.filter_options()
    assert {"patient", "physician", "moderator"} <= set(options.roles)
    transcript = options.transcripts[0]
    assert {r.transcript for r in project.review.search(
        SearchFilters(transcript=transcript), limit=10_000).rows} == {transcript}
    assert project.review.search(SearchFilters(query='"))(*')).total == \
        project.review.search(SearchFilters()).total  # no words: no text condition


def test_search_status_filter_and_entry_labels(analysed_project):
    project = analysed_project
    theme = project.review.entries()[0]
    sid = project.review.segments(theme.key, limit=1).rows[0].segment_id
    project.decisions.confirm(theme.key, sid)
    found = project.review.search(SearchFilters(status="confirmed"))
    assert [(r.segment_id, r.entry_label) for r in found.rows] == [(sid, theme.label)]
    excluded = project.review.search(SearchFilters(status="excluded"), limit=5)
    assert excluded.total > 0 and all(r.entry_key is None for r in excluded.rows)
    queue = project.review.search(SearchFilters(status="unassigned"))
    assert queue.total == project.review.entry(UNASSIGNED).n_segments


def test_search_terms_are_words_and_quoted_phrases():
    assert search_terms('pain "AND" meds') == [SearchTerm(("pain",)), SearchTerm(("AND",), True),
                                               SearchTerm(("meds",))]
    assert search_terms('"treat the person" care "still typ') == [
        SearchTerm(("treat", "the", "person"), True), SearchTerm(("care",)),
        SearchTerm(("still", "typ"), True)]
    assert search_terms('  "" ') == []


def test_a_word_is_found_inside_longer_words(analysed_project):
    found = analysed_project.review.search(SearchFilters(query="trust"), limit=1000).rows
    words = {w for r in found for w in re.findall(r"\w*trust\w*", r.text.lower())}
    assert {"trust", "mistrust", "trusted"} <= words
    assert all("trust" in r.text.lower() for r in found)
    both = analysed_project.review.search(SearchFilters(query="trust curt")).rows
    assert [r.speaker for r in both] == ["Denise Carter"] and "mistrust" in both[0].text


def test_a_quoted_phrase_is_found_as_whole_words_in_order(analysed_project):
    phrase = analysed_project.review.search(SearchFilters(query='"treat the person"')).rows
    assert len(phrase) == 3 and all("treat the person" in r.text for r in phrase)
    words = analysed_project.review.search(SearchFilters(query="person treat"), limit=1000)
    assert words.total > len(phrase)  # the same words anywhere in a segment
    assert analysed_project.review.search(SearchFilters(query='"person the treat"')).total == 0


def test_review_migration_upgrades_a_version_1_database(tmp_path):
    path = tmp_path / "old.sqlite"
    db = Database(path, create=True)
    with db.atomic() as conn:
        conn.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL "
                     "UNIQUE, applied_at TEXT NOT NULL)")
        name, first = MIGRATIONS[0]
        first(conn)
        conn.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, 'then')", (name,))
        conn.execute("INSERT INTO speakers (label, role) VALUES ('P1', 'patient')")
        conn.execute("INSERT INTO transcripts (name, source_path, format, encoding, text, "
                     "source_sha256, imported_at) VALUES ('a', 'a.txt', 'txt', 'utf-8', "
                     "'P1: waiting for the pharmacy', 'x', 'then')")
        conn.execute("INSERT INTO turns (transcript_id, idx, speaker_id, start_char, end_char) "
                     "VALUES (1, 0, 1, 4, 28)")
        conn.execute("INSERT INTO segments (transcript_id, turn_id, idx, start_char, end_char, "
                     "text, text_sha256) VALUES (1, 1, 0, 4, 28, 'waiting for the pharmacy', 'h')")
    db.close()
    store = ProjectStore(path)
    assert "0002_review_workbench" in store.db.applied_migrations()
    hits = store.db.query("SELECT rowid FROM segments_fts WHERE segments_fts MATCH 'pharm*'")
    assert [r[0] for r in hits] == [1]
    assert store.quotes() == []
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT status FROM themes").fetchall() == []
    conn.close()
