"""Read models for the shells: the segment table (the overview is ``review.Review.entries``)."""

from __future__ import annotations

from collections import defaultdict

from focuscode.domain import CodingStatus
from focuscode.domain.reports import BASIS_LABELS, BY_CODEBOOK, BY_THEME, CONFIRMED
from focuscode.domain.views import SegmentRow
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.suggestion_store import SuggestionStore
from focuscode.workflows.analysis import current_memberships
from focuscode.workflows.visibility import Visibility


def segment_rows(store: ProjectStore, log: DecisionLog,
                 visibility: Visibility) -> list[SegmentRow]:
    """One row per segment, in transcript order, with its current theme and its coding status
    from the decisions ``visibility`` shows (in blind mode, the coder's own)."""
    run_id, members = current_memberships(store)
    themes = {t.id: t for t in store.themes(run_id)} if run_id else {}
    codes = {code.id: code for code in log.codes()}
    statuses: dict[tuple[int, int], set[str]] = defaultdict(set)
    confirmed: dict[int, list[int]] = defaultdict(list)  # segment -> codes confirmed for it
    for coding in visibility.codings(log):
        statuses[(coding.segment_id, coding.code_id)].add(coding.status.value)
        if coding.status is CodingStatus.CONFIRMED and coding.code_id in codes:
            confirmed[coding.segment_id].append(coding.code_id)
    theme_of_code = {t.code_id: t for t in themes.values() if t.code_id is not None}
    counted = _counted_codes(store, visibility, statuses, codes, members, themes)
    transcripts = {t.id: t.name for t in store.transcripts()}
    speakers = {s.label: s for s in store.speakers()}
    rows = []
    for segment in store.segments():
        member = members.get(segment.id)
        theme = themes.get(member.theme_id) if member and member.theme_id else None
        code = codes.get(theme.code_id) if theme and theme.code_id else None
        if segment.excluded is not None:
            status = CodingStatus.EXCLUDED.value
        elif theme is None:
            status = CodingStatus.UNASSIGNED.value
        else:
            status = CodingStatus.SUGGESTED.value
        if code is not None:
            found = statuses.get((segment.id, code.id), set())
            if CodingStatus.CONFIRMED.value in found:
                status = CodingStatus.CONFIRMED.value
            elif CodingStatus.REJECTED.value in found:
                status = CodingStatus.REJECTED.value
        if status != CodingStatus.CONFIRMED.value and confirmed.get(segment.id):
            # A researcher's confirmed coding stays visible when a re-analysis moves the segment.
            code = codes[confirmed[segment.id][0]]
            theme, status = theme_of_code.get(code.id), CodingStatus.CONFIRMED.value
        speaker = speakers.get(segment.speaker or "")
        rows.append(SegmentRow(
            transcript=transcripts[segment.transcript_id], segment_id=int(segment.id),
            turn_index=segment.turn_index, speaker=segment.speaker or "",
            pseudonym=speaker.display_name if speaker else (segment.speaker or ""),
            role=segment.role or "unknown", start_char=segment.start, end_char=segment.end,
            start_time=segment.start_time, text=segment.text,
            theme_id=theme.id if theme else None,
            theme_label=code.name if code else (theme.label if theme else ""),
            coding_status=status, excluded=segment.excluded.value if segment.excluded else None,
            codes="; ".join(f"{name} ({BASIS_LABELS[basis]})"
                            for name, basis in counted.get(segment.id, {}).items())))
    return rows


def _counted_codes(store: ProjectStore, visibility: Visibility,
                   statuses: dict[tuple[int, int], set[str]], codes: dict, members: dict,
                   themes: dict) -> dict[int, dict[str, str]]:
    """Segment -> code (or theme) name -> why it counts (``domain.reports.BASES``): confirmed,
    else suggested by its theme or by the codebook and rejected by nobody visible. A theme's
    row (``entries.coding_row``: codings of a theme not yet a code) counts as the theme."""
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for (segment_id, code_id), seen in statuses.items():
        if CodingStatus.CONFIRMED.value in seen and code_id in codes:
            found[segment_id][codes[code_id].name] = CONFIRMED
    live = {code_id for code_id, code in codes.items() if code.status == "accepted"}
    for segment_id, member in members.items():
        theme = themes.get(member.theme_id) if member.theme_id else None
        if theme is None:
            continue
        linked = theme.code_id in codes  # an accepted code, or the theme's own row
        if not linked or not statuses.get((segment_id, theme.code_id)):
            found[segment_id].setdefault(codes[theme.code_id].name if linked else theme.label,
                                         BY_THEME)
    run_id = visibility.suggestion_run(store)
    for suggestion in SuggestionStore(store.db).suggestions(run_id) if run_id else ():
        if suggestion.code_id in live and not statuses.get(
                (suggestion.segment_id, suggestion.code_id)):
            found[suggestion.segment_id].setdefault(codes[suggestion.code_id].name, BY_CODEBOOK)
    return found

