"""A codebook: named, hierarchical codes with definitions, notes, examples, colours and memos.

Codes refer to their parent by name. ``Codebook`` checks what every file format relies on:
unique names (case-insensitive), parents that exist, no cycles. Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator, Sequence

from focuscode.domain.errors import IngestError
from focuscode.domain.model import Code

COLOR = re.compile(r"^#([A-Fa-f0-9]{6}|[A-Fa-f0-9]{3})$")
MAX_DEPTH = 50  # levels of codes under codes; deeper trees are refused, not recursed into
# The fields a code carries in a codebook file, in file order.
CODE_FIELDS = ("name", "definition", "include", "exclude", "examples", "parent", "color", "memo")


@dataclass(frozen=True)
class Codebook:
    """Codes in order, parents before their children; ``name`` and ``description`` describe the
    codebook as a whole (the YAML header)."""

    codes: tuple[Code, ...]
    name: str = ""
    description: str = ""

    @classmethod
    def of(cls, codes: Sequence[Code], *, name: str = "", description: str = "",
           source: str | None = None) -> "Codebook":
        """A checked codebook, its codes ordered parents first (file order otherwise kept)."""
        cleaned = [_clean(code) for code in codes]
        check_codes(cleaned, source=source)
        return cls(codes=tuple(_parents_first(cleaned)), name=name.strip(),
                   description=description.strip())

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def code(self, name: str) -> Code:
        key = name.casefold()
        for code in self.codes:
            if code.name.casefold() == key:
                return code
        raise KeyError(name)

    def children(self, name: str | None) -> list[Code]:
        """Codes directly under ``name`` (None: the top-level codes)."""
        key = name.casefold() if name else None
        return [c for c in self.codes if (c.parent.casefold() if c.parent else None) == key]

    def is_parent(self, name: str) -> bool:
        return bool(self.children(name))

    def depth(self, name: str) -> int:
        depth, code = 0, self.code(name)
        while code.parent:
            depth, code = depth + 1, self.code(code.parent)
        return depth


def check_codes(codes: Sequence[Code], *, source: str | None = None) -> None:
    """Names present and unique (case-insensitive), parents known, no cycles, colours valid."""
    seen: dict[str, str] = {}
    for code in codes:
        if not code.name:
            raise IngestError("a code without a name", path=source)
        key = code.name.casefold()
        if key in seen:
            raise IngestError(f"two codes are called '{code.name}'", path=source,
                              hint="code names must be unique (ignoring case)")
        seen[key] = code.name
        if code.color and not COLOR.match(code.color):
            raise IngestError(f"code '{code.name}': colour '{code.color}' is not #RRGGBB",
                              path=source, hint="write colours as #4e79a7")
    parents = {code.name.casefold(): (code.parent or "").casefold() or None for code in codes}
    for code in codes:
        if code.parent and code.parent.casefold() not in parents:
            raise IngestError(f"code '{code.name}': parent '{code.parent}' is not in the codebook",
                              path=source, hint="add the parent code, or leave parent empty")
        walked, key = set(), code.name.casefold()
        while key is not None:
            if key in walked:
                raise IngestError(f"code '{code.name}' is its own ancestor", path=source,
                                  hint="parents must form a tree")
            if len(walked) > MAX_DEPTH:
                raise IngestError(f"code '{code.name}' is nested more than {MAX_DEPTH} levels "
                                  "deep", path=source, hint="flatten the codebook")
            walked.add(key)
            key = parents.get(key)


def _clean(code: Code) -> Code:
    def text(value: object) -> str:
        return "" if value is None else str(value).strip()

    examples = tuple(e for e in (text(e) for e in code.examples) if e)
    return replace(code, name=" ".join(text(code.name).split()), definition=text(code.definition),
                   include=text(code.include), exclude=text(code.exclude), examples=examples,
                   parent=" ".join(text(code.parent).split()) or None,
                   color=text(code.color) or None, memo=text(code.memo))


def _parents_first(codes: list[Code]) -> list[Code]:
    """Depth-first in file order: each parent, then its children (stable)."""
    by_parent: dict[str | None, list[Code]] = {}
    for code in codes:
        by_parent.setdefault(code.parent.casefold() if code.parent else None, []).append(code)
    ordered: list[Code] = []

    def walk(key: str | None) -> None:
        for code in by_parent.get(key, []):
            ordered.append(code)
            walk(code.name.casefold())

    walk(None)
    return ordered
