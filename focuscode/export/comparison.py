"""Tables and files of a comparison (``pipeline.comparison``): frames for CSV/XLSX, Markdown and
CSV text, and the notes a reader needs."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from focuscode.domain.reports import (
    BY_CODEBOOK,
    BY_THEME,
    CONFIRMED,
    Comparison,
    GroupCount,
    basis_summary,
)
from focuscode.export.quote_tables import STATUS_LABELS
from focuscode.export.spreadsheets import table_format, write_tables


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
    table_format(path)  # before anything is computed
    return write_tables({"Comparison": comparison_frame(comparison),
                         "Counts": comparison_long_frame(comparison)}, path,
                        notes=comparison_notes(comparison), blind_coder=comparison.blind_coder)


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
