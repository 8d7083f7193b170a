"""Exports never overwrite the project (issue 16): every command with ``--to``, pointed at the
project's database, its backup, a symlink or hard link to it, or a device, refuses in one line
and leaves every byte of the project as it was."""

from __future__ import annotations

import hashlib
import os

import pytest
from robust_support import run_main

EXPORTS = [
    ["report"], ["export", "segments"], ["codebook", "export"], ["export", "quotes"],
    ["export", "matrix"],
    ["export", "refi"], ["codebook", "export", "--format", "yaml"], ["compare"],
    ["suggest", "--show", "0"], ["agreement"],
]


def digest(folder) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()
            if p.is_file() and not p.name.endswith("-shm")}


@pytest.mark.parametrize("command", EXPORTS, ids=" ".join)
def test_no_export_overwrites_the_project(analysed_copy, tmp_path, command):
    database = analysed_copy / "focuscode.sqlite"
    backup = analysed_copy / "focuscode.sqlite.bak-0001_initial"
    backup.write_bytes(database.read_bytes())
    link, hard = tmp_path / "link.csv", tmp_path / "hard.csv"
    link.symlink_to(database)
    os.link(database, hard)
    before = digest(analysed_copy)
    targets = [database, hard]
    if command in EXPORTS[:3]:  # the ones the issue names: every alias
        targets += [backup, link, analysed_copy / "focuscode.sqlite-wal"]
    for target in targets:
        code, out, err = run_main(*command, "--project", str(analysed_copy), "--to", str(target))
        assert code == 1 and "Traceback" not in err, (target, out, err)
        assert len(err.strip().splitlines()) == 1, err
        assert "refusing to write here" in err or (  # or refused for its suffix already
            target.suffix not in (".csv", ".xlsx") and "format" in err), err
        assert digest(analysed_copy) == before
        assert not [p for p in analysed_copy.iterdir() if p.name.endswith(".part")]
    code, out, err = run_main("status", "--project", str(analysed_copy))
    assert code == 0 and "roundtable1_boston.txt" in out


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/zero"])
def test_no_export_replaces_a_device(analysed_copy, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    mode = os.lstat(device).st_mode
    code, _, err = run_main("export", "segments", "--project", str(analysed_copy),
                            "--to", device)
    assert code == 1 and "not a regular file" in err, err
    assert os.lstat(device).st_mode == mode


def test_no_export_overwrites_an_imported_transcript(imported_copy, tmp_path):
    """Found by the random-argv test: ``export quotes --to <the imported .docx>`` replaced the
    demo transcript itself."""
    source = tmp_path / "session.docx"
    import shutil

    from robust_support import DEMO

    shutil.copy(DEMO / "roundtable3_chicago.docx", source)
    code, _, err = run_main("import", str(source), "--project", str(imported_copy),
                            "--allow-duplicate")
    assert code == 0, err
    before = source.read_bytes()
    code, _, err = run_main("export", "quotes", "--project", str(imported_copy),
                            "--to", str(source))
    assert code == 1 and "a transcript imported into the project" in err, err
    assert source.read_bytes() == before
