"""Compare codes across roles (or any speaker or transcript attribute): counts, three rates,
a test per code with Benjamini-Hochberg correction, an effect size with its interval, and
plain-language cautions. Tables for CSV/XLSX."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

from focuscode.domain import ConfigError, ExportError
from focuscode.domain.reports import (
    BY_CODEBOOK,
    BY_THEME,
    CONFIRMED,
    Comparison,
    DifferenceTest,
    GroupCount,
    ReportData,
    ReportSegment,
    ThemeComparison,
    basis_summary,
)
from focuscode.export import statistics
from focuscode.export.counts import basis_counts, coded_segments, eligible_segments
from focuscode.export.quote_tables import STATUS_LABELS
from focuscode.export.spreadsheets import write_csv, write_xlsx

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


def comparison_notes(comparison: Comparison) -> list[str]:
    """What a reader must know to read the comparison honestly."""
    unit = ("segments, which are not independent (one speaker contributes many), so p-values "
            "are optimistic; compare by speakers (unit 'speaker') for a conservative test"
            if comparison.unit == "segment" else
            "speakers who raised the code at least once (a conservative test with few speakers)")
    return [
        f"Groups: values of '{comparison.by}'. Codings: "
        + ("confirmed only." if comparison.confirmed_only
           else "confirmed, plus the suggestions of the analysis (its themes) and of the "
                "codebook that nobody rejected; each code says how many of each."),
        "Rates: per segment (coded segments / the group's analysed segments), per 1,000 words "
        "spoken by the group, and the share of the group's speakers who raised the code at least "
        "once (so one talkative speaker cannot dominate).",
        f"Tests count {unit}. Chi-square where expected counts allow (Cochran's rule), otherwise "
        "Fisher's exact test; p-values adjusted for the number of codes with Benjamini-Hochberg "
        f"(q-values, false discovery rate {comparison.alpha:.0%}).",
        "Effect: for two groups, the difference in rates (first group minus second) in "
        "percentage points (pp) with Newcombe's 95% interval; for more groups, Cramér's V with "
        "a bootstrap interval.",
        "Themes found by the analysis are counted as suggested: a difference may reflect what was "
        "asked in each session rather than what each group thinks.",
    ]


def comparison_frame(comparison: Comparison):  # noqa: ANN201 - pandas.DataFrame
    """One row per code: per group its count, the three rates and speakers; then the test."""
    import pandas as pd

    records = []
    for theme in comparison.themes:
        record: dict[str, object] = {"code_key": theme.code_key, "code": theme.code_name,
                                     "status": STATUS_LABELS[theme.code_status],
                                     "n_confirmed": theme.basis.get(CONFIRMED, 0),
                                     "n_suggested_by_theme": theme.basis.get(BY_THEME, 0),
                                     "n_suggested_by_codebook": theme.basis.get(BY_CODEBOOK, 0)}
        for c in theme.counts:
            record.update({
                f"n_{c.group}": c.n_segments, f"of_{c.group}": c.n_group_segments,
                f"rate_{c.group}": round(c.rate_per_segment, 4),
                f"per_1000_words_{c.group}": round(c.rate_per_1000_words, 3),
                f"speakers_{c.group}": c.n_speakers,
                f"speaker_share_{c.group}": round(c.speaker_share, 4)})
        r = theme.result
        record.update({"test": r.test, "statistic": r.statistic, "p_value": r.p_value,
                       "q_value": r.p_adjusted, "effect_measure": r.effect_measure,
                       "effect": r.effect, "ci_low": r.ci_low, "ci_high": r.ci_high,
                       "finding": theme.finding, "caution": r.caution})
        records.append(record)
    return pd.DataFrame.from_records(records)


def comparison_long_frame(comparison: Comparison):  # noqa: ANN201 - pandas.DataFrame
    """Tidy: one row per code x group, with the counts and denominators behind every rate."""
    import pandas as pd

    return pd.DataFrame.from_records(
        [{"code_key": t.code_key, "code": t.code_name, "status": STATUS_LABELS[t.code_status],
          "by": comparison.by, "group": c.group, "n_segments": c.n_segments,
          "n_group_segments": c.n_group_segments, "n_words": c.n_words,
          "n_speakers": c.n_speakers, "n_group_speakers": c.n_group_speakers,
          "rate_per_segment": c.rate_per_segment, "rate_per_1000_words": c.rate_per_1000_words,
          "speaker_share": c.speaker_share, "top_speaker_segments": c.top_speaker_segments}
         for t in comparison.themes for c in t.counts])


def write_comparison(comparison: Comparison, path: Path) -> Path:
    fmt = path.suffix.lower().lstrip(".") or "csv"
    if fmt == "csv":
        return write_csv(comparison_frame(comparison), path, blind_coder=comparison.blind_coder)
    if fmt == "xlsx":
        return write_xlsx({"Comparison": comparison_frame(comparison),
                           "Counts": comparison_long_frame(comparison)}, path,
                          notes=comparison_notes(comparison), blind_coder=comparison.blind_coder)
    raise ExportError(f"unknown format '{fmt}'", path=str(path), hint="use .csv or .xlsx")


def group_counts(comparison: Comparison) -> dict[str, dict[str, GroupCount]]:
    """Code key -> group -> counts, for plots."""
    result: dict[str, dict[str, GroupCount]] = defaultdict(dict)
    for theme in comparison.themes:
        for count in theme.counts:
            result[theme.code_key][count.group] = count
    return dict(result)


def comparison_markdown(comparison: Comparison) -> str:
    """A Markdown table: one full row per code in codebook-tree order (parents as heading rows),
    the codes with nothing coded named once below, then the notes."""
    from focuscode.export.quote_tables import md_escape

    groups = comparison.groups
    blind = ([f"*(blind mode: {md_escape(comparison.blind_coder)}'s decisions only)*", ""]
             if comparison.blind_coder else [])
    lines = [*blind, f"Themes by {md_escape(comparison.by)}: coded segments (% of the group's "
             "segments), per 1,000 words, speakers who raised it", "",
             "| Code | " + " | ".join(md_escape(g) for g in groups)
             + " | Test | p | q (BH) | Effect [95% CI] | Counted | Finding |",
             "|---|" + "---:|" * len(groups) + "---|---:|---:|---|---|---|"]
    _, empty = comparison.outline()
    blank = " |" * (len(groups) + 6)
    for theme, heading in comparison.rows():
        if heading:
            lines.append(f"| **{md_escape(theme.code_name)}** |{blank}")
            continue
        r = theme.result
        cells = " | ".join(f"{c.n_segments} ({c.rate_per_segment:.0%}); "
                           f"{c.rate_per_1000_words:.2f}; {c.n_speakers}/{c.n_group_speakers}"
                           for c in theme.counts)
        name = md_escape(theme.code_name) + (" *(suggested)*" if theme.code_status == "suggested"
                                             else "")
        note = md_escape(" ".join(x for x in (theme.finding, r.caution) if x))
        lines.append(f"| {'  ' if theme.parent else ''}{name} | {cells} | {r.test or '-'} | "
                     f"{_p(r.p_value)} | {_p(r.p_adjusted)} | {r.effect_text or '-'} | "
                     f"{md_escape(basis_summary(theme.basis))} | {note} |")
    if empty:
        lines += ["", "No coded segment yet: " + md_escape("; ".join(t.code_name for t in empty))]
    lines += ["", *(f"- {md_escape(n)}" for n in comparison_notes(comparison))]
    return "\n".join(lines) + "\n"


def comparison_csv(comparison: Comparison) -> str:
    """The comparison table as CSV text (for a pipe)."""
    from focuscode.export.provenance import mark_blind
    from focuscode.export.spreadsheets import safe_frame

    return safe_frame(mark_blind(comparison_frame(comparison), comparison.blind_coder)).to_csv(
        index=False)


def _p(value: float | None) -> str:
    if value is None:
        return "-"
    return "<0.001" if value < 0.001 else f"{value:.3f}"
