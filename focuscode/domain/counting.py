"""Who carries which code: the sets every table, test and plot counts from, so they agree.
Standard library only."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Mapping

from focuscode.domain.reports import (
    ACCEPTED,
    BASES,
    CONFIRMED,
    ReportCode,
    ReportCoding,
    ReportData,
    ReportSegment,
    tree_outline,
)


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


def bases(data: ReportData, *, confirmed_only: bool = False) -> dict[str, dict[int, str]]:
    """Code key -> segment id -> why it counts (``domain.reports.BASES``; confirmed wins when
    a segment counts for several reasons, e.g. several coders)."""
    result: dict[str, dict[int, str]] = {code.key: {} for code in data.codes}
    for coding in data.codings:
        if confirmed_only and coding.status != CONFIRMED:
            continue
        found = result.setdefault(coding.code_key, {})
        basis = coding.counted_as
        if coding.segment_id not in found or BASES.index(basis) < BASES.index(
                found[coding.segment_id]):
            found[coding.segment_id] = basis
    return result


def basis_counts(data: ReportData, *, confirmed_only: bool = False) -> dict[str, dict[str, int]]:
    """Code key -> basis -> how many segments count for the code on that basis (every basis
    present, maybe 0)."""
    return {key: {basis: sum(1 for b in found.values() if b == basis) for basis in BASES}
            for key, found in bases(data, confirmed_only=confirmed_only).items()}


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


def outline(data: ReportData, coded: dict[str, set[int]] | None = None
            ) -> tuple[list[tuple[ReportCode, bool]], list[ReportCode]]:
    """What a readable report shows (``domain.reports.outline``), counting ``coded``."""
    coded = coded if coded is not None else coded_segments(data)
    return tree_outline(data.codes, name=lambda c: c.name,
                        parent=lambda c: c.parent if c.status == ACCEPTED else None,
                        filled=lambda c: bool(coded.get(c.key)))


def ranked_segments(codings: Iterable[ReportCoding], segments: Mapping[int, ReportSegment],
                    code_key: str) -> list[ReportSegment]:
    """A code's segments, most representative first: confirmed before suggested, then by
    similarity to the theme's centre; excluded segments (moderator prompts, backchannels) and
    duplicates (several coders) left out."""
    best: dict[int, tuple[int, float]] = {}
    for coding in codings:
        if coding.code_key != code_key or coding.segment_id not in segments:
            continue
        key = (0 if coding.status == CONFIRMED else 1, -coding.rank)
        if coding.segment_id not in best or key < best[coding.segment_id]:
            best[coding.segment_id] = key
    order = sorted(best, key=lambda sid: (*best[sid], sid))
    return [segments[sid] for sid in order if segments[sid].excluded is None]
