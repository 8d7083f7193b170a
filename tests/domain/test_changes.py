"""The typed changes of a decision: key, inverse and JSON form, one class per kind."""

from __future__ import annotations

import pytest

from focuscode.domain import DecisionError
from focuscode.domain.changes import (
    KINDS,
    NEW_CODE,
    CodeChange,
    CodingChange,
    MembershipChange,
    QuoteChange,
    RunStatusChange,
    ThemeLinkChange,
    ThemeStatusChange,
    change_from_json,
)

EXAMPLES = [
    CodingChange(segment_id=2, code_id=1, coder="rita", before=None, after="confirmed"),
    CodeChange(code_id=1, field="name", before="Trust", after="Lost trust"),
    ThemeLinkChange(theme_id=5, before=None, after=1),
    ThemeStatusChange(theme_id=5, before="active", after="deleted"),
    MembershipChange(run_id=1, segment_id=2, before=5, after=None),
    MembershipChange(run_id=1, segment_id=2, field="moved_from", before=None, after=5),
    QuoteChange(quote_id=3, field="starred", before=0, after=1),
    RunStatusChange(run_id=2, previous=1, before="pending", after="active"),
]


@pytest.mark.parametrize("change", EXAMPLES, ids=lambda c: c.kind)
def test_json_form_round_trips_and_inverse_swaps(change) -> None:
    data = change.to_json()
    assert data["kind"] == change.kind and change_from_json(data) == change
    assert change.inverse().key == change.key
    assert (change.inverse().before, change.inverse().after) == (change.after, change.before)
    assert change.inverse().inverse() == change


def test_every_kind_has_one_class_and_the_log_form_is_unchanged() -> None:
    assert set(KINDS) == {c.kind for c in EXAMPLES}
    assert EXAMPLES[0].to_json() == {"kind": "coding", "segment_id": 2, "code_id": 1,
                                     "coder": "rita", "before": None, "after": "confirmed"}
    assert "field" not in EXAMPLES[4].to_json()  # a theme membership, as logged before
    assert EXAMPLES[4].key != EXAMPLES[5].key


def test_changes_are_frozen_and_the_new_code_placeholder_is_filled() -> None:
    with pytest.raises(AttributeError):
        EXAMPLES[1].after = "x"  # type: ignore[misc]
    link = ThemeLinkChange(theme_id=5, before=None, after=NEW_CODE).with_new_code(7)
    assert link == ThemeLinkChange(theme_id=5, before=None, after=7)


@pytest.mark.parametrize("data", [{"kind": "vote", "before": 1, "after": 2},
                                  {"kind": "coding", "segment_id": 1, "before": None}])
def test_unknown_or_incomplete_json_is_a_decision_error(data) -> None:
    with pytest.raises(DecisionError):
        change_from_json(data)
