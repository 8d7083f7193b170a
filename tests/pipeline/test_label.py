"""KeywordLabeler (class-based TF-IDF) and exemplar ranking."""

from __future__ import annotations

import numpy as np

from focuscode.pipeline.label import KeywordLabeler, rank_exemplars, stop_words

TEXTS = [
    "The pharmacy ran out of my inhaler again, yeah, you know",
    "Pharmacy shortages of the inhaler mean driving around town",
    "My inhaler refill at the pharmacy took a whole week",
    "Waiting months for the rheumatologist appointment, honestly",
    "The appointment with the rheumatologist was cancelled twice",
    "Rheumatologist appointment waiting lists are really long",
    "I think Ellen said the weather was nice",
]
LABELS = [0, 0, 0, 1, 1, 1, -1]


def test_distinctive_words_per_theme():
    labeler = KeywordLabeler(n_keywords=3, ngram_range=(1, 1)).fit(TEXTS, LABELS)
    assert labeler.keywords_ == {0: ("inhaler", "pharmacy", "driving"),
                                 1: ("appointment", "rheumatologist", "waiting")}
    assert labeler.labels_ == {0: "inhaler / pharmacy / driving",
                               1: "appointment / rheumatologist / waiting"}


def test_stop_words_never_come_out():
    labeler = KeywordLabeler(n_keywords=50).fit(TEXTS, LABELS)
    words = {word for keywords in labeler.keywords_.values()
             for term in keywords for word in term.split()}
    assert words & set(stop_words()) == set()
    assert {"yeah", "know", "really", "the", "think"} & words == set()


def test_extra_stop_words_never_come_out_whatever_their_case():
    labeler = KeywordLabeler(n_keywords=50, extra_stop_words=["Inhaler", "APPOINTMENT"]).fit(
        TEXTS, LABELS)
    words = {word for keywords in labeler.keywords_.values()
             for term in keywords for word in term.split()}
    assert {"inhaler", "appointment"} & words == set()
    assert labeler.keywords_[0][0] == "pharmacy"
    assert labeler.keywords_[1][0] == "rheumatologist"


def test_outliers_get_no_keywords_and_words_are_not_repeated():
    labeler = KeywordLabeler(n_keywords=8).fit(TEXTS, LABELS)
    assert set(labeler.keywords_) == {0, 1}
    for keywords in labeler.keywords_.values():
        assert len(keywords) == len(set(keywords)) <= 8
        assert "ellen" not in " ".join(keywords) and "weather" not in " ".join(keywords)


def test_theme_of_only_stop_words_gets_a_numbered_label():
    labeler = KeywordLabeler().fit(["yeah okay", "ok yes um"], [0, 0])
    assert (labeler.keywords_, labeler.labels_) == ({0: ()}, {0: "theme 1"})


def test_no_themes_gives_empty_keywords():
    labeler = KeywordLabeler().fit(["a thing", "another"], [-1, -1])
    assert (labeler.keywords_, labeler.labels_) == ({}, {})


def test_rank_exemplars_closest_to_centroid_first():
    X = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0], [0.6, -0.8]])
    labels = np.array([0, 0, 1, 1, -1])
    centroids = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert rank_exemplars(X, labels, centroids, n=5) == {0: [0, 1], 1: [3, 2]}
    assert rank_exemplars(X, labels, centroids, n=1) == {0: [0], 1: [3]}
