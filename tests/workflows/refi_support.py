"""The two-coder project the REFI-QDA round trip is checked on, and how its QualCoder fixture
was made.

``two_coder_project(folder)`` is the reviewed demo of ``tests/export/conftest.py`` (ana's
codings) plus ben, who confirmed two of ana's segments and one of his own. The fixture
``tests/fixtures/refi/qualcoder_roundtrip.qdpx`` is QualCoder's own re-export of this project's
``.qdpx``, made by running, from the repository root::

    PYTHONPATH=. python tests/workflows/refi_support.py /tmp/rt
    ../shared/interop/qualcoder/run.sh /tmp/rt/study.qdpx /tmp/rt/codebook.qdc \\
        /tmp/rt/segments.csv /tmp/rt/qc
    cp /tmp/rt/qc/qc/qualcoder_export/from_focuscode.qdpx \\
        tests/fixtures/refi/qualcoder_roundtrip.qdpx
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

TESTS = Path(__file__).resolve().parents[1]
FIXTURE = TESTS / "fixtures" / "refi" / "qualcoder_roundtrip.qdpx"


def _export_conftest():  # noqa: ANN202
    """``tests/export/conftest.py``, loaded by path (every conftest is called ``conftest``)."""
    spec = importlib.util.spec_from_file_location("export_conftest",
                                                  TESTS / "export" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def two_coder_project(folder: Path) -> Path:
    helpers = _export_conftest()
    helpers.build_reviewed_project(folder)
    with Project.open(folder, embedder=HashingEmbedder(), coder="ana") as project:
        helpers.add_second_coder(project)
    return folder


if __name__ == "__main__":
    out = Path(sys.argv[1])
    folder = two_coder_project(out / "project")
    with Project.open(folder, embedder=HashingEmbedder()) as opened:
        opened.reports.export_refi(out / "study.qdpx", real_names=True)
        opened.codebook.export(out / "codebook.qdc")
        opened.export_segments(out / "segments.csv", real_names=True)
