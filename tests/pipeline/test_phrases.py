"""Phrase labels: the theme's own n-grams, ranked by closeness to the theme, MMR, small talk."""

from __future__ import annotations

import numpy as np

from focuscode.pipeline.phrases import PhraseLabeler, candidate_phrases, mmr


def test_candidates_are_the_themes_ngrams_without_fillers_names_or_stop_word_edges():
    texts = ["Honestly the waiting time for appointments was long, Ellen.",
             "Waiting time for appointments is too long, yeah.",
             "I was looking at the waiting time for appointments online."]
    phrases = candidate_phrases(texts, banned=frozenset({"ellen"}), max_words=4)
    assert "waiting time for appointments" in phrases
    assert all(len(p.split()) <= 3 for p in candidate_phrases(texts))
    assert phrases[0].startswith("waiting time") or phrases[0].endswith("appointments")
    words = {w for p in phrases for w in p.split()}
    assert not words & {"honestly", "yeah", "looking", "ellen"}
    assert all(p.split()[0] not in {"the", "for", "was"} for p in phrases)
    assert all(2 <= len(p.split()) <= 4 for p in phrases)


def test_ngrams_do_not_cross_sentences():
    phrases = candidate_phrases(["The pharmacy app. Lung doctor visits.",
                                 "The pharmacy app. Lung doctor visits."])
    assert "app lung" not in " | ".join(phrases)
    assert "pharmacy app" in phrases and "lung doctor visits" in phrases


def test_mmr_keeps_the_closest_first_then_a_different_one():
    centroid = np.array([1.0, 0.0])
    vectors = np.array([[0.99, 0.14], [0.98, 0.2], [0.7, -0.71]])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert mmr(centroid, vectors, 2, diversity=0.7) == [0, 2]
    assert mmr(centroid, vectors, 2, diversity=0.0) == [0, 1]


def _encode(texts):
    """Pharmacy words along x, appointment words along y, greetings along z."""
    rows = []
    for text in texts:
        t = set(text.lower().replace(",", "").replace(".", "").split())
        row = np.array([("pharmacy" in t) + ("app" in t) * 0.5,
                        ("appointment" in t) + ("waiting" in t) * 0.5,
                        bool(t & {"hi", "i'm", "thanks", "welcome", "introduce", "name"}) * 1.0,
                        0.05])
        rows.append(row / np.linalg.norm(row))
    return np.vstack(rows)


def test_each_theme_is_named_by_the_phrase_closest_to_it_and_small_talk_is_recognised():
    texts = ["the pharmacy app reminds me", "a pharmacy app for refills", "pharmacy app texts",
             "waiting for an appointment", "the appointment waiting list", "appointment waiting",
             "hi i'm maria thanks for having me", "hi i'm john thanks everyone",
             "hi i'm sam thanks for the invite"]
    labels = [0, 0, 0, 1, 1, 1, 2, 2, 2]
    centroids = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], dtype=float)
    labeler = PhraseLabeler(_encode, n_label_phrases=1).fit(texts, labels, centroids)
    assert labeler.labels_[0] == "pharmacy app"
    assert labeler.labels_[1] == "appointment waiting"
    two = PhraseLabeler(_encode).fit(texts, labels, centroids)
    first = two.phrases_[0][0]
    assert two.labels_[0] == first or two.labels_[0].startswith(first + " / ")
    assert labeler.small_talk_ == {2}


def test_contractions_stay_out_of_names_and_possessives_stay_in():
    texts = ["the hub i'm the hub of care", "the hub i'm the hub of care",
             "the patient's chart was lost", "the patient's chart again"]
    phrases = candidate_phrases(texts)
    assert not any("i'm" in p for p in phrases)
    assert "patient's chart" in phrases


def test_a_second_phrase_repeating_a_word_of_the_first_is_left_out():
    from focuscode.pipeline.phrases import _joined

    assert _joined(("prior authorizations", "prior auth", "insurance forms"), 2) == \
        "prior authorizations / insurance forms"
    assert _joined(("prior authorizations", "prior auth"), 2) == "prior authorizations"
