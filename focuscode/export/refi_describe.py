"""A code's REFI-QDA ``Description``: focuscode writes its definition, include and exclude
notes, keywords, examples and memo there, and reads them back (other programs' descriptions
become the definition)."""

from __future__ import annotations

import re
from typing import Iterable

from focuscode.domain import Code
from focuscode.domain.reports import ReportCode


def describe(code: ReportCode) -> str:
    """A code's Description: its definition, then include/exclude notes, keywords, examples (one
    ``- `` line each) and the memo, last (``from_qdc`` reads them back)."""
    parts = [code.definition.strip()] if code.definition.strip() else []
    if code.include:
        parts.append(f"Include: {_one_paragraph(code.include)}")
    if code.exclude:
        parts.append(f"Exclude: {_one_paragraph(code.exclude)}")
    if code.keywords:
        parts.append(f"Keywords: {', '.join(code.keywords)}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {' '.join(e.split())}"
                                                for e in code.examples))
    if code.memo.strip():
        parts.append(f"Memo: {code.memo.strip()}")
    return "\n\n".join(parts)


def _one_paragraph(text: str) -> str:
    return re.sub(r"\n\s*\n", "\n", text.strip())


def qdc_losses(codes: Iterable[Code]) -> list[str]:
    """What a ``.qdc`` cannot hold of these codes exactly (said when exporting)."""
    codes = list(codes)
    losses = []
    folded = [c.name for c in codes if any(re.search(r"\n\s*\n", t) for t in (c.include,
                                                                             c.exclude))]
    if folded:
        losses.append(f"blank lines inside include/exclude notes become line breaks "
                      f"({', '.join(folded)})")
    joined = [c.name for c in codes if any(e != " ".join(e.split()) for e in c.examples)]
    if joined:
        losses.append(f"line breaks inside examples become spaces ({', '.join(joined)})")
    return losses


def split_description(text: str) -> tuple[str, str, str, tuple[str, ...], str]:
    """Definition, include, exclude, examples and memo from a Description (see ``describe``);
    everything after ``Memo:`` is the memo."""
    definition, include, exclude, examples = [], "", "", []
    text = text.strip()
    memo_at = re.search(r"(?:^|\n[^\S\n]*\n)Memo:", text)  # not \s*: quadratic on blank runs
    memo = ""
    if memo_at:
        memo = text[memo_at.end():].strip()
        text = text[:memo_at.start()]
    for part in re.split(r"\n\s*\n", text.strip()):
        if part.startswith("Include:"):
            include = part.removeprefix("Include:").strip()
        elif part.startswith("Exclude:"):
            exclude = part.removeprefix("Exclude:").strip()
        elif part.startswith("Keywords:"):
            continue
        elif part.startswith("Examples:"):
            for line in part.removeprefix("Examples:").strip().splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append(line[2:].strip())
                elif line and examples:
                    examples[-1] += " " + line
                elif line:
                    examples.append(line)
        else:
            definition.append(part.strip())
    return ("\n\n".join(p for p in definition if p), include, exclude, tuple(examples), memo)
