"""The HTML report: self-contained, escaped, with a generated methods paragraph; it loads in a
real headless browser with no console errors and shows every theme."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from html import escape
from pathlib import Path

import pytest

from focuscode.export.html_report import methods_paragraph, render_report, write_report
from focuscode.pipeline.comparison import compare
from focuscode.pipeline.contrast import contrast

CHROMIUM = next((Path(p) for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser")
                 if Path(p).exists()), None)


@pytest.fixture(scope="module")
def report(report_data, reviewed, tmp_path_factory) -> Path:
    comparison = compare(report_data, by="role")
    contrasts = contrast(report_data, stop_words=reviewed.reports.contrast_stop_words())
    return write_report(report_data, comparison, contrasts,
                        tmp_path_factory.mktemp("report") / "report.html")


def test_report_is_one_self_contained_file(report) -> None:
    html = report.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["'](?!data:|#)""", html)  # nothing fetched
    assert html.count('src="data:image/svg+xml;base64,') == 3


def test_report_shows_every_code_quote_and_section(report, report_data) -> None:
    html = report.read_text(encoding="utf-8")
    for section in ("methods", "codebook", "themes", "comparison", "perspectives", "plots"):
        assert f'id="{section}"' in html
    for code in report_data.codes:
        assert f'id="{code.key}"' in html and escape(code.name) in html
    for quote in report_data.quotes:
        assert escape(report_data.shown(quote.text)) in html
    # speakers are cited by pseudonym, and names said inside a quote are replaced too
    assert not any(f"— {s.label}" in html for s in report_data.speakers)
    assert "De-identified: speakers appear under pseudonyms" in html


def test_methods_paragraph_states_model_parameters_seed_versions_and_people(report_data) -> None:
    text = methods_paragraph(report_data)
    run = report_data.run
    assert run.model_id in text and f"random state {run.random_state}" in text
    assert f"minimum cluster size {run.params['min_cluster_size_used']}" in text
    assert f"scikit-learn {run.versions['scikit-learn']}" in text
    assert f"{len(report_data.segments)} segments" in text
    assert "ana: 6 confirmed, 1 rejected, 2 code(s) created" in text


def test_text_is_escaped(report_data, reviewed) -> None:
    evil = dataclasses.replace(report_data, codes=(dataclasses.replace(
        report_data.codes[0], name="<img src=x onerror=alert(1)>"),) + report_data.codes[1:])
    html = render_report(evil, compare(evil, by="role"), [])
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                    "(apt-get install chromium to run the browser test)")
def test_report_loads_in_headless_chromium_without_console_errors(report, report_data,
                                                                  tmp_path) -> None:
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--enable-logging=stderr", "--v=0",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert f"<h1>{escape(report_data.project, quote=False)}</h1>" in dom  # the project's name
    empty = dom.split('id="empty-codes"')[1].split("</p>")[0] if "empty-codes" in dom else ""
    for code in report_data.codes:  # a section each, or named once among the empty ones
        # the DOM as Chromium serialises it: quotes in text are not escaped
        name = escape(code.name, quote=False)
        assert (f'id="{code.key}"' in dom or name in empty) and name in dom
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
