"""README, CI and the CLI agree."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from focuscode.cli.app import app

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", readme, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    command = next(line for line in ci if "pytest" in line)
    assert command.strip() in _readme_commands()


def test_readme_main_command_runs_the_demo() -> None:
    main = _readme_commands()[0]
    assert "pip install -c constraints.txt" in main and "focuscode run transcripts/" in main


def test_every_cli_command_is_documented_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text()
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        assert f"focuscode {name}" in readme, f"'focuscode {name}' is not in the README"
        assert command.help, f"'{name}' has no help"


def test_constraints_pin_torch_cpu_build() -> None:
    assert "torch==2.13.0" in (REPO / "constraints.txt").read_text()
