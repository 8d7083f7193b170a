"""The one tokeniser: words of any script, apostrophes of any kind, and every user of words
(keywords, phrases, perspectives, quotes, the segmenter, search, the hashing embedder) reading
text through it."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from focuscode.domain import tokens
from focuscode.domain.quoting import n_spoken_words
from focuscode.domain.review import search_terms
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.pipeline.label import KeywordLabeler
from focuscode.pipeline.phrases import candidate_phrases
from focuscode.pipeline.quotes import QuoteRanker
from focuscode.pipeline.segment import FILLERS, count_content_words, is_backchannel

# Letters of several scripts, digits, every apostrophe, hyphens, dashes and punctuation.
ALPHABET = "aeiouptnrs" "AEPT" "éèüößçñøå" "ÉÜ" "ıłđ" "αβγ" "дж" "0129" "'’ʼ" "--–—" " .,;!?\"()"
texts = st.text(alphabet=ALPHABET, max_size=80)


def test_words_of_any_script_and_every_apostrophe() -> None:
    assert tokens.words("Le café est très bon, ça va?") == ["le", "café", "est", "très", "bon",
                                                           "ça", "va"]
    assert tokens.words("Frau Müller’s Übergröße") == ["frau", "müller's", "übergröße"]
    assert tokens.words("I don’t — we didnʼt — well-being isn't naïve") == [
        "i", "don't", "we", "didn't", "well-being", "isn't", "naïve"]
    assert tokens.tokens("covid-19 in 2019, HbA1c") == ["covid-19", "in", "2019", "hba1c"]
    assert tokens.words("covid-19 in 2019, HbA1c") == ["covid-19", "in", "hba1c"]  # no numbers


def test_word_count_counts_words_and_numbers_not_dashes_or_dots() -> None:
    assert tokens.word_count("I -- I mean, it’s 45 minutes... [laughs]") == 7
    assert tokens.word_count("-- ... – —") == 0
    assert tokens.word_count("Gesundheitsversorgung für Ärztinnen") == 3


def test_vocabulary_cuts_possessives_and_leaves_out_contractions_and_stop_words() -> None:
    text = "The patient’s doctor didn’t listen; I'm sure the doctors' time is short"
    assert tokens.vocabulary(text) == ["the", "patient", "doctor", "listen", "sure", "the",
                                       "doctors", "time", "is", "short"]
    assert tokens.vocabulary(text, {"the", "is"}) == ["patient", "doctor", "listen", "sure",
                                                      "doctors", "time", "short"]
    assert tokens.vocabulary("Ärztin’s Sprechstunde ist zu kurz") == [
        "ärztin", "sprechstunde", "ist", "zu", "kurz"]


def test_names_are_read_as_the_text_is() -> None:
    assert tokens.name_words(["Dr. O’Neil", "Caregiver 2", "Zoë Müller-Lüdenscheidt"]) == {
        "dr", "o'neil", "caregiver", "zoë", "müller-lüdenscheidt"}


@given(texts)
def test_tokens_are_normalised_and_read_again_the_same(text: str) -> None:
    found = tokens.tokens(text)
    assert all(t == t.lower() and "’" not in t and "ʼ" not in t for t in found)
    assert all(tokens.TOKEN.fullmatch(t) for t in found)
    assert tokens.tokens(" ".join(found)) == found
    assert tokens.tokens(text.lower()) == found
    assert tokens.word_count(text) == len(found)
    assert set(tokens.words(text)) <= set(found)
    assert all(w in tokens.words(text) or w + "'s" in tokens.words(text)
               for w in tokens.vocabulary(text))


@given(st.text(alphabet="abcxyz019' -.,ABC", max_size=60))
def test_hashing_features_are_the_old_ascii_rule(text: str) -> None:
    """The test embedder's vectors, and so every test project's themes, did not change."""
    assert tokens.hashing_features(text) == re.findall(r"[a-z0-9']+", text.lower())


# every user agrees with the tokeniser ----------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(st.lists(texts, min_size=2, max_size=4))
def test_keywords_are_the_vocabulary_of_their_theme(documents: list[str]) -> None:
    labels = list(range(len(documents)))
    fitted = KeywordLabeler(n_keywords=20, ngram_range=(1, 1)).fit(documents, labels)
    for theme, words in fitted.keywords_.items():
        assert set(words) <= set(tokens.vocabulary(documents[theme]))


@given(texts)
def test_phrases_are_runs_of_the_words(text: str) -> None:
    said = " ".join(tokens.words(text))
    for phrase in candidate_phrases([text], min_words=1):
        assert set(phrase.split()) <= set(tokens.words(text)) and phrase in said


@given(texts)
def test_quote_lengths_and_the_segmenters_words_are_the_tokenisers(text: str) -> None:
    assert n_spoken_words(text) == tokens.word_count(re.sub(r"\[[^\]]*\]", " ", text))
    unbracketed = re.sub(r"[\[\]()]", " ", text)
    content = [t for t in tokens.tokens(unbracketed) if t not in FILLERS]
    assert count_content_words(unbracketed) == len(content)
    assert is_backchannel(unbracketed) == (len(tokens.tokens(unbracketed)) <= 6
                                           and not content)
    ranked = QuoteRanker(max_words=tokens.word_count(text) - 1).fit(None, [text], ["patient"])
    assert ranked.ranking_ == []  # one word too long for the ranker


@given(st.text(alphabet=ALPHABET.replace('"', ""), max_size=40))
def test_search_reads_words_as_the_full_text_index(query: str) -> None:
    assert [t.words for t in search_terms(query)] == [(w,) for w in tokens.search_words(query)]


@given(texts)
def test_the_hashing_embedder_hashes_the_tokenisers_features(text: str) -> None:
    embedder = HashingEmbedder()
    again = " ".join(tokens.hashing_features(text))
    assert np.array_equal(embedder.encode([text]), embedder.encode([again]))
