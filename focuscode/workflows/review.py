"""Read models of the review workbench: entries with per-role counts, pages of segments with
their context, the unassigned queue with nearest themes, and search. Nothing here writes.

Statuses (✓ confirmed, ✗ rejected, undecided), the counts made of them and the status a search
filters on are the coder's own decisions, in open and in blind mode alike: they are what the
coder's keys change, so another coder's confirmation never marks a segment done for them. What
other coders picked (quotes, and so the example an entry shows) is used as the coder's
``Visibility`` allows: everyone's when open, their own in blind mode."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from focuscode.domain import DecisionError
from focuscode.domain.quoting import is_fragment
from focuscode.domain.review import (
    UNASSIGNED,
    ContextTurn,
    FilterOptions,
    NearestEntry,
    Quote,
    ReviewEntry,
    ReviewSegment,
    RoleCounts,
    SearchFilters,
    SegmentPage,
    code_key,
    entry_keywords,
    parent_key,
    theme_key,
)
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.review_queries import EntryScope, ReviewQueries
from focuscode.workflows.entries import Target, resolve
from focuscode.workflows.visibility import Visibility

PAGE_SIZE = 200
N_NEAREST = 3
N_KEYWORDS = 8
EXEMPLAR_CHARS = 200
QUEUE_LABEL = "(unassigned)"


class Review:
    """What the workbench shows, always read fresh from the store, for ``visibility.coder``
    (their decisions; the others' quotes only when ``visibility`` is open)."""

    def __init__(self, store: ProjectStore, log: DecisionLog, visibility: Visibility) -> None:
        self.store = store
        self.log = log
        self.visibility = visibility
        self.coder = visibility.coder
        self.queries = ReviewQueries(store.db)

    def has_analysis(self) -> bool:
        return self.store.latest_run() is not None

    # entries ------------------------------------------------------------------------------
    def entries(self) -> list[ReviewEntry]:
        """Codes (with their themes), unlinked themes, codebook and accepted codes without a
        theme, and the unassigned queue last; empty before any analysis and without codes.

        This is the one overview: the workbench and ``focuscode themes`` both show it."""
        run = self.store.latest_run()
        run_id = run.id if run else None
        themes = self.store.themes(run_id) if run_id is not None else []
        codes = {code.id: code for code in self.log.codes()}
        counts = self.queries.entry_counts(run_id, self.coder,
                                           suggestion_run=self.visibility.suggestion_run(
                                               self.store))
        linked: dict[int, list] = defaultdict(list)
        targets: list[Target] = []
        for theme in themes:
            if theme.code_id in codes:
                linked[theme.code_id].append(theme)
            else:
                targets.append(Target(theme_key(theme.id), run_id, None, (theme,)))
        for code_id, code in codes.items():
            key = code_key(code_id)
            visible = (code_id in linked or code.status == "accepted" or code.source == "codebook"
                       or counts.get(key, RoleCounts()).n_confirmed > 0)
            if visible:
                targets.append(Target(key, run_id, code, tuple(linked.get(code_id, ()))))
        examples = self._examples(targets, self._quotes())
        entries = [self._entry(t, counts.get(t.key, RoleCounts()), examples) for t in targets]
        entries.sort(key=lambda e: (e.number is None, e.number or 0, e.label.lower()))
        if run_id is not None:
            entries.append(_queue_entry(self.queries.queue_counts(run_id, self.coder)))
        return entries

    def entry(self, key: str) -> ReviewEntry:
        """One entry, fresh (``t5`` resolves to its code once the theme has one)."""
        target = resolve(self.store, self.log, key)
        run_id = target.run_id
        if target.is_queue:
            return _queue_entry(self.queries.queue_counts(run_id, self.coder))
        counts = self.queries.entry_counts(run_id, self.coder, self._scope(target),
                                           suggestion_run=self.visibility.suggestion_run(
                                               self.store))
        quotes = self._quotes(target.code_id) if target.code_id is not None else []
        return self._entry(target, counts.get(target.key, RoleCounts()),
                           self._examples([target], quotes))

    def _entry(self, target: Target, counts: RoleCounts,
               examples: dict[str, tuple[str, str, int]]) -> ReviewEntry:
        keywords = entry_keywords(target.code, target.themes)
        text, speaker, n_quotes = examples.get(target.key, ("", "", 0))
        code = target.code
        return ReviewEntry(
            key=target.key, label=target.label,
            status="accepted" if target.is_accepted else "suggested",
            source=code.source if code else "theme", code_id=target.code_id,
            theme_ids=target.theme_ids,
            number=min((t.number for t in target.themes), default=None),
            keywords=tuple(keywords[:N_KEYWORDS]), definition=code.definition if code else "",
            n_segments=sum(counts.n_segments.values()),
            n_speakers=sum(counts.n_speakers.values()), by_role=dict(counts.n_segments),
            n_confirmed=counts.n_confirmed, n_rejected=counts.n_rejected,
            n_by_codebook=counts.n_by_codebook, n_quotes=n_quotes,
            exemplar=_shorten(text), exemplar_speaker=speaker,
            group_id=next((t.group_id for t in target.themes if t.group_id is not None), None))

    def parents(self) -> list[ReviewEntry]:
        """The latest analysis' parent themes (the theme tree), as rows without counts: the
        overview counts them from the entries under them (``ReviewEntry.group_id``)."""
        run = self.store.latest_run()
        if run is None:
            return []
        return [ReviewEntry(key=parent_key(group.id), label=group.label, status="parent",
                            source="group", number=group.number,
                            keywords=tuple(group.keywords[:N_KEYWORDS]), group_id=group.id)
                for group in self.store.theme_groups(run.id)]

    def _scope(self, target: Target) -> EntryScope:
        return EntryScope(run_id=target.run_id, code_id=target.code_id, theme_ids=target.theme_ids,
                          suggestion_run=self.visibility.suggestion_run(self.store))

    def _quotes(self, code_id: int | None = None) -> list[Quote]:
        """Picked quotes (one code's, or every code's) this coder may see."""
        return self.visibility.visible_quotes(self.queries.quotes(code_id))

    def _examples(self, targets: list[Target],
                  quotes: list[Quote]) -> dict[str, tuple[str, str, int]]:
        """Per entry key: the example to show (text, speaker) and its number of quotes. The
        starred quote, else the first; without quotes, the analysis' most typical segment
        that the researcher did not reject or remove as a quote."""
        by_code: dict[int, list[Quote]] = defaultdict(list)
        for quote in quotes:
            by_code[quote.code_id].append(quote)
        skip = self.queries.not_exemplary(self.coder, quotes_of=self.visibility.blind_coder)
        picks: dict[str, Quote | int | None] = {}
        options: dict[str, list[int]] = {}
        for target in targets:
            picked = sorted(by_code.get(target.code_id or -1, ()),
                            key=lambda q: (not q.starred, q.position, q.id))
            if picked:
                picks[target.key] = picked[0]
                continue
            avoid = skip.get(target.code_id or -1, set())
            options[target.key] = [sid for theme in target.themes for sid in theme.exemplar_ids
                                   if sid not in avoid]
        texts = self.queries.segment_texts([sid for ids in options.values() for sid in ids])
        for key, ids in options.items():  # the most typical that is no fragment ("it wasn't --")
            picks[key] = next((sid for sid in ids if sid in texts
                               and not is_fragment(texts[sid].text)), ids[0] if ids else None)
        examples = {}
        for target in targets:
            pick = picks[target.key]
            n_quotes = len(by_code.get(target.code_id or -1, ()))
            if isinstance(pick, Quote):
                examples[target.key] = (pick.text, pick.speaker_name, n_quotes)
            elif pick in texts:
                examples[target.key] = (texts[pick].text, texts[pick].speaker_name, n_quotes)
        return examples

    def follow(self, key: str, theme_ids: tuple[int, ...] = ()) -> ReviewEntry:
        """The entry ``key`` names now or, once it is gone (its code undone, merged away), the
        entry its themes ``theme_ids`` are in now."""
        try:
            return self.entry(key)
        except DecisionError:
            for theme_id in theme_ids:
                try:
                    return self.entry(theme_key(theme_id))
                except DecisionError:
                    continue
            raise

    def resolve_key(self, key: str) -> str:
        return resolve(self.store, self.log, key).key

    def labels(self) -> dict[str, str]:
        """Entry key -> label for every theme and live code (no counting: cheap)."""
        run = self.store.latest_run()
        labels = {code_key(code.id): code.name for code in self.log.codes()}
        if run is not None:
            for theme in self.store.themes(run.id):
                if code_key(theme.code_id or 0) not in labels:
                    labels[theme_key(theme.id)] = theme.label
        labels[UNASSIGNED] = QUEUE_LABEL
        return labels

    # segments -----------------------------------------------------------------------------
    def segments(self, key: str, *, status: str | None = None, offset: int = 0,
                 limit: int = PAGE_SIZE) -> SegmentPage:
        """A page of an entry's segments in transcript order; ``status`` filters (``suggested``
        means not yet decided). Queue segments come with their nearest themes."""
        target = resolve(self.store, self.log, key)
        if target.is_queue:
            return self._queue_page(target, offset=offset, limit=limit)
        rows, total = self.queries.entry_page(self._scope(target), self.coder, status=status,
                                              offset=offset, limit=limit)
        rows = [replace(r, entry_key=target.key, entry_label=target.label) for r in rows]
        return SegmentPage(tuple(rows), total, offset)

    def segment(self, key: str, segment_id: int) -> ReviewSegment | None:
        """One segment as the entry shows it now (None once it has left a queue)."""
        target = resolve(self.store, self.log, key)
        if target.is_queue:
            page = self._queue_page(target, segment_id=segment_id)
            return page.rows[0] if page.rows else None
        rows, _ = self.queries.entry_page(self._scope(target), self.coder, segment_id=segment_id)
        return replace(rows[0], entry_key=target.key, entry_label=target.label) if rows else None

    def _queue_page(self, target: Target, *, offset: int = 0, limit: int = PAGE_SIZE,
                    segment_id: int | None = None) -> SegmentPage:
        rows, total = self.queries.queue_page(target.run_id, self.coder, offset=offset,
                                              limit=limit, segment_id=segment_id)
        run_themes = self.store.themes(target.run_id) if target.run_id is not None else []
        codes = {code.id: code for code in self.log.codes()}
        where = {}
        for theme in run_themes:
            code = codes.get(theme.code_id) if theme.code_id is not None else None
            where[theme.id] = (code_key(code.id), code.name) if code else (theme_key(theme.id),
                                                                            theme.label)
        result = []
        for segment, nearest in rows:
            suggestions: dict[str, NearestEntry] = {}
            for theme_id, similarity in nearest:
                if theme_id in where and where[theme_id][0] not in suggestions:
                    key, label = where[theme_id]
                    suggestions[key] = NearestEntry(key, label, similarity)
            result.append(replace(segment, entry_key=UNASSIGNED, entry_label=QUEUE_LABEL,
                                  nearest=tuple(suggestions.values())[:N_NEAREST]))
        return SegmentPage(tuple(result), total, offset)

    def context(self, segment_id: int, *, before: int = 2, after: int = 1) -> list[ContextTurn]:
        """The turns around a segment, the last moderator prompt before it included."""
        return self.queries.context(segment_id, before=before, after=after)

    # search -------------------------------------------------------------------------------
    def search(self, filters: SearchFilters, *, offset: int = 0,
               limit: int = PAGE_SIZE) -> SegmentPage:
        """Segments matching every word of the query (the last as a prefix) and the filters."""
        run = self.store.latest_run()
        rows, total = self.queries.search_page(run.id if run else None, self.coder, filters,
                                               offset=offset, limit=limit)
        labels = self.labels() if rows else {}
        rows = [replace(r, entry_label=labels.get(r.entry_key or "", "")) for r in rows]
        return SegmentPage(tuple(rows), total, offset)

    def locate(self, segment_id: int) -> ReviewSegment | None:
        """One segment as search shows it: its status and the entry it sits in now."""
        run = self.store.latest_run()
        rows, _ = self.queries.search_page(run.id if run else None, self.coder, SearchFilters(),
                                           segment_id=segment_id)
        if not rows:
            return None
        return replace(rows[0], entry_label=self.labels().get(rows[0].entry_key or "", ""))

    def filter_options(self) -> FilterOptions:
        return self.queries.filter_options()

    # the log ------------------------------------------------------------------------------
    def describe(self, decision_id: int) -> str:
        """What a decision did, in a sentence (for notifications)."""
        try:
            decision = self.log.decision(decision_id)
        except DecisionError:
            return ""
        return decision.summary





def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > EXEMPLAR_CHARS:
        text = text[:EXEMPLAR_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return text


def _queue_entry(counts: RoleCounts) -> ReviewEntry:
    return ReviewEntry(key=UNASSIGNED, label=QUEUE_LABEL, status="unassigned", source="queue",
                       n_segments=sum(counts.n_segments.values()),
                       n_speakers=sum(counts.n_speakers.values()), by_role=dict(counts.n_segments))
