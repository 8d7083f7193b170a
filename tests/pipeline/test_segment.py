"""Turns to segments: whole short turns, sentence windows of long ones, and exclusions."""

from __future__ import annotations

import pytest

from focuscode.domain import ExclusionReason, Segment, Turn
from focuscode.pipeline.ingest import parse_transcript
from focuscode.pipeline.segment import TurnSegmenter, is_backchannel

ROLES = {"Moderator": "moderator", "Ana Silva": "patient", "Ben Okoro": "patient"}


def turn_at(prefix: str, text: str, index: int = 0, speaker: str = "Ana Silva") -> tuple[str, Turn]:
    source = prefix + text
    return source, Turn(index=index, speaker=speaker, start=len(prefix), end=len(source),
                        text=text, start_time=12.5)


def sentence(i: int) -> str:
    return f"Sentence {i} is about the waiting room and the long delays before anyone sees us."


def test_short_turn_is_one_segment_without_surrounding_space():
    said = "I waited four months to see a rheumatologist."
    source, turn = turn_at("Ana Silva: ", f"  {said}  ")
    start = len("Ana Silva:   ")
    assert TurnSegmenter().transform([turn], ROLES) == [Segment(
        turn_index=0, index=0, start=start, end=start + len(said), text=said, excluded=None,
        speaker="Ana Silva", role="patient", start_time=12.5)]
    assert source[start:start + len(said)] == said


def test_long_turn_splits_into_sentence_windows_inside_the_turn():
    text = " ".join(sentence(i) for i in range(12))  # 12 sentences of 15 words
    source, turn = turn_at("[00:00:12] Ana Silva: ", text)
    segments = TurnSegmenter(max_words=80, window_words=50).transform([turn], ROLES)
    assert [s.text for s in segments] == [
        " ".join(sentence(i) for i in range(k, k + 3)) for k in range(0, 12, 3)]
    assert [s.index for s in segments] == [0, 1, 2, 3]
    for segment in segments:
        assert source[segment.start:segment.end] == segment.text
        assert turn.start <= segment.start < segment.end <= turn.end
        assert (segment.turn_index, segment.speaker, segment.start_time) == (0, "Ana Silva", 12.5)
    assert segments[0].start == turn.start and segments[-1].end == turn.end


def test_short_last_window_is_merged_into_the_one_before():
    text = " ".join(sentence(i) for i in range(7))  # windows of 3, 3 and 1 sentences
    _, turn = turn_at("", text)
    segments = TurnSegmenter(max_words=80, window_words=50).transform([turn], ROLES)
    assert [s.text for s in segments] == [
        " ".join(sentence(i) for i in range(3)), " ".join(sentence(i) for i in range(3, 7))]


def test_multi_line_turn_keeps_exact_offsets(tiny_transcript):
    parsed = parse_transcript(tiny_transcript)
    segments = TurnSegmenter(max_words=20, window_words=12).transform(parsed.turns, ROLES)
    for segment in segments:
        turn = parsed.turns[segment.turn_index]
        assert parsed.text[segment.start:segment.end] == segment.text
        assert turn.start <= segment.start < segment.end <= turn.end
    assert [s.index for s in segments] == list(range(len(segments)))
    assert [s.text for s in segments if s.turn_index == 5] == [
        "For me it was the pharmacy.",
        "The pharmacy kept running out of my inhaler,\nso I drove to three different towns "
        "in one week.",
        "And I said to the pharmacist: look, I cannot breathe without it."]


def test_tiny_transcript_exclusions(tiny_transcript):
    parsed = parse_transcript(tiny_transcript)
    segments = TurnSegmenter().transform(parsed.turns, ROLES)
    # every segment is listed: no turn of the tiny transcript is too short (see the cases below)
    moderator, backchannel = ExclusionReason.MODERATOR, ExclusionReason.BACKCHANNEL
    assert [(s.speaker, s.excluded) for s in segments] == [
        ("Moderator", moderator), ("Ana Silva", None), ("Ben Okoro", backchannel),
        ("Ana Silva", None), ("Moderator", moderator), ("Ben Okoro", None),
        ("Ana Silva", backchannel), ("Moderator", moderator), ("Ana Silva", None),
        ("Ana Silva", None), ("Ben Okoro", None), ("Moderator", moderator)]


@pytest.mark.parametrize(("text", "role", "reason"), [
    ("What would have helped, do you think, in the long run?", "moderator",
     ExclusionReason.MODERATOR),
    ("Yeah.", "moderator", ExclusionReason.MODERATOR),
    ("Mm-hmm.", "patient", ExclusionReason.BACKCHANNEL),
    ("Yeah, yeah, right [laughs]", "patient", ExclusionReason.BACKCHANNEL),
    ("Exactly. Totally. Absolutely.", None, ExclusionReason.BACKCHANNEL),
    ("The pharmacy, yeah.", "patient", ExclusionReason.TOO_SHORT),
    ("Thank you so much.", "patient", ExclusionReason.TOO_SHORT),
    ("The pharmacy kept running out of my inhaler.", "patient", None),
])
def test_exclusion_reasons(text, role, reason):
    assert TurnSegmenter().exclusion_for(text, role) == reason


def test_moderator_kept_when_no_role_is_excluded():
    segmenter = TurnSegmenter(exclude_roles=())
    assert segmenter.exclusion_for("What would have helped, do you think, in the long run?",
                                   "moderator") is None


def test_min_content_words_threshold():
    text = "Pharmacy ran out, yeah."  # 3 content words
    assert TurnSegmenter(min_content_words=3).exclusion_for(text, "patient") is None
    assert TurnSegmenter(min_content_words=4).exclusion_for(text, "patient") == \
        ExclusionReason.TOO_SHORT


@pytest.mark.parametrize(("text", "expected"), [
    ("Yeah.", True), ("Mm-hmm, right.", True), ("Uh-huh", True), ("Okay. Sure. Thanks.", True),
    ("[laughs] Yeah, exactly.", True), ("", True),
    ("Yeah, the pharmacy.", False), ("No, never again.", False),
    ("yeah yeah yeah yeah yeah yeah yeah", False),  # longer than a backchannel
])
def test_is_backchannel(text, expected):
    assert is_backchannel(text) is expected


def test_segments_never_split_inside_a_bracketed_note():
    from focuscode.pipeline.segment import _nlp

    notes = ["I keep them in a Ziploc bag. [laughs] So for me it works.",
             "It was fine. [crosstalk] Anyway the nurse came.",
             "We asked again. (inaudible) Then nothing happened for weeks."]
    text = " ".join(f"{sentence(i)} {notes[i % 3]}" for i in range(9))
    spacy_cuts = [s.text for s in _nlp()(text).sents]
    assert any(cut.endswith(("[", "(")) or cut.startswith(("laughs]", "crosstalk]", "inaudible)"))
               for cut in spacy_cuts)  # the sentencizer alone cuts inside them
    _, turn = turn_at("Ana Silva: ", text)
    segments = TurnSegmenter(max_words=40, window_words=20).transform([turn], ROLES)
    assert len(segments) > 3
    for segment in segments:
        assert segment.text.count("[") == segment.text.count("]"), segment.text
        assert segment.text.count("(") == segment.text.count(")"), segment.text


def test_a_segment_cut_from_a_long_turn_has_its_own_cue_time():
    texts = [sentence(i) * 2 for i in range(4)]  # 30 words a cue
    body = " ".join(texts)
    starts, at = [], len("Ana Silva: ")
    for text in texts:
        starts.append(at)
        at += len(text) + 1
    turn = Turn(index=0, speaker="Ana Silva", start=starts[0], end=starts[0] + len(body),
                text=body, start_time=632.0,
                cue_times=tuple(zip(starts, (632.0, 647.0, 663.0, 679.0))))
    segments = TurnSegmenter(max_words=40, window_words=30).transform([turn], ROLES)
    assert [s.start_time for s in segments] == [632.0, 647.0, 663.0, 679.0]
# issue 16: turns over spaCy's 1,000,000-character limit (E088) ----------------------------------
@pytest.mark.parametrize("kind", ["sentences", "one line without full stops", "one long word"])
def test_a_turn_of_over_a_million_characters_keeps_exact_offsets(kind):
    if kind == "sentences":
        body = "We waited three weeks for the results. " * 30_000
    elif kind == "one line without full stops":
        body = "and then we waited again " * 45_000
    else:
        body = "x" * 1_100_000
    prefix = "Ana: "
    text = prefix + body.strip()
    assert len(text) > 1_000_000
    turn = Turn(index=0, speaker="Ana", start=len(prefix), end=len(text), text=text[len(prefix):])
    segments = TurnSegmenter().transform([turn], {"Ana": "patient"})
    assert segments and all(text[s.start:s.end] == s.text for s in segments)
    assert segments[0].start == len(prefix) and segments[-1].end == len(text)
    covered = "".join(text[s.start:s.end] for s in segments).replace(" ", "")
    assert covered == body.replace(" ", "")  # nothing lost between pieces


def test_sentence_spans_match_spacy_on_short_text():
    from focuscode.pipeline.segment import _nlp, sentence_spans

    text = "One. Two is here! Three? " * 200
    assert sentence_spans(text) == [(s.start_char, s.end_char) for s in _nlp()(text).sents]
    pieces = sentence_spans(text, chunk=300)
    assert all(text[a:b].strip() for a, b in pieces)
    assert "".join(text[a:b] for a, b in pieces).replace(" ", "") == text.replace(" ", "")
