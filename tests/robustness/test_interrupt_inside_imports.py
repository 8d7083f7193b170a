"""Ctrl-C while a command imports its libraries (issue 13 of the hostile pass): Python wraps a
KeyboardInterrupt raised in a class body's ``__set_name__`` in a RuntimeError, and lxml swallows
one while it is imported. Either way the command ends as any Ctrl-C does: one line, exit 130,
and nothing of the interrupted step stored."""

from __future__ import annotations

import pytest
from robust_support import DEMO, run_main

from focuscode.cli import INTERRUPTED, SIGINT_SEEN


@pytest.fixture(autouse=True)
def _clear():
    SIGINT_SEEN.clear()
    yield
    SIGINT_SEEN.clear()


def _transcripts(project) -> int:
    import sqlite3

    with sqlite3.connect(project / "focuscode.sqlite") as conn:
        return conn.execute("SELECT COUNT(*) FROM transcripts").fetchone()[0]


def test_a_swallowed_ctrl_c_still_stops_the_import(tmp_path, monkeypatch):
    from focuscode.pipeline import ingest
    from focuscode.workflows import importing

    real = ingest.parse_transcript

    def swallowing(path, **kwargs):  # noqa: ANN001, ANN202 - as lxml's import does
        SIGINT_SEEN.set()
        return real(path, **kwargs)

    monkeypatch.setattr(importing, "parse_transcript", swallowing)
    assert run_main("init", "--project", str(tmp_path / "p"))[0] == 0
    code, out, err = run_main("import", str(DEMO), "--project", str(tmp_path / "p"))
    assert code == INTERRUPTED and "Traceback" not in err, err
    assert err.strip().splitlines()[-1].startswith("interrupted: ")
    assert _transcripts(tmp_path / "p") == 0 and "Imported" not in out


def test_a_ctrl_c_wrapped_in_a_runtime_error_is_an_interrupt(tmp_path, monkeypatch):
    from focuscode.workflows import importing

    def set_name_error(path, **kwargs):  # noqa: ANN001, ANN202
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance") from interrupt

    monkeypatch.setattr(importing, "parse_transcript", set_name_error)
    assert run_main("init", "--project", str(tmp_path / "p"))[0] == 0
    code, _, err = run_main("import", str(DEMO), "--project", str(tmp_path / "p"))
    assert code == INTERRUPTED and "Traceback" not in err and "RuntimeError" not in err, err
    assert _transcripts(tmp_path / "p") == 0


def test_other_bugs_still_show_as_bugs(tmp_path, monkeypatch):
    from focuscode.workflows import importing

    def bug(path, **kwargs):  # noqa: ANN001, ANN202
        raise RuntimeError("a real bug")

    monkeypatch.setattr(importing, "parse_transcript", bug)
    assert run_main("init", "--project", str(tmp_path / "p"))[0] == 0
    with pytest.raises(RuntimeError, match="a real bug"):
        run_main("import", str(DEMO), "--project", str(tmp_path / "p"))
