"""Quote suggestions: central, diverse, every role and speaker heard, no fragments."""

from __future__ import annotations

import numpy as np

from focuscode.pipeline.quotes import QuoteRanker, is_fragment

WHOLE = "We waited three weeks for the approval and nobody could tell us why."


def test_fragments_are_short_cut_off_or_start_mid_sentence():
    assert is_fragment("Yes, exactly.")
    assert is_fragment("and then we waited three weeks for the approval to come through")
    assert is_fragment("We waited three weeks for the approval to come through and -")
    assert not is_fragment(WHOLE)


def _theme() -> tuple[np.ndarray, list[str], list[str]]:
    """Four physicians (speakers A, A, B, B) and a patient (C); row 4 is the most central."""
    X = np.array([[1.0, 0.0], [0.99, 0.14], [0.9, 0.44], [0.6, 0.8], [0.92, 0.39]])
    X = X / np.linalg.norm(X, axis=1, keepdims=True)
    return X, ["physician", "physician", "physician", "patient", "physician"], \
        ["A", "A", "B", "C", "B"]


def test_roles_not_heard_come_first_then_speakers_not_quoted():
    X, roles, speakers = _theme()
    ranker = QuoteRanker(n_quotes=5, diversity=0.0).fit(X, [WHOLE] * 5, roles, speakers)
    # the most central; the patient; then A (1) before B's more central row 2
    assert ranker.ranking_ == [4, 3, 1, 2, 0]


def test_quotes_already_picked_count_as_heard_and_are_never_suggested():
    X, roles, speakers = _theme()
    ranker = QuoteRanker(n_quotes=3).fit(X, [WHOLE] * 5, roles, speakers, picked=[2])
    assert ranker.ranking_[:2] == [3, 1] and 2 not in ranker.ranking_
    again = QuoteRanker(n_quotes=5).fit(X, [WHOLE] * 5, roles, speakers, picked=[4, 3])
    assert again.ranking_[0] in (0, 1) and sorted(again.ranking_) == [0, 1, 2]


def test_without_embeddings_fragments_still_go_last():
    texts = ["Yes.", WHOLE, "Right, right."]
    ranker = QuoteRanker(n_quotes=3).fit(None, texts, ["patient"] * 3)
    assert ranker.ranking_ == [1]


def test_interrupted_cut_and_mid_sentence_segments_are_fragments():
    assert is_fragment("I mean, I'll own that, steroids and glucose, we should be flagging it --")
    assert is_fragment("-- we should, yes. No, you're right, we should flag that every time.")
    assert is_fragment("And the thing with the trials is that it wasn't really about us...")
    assert is_fragment("So the pharmacist is the one who actually talks to me about it, and…")
    assert is_fragment("So the pharmacist is the one who actually knows my meds, [crosstalk]")
    assert not is_fragment("“So the pharmacist is the one who explains it to me.” [laughs]")


def test_without_embeddings_relevance_orders_and_preferred_rows_go_first():
    texts = [WHOLE] * 4 + ["We waited three weeks for the approval and then --"]
    roles = ["patient", "patient", "caregiver", "patient", "caregiver"]
    speakers = ["a", "b", "c", "d", "e"]
    ranker = QuoteRanker(n_quotes=4).fit(None, texts, roles, speakers,
                                         relevance=[0.2, 0.9, 0.1, 0.5, 1.0])
    # the most typical, then the caregiver (any role the user has, not a fixed list), no fragment
    assert ranker.ranking_ == [1, 2, 3, 0]
    confirmed = QuoteRanker(n_quotes=2).fit(None, texts, roles, speakers,
                                            relevance=[0.2, 0.9, 0.1, 0.5, 1.0],
                                            preferred=[False, False, False, True, False])
    assert confirmed.ranking_ == [3, 2]
