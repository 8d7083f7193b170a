"""Deductive suggestions: score every segment against every code of the codebook, store the
suggestions with their provenance, let coders confirm or reject them, and set the discovered
themes beside the codebook.

Evidence for a code is its definition (its name when it has none), its example quotes and, once
there are some, the segments coders confirmed for it: suggestions improve as coders confirm. In
blind mode only the coder's own confirmations are used and shown. Suggestions are stored apart
from the coders' decisions and never change them; a coder's pending suggestions leave out what
that coder already decided. See ``pipeline.assign`` for the scoring and its calibration.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from importlib import metadata
from typing import Callable, Sequence

import numpy as np

from focuscode import __version__
from focuscode.domain import Code, Decision, DecisionError, Segment
from focuscode.domain.hashing import text_sha256
from focuscode.domain.suggestions import (
    CodebookAlignment,
    CodeCoverage,
    PendingSuggestion,
    Suggestion,
    SuggestionRun,
    SuggestReport,
    ThemeMatch,
    is_model_coder,
)
from focuscode.pipeline.assign import CodeAssigner
from focuscode.pipeline.embed import Embedder, SentenceTransformerEmbedder
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.suggestion_store import SuggestionStore
from focuscode.workflows.analysis import embed_segments
from focuscode.workflows.codebooks import codebook_sha256, find_code, project_codebook
from focuscode.workflows.entries import STATUS_ACTIONS, check_segments, coding_changes
from focuscode.workflows.progress import NullProgress, Progress, check_cancelled
from focuscode.workflows.visibility import Visibility

N_KEPT = 3  # best codes kept per segment, suggested or not (the workbench shows them)
MATCH_SHARE = 0.4  # a theme matches a code when this share of its members is suggested for it


@dataclass(frozen=True)
class SuggestOptions:
    """Settings of a suggestion run (recorded with it). See ``pipeline.assign.CodeAssigner``."""

    threshold: float | None = None  # None: calibrated (fitted to decisions when there are enough)
    default_threshold: float = 1.0
    margin: float | None = 0.05
    min_similarity: float = 0.2
    max_codes: int = 3
    definition_weight: float = 2.0
    include_parents: bool = False  # also suggest codes that have child codes
    use_confirmed: bool = True  # confirmed segments count as examples


def scored_codes(log: DecisionLog, *, include_parents: bool = False) -> list[Code]:
    """The accepted codes suggestions are made for: leaves of the hierarchy unless
    ``include_parents`` (parents are usually group headings); never a grouping category."""
    codes = [c for c in log.codes() if c.status == "accepted"]
    parents = {c.parent.casefold() for c in codes if c.parent}
    codes = [c for c in codes if c.codable]
    return [c for c in codes if include_parents or c.name.casefold() not in parents]


def run_suggestions(store: ProjectStore, log: DecisionLog, embedder: Embedder, *, coder: str,
                    blind: bool, options: SuggestOptions = SuggestOptions(),
                    progress: Progress | None = None) -> SuggestReport:
    """Score every included segment against every code and store the run."""
    progress = progress or NullProgress()
    clock = time.perf_counter()
    codes = scored_codes(log, include_parents=options.include_parents)
    if not codes:
        raise DecisionError("the codebook has no codes to suggest", hint="import one: focuscode "
                            "codebook import codebooks/starter_codebook.yaml")
    segments = store.segments(included_only=True)
    if not segments:
        raise DecisionError("no segments to code", hint="import transcripts first")
    index = {int(c.id): k for k, c in enumerate(codes)}
    # evidence: definitions and examples, then confirmed segments; parallel lists
    texts, kinds, code_of, weights, sources = [], [], [], [], []
    for k, code in enumerate(codes):
        for text, kind, weight in [(code.definition or code.name, "definition",
                                    options.definition_weight),
                                   *((e, "example", 1.0) for e in code.examples)]:
            texts.append(text)
            kinds.append(kind)
            code_of.append(k)
            weights.append(weight)
            sources.append(None)
    # The codebook first: its encoding loads the model (seconds) unless the cache has it all.
    progress.stage("Embedding the codebook", None)
    vectors = [embed_texts(store, embedder, texts)]
    check_cancelled(progress)
    X, _ = embed_segments(store, embedder, segments, progress)
    check_cancelled(progress)
    progress.stage("Scoring segments against the codebook", None)
    row_of = {int(s.id): row for row, s in enumerate(segments)}
    # A coder has coded the segments they decided anything about; on those, each code is
    # confirmed or not (as agreement reads decisions): the threshold is fitted to that.
    coded: dict[str, set[int]] = defaultdict(set)
    confirmed: set[tuple[str, int, int]] = set()
    used: set[tuple[int, int]] = set()
    for coding in Visibility(coder, blind).codings(log):
        if is_model_coder(coding.coder):
            continue
        if coding.segment_id not in row_of:
            continue
        row = row_of[coding.segment_id]
        coded[coding.coder].add(row)
        if coding.status.value != "confirmed" or coding.code_id not in index:
            continue
        k = index[coding.code_id]
        confirmed.add((coding.coder, row, k))
        if options.use_confirmed and (row, k) not in used:
            used.add((row, k))
            vectors.append(X[row:row + 1])
            texts.append(segments[row].text)
            kinds.append("confirmed")
            code_of.append(k)
            weights.append(1.0)
            sources.append(coding.segment_id)
    decided = [(row, k, (name, row, k) in confirmed) for name, rows in sorted(coded.items())
               for row in sorted(rows) for k in range(len(codes))]
    evidence = np.vstack(vectors)
    assigner = CodeAssigner(threshold=options.threshold,
                            default_threshold=options.default_threshold,
                            margin=options.margin, min_similarity=options.min_similarity,
                            max_codes=options.max_codes).fit(X, evidence, code_of, weights, decided)
    similarities = assigner.similarities(X)
    z = (similarities - assigner.median_) / assigner.scale_
    chosen = assigner.suggest(similarities)
    nearest = assigner.nearest_evidence(X)
    check_cancelled(progress)
    suggestions = _suggestions(segments, codes, similarities, z, chosen,
                               assigner.ranking(similarities), nearest, texts, kinds, sources)
    params = {**asdict(options), "n_kept": N_KEPT, "blind": blind,
              "n_evidence": int(len(evidence)), "n_decisions": len(decided),
              "code_ids": [int(c.id) for c in codes]}
    progress.stage("Saving suggestions", None)
    suggestion_store = SuggestionStore(store.db)
    run_id = suggestion_store.save_run(
        model_id=embedder.model_id, model_version=model_version(embedder), params=params,
        threshold=assigner.threshold_, calibration=assigner.calibration_,
        confirmed_by=sorted(coded), codebook_sha256=codebook_sha256(
            project_codebook(store, log)), n_segments=len(segments), n_codes=len(codes),
        seconds=time.perf_counter() - clock, suggestions=suggestions)
    run = next(r for r in suggestion_store.runs() if r.id == run_id)
    _, n_pending = suggestion_store.pending(run_id, coder, blind=blind, limit=0)
    return SuggestReport(run=run, n_pending=n_pending,
                         n_segments_with=int(chosen.any(axis=1).sum()),
                         alignment=align(store, log, run, coder=coder, blind=blind))


def _suggestions(segments: Sequence[Segment], codes: Sequence[Code], similarities: np.ndarray,
                 z: np.ndarray, chosen: np.ndarray, order: np.ndarray, nearest: np.ndarray,
                 texts: list[str],
                 kinds: list[str], sources: list[int | None]) -> list[Suggestion]:
    result = []
    for row, segment in enumerate(segments):
        keep = [int(k) for k in order[row, :max(N_KEPT, int(chosen[row].sum()))]]
        for rank, k in enumerate(keep, start=1):
            j = int(nearest[row, k])
            if j < 0:  # only the segment itself supports the code: no reason to give
                evidence, kind, source = codes[k].definition or codes[k].name, "definition", None
            else:
                evidence, kind, source = texts[j], kinds[j], sources[j]
            result.append(Suggestion(
                segment_id=int(segment.id), code_id=int(codes[k].id), code_name=codes[k].name,
                score=float(z[row, k]), similarity=float(similarities[row, k]), rank=rank,
                suggested=bool(chosen[row, k]), evidence=evidence, evidence_kind=kind,
                evidence_segment_id=source))
    return result


def model_version(embedder: Embedder) -> str:
    """focuscode's version and, for the sentence-transformers model, the library's (read from
    the installed package: importing it would cost seconds)."""
    parts = [f"focuscode {__version__}"]
    if isinstance(embedder, SentenceTransformerEmbedder):
        try:
            parts.append(f"sentence-transformers {metadata.version('sentence-transformers')}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(parts)


def embed_texts(store: ProjectStore, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Vectors of ``texts`` (definitions, examples) through the project's embedding cache."""
    hashes = [text_sha256(t) for t in texts]
    cached = store.cached_embeddings(embedder.model_id, hashes)
    missing = list(dict.fromkeys(h for h in hashes if h not in cached))
    if missing:
        by_hash = dict(zip(hashes, texts))
        vectors = embedder.encode([by_hash[h] for h in missing])
        store.put_embeddings(embedder.model_id, missing, vectors)
        cached.update(zip(missing, vectors))
    if not hashes:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([cached[h] for h in hashes]).astype(np.float32)


def align(store: ProjectStore, log: DecisionLog, run: SuggestionRun, *, coder: str,
          blind: bool, match_share: float = MATCH_SHARE) -> CodebookAlignment:
    """Themes of the latest analysis against the codes: each theme's best code by the share of
    its members suggested for it; codes the run scored that no segment is suggested or
    confirmed for; and, apart, the codes the run did not score (made since it), which it
    could not match."""
    runs = SuggestionStore(store.db)
    suggestions = runs.suggestions(run.id)
    codes = {int(c.id): c.name for c in scored_codes(log, include_parents=bool(
        run.params.get("include_parents")))}
    by_segment: dict[int, dict[int, float]] = defaultdict(dict)
    n_suggested: dict[int, int] = defaultdict(int)
    for s in suggestions:
        by_segment[s.segment_id][s.code_id] = s.score
        n_suggested[s.code_id] += 1
        codes.setdefault(s.code_id, s.code_name)
    n_confirmed: dict[int, int] = defaultdict(int)
    for coding in Visibility(coder, blind).codings(log):
        if coding.status.value == "confirmed":
            n_confirmed[coding.code_id] += 1
    coverage = tuple(CodeCoverage(code_id=i, code_name=name, n_suggested=n_suggested[i],
                                  n_confirmed=n_confirmed[i]) for i, name in codes.items())
    scored = run.params.get("code_ids")
    if isinstance(scored, list):
        not_scored = set(codes) - {int(i) for i in scored}
    else:  # a run made before runs recorded their codes: the codes made after it
        not_scored = set(codes) & runs.codes_created_after(run)
    merges, new_codes, linked = [], [], []
    accepted = {c.id for c in log.codes() if c.status == "accepted"}  # a theme's row is none
    analysis = store.latest_run()
    if analysis is not None:
        members: dict[int, list[int]] = defaultdict(list)
        for member in store.memberships(analysis.id):
            if member.theme_id is not None:
                members[member.theme_id].append(member.segment_id)
        for theme in store.themes(analysis.id):
            ids = members.get(theme.id, [])
            if not ids:
                continue
            counts: dict[int, int] = defaultdict(int)
            for segment_id in ids:
                for code_id in by_segment.get(segment_id, {}):
                    counts[code_id] += 1
            best = max(counts, key=lambda c: (counts[c], c == theme.code_id), default=None)
            share = counts[best] / len(ids) if best is not None else 0.0
            if best is None or share < match_share:
                if theme.code_id not in accepted:
                    new_codes.append(ThemeMatch(theme.id, theme.label, theme.keywords,
                                                len(ids), None, "", share, 0.0))
                continue
            score = float(np.mean([by_segment[s].get(best, 0.0) for s in ids
                                   if best in by_segment.get(s, {})]))
            match = ThemeMatch(theme.id, theme.label, theme.keywords, len(ids), best,
                               codes[best], share, score, linked=theme.code_id == best)
            (linked if match.linked else merges).append(match)
    merges.sort(key=lambda m: -m.share)
    unmatched = tuple(c for c in coverage if c.code_id not in not_scored
                      and c.n_suggested == 0 and c.n_confirmed == 0)
    since = tuple(c for c in coverage if c.code_id in not_scored)
    return CodebookAlignment(merges=tuple(merges), new_codes=tuple(new_codes),
                             linked=tuple(linked), unmatched_codes=unmatched, coverage=coverage,
                             codes_since_run=since)


class Suggestions:
    """Deductive suggestions for one coder (what ``Project.suggestions`` returns).

    ``blind``: the coder's suggestions use and show only their own decisions (the runs they see
    used no other coder's confirmations)."""

    def __init__(self, store: ProjectStore, log: DecisionLog, coder: str, *,
                 embedder: Callable[[], Embedder], blind: bool) -> None:
        self.store = store
        self.log = log
        self.coder = coder
        self.blind = blind
        self._embedder = embedder
        self._runs = SuggestionStore(store.db)

    def run(self, options: SuggestOptions | None = None, *,
            progress: Progress | None = None, **changes: object) -> SuggestReport:
        """Score every segment against every code and store the suggestions."""
        options = options or SuggestOptions()
        if changes:
            options = SuggestOptions(**{**asdict(options), **{k: v for k, v in changes.items()
                                                              if v is not None}})
        return run_suggestions(self.store, self.log, self._embedder(), coder=self.coder,
                               blind=self.blind, options=options, progress=progress)

    def latest_run(self) -> SuggestionRun | None:
        """The latest run this coder may see (blind: one that used no other coder's work)."""
        return self._runs.latest_run(visible_to=self.coder if self.blind else None)

    def _require_run(self) -> SuggestionRun:
        run = self.latest_run()
        if run is None:
            raise DecisionError("no suggestions yet", hint="run: focuscode suggest")
        return run

    def pending(self, code: str | int | None = None, *, offset: int = 0,
                limit: int = 200) -> tuple[list[PendingSuggestion], int]:
        """Suggestions the coder has not decided, in transcript order (one code's if given)."""
        run = self.latest_run()
        if run is None:
            return [], 0
        code_id = int(find_code(self.log, code).id) if code is not None else None
        return self._runs.pending(run.id, self.coder, blind=self.blind, code_id=code_id,
                                  offset=offset, limit=limit)

    def for_segment(self, segment_id: int) -> list[Suggestion]:
        """A segment's best codes (suggested or not), best first, with the reason why."""
        run = self._require_run()
        return self._runs.suggestions(run.id, suggested_only=False, segment_ids=[segment_id])

    def all(self, *, suggested_only: bool = True) -> list[Suggestion]:
        run = self._require_run()
        return self._runs.suggestions(run.id, suggested_only=suggested_only)

    def alignment(self) -> CodebookAlignment:
        """Themes to merge into codes, themes to offer as new codes, codes nothing matches."""
        return align(self.store, self.log, self._require_run(), coder=self.coder,
                     blind=self.blind)

    # decisions ----------------------------------------------------------------------------
    def confirm(self, pairs: Sequence[tuple[int, int | str]]) -> Decision:
        """The coder confirms codes for segments: ``[(segment id, code id or name), ...]``, one
        decision."""
        return self._decide(pairs, "confirmed")

    def reject(self, pairs: Sequence[tuple[int, int | str]]) -> Decision:
        return self._decide(pairs, "rejected")

    def clear(self, pairs: Sequence[tuple[int, int | str]]) -> Decision:
        return self._decide(pairs, None)

    def _decide(self, pairs: Sequence[tuple[int, int | str]], status: str | None) -> Decision:
        if not pairs:
            raise DecisionError("no segment selected")
        if is_model_coder(self.coder):
            raise DecisionError("the model's name is not a coder's",
                                hint="choose another name with --coder")
        with self.log.db.atomic():
            check_segments(self.store, sorted({int(p[0]) for p in pairs}))
            codes = {c: find_code(self.log, c) for c in dict.fromkeys(c for _, c in pairs)}
            changes = coding_changes(self.log, [(s, int(codes[c].id)) for s, c in pairs],
                                     status, coder=self.coder)
            if not changes:
                raise DecisionError(f"already {status or 'undecided'}")
            action, verb = STATUS_ACTIONS[status]
            name = self.log.code(changes[0].code_id).name
            what = (f"segment {changes[0].segment_id} for '{name}'" if len(changes) == 1
                    else f"{len(changes)} codings")
            decision_id = self.log.record(action, changes, coder=self.coder,
                                          summary=f"{verb} {what}")
        return self.log.decision(decision_id)

    # tables -------------------------------------------------------------------------------
    def frame(self, *, suggested_only: bool = True):  # noqa: ANN201 - pandas.DataFrame
        """One row per suggestion of the latest run: segment, code, score, evidence."""
        from focuscode.export.coding_tables import suggestions_frame

        suggestions = self.all(suggested_only=suggested_only)
        views = self._runs.segment_views([s.segment_id for s in suggestions])
        return suggestions_frame(suggestions, views)

    def pending_frame(self, code: str | int | None = None):  # noqa: ANN201 - pandas.DataFrame
        """``pending`` as one table (every page): the suggestions the coder has not decided."""
        from focuscode.export.coding_tables import suggestions_frame

        rows: list[PendingSuggestion] = []
        while True:
            page, total = self.pending(code, offset=len(rows), limit=1000)
            rows += page
            if not page or len(rows) >= total:
                break
        return suggestions_frame([p.suggestion for p in rows],
                                 {p.suggestion.segment_id: p for p in rows})

    def alignment_frame(self):  # noqa: ANN201 - pandas.DataFrame
        from focuscode.export.coding_tables import alignment_frame

        return alignment_frame(self.alignment())
