"""De-identification of quoted text: people's names replaced by a pseudonym or ``[name]``.

The names are the speakers' own (their labels, the parts of them, their aliases), listed with
their pseudonyms, and the other names the researcher listed (the speakers file's ``redact:``, and
candidates confirmed with ``focuscode names``), replaced by ``[name]``. A name matches as a whole
word, as written, in capitals or capitalised (so "grace" the word stays, "Grace" goes), with a
title before it ("Dr. Shah") and a possessive after it ("Diane's") handled. Offsets are never
changed: this is applied to the text an export shows, after the verbatim check. Standard
library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Mapping, Sequence

NAME_PLACEHOLDER = "[name]"
TITLES = ("Dr", "Doctor", "Prof", "Professor", "Mr", "Mrs", "Ms", "Miss", "Mx", "Nurse")
_TITLE_WORDS = {t.casefold() for t in TITLES} | {t.casefold() + "." for t in TITLES}


def name_parts(label: str) -> list[str]:
    """The words of a person's label that are names: "Dr. Anand Shah" -> [Anand, Shah]."""
    words = [w.strip(".,()") for w in label.split()]
    return [w for w in words if len(w) >= 2 and w[0].isalpha() and w.casefold() not in
            _TITLE_WORDS]


@dataclass(frozen=True)
class Deidentifier:
    """Replace ``names`` (name -> its replacement) in text; ``__call__`` does it."""

    names: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, speakers: Iterable[tuple[str, str, Sequence[str]]],
              others: Iterable[str] = ()) -> "Deidentifier":
        """From ``(label, pseudonym, aliases)`` per speaker with a pseudonym, and other names.

        A speaker's label and aliases become its pseudonym, and so do the parts of them (first
        name, surname) unless two speakers share that part, which then becomes ``[name]``."""
        whole: dict[str, str] = {}
        parts: dict[str, set[str]] = {}
        for label, pseudonym, aliases in speakers:
            for name in (label, *aliases):
                name = " ".join(str(name).split())
                if name:
                    whole[name] = pseudonym
                for part in name_parts(name):
                    parts.setdefault(part, set()).add(pseudonym)
        names: dict[str, str] = {}
        for other in others:
            for part in [" ".join(str(other).split()), *name_parts(str(other))]:
                if part:
                    names[part] = NAME_PLACEHOLDER
        for part, pseudonyms in parts.items():
            names[part] = next(iter(pseudonyms)) if len(pseudonyms) == 1 else NAME_PLACEHOLDER
        names.update(whole)
        return cls(names)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for name, replacement in self.names.items():
            for variant in (name, name.upper(), _capitalised(name)):
                lookup.setdefault(variant, replacement)
        return lookup

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.names:
            return None
        names = sorted(self._lookup, key=lambda n: (-len(n), n))
        titles = "|".join(sorted({*TITLES, *(t.upper() for t in TITLES)}, key=len, reverse=True))
        alternatives = "|".join(re.escape(n) for n in names)
        return re.compile(rf"(?<!\w)(?:(?:{titles})\.?\s+)?(?P<name>{alternatives})(?!\w)")

    def __call__(self, text: str) -> str:
        pattern = self._pattern
        if pattern is None or not text:
            return text
        return pattern.sub(lambda m: self._lookup[m.group("name")], text)

    def mentions(self, text: str) -> list[str]:
        """The names found in ``text`` (for checks and tests)."""
        pattern = self._pattern
        return [] if pattern is None else [m.group("name") for m in pattern.finditer(text)]

    @cached_property
    def _folded(self) -> frozenset[str]:
        return frozenset(part.casefold() for name in self.names
                         for part in [name, *name.split()])

    def keeps_word(self, word: str) -> bool:
        """Whether a keyword may be shown: not one of the names, in any case."""
        return word.casefold() not in self._folded


def _capitalised(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
