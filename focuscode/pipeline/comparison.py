"""Compare codes across roles (or any speaker or transcript attribute): counts, three rates,
a test per code with Benjamini-Hochberg correction, an effect size with its interval, and
plain-language cautions. The analysis; ``export.comparison`` makes tables and files of it."""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from focuscode.domain import ConfigError
from focuscode.domain.counting import basis_counts, coded_segments, eligible_segments
from focuscode.domain.reports import (
    Comparison,
    DifferenceTest,
    GroupCount,
    ReportData,
    ReportSegment,
    ThemeComparison,
)
from focuscode.pipeline import statistics

UNITS = ("segment", "speaker")
MISSING = "(not set)"
FEW_SEGMENTS = 5  # below this many coded segments a code is described, not compared
ONE_VOICE_SHARE = 0.5  # a group's segments mostly from one speaker


def group_of(data: ReportData, by: str):  # noqa: ANN201 - Callable[[ReportSegment], str]
    """How to read the group of a segment: ``role``, ``transcript``, ``speaker:ATTR``,
    ``transcript:ATTR``, or a bare attribute name (speakers' first, then transcripts')."""
    kind, _, name = by.partition(":")
    if not name:
        kind, name = "", by
    if by == "role":
        return lambda s: s.role
    if by == "transcript":
        return lambda s: s.transcript
    speaker_keys = {k for s in data.speakers for k in s.attributes}
    transcript_keys = {k for t in data.transcripts for k in t.attributes}
    if kind in ("", "speaker") and name in speaker_keys:
        return lambda s: _value(s.speaker_attributes.get(name))
    if kind in ("", "transcript") and name in transcript_keys:
        return lambda s: _value(s.transcript_attributes.get(name))
    known = ["role", "transcript", *sorted(speaker_keys), *sorted(transcript_keys)]
    raise ConfigError(f"nothing to compare by '{by}'",
                      hint=f"use one of: {', '.join(dict.fromkeys(known))}")


def _value(value: object) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def compare(data: ReportData, *, by: str = "role", groups: Sequence[str] | None = None,
            unit: str = "segment", confirmed_only: bool = False, alpha: float = 0.05,
            random_state: int = 0, tests: bool = True) -> Comparison:
    """Every code compared across the groups of ``by``.

    Denominators: the group's segments that could carry a code (``n_group_segments``), all the
    words its speakers spoke (``n_words``), and its speakers (``n_group_speakers``). The test
    counts segments (``unit="segment"``) or speakers who raised the code (``"speaker"``);
    ``tests=False`` gives the counts only (what plots draw: tests and intervals cost seconds).
    """
    if unit not in UNITS:
        raise ConfigError(f"unit must be one of {', '.join(UNITS)}, not '{unit}'")
    group = group_of(data, by)
    population = eligible_segments(data)
    present = Counter(group(s) for s in population)
    chosen = list(groups) if groups else sorted(present, key=lambda g: (-present[g], g))
    unknown = [g for g in chosen if g not in present]
    if unknown:
        raise ConfigError(f"no segments in group(s) {', '.join(unknown)} of '{by}'",
                          hint=f"groups present: {', '.join(sorted(present))}")
    if len(chosen) < 2:
        raise ConfigError(f"'{by}' has fewer than two groups to compare",
                          hint="compare by another attribute, or import more transcripts")
    members = {g: [s for s in population if group(s) == g] for g in chosen}
    words = Counter()
    for segment in data.segments:  # every word spoken, excluded segments too
        words[group(segment)] += segment.n_words
    coded = coded_segments(data, confirmed_only=confirmed_only)
    counted = basis_counts(data, confirmed_only=confirmed_only)
    themes = [_compare_code(code, coded[code.key], members, words, unit, alpha, random_state,
                            tests=tests) for code in data.codes]
    q_values = (statistics.adjust_bh([t.result.p_value for t in themes]) if tests
                else [None] * len(themes))
    finished = []
    for code, theme, q in zip(data.codes, themes, q_values):
        result = DifferenceTest(**{**theme.result.__dict__, "p_adjusted": q})
        finished.append(ThemeComparison(
            code_key=theme.code_key, code_name=theme.code_name, code_status=theme.code_status,
            counts=theme.counts, result=result,
            finding=_finding(theme.counts, result, alpha, unit),
            basis=counted[theme.code_key], parent=code.parent))
    return Comparison(by=by, unit=unit, groups=tuple(chosen), themes=tuple(finished),
                      alpha=alpha, confirmed_only=confirmed_only, blind_coder=data.blind_coder)


def _compare_code(code, ids: set[int], members: dict[str, list[ReportSegment]],  # noqa: ANN001
                  words: Counter, unit: str, alpha: float, random_state: int, *,
                  tests: bool = True) -> ThemeComparison:
    counts = []
    for g, segments in members.items():
        hits = [s for s in segments if s.segment_id in ids]
        per_speaker = Counter(s.speaker for s in hits)
        counts.append(GroupCount(
            group=g, n_segments=len(hits), n_group_segments=len(segments), n_words=words[g],
            n_speakers=len(per_speaker), n_group_speakers=len({s.speaker for s in segments}),
            top_speaker_segments=max(per_speaker.values(), default=0)))
    if unit == "segment":
        table = [[c.n_segments, c.n_group_segments - c.n_segments] for c in counts]
    else:
        table = [[c.n_speakers, c.n_group_speakers - c.n_speakers] for c in counts]
    if not tests:
        return ThemeComparison(code_key=code.key, code_name=code.name, code_status=code.status,
                               counts=tuple(counts), result=DifferenceTest(
                                   test="", statistic=None, p_value=None, effect_measure="",
                                   effect=None, ci_low=None, ci_high=None))
    outcome = statistics.check_independence(table, random_state=random_state)
    if len(counts) == 2:
        effect = statistics.risk_difference(table[0][0], sum(table[0]), table[1][0],
                                            sum(table[1]), alpha=alpha)
    elif outcome.test:
        effect = statistics.cramers_v_interval(table, alpha=alpha, random_state=random_state)
    else:
        effect = statistics.Effect("Cramér's V", None, None, None)
    result = DifferenceTest(test=outcome.test, statistic=outcome.statistic,
                            p_value=outcome.p_value, effect_measure=effect.measure,
                            effect=effect.value, ci_low=effect.ci_low, ci_high=effect.ci_high,
                            caution=_caution(counts, table, outcome.test))
    return ThemeComparison(code_key=code.key, code_name=code.name, code_status=code.status,
                           counts=tuple(counts), result=result)


def _caution(counts: Sequence[GroupCount], table: list[list[int]], test: str) -> str:
    notes = []
    total = sum(row[0] for row in table)
    if not test:
        notes.append("Not tested: it is in all or none of what is compared.")
    elif total < FEW_SEGMENTS:
        notes.append(f"Only {total} coded; too few to compare: describe it, do not generalise.")
    elif test.startswith("Fisher"):
        notes.append("Small counts: exact test; read as indicative.")
    for count in counts:
        if count.n_segments >= 4 and count.top_speaker_segments / count.n_segments > \
                ONE_VOICE_SHARE:
            notes.append(f"{count.top_speaker_segments} of the {count.n_segments} "
                         f"{count.group} segments come from one speaker.")
    return " ".join(notes)


def _finding(counts: Sequence[GroupCount], result: DifferenceTest, alpha: float,
             unit: str) -> str:
    rate = (lambda c: c.rate_per_segment) if unit == "segment" else (lambda c: c.speaker_share)
    what = "of their segments" if unit == "segment" else "of their speakers"
    high = max(counts, key=rate)
    low = min(counts, key=rate)
    if result.p_adjusted is None:
        return "Not compared."
    if result.p_adjusted < alpha:
        gap = 100 * (rate(high) - rate(low))
        return (f"More common in the {high.group} group ({rate(high):.0%} {what}) than in the "
                f"{low.group} group ({rate(low):.0%}), {gap:.0f} percentage points more; "
                f"unlikely to be chance after correction (q = {result.p_adjusted:.2g}).")
    return (f"No clear difference ({high.group} {rate(high):.0%}, {low.group} {rate(low):.0%} "
            f"{what}; q = {result.p_adjusted:.2g}).")
