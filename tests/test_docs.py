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


def _readme_python() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(), flags=re.S)


def test_every_python_example_of_the_readme_runs_on_the_demo(tmp_path, monkeypatch,
                                                             demo_analysed) -> None:
    """Each ```python block runs as written, in a folder holding the demo project as
    'my-study' (analysed, and embedding with the hashing embedder instead of the model)."""
    import shutil

    from focuscode.pipeline.embed import HashingEmbedder
    from focuscode.workflows import Project

    blocks = _readme_python()
    assert blocks, "the README has no Python example"
    shutil.copytree(demo_analysed, tmp_path / "my-study")
    (tmp_path / "codebooks").symlink_to(REPO / "codebooks")
    monkeypatch.chdir(tmp_path)
    real_open = Project.open.__func__
    monkeypatch.setattr(Project, "open", classmethod(
        lambda cls, folder, **kw: real_open(cls, folder, **{"embedder": HashingEmbedder(),
                                                            **kw})))
    for block in blocks:
        scope: dict = {}
        exec(compile(block, "README.md", "exec"), scope)  # noqa: S102 - our own README
        for name, value in scope.items():  # every table is a DataFrame, none of them empty
            if name == "tables":
                assert all(len(table.columns) for table in value)


def test_python_named_in_the_readme_text_is_in_its_examples() -> None:
    """Methods the prose names (`project.x.y()`) exist: each is called in a run example."""
    readme = (REPO / "README.md").read_text()
    examples = "".join(_readme_python())
    for call in re.findall(r"`(project\.[\w.]+)\(", readme):
        assert call + "(" in examples, f"`{call}()` is named but not in a Python example"
    assert not re.findall(r"`\.\.\._frame\(\)|`Project\.open\(", readme), \
        "Python in the prose that no example runs"
