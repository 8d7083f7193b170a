"""Content hashes shared by the pipeline (embedding cache keys) and the store."""

from __future__ import annotations

import hashlib


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
