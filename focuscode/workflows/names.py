"""Names to take out of quotes: the speakers' (labels, aliases), the speakers file's ``redact:``
list, and candidates found in the transcripts that the researcher confirmed
(``focuscode names``). Stored in the project's settings; every de-identified export uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from focuscode.domain import DecisionError
from focuscode.domain.deidentify import Deidentifier
from focuscode.pipeline.ingest.speakers import SpeakerMap
from focuscode.pipeline.person_names import NameCandidate, NameCandidates
from focuscode.store import ProjectStore

SETTING = "deidentify"  # {"aliases": {label: [...]}, "redact": [...], "reviewed": {name: ...}}
CONFIRMED, DROPPED = "confirmed", "dropped"


@dataclass(frozen=True)
class NameReview:
    """A candidate with the researcher's decision (None: not reviewed yet)."""

    candidate: NameCandidate
    decision: str | None = None


def remember_speaker_names(store: ProjectStore, speaker_map: SpeakerMap) -> None:
    """Keep a speakers file's aliases and ``redact:`` names in the project (redact names add up
    over imports; a speaker's aliases are the latest file's)."""
    if not speaker_map.spellings and not speaker_map.redact:
        return
    stored = _stored(store)
    stored["aliases"] = {**stored["aliases"], **{k: list(v) for k, v in
                                                 speaker_map.spellings.items()}}
    stored["redact"] = list(dict.fromkeys([*stored["redact"], *speaker_map.redact]))
    store.set_setting(SETTING, stored)


class Names:
    """The project's names to de-identify, and the review of candidates."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store

    def listed(self) -> list[str]:
        """Other people's names: the speakers file's ``redact:`` and confirmed candidates."""
        stored = _stored(self.store)
        confirmed = [n for n, d in stored["reviewed"].items() if d == CONFIRMED]
        return list(dict.fromkeys([*stored["redact"], *confirmed]))

    def speaker_names(self) -> list[str]:
        """Labels and aliases of the speakers who have a pseudonym."""
        aliases = _stored(self.store)["aliases"]
        return [name for s in self.store.speakers() if s.pseudonym
                for name in (s.label, *aliases.get(s.label, ()))]

    def candidates(self) -> list[NameReview]:
        """Capitalised words of the transcripts that may be names, with any decision on them."""
        texts = [t.text for t in self.store.transcripts()]
        stored = _stored(self.store)
        known = [*self.speaker_names(), *(s.label for s in self.store.speakers()),
                 *stored["redact"]]
        found = NameCandidates().fit(texts, known).candidates_
        return [NameReview(c, stored["reviewed"].get(c.name)) for c in found]

    def decide(self, names: Sequence[str], decision: str | None) -> list[str]:
        """Confirm (``"confirmed"``), drop (``"dropped"``) or un-review (None) ``names``."""
        if decision not in (CONFIRMED, DROPPED, None):
            raise DecisionError(f"unknown decision '{decision}'")
        names = [" ".join(n.split()) for n in names if n.strip()]
        if not names:
            raise DecisionError("no name given", hint="e.g. focuscode names --confirm Diane")
        stored = _stored(self.store)
        for name in names:
            if decision is None:
                stored["reviewed"].pop(name, None)
            else:
                stored["reviewed"][name] = decision
        self.store.set_setting(SETTING, stored)
        return names

    def deidentifier(self) -> Deidentifier:
        """What de-identified exports apply to quoted text."""
        aliases = _stored(self.store)["aliases"]
        return Deidentifier.build(
            [(s.label, s.pseudonym, aliases.get(s.label, ())) for s in self.store.speakers()
             if s.pseudonym], self.listed())


def _stored(store: ProjectStore) -> dict:
    value = store.get_setting(SETTING) or {}
    return {"aliases": dict(value.get("aliases") or {}),
            "redact": list(value.get("redact") or []),
            "reviewed": dict(value.get("reviewed") or {})}
