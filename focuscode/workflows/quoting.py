"""Quotes: mark a segment (or a span of it) as representative of a code, star, reorder, and
accept the ranked suggestions. Every change is a decision of the log, undoable."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from focuscode.domain import Decision, DecisionError
from focuscode.domain.changes import Change, QuoteChange
from focuscode.domain.counting import ranked_segments
from focuscode.domain.hashing import text_sha256
from focuscode.domain.quoting import MIN_QUOTE_WORDS
from focuscode.domain.reports import (
    CONFIRMED,
    ReportCode,
    ReportCoding,
    ReportQuote,
    ReportSegment,
)
from focuscode.domain.review import Quote, QuoteSuggestion
from focuscode.pipeline.quotes import QuoteRanker
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.review_queries import EntryScope, ReviewQueries
from focuscode.workflows.entries import Target, coding_row, resolve
from focuscode.workflows.visibility import Visibility

MAX_CANDIDATES = 5_000


class Quotes:
    """The quotes of each entry's code (a theme's are kept on its row, born with its first
    quote: the theme stays a theme), as far as
    ``visibility`` shows them: in blind mode the coder's own only, to read, reorder and remove."""

    def __init__(self, store: ProjectStore, log: DecisionLog, visibility: Visibility) -> None:
        self.store = store
        self.log = log
        self.visibility = visibility
        self.coder = visibility.coder
        self.queries = ReviewQueries(store.db)

    # reading ------------------------------------------------------------------------------
    def of(self, key: str) -> list[Quote]:
        """The entry's quotes in their order."""
        target = resolve(self.store, self.log, key)
        return self._visible(target.code_id) if target.code_id is not None else []

    def _visible(self, code_id: int | None = None) -> list[Quote]:
        return self.visibility.visible_quotes(self.queries.quotes(code_id))

    def suggest(self, key: str, n: int = 5) -> list[QuoteSuggestion]:
        """The model's picks among the entry's segments not rejected and not quoted yet:
        central, different from each other and from the quotes already picked, roles and
        speakers not quoted yet first, no fragments. Uses the embedding cache of the latest
        analysis (no model is loaded)."""
        target = resolve(self.store, self.log, key)
        if target.is_queue:
            return []
        quoted = {q.segment_id for q in self.of(key)}
        scope = EntryScope(target.run_id, target.code_id, target.theme_ids,
                           self.visibility.suggestion_run(self.store))
        rows, _ = self.queries.entry_page(scope, self.coder, limit=MAX_CANDIDATES)
        rows = [r for r in rows if r.status != "rejected" and r.segment_id not in quoted]
        if not rows:
            return []
        picked = list(self.queries.segment_texts(sorted(quoted)).values())
        texts = [r.text for r in rows] + [p.text for p in picked]
        run = self.store.latest_run()
        hashes = [text_sha256(text) for text in texts]
        cached = self.store.cached_embeddings(run.model_id, hashes) if run else {}
        X = np.vstack([cached[h] for h in hashes]) if all(h in cached for h in hashes) else None
        ranker = QuoteRanker(n_quotes=n).fit(
            X, texts, [r.role for r in rows] + [p.role for p in picked],
            [r.speaker for r in rows] + [p.speaker for p in picked],
            picked=range(len(rows), len(texts)),
            preferred=[r.status == "confirmed" for r in rows] + [False] * len(picked))
        return [QuoteSuggestion(rows[i], score) for i, score in zip(ranker.ranking_,
                                                                     ranker.scores_)]

    # deciding -----------------------------------------------------------------------------
    def mark(self, key: str, segment_id: int, span: tuple[int, int] | None = None) -> Decision:
        """Quote a segment, or the characters ``span`` (start, end) of its text, for the entry."""
        with self.log.db.atomic():
            target = self._target(key)
            start, end = self._span(segment_id, span)
            code_id, changes = coding_row(self.log, target)
            quote_id = self.log.new_quote_row(code_id, segment_id, start, end, coder=self.coder)
            changes.append(_quote_change(quote_id, "status", "removed", "active"))
            what = f"segment {segment_id}" if span is None else f"part of segment {segment_id}"
            return self._record("quote", changes, f"quoted {what} for '{target.label}'")

    def accept(self, key: str, segment_ids: Sequence[int]) -> Decision:
        """Accept suggested quotes (whole segments), in the order given."""
        if not segment_ids:
            raise DecisionError("no suggestion selected")
        with self.log.db.atomic():
            target = self._target(key)
            code_id, changes = coding_row(self.log, target)
            for segment_id in segment_ids:
                start, end = self._span(segment_id, None)
                quote_id = self.log.new_quote_row(code_id, segment_id, start, end,
                                                  coder=self.coder, source="suggested")
                changes.append(_quote_change(quote_id, "status", "removed", "active"))
            n = len(segment_ids)
            return self._record("quote", changes, f"accepted {n} suggested quote"
                                f"{'s' if n != 1 else ''} for '{target.label}'")

    def star(self, quote_id: int) -> Decision:
        """Star the quote, or unstar it."""
        quote = self._quote(quote_id)
        return self._record("star", [_quote_change(quote_id, "starred", int(quote.starred),
                                                   int(not quote.starred))],
                            f"{'unstarred' if quote.starred else 'starred'} {self._name(quote)}")

    def move(self, quote_id: int, step: int) -> Decision:
        """Move a quote ``step`` places up (negative) or down in its code's order."""
        with self.log.db.atomic():  # the order read is the order changed (another window)
            quote = self._quote(quote_id)
            order = self._visible(quote.code_id)  # hidden quotes keep their places
            index = next(i for i, q in enumerate(order) if q.id == quote_id)
            other = index + (1 if step > 0 else -1)
            if step == 0 or not 0 <= other < len(order):
                raise DecisionError("the quote is already " + ("last" if step > 0 else "first"))
            new_order = [q.id for q in order]
            new_order.insert(max(0, min(len(order) - 1, index + step)), new_order.pop(index))
            changes = [_quote_change(q.id, "position", q.position, position)
                       for q, position in zip(order, _positions(order, new_order))
                       if q.position != position]
            return self._record("reorder", changes, f"moved {self._name(quote)} "
                                f"{'down' if step > 0 else 'up'}")

    def remove(self, quote_id: int) -> Decision:
        quote = self._quote(quote_id)
        return self._record("unquote", [_quote_change(quote_id, "status", "active", "removed")],
                            f"removed {self._name(quote)}")

    # helpers ------------------------------------------------------------------------------
    def _target(self, key: str) -> Target:
        target = resolve(self.store, self.log, key)
        if target.is_queue:
            raise DecisionError("quotes belong to a theme or code, not the unassigned queue",
                                hint="assign the segment first")
        return target

    def _span(self, segment_id: int, span: tuple[int, int] | None) -> tuple[int, int]:
        found = self.queries.segment_span(segment_id)
        if found is None:
            raise DecisionError(f"no segment {segment_id}")
        start, end = found
        if span is None:
            return start, end
        first, last = span
        if not 0 <= first < last <= end - start:
            raise DecisionError("the quote must be a non-empty part of the segment")
        return start + first, start + last

    def _name(self, quote: Quote) -> str:
        """How a summary names a quote: whose, and for which code."""
        return f"the quote of {quote.speaker_name} for '{self.log.code(quote.code_id).name}'"

    def _quote(self, quote_id: int) -> Quote:
        quote = next((q for q in self._visible() if q.id == quote_id), None)
        if quote is None:
            raise DecisionError(f"no quote {quote_id}", hint="it may have been removed")
        return quote

    def _record(self, action: str, changes: list[Change], summary: str) -> Decision:
        return self.log.decision(self.log.record(action, changes, coder=self.coder,
                                                 summary=summary))


def _quote_change(quote_id: int, field: str, before: object, after: object) -> QuoteChange:
    return QuoteChange(quote_id=quote_id, field=field, before=before, after=after)


def _positions(order: Sequence[Quote], new_order: Sequence[int]) -> list[int]:
    """Positions giving ``new_order``, reusing the existing ones (sorted) so few rows change."""
    slots = sorted(q.position for q in order)
    if len(set(slots)) < len(slots):  # codes merged: make the positions distinct again
        slots = [slots[0] + i for i in range(len(slots))]
    where = {quote_id: slots[i] for i, quote_id in enumerate(new_order)}
    return [where[q.id] for q in order]


def suggest_report_quotes(store: ProjectStore, codes: Sequence[ReportCode],
                          segments: Sequence[ReportSegment], codings: Sequence[ReportCoding], *,
                          n_quotes: int, min_words: int = MIN_QUOTE_WORDS) -> list[ReportQuote]:
    """Quotes the reports suggest for ``codes`` until researchers pick some: the same ranker as
    the workbench's (``pipeline.quotes.QuoteRanker``) over each code's counted segments, with
    the cached embeddings of the latest analysis (no model is loaded; without them, by how
    typical each segment is), confirmed segments first, never a fragment."""
    by_id = {s.segment_id: s for s in segments}
    run = store.latest_run()
    by_code: dict[str, list[ReportCoding]] = {}
    for coding in codings:
        by_code.setdefault(coding.code_key, []).append(coding)
    quotes: list[ReportQuote] = []
    for code in codes:
        ranked = ranked_segments(by_code.get(code.key, ()), by_id, code.key)
        if not ranked:
            continue
        best: dict[int, ReportCoding] = {}
        for coding in by_code[code.key]:
            if coding.segment_id not in best or coding.status == CONFIRMED:
                best[coding.segment_id] = coding
        hashes = [text_sha256(s.text) for s in ranked]
        cached = store.cached_embeddings(run.model_id, hashes) if run else {}
        X = np.vstack([cached[h] for h in hashes]) if all(h in cached for h in hashes) else None
        ranker = QuoteRanker(n_quotes=n_quotes, min_words=min_words).fit(
            X, [s.text for s in ranked], [s.role for s in ranked], [s.speaker for s in ranked],
            preferred=[best[s.segment_id].status == CONFIRMED for s in ranked],
            relevance=[best[s.segment_id].rank for s in ranked])
        quotes.extend(ReportQuote(code_key=code.key, rank=rank, segment_id=ranked[i].segment_id,
                                  start_char=ranked[i].start_char, end_char=ranked[i].end_char,
                                  text=ranked[i].text, source="suggested")
                      for rank, i in enumerate(ranker.ranking_, start=1))
    return quotes
