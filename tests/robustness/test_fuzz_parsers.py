"""Promise 4: every parser, the speakers files and the codebook files, fed arbitrary text and
bytes (odd Unicode, NUL, lone surrogates, CR/CRLF, huge lines, deep nesting), either give a
transcript whose offsets are exact and whose segments lie inside their turns, or raise a
``FocuscodeError`` with a message. Anything else (a traceback, a hang) is a bug.

``FOCUSCODE_FUZZ_EXAMPLES=2000`` runs many more cases; the count is in the session summary.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robust_support import FUZZ_EXAMPLES, count_case

from focuscode.domain import FocuscodeError, ParsedTranscript
from focuscode.export.codebooks import from_csv as codebook_from_csv
from focuscode.export.codebooks import from_yaml as codebook_from_yaml
from focuscode.export.codebooks import read_codebook
from focuscode.pipeline.ingest import parse_text, parse_transcript
from focuscode.pipeline.ingest.coverage import check_coverage
from focuscode.pipeline.ingest.decode import decode_text
from focuscode.pipeline.ingest.docx import parse_docx_turns
from focuscode.pipeline.ingest.speakers import load_speakers
from focuscode.pipeline.segment import TurnSegmenter
from focuscode.store import ProjectStore
from focuscode.workflows.importing import import_files
from focuscode.workflows.settings import AnalysisSettings


def fuzz(default: int):
    """Hypothesis settings: ``default`` examples (the env var raises it), deterministic by
    default, no deadline (a huge line is slow, not a failure), no example database."""
    return settings(max_examples=FUZZ_EXAMPLES or default, deadline=None, database=None,
                    derandomize=FUZZ_EXAMPLES is None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


SCRATCH = Path(tempfile.mkdtemp(prefix="focuscode-fuzz-"))  # files for the parsers that read paths
atexit.register(shutil.rmtree, SCRATCH, True)

# Pieces transcripts are made of, and pieces that break naive parsers.
SPEAKERS = ["Ana", "Dr. Lee", "DR. SHAH", "P3", "Moderator", "SPEAKER_01", "Anand Shah (00:01:02)",
            "Zoë Ünal", "محمد", "דנה", "李雷", "A" * 70, "Note", "http", "Ana Maria de la Cruz"]
ODD = ["\u0301", "e\u0301", "\u200f", "\u202e", "\u2066", "\u05d0\u05d1", "\u0627\u0644",
       "\U0001f600", "\U0001f469\u200d\U0001f469\u200d\U0001f467", "\x00", "\ud800", "\udfff",
       "\r\n", "\r", "\n", "\n\n", "\t", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029",
       "\ufeff", "\u00a0", "\u3000", ":", " : ", "-->", "[", "]", "(", ")", "<", ">", "<v Ana>",
       "</v>", "<i>", "{\\an8}", "&amp;", "WEBVTT", "NOTE", "\\", "'", '"', ",", ";", "-", "#"]
STAMPS = ["00:00:01.000", "00:00:01,000", "1:02", "01:02:03", "99:99:99.999", "00:61:00.000",
          "-1:00:00.000", "00:00:01.0000", "1e9:00"]
LINES = [f"{name}: " for name in SPEAKERS] + [f"[{s}] Ana: " for s in STAMPS] + [
    f"{s} --> {t}" for s, t in zip(STAMPS, reversed(STAMPS))] + ["Grace Liu  0:42", "[crosstalk]",
                                                                 "(laughs)", "1", "- Ana: "]

def encoded(text: str, codec: str) -> bytes:
    """``text`` in ``codec``, lone surrogates included where the codec can carry them."""
    try:
        return text.encode(codec, errors="surrogatepass")
    except UnicodeEncodeError:
        return text.encode(codec, errors="replace")


pieces = st.one_of(st.sampled_from(ODD), st.sampled_from(LINES), st.text(max_size=12))
messy_text = st.lists(pieces, max_size=60).map("".join)
huge_line = st.builds(lambda head, unit, n: head + unit * n,
                      st.sampled_from(["", "Ana: ", "x", "1\n"]),
                      st.sampled_from(["a", "a ", ":", "Ana: ", "[", "(", "<", "{\\", " ",
                                       "\u0301", "-->", "\t", "\n", "x  "]),
                      st.integers(10_000, 200_000))
any_text = st.one_of(messy_text, messy_text, messy_text, huge_line, st.text())


@st.composite
def cue_files(draw, fmt: str) -> str:
    """WebVTT or SRT files that are nearly right: real cues with odd payloads and timings."""
    sep = "." if fmt == "vtt" else ","
    parts = [draw(st.sampled_from(["WEBVTT\n\n", "WEBVTT - title\n\n", "\ufeffWEBVTT\n\n",
                                   "WEBVTT\nKind: captions\n\n", ""]))] if fmt == "vtt" else []
    for number in range(draw(st.integers(0, 12))):
        start = draw(st.floats(0, 36000, allow_nan=False))
        end = start + draw(st.floats(-5, 30, allow_nan=False))

        def stamp(seconds: float) -> str:
            seconds = max(seconds, 0)
            whole = int(seconds)
            return (f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}{sep}"
                    f"{int((seconds - whole) * 1000):03d}")

        timing = draw(st.one_of(st.just(f"{stamp(start)} --> {stamp(end)}"),
                                st.sampled_from(LINES), messy_text))
        speaker = draw(st.one_of(st.sampled_from(SPEAKERS), st.text(max_size=10)))
        payload = draw(st.one_of(st.just(f"{speaker}: "), st.just(f"<v {speaker}>"),
                                 st.just(""))) + draw(messy_text)
        parts.append(f"{number + 1}\n{timing}\n{payload}\n\n")
    text = "".join(parts)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return text.replace("\n", newline)


def check_transcript(parsed: ParsedTranscript, source: str | None = None) -> None:
    """The promise: offsets index the canonical text exactly; segments lie inside turns."""
    text = parsed.text
    if source is not None:
        assert text == source  # plain text is its own canonical text
    assert parsed.turns, "a transcript without turns must be refused"
    previous_end = 0
    for turn in parsed.turns:
        assert 0 <= turn.start < turn.end <= len(text)
        assert text[turn.start:turn.end] == turn.text
        assert turn.start >= previous_end, "turns overlap"
        previous_end = turn.end
    roles = {turn.speaker: "moderator" if turn.index % 3 == 0 else "patient"
             for turn in parsed.turns}
    turns = {turn.index: turn for turn in parsed.turns}
    for segment in TurnSegmenter(max_words=30, window_words=12).transform(parsed.turns, roles):
        turn = turns[segment.turn_index]
        assert turn.start <= segment.start < segment.end <= turn.end
        assert text[segment.start:segment.end] == segment.text


def refused_clearly(error: Exception) -> None:
    assert isinstance(error, FocuscodeError), f"{type(error).__name__}: {error}"
    assert str(error).strip() and error.message.strip()
    # The coverage check (nothing silently dropped) must never find a line a parser lost.
    assert "would be lost" not in error.message, str(error)


def outcome(name: str, parse, check=lambda result: None) -> None:  # noqa: ANN001
    count_case(name)
    try:
        result = parse()
    except FocuscodeError as error:
        refused_clearly(error)
        return
    check(result)


# transcripts ------------------------------------------------------------------------------------
@fuzz(150)
@given(text=any_text)
def test_plain_text(text):
    outcome("plain", lambda: parse_text(text, path="t.txt", fmt="text", name="t"),
            lambda parsed: check_transcript(parsed, text if parsed.format == "text" else None))


@fuzz(100)
@given(text=st.one_of(cue_files("vtt"), any_text.map(lambda t: "WEBVTT\n\n" + t)))
def test_webvtt(text):
    outcome("webvtt", lambda: parse_text(text, path="t.vtt", fmt="vtt", name="t"),
            check_transcript)


@fuzz(100)
@given(text=st.one_of(cue_files("srt"), any_text))
def test_srt(text):
    outcome("srt", lambda: parse_text(text, path="t.srt", fmt="srt", name="t"), check_transcript)


def xml_safe(text: str) -> str:
    """What python-docx can write: XML 1.0 characters only."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (
        "\x20" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or ch > "\uffff"))


@st.composite
def docx_files(draw) -> bytes:
    import docx

    document = docx.Document()
    for _ in range(draw(st.integers(0, 15))):
        kind = draw(st.sampled_from(["plain", "bold", "table", "empty"]))
        if kind == "table":
            rows, cols = draw(st.integers(1, 3)), draw(st.integers(1, 3))
            table = document.add_table(rows=rows, cols=cols)
            for cell in (c for row in table.rows for c in row.cells):
                cell.text = xml_safe(draw(st.one_of(st.sampled_from(SPEAKERS + STAMPS),
                                                    messy_text)))
        elif kind == "bold":
            paragraph = document.add_paragraph()
            paragraph.add_run(xml_safe(draw(st.sampled_from(LINES + SPEAKERS)))).bold = True
            paragraph.add_run(xml_safe(draw(messy_text)))
        elif kind == "plain":
            document.add_paragraph(xml_safe(draw(messy_text)))
        else:
            document.add_paragraph("")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@fuzz(40)
@given(data=docx_files())
def test_docx_from_generated_paragraphs(data):
    def parse():
        text, plain = parse_docx_turns(data, "t.docx")
        parsed = ParsedTranscript(name="t", source_path="t.docx", format="docx", text=text,
                                  turns=tuple(plain.turns), source_sha256="",
                                  markup=tuple(plain.markup), skipped=plain.skipped)
        check_coverage(parsed, text)
        return parsed

    outcome("docx", parse, check_transcript)


@st.composite
def damaged_docx(draw) -> bytes:
    """A real document with its XML cut, spliced or overwritten: not well-formed any more."""
    base = draw(docx_files())
    source = zipfile.ZipFile(io.BytesIO(base))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == draw(st.sampled_from(["word/document.xml", "word/styles.xml",
                                                      "[Content_Types].xml", "_rels/.rels"])):
                at = draw(st.integers(0, len(content)))
                content = content[:at] + draw(st.binary(max_size=40)) + content[
                    at + draw(st.integers(0, 200)):]
            archive.writestr(info, content)
    data = buffer.getvalue()
    if draw(st.booleans()):  # or the zip itself damaged
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=20)) + data[at + draw(st.integers(0, 50)):]
    return data


@fuzz(60)
@given(data=damaged_docx())
def test_damaged_docx(data):
    outcome("docx-damaged", lambda: parse_docx_turns(data, "t.docx"),
            lambda result: None)


prefixes = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"%PDF", b"WEBVTT\n",
                            b"Ana: ", b"\x00A\x00n\x00a\x00:", b"PK\x03\x04"])


@fuzz(150)
@given(data=st.builds(lambda a, b: a + b, prefixes, st.binary(max_size=400)) | st.builds(
    encoded, messy_text, st.sampled_from(["utf-8", "utf-16-le", "utf-16", "utf-32", "cp1252"])
) | st.just(b"Ana: \\ud800 hi"),
    encoding=st.sampled_from([None, None, None, "utf-8", "cp1252", "utf-16", "latin-1",
                              "unicode_escape", "no-such-codec", "rot13"]))
def test_decode_text_with_arbitrary_bytes(data, encoding):
    def check(decoded):
        decoded.text.encode("utf-8")  # storable: no lone surrogate got through
        assert "\x00" not in decoded.text and "\r" not in decoded.text
        outcome("decode+plain", lambda: parse_text(decoded.text, path="t.txt", fmt="text",
                                                   name="t"), check_transcript)

    outcome("decode", lambda: decode_text(data, Path("t.txt"), encoding), check)


@fuzz(25)
@given(data=st.builds(encoded, messy_text, st.sampled_from(["utf-8", "utf-16", "cp1252"])),
       suffix=st.sampled_from([".txt", ".vtt", ".srt"]))
def test_import_of_arbitrary_files_stores_or_refuses(data, suffix):
    """The whole way into the store: what parses is stored whole, with exact offsets."""
    path = SCRATCH / f"fuzzed{suffix}"
    path.write_bytes(data)
    store = ProjectStore(":memory:", create=True)
    try:
        outcome("import", lambda: import_files(store, AnalysisSettings(), [path]))
        for transcript in store.transcripts():
            for segment in store.segments():
                assert transcript.text[segment.start:segment.end] == segment.text
    finally:
        store.close()


def test_parse_transcript_refuses_unknown_bytes_in_every_format(tmp_path):
    for suffix in (".txt", ".vtt", ".srt", ".docx"):
        path = tmp_path / f"x{suffix}"
        path.write_bytes(b"\x00\xff\xfe garbage \x89PNG")
        with pytest.raises(FocuscodeError) as caught:
            parse_transcript(path)
        refused_clearly(caught.value)


# speakers files ---------------------------------------------------------------------------------
def nested(depth: int, opener: str, closer: str, inner: str = "x") -> str:
    return opener * depth + inner + closer * depth


yaml_bombs = st.sampled_from([
    "speakers: " + nested(3000, "[", "]"),
    "speakers: " + nested(3000, "{a: ", "}"),
    "speakers:\n  A:\n    role: x\n    attributes:\n      k: " + nested(2000, "[", "]"),
    "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "speakers: {A: {role: x, attributes: {k: *h}}}\n",
    "speakers: &s {A: {role: x, aliases: *s}}",
])
yaml_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.sampled_from(SPEAKERS + ODD), st.text(max_size=8)),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["role", "pseudonym", "aliases", "attributes", "speakers",
                         "transcripts", "x", "Ana"]) | st.text(max_size=5), inner, max_size=4),
    max_leaves=20)


def yaml_document(value) -> str:  # noqa: ANN001
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


yaml_texts = st.one_of(
    yaml_bombs, any_text,
    st.dictionaries(st.sampled_from(SPEAKERS) | st.text(max_size=6), yaml_values,
                    max_size=5).map(lambda s: yaml_document({"speakers": s})),
    yaml_values.map(lambda v: yaml_document({"speakers": v, "transcripts": v})))
csv_texts = st.one_of(
    any_text, huge_line.map(lambda t: "label,role\n" + t + ",patient\n"),
    st.lists(st.lists(st.one_of(st.sampled_from(SPEAKERS + ODD + ["patient", ""]), messy_text),
                      max_size=6), max_size=8).map(
        lambda rows: "label,role,pseudonym,aliases,site\n" + "\n".join(",".join(r) for r in rows)))


def check_speakers(speaker_map) -> None:  # noqa: ANN001
    for speaker in speaker_map.speakers:
        assert isinstance(speaker.label, str) and isinstance(speaker.role, str) and speaker.role
        assert speaker_map.find(speaker.label) == speaker


@fuzz(120)
@given(text=yaml_texts, newline=st.sampled_from(["\n", "\r\n", "\r"]))
def test_speakers_yaml(text, newline):
    path = SCRATCH / "speakers.yaml"
    path.write_bytes(text.replace("\n", newline).encode("utf-8", errors="surrogatepass"))
    outcome("speakers-yaml", lambda: load_speakers(path), check_speakers)


@fuzz(100)
@given(text=csv_texts)
def test_speakers_csv(text):
    path = SCRATCH / "speakers.csv"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    outcome("speakers-csv", lambda: load_speakers(path), check_speakers)


# codebook files ---------------------------------------------------------------------------------
def check_codebook(codebook) -> None:  # noqa: ANN001
    names = [code.name.casefold() for code in codebook]
    assert len(names) == len(set(names)) and all(names)
    for code in codebook:
        assert code.parent is None or code.parent.casefold() in names


codebook_yaml = st.one_of(
    yaml_bombs.map(lambda t: t.replace("speakers", "codes")),
    any_text,
    st.lists(st.dictionaries(st.sampled_from(["name", "definition", "include", "exclude",
                                              "examples", "parent", "color", "memo", "x"]),
                             yaml_values, max_size=6), max_size=6).map(
        lambda codes: yaml_document({"name": "cb", "codes": codes})),
    st.integers(50, 3000).map(lambda n: yaml_document({"codes": [
        {"name": f"c{i}", "parent": f"c{i - 1}" if i else None} for i in range(n)]})))


@fuzz(100)
@given(text=codebook_yaml)
def test_codebook_yaml(text):
    outcome("codebook-yaml", lambda: codebook_from_yaml(text, source="cb.yaml"), check_codebook)


@fuzz(80)
@given(text=st.one_of(csv_texts.map(lambda t: t.replace("label,role", "name,parent")),
                      st.integers(50, 3000).map(lambda n: "name,parent\n" + "\n".join(
                          f"c{i},c{i - 1}" if i else "c0," for i in range(n)))))
def test_codebook_csv(text):
    outcome("codebook-csv", lambda: codebook_from_csv(text, source="cb.csv"), check_codebook)


def qdc_code(name: str, description: str, children: str = "") -> str:
    from xml.sax.saxutils import escape, quoteattr

    return (f"<Code name={quoteattr(name)} isCodable=\"true\"><Description>{escape(description)}"
            f"</Description>{children}</Code>")


@st.composite
def qdc_files(draw) -> str:
    def tree(depth: int) -> str:
        return "".join(qdc_code(xml_safe(draw(st.one_of(st.sampled_from(SPEAKERS), messy_text))),
                                xml_safe(draw(messy_text)),
                                tree(depth + 1) if depth < 3 and draw(st.booleans()) else "")
                       for _ in range(draw(st.integers(0, 3))))

    return ('<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
            f"<Codes>{tree(0)}</Codes></CodeBook>")


qdc_texts = st.one_of(
    qdc_files(), any_text,
    st.integers(100, 5000).map(lambda n: '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                               + '<Code name="a">' * n + "</Code>" * n + "</Codes></CodeBook>"),
    st.integers(10_000, 400_000).map(lambda n: '<CodeBook><Codes><Code name="a"><Description>a'
                                     + "\n" * n + "b</Description></Code></Codes></CodeBook>"))


@fuzz(80)
@given(text=qdc_texts)
def test_codebook_qdc(text):
    path = SCRATCH / "codebook.qdc"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    outcome("codebook-qdc", lambda: read_codebook(path), check_codebook)
