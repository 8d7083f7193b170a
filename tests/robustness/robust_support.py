"""Helpers of the robustness suite (issue 7), importable by its test files (``conftest`` is not:
several directories have one). ``FOCUSCODE_FUZZ_EXAMPLES`` sets the examples per fuzz test
(default: a modest number each, so the suite stays quick); ``FOCUSCODE_KILLS`` the SIGKILLs of
the crash test (default 10); ``FOCUSCODE_CRASH_SEED`` where they land."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEMO = REPO / "transcripts"
FUZZ_EXAMPLES = int(os.environ.get("FOCUSCODE_FUZZ_EXAMPLES", "0")) or None
KILLS = int(os.environ.get("FOCUSCODE_KILLS", "10"))

if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
import crash_harness  # noqa: E402 - shared with benchmarks/crash.py

# figures for the session summary (see conftest.pytest_terminal_summary)
FUZZ_CASES: dict[str, int] = {}
REFUSALS: list[str] = []  # hostile files refused


def count_case(name: str) -> None:
    FUZZ_CASES[name] = FUZZ_CASES.get(name, 0) + 1


def run_cli(*args: str, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """``focuscode ARGS`` in a child process, its stderr a pipe (Rich's default 80 columns)."""
    return subprocess.run(crash_harness.cli_command(*args), capture_output=True, text=True,
                          timeout=timeout, env=crash_harness.child_env(), cwd=REPO,
                          preexec_fn=crash_harness.default_sigint, **kwargs)


def assert_one_line_error(result: subprocess.CompletedProcess, *, code: int = 1) -> str:
    """The command failed with ``code`` and said why in one line, without a traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "no message"
    message = lines[-1]
    assert message.startswith(("error: ", "interrupted: ")), result.stderr
    return message


def run_main(*args: str) -> tuple[int, str, str]:
    """``focuscode ARGS`` in this process, as the entry point runs it (``cli.app.main``): its exit
    code, stdout and stderr. Fast enough for hundreds of runs in a hypothesis test."""
    import contextlib
    import io

    from focuscode.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["focuscode", *args]
    code: int | str | None = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as done:
                code = done.code
    finally:
        sys.argv = argv
    return (code if isinstance(code, int) else (0 if code is None else 1)), out.getvalue(), \
        err.getvalue()


def cli_commands() -> list[tuple[list[str], object]]:
    """Every command and subcommand of ``focuscode``: its words and its Click command."""
    import typer.main

    from focuscode.cli.app import app

    found = []

    def walk(command, words):  # noqa: ANN001
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(sub, [*words, name])
        else:
            found.append((words, command))

    walk(typer.main.get_command(app), [])
    return found
