"""Timed captions: WebVTT (Zoom and Teams styles) and SRT to speaker turns."""

from __future__ import annotations

from focuscode.domain import ParsedTranscript
from focuscode.pipeline.ingest import parse_text


def parse(text: str, fmt: str) -> ParsedTranscript:
    parsed = parse_text(text, path=f"session.{fmt}", fmt=fmt, name=f"session.{fmt}")
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text, turn
    return parsed


def timed(parsed: ParsedTranscript) -> list[tuple[str, str, float | None, float | None]]:
    return [(t.speaker, t.text, t.start_time, t.end_time) for t in parsed.turns]


ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Sam Ortiz: Welcome to the group.

2
00:00:04.100 --> 00:00:08.000
Sam Ortiz: Let's start with introductions.

3
00:00:05.000 --> 00:00:05.500
Grace Liu: Mm-hmm.

4
00:00:08.100 --> 00:00:12.000
Sam Ortiz: Grace, would you go first?

5
00:00:12.500 --> 00:00:15.000
Grace Liu: Sure, I have lupus.
"""


def test_zoom_consecutive_cues_of_one_speaker_are_one_turn():
    parsed = parse(ZOOM, "vtt")
    assert timed(parsed)[0] == (
        "Sam Ortiz", "Welcome to the group. Let's start with introductions. "
                     "Grace, would you go first?", 1.0, 12.0)


def test_zoom_overlapping_backchannel_does_not_cut_the_turn():
    parsed = parse(ZOOM, "vtt")
    assert timed(parsed) == [
        ("Sam Ortiz", "Welcome to the group. Let's start with introductions. "
                      "Grace, would you go first?", 1.0, 12.0),
        ("Grace Liu", "Mm-hmm.", 5.0, 5.5),
        ("Grace Liu", "Sure, I have lupus.", 12.5, 15.0),
    ]
    assert parsed.text == (
        "[00:00:01] Sam Ortiz: Welcome to the group. Let's start with introductions. "
        "Grace, would you go first?\n"
        "[00:00:05] Grace Liu: Mm-hmm.\n"
        "[00:00:12] Grace Liu: Sure, I have lupus.\n")
    assert [turn.line for turn in parsed.turns] == [4, 12, 20]


def test_teams_voice_tags_and_styling_removed():
    parsed = parse("""WEBVTT

a1b2/12-0
00:00:01.000 --> 00:00:04.000
<v Dr. Lee>Hello there, how are you?</v>

a1b2/13-0
00:00:04.500 --> 00:00:06.000
<v Dr. Lee>Tell me what brings you in.</v>

a1b2/14-0
00:00:06.500 --> 00:00:09.000
<v Patient>I have a <i>bad</i> cough.</v>
""", "vtt")
    assert timed(parsed) == [
        ("Dr. Lee", "Hello there, how are you? Tell me what brings you in.", 1.0, 6.0),
        ("Patient", "I have a bad cough.", 6.5, 9.0)]


def test_cue_without_label_continues_the_previous_speaker():
    parsed = parse("""WEBVTT

00:00:01.000 --> 00:00:02.000
Ana Silva: It took months

00:00:02.000 --> 00:00:03.500
to get an appointment.

00:00:04.000 --> 00:00:05.000
Ben Okoro: Same for me.
""", "vtt")
    assert timed(parsed) == [("Ana Silva", "It took months to get an appointment.", 1.0, 3.5),
                             ("Ben Okoro", "Same for me.", 4.0, 5.0)]


def test_hours_and_short_timestamps():
    parsed = parse("WEBVTT\n\n59:58.000 --> 59:59.500\nAna: Late.\n\n"
                   "01:00:01.250 --> 01:00:03.000\nBen: Later.\n", "vtt")
    assert timed(parsed) == [("Ana", "Late.", 3598.0, 3599.5), ("Ben", "Later.", 3601.25, 3603.0)]


def test_srt_with_labels_and_dialogue_dashes():
    parsed = parse("""1
00:00:01,000 --> 00:00:03,000
Sam Ortiz: Hello everyone.

2
00:00:03,500 --> 00:00:05,000
- Grace Liu: Hi Sam.

3
00:00:05,500 --> 00:00:07,250
<i>And thanks for having me.</i>
""", "srt")
    assert timed(parsed) == [("Sam Ortiz", "Hello everyone.", 1.0, 3.0),
                             ("Grace Liu", "Hi Sam. And thanks for having me.", 3.5, 7.25)]
    assert [turn.line for turn in parsed.turns] == [2, 6]


def test_txt_holding_srt_is_read_as_srt():
    parsed = parse("1\n00:00:01,000 --> 00:00:02,000\nAna: Hello.\n", "text")
    assert (parsed.format, timed(parsed)) == ("srt", [("Ana", "Hello.", 1.0, 2.0)])


def test_a_cue_ending_before_it_starts_is_refused_with_its_line():
    """Issue 16: it was accepted silently."""
    import pytest

    from focuscode.domain import IngestError
    from focuscode.pipeline.ingest.cues import parse_vtt_turns

    text = ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna: fine here\n\n"
            "00:00:05.000 --> 00:00:03.000\nBen: this one ends early\n")
    with pytest.raises(IngestError, match="ends .* before it starts") as caught:
        parse_vtt_turns(text, "x.vtt")
    assert caught.value.line == 6
