"""The import report (issue 12, item 4): per file the speakers with turns and words, how each got
its role, every line not put into a turn and every label-like line read as speech; a dry run
stores nothing; per-cue times on the segments of long captioned turns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from focuscode.domain import SpeakerTally

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_report_names_speakers_roles_and_every_line_not_in_a_turn(project, tmp_path):
    speakers = tmp_path / "speakers.csv"
    speakers.write_text("label,role\nAna Silva,patient\n", encoding="utf-8")
    report = project.import_files([FIXTURES / "tiny.txt"], speakers_file=speakers)
    (file,) = report.files
    assert (file.name, file.format, file.n_turns) == ("tiny.txt", "text", 12)
    assert file.speakers == (
        SpeakerTally("Moderator", 4, 27, "moderator", "guessed from the label"),
        SpeakerTally("Ana Silva", 5, 54, "patient", "speakers file"),
        SpeakerTally("Ben Okoro", 3, 50, "unknown", "not in a speakers file"))
    assert [(s.kind, s.line, s.count, s.first) for s in file.skipped] == [
        ("preamble", 1, 3, "Focus group 7 - waiting for care"), ("note", 16, 2, "[crosstalk]")]
    assert [(a.line, a.label) for a in file.as_text] == [(12, "And I said to the pharmacist")]


def test_dry_run_reports_and_stores_nothing(project, tmp_path):
    before = project.store.db.query("SELECT COUNT(*) FROM speakers")[0][0]
    report = project.import_files([FIXTURES / "labels"], dry_run=True)
    assert report.dry_run and len(report.files) == 8 and report.n_turns == 43
    assert project.store.transcripts() == []
    assert project.store.db.query("SELECT COUNT(*) FROM speakers")[0][0] == before
    again = project.import_files([FIXTURES / "labels"])
    assert (again.imported, again.n_turns) == (report.imported, 43)


def test_cli_import_prints_the_report_and_dry_run_changes_nothing(tmp_path):
    from typer.testing import CliRunner

    from focuscode.cli.app import app

    runner = CliRunner()
    folder = tmp_path / "proj"
    assert runner.invoke(app, ["init", "--project", str(folder)]).exit_code == 0
    database = folder / "focuscode.sqlite"
    size = database.stat().st_size
    result = runner.invoke(app, ["import", str(FIXTURES / "tiny.txt"), "--project", str(folder),
                                 "--dry-run"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Would import 1 transcript(s): 12 turns" in result.output
    assert "Ana Silva: 5 turns, 54 words" in result.output
    assert "Not in a turn: 3 preamble line(s) from line 1" in result.output
    assert "Not in a turn: 2 note line(s) from line 16" in result.output
    assert "line 12 'And I said to the pharmacist:'" in result.output
    assert "Dry run: nothing was stored." in result.output
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT COUNT(*) FROM transcripts").fetchone() == (0,)
    assert database.stat().st_size == size
    stored = runner.invoke(app, ["import", str(FIXTURES / "tiny.txt"), "--project", str(folder)],
                           terminal_width=200)
    assert "Imported 1 transcript(s): 12 turns" in stored.output


LONG_CUES = "WEBVTT\n\n" + "".join(
    f"{n}\n00:{minute}.000 --> 00:{end}.000\nRosa Diaz: {text}\n\n"
    for n, (minute, end, text) in enumerate([
        ("10:32", "10:47", "When I was first diagnosed nobody told me what the medicine would "
                           "do to my sleep, or my appetite, or how long it would take to work."),
        ("10:47", "11:03", "I found out from other patients in an online forum, which is not "
                           "where anyone should learn about the side effects of their drugs."),
        ("11:03", "11:19", "Later the nurse explained it all in ten minutes, and I wished she "
                           "had been the first person I spoke to, not the last one in the row."),
    ], start=1)) + "2\n00:11:19.000 --> 00:11:25.000\nDr. Lee: Thank you.\n\n"


def test_segments_of_a_long_captioned_turn_keep_their_own_cue_times(project, tmp_path):
    path = tmp_path / "session.vtt"
    path.write_text(LONG_CUES, encoding="utf-8")
    project.configure(max_words=30, window_words=30)
    project.import_files([path])
    rosa = [s for s in project.store.segments() if s.speaker == "Rosa Diaz"]
    assert len(rosa) == 3
    assert [s.start_time for s in rosa] == [632.0, 647.0, 663.0]
    rows = {row.segment_id: row.start_time for row in project.segment_rows()}
    assert [rows[s.id] for s in rosa] == [632.0, 647.0, 663.0]


def test_survey_answers_import_and_compare_by_a_respondent_attribute(project):
    from focuscode.workflows.importing import SurveyColumns

    report = project.import_files([FIXTURES / "survey" / "answers.csv"], survey=SurveyColumns(
        text="answer", id="respondent", attributes=("site", "age_group")))
    (file,) = report.files
    assert (file.n_turns, [s.how for s in file.speakers]) == (3, ["from the file"] * 3)
    assert [(s.kind, s.count) for s in file.skipped] == [("rows without an answer", 1)]
    assert {s.label: dict(s.attributes) for s in project.store.speakers()} == {
        "R-001": {"site": "Leeds", "age_group": "18-34"},
        "R-002": {"site": "York", "age_group": "65+"},
        "R-004": {"site": "York", "age_group": "35-64"}}



def test_survey_answers_can_be_compared_by_an_attribute_after_analysis(project, tmp_path):
    import csv

    from focuscode.workflows.importing import SurveyColumns

    topics = ["the nurse explained every step of the treatment kindly",
              "waiting three hours in the emergency department without news",
              "parking at the hospital was expensive and far away"]
    path = tmp_path / "answers.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "site", "answer"])
        for n in range(36):
            writer.writerow([f"A{n}", "Leeds" if n % 2 else "York",
                             f"{topics[n % 3]} and respondent {n} said so again"])
    project.import_files([path], survey=SurveyColumns(text="answer", id="id",
                                                      attributes=("site",)))
    project.analyse()
    frame = project.reports.comparison_frame("site")
    assert len(frame) > 0 and any("Leeds" in str(column) for column in frame.columns)


def test_a_dry_run_needs_no_project_and_makes_none(tmp_path):
    from typer.testing import CliRunner

    from focuscode.cli.app import app

    folder = tmp_path / "nothing-here"
    result = CliRunner().invoke(app, ["import", str(FIXTURES / "labels"), "--dry-run",
                                      "--project", str(folder)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Would import 8 transcript(s): 43 turns" in result.output
    assert not folder.exists()
