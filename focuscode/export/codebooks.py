"""Codebook files: YAML (the ``codebooks/`` format), CSV and XLSX (one row per code) and REFI-QDA
``.qdc`` (see ``refi``), read into a ``Codebook`` and written from one.

What each format holds:

- YAML: everything: the codebook's name and description, and every field of every code.
- XLSX: every field of every code (sheet "Codebook", examples one per line in their cell) and
  the codebook's name and description (sheet "Codebook info").
- CSV: every field of every code; not the codebook's name and description.
- .qdc: names, hierarchy and colours as REFI-QDA elements; definition, include and exclude
  notes, examples and memo in each code's Description (as labelled paragraphs that focuscode
  reads back; other programs show them as text); not the codebook's name and description.

Writers return what the file could not hold (said when exporting); readers accept the common
spellings of column names (``colour``, ``inclusion criteria``, ``example quotes``...).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from focuscode.domain import Code, ExportError, IngestError
from focuscode.domain.archives import ArchiveKind, check_zip
from focuscode.domain.codebook import CODE_FIELDS, Codebook
from focuscode.domain.nesting import check_expansion, check_unique_keys
from focuscode.export.files import FORMULA_PREFIXES, atomic_path

FORMATS = ("yaml", "csv", "xlsx", "qdc")
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".xlsx": "xlsx", ".qdc": "qdc"}
CODES_SHEET = "Codebook"
INFO_SHEET = "Codebook info"
_ALIASES = {
    "name": ("name", "code", "code name", "label"),
    "definition": ("definition", "description", "meaning"),
    "include": ("include", "inclusion", "inclusion criteria", "include notes", "when to use"),
    "exclude": ("exclude", "exclusion", "exclusion criteria", "exclude notes",
                "when not to use"),
    "examples": ("examples", "example", "example quotes", "examples of quotes", "quotes"),
    "parent": ("parent", "parent code", "category", "group"),
    "color": ("color", "colour"),
    "memo": ("memo", "memos", "notes", "comment", "comments"),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_HEADER_ONLY = ("name", "description")
MAX_YAML_VALUES = 1_000_000  # YAML aliases can make billions out of a few lines
MAX_YAML_BYTES = 50 * 1024 * 1024  # ... or gigabytes of text out of one long anchor
MAX_CODEBOOK_BYTES = 50 * 1024 * 1024
EXCEL_WORKBOOK = ArchiveKind(noun="workbook", program="Excel", suffix=".xlsx",
                             contents="a codebook")


def format_of(path: Path, fmt: str | None = None) -> str:
    """The format named by ``fmt`` or, without it, by the file's suffix."""
    if fmt:
        fmt = fmt.lower().lstrip(".")
        fmt = "yaml" if fmt == "yml" else fmt
        if fmt not in FORMATS:
            raise ExportError(f"unknown codebook format '{fmt}'",
                              hint=f"use one of {', '.join(FORMATS)}")
        named = SUFFIXES.get(Path(path).suffix.lower())
        if named is not None and named != fmt:
            raise ExportError(f"--format {fmt} but the file name ends in {Path(path).suffix}",
                              path=str(path), hint="make them agree, or leave --format out")
        return fmt
    found = SUFFIXES.get(Path(path).suffix.lower())
    if found is None:
        raise IngestError("cannot tell the codebook format from the file name", path=str(path),
                          hint="codebooks end in .yaml, .yml, .csv, .xlsx or .qdc")
    return found


# reading ---------------------------------------------------------------------------------------
def read_codebook(path: Path | str, fmt: str | None = None) -> Codebook:
    """A checked codebook from a YAML, CSV, XLSX or ``.qdc`` file."""
    path = Path(path)
    if not path.is_file():
        if path.exists():  # a folder, a named pipe, a device: never opened (a pipe would hang)
            raise IngestError("is not a regular file, not a codebook", path=str(path),
                              hint="give a .yaml, .csv, .xlsx or .qdc file")
        raise IngestError("codebook file not found", path=str(path))
    if path.stat().st_size > MAX_CODEBOOK_BYTES:
        raise IngestError(f"the file is larger than a codebook can be "
                          f"({MAX_CODEBOOK_BYTES // (1024 * 1024)} MiB)", path=str(path))
    fmt = format_of(path, fmt)
    if fmt == "qdc":
        from focuscode.export.refi_read import read_qdc

        return read_qdc(path)
    if fmt == "yaml":
        return from_yaml(_read_text(path), source=str(path))
    if fmt == "csv":
        return from_csv(_read_text(path), source=str(path))
    return from_xlsx(path)


def from_yaml(text: str, *, source: str | None = None) -> Codebook:
    import yaml

    try:
        check_unique_keys(yaml.compose(text), what="the codebook", source=source)
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise IngestError(f"not valid YAML ({getattr(error, 'problem', error)})", path=source,
                          line=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise IngestError("the YAML is nested too deeply to be a codebook", path=source) from None
    check_expansion(document, max_values=MAX_YAML_VALUES, max_bytes=MAX_YAML_BYTES,
                    what="the YAML", source=source)
    if isinstance(document, list):
        document = {"codes": document}
    if not isinstance(document, dict) or not isinstance(document.get("codes"), list):
        raise IngestError("a YAML codebook is a mapping with a 'codes' list", path=source,
                          hint="see codebooks/starter_codebook.yaml")
    unknown = sorted(map(str, set(document) - {"name", "description", "codes"}))
    if unknown:
        raise IngestError(f"unknown codebook key(s): {', '.join(map(str, unknown))}",
                          path=source, hint="a codebook has name, description and codes")
    codes = []
    for number, entry in enumerate(document["codes"], start=1):
        if not isinstance(entry, dict):
            raise IngestError(f"code {number} is not a mapping of fields", path=source)
        codes.append(_code(entry, f"code {number}", source))
    return Codebook.of(codes, name=_text(document.get("name")),
                       description=_text(document.get("description")), source=source)


def from_csv(text: str, *, source: str | None = None) -> Codebook:
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [row for row in reader]
    except csv.Error as error:
        raise IngestError(f"not valid CSV ({error})", path=source, line=reader.line_num or 1,
                          hint="check the quotes; save it again from a spreadsheet") from None
    return _from_rows(rows, source=source, first_line=1)


def from_xlsx(path: Path) -> Codebook:
    from openpyxl import load_workbook

    check_zip(Path(path), str(path), EXCEL_WORKBOOK)  # zip bombs, unsafe paths, DTDs
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable workbook is reported the same way
        raise IngestError(f"not a readable XLSX workbook ({type(error).__name__})",
                          path=str(path)) from None
    try:
        sheet = book[CODES_SHEET] if CODES_SHEET in book.sheetnames else book.worksheets[0]
        try:  # read-only sheets are parsed while iterated: a damaged one fails here
            rows = [["" if v is None else v for v in row]
                    for row in sheet.iter_rows(values_only=True)]
        except Exception as error:  # noqa: BLE001 - as for load_workbook above
            raise IngestError(f"not a readable XLSX workbook ({type(error).__name__})",
                              path=str(path)) from None
        name = description = ""
        if INFO_SHEET in book.sheetnames:
            for row in book[INFO_SHEET].iter_rows(values_only=True):
                key, value = (list(row) + [None, None])[:2]
                key = _unformula(_text(key)).casefold()
                if key in _HEADER_ONLY:
                    value = _unformula(_text(value))
                    name, description = (value, description) if key == "name" else \
                        (name, value)
    finally:
        book.close()
    codebook = _from_rows(rows, source=str(path), first_line=1)
    return Codebook(codes=codebook.codes, name=name, description=description)


def _from_rows(rows: list[list[Any]], *, source: str | None, first_line: int) -> Codebook:
    rows = [row for row in rows if any(_text(cell) for cell in row)]
    if not rows:
        raise IngestError("the codebook has no rows", path=source)
    header = [_unformula(_text(cell)).casefold() for cell in rows[0]]
    fields = [_FIELD_OF.get(" ".join(h.replace("_", " ").split())) for h in header]
    if "name" not in fields:
        raise IngestError("no 'name' column in the codebook's first row", path=source,
                          line=first_line, hint=f"columns: {', '.join(CODE_FIELDS)}")
    codes = []
    for number, row in enumerate(rows[1:], start=first_line + 1):
        entry: dict[str, Any] = {}
        for field, cell in zip(fields, row):
            if field is not None:
                entry[field] = _unformula(_text(cell))
        entry["examples"] = [e for e in (entry.get("examples") or "").splitlines() if e.strip()]
        codes.append(_code(entry, f"row {number}", source))
    return Codebook.of(codes, source=source)


def _code(entry: Mapping[str, Any], where: str, source: str | None) -> Code:
    values: dict[str, Any] = {}
    for key, value in entry.items():
        field = _FIELD_OF.get(" ".join(str(key).replace("_", " ").casefold().split()))
        if field is None:
            raise IngestError(f"{where}: unknown field '{key}'", path=source,
                              hint=f"a code has {', '.join(CODE_FIELDS)}")
        values[field] = value
    examples = values.get("examples") or []
    if isinstance(examples, str):
        examples = [examples]
    if not isinstance(examples, list):
        raise IngestError(f"{where}: examples must be a list of quotes", path=source)
    name = _text(values.get("name"))
    if not name:
        raise IngestError(f"{where}: a code without a name", path=source)
    return Code(id=None, name=name, definition=_text(values.get("definition")),
                include=_text(values.get("include")), exclude=_text(values.get("exclude")),
                examples=tuple(_text(e) for e in examples), parent=_text(values.get("parent"))
                or None, color=_text(values.get("color")) or None,
                memo=_text(values.get("memo")), source="codebook", status="accepted")


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _unformula(value: str) -> str:
    """Undo ``files.neutralise``: our own exports prefix formula-like text with an apostrophe."""
    if value.startswith("'") and value[1:2] and value[1] in "".join(FORMULA_PREFIXES):
        return value[1:]
    return value


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError("cannot decode the file (not UTF-8 or Windows-1252)", path=str(path))


# writing ---------------------------------------------------------------------------------------
def write_codebook(codebook: Codebook, path: Path | str, fmt: str | None = None, *,
                   identity: str = "") -> tuple[Path, list[str]]:
    """Write ``codebook``; returns the path and what the format could not hold."""
    path = Path(path)
    fmt = format_of(path, fmt)
    if not codebook.codes:
        raise ExportError("the codebook is empty: import or accept a code first", path=str(path))
    if fmt == "yaml":
        text = to_yaml(codebook)
        with atomic_path(path) as temporary:
            temporary.write_text(text, encoding="utf-8")
        return path, []
    if fmt == "qdc":
        from focuscode.export.refi import codes_qdc_xml, qdc_losses

        xml = codes_qdc_xml(codebook.codes, identity=identity or codebook.name)
        with atomic_path(path) as temporary:
            temporary.write_bytes(xml)
        return path, _header_losses(codebook, ".qdc") + qdc_losses(codebook.codes)
    frame = to_frame(codebook.codes)
    losses = _example_losses(codebook.codes, fmt)
    if fmt == "csv":
        from focuscode.export.spreadsheets import write_csv

        write_csv(frame, path)
        return path, _header_losses(codebook, "CSV") + losses
    import pandas as pd

    from focuscode.export.spreadsheets import write_xlsx

    info = pd.DataFrame({"field": ["name", "description"],
                         "value": [codebook.name, codebook.description]})
    write_xlsx({CODES_SHEET: frame, INFO_SHEET: info}, path)
    return path, losses


def to_yaml(codebook: Codebook) -> str:
    """The ``codebooks/`` format: name, description, then every field of every code."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    document: dict[str, Any] = {"name": codebook.name, "description": codebook.description,
                                "codes": [code_fields(code) for code in codebook.codes]}
    return yaml.dump(document, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)


def code_fields(code: Code) -> dict[str, Any]:
    return {"name": code.name, "definition": code.definition, "include": code.include,
            "exclude": code.exclude, "examples": list(code.examples), "parent": code.parent,
            "color": code.color, "memo": code.memo}


def to_frame(codes: Iterable[Code]):  # noqa: ANN201 - pandas.DataFrame
    """One row per code; examples one per line in their cell."""
    import pandas as pd

    rows = []
    for code in codes:
        row = code_fields(code)
        row["examples"] = "\n".join(" ".join(e.split()) for e in code.examples)
        row["parent"] = code.parent or ""
        row["color"] = code.color or ""
        rows.append(row)
    return pd.DataFrame(rows, columns=list(CODE_FIELDS))


def _header_losses(codebook: Codebook, what: str) -> list[str]:
    dropped = [label for label, value in (("name", codebook.name),
                                          ("description", codebook.description)) if value]
    if not dropped:
        return []
    return [f"{what} cannot hold the codebook's {' and '.join(dropped)} (YAML and XLSX can)"]


def _example_losses(codes: Sequence[Code], fmt: str) -> list[str]:
    joined = [c.name for c in codes if any(e != " ".join(e.split()) for e in c.examples)]
    if not joined:
        return []
    return [f"{fmt.upper()} keeps one example per line: line breaks inside examples became "
            f"spaces ({', '.join(joined)})"]
