"""Speaker labels as people write them (issue 12, item 1): any case, IDs, brackets, tabs, bare
labels above the text, scripts without capitals, particles, invisible characters; and the line
starts that are not speakers, decided by the file's evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from focuscode.domain import IngestError, ParsedTranscript
from focuscode.pipeline.ingest import parse_text, parse_transcript
from focuscode.pipeline.ingest.labels import normalise_label

LABELS = Path(__file__).parents[2] / "fixtures" / "labels"


def parse(text: str, known: tuple[str, ...] = ()) -> ParsedTranscript:
    parsed = parse_text(text, path="s.txt", fmt="text", name="s.txt", known=known)
    for turn in parsed.turns:
        assert parsed.text[turn.start:turn.end] == turn.text
    return parsed


def who(parsed: ParsedTranscript) -> list[tuple[str, str]]:
    return [(turn.speaker, turn.text) for turn in parsed.turns]


@pytest.mark.parametrize("first, second", [
    ("p1", "p2"), ("R1-19", "nR1-04"), ("dr. smith", "moderator"), ("[SPEAKER_00]", "SPEAKER_01"),
    ("Speaker 1", "Speaker 2"), ("Q", "A"), ("I", "B"), ("Interviewer", "Participant"),
    ("interviewer", "interviewee"),
    ("INT", "P01"), ("#P3#", "#P4#"), ("李娜", "王伟"), ("de Vries", "van der Berg"),
    ("Anna\u00a0Berg", "Omar\u200bHaddad"),
])
def test_every_label_style_of_the_issue_is_a_speaker(first, second):
    text = (f"{first}: What did the doctor say?\n{second}: That it would take time.\n"
            f"{first}: And did it?\n{second}: Months.\n")
    parsed = parse(text)
    expected = [normalise_label(first), normalise_label(second)] * 2
    assert [t.speaker for t in parsed.turns] == expected
    assert [t.text for t in parsed.turns] == [
        "What did the doctor say?", "That it would take time.", "And did it?", "Months."]


def test_label_normalisation_keeps_the_stored_text_as_written():
    assert normalise_label("Anna\u00a0Berg") == "Anna Berg"
    assert normalise_label("\u2067Omar\u200b Haddad\u2069") == "Omar Haddad"
    assert normalise_label("[SPEAKER_00]") == "SPEAKER_00"
    assert normalise_label("#P3#") == "P3"
    parsed = parse_transcript(LABELS / "invisible.txt")
    assert "\u00a0" in parsed.text and "\u200b" in parsed.text and "\u2067" in parsed.text
    assert [t.speaker for t in parsed.turns] == [
        "Dr. Osei", "Anna Berg", "Dr. Osei", "Anna Berg", "Dr. Osei", "Omar Haddad", "Omar Haddad"]


def test_facilitator_and_participant_ids_each_get_their_turns():
    parsed = parse_transcript(LABELS / "facilitator_ids.txt")
    assert [t.speaker for t in parsed.turns] == [
        "Facilitator", "R1-19", "nR1-04", "Facilitator", "nR1-04", "R1-19", "Facilitator",
        "nR1-07"]
    assert parsed.turns[4].text == ("I was sent from one office to the next.\n"
                                    "It took three months before anybody called me back.")
    assert [(s.kind, s.line, s.count, s.first) for s in parsed.skipped] == [
        ("preamble", 1, 2, "Focus group 3, site R1")]


def test_lower_case_labels_are_speakers():
    parsed = parse_transcript(LABELS / "lowercase.txt")
    assert [t.speaker for t in parsed.turns] == [
        "moderator", "p1", "dr. smith", "p1", "moderator", "dr. smith"]


def test_diarised_labels_in_brackets_or_not_are_one_speaker_each():
    parsed = parse_transcript(LABELS / "whisperx.txt")
    assert [t.speaker for t in parsed.turns] == ["SPEAKER_00", "SPEAKER_01", "SPEAKER_02",
                                                 "SPEAKER_00"]
    assert parsed.skipped == ()


def test_tab_separated_labels():
    parsed = parse_transcript(LABELS / "tabs.txt")
    assert who(parsed) == [("INTERVIEWER", "How long have you lived with diabetes?"),
                           ("PARTICIPANT", "About twelve years now."),
                           ("INTERVIEWER", "And who helps you with it?"),
                           ("PARTICIPANT", "Mostly my husband.")]


@pytest.mark.parametrize("name, speakers", [
    ("cjk.txt", ["Dr. Wang", "李娜", "Dr. Wang", "李娜"]),
    ("particle.txt", ["Dr. Jansen", "de Vries", "Dr. Jansen", "de Vries"]),
])
def test_labels_without_capitals_are_not_glued_to_the_turn_before(name, speakers):
    assert [t.speaker for t in parse_transcript(LABELS / name).turns] == speakers


def test_a_one_off_label_in_a_script_without_capitals_or_with_a_particle_is_a_speaker():
    parsed = parse("Dr. Wang: 您好。\n李娜: 你好。\nDr. Wang: 再见。\nde Vries: Tot ziens.\n")
    assert [t.speaker for t in parsed.turns] == ["Dr. Wang", "李娜", "Dr. Wang", "de Vries"]


def test_turns_before_the_first_capitalised_label_are_kept():
    parsed = parse_transcript(LABELS / "late_first_label.txt")
    assert [t.speaker for t in parsed.turns] == ["p2", "p3", "p2", "p3", "Moderator", "p2"]
    assert parsed.skipped == ()


# the hard cases, both ways ---------------------------------------------------------------------
def test_a_one_off_note_or_time_inside_a_turn_is_speech_and_reported():
    parsed = parse("Ana: We met at the clinic.\nTime: 3pm, and it was packed.\n"
                   "Note: the recorder stopped.\nBen: I was there too.\nAna: Yes.\n")
    assert who(parsed)[0] == ("Ana", "We met at the clinic.\nTime: 3pm, and it was packed.\n"
                                     "Note: the recorder stopped.")
    assert [(a.line, a.label) for a in parsed.as_text] == [(2, "Time"), (3, "Note")]


def test_a_metadata_word_in_the_speakers_file_is_a_speaker():
    parsed = parse("Ana: We met at the clinic.\nNote: I am the note taker, may I ask?\n"
                   "Ana: Yes.\n", known=("note", "ana"))
    assert [t.speaker for t in parsed.turns] == ["Ana", "Note", "Ana"]


def test_time_in_the_preamble_is_reported_not_dropped():
    parsed = parse("Time: 3pm\nDate: 4 May\n\nAna: Hello.\nBen: Hi.\n")
    assert [(s.kind, s.line, s.count, s.first) for s in parsed.skipped] == [
        ("preamble", 1, 2, "Time: 3pm")]


def test_a_lower_case_phrase_seen_once_is_speech_but_recurring_it_is_a_label():
    once = parse("Ana: I told him\nso basically: it was fine.\nBen: Right.\n")
    assert [t.speaker for t in once.turns] == ["Ana", "Ben"]
    assert [(a.line, a.label) for a in once.as_text] == [(2, "so basically")]
    twice = parse("Ana: I told him\nmum: it was fine.\nBen: Right.\nmum: It was.\n")
    assert [t.speaker for t in twice.turns] == ["Ana", "mum", "Ben", "mum"]


def test_a_lower_case_label_in_the_speakers_file_counts_once():
    parsed = parse("Ana: I told him\ncarer: it was fine.\n", known=("carer",))
    assert [t.speaker for t in parsed.turns] == ["Ana", "carer"]
    assert [t.speaker for t in parse("Ana: I told him\ncarer: it was fine.\n").turns] == ["Ana"]


def test_a_bare_line_is_a_label_only_when_it_recurs_above_text():
    parsed = parse("Interviewer\nHow are you?\n\nAnna Berg\nFine.\n\nInterviewer\nGood.\n\n"
                   "Anna Berg\nThanks.\n")
    assert who(parsed) == [("Interviewer", "How are you?"), ("Anna Berg", "Fine."),
                           ("Interviewer", "Good."), ("Anna Berg", "Thanks.")]
    prose = parse("Ana: I said\nNo way\nand left.\nBen: Hm.\n")
    assert who(prose)[0] == ("Ana", "I said\nNo way\nand left.")


def test_the_same_label_in_another_case_is_the_same_speaker():
    parsed = parse("MODERATOR: Hello.\nAna: Hi.\nModerator: Welcome.\n")
    assert [t.speaker for t in parsed.turns] == ["MODERATOR", "Ana", "MODERATOR"]


def test_no_label_at_all_is_still_refused():
    with pytest.raises(IngestError, match="no speaker turns found"):
        parse("just some notes\nabout a meeting\n")


def test_a_one_off_name_inside_a_paragraph_is_speech_where_turns_are_paragraphs():
    text = ("Ana: My GP was kind.\n\nBen: Mine too.\n\nAna: But the locum said\n"
            "Doctor: you need rest, and nothing else.\nThat was all.\n\nBen: Typical.\n")
    parsed = parse(text)
    assert [t.speaker for t in parsed.turns] == ["Ana", "Ben", "Ana", "Ben"]
    assert [(a.line, a.label) for a in parsed.as_text] == [(6, "Doctor")]
    after_a_blank = text.replace("said\nDoctor:", "said\n\nDoctor:")
    assert [t.speaker for t in parse(after_a_blank).turns] == [
        "Ana", "Ben", "Ana", "Doctor", "Ben"]
    no_paragraphs = text.replace("\n\n", "\n")
    assert [t.speaker for t in parse(no_paragraphs).turns] == [
        "Ana", "Ben", "Ana", "Doctor", "Ben"]


def test_a_speakers_file_label_in_brackets_or_with_odd_spaces_is_known():
    parsed = parse("Ana: Hi.\nnote taker: Recording now.\n", known=("[Note\u00a0Taker]",))
    assert [t.speaker for t in parsed.turns] == ["Ana", "note taker"]


def test_a_label_with_an_aside_in_parentheses():
    parsed = parse("Moderator: Welcome.\nP3 (F, 52): Thank you.\nP4 (M, 61/retired): Hi.\n")
    assert [t.speaker for t in parsed.turns] == ["Moderator", "P3 (F, 52)", "P4 (M, 61/retired)"]
