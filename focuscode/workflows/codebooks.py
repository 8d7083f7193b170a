"""Codebook use cases: the project's codebook as a ``Codebook``, imported from and exported to
YAML, CSV, XLSX and REFI-QDA ``.qdc`` files.

An import is one decision of the log (undone at once): new codes are created, codes already in
the project (same name, ignoring case) get the file's non-empty fields, and parents are linked.
An import never blanks a field and never deletes a code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from focuscode.domain import Code, DecisionError, IngestError
from focuscode.domain.changes import CodeChange
from focuscode.domain.codebook import Codebook
from focuscode.domain.model import GROUP_SOURCE
from focuscode.export.codebooks import read_codebook, to_yaml, write_codebook
from focuscode.export.refi import SUGGESTED_GROUP
from focuscode.store import DecisionLog, ProjectStore

SETTING = "codebook"  # the codebook's name and description
# Code field -> column of the codes table
COLUMNS = {"definition": "definition", "include": "include_notes", "exclude": "exclude_notes",
           "examples": "examples", "color": "color", "memo": "memo"}


@dataclass(frozen=True)
class CodebookImport:
    """What an import changed: codes created, codes updated (with the fields), the decision."""

    path: str
    created: tuple[str, ...] = ()
    updated: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (code, fields changed)
    unchanged: tuple[str, ...] = ()
    decision_id: int | None = None  # None: nothing changed

    @property
    def n_changed(self) -> int:
        return len(self.created) + len(self.updated)


def project_codebook(store: ProjectStore, log: DecisionLog, *,
                     include_suggested: bool = False) -> Codebook:
    """The accepted codes (parents first) with the codebook's name and description; with
    ``include_suggested``, the latest analysis' themes not (yet) codes too, under a group code
    (a theme whose row holds codings keeps its row's name and definition)."""
    rows = {c.id: c for c in log.codes() if c.is_theme_row}
    live = [c for c in log.codes() if c.status == "accepted" or
            (include_suggested and c.status == "suggested" and c.id not in rows)]
    names = {c.name for c in live}
    codes, taken = [], set()
    for code in live:
        name = code.name if code.name.casefold() not in taken else f"{code.name} (code {code.id})"
        taken.add(name.casefold())
        codes.append(replace(code, name=name, parent=code.parent if code.parent in names
                             else None))
    if include_suggested:
        run = store.latest_run()
        themes = [t for t in store.themes(run.id)
                  if t.code_id is None or t.code_id in rows] if run else []
        if themes:
            codes.append(Code(id=None, name=SUGGESTED_GROUP, source=GROUP_SOURCE,
                              definition="Themes the automatic analysis found and no "
                                         "researcher has reviewed yet."))
        for theme in themes:
            row = rows.get(theme.code_id) if theme.code_id is not None else None
            label = row.name if row else theme.label
            name = label if label.casefold() not in taken else f"{label} (theme {theme.id})"
            taken.add(name.casefold())
            definition = row.definition if row and row.definition else \
                f"Keywords: {', '.join(theme.keywords)}"
            codes.append(Code(id=None, name=name, parent=SUGGESTED_GROUP, source="theme",
                              definition=definition))
    meta = store.get_setting(SETTING, {}) or {}
    return Codebook.of(codes, name=meta.get("name", ""), description=meta.get("description", ""))


def export_codebook(store: ProjectStore, log: DecisionLog, path: Path, *,
                    fmt: str | None = None, include_suggested: bool = False,
                    identity: str = "") -> tuple[Path, list[str]]:
    """Write the codebook; returns the path and what the format could not hold."""
    codebook = project_codebook(store, log, include_suggested=include_suggested)
    return write_codebook(codebook, path, fmt, identity=identity)


def import_codebook(store: ProjectStore, log: DecisionLog, path: Path, *, coder: str,
                    fmt: str | None = None) -> CodebookImport:
    """Add and update codes from a codebook file, as one decision."""
    codebook = read_codebook(path, fmt)
    if not codebook.name and Path(path).suffix.lower() == ".qdc" and not (
            store.get_setting(SETTING, {}) or {}).get("name"):
        codebook = replace(codebook, name=Path(path).stem)  # a .qdc has no name of its own
    return apply_codebook(store, log, codebook, coder=coder, source=Path(path).name)


@dataclass
class CodebookChanges:
    """What joining a codebook to the project's changes, before it is recorded: the log
    changes, code names created / updated / unchanged, and each code's id (by folded name)."""

    changes: list[CodeChange]
    created: list[str]
    updated: list[tuple[str, tuple[str, ...]]]
    unchanged: list[str]
    ids: dict[str, int]


def codebook_changes(log: DecisionLog, codebook: Codebook) -> CodebookChanges:
    """The changes that add ``codebook``'s new codes (as inert rows a change brings to life),
    fill in the fields of codes already there and link parents. Call inside
    ``log.db.atomic()`` and record the changes in the same transaction."""
    created: list[str] = []
    updated: list[tuple[str, tuple[str, ...]]] = []
    unchanged: list[str] = []
    existing = {c.name.casefold(): c for c in log.codes()}
    ids: dict[str, int] = {}
    changes: list[CodeChange] = []
    for code in codebook.codes:
        key = code.name.casefold()
        old = existing.get(key)
        if old is None:
            source = code.source if code.source == GROUP_SOURCE else "codebook"
            code_id = log.new_code_row(replace(code, parent=None, source=source,
                                               status="deleted"))
            changes.append(_change(code_id, "status", "deleted", "accepted"))
            created.append(code.name)
            ids[key] = code_id
            continue
        ids[key] = int(old.id)
        fields = []
        for field, column in COLUMNS.items():
            value = getattr(code, field)
            if not value:
                continue  # an import never blanks a field
            after = json.dumps(list(value)) if field == "examples" else value
            before = log.code_field(int(old.id), column)
            if before != after:
                changes.append(_change(int(old.id), column, before, after))
                fields.append(field)
        if old.status != "accepted":
            changes.append(_change(int(old.id), "status", old.status, "accepted"))
            fields.append("status")
        if fields:
            updated.append((code.name, tuple(fields)))
        else:
            unchanged.append(code.name)
    for code in codebook.codes:
        if not code.parent:
            continue
        code_id, parent_id = ids[code.name.casefold()], ids[code.parent.casefold()]
        before = log.code_field(code_id, "parent_id")
        if before != parent_id:
            changes.append(_change(code_id, "parent_id", before, parent_id))
            if code.name not in created:
                _add_field(updated, unchanged, code.name, "parent")
    return CodebookChanges(changes, created, updated, unchanged, ids)
def _refuse_cycles(log: DecisionLog, changes: list[CodeChange], source: str) -> None:
    """The project's whole code tree after ``changes`` must stay a tree: a file can put a code
    under one that the project already has under it (two valid imports, a cycle)."""
    tree = log.code_tree()
    parents = {code_id: parent for code_id, (_, parent) in tree.items()}
    for change in changes:
        if change.field == "parent_id":
            parents[change.code_id] = change.after
    names = {code_id: name for code_id, (name, _) in tree.items()}
    for start in parents:
        walked, node = [], start
        while node is not None:
            if node in walked:
                loop = walked[walked.index(node):]
                path = " -> ".join(f"'{names[n]}'" for n in [*loop, node])
                raise IngestError(f"importing it would make codes their own ancestors ({path} "
                                  "by parent); nothing was changed", path=source,
                                  hint="fix the parents in the file, or move the codes in the "
                                       "project first")
            walked.append(node)
            node = parents.get(node)


def apply_codebook(store: ProjectStore, log: DecisionLog, codebook: Codebook, *, coder: str,
                   source: str = "codebook") -> CodebookImport:
    with log.db.atomic():
        found = codebook_changes(log, codebook)
        if not found.changes:
            return CodebookImport(path=source, unchanged=tuple(found.unchanged))
        _refuse_cycles(log, found.changes, source)
        title = f" '{codebook.name}'" if codebook.name else ""
        decision_id = log.record(
            "import_codebook", found.changes, coder=coder,
            summary=f"imported codebook{title} from {source}: {len(found.created)} new, "
                    f"{len(found.updated)} updated code(s)",
            extra={"codebook": {"name": codebook.name, "source": source,
                                "sha256": codebook_sha256(codebook)}})
    if codebook.name or codebook.description:
        store.set_setting(SETTING, {"name": codebook.name, "description": codebook.description})
    return CodebookImport(path=source, created=tuple(found.created),
                          updated=tuple(found.updated), unchanged=tuple(found.unchanged),
                          decision_id=decision_id)


def codebook_sha256(codebook: Codebook) -> str:
    return hashlib.sha256(to_yaml(codebook).encode("utf-8")).hexdigest()


def _change(code_id: int, field: str, before: object, after: object) -> CodeChange:
    return CodeChange(code_id=code_id, field=field, before=before, after=after)


def _add_field(updated: list[tuple[str, tuple[str, ...]]], unchanged: list[str], name: str,
               field: str) -> None:
    for index, (code, fields) in enumerate(updated):
        if code == name:
            updated[index] = (code, (*fields, field))
            return
    if name in unchanged:
        unchanged.remove(name)
    updated.append((name, (field,)))


def find_code(log: DecisionLog, name_or_id: str | int) -> Code:
    """A live code by id (``12``, ``"c12"``) or by name (ignoring case)."""
    text = str(name_or_id).strip()
    ident = text[1:] if text[:1] == "c" and text[1:].isdigit() else text
    codes = log.codes()
    if ident.isdigit():
        found = next((c for c in codes if c.id == int(ident)), None)
    else:
        found = next((c for c in codes if c.name.casefold() == text.casefold()), None)
    if found is None:
        raise DecisionError(f"no code '{text}'", hint="see the codes with: focuscode codebook show")
    return found


class Codebooks:
    """The project's codebook and its files (what ``Project.codebook`` returns)."""

    def __init__(self, store: ProjectStore, log: DecisionLog, coder: str, *,
                 identity: str = "") -> None:
        self.store = store
        self.log = log
        self.coder = coder
        self.identity = identity

    def current(self, *, include_suggested: bool = False) -> Codebook:
        """The accepted codes, parents first, with the codebook's name and description."""
        return project_codebook(self.store, self.log, include_suggested=include_suggested)

    def import_file(self, path: Path | str, *, fmt: str | None = None) -> CodebookImport:
        """Add and update codes from a YAML, CSV, XLSX or ``.qdc`` file: one decision."""
        return import_codebook(self.store, self.log, Path(path), coder=self.coder, fmt=fmt)

    def export(self, path: Path | str, *, fmt: str | None = None,
               include_suggested: bool = False) -> tuple[Path, list[str]]:
        """Write the codebook as YAML, CSV, XLSX or ``.qdc`` (``fmt`` or the file's suffix);
        returns the path and what the format could not hold."""
        return export_codebook(self.store, self.log, Path(path), fmt=fmt,
                               include_suggested=include_suggested,
                               identity=self.identity)

    def frame(self, *, include_suggested: bool = False):  # noqa: ANN201 - pandas.DataFrame
        """One row per code (the CSV and XLSX layout)."""
        from focuscode.export.codebooks import to_frame

        return to_frame(self.current(include_suggested=include_suggested).codes)
