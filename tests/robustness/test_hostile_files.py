"""Promise 5: nothing is let in. DOCX and codebook imports refuse zip-slip paths, zip bombs,
external entities and entity expansion (and a local file an XXE points at never reaches the
project); CSV/XLSX exports neutralise formulas; no shell, eval or pickle in the package; export
paths stay in the folder asked for, whatever transcripts and codes are called."""

from __future__ import annotations

import ast
import csv
import io
import struct
import time
import zipfile
from pathlib import Path

import docx
import pytest
from robust_support import DEMO, REFUSALS, REPO

from focuscode.domain import FocuscodeError, IngestError, archives
from focuscode.export.codebooks import read_codebook
from focuscode.export.files import FORMULA_PREFIXES
from focuscode.pipeline.embed import HashingEmbedder
from focuscode.pipeline.ingest import docx as docx_ingest
from focuscode.pipeline.ingest import parse_transcript
from focuscode.workflows import Project

REFUSED = REFUSALS  # what was refused: its length is in the session summary


def refused(call, match: str | None = None) -> FocuscodeError:  # noqa: ANN001
    with pytest.raises(FocuscodeError, match=match) as caught:
        call()
    assert str(caught.value).strip()
    REFUSED.append(str(caught.value))
    return caught.value


# building hostile files -----------------------------------------------------------------------
def word_document(text: str = "Ana: hello there PLACEHOLDER") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    document.add_paragraph("Ben: and a second turn")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, change=lambda name, content: content, extra=()) -> bytes:  # noqa: ANN001
    """``data`` (a zip) with each member passed through ``change``, plus ``extra`` members
    ((name, bytes) or (ZipInfo, bytes))."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info, change(info.filename, source.read(info)))
        for name, content in extra:
            archive.writestr(name, content)
    return buffer.getvalue()


def with_doctype(xml: bytes, doctype: str, placeholder: str = "PLACEHOLDER",
                 reference: str = "&xxe;") -> bytes:
    xml = xml.replace(placeholder.encode(), reference.encode())
    if xml.startswith(b"<?xml"):
        head, sep, rest = xml.partition(b"?>")
        return head + sep + doctype.encode() + rest
    return doctype.encode() + xml


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size ``member`` declares, in its local header and the central
    directory (what a crafted bomb does to slip past a size check)."""
    data = bytearray(data)
    name = member.encode()
    local = data.find(b"PK\x03\x04" + b"")
    while local != -1:
        name_length = struct.unpack_from("<H", data, local + 26)[0]
        if bytes(data[local + 30:local + 30 + name_length]) == name:
            struct.pack_into("<I", data, local + 22, size)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + name_length]) == name:
            struct.pack_into("<I", data, central + 24, size)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-4f9c2a", encoding="utf-8")
    return path


def import_docx(tmp_path: Path, data: bytes) -> Project:
    path = tmp_path / "hostile.docx"
    path.write_bytes(data)
    project = Project.init(tmp_path / "proj", embedder=HashingEmbedder())
    refused(lambda: project.import_files([path]))
    assert project.store.transcripts() == []  # nothing of it got in
    return project


# DOCX -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../../evil.txt", "/tmp/evil.txt", "word/../../evil.txt",
                                  "C:\\evil.txt", "..\\..\\evil.txt"])
def test_docx_with_a_zip_slip_path_is_refused(tmp_path, name):
    data = rezip(word_document(), extra=[(name, b"owned")])
    project = import_docx(tmp_path, data)
    project.close()
    assert "unsafe path" in REFUSED[-1]
    assert not list(tmp_path.parent.rglob("evil.txt")) and not Path("/tmp/evil.txt").exists()


def test_docx_zip_bomb_by_size_by_ratio_and_by_lying_header_is_refused(tmp_path):
    plain = word_document()
    declared_huge = rezip(plain, extra=[(f"word/media/big{n}.bin", b"\0" * 1000)
                                        for n in range(16)])
    for n in range(16):  # each 19 MiB (below the ratio check), 304 MiB together
        declared_huge = lie_about_size(declared_huge, f"word/media/big{n}.bin",
                                       19 * 1024 * 1024)
    refused(lambda: docx_ingest.parse_docx_turns(declared_huge, "x.docx"), "more than 300 MiB")
    by_ratio = rezip(plain, extra=[("word/media/zeros.bin", b"\0" * (30 * 1024 * 1024))])
    assert len(by_ratio) < 200_000  # 30 MiB packed into ~30 KiB
    refused(lambda: docx_ingest.parse_docx_turns(by_ratio, "x.docx"), "zip bomb")
    # A member claiming 2 KiB that inflates to 50 MiB: never read past what it declared.
    liar = lie_about_size(rezip(plain, change=lambda name, content: content + b"\0" * (
        50 * 1024 * 1024) if name == "word/document.xml" else content), "word/document.xml", 2048)
    clock = time.perf_counter()
    refused(lambda: docx_ingest.parse_docx_turns(liar, "x.docx"))
    assert time.perf_counter() - clock < 5


def xxe_docx(secret: Path) -> bytes:
    return rezip(word_document(), lambda name, content: with_doctype(
        content, f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>')
        if name == "word/document.xml" else content)


def laughs(placeholder_reference: str = "&lol9;") -> str:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    return "<!DOCTYPE lolz [" + "".join(entities) + "]>"


def test_docx_with_an_external_entity_is_refused_and_never_reads_the_file(tmp_path, secret,
                                                                         monkeypatch):
    data = xxe_docx(secret)
    project = import_docx(tmp_path, data)
    project.close()
    assert "DTD or entities" in REFUSED[-1] and "TOPSECRET" not in REFUSED[-1]
    # Defence in depth: without our DTD check, python-docx's parser still resolves nothing.
    monkeypatch.setattr(archives, "DTD_MARKERS", ())
    try:
        text, turns = docx_ingest.parse_docx_turns(data, "x.docx")
    except FocuscodeError as error:
        text = str(error)
    assert "TOPSECRET" not in text


def test_docx_billion_laughs_is_refused_and_never_expanded(tmp_path, monkeypatch):
    data = rezip(word_document(), lambda name, content: with_doctype(
        content, laughs(), reference="&lol9;") if name == "word/document.xml" else content)
    import_docx(tmp_path, data).close()
    monkeypatch.setattr(archives, "DTD_MARKERS", ())
    clock = time.perf_counter()
    try:
        text, _ = docx_ingest.parse_docx_turns(data, "x.docx")
    except FocuscodeError as error:
        text = str(error)
    assert "lollollol" not in text and time.perf_counter() - clock < 5


def test_damaged_and_encrypted_docx_are_one_line_errors(tmp_path):
    plain = word_document()
    for data in (plain[: len(plain) // 2], b"PK\x03\x04" + b"\0" * 100,
                 rezip(plain, lambda name, content: content[:-40]
                       if name == "word/document.xml" else content)):
        path = tmp_path / "broken.docx"
        path.write_bytes(data)
        refused(lambda: parse_transcript(path))
    encrypted = bytearray(plain)
    at = encrypted.find(b"PK\x01\x02")
    while at != -1:  # set the "encrypted" flag of every member
        struct.pack_into("<H", encrypted, at + 8, struct.unpack_from("<H", encrypted, at + 8)[0]
                         | 1)
        at = encrypted.find(b"PK\x01\x02", at + 4)
    path = tmp_path / "locked.docx"
    path.write_bytes(bytes(encrypted))
    refused(lambda: parse_transcript(path))


# codebooks --------------------------------------------------------------------------------------
QDC = ('<?xml version="1.0" encoding="utf-8"?>{doctype}<CodeBook '
       'xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="6f0c5a57-9f5e-4a8e-9a55-8e5a3c1f0d42" '
       'name="Trust {ref}" isCodable="true"><Description>{ref}</Description></Code></Codes>'
       '</CodeBook>')


@pytest.mark.parametrize("kind", ["external entity", "external DTD", "parameter entity",
                                  "billion laughs"])
def test_qdc_with_entities_is_refused_and_leaks_nothing(tmp_path, secret, kind):
    doctype, ref = {
        "external entity": (f'<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
                            "&xxe;"),
        "external DTD": (f'<!DOCTYPE CodeBook SYSTEM "{secret.as_uri()}">', ""),
        "parameter entity": (f'<!DOCTYPE CodeBook [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>',
                             ""),
        "billion laughs": (laughs(), "&lol9;"),
    }[kind]
    path = tmp_path / "hostile.qdc"
    path.write_text(QDC.format(doctype=doctype, ref=ref), encoding="utf-8")
    with Project.init(tmp_path / "proj", embedder=HashingEmbedder()) as project:
        try:
            project.codebook.import_file(path)
        except FocuscodeError as error:
            REFUSED.append(str(error))
            assert "TOPSECRET" not in str(error)
        codes = project.log.codes(include_deleted=True)
        assert all("TOPSECRET" not in f"{c.name} {c.definition}" and "lollol" not in c.definition
                   for c in codes)
        if kind != "external DTD":  # entities are refused outright
            assert codes == []


def xlsx_codebook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "definition"])
    book.active.append(["Trust", "PLACEHOLDER"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_codebook_with_an_external_entity_is_refused(tmp_path, secret, monkeypatch):
    data = rezip(xlsx_codebook(), lambda name, content: with_doctype(
        content, f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
        placeholder="Trust", reference="&xxe;") if name.endswith("sheet1.xml") else content)
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    error = refused(lambda: read_codebook(path), "DTD or entities")
    assert isinstance(error, IngestError) and "TOPSECRET" not in str(error)
    # Defence in depth: without our DTD check, openpyxl's parser still resolves nothing.
    monkeypatch.setattr(archives, "DTD_MARKERS", ())
    try:
        text = " ".join(c.name + c.definition for c in read_codebook(path).codes)
    except FocuscodeError as error:
        text = str(error)
    assert "TOPSECRET" not in text


def test_xlsx_codebook_zip_bombs_and_zip_slip_are_refused_and_import_nothing(tmp_path):
    plain = xlsx_codebook()
    declared_huge = rezip(plain, extra=[(f"xl/media/big{n}.bin", b"\0" * 1000)
                                        for n in range(16)])
    for n in range(16):  # each 19 MiB (below the ratio check), 304 MiB together
        declared_huge = lie_about_size(declared_huge, f"xl/media/big{n}.bin", 19 * 1024 * 1024)
    by_ratio = rezip(plain, extra=[("xl/media/zeros.bin", b"\0" * (30 * 1024 * 1024))])
    assert len(by_ratio) < 200_000  # 30 MiB packed into ~30 KiB
    # A sheet claiming 2 KiB that inflates to 50 MiB: never read past what it declared.
    liar = lie_about_size(rezip(plain, change=lambda name, content: content + b"\0" * (
        50 * 1024 * 1024) if name.endswith("sheet1.xml") else content), "xl/worksheets/sheet1.xml",
        2048)
    slip = rezip(plain, extra=[("../../evil.txt", b"owned")])
    with Project.init(tmp_path / "proj", embedder=HashingEmbedder()) as project:
        for name, data, match in [("huge", declared_huge, "more than 300 MiB"),
                                  ("ratio", by_ratio, "zip bomb"), ("liar", liar, None),
                                  ("slip", slip, "unsafe path")]:
            path = tmp_path / f"{name}.xlsx"
            path.write_bytes(data)
            clock = time.perf_counter()
            error = refused(lambda path=path: project.codebook.import_file(path), match)
            assert isinstance(error, IngestError) and str(path) in str(error)
            assert time.perf_counter() - clock < 5
        assert project.log.codes(include_deleted=True) == [] and project.log.history() == []
    assert not list(tmp_path.parent.rglob("evil.txt"))


# exports ----------------------------------------------------------------------------------------
HOSTILE = ['=HYPERLINK("http://evil.test","click")', "+1 555 0100", "-2+3", "@SUM(A1:A9)",
           "=cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory) -> Path:
    """Transcripts whose names, speakers, attributes, turns and codes look like formulas or
    paths (``../../x``), analysed, with codes accepted and segments confirmed."""
    root = tmp_path_factory.mktemp("hostile")
    sources = root / "sources"
    sources.mkdir()
    (sources / "=1+2.txt").write_text(
        (DEMO / "roundtable1_boston.txt").read_text(encoding="utf-8") + "\n"
        + "\n".join(f"Denise Carter: {value} is what I typed into the form" for value in HOSTILE),
        encoding="utf-8")
    (sources / "speakers.yaml").write_text(
        "speakers:\n  Denise Carter:\n    role: '=role'\n    pseudonym: '=HYPERLINK(\"x\")'\n"
        "    attributes: {site: '+44 20', note: '@x'}\n", encoding="utf-8")
    folder = root / "proj"
    with Project.init(folder, embedder=HashingEmbedder(), coder="ana") as project:
        project.import_files([sources / "=1+2.txt"], speakers_file=sources / "speakers.yaml",
                             attributes={"site": "=evil()"})
        parsed = parse_transcript(DEMO / "roundtable2_zoom.vtt", name="../../x")
        from focuscode.pipeline.segment import TurnSegmenter

        speakers = [project.store.speakers()[0]]
        turns = [t for t in parsed.turns]
        from dataclasses import replace

        parsed = replace(parsed, turns=tuple(replace(t, speaker=speakers[0].label) for t in turns))
        project.store.add_transcript(parsed, {"name": "../../../etc/x"}, speakers,
                                     TurnSegmenter().transform(parsed.turns, {}))
        project.analyse()
        entries = [e for e in project.review.entries() if not e.is_queue]
        names = ["<script>alert(1)</script>", *HOSTILE, "../../evil", "..\\..\\evil", "/tmp/evil"]
        for entry, name in zip(entries, names):
            project.decisions.accept(entry.key, name)
            project.decisions.define(f"c{project.review.entry(entry.key).code_id}", HOSTILE[0])
            rows = project.review.segments(entry.key).rows[:3]
            project.decisions.confirm(entry.key, [r.segment_id for r in rows])
    return folder


def cells_of(path: Path) -> list[tuple[str, object, str]]:
    """(where, value, openpyxl data type or 'csv') of every cell of a CSV or XLSX file."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [(f"{path.name}:{n}", cell, "csv") for n, row in enumerate(csv.reader(handle))
                    for cell in row]
    from openpyxl import load_workbook

    book = load_workbook(path)
    return [(f"{path.name}:{sheet.title}!{cell.coordinate}", cell.value, cell.data_type)
            for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def is_number(value: object) -> bool:
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def test_csv_and_xlsx_exports_neutralise_formulas(hostile_project, tmp_path):
    with Project.open(hostile_project, embedder=HashingEmbedder(), coder="ana") as project:
        reports = project.reports
        written = []
        for suffix in ("csv", "xlsx"):
            written.append(project.export_segments(tmp_path / f"segments.{suffix}"))
            written.append(project.export_segments(tmp_path / f"real.{suffix}", real_names=True))
            written.append(reports.export_quotes(tmp_path / f"quotes.{suffix}"))
            written.append(reports.export_quotes(tmp_path / f"long.{suffix}", long=True))
            written.append(reports.export_matrix(tmp_path / f"matrix.{suffix}"))
            written.append(reports.export_comparison(tmp_path / f"comparison.{suffix}"))
            written.append(project.codebook.export(tmp_path / f"codebook.{suffix}")[0])
    cells = [cell for path in written for cell in cells_of(Path(path))]
    hostile_seen = [c for c in cells if isinstance(c[1], str) and any(
        h.lstrip("=+-@") in c[1] for h in HOSTILE)]
    assert len(hostile_seen) > 20  # the hostile values did reach the exports...
    formulas = [c for c in cells if c[2] == "f" or (
        isinstance(c[1], str) and c[1].startswith(FORMULA_PREFIXES) and not is_number(c[1]))]
    assert formulas == []  # ...but none as something a spreadsheet would run


def test_export_paths_stay_in_the_target_folder(hostile_project, tmp_path):
    target = tmp_path / "a" / "b" / "c" / "out"  # '../../x' from here is still in tmp_path
    before = set(tmp_path.rglob("*"))
    with Project.open(hostile_project, embedder=HashingEmbedder(), coder="ana") as project:
        reports = project.reports
        reports.export_refi(target / "project.qdpx")
        reports.export_refi(target / "real.qdpx", real_names=True)
        project.codebook.export(target / "codes.qdc", include_suggested=True)
        reports.export_plots(target / "plots")
        reports.export_report(target / "report.html")
        reports.export_quotes(target / "quotes.md")
        reports.export_quotes(target / "quotes.docx")
        for fmt in ("yaml", "csv", "xlsx", "qdc"):
            project.codebook.export(target / f"codebook.{fmt}")
    created = set(tmp_path.rglob("*")) - before - set(target.parents)
    assert created and all(path.is_relative_to(target) for path in created), sorted(created)
    assert not Path("/tmp/evil").exists() and not list(Path("/tmp").glob("evil.*"))
    for archive in ("project.qdpx", "real.qdpx"):
        names = zipfile.ZipFile(target / archive).namelist()
        assert all(name == "project.qde" or (name.startswith("sources/") and ".." not in name
                                             and name.count("/") == 1) for name in names), names
    html = (target / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)" in html and "<script" not in html  # shown, never run


# no shell, eval or pickle -----------------------------------------------------------------------
RISKY_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint"}
RISKY_ATTRIBUTES = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execvp"),
                    ("os", "spawnl"), ("pickle", "load"), ("pickle", "loads"),
                    ("marshal", "loads"), ("yaml", "load"), ("yaml", "unsafe_load"),
                    ("yaml", "full_load"), ("torch", "load"), ("shelve", "open"),
                    ("importlib", "import_module")}
RISKY_MODULES = {"pickle", "marshal", "shelve", "subprocess", "dill", "cloudpickle"}


def risky_code(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in RISKY_CALLS:
                found.append(f"{where}: {func.id}()")
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and (
                    func.value.id, func.attr) in RISKY_ATTRIBUTES:
                found.append(f"{where}: {func.value.id}.{func.attr}()")
            for keyword in node.keywords:
                if keyword.arg == "shell" and not (isinstance(keyword.value, ast.Constant)
                                                   and keyword.value.value is False):
                    found.append(f"{where}: shell=...")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                node.module or ""]
            found += [f"{where}: import {n}" for n in names if n.split(".")[0] in RISKY_MODULES]
    return found


def test_no_shell_eval_or_pickle_in_the_package():
    files = sorted((REPO / "focuscode").rglob("*.py"))
    assert len(files) > 50
    assert [hit for path in files for hit in risky_code(path)] == []


def test_the_scan_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import pickle, subprocess\nimport yaml\neval(x)\nyaml.load(s)\n"
                      "subprocess.run(c, shell=True)\nos.system(c)\n", encoding="utf-8")
    assert len(risky_code(sample)) == 6
