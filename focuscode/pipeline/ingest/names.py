"""Recognising speaker labels and timestamps in transcript lines."""

from __future__ import annotations

import re

TIMESTAMP = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
# A label: up to six words, the first starting with a letter; e.g. "Dr. Anand Shah", "P3",
# "SPEAKER_01".
_NAME = r"[^\W\d_][\w.'\u2019\-]*(?:[ \t]+[\w.'\u2019\-()&]+){0,5}?"
_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "del", "la", "le", "of", "bin",
              "al", "y", "and", "&", "mc"}
# Words that start metadata lines ("Date: ...") rather than turns.
_HEADER_KEYS = {"date", "time", "location", "place", "title", "subject", "note", "notes",
                "duration", "transcript", "transcription", "participants", "attendees", "present",
                "recorded", "recording", "session", "site", "topic", "project", "file", "source",
                "language", "http", "https", "www", "re", "cc", "to", "from", "sent", "ps", "nb",
                "e.g", "i.e", "keywords", "summary", "agenda", "moderator notes", "page", "webvtt",
                "note to self"}

SPEAKER_LINE = re.compile(
    rf"^[ \t]*(?:\[(?P<ts1>{TIMESTAMP})\][ \t]*|\((?P<ts2>{TIMESTAMP})\)[ \t]*"
    rf"|(?P<ts3>{TIMESTAMP})[ \t]+)?"
    rf"(?:-[ \t]*)?(?P<name>{_NAME})[ \t]*+"
    rf"(?:\[(?P<ts4>{TIMESTAMP})\]|\((?P<ts5>{TIMESTAMP})\))?"
    rf"[ \t]*:(?![/\\\d])[ \t]*(?P<text>.*)$"
)
# Otter-style header: "Grace Liu  0:42" alone on a line, the turn's text on the lines below.
HEADER_LINE = re.compile(rf"^[ \t]*(?P<name>{_NAME})[ \t]+(?P<ts>{TIMESTAMP})[ \t]*$")
NOTE_LINE = re.compile(r"^[ \t]*[\[(][^\])]*[\])][ \t]*$")
# Possessive ``*+`` above and no nested openers here: a long run of blanks or of '<' must cost
# linear time, not quadratic (a 2 MB line would otherwise take half an hour).
# A tag opens with a letter, digit or '/' and stays on its line: "a < b, c > d" is speech.
_TAG = re.compile(r"</?[\w.:][^<>\n]{0,80}>|\{\\[^{}\n]{0,80}\}")


def is_label(name: str) -> bool:
    """Whether ``name`` reads as a speaker label rather than the start of a sentence."""
    words = name.split()
    if not words or len(words) > 6 or name.casefold() in _HEADER_KEYS:
        return False
    if words[0].casefold() in _HEADER_KEYS and len(words) == 1:
        return False
    first = words[0]
    if not (first[0].isupper() or first[0].isdigit()):
        return False
    for word in words[1:]:
        head = word.lstrip("(")
        if not head:
            return False
        if not (head[0].isupper() or head[0].isdigit() or word.casefold() in _PARTICLES):
            return False
    return True


def clean_label(name: str) -> str:
    return " ".join(name.split())


def strip_tags(text: str) -> str:
    """Remove WebVTT/SRT styling tags (``<i>``, ``{\\an8}``) and fold whitespace."""
    return " ".join(_TAG.sub("", text).split())


def to_seconds(stamp: str | None) -> float | None:
    """``"01:02:03.5"`` -> 3723.5; ``"02:03"`` -> 123.0 (minutes and seconds)."""
    if not stamp:
        return None
    parts = stamp.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
