"""Perspective contrast: each group's representative quote is that group's, verbatim, and its
distinctive words are words that group said about the code."""

from __future__ import annotations

import pytest

from focuscode.domain import ConfigError
from focuscode.domain.counting import coded_segments
from focuscode.domain.quoting import is_fragment
from focuscode.domain.tokens import vocabulary
from focuscode.export.contrast import contrast_frame
from focuscode.pipeline.contrast import contrast


@pytest.fixture(scope="module")
def contrasts(reviewed, report_data):
    return contrast(report_data, by="role", groups=("patient", "physician"),
                    stop_words=reviewed.reports.contrast_stop_words())


def test_every_code_has_a_patient_and_a_physician_side(report_data, contrasts) -> None:
    assert [c.code_key for c in contrasts] == [c.key for c in report_data.codes]
    assert all([p.group for p in c.perspectives] == ["patient", "physician"] for c in contrasts)


def test_quotes_are_the_groups_own_verbatim_words(report_data, contrasts) -> None:
    segments = {s.segment_id: s for s in report_data.segments}
    texts = {t.id: t.text for t in report_data.transcripts}
    coded = coded_segments(report_data)
    real = {s.label for s in report_data.speakers}
    n_quotes = 0
    for item in contrasts:
        for p in item.perspectives:
            if p.quote is None:
                assert p.n_segments == 0 or all(
                    is_fragment(segments[i].text)
                    for i in coded[item.code_key] if segments[i].role == p.group)
                continue
            n_quotes += 1
            segment = segments[p.quote.segment_id]
            assert segment.role == p.group == p.role
            assert p.quote.segment_id in coded[item.code_key]
            assert texts[segment.transcript_id][p.quote.start_char:p.quote.end_char] == \
                p.quote.text
            assert p.speaker not in real
    assert n_quotes >= len(contrasts)


def test_distinctive_words_were_said_by_that_group_about_that_code(report_data,
                                                                   contrasts) -> None:
    segments = {s.segment_id: s for s in report_data.segments}
    coded = coded_segments(report_data)
    assert any(p.words for c in contrasts for p in c.perspectives)
    for item in contrasts:
        for p in item.perspectives:
            said = [word for i in coded[item.code_key] if segments[i].role == p.group
                    for word in vocabulary(segments[i].text)]  # the one tokeniser's words
            for word, z in p.words:
                assert z > 0 and said.count(word) >= 2
            assert [z for _, z in p.words] == sorted((z for _, z in p.words), reverse=True)


def test_frame_and_unknown_groups(report_data, contrasts) -> None:
    frame = contrast_frame(contrasts)
    assert len(frame) == 2 * len(report_data.codes)
    assert list(frame.columns) == ["code_key", "code", "status", "group", "n_segments", "quote",
                                   "speaker", "role", "segment_id", "distinctive_words"]
    with pytest.raises(ConfigError, match="not found: astronaut"):
        contrast(report_data, groups=("patient", "astronaut"))
