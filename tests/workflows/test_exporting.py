"""Project.export_segments: faithful to the source, pseudonymised by default, atomic."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from focuscode.domain import ExportError
from focuscode.export.files import neutralise

REQUIRED = ["transcript", "segment_id", "turn_index", "speaker", "role", "start_char",
            "end_char", "start_time", "text", "theme_id", "theme_label", "coding_status"]


def read(path) -> pd.DataFrame:
    if path.suffix == ".xlsx":
        return pd.read_excel(path, engine="openpyxl", keep_default_na=False, dtype=str)
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_is_faithful_to_the_stored_text(analysed_project, tmp_path, suffix):
    path = analysed_project.export_segments(tmp_path / f"segments.{suffix}")
    table = read(path)
    assert list(table.columns)[:len(REQUIRED)] == REQUIRED
    assert len(table) == len(analysed_project.store.segments())
    texts = {t.name: t.text for t in analysed_project.store.transcripts()}
    shown = analysed_project.names.deidentifier()  # names taken out (by default)
    expected = [neutralise(shown(texts[name][int(start):int(end)]))
                for name, start, end in zip(table["transcript"], table["start_char"],
                                            table["end_char"])]
    assert table["text"].tolist() == expected
    assert set(table["coding_status"]) == {"suggested", "unassigned", "excluded"}


def test_speakers_are_pseudonymised_by_default(analysed_project, tmp_path):
    pseudonyms = {s.pseudonym for s in analysed_project.store.speakers()}
    labels = {s.label for s in analysed_project.store.speakers()}
    default = read(analysed_project.export_segments(tmp_path / "default.csv"))
    assert set(default["speaker"]) == pseudonyms
    real = read(analysed_project.export_segments(tmp_path / "real.csv", real_names=True))
    assert set(real["speaker"]) == labels
    other = ["speaker", "text"]
    assert default.drop(columns=[*other, "deidentified"]).equals(real.drop(columns=other))
    assert (default["text"] != real["text"]).any() and set(default["deidentified"]) == {"yes"}


def test_export_shows_confirmed_codings(analysed_project, tmp_path):
    theme = analysed_project.themes()[0]
    segment_id = next(r.segment_id for r in analysed_project.segment_rows()
                      if r.theme_id == theme.theme_id)
    analysed_project.confirm(segment_id, theme.theme_id)
    table = read(analysed_project.export_segments(tmp_path / "segments.csv"))
    exported = table[table["segment_id"] == str(segment_id)].iloc[0]
    assert (exported["theme_id"], exported["theme_label"], exported["coding_status"]) == (
        str(theme.theme_id), neutralise(theme.label), "confirmed")


def test_failed_write_leaves_the_old_file_and_no_part_file(analysed_project, tmp_path,
                                                           monkeypatch):
    target = tmp_path / "segments.csv"
    target.write_text("previous export")

    def refuse(src, dst):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="Read-only file system"):
        analysed_project.export_segments(target)
    assert target.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj", "segments.csv"]


def test_damaged_offsets_stop_the_export(analysed_project, tmp_path):
    with analysed_project.store.db.atomic() as db:
        db.execute("UPDATE segments SET text = 'edited behind our back' WHERE id = 2")
    target = tmp_path / "segments.csv"
    with pytest.raises(ExportError, match="segment 2 of 'roundtable1_boston.txt' no longer "
                                          "matches the source"):
        analysed_project.export_segments(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]
