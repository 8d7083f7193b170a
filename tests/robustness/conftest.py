"""Fixtures of the robustness suite (issue 7): the demo analysed by the real model (built once and
copied; the hashing-embedder templates ``demo_imported``/``demo_analysed`` and their copies are
in ``tests/conftest.py``), and the figures printed in the session summary. Helpers the test files
import are in ``robust_support``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from robust_support import FUZZ_CASES, REFUSALS, crash_harness, run_cli


@pytest.fixture(scope="session")
def demo_real_analysed(tmp_path_factory, demo_analysed) -> Path:
    """The demo analysed with the hashing embedder, then by the real ``focuscode analyse`` (the
    model's embeddings cached: analysing again takes a second or two)."""
    folder = tmp_path_factory.mktemp("robust-real") / "proj"
    shutil.copytree(demo_analysed, folder)
    result = run_cli("analyse", "--project", str(folder))
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def real_analysed_copy(tmp_path, demo_real_analysed) -> Path:
    return Path(shutil.copytree(demo_real_analysed, tmp_path / "real"))


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest hook
    if FUZZ_CASES:
        detail = ", ".join(f"{name} {n}" for name, n in sorted(FUZZ_CASES.items()))
        terminalreporter.write_line(f"fuzz cases run: {sum(FUZZ_CASES.values())} ({detail})")
    if REFUSALS:
        terminalreporter.write_line(f"hostile files refused: {len(REFUSALS)}")
    if crash_harness.TALLY["kills"]:
        terminalreporter.write_line(
            f"crash harness: {crash_harness.TALLY['kills']} kills survived, "
            f"{crash_harness.TALLY['acked']} acknowledged decisions and analysis runs checked")
