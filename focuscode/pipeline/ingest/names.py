"""Caption text and times: tags stripped, labels tidied, timestamps read and written (speaker
labels themselves are recognised in ``labels``)."""

from __future__ import annotations

import re

from focuscode.pipeline.ingest.labels import to_seconds

__all__ = ["format_time", "strip_tags", "to_seconds"]

# No nested openers: a long run of '<' must cost linear time, not quadratic.
# A tag opens with a letter, digit or '/' and stays on its line: "a < b, c > d" is speech.
_TAG = re.compile(r"</?[\w.:][^<>\n]{0,80}>|\{\\[^{}\n]{0,80}\}")


def strip_tags(text: str) -> str:
    """Remove WebVTT/SRT styling tags (``<i>``, ``{\\an8}``) and fold whitespace."""
    return " ".join(_TAG.sub("", text).split())


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
