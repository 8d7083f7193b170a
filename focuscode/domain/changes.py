"""The changes a decision is made of: one frozen class per kind, each with its key (the piece
of state it sets), its inverse (what undoes it) and its JSON form (as the log stores it).

``before`` is the state the decision was made against (the log refuses the change when the
state is no longer that), ``after`` the state it leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Mapping

from focuscode.domain.errors import DecisionError

NEW_CODE = "__new_code__"  # in create_code's extra changes: the id of the code being created


@dataclass(frozen=True, kw_only=True)
class Change:
    kind: ClassVar[str] = ""
    before: Any
    after: Any

    @property
    def key(self) -> tuple:
        """The piece of state this change sets (two changes of one key form a chain)."""
        raise NotImplementedError

    def inverse(self) -> "Change":
        return replace(self, before=self.after, after=self.before)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, **{f.name: getattr(self, f.name) for f in fields(self)}}

    def with_new_code(self, code_id: int) -> "Change":
        """This change with the ``NEW_CODE`` placeholder replaced by ``code_id``."""
        return replace(self, **{f.name: code_id for f in fields(self)
                                if getattr(self, f.name) == NEW_CODE})


@dataclass(frozen=True, kw_only=True)
class CodingChange(Change):
    """Segment S carries code C for coder X: None | confirmed | rejected."""

    kind: ClassVar[str] = "coding"
    segment_id: int
    code_id: int
    coder: str

    @property
    def key(self) -> tuple:
        return ("coding", self.segment_id, self.code_id, self.coder)


@dataclass(frozen=True, kw_only=True)
class CodeChange(Change):
    """A field of a code (its status brings a code to life or retires it)."""

    kind: ClassVar[str] = "code"
    code_id: int
    field: str

    @property
    def key(self) -> tuple:
        return ("code", self.code_id, self.field)


@dataclass(frozen=True, kw_only=True)
class ThemeLinkChange(Change):
    """The code a theme is accepted as (``themes.code_id``)."""

    kind: ClassVar[str] = "theme_link"
    theme_id: int

    @property
    def key(self) -> tuple:
        return ("theme_link", self.theme_id)


@dataclass(frozen=True, kw_only=True)
class ThemeStatusChange(Change):
    """A theme's status: active | pending | split | deleted."""

    kind: ClassVar[str] = "theme_status"
    theme_id: int

    @property
    def key(self) -> tuple:
        return ("theme_status", self.theme_id)


@dataclass(frozen=True, kw_only=True)
class MembershipChange(Change):
    """A segment's theme in a run (``theme_id``) or the theme it was moved out of."""

    kind: ClassVar[str] = "membership"
    run_id: int
    segment_id: int
    field: str = "theme_id"

    @property
    def key(self) -> tuple:
        return ("membership", self.run_id, self.segment_id, self.field)

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        if self.field == "theme_id":  # the form the log has always stored
            del data["field"]
        return data


@dataclass(frozen=True, kw_only=True)
class QuoteChange(Change):
    """A field of a quote (its status brings a quote to life or removes it)."""

    kind: ClassVar[str] = "quote"
    quote_id: int
    field: str

    @property
    def key(self) -> tuple:
        return ("quote", self.quote_id, self.field)


@dataclass(frozen=True, kw_only=True)
class RunStatusChange(Change):
    """A re-analysis put in effect (pending -> active) over the ``previous`` run."""

    kind: ClassVar[str] = "run_status"
    run_id: int
    previous: int | None = None

    @property
    def key(self) -> tuple:
        return ("run_status", self.run_id)


KINDS: dict[str, type[Change]] = {cls.kind: cls for cls in (
    CodingChange, CodeChange, ThemeLinkChange, ThemeStatusChange, MembershipChange, QuoteChange,
    RunStatusChange)}


def change_from_json(data: Mapping[str, Any] | Change) -> Change:
    """A change from its JSON form (a change is returned as it is)."""
    if isinstance(data, Change):
        return data
    cls = KINDS.get(str(data.get("kind")))
    if cls is None:
        raise DecisionError(f"unknown change kind {data.get('kind')!r}")
    names = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in data.items() if k in names})
    except TypeError as error:
        raise DecisionError(f"a {cls.kind} change is incomplete: {error}") from None
