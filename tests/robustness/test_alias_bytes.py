"""YAML alias bombs by bytes (issue 16): one long anchor repeated by many aliases passes any limit
on the number of values, but would expand to gigabytes of text. Speakers files and codebooks
refuse it in one line, quickly, before anything is expanded or stored."""

from __future__ import annotations

import time

import pytest

from focuscode.domain import IngestError
from focuscode.domain.nesting import check_expansion
from focuscode.export.codebooks import read_codebook
from focuscode.pipeline.ingest.speakers import load_speakers

ANCHOR = "x" * 50_000  # 50 KB once in the file


def _bomb(header: str, item: str, n: int) -> str:
    return header + "".join(item for _ in range(n))


def test_a_speakers_file_of_one_long_anchor_and_many_aliases_is_refused(tmp_path):
    path = tmp_path / "speakers.yaml"
    # 2,000 aliases: 100 MB of text expanded, from a 60 KB file (well under the value limit)
    path.write_text(f"x: &a '{ANCHOR}'\nspeakers:\n  Ana:\n    role: patient\n"
                    "    attributes: {" + ", ".join(f"k{n}: *a" for n in range(2000)) + "}\n")
    started = time.perf_counter()
    with pytest.raises(IngestError, match="MiB of text") as caught:
        load_speakers(path)
    assert caught.value.path == str(path) and time.perf_counter() - started < 5


def test_a_codebook_of_one_long_anchor_and_many_aliases_is_refused(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(f"name: &a '{ANCHOR}'\ncodes:\n  - name: A\n    examples: ["
                    + ", ".join("*a" for _ in range(20_000)) + "]\n")
    assert path.stat().st_size < 200_000  # 1 GB expanded
    with pytest.raises(IngestError, match="MiB of text") as caught:
        read_codebook(path)
    assert caught.value.path == str(path)


def test_the_guard_counts_shared_values_each_time():
    shared = ["y" * 1000]
    data = {"a": [shared] * 1000}  # 1,000 references to one list: 1 MB written out
    check_expansion(data, max_values=10_000, max_bytes=2_000_000, what="it", source="f")
    with pytest.raises(IngestError, match="MiB of text"):
        check_expansion(data, max_values=10_000, max_bytes=1_000_000, what="it", source="f")
    with pytest.raises(IngestError, match="values"):
        check_expansion(data, max_values=100, max_bytes=10**9, what="it", source="f")
