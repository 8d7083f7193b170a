"""The command line given random argv over the demo project (issue 16): whatever the words,
options and values, ``focuscode`` ends with exit code 0, 1 (one ``error:`` line) or 2 (one usage
line), never a traceback. 500 examples in the suite, in this process (the entry point's
``main``); ``FOCUSCODE_ARGV_EXAMPLES=5000`` for more. The embedding model is the hashing test
double and the workbench does not open, so the run stays well under a minute."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_support import DEMO, cli_commands, run_main

from focuscode.pipeline.embed import HashingEmbedder

EXAMPLES = int(os.environ.get("FOCUSCODE_ARGV_EXAMPLES", "500"))
COMMANDS = cli_commands()
# Commands that really run for seconds (the report, plots, an analysis): drawn ten times less
# often than the others, so 500 examples stay under a minute.
SLOW = (["report"], ["export", "plots"], ["export", "refi"], ["export", "quotes"], ["compare"],
        ["analyse"], ["run"], ["suggest"])
WEIGHTED = [c for c in COMMANDS for _ in range(1 if c[0] in SLOW else 10)]
TALLY = {"runs": 0, "exit codes": {}}


def _options(command) -> list[str]:  # noqa: ANN001
    names = []
    for param in command.params:
        names += [*getattr(param, "opts", []), *getattr(param, "secondary_opts", [])]
    return [n for n in names if n.startswith("-") and n not in ("--help",)]


def _values(folder: Path) -> st.SearchStrategy[str]:
    demo = folder / "demo"  # a copy: an export may well be told to overwrite an input
    paths = [str(folder / "proj"), str(folder / "proj" / "focuscode.sqlite"),
             str(demo), str(demo / "roundtable1_boston.txt"), str(demo / "speakers.yaml"),
             str(demo / "roundtable3_chicago.docx"), "/dev/null", "/dev/zero", "/nonexistent/x",
             str(folder), "out.csv", "out.xlsx", "out.md", "out.docx", "out.html", "out.qdpx",
             "out.qdc", "out.yaml", "out", "plots", "q.pdf", ".", "", "-", "--", "*", "c1",
             "patient,physician", "role", "site", "eom", "leaf", "speakers", "segments"]
    numbers = st.one_of(st.integers(-2**70, 2**70).map(str),
                        st.sampled_from(["0", "1", "-1", "3", "1e3", "nan", "inf", "-0.5", "0x10",
                                         "99999999999999999999", "1_000"]))
    return st.one_of(st.sampled_from(paths), numbers,
                     st.text(st.characters(codec="utf-8", exclude_characters="\x00"),
                             max_size=12))


OUTPUTS = ["out.csv", "out.xlsx", "out.md", "out.docx", "out.html", "out.qdpx", "out.qdc",
           "out.yaml", "plots", "out.sqlite", "out"]


def plausible(folder: Path) -> dict[str, list[str]]:
    """Values that often get a command past its parser, to run it for real (inputs are copies
    in ``folder``, never the repository's files)."""
    demo = folder / "demo"
    return {"paths": [str(demo), str(demo / "roundtable1_boston.txt"),
                      str(demo / "roundtable2_zoom.vtt")],
            "segments": ["1", "2", "17", "40", "100000"],
            "as_code": ["c1", "1", "Holistic view of care", "no such code"],
            "path": [str(folder / "starter_codebook.yaml"), str(demo / "speakers.yaml"),
                     "out.csv"],
            "to": OUTPUTS}


def _required(draw, command, values, folder) -> list[str]:  # noqa: ANN001
    """Values for the command's required parameters, mostly plausible ones."""
    argv: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        pool = st.sampled_from(plausible(folder).get(param.name, ["x"]))
        value = draw(st.one_of(pool, pool, pool, values))
        argv += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return argv


def argv_strategy(folder: Path) -> st.SearchStrategy[list[str]]:
    values = _values(folder)

    @st.composite
    def build(draw) -> list[str]:  # noqa: ANN001
        words, command = draw(st.sampled_from(WEIGHTED))
        words = list(words)
        if draw(st.integers(0, 9)) == 0:  # a partial or misspelt command
            words = draw(st.sampled_from([[], words[:1], [words[0][:-1] or "x"], ["imprt"]]))
        tokens = _required(draw, command, values, folder) if draw(st.integers(0, 3)) else []
        tokens += draw(st.lists(st.one_of(st.sampled_from(_options(command) or ["--x"]), values),
                                max_size=draw(st.sampled_from([0, 0, 2, 4, 6]))))
        if draw(st.integers(0, 4)):  # mostly over the demo project
            tokens += ["--project", str(folder / "proj")]
        return [*words, *tokens]

    return build()


def test_random_argv_never_gives_a_traceback(tmp_path, demo_analysed):
    shutil.copytree(demo_analysed, tmp_path / "proj")
    shutil.copytree(DEMO, tmp_path / "demo")
    shutil.copy(DEMO.parent / "codebooks" / "starter_codebook.yaml", tmp_path)
    (tmp_path / "work").mkdir()
    inputs = [p for folder in (DEMO, DEMO.parent / "codebooks") for p in folder.rglob("*")]
    repository = {p: p.stat().st_mtime_ns for p in inputs if p.is_file()}
    previous = os.getcwd()
    os.chdir(tmp_path / "work")  # every relative --to lands here, never in the repository

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(argv=argv_strategy(tmp_path))
    def run(argv: list[str]) -> None:
        code, out, err = run_main(*argv)
        TALLY["runs"] += 1
        TALLY["exit codes"][code] = TALLY["exit codes"].get(code, 0) + 1
        assert "Traceback" not in out + err, (argv, err)
        assert code in (0, 1, 2), (argv, code, out, err)
        if code:
            lines = [line for line in err.splitlines() if line.strip()
                     and not line.lstrip().startswith(("⠋", "Reading", "Storing", "Embedding"))]
            if not (code == 2 and "Usage:" in out + err):  # a group's help, given no command
                assert lines and lines[-1].startswith("error: "), (argv, err)
                assert len([x for x in lines if x.startswith("error: ")]) == 1, (argv, err)

    try:
        with mock.patch("focuscode.workflows.project.SentenceTransformerEmbedder",
                        lambda *args, **kwargs: HashingEmbedder()), \
                mock.patch("focuscode.tui.make_app") as make_app:
            make_app.return_value.run.return_value = None
            run()
    finally:
        os.chdir(previous)
    assert TALLY["runs"] >= EXAMPLES
    changed = [p for p, mtime in repository.items() if not p.exists()
               or p.stat().st_mtime_ns != mtime]
    assert not changed, changed  # the repository's files are never written
    assert len(TALLY["exit codes"]) >= 2, TALLY  # both successes and refusals were reached
