"""Perspective contrast: per code, each group's most representative quote beside the others',
and the words each group uses most distinctively when it talks about that code. The analysis;
``export.contrast`` makes tables and files of it. (Quotes were checked against the source when
the ``ReportData`` was gathered.)"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from focuscode.domain import ConfigError
from focuscode.domain.counting import eligible_segments, ranked_segments
from focuscode.domain.quoting import MIN_QUOTE_WORDS, is_fragment
from focuscode.domain.reports import Perspective, PerspectiveContrast, ReportData, ReportQuote
from focuscode.domain.tokens import vocabulary
from focuscode.pipeline.comparison import group_of
from focuscode.pipeline.statistics import weighted_log_odds

MIN_WORD_COUNT = 2  # a word said once in a group is anecdote, not vocabulary


def contrast(data: ReportData, *, by: str = "role",
             groups: Sequence[str] = ("patient", "physician"), real_names: bool = False,
             n_words: int = 6, stop_words: Sequence[str] = (),
             min_words: int = MIN_QUOTE_WORDS) -> list[PerspectiveContrast]:
    """For every code: per group, the best-ranked segment of that group (confirmed first, then
    closest to the theme's centre; no fragment: ``domain.quoting.is_fragment``) and its
    distinctive words
    (weighted log-odds z-scores against the other groups, corpus as prior)."""
    group = group_of(data, by)
    population = eligible_segments(data)
    present = {group(s) for s in population}
    missing = [g for g in groups if g not in present]
    if missing or len(groups) < 2:
        raise ConfigError(f"need two or more groups of '{by}' to contrast; not found: "
                          f"{', '.join(missing) or '-'}",
                          hint=f"groups: {', '.join(sorted(present))}")
    stops = frozenset(w.lower() for w in stop_words)
    by_id = {s.segment_id: s for s in population}
    prior = Counter(w for s in population for w in vocabulary(s.text, stops))
    result = []
    for code in data.codes:
        ranked = ranked_segments(data.codings, by_id, code.key)
        counts = {g: Counter() for g in groups}
        n_segments = Counter()
        for segment in ranked:
            g = group(segment)
            if g in counts:
                counts[g].update(vocabulary(segment.text, stops))
                n_segments[g] += 1
        scores = weighted_log_odds(counts, prior) if any(counts.values()) else {}
        perspectives = []
        for g in groups:
            best = next((s for s in ranked
                         if group(s) == g and not is_fragment(s.text, min_words=min_words)),
                        None)
            words = sorted(((w, z) for w, z in scores.get(g, {}).items()
                            if z > 0 and counts[g][w] >= MIN_WORD_COUNT
                            and data.shown_keywords([w])),
                           key=lambda item: (-item[1], item[0]))[:n_words]
            perspectives.append(Perspective(
                group=g, n_segments=n_segments[g],
                quote=ReportQuote(code_key=code.key, rank=1, segment_id=best.segment_id,
                                  start_char=best.start_char, end_char=best.end_char,
                                  text=best.text, source="suggested") if best else None,
                speaker=best.who(real_names) if best else "",
                quote_text=data.shown(best.text) if best else "",
                role=best.role if best else "",
                words=tuple((w, round(z, 2)) for w, z in words)))
        result.append(PerspectiveContrast(code_key=code.key, code_name=code.name,
                                          code_status=code.status,
                                          perspectives=tuple(perspectives),
                                          deidentified=data.deidentified and not real_names))
    return result
