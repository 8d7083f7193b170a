"""Words: focuscode's one tokeniser (standard library only).

A *token* is a run of letters or digits of any script, joined by single inner hyphens or
apostrophes: "well-being", "don't", "covid-19", "a1c", "café", "Müller", "2019". Curly and
modifier apostrophes (’ ʼ) count as ', and case is folded to lower case. From tokens:

- :func:`word_count`: words said (a quote's length, the segmenter's content words);
- :func:`words`: tokens with a letter, numbers left out (the phrases theme names are made of);
- :func:`vocabulary`: words that carry meaning, for counting (keywords and c-TF-IDF labels,
  perspectives' distinctive words): a possessive's "'s" cut off ("patient's" -> "patient"),
  contractions ("don't", "i'm") and one-letter words left out, as are the stop words given;
  :func:`keyword_vectorizer_options` hands this rule to scikit-learn's ``CountVectorizer``.

Two variants keep rules that are deliberately other:

- :func:`search_words`: the workbench's search reads words as SQLite FTS5's ``unicode61``
  tokenizer does (runs of word characters, apostrophes and hyphens splitting);
- :func:`hashing_features`: the deterministic test embedder's features, runs of letters, digits
  and apostrophes split at hyphens (its vectors, and so every test project's themes, stay as
  they are).
"""

from __future__ import annotations

import re
from typing import Callable, Collection, Iterable

_TO_APOSTROPHE = str.maketrans({"\u2019": "'", "\u02bc": "'"})
_ALNUM = r"[^\W_]+"  # letters or digits, any script
TOKEN = re.compile(rf"{_ALNUM}(?:['-]{_ALNUM})*")
SEARCH_WORD = re.compile(r"\w+")
HASHING_FEATURE = re.compile(r"(?:[^\W_]|')+")


def normalise(text: str) -> str:
    """Lower case, every apostrophe as '."""
    return text.lower().translate(_TO_APOSTROPHE)


def tokens(text: str) -> list[str]:
    """Every token of ``text``, normalised: words and numbers."""
    return TOKEN.findall(normalise(text))


def word_count(text: str) -> int:
    """How many words (numbers included) ``text`` says; punctuation such as "--" is none."""
    return len(TOKEN.findall(text.translate(_TO_APOSTROPHE)))


def words(text: str) -> list[str]:
    """The tokens of ``text`` that have a letter: its words, numbers left out."""
    return [token for token in tokens(text) if not token.isdigit() and _has_letter(token)]


def _has_letter(token: str) -> bool:
    return any(character.isalpha() for character in token)


def meaning_word(word: str) -> str | None:
    """The word as it counts for meaning: a possessive without its "'s", ``None`` for a
    contraction or a one-letter word."""
    if word.endswith("'s"):
        word = word[:-2]
    if "'" in word or len(word) < 2:
        return None
    return word


def vocabulary(text: str, stop_words: Collection[str] = frozenset()) -> list[str]:
    """The words of ``text`` that carry meaning (see :func:`meaning_word`), stop words left out."""
    kept = (meaning_word(word) for word in words(text))
    return [word for word in kept if word is not None and word not in stop_words]


def keyword_vectorizer_options() -> dict[str, Callable[[str], list[str]] | None | bool]:
    """``CountVectorizer(**keyword_vectorizer_options(), stop_words=...)`` counts the
    :func:`vocabulary` (its stop words are then left out by the vectorizer, before n-grams)."""
    return {"tokenizer": vocabulary, "token_pattern": None, "lowercase": False}


def search_words(text: str) -> list[str]:
    """The words of a search, as the full-text index reads them (not lower-cased)."""
    return SEARCH_WORD.findall(text)


def hashing_features(text: str) -> list[str]:
    """The hashing test embedder's features of ``text``."""
    return HASHING_FEATURE.findall(normalise(text))


def name_words(names: Iterable[str]) -> set[str]:
    """The words of people's names (speakers' labels, names to redact), as :func:`words` reads
    them in the text: stop words for keywords, phrases and distinctive words."""
    return {word for name in names for word in words(name)}
