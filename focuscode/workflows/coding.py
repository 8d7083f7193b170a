"""Researcher decisions on themes and segments, each one a durable entry of the decision log."""

from __future__ import annotations

from typing import Sequence

from focuscode.domain import Code, Decision, DecisionError, Theme, ThemeGroup
from focuscode.domain.changes import (
    Change,
    CodeChange,
    MembershipChange,
    QuoteChange,
    ThemeLinkChange,
    ThemeStatusChange,
)
from focuscode.domain.review import UNASSIGNED, theme_key
from focuscode.store import NEW_CODE, DecisionLog, ProjectStore
from focuscode.store.review_queries import ReviewQueries
from focuscode.workflows.entries import (
    STATUS_ACTIONS,
    Target,
    check_segments,
    coding_changes,
    coding_row,
    ensure_code,
    resolve,
)
from focuscode.workflows.keywords import keywords_change, merged_keywords
from focuscode.workflows.progress import Progress


def parent_and_children(store: ProjectStore, group_id: int) -> tuple[ThemeGroup, list[Theme]]:
    """A parent theme of the latest run and its themes in effect."""
    run = store.latest_run()
    groups = store.theme_groups(run.id) if run else []
    group = next((g for g in groups if g.id == group_id), None)
    if group is None:
        raise DecisionError(f"no parent theme {group_id} in the latest analysis",
                            hint="run 'focuscode themes' to see the theme tree and its ids")
    children = [t for t in store.themes(run.id) if t.group_id == group.id]
    if not children:
        raise DecisionError(f"parent theme {group_id} has no themes left",
                            hint="its themes were split or deleted")
    return group, children


def find_theme(store: ProjectStore, theme_id: int) -> Theme:
    run = store.latest_run()
    theme = next((t for t in store.themes(run.id) if t.id == theme_id), None) if run else None
    if theme is None:
        raise DecisionError(f"no theme {theme_id} in the latest analysis",
                            hint="run 'focuscode themes' to see the themes and their ids")
    return theme


def accept_theme(store: ProjectStore, log: DecisionLog, theme_id: int, *, coder: str,
                 name: str | None = None) -> int:
    """Make a discovered theme a code (named after its keywords unless ``name`` is given)."""
    theme = find_theme(store, theme_id)
    if theme.code_id is not None:
        code = log.code(theme.code_id)
        if code.status == "suggested":  # its row was born with a first coding or quote
            changes = [CodeChange(code_id=theme.code_id, field="status", before="suggested",
                                  after="accepted")]
            if name and name != code.name:
                changes.append(CodeChange(code_id=theme.code_id, field="name", before=code.name,
                                          after=name))
            log.record("accept", changes, coder=coder,
                       summary=f"accepted '{name or code.name}' as a code")
        return theme.code_id
    code = Code(id=None, name=name or theme.label, definition="",
                examples=(), source="theme", status="accepted")
    return log.create_code(code, coder=coder, summary=f"accepted theme '{code.name}' as a code",
                           extra_changes=[ThemeLinkChange(theme_id=theme.id, before=None,
                                                          after=NEW_CODE)])


def set_segment_status(store: ProjectStore, log: DecisionLog, segment_id: int, theme_id: int,
                       status: str | None, *, coder: str) -> int:
    """Confirm (``"confirmed"``), reject (``"rejected"``) or clear (None) a segment for a
    theme (for the code it is accepted as, if it is one), as the workbench's y and n do.

    One decision, its state read under the write lock. The theme stays a theme: a coding does
    not make it a code (``coding_row``), accepting or naming it does."""
    with log.db.atomic():
        check_segments(store, [segment_id])
        theme = find_theme(store, theme_id)
        target = resolve(store, log, theme_key(theme.id))
        code_id, changes = coding_row(log, target)
        decided = coding_changes(log, [(segment_id, code_id)], status, coder=coder)
        if not decided:
            raise DecisionError(f"segment {segment_id} is already {status or 'undecided'}")
        action, verb = STATUS_ACTIONS[status]
        return log.record(action, changes + decided, coder=coder,
                          summary=f"{verb} segment {segment_id} for '{target.label}'")


class Decisions:
    """Every decision the review workbench makes, each one entry of the decision log.

    Segment decisions take one id or many (a bulk decision is one entry, undone at once).
    Entries are named by key (``c12``, ``t5``, ``unassigned``, see ``domain.review``). A theme
    becomes a code of the codebook only when the researcher accepts it, names it or merges
    something into it, in the same entry of the log. Confirming, rejecting, quoting or defining
    it, and moving segments in or out of it, leave it a theme: what they record is kept on its
    row, born *suggested* (``entries.coding_row``), and counts for the theme. Nothing is
    deleted: undo brings anything back.
    """

    def __init__(self, store: ProjectStore, log: DecisionLog, coder: str) -> None:
        self.store = store
        self.log = log
        self.coder = coder

    # segments -----------------------------------------------------------------------------
    def confirm(self, key: str, segment_ids: int | Sequence[int]) -> Decision:
        """The segment(s) carry the entry's code."""
        return self._decide(key, segment_ids, "confirmed", "confirm")

    def reject(self, key: str, segment_ids: int | Sequence[int]) -> Decision:
        """The segment(s) do not belong to the entry."""
        return self._decide(key, segment_ids, "rejected", "reject")

    def clear(self, key: str, segment_ids: int | Sequence[int]) -> Decision:
        """Back to undecided."""
        return self._decide(key, segment_ids, None, "clear")

    def move(self, segment_ids: int | Sequence[int], to_key: str | None = None, *,
             from_key: str | None = None, new_code: str | None = None) -> Decision:
        """Reassign segment(s) to another entry (or to a new code named ``new_code``).

        A segment moved out of a theme joins the destination's theme and remembers where it
        came from (the theme shows it as moved, and counts it no more); the coder's coding of
        the source's code, if any, is cleared; the destination's code, if it has one, is
        confirmed (a theme's rejection of it is cleared). Neither a source nor a destination
        that is a theme becomes a code: only accepting or naming it does that."""
        ids = _ids(segment_ids)
        with self.log.db.atomic():
            check_segments(self.store, ids)
            dest: Target | None = None
            if new_code is not None:
                to_code, changes, label = self._new_code(new_code)
            else:
                if to_key is None:
                    raise DecisionError("say where the segments go")
                dest = self._target(to_key)
                # a code confirms it; a theme (even one holding codings) takes it as a member
                to_code, changes = (None, []) if dest.is_theme else ensure_code(self.log, dest)
                label = dest.label
            source = None
            if from_key is not None and from_key != UNASSIGNED:
                source = self._target(from_key)
                if dest is not None and source.key == dest.key:
                    raise DecisionError(f"the segments are already in '{label}'")
            n_before = len(changes)
            dest_theme = dest.themes[0].id if dest is not None and dest.themes else None
            for segment_id in ids:
                if to_code is not None:
                    changes += self._coding(segment_id, to_code, "confirmed")
                elif dest is not None and dest.code_id is not None and self.log.coding_status(
                        segment_id, dest.code_id, self.coder) == "rejected":
                    changes += self._coding(segment_id, dest.code_id, None)
                if source is not None and source.code_id is not None:
                    changes += self._coding(segment_id, source.code_id, None)
                changes += self._membership(segment_id, source, dest_theme)
            if len(changes) == n_before:
                raise DecisionError(f"already in '{label}'")
            verb = "assigned" if source is None else "moved"
            return self._record("move" if source else "assign", changes,
                                f"{verb} {_n_segments(ids)} to '{label}'")

    def _membership(self, segment_id: int, source: Target | None,
                    dest_theme: int | None) -> list[Change]:
        """The segment's theme in the latest run, when it leaves the source's themes (or the
        queue) for the destination's theme."""
        run = self.store.latest_run()
        member = ReviewQueries(self.store.db).membership(run.id, segment_id) if run else None
        if member is None:
            return []
        theme_id, moved_from, in_queue = member
        leaving = theme_id in source.theme_ids if source is not None else in_queue
        if not leaving or theme_id == dest_theme:
            return []
        changes: list[Change] = [MembershipChange(run_id=run.id, segment_id=segment_id,
                                                  before=theme_id, after=dest_theme)]
        if source is not None and moved_from != theme_id:
            changes.append(MembershipChange(run_id=run.id, segment_id=segment_id,
                                            field="moved_from", before=moved_from,
                                            after=theme_id))
        return changes

    # the codebook -------------------------------------------------------------------------
    def accept(self, key: str, name: str | None = None) -> Decision:
        """Make a theme (or a suggested code) a code of the codebook."""
        with self.log.db.atomic():
            target = self._target(key)
            if target.is_accepted and not name:
                raise DecisionError(f"'{target.label}' is already a code")
            name = " ".join(name.split()) if name else None
            if name and name != target.label:
                self._check_name(name, own=target.code_id)
            code_id, changes = ensure_code(self.log, target, name=name)
            if target.code is not None and name and name != target.code.name:
                changes.append(_code_change(code_id, "name", target.code.name, name))
            return self._record("accept", changes, f"accepted '{name or target.label}' as a code")

    def accept_number(self, number: int, name: str | None = None) -> Decision:
        """Accept theme ``number`` of the themes overview (``#`` in ``focuscode themes``)."""
        return self.accept(self.numbered(number), name)

    def numbered(self, number: int) -> str:
        """The key of theme ``number`` of the themes overview (``#`` in ``focuscode themes``):
        the theme's, or the code's it is in."""
        from focuscode.workflows.review import Review
        from focuscode.workflows.visibility import Visibility

        entries = Review(self.store, self.log, Visibility(self.coder, blind=False)).entries()
        entry = next((e for e in entries if e.number is not None and e.number + 1 == number),
                     None)
        if entry is None:
            raise DecisionError(f"no theme {number}",
                                hint="see the theme numbers with: focuscode themes")
        return entry.key

    def accept_parent(self, group_id: int, name: str | None = None) -> Decision:
        """Make a parent theme of the tree a code with its themes as child codes (themes that
        are codes already become its children), in one decision."""
        with self.log.db.atomic():
            group, children = parent_and_children(self.store, group_id)
            name = " ".join((name or group.label).split())
            if any(t.label.casefold() == name.casefold() for t in children):
                name = f"{name} (parent theme)"
            self._check_name(name)
            parent_id = self.log.new_code_row(Code(id=None, name=name, source="theme",
                                                   status="deleted"))
            changes = [_code_change(parent_id, "status", "deleted", "accepted")]
            for theme in children:
                target = resolve(self.store, self.log, theme_key(theme.id))
                code_id, born = ensure_code(self.log, target)
                changes += born
                before = None if target.code is None else self.log.code_field(code_id,
                                                                              "parent_id")
                changes.append(_code_change(code_id, "parent_id", before, parent_id))
            return self._record("accept", changes, f"accepted parent theme '{name}' as a code "
                                                   f"with {len(children)} child codes")

    def rename(self, key: str, name: str) -> Decision:
        name = " ".join(name.split())
        if not name:
            raise DecisionError("a code needs a name")
        with self.log.db.atomic():
            target = self._target(key)
            if name == target.label:
                raise DecisionError(f"it is already called '{name}'")
            self._check_name(name, own=target.code_id)
            code_id, changes = ensure_code(self.log, target)
            changes.append(_code_change(code_id, "name", target.label, name))
            return self._record("rename", changes, f"renamed '{target.label}' to '{name}'")

    def define(self, key: str, definition: str) -> Decision:
        definition = definition.strip()
        with self.log.db.atomic():
            target = self._target(key)
            before = target.code.definition if target.code else ""
            if definition == before:
                raise DecisionError("the definition is unchanged")
            code_id, changes = coding_row(self.log, target)
            changes.append(_code_change(code_id, "definition", before, definition))
            return self._record("define", changes, f"defined '{target.label}'")

    def merge(self, key: str, into: str) -> Decision:
        """Fold entry ``key`` into ``into``: its themes, codings (every coder's) and quotes move
        over; its code, if any, is retired. A code made of several themes gets the keywords of
        all their segments, fitted once here (before the write lock: it takes a moment on
        thousands of segments) and stored by the same decision."""
        fitted = self._merged_words(key, into)
        with self.log.db.atomic():
            source, dest = self._target(key), self._target(into)
            if source.key == dest.key:
                raise DecisionError("pick another theme to merge with")
            to_code, changes = ensure_code(self.log, dest)
            changes += [ThemeLinkChange(theme_id=t.id, before=t.code_id, after=to_code)
                        for t in source.themes]
            if source.code is not None:
                changes += self._fold_code(source.code, to_code, dest)
            themes = _merged_themes(source, dest)
            if source.themes and len(themes) > 1 and dest.run_id is not None:
                words = fitted[1] if fitted[0] == themes else \
                    merged_keywords(self.store, dest.run_id, themes)  # changed meanwhile
                changes += keywords_change(self.log, to_code, words)
            return self._record("merge", changes, f"merged '{source.label}' into '{dest.label}'")

    def _merged_words(self, key: str, into: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The themes merging ``key`` into ``into`` makes one code of, and their words."""
        source, dest = self._target(key), self._target(into)
        themes = _merged_themes(source, dest)
        if not source.themes or len(themes) < 2 or dest.run_id is None or source.key == dest.key:
            return themes, ()
        return themes, merged_keywords(self.store, dest.run_id, themes)

    def delete(self, key: str) -> Decision:
        """Retire an entry: its code is deleted and its themes too, so their segments join the
        unassigned queue. Undo brings it all back."""
        with self.log.db.atomic():
            target = self._target(key)
            changes: list[Change] = [ThemeStatusChange(theme_id=t.id, before=t.status,
                                                       after="deleted") for t in target.themes]
            if target.code is not None:
                changes.append(_code_change(int(target.code.id), "status", target.code.status,
                                            "deleted"))
            return self._record("delete", changes, f"deleted '{target.label}'")

    def split(self, key: str, *, n_themes: int | None = None,
              progress: Progress | None = None) -> Decision:
        """Re-cluster an entry's segments into sub-themes (see ``workflows.splitting``)."""
        from focuscode.workflows.splitting import split_entry

        return split_entry(self.store, self.log, key, coder=self.coder, n_themes=n_themes,
                           progress=progress)

    # helpers ------------------------------------------------------------------------------
    def _target(self, key: str) -> Target:
        target = resolve(self.store, self.log, key)
        if target.is_queue:
            raise DecisionError("the unassigned queue is not a theme",
                                hint="assign its segments to a theme or code instead")
        return target

    def _decide(self, key: str, segment_ids: int | Sequence[int], status: str | None,
                action: str) -> Decision:
        ids = _ids(segment_ids)
        with self.log.db.atomic():
            check_segments(self.store, ids)
            target = self._target(key)
            code_id, changes = coding_row(self.log, target)
            decided = coding_changes(self.log, [(sid, code_id) for sid in ids], status,
                                     coder=self.coder)
            if not decided:
                raise DecisionError(f"{_n_segments(ids)} already "
                                    f"{status or 'undecided'} for '{target.label}'")
            verb = STATUS_ACTIONS[status][1]
            return self._record(action, changes + decided,
                                f"{verb} {_n_segments(ids)} for '{target.label}'")

    def _coding(self, segment_id: int, code_id: int, status: str | None,
                coder: str | None = None) -> list[Change]:
        return list(coding_changes(self.log, [(segment_id, code_id)], status,
                                   coder=coder or self.coder))

    def _fold_code(self, code: Code, to_code: int, dest: Target) -> list[Change]:
        changes: list[Change] = []
        for coding in self.log.codings(code_id=code.id):
            changes += self._coding(coding.segment_id, int(code.id), None, coding.coder)
            if self.log.coding_status(coding.segment_id, to_code, coding.coder) is None:
                changes += self._coding(coding.segment_id, to_code, coding.status.value,
                                        coding.coder)
        queries = ReviewQueries(self.store.db)
        changes += [QuoteChange(quote_id=quote_id, field="code_id", before=code.id,
                                after=to_code) for quote_id in queries.quote_ids(int(code.id))]
        target_definition = dest.code.definition if dest.code else ""
        if code.definition and not target_definition:
            changes.append(_code_change(to_code, "definition", "", code.definition))
        changes.append(_code_change(int(code.id), "status", code.status, "deleted"))
        return changes

    def _new_code(self, name: str) -> tuple[int, list[Change], str]:
        name = " ".join(name.split())
        if not name:
            raise DecisionError("a code needs a name")
        self._check_name(name)
        code_id = self.log.new_code_row(Code(id=None, name=name, source="manual",
                                             status="deleted"))
        return code_id, [_code_change(code_id, "status", "deleted", "accepted")], name

    def _check_name(self, name: str, *, own: int | None = None) -> None:
        """No two codes of one name (a theme's row of codings is no code: themes may share
        a name with a code, as before they hold codings)."""
        same = next((code for code in self.log.codes()
                     if code.name.casefold() == name.casefold() and code.id != own
                     and not code.is_theme_row), None)
        if same is not None:
            raise DecisionError(f"there is already a code called '{same.name}'",
                                hint="pick it, or merge into it")

    def _record(self, action: str, changes: list[Change], summary: str) -> Decision:
        return self.log.decision(self.log.record(action, changes, coder=self.coder,
                                                 summary=summary))


def _merged_themes(source: Target, dest: Target) -> tuple[int, ...]:
    return tuple(sorted({*source.theme_ids, *dest.theme_ids}))


def _code_change(code_id: int, field: str, before: object, after: object) -> CodeChange:
    return CodeChange(code_id=code_id, field=field, before=before, after=after)


def _ids(segment_ids: int | Sequence[int]) -> list[int]:
    if isinstance(segment_ids, int):
        return [segment_ids]
    return list(dict.fromkeys(int(i) for i in segment_ids))


def _n_segments(ids: Sequence[int]) -> str:
    return f"segment {ids[0]}" if len(ids) == 1 else f"{len(ids)} segments"
