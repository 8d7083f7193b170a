"""Role comparison: counts and rates agree with the tables; tests, q-values and effects agree with
values computed independently (by hand, or with the textbook formulas written out here)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from focuscode.domain import ConfigError, Speaker, Transcript
from focuscode.domain.reports import ReportCode, ReportCoding, ReportData, ReportSegment
from focuscode.export.comparison import (
    comparison_frame,
    comparison_long_frame,
    write_comparison,
)
from focuscode.export.quote_tables import theme_quotes_frame
from focuscode.pipeline.comparison import compare


def synthetic(groups: dict[str, tuple[int, int, int]], *, words: int = 10) -> ReportData:
    """One code; per role (coded segments, segments, speakers); segments spread round-robin
    over the role's speakers, the coded ones first."""
    text, segments, codings, speakers = "", [], [], []
    segment_id = 0
    for role, (coded, total, n_speakers) in groups.items():
        for s in range(n_speakers):
            speakers.append(Speaker(label=f"{role}-{s}", role=role, pseudonym=f"{role} {s}",
                                    attributes={"site": "A" if s % 2 else "B"}))
        for i in range(total):
            segment_id += 1
            body = " ".join(["talk"] * words)
            start = len(text)
            text += body + "\n"
            speaker = f"{role}-{i % n_speakers}"
            segments.append(ReportSegment(
                segment_id=segment_id, transcript_id=1, transcript="t.txt", turn_index=segment_id,
                speaker=speaker, pseudonym=speaker, role=role, start_char=start,
                end_char=start + len(body), text=body,
                speaker_attributes={"site": "A" if (i % n_speakers) % 2 else "B"}))
            if i < coded:
                codings.append(ReportCoding(segment_id=segment_id, code_key="code-1",
                                            status="suggested", coder="model"))
    transcript = Transcript(id=1, name="t.txt", source_path="t.txt", format="txt", text=text,
                            source_sha256="0" * 64)
    return ReportData(project="synthetic", generated_at="2026-01-01T00:00:00+00:00",
                      codes=(ReportCode(key="code-1", name="Trust", status="accepted",
                                        code_id=1),),
                      segments=tuple(segments), codings=tuple(codings), quotes=(),
                      transcripts=(transcript,), speakers=tuple(speakers))


def _hypergeometric_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Fisher's exact p written out: tables with the same margins no more likely than this one."""
    row1, col1, n = a + b, a + c, a + b + c + d

    def probability(x: int) -> float:
        return math.comb(col1, x) * math.comb(n - col1, row1 - x) / math.comb(n, row1)

    observed = probability(a)
    support = range(max(0, row1 + col1 - n), min(row1, col1) + 1)
    return sum(p for p in map(probability, support) if p <= observed * (1 + 1e-7))


def test_two_groups_fisher_p_and_risk_difference_are_independently_right() -> None:
    data = synthetic({"patient": (3, 4, 2), "physician": (1, 4, 2)})
    theme = compare(data, by="role").themes[0]
    assert [(c.group, c.n_segments, c.n_group_segments) for c in theme.counts] == [
        ("patient", 3, 4), ("physician", 1, 4)]
    assert theme.result.test == "Fisher's exact"
    assert theme.result.p_value == pytest.approx(_hypergeometric_two_sided(3, 1, 1, 3))
    assert theme.result.p_value == pytest.approx(34 / 70)
    assert theme.result.effect_measure == "risk difference"
    assert theme.result.effect == pytest.approx(0.5)
    assert theme.result.ci_low < 0 < theme.result.ci_high  # 3/4 vs 1/4 is not conclusive
    assert theme.result.p_adjusted == pytest.approx(34 / 70)  # one code: q = p
    assert "Only 4 coded" in theme.result.caution


def test_chi_square_used_when_counts_allow_and_matches_the_formula() -> None:
    data = synthetic({"patient": (30, 100, 5), "physician": (50, 100, 5)})
    theme = compare(data, by="role").themes[0]
    assert theme.result.test == "chi-square"
    expected = 90.25 / 40 + 90.25 / 60 + 90.25 / 40 + 90.25 / 60  # Yates, by hand
    assert theme.result.statistic == pytest.approx(expected)
    assert theme.result.effect == pytest.approx(-0.2)
    assert theme.result.p_adjusted < 0.05 and "More common in the physician group" in \
        theme.finding


def test_three_rates_one_talkative_speaker_cannot_dominate() -> None:
    data = synthetic({"patient": (4, 20, 4), "physician": (4, 20, 4)})
    counts = {c.group: c for c in compare(data, by="role").themes[0].counts}
    # round-robin: the 4 coded patient segments come from 4 different speakers
    assert counts["patient"].n_speakers == 4
    assert counts["patient"].speaker_share == 1.0
    assert counts["patient"].rate_per_segment == pytest.approx(4 / 20)
    assert counts["patient"].rate_per_1000_words == pytest.approx(1000 * 4 / (20 * 10))
    # now one patient says all four coded segments
    data = synthetic({"patient": (4, 20, 17), "physician": (4, 20, 4)})
    first = data.segments[0].speaker
    lopsided = dataclasses.replace(data, segments=tuple(
        dataclasses.replace(s, speaker=first) if i < 4 else s
        for i, s in enumerate(data.segments)))
    theme = compare(lopsided, by="role").themes[0]
    counts = {c.group: c for c in theme.counts}
    assert counts["patient"].n_speakers == 1 and counts["patient"].top_speaker_segments == 4
    patients = {s.speaker for s in lopsided.segments if s.role == "patient"}
    assert counts["patient"].n_group_speakers == len(patients) == 16
    assert counts["patient"].speaker_share == pytest.approx(1 / 16)
    assert "4 of the 4 patient segments come from one speaker" in theme.result.caution


def test_speaker_unit_tests_speakers_who_raised_it() -> None:
    data = synthetic({"patient": (5, 10, 5), "physician": (0, 10, 5)})
    theme = compare(data, by="role", unit="speaker").themes[0]
    assert theme.result.test == "Fisher's exact"
    assert theme.result.p_value == pytest.approx(_hypergeometric_two_sided(5, 0, 0, 5))
    assert theme.result.effect == pytest.approx(1.0)


def test_benjamini_hochberg_over_the_demo_codes(report_data) -> None:
    comparison = compare(report_data, by="role", groups=["patient", "physician"])
    pairs = sorted((t.result.p_value, t.result.p_adjusted) for t in comparison.themes
                   if t.result.p_value is not None)
    m = len(pairs)
    # BH written out: q_(i) = min over j >= i of p_(j) * m / j
    expected = [min(p * m / j for j, (p, _) in enumerate(pairs, start=1) if j >= i)
                for i in range(1, m + 1)]
    assert [q for _, q in pairs] == pytest.approx([min(e, 1.0) for e in expected])


def test_counts_agree_with_the_theme_quote_table(report_data) -> None:
    comparison = compare(report_data, by="role")
    table = theme_quotes_frame(report_data).set_index("code_key")
    for theme in comparison.themes:
        for count in theme.counts:
            assert count.n_segments == table.loc[theme.code_key, f"segments_{count.group}"]
            assert count.n_speakers == table.loc[theme.code_key, f"speakers_{count.group}"]
    denominators = {c.group: c.n_group_segments for c in comparison.themes[0].counts}
    included = [s for s in report_data.segments if s.excluded is None]
    assert sum(denominators.values()) == len(included)
    words = {c.group: c.n_words for c in comparison.themes[0].counts}
    assert words["patient"] == sum(s.n_words for s in report_data.segments
                                   if s.role == "patient")


def test_by_transcript_attribute_with_three_groups_gives_cramers_v(report_data) -> None:
    comparison = compare(report_data, by="site")
    assert set(comparison.groups) == {"Boston", "online", "Chicago"}
    theme = comparison.themes[0]
    assert theme.result.effect_measure == "Cramér's V"
    assert theme.result.ci_low <= theme.result.effect <= theme.result.ci_high
    assert compare(report_data, by="transcript:site").groups == comparison.groups


def test_by_speaker_attribute_and_unknown_names(report_data) -> None:
    comparison = compare(report_data, by="advocate")
    assert {"yes", "no"} <= set(comparison.groups)
    with pytest.raises(ConfigError, match="nothing to compare by"):
        compare(report_data, by="shoe_size")
    with pytest.raises(ConfigError, match="no segments in group"):
        compare(report_data, by="role", groups=["patient", "astronaut"])


def test_frames_and_files(report_data, tmp_path) -> None:
    from openpyxl import load_workbook

    comparison = compare(report_data, by="role", groups=["patient", "physician"])
    frame = comparison_frame(comparison)
    assert len(frame) == len(report_data.codes)
    assert {"n_patient", "rate_patient", "per_1000_words_patient", "speaker_share_patient",
            "test", "p_value", "q_value", "effect", "ci_low", "ci_high", "caution",
            "finding"} <= set(frame.columns)
    long = comparison_long_frame(comparison)
    assert len(long) == 2 * len(report_data.codes)
    write_comparison(comparison, tmp_path / "c.csv")
    workbook = load_workbook(write_comparison(comparison, tmp_path / "c.xlsx"))
    assert workbook.sheetnames == ["Comparison", "Counts", "About"]
