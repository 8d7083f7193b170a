"""Codebook files: YAML, CSV, XLSX and .qdc round-trip what they can hold and say what they
cannot; bad codebooks are refused with the file and the reason."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from focuscode.domain import Code, ExportError, IngestError
from focuscode.domain.codebook import Codebook
from focuscode.export.codebooks import from_csv, from_yaml, read_codebook, write_codebook

REPO = Path(__file__).resolve().parents[2]
STARTER = REPO / "codebooks" / "starter_codebook.yaml"


def code(name: str, **fields) -> Code:
    return Code(id=None, name=name, source="codebook", status="accepted", **fields)


@pytest.fixture
def tricky() -> Codebook:
    """Every field used, with text that trips spreadsheets and parsers."""
    return Codebook.of([
        code("Trust", definition="Whether people trust pharma.\n\nSecond paragraph.",
             include="=distrust counts", exclude="- trust in doctors", color="#AA3300",
             memo="From the protocol.\n\nRevised after RT1.", examples=("I don't trust them.",
                                                                       "+1 to that")),
        code("COVID", parent="Trust", definition="COVID as a turning point.",
             examples=("It just turned the lights on.",)),
        code("Time", definition="Short visits.", memo="Physicians' constraint"),
    ], name="Test codebook", description="For the tests: \"quotes\", accents é.")


def test_the_starter_codebook_reads_parents_first() -> None:
    codebook = read_codebook(STARTER)
    assert codebook.name == "Patient-centricity starter codebook"
    assert len(codebook) == 18
    assert [c.name for c in codebook.children(None)] == [
        "Views of care", "Physicians' constraints", "Information and digital tools", "Trust"]
    holistic = codebook.code("holistic view of care")
    assert (holistic.parent, holistic.color, len(holistic.examples)) == (
        "Views of care", "#59a14f", 3)
    for position, entry in enumerate(codebook.codes):  # every parent comes before its children
        if entry.parent:
            assert [c.name for c in codebook.codes[:position]].count(entry.parent) == 1


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".xlsx", ".qdc"])
def test_round_trip_keeps_every_code_field(tricky: Codebook, tmp_path: Path, suffix) -> None:
    path, losses = write_codebook(tricky, tmp_path / f"codebook{suffix}")
    back = read_codebook(path)
    if suffix == ".qdc":  # every code of a .qdc has a colour: a derived one if it had none
        assert all(c.color for c in back.codes)
        back = replace(back, codes=tuple(replace(c, color=t.color)
                                         for c, t in zip(back.codes, tricky.codes)))
    assert back.codes == tricky.codes
    if suffix in (".yaml", ".xlsx"):
        assert (back.name, back.description, losses) == (tricky.name, tricky.description, [])
    else:  # CSV and .qdc cannot hold the codebook's own name and description, and say so
        assert (back.name, back.description) == ("", "")
        assert any("name and description" in loss for loss in losses)


def test_starter_codebook_round_trips_through_every_format(tmp_path: Path) -> None:
    starter = read_codebook(STARTER)
    for suffix in (".yaml", ".csv", ".xlsx", ".qdc"):
        path, _ = write_codebook(starter, tmp_path / f"starter{suffix}")
        assert read_codebook(path).codes == starter.codes, suffix
    yaml_path, _ = write_codebook(starter, tmp_path / "again.yaml")
    assert read_codebook(yaml_path) == starter


@pytest.mark.shared
def test_qdc_validates_against_the_refi_schema(tricky: Codebook, tmp_path: Path,
                                               refi_schemas: Path) -> None:
    import xmlschema

    path, _ = write_codebook(read_codebook(STARTER), tmp_path / "starter.qdc")
    xmlschema.XMLSchema(str(refi_schemas / "Codebook.xsd")).validate(str(path))
    path, _ = write_codebook(tricky, tmp_path / "tricky.qdc")
    xmlschema.XMLSchema(str(refi_schemas / "Codebook.xsd")).validate(str(path))


def test_what_a_format_cannot_hold_is_said(tmp_path: Path) -> None:
    codebook = Codebook.of([code("A", examples=("line one\nline two",),
                                 include="first\n\nsecond")])
    _, losses = write_codebook(codebook, tmp_path / "a.csv")
    assert losses == ["CSV keeps one example per line: line breaks inside examples became "
                      "spaces (A)"]
    _, losses = write_codebook(codebook, tmp_path / "a.qdc")
    assert losses == ["blank lines inside include/exclude notes become line breaks (A)",
                      "line breaks inside examples become spaces (A)"]
    _, losses = write_codebook(codebook, tmp_path / "a.yaml")
    assert losses == []
    assert read_codebook(tmp_path / "a.yaml").codes == codebook.codes


def test_spreadsheet_headers_in_researchers_own_words() -> None:
    text = ("Code,Definition,Inclusion criteria,Exclusion criteria,Example quotes,"
            "Parent code,Colour,Notes\n"
            'Trust,Trust in pharma,distrust too,,"one\ntwo",,#abc,memo\n'
            "COVID,,,,,Trust,,\n")
    codebook = from_csv(text)
    assert codebook.codes == (
        code("Trust", definition="Trust in pharma", include="distrust too",
             examples=("one", "two"), color="#abc", memo="memo"),
        code("COVID", parent="Trust"))


@pytest.mark.parametrize(("text", "message"), [
    ("codes:\n  - name: A\n  - name: a\n", "two codes are called 'a'"),
    ("codes:\n  - name: A\n    parent: B\n", "parent 'B' is not in the codebook"),
    ("codes:\n  - name: A\n    parent: B\n  - name: B\n    parent: A\n", "its own ancestor"),
    ("codes:\n  - name: A\n    color: red\n", "colour 'red' is not #RRGGBB"),
    ("codes:\n  - name: A\n    defintion: typo\n", "code 1: unknown field 'defintion'"),
    ("codes:\n  - definition: nameless\n", "code 1: a code without a name"),
    ("name: x\n", "a mapping with a 'codes' list"),
    ("codes: [\n", "not valid YAML"),
])
def test_bad_codebooks_are_refused(text: str, message: str) -> None:
    with pytest.raises(IngestError, match=message) as caught:
        from_yaml(text, source="book.yaml")
    assert caught.value.path == "book.yaml"


def test_csv_without_a_name_column_and_unknown_formats_are_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no 'name' column"):
        from_csv("definition\nsomething\n")
    other = tmp_path / "codes.txt"
    other.write_text("x")
    with pytest.raises(IngestError, match="cannot tell the codebook format"):
        read_codebook(other)
    with pytest.raises(ExportError, match="unknown codebook format 'json'"):
        write_codebook(Codebook.of([code("A")]), tmp_path / "a.json", "json")
    with pytest.raises(ExportError, match="empty"):
        write_codebook(Codebook.of([]), tmp_path / "a.yaml")


def test_codebook_order_is_parents_first_in_file_order() -> None:
    codebook = Codebook.of([code("child", parent="B"), code("A"), code("B")])
    assert [c.name for c in codebook.codes] == ["A", "B", "child"]
    assert codebook.depth("child") == 1 and codebook.is_parent("B")
    assert replace(codebook, name="x") != codebook


def test_a_codebook_giving_a_key_twice_is_refused():
    """Issue 16: YAML keeps the last of two equal keys silently."""
    import pytest

    from focuscode.domain import IngestError
    from focuscode.export.codebooks import from_yaml

    with pytest.raises(IngestError, match="gives the key 'definition' twice") as caught:
        from_yaml("codes:\n  - name: A\n    definition: one\n    definition: two\n",
                  source="c.yaml")
    assert caught.value.line == 4


def test_a_codebook_that_is_a_pipe_or_device_is_refused_without_reading(tmp_path):
    """Issue 16: a named pipe would hang the import; it is refused before it is opened."""
    import os

    import pytest

    from focuscode.domain import IngestError
    from focuscode.export.codebooks import read_codebook

    os.mkfifo(tmp_path / "codebook.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    for name in ("codebook.yaml", "zero.yaml"):
        with pytest.raises(IngestError, match="not a regular file"):
            read_codebook(tmp_path / name)
