"""Every command-line mistake is one line and exit code 2, never a traceback (issue 16): every
command and subcommand given a missing argument, an unknown option and a wrong type, run as the
``focuscode`` entry point runs them, with the Typer and Click ``constraints.txt`` pins."""

from __future__ import annotations

from pathlib import Path

import pytest
from robust_support import cli_commands, run_main

COMMANDS = cli_commands()
IDS = [" ".join(words) for words, _ in COMMANDS]


def assert_usage_error(code: int, out: str, err: str) -> str:
    assert "Traceback" not in out + err, err
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "--help" in lines[0], lines[0]
    return lines[0]


def _numeric(command) -> list:  # noqa: ANN001
    return [p for p in command.params
            if p.type_descriptor.annotation in (int, float, int | None, float | None,
                                                list[int], list[float])]


def test_every_command_is_covered():
    assert len(COMMANDS) >= 20 and ["export", "segments"] in [w for w, _ in COMMANDS]


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_missing_argument(words, command, tmp_path):
    required = [p for p in command.params if p.required]
    if required:  # every required argument or option left out
        line = assert_usage_error(*run_main(*words))
        assert "Missing" in line
    # an option without its value
    line = assert_usage_error(*run_main(*words, "--project"))
    assert "requires an argument" in line and " ".join(words) in line


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_unknown_option(words, command):
    line = assert_usage_error(*run_main(*words, "--no-such-option", "1"))
    assert "No such option: --no-such-option" in line


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_wrong_type(words, command, tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a project folder")
    line = assert_usage_error(*run_main(*words, "--project", str(a_file)))
    assert "'--project'" in line and "is a file" in line
    for param in _numeric(command):
        option = param.opts[0]
        value = ["abc"] if option.startswith("--") else []
        args = [*words, option, "abc"] if value else [*words, "abc"]
        line = assert_usage_error(*run_main(*args))
        assert "Invalid value" in line


def test_an_unknown_command_is_one_line():
    line = assert_usage_error(*run_main("imprt", "x"))
    assert "Did you mean 'import'" in line


@pytest.mark.parametrize("argv", [
    ["code", "-5", "--as", "X"], ["analyse", "--min-samples", "-1"], ["analyse", "--seed", "-1"],
    ["analyse", "--components", "-3"], ["analyse", "--seed", "99999999999999999999"],
    ["analyse", "--min-cluster-size", "abc"], ["suggest", "--min-similarity", "2"],
    ["suggest", "--max-codes", "0"], ["export", "quotes", "--to", "q.csv", "--quotes", "0"],
    ["agreement", "--show", "-1"], ["code", "0", "--as", "X"],
])
def test_out_of_range_numbers_are_refused_at_the_command_line(argv):
    line = assert_usage_error(*run_main(*argv))
    assert "Invalid value" in line or "No such option" in line


@pytest.mark.parametrize(("words", "command"), COMMANDS, ids=IDS)
def test_every_numeric_option_shows_its_range_in_help(words, command):
    for param in _numeric(command):
        assert param.min is not None and param.max is not None, (words, param.name)
    if _numeric(command):
        code, out, _ = run_main(*words, "--help")
        assert code == 0 and "<=x<=" in out.replace(" ", "").replace("│", "").replace("\n", "")


def test_the_cli_pins_are_the_installed_versions():
    from importlib.metadata import version

    pins = dict(line.split("==") for line in
                (Path(__file__).parents[2] / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    assert pins["typer"] == version("typer") and pins["click"] == version("click")
    assert pins["torch"] == "2.13.0"


def test_a_line_break_in_a_value_keeps_the_error_on_one_line(tmp_path):
    """Found by the random-argv test: ``--to $'\\n'`` made the error two lines."""
    from robust_support import run_main as run

    code, _, err = run("export", "segments", "--to", "\n", "--project", str(tmp_path))
    assert code in (1, 2) and len(err.strip().splitlines()) == 1 and "\\n" in err, err


def test_init_where_no_folder_can_be_made_is_one_line():
    """``init -p /proc/x`` raised FileNotFoundError."""
    from robust_support import run_main as run

    code, _, err = run("init", "--project", "/proc/focuscode-test/x")
    assert code == 1 and "cannot create the project folder" in err and "Traceback" not in err
