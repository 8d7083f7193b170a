"""Plots: PNG and SVG files, and the numbers behind each agree with the tables."""

from __future__ import annotations

import pytest

from focuscode.domain import ConfigError
from focuscode.domain.counting import coded_segments
from focuscode.export import plots
from focuscode.pipeline.comparison import compare

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def comparison(report_data):
    return compare(report_data, by="role")


def _check_files(paths, stem) -> None:  # noqa: ANN001
    assert [p.name for p in paths] == [f"{stem}.png", f"{stem}.svg"]
    png, svg = paths
    assert png.read_bytes().startswith(PNG_SIGNATURE) and png.stat().st_size > 10_000
    assert b"<svg" in svg.read_bytes()[:1000]


def test_frequency_plot_draws_the_chosen_rate(comparison, tmp_path) -> None:
    for normalisation in plots.NORMALISATIONS:
        frame = plots.frequency_frame(comparison, normalisation)
        assert frame.shape == (sum(1 for t in comparison.themes if t.n_coded),
                               len(comparison.groups))
    segments = plots.frequency_frame(comparison, "segments")
    speakers = plots.frequency_frame(comparison, "speakers")
    first = comparison.themes[0].counts[0]
    assert segments.iat[0, 0] == pytest.approx(100 * first.n_segments / first.n_group_segments)
    assert speakers.iat[0, 0] == pytest.approx(100 * first.n_speakers / first.n_group_speakers)
    assert any(label.endswith(" *") for label in segments.index)  # suggested themes marked
    _check_files(plots.write_frequency(comparison, tmp_path / "freq", "words"), "freq")
    with pytest.raises(ConfigError):
        plots.frequency_frame(comparison, "per-cup-of-coffee")


def test_cooccurrence_counts_units_carrying_both(report_data, tmp_path) -> None:
    coded = coded_segments(report_data)
    segments = {s.segment_id: s for s in report_data.segments}
    frame = plots.cooccurrence_frame(report_data, "speaker")
    keys = [c.key for c in report_data.codes]
    speakers = {k: {segments[i].speaker for i in coded[k]} for k in keys}
    for i, a in enumerate(keys):
        assert frame.iat[i, i] == len(speakers[a])
        for j, b in enumerate(keys):
            assert frame.iat[i, j] == frame.iat[j, i] == len(speakers[a] & speakers[b])
    segment_level = plots.cooccurrence_frame(report_data, "segment")
    assert [segment_level.iat[i, i] for i in range(len(keys))] == [len(coded[k]) for k in keys]
    _check_files(plots.write_cooccurrence(report_data, tmp_path / "co", unit="turn"), "co")


def test_saturation_counts_new_themes_per_transcript(report_data, tmp_path) -> None:
    frame = plots.saturation_frame(report_data, "date")
    assert list(frame["transcript"]) == sorted(
        (t.name for t in report_data.transcripts),
        key=lambda name: next(str(t.attributes.get("date")) for t in report_data.transcripts
                              if t.name == name))
    assert list(frame["n_cumulative"]) == list(frame["n_new"].cumsum())
    coded = coded_segments(report_data)
    segments = {s.segment_id: s for s in report_data.segments}
    found = {k for k, ids in coded.items()
             if any(sum(segments[i].transcript_id == t.id for i in ids) >= 2
                    for t in report_data.transcripts)}
    assert frame["n_cumulative"].iloc[-1] == len(found)
    _check_files(plots.write_saturation(report_data, tmp_path / "sat"), "sat")


def test_svg_output_is_reproducible(comparison) -> None:
    first = plots.figure_bytes(plots.frequency_figure(comparison), "svg")
    again = plots.figure_bytes(plots.frequency_figure(comparison), "svg")
    assert first == again


def test_the_heat_map_shows_only_codes_found_together_clustered(report_data) -> None:
    frame = plots.cooccurrence_plot_frame(report_data, "speaker", max_codes=4)
    full = plots.cooccurrence_frame(report_data, "speaker")
    assert 0 < len(frame) <= 4 and list(frame.index) == list(frame.columns)
    for label in frame.index:  # each shares a segment with another code
        row = full.loc[[label]].iloc[0]
        assert row.sum() - row[label] > 0
    assert plots.cooccurrence_plot_frame(report_data, "segment").empty  # one theme a segment
    figure = plots.cooccurrence_figure(report_data, "speaker")
    width, height = figure.get_size_inches()
    assert width <= 8.27 and height <= 11.7  # fits an A4 page
