"""Who carries which code: the sets every table, test and plot counts from, so they agree."""

from __future__ import annotations

from collections import defaultdict

from focuscode.domain.reports import CONFIRMED, ReportData, ReportSegment


def coded_segments(data: ReportData, *, confirmed_only: bool = False) -> dict[str, set[int]]:
    """Code key -> ids of the segments carrying it (every code present, maybe empty)."""
    result: dict[str, set[int]] = {code.key: set() for code in data.codes}
    for coding in data.codings:
        if confirmed_only and coding.status != CONFIRMED:
            continue
        result.setdefault(coding.code_key, set()).add(coding.segment_id)
    return result


def confirmed_segments(data: ReportData) -> dict[str, set[int]]:
    return coded_segments(data, confirmed_only=True)


def eligible_segments(data: ReportData) -> list[ReportSegment]:
    """Segments that could carry a code: those analysed, plus any excluded one a coder coded."""
    coded = {coding.segment_id for coding in data.codings}
    return [s for s in data.segments if s.excluded is None or s.segment_id in coded]


def roles(data: ReportData) -> list[str]:
    """Roles of the eligible segments, the largest first (ties by name)."""
    counts: dict[str, int] = defaultdict(int)
    for segment in eligible_segments(data):
        counts[segment.role] += 1
    return sorted(counts, key=lambda role: (-counts[role], role))
