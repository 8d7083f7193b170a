"""Plain-text transcripts: speaker label styles, multi-line turns, preambles and notes."""

from __future__ import annotations

from focuscode.domain import ParsedTranscript
from focuscode.pipeline.ingest import parse_text, parse_transcript


def parse(text: str) -> ParsedTranscript:
    parsed = parse_text(text, path="session.txt", fmt="text", name="session.txt")
    assert_offsets(parsed)
    return parsed


def assert_offsets(parsed: ParsedTranscript) -> None:
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text, turn
    assert [turn.index for turn in parsed.turns] == list(range(len(parsed.turns)))


def speakers_and_texts(parsed: ParsedTranscript) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in parsed.turns]


def test_tiny_transcript_turns(tiny_transcript):
    parsed = parse_transcript(tiny_transcript)
    assert_offsets(parsed)
    assert (parsed.name, parsed.format, parsed.encoding) == ("tiny.txt", "text", "utf-8")
    assert [(t.speaker, t.line, t.start_time) for t in parsed.turns] == [
        ("Moderator", 5, None), ("Ana Silva", 6, None), ("Ben Okoro", 7, None),
        ("Ana Silva", 8, None), ("Moderator", 9, None), ("Ben Okoro", 10, None),
        ("Ana Silva", 13, None), ("Moderator", 14, 760.0), ("Ana Silva", 15, None),
        ("Ana Silva", 17, None), ("Ben Okoro", 18, None), ("Moderator", 20, None)]
    assert parsed.turns[5].text == (
        "For me it was the pharmacy. The pharmacy kept running out of my inhaler,\n"
        "so I drove to three different towns in one week.\n"
        "And I said to the pharmacist: look, I cannot breathe without it.")


def test_plain_name_colon():
    parsed = parse("Grace Liu: I use three apps.\nP3: Same here.\n")
    assert speakers_and_texts(parsed) == [("Grace Liu", "I use three apps."), ("P3", "Same here.")]


def test_upper_case_label():
    parsed = parse("MODERATOR: Shall we start?\nDR. SHAH: Yes.\n")
    assert speakers_and_texts(parsed) == [("MODERATOR", "Shall we start?"), ("DR. SHAH", "Yes.")]


def test_bracketed_timestamp_before_label():
    parsed = parse("[00:01:23] Denise Carter: I have Crohn's.\n[1:02:03.5] Tom: And MS.\n")
    assert [(t.speaker, t.text, t.start_time) for t in parsed.turns] == [
        ("Denise Carter", "I have Crohn's.", 83.0), ("Tom", "And MS.", 3723.5)]


def test_timestamp_in_parentheses_after_label():
    parsed = parse("Dr. Anand Shah (00:02:05): That is fair.\nHannah (02:10): Thanks.\n")
    assert [(t.speaker, t.text, t.start_time) for t in parsed.turns] == [
        ("Dr. Anand Shah", "That is fair.", 125.0), ("Hannah", "Thanks.", 130.0)]


def test_otter_header_line_with_text_below():
    parsed = parse("Grace Liu  0:42\nI think the app helps.\nIt really does.\n\n"
                   "Tom Reilly  1:05\nNot for me.\n")
    assert [(t.speaker, t.text, t.start_time, t.line) for t in parsed.turns] == [
        ("Grace Liu", "I think the app helps.\nIt really does.", 42.0, 1),
        ("Tom Reilly", "Not for me.", 65.0, 5)]


def test_turn_spanning_several_lines_keeps_its_line_breaks():
    parsed = parse("Ana: First line\n   continues here,\n\nand after a blank line.\nBen: Next.\n")
    assert speakers_and_texts(parsed) == [
        ("Ana", "First line\n   continues here,\n\nand after a blank line."), ("Ben", "Next.")]


def test_preamble_and_header_lines_belong_to_no_turn():
    text = ("Round table 1 - Patient-centricity in care\n"
            "Date: 12 March 2026\n"
            "Location: Boston\n"
            "Participants: seven\n"
            "\n"
            "Hannah Berg: Welcome everyone.\n")
    parsed = parse(text)
    assert speakers_and_texts(parsed) == [("Hannah Berg", "Welcome everyone.")]
    assert parsed.turns[0].line == 6
    assert parsed.text == text


def test_sentence_with_a_colon_continues_the_turn():
    parsed = parse("Tom: He looked at me.\nAnd I said to him: look, this is not fine.\n"
                   "But the nurse: she understood.\n")
    assert speakers_and_texts(parsed) == [
        ("Tom", "He looked at me.\nAnd I said to him: look, this is not fine.\n"
                "But the nurse: she understood.")]


def test_header_line_inside_the_session_is_not_a_speaker():
    parsed = parse("Ana: Hello.\nNote: the recorder stopped here.\nBen: Hi.\n")
    assert [turn.speaker for turn in parsed.turns] == ["Ana", "Ben"]


def test_bracketed_note_kept_only_inside_a_continuing_turn():
    parsed = parse("Ana: I was saying\n[crosstalk]\nthat it took months.\n"
                   "Ben: Right.\n[laughs]\nAna: Exactly.\n")
    assert speakers_and_texts(parsed) == [
        ("Ana", "I was saying\n[crosstalk]\nthat it took months."), ("Ben", "Right."),
        ("Ana", "Exactly.")]


def test_urls_and_clock_times_are_not_labels():
    parsed = parse("Ana: See https://example.org for it.\nThe visit was at 10:30 sharp.\n")
    assert speakers_and_texts(parsed) == [
        ("Ana", "See https://example.org for it.\nThe visit was at 10:30 sharp.")]


def test_windows_and_old_mac_newlines_are_normalised(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Ana: One.\r\nBen: Two.\rAna: Three.\r\n")
    parsed = parse_transcript(path)
    assert_offsets(parsed)
    assert parsed.text == "Ana: One.\nBen: Two.\nAna: Three.\n"
    assert speakers_and_texts(parsed) == [("Ana", "One."), ("Ben", "Two."), ("Ana", "Three.")]


def test_txt_holding_webvtt_is_read_as_webvtt():
    parsed = parse_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAna: Hello.\n",
                        path="s.txt", fmt="text", name="s.txt")
    assert_offsets(parsed)
    assert (parsed.format, speakers_and_texts(parsed)) == ("vtt", [("Ana", "Hello.")])
