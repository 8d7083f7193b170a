"""Safe file writing: formula neutralisation and atomic replacement."""

from __future__ import annotations

import os

import pytest

from focuscode.domain import ExportError
from focuscode.export.files import atomic_path, neutralise


@pytest.mark.parametrize(("value", "expected"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1 555 0100", "'+1 555 0100"),
    ("-- we should, yes.", "'-- we should, yes."),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tindented", "'\tindented"),
    ("\rreturn", "'\rreturn"),
    ("Plain text = fine", "Plain text = fine"),
    ("", ""),
    (-3, -3),
    (1.5, 1.5),
    (None, None),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_atomic_path_replaces_the_target(tmp_path):
    target = tmp_path / "out" / "table.csv"
    with atomic_path(target) as temporary:
        assert temporary.parent == target.parent and temporary.name.endswith(".part")
        temporary.write_text("new")
        assert not target.exists()
    assert target.read_text() == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]


def test_failure_inside_the_block_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_failing_rename_leaves_the_target_untouched_and_no_part_file(tmp_path, monkeypatch):
    target = tmp_path / "table.csv"
    target.write_text("old")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="cannot write the file: No space left on device") as e:
        with atomic_path(target) as temporary:
            temporary.write_text("new")
    assert e.value.path == str(target)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_unwritable_place_is_an_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write here"):
        with atomic_path(blocker / "table.csv"):
            pass
