"""Speaker labels as people write them, and the file's evidence that a line start is one.

A candidate label is a short prefix of a line: before ``:`` (or a full-width colon, or a tab), or
the whole line (``Grace Liu  0:42``, ``Speaker 1 (00:00)`` and Descript's bare ``Name`` above the
text). Whether a candidate is a speaker is decided over the whole file: it is when the speakers
file names it, when it recurs, or when it reads as a name (``Dr. Lee``, ``李娜``, ``de Vries``);
a metadata word (``Note``, ``Time``) only when the speakers file names it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Collection, Iterable

TS = r"\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?(?:-\d{1,2})?"
_STAMP = rf"(?:\[(?P<Ga>{TS})\]|\((?P<Gb>{TS})\)|#(?P<Gc>{TS})#|(?P<Gd>{TS}))"
_LEAD = re.compile(
    rf"^[ \t]*(?:{_STAMP.replace('?P<G', '?P<lead')}[ \t]*(?:-[ \t]*)?)?(?:-[ \t]+)?")
_SEPARATED = re.compile(
    rf"(?P<label>[^:：\t\n]{{1,80}}?)[ \t\u00a0]*"
    rf"(?:(?:\[(?P<taila>{TS})\]|\((?P<tailb>{TS})\))[ \t]*)?(?P<sep>[:：]|\t+)")
_ALONE = re.compile(
    rf"(?P<label>[^:：\t\n]{{1,80}}?)[ \t\u00a0]*(?:(?:\[(?P<taila>{TS})\]|\((?P<tailb>{TS})\)"
    rf"|(?P<tailc>{TS}))[ \t]*)?[:：]?[ \t]*$")
_AFTER = re.compile(rf"[ \t]*{_STAMP.replace('?P<G', '?P<after')}(?:[ \t]+|[ \t]*$)")
_ASIDE = re.compile(r"\([\w .,/'\-]{1,30}\)")
_LABEL_MARKS = set(" .-_'\u2019()[]#&")
MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 6
# Words that start metadata lines ("Date: ...") rather than turns.
HEADER_KEYS = frozenset({
    "date", "time", "location", "place", "title", "subject", "note", "notes", "duration",
    "transcript", "transcription", "participants", "attendees", "present", "recorded",
    "recording", "session", "site", "topic", "project", "file", "source", "language", "http",
    "https", "www", "re", "cc", "to", "from", "sent", "ps", "nb", "e.g", "i.e", "keywords",
    "summary", "agenda", "moderator notes", "page", "webvtt", "note to self", "kind", "style",
    "region", "comment", "comments", "start", "end", "length", "speakers", "interview date",
    "transcriber", "audio", "video", "url", "tags", "created", "edited"})
PARTICLES = frozenset({"de", "van", "von", "der", "den", "da", "di", "du", "del", "la", "le",
                       "of", "bin", "al", "y", "and", "&", "mc", "ten", "ter", "dos", "das",
                       "el", "zu", "af", "st.", "bint", "ibn"})
# Fillers never make a bare line a label ("Yeah" alone on a line is speech).
_FILLERS = frozenset("yeah yes yep no nope okay ok right sure mm mhm mm-hmm uh-huh um uhm hmm "
                     "ah oh exactly absolutely true thanks thank you great good fine so well "
                     "and but".split())


def normalise_label(raw: str) -> str:
    """The label as a speaker's name: invisible characters (zero-width, bidi controls) removed,
    any space (NBSP, ideographic) one space, NFC, one enclosing ``[...]`` or ``#...#`` dropped."""
    kept = "".join(" " if unicodedata.category(ch) == "Zs" or ch in "\t" else ch
                   for ch in raw if unicodedata.category(ch) != "Cf")
    label = " ".join(unicodedata.normalize("NFC", kept).split())
    for opener, closer in (("[", "]"), ("#", "#")):
        if len(label) > 2 and label[0] == opener and label[-1] == closer \
                and opener not in label[1:-1] and closer not in label[1:-1]:
            label = label[1:-1].strip()
    return label


def label_key(label: str) -> str:
    return normalise_label(label).casefold()


@dataclass(frozen=True)
class Candidate:
    """A line start that may be a speaker label; offsets are relative to the line."""

    label: str  # normalised
    kind: str  # "colon", "tab" or "alone"
    text_start: int  # where what was said starts (the line's end for "alone")
    time: float | None

    @property
    def key(self) -> str:
        return self.label.casefold()


def find_candidate(line: str) -> Candidate | None:
    """The label-like start of ``line``, or None."""
    if not line.strip():
        return None
    lead = _LEAD.match(line)
    position = lead.end()
    lead_time = _stamp(lead, "lead")
    sep = _SEPARATED.match(line, position)
    if sep is not None:
        after = line[sep.end():]
        if sep["sep"] == ":" and after[:1] and (after[0].isdigit() or after[0] in "/\\"):
            sep = None
        elif sep["sep"][0] == "\t" and not after.strip():
            sep = None
    if sep is not None:
        label = normalise_label(sep["label"])
        if plausible(label):
            text_start = sep.end()
            after = _AFTER.match(line, text_start)
            after_time = _stamp(after, "after") if after else None
            if after:
                text_start = after.end()
            rest = line[text_start:]
            text_start += len(rest) - len(rest.lstrip())
            time = _first(lead_time, _tail(sep), after_time)
            kind = "tab" if sep["sep"][0] == "\t" else "colon"
            return Candidate(label, kind, text_start if rest.strip() else len(line), time)
    alone = _ALONE.fullmatch(line, position)
    if alone is not None:
        label = normalise_label(alone["label"])
        if plausible(label) and label[-1] not in ".,;!?" and any(ch.isalpha() for ch in label):
            return Candidate(label, "alone", len(line), _first(lead_time, _tail(alone)))
    return None


def plausible(label: str) -> bool:
    """Short, of name characters, and holding a letter or digit."""
    if not label or len(label) > MAX_LABEL_CHARS or len(label.split()) > MAX_LABEL_WORDS:
        return False
    if not (label[0].isalnum() or label[0] in "[#"):
        return False
    if not any(ch.isalpha() for ch in label):
        return False
    outside = _ASIDE.sub("()", label)  # "P3 (F, 52)": an aside may hold commas and slashes
    return all(ch.isalnum() or ch in _LABEL_MARKS or unicodedata.category(ch)[0] == "M"
               for ch in outside)


def name_like(label: str) -> bool:
    """Whether a label seen once reads as a name: capitalised words (particles such as ``de``
    allowed), digits, or a script without capitals (``李娜``)."""
    words = label.split()
    if not words:
        return False
    capitals = 0
    for word in words:
        head = word.lstrip("([#")
        if not head:
            return False
        first = head[0]
        if first.isupper() or first.isdigit() or (first.isalpha() and not first.islower()):
            capitals += 1
        elif word.casefold() not in PARTICLES:
            return False
    return capitals > 0


def is_metadata(key: str) -> bool:
    words = key.split()
    return key in HEADER_KEYS or (len(words) == 1 and words[0].rstrip(".") in HEADER_KEYS)


class LabelEvidence:
    """Decide which candidates are speakers from the whole file's evidence.

    Parameters
    ----------
    candidates : every candidate of the file (its recurrences count).
    known : casefolded labels (and aliases) of the speakers file.
    """

    def __init__(self, candidates: Iterable[Candidate], known: Collection[str] = ()) -> None:
        self.counts = Counter(candidate.key for candidate in candidates)
        self.known = frozenset(label_key(label) for label in known)
        # IDs shaped like recurring IDs ("nR1-07" beside "R1-19" and "nR1-04") are IDs too.
        self.id_shapes = {shape for key, n in self.counts.items() if n >= 2
                          for shape in [_shape(key)] if "9" in shape and not is_metadata(key)}

    def verdict(self, candidate: Candidate, *, text_follows: bool = True,
                starts_block: bool = True, timed: bool = False,
                paragraphs: bool = False) -> str | None:
        """None when ``candidate`` is a speaker label, else why it is read as text. ``timed``:
        a cue's timing line stands right above it (Teams); ``paragraphs``: the file's turns are
        separated by blank lines, so a one-off label inside a paragraph is speech."""
        key = candidate.key
        if key in self.known:
            return None
        if is_metadata(key):
            return f"'{candidate.label}' is a metadata word, not in the speakers file"
        recurs = self.counts[key] >= 2
        if candidate.kind == "alone":
            if not text_follows:
                return "no text follows it"
            if key in _FILLERS:
                return "a filler word on its own line"
            if (candidate.time is not None or timed) and (recurs or name_like(candidate.label)):
                return None
            if recurs and starts_block and name_like(candidate.label):
                return None
            return "a line on its own that does not recur as a speaker"
        if recurs or _shape(key) in self.id_shapes:
            return None
        if not name_like(candidate.label):
            return "appears once and does not read as a name"
        if paragraphs and not starts_block:
            return "appears once, inside a paragraph (turns here start after a blank line)"
        return None


def _first(*times: float | None) -> float | None:
    return next((time for time in times if time is not None), None)


def _shape(key: str) -> str:
    """``"nr1-04"`` -> ``"a9-9"``: runs of letters and of digits folded."""
    return re.sub(r"\d+", "9", re.sub(r"[^\W\d_]+", "a", key))


def _stamp(match: re.Match | None, group: str) -> float | None:
    if match is None:
        return None
    stamp = next((match[group + s] for s in "abcd" if match[group + s]), None)
    return to_seconds(stamp)


def _tail(match: re.Match) -> float | None:
    stamp = next((match.groupdict().get("tail" + s) for s in "abc"
                  if match.groupdict().get("tail" + s)), None)
    return to_seconds(stamp)


def to_seconds(stamp: str | None) -> float | None:
    """``"01:02:03.5"`` -> 3723.5; ``"02:03"`` -> 123.0; f4's ``"00:01:02-3"`` -> 62.3."""
    if not stamp:
        return None
    stamp = stamp.replace(",", ".")
    tenths = 0.0
    if "-" in stamp:
        stamp, fraction = stamp.split("-", 1)
        tenths = float(f"0.{fraction}")
    seconds = 0.0
    for part in stamp.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds + tenths
