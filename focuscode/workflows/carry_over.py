"""Re-analysis keeps the researcher's structure: a new run's themes are mapped onto it.

The structure the researcher made is the state of the latest run that their decisions left:
codes with the themes accepted, named or merged into them, themes holding codings or quotes
(their row, not yet codes: carried as themes), sub-themes of a split, deleted themes (whose
segments stay in the queue), segments moved or assigned, and confirmed codings.
A new clustering is laid over it:

1. every theme of that structure is carried into the new run with the segments it holds
   (those still analysed); a segment confirmed for a code and in no structure joins the code;
2. each new theme is mapped by segment overlap onto the structure holding most of its
   segments (at least ``LINK_OVERLAP`` of them): its other segments (new transcripts, the
   queue, themes nobody touched) join that code or theme; otherwise it is a new theme of the
   segments nobody placed;
3. themes nobody touched are replaced by the new themes.

What no longer applies (a code, split or deleted theme none of whose segments is analysed any
more) is listed, as is what changes: codes that gain or lose segments, themes new and gone.
The mapping only looks at segment sets, so it works with any clusterer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from focuscode.domain import Theme
from focuscode.domain.changes import MembershipChange, RunStatusChange, ThemeStatusChange
from focuscode.store import DecisionLog, ProjectStore, ThemeRecord
from focuscode.store.review_queries import ReviewQueries

LINK_OVERLAP = 0.5
N_EXEMPLARS = 5


@dataclass
class _Slot:
    """One theme of the new run, before it has a number."""

    label: str
    keywords: tuple[str, ...]
    exemplars: tuple[int, ...]  # segment ids, best first
    code_id: int | None = None
    status: str = "active"
    kind: str = "new"  # new | code (a code, or a theme's row of codings) | split | deleted
    accepted: bool = False  # a code of the codebook (not a theme holding codings)
    old: Theme | None = None
    members: list[int] = field(default_factory=list)
    gained: int = 0
    title: str = ""
    lost: int = 0  # segments it held that are no longer analysed
    found: ThemeRecord | None = None  # the new clustering's theme laid onto it (tree, stability)


@dataclass(frozen=True)
class CarryOver:
    """The new run's themes (numbered), each segment's theme number (-1: none), what is kept
    and what changes."""

    themes: list[ThemeRecord]
    labels: list[int]
    nearest: list[list[tuple[int, float]]]
    theme_codes: dict[int, int]
    theme_status: dict[int, str]
    moved_from: dict[int, int] = field(default_factory=dict)  # segment row -> theme number
    carried: dict[int, str] = field(default_factory=dict)  # theme number -> split | moved
    kept: tuple[str, ...] = ()
    no_longer_applies: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()

    @property
    def n_themes(self) -> int:
        return sum(1 for t in self.themes if self.theme_status.get(t.number) != "deleted")


def carry_over(store: ProjectStore, log: DecisionLog, segment_ids: Sequence[int],
               clustered: Sequence[ThemeRecord], labels: Sequence[int],
               nearest: Sequence[Sequence[tuple[int, float]]]) -> CarryOver:
    """Lay the clustering (``clustered`` themes, each segment's ``labels`` and ``nearest``
    themes, by theme number) over the latest run's structure."""
    row_of = {int(sid): row for row, sid in enumerate(segment_ids)}
    before = _structure(store, log, row_of)
    slots, placed = before.slots, before.placed
    cluster_slot: dict[int, int] = {}
    by_theme: dict[int, list[int]] = defaultdict(list)
    for sid, label in zip(segment_ids, labels):
        if label >= 0 and int(sid) not in before.pinned:
            by_theme[int(label)].append(int(sid))
    for record in clustered:
        members = by_theme.get(record.number, [])
        if not members:
            continue
        groups = Counter(_group(slots[placed[s]]) for s in members if s in placed)
        free = [s for s in members if s not in placed]
        best = groups.most_common(1)
        if best and best[0][1] >= LINK_OVERLAP * len(members):
            slot = Counter(placed[s] for s in members if s in placed
                           and _group(slots[placed[s]]) == best[0][0]).most_common(1)[0][0]
            slots[slot].gained += len(free)
            slots[slot].found = slots[slot].found or record
        elif free:
            exemplars = [segment_ids[r] for r in record.exemplar_rows
                         if segment_ids[r] not in placed]
            slots.append(_Slot(record.label, tuple(record.keywords),
                               tuple(exemplars or free[:N_EXEMPLARS]), found=record))
            slot = len(slots) - 1
        else:
            continue
        cluster_slot[record.number] = slot
        for s in free:
            placed[s] = slot
    for sid, slot in placed.items():
        slots[slot].members.append(sid)
    return _numbered(before, segment_ids, nearest, cluster_slot, store, log)


def _group(slot: _Slot) -> tuple:
    """Themes of one code map together (a merged code's themes are one structure)."""
    if slot.kind == "code":
        return ("code", slot.code_id)
    return (slot.kind, slot.old.id if slot.old else id(slot))


@dataclass
class _Before:
    """The latest run's structure: its slots, where their segments are (``placed``), segments
    moved out to no theme (``pinned``: not clustered again) and where moved ones came from."""

    slots: list[_Slot] = field(default_factory=list)
    placed: dict[int, int] = field(default_factory=dict)
    pinned: set[int] = field(default_factory=set)
    moved_from: dict[int, int] = field(default_factory=dict)


def _structure(store: ProjectStore, log: DecisionLog, row_of: dict[int, int]) -> _Before:
    """The latest run's themes the researcher made, as slots, and where their segments are."""
    previous = store.latest_run()
    result = _Before()
    if previous is None:
        return result
    live = {code.id: code.status == "accepted" for code in log.codes()}
    touched = _touched_themes(log, previous.id)
    slots, slot_of = result.slots, {}
    for theme in store.themes(previous.id, include_inactive=True):
        if theme.status == "deleted":
            kind = "deleted"
        elif theme.status != "active":
            continue  # split into sub-themes, or born in a split not in effect
        elif theme.code_id in live:
            kind = "code"
        elif theme.id in touched:
            kind = touched[theme.id]  # born in a split, or segments moved in or out
        else:
            continue  # nobody touched it: the new clustering replaces it
        slot_of[theme.id] = len(slots)
        slots.append(_Slot(theme.label, theme.keywords, theme.exemplar_ids,
                           code_id=theme.code_id if kind == "code" else None,
                           status="deleted" if kind == "deleted" else "active", kind=kind,
                           old=theme, accepted=kind == "code" and live[theme.code_id]))
    for member in store.memberships(previous.id):
        sid = member.segment_id
        if member.theme_id in slot_of:
            if sid in row_of:
                result.placed[sid] = slot_of[member.theme_id]
            else:
                slots[slot_of[member.theme_id]].lost += 1
    for sid, moved_from in ReviewQueries(store.db).moved(previous.id).items():
        if sid in row_of and moved_from in slot_of:
            result.moved_from[sid] = slot_of[moved_from]
            if sid not in result.placed:
                result.pinned.add(sid)
    first_slot: dict[int, int] = {}
    for index, slot in enumerate(slots):
        if slot.kind == "code":
            first_slot.setdefault(slot.code_id, index)
    for coding in log.codings():
        if coding.status.value == "confirmed" and coding.code_id in first_slot and \
                coding.segment_id in row_of and coding.segment_id not in result.placed:
            result.placed[coding.segment_id] = first_slot[coding.code_id]
            result.pinned.discard(coding.segment_id)
    return result


def _touched_themes(log: DecisionLog, run_id: int) -> dict[int, str]:
    """Themes of the run the researcher shaped -> how: born in a split (``split``), segments
    moved in or out (``moved``), or carried into the run by the re-analysis that made it.
    Read from the log, not from the themes' columns, so any clusterer's theme tree is free to
    use them."""
    touched: dict[int, str] = {}
    for decision in reversed(log.history()):
        if decision.action == "analyse" and any(
                isinstance(c, RunStatusChange) and c.run_id == run_id for c in decision.changes):
            touched.update({int(t): kind for t, kind in
                            decision.payload.get("carried_themes", {}).items()})
        for change in decision.changes:
            if isinstance(change, ThemeStatusChange) and change.before == "pending":
                touched.setdefault(change.theme_id, "split")
            elif isinstance(change, MembershipChange) and change.run_id == run_id:
                for theme_id in (change.before, change.after):
                    if theme_id is not None:
                        touched.setdefault(theme_id, "moved")
    return touched


def _numbered(before: _Before, segment_ids: Sequence[int],
              nearest: Sequence[Sequence[tuple[int, float]]], cluster_slot: dict[int, int],
              store: ProjectStore, log: DecisionLog) -> CarryOver:
    slots, placed = before.slots, before.placed
    names = {code.id: code.name for code in log.codes()}
    number: dict[int, int] = {}
    themes: list[ThemeRecord] = []
    row_of = {int(sid): row for row, sid in enumerate(segment_ids)}
    gone = []
    for index, slot in enumerate(slots):
        slot.title = names.get(slot.code_id, slot.label) if slot.kind == "code" else slot.label
        if not slot.members:
            if slot.kind != "new":
                gone.append(f"{_what(slot)} '{slot.title}': none of its segments is analysed "
                            "any more")
            continue
        number[index] = len(themes)
        members = set(slot.members)
        exemplars = [s for s in slot.exemplars if s in members] or sorted(members)[:N_EXEMPLARS]
        found = slot.found
        themes.append(ThemeRecord(number=len(themes), label=slot.label, keywords=slot.keywords,
                                  exemplar_rows=tuple(row_of[s] for s in exemplars),
                                  size=len(members), group=found.group if found else None,
                                  small_talk=found.small_talk if found else False,
                                  stability=found.stability if found else None))
    labels = [number.get(placed[int(s)], -1) if int(s) in placed else -1 for s in segment_ids]
    near = []
    for row in range(len(segment_ids)):
        seen: dict[int, float] = {}
        for theme, similarity in nearest[row]:
            slot = cluster_slot.get(int(theme))
            if slot in number and slots[slot].status == "active" and number[slot] not in seen:
                seen[number[slot]] = similarity
        near.append(list(seen.items()))
    return CarryOver(
        themes=themes, labels=labels, nearest=near,
        theme_codes={number[i]: s.code_id for i, s in enumerate(slots)
                     if i in number and s.code_id is not None},
        theme_status={number[i]: s.status for i, s in enumerate(slots) if i in number},
        moved_from={row_of[sid]: number[slot] for sid, slot in before.moved_from.items()
                    if slot in number},
        carried={number[i]: s.kind for i, s in enumerate(slots)
                 if i in number and s.kind in ("split", "moved")},
        kept=tuple(_kept_lines(slots)), no_longer_applies=tuple(gone),
        changes=tuple(_changes(slots, store)))


def _what(slot: _Slot) -> str:
    if slot.kind == "code":
        return "code" if slot.accepted else "theme"
    return {"split": "split theme", "deleted": "deleted theme"}.get(slot.kind, "theme")


def _kept_lines(slots: list[_Slot]) -> list[str]:
    """One line per code (all its themes together), split theme and deleted theme."""
    groups: dict[tuple, list[_Slot]] = {}
    for slot in slots:
        if slot.kind != "new" and slot.members:
            groups.setdefault(_group(slot), []).append(slot)
    lines = []
    for parts in groups.values():
        first = parts[0]
        n = sum(len(p.members) for p in parts)
        gained, lost = sum(p.gained for p in parts), sum(p.lost for p in parts)
        if first.kind == "deleted":
            lines.append(f"deleted theme '{first.title}' stays deleted ({n} segments stay in "
                         "the queue)")
            continue
        delta = "".join([f", +{gained} new" if gained else "",
                         f", -{lost} no longer analysed" if lost else ""])
        lines.append(f"{_what(first)} '{first.title}': {n} segments{delta}")
    return lines


def _changes(slots: list[_Slot], store: ProjectStore) -> list[str]:
    """Codes and themes that gain or lose segments, themes new and gone (for the preview)."""
    lines = []
    for slot in slots:
        if slot.kind in ("code", "split", "moved") and slot.gained:
            lines.append(f"{_what(slot)} '{slot.title}' gains {slot.gained} segments")
        if slot.kind in ("code", "split", "moved") and slot.lost:
            lines.append(f"{_what(slot)} '{slot.title}' loses {slot.lost} segments "
                         "(no longer analysed)")
    previous = store.latest_run()
    carried = {slot.old.id for slot in slots if slot.old is not None}
    untouched = [t for t in store.themes(previous.id) if t.id not in carried] if previous else []
    fresh = [slot for slot in slots if slot.kind == "new" and slot.members]
    old_members: dict[int, set[int]] = defaultdict(set)
    if untouched:
        ids = {t.id for t in untouched}
        for member in store.memberships(previous.id):
            if member.theme_id in ids:
                old_members[member.theme_id].add(member.segment_id)
    same: set[int] = set()
    for slot in fresh:
        members = set(slot.members)
        match = next((t for t in untouched if t.id not in same and old_members[t.id]
                      and len(members & old_members[t.id]) >= LINK_OVERLAP
                      * len(members | old_members[t.id])), None)
        if match is None:
            lines.append(f"new theme '{slot.label}' ({len(members)} segments)")
        else:
            same.add(match.id)
    lines += [f"theme '{t.label}' is gone" for t in untouched if t.id not in same]
    return lines
