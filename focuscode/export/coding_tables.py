"""Suggestions, theme-code alignment, agreement and disagreements as pandas DataFrames (for
notebooks, CSV and XLSX). Columns match the domain field names."""

from __future__ import annotations

from typing import Mapping, Sequence

from focuscode.domain.agreement import AgreementReport
from focuscode.domain.suggestions import CodebookAlignment, Suggestion

SUGGESTION_COLUMNS = ["segment_id", "transcript", "turn_index", "speaker_name", "role", "text",
                      "code_id", "code_name", "rank", "suggested", "score", "similarity",
                      "evidence_kind", "evidence", "evidence_segment_id", "run_id"]


def suggestions_frame(suggestions: Sequence[Suggestion],
                      views: Mapping[int, object]):  # noqa: ANN201 - pandas.DataFrame
    """One row per suggestion, with its segment (``views``: segment id -> ``SegmentView``)."""
    import pandas as pd

    rows = []
    for s in suggestions:
        view = views.get(s.segment_id)
        rows.append({"segment_id": s.segment_id,
                     "transcript": getattr(view, "transcript", ""),
                     "turn_index": getattr(view, "turn_index", None),
                     "speaker_name": getattr(view, "speaker_name", ""),
                     "role": getattr(view, "role", ""), "text": getattr(view, "text", ""),
                     "code_id": s.code_id, "code_name": s.code_name, "rank": s.rank,
                     "suggested": s.suggested, "score": round(s.score, 3),
                     "similarity": round(s.similarity, 3), "evidence_kind": s.evidence_kind,
                     "evidence": s.evidence, "evidence_segment_id": s.evidence_segment_id,
                     "run_id": s.run_id})
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


def alignment_frame(alignment: CodebookAlignment):  # noqa: ANN201 - pandas.DataFrame
    """One row per theme (merge into a code, offer as a new code, already the code), per code
    no segment matches and per code made since the run (which it could not match)."""
    import pandas as pd

    rows = []
    for match in (*alignment.merges, *alignment.linked, *alignment.new_codes):
        rows.append({"action": match.action, "theme_id": match.theme_id,
                     "theme_label": match.theme_label, "keywords": ", ".join(match.keywords),
                     "size": match.size, "code_id": match.code_id, "code_name": match.code_name,
                     "share": round(match.share, 3), "score": round(match.score, 3)})
    for action, codes in (("code matches no segment", alignment.unmatched_codes),
                          ("code made since the run", alignment.codes_since_run)):
        for code in codes:
            rows.append({"action": action, "theme_id": None, "theme_label": "",
                         "keywords": "", "size": 0, "code_id": code.code_id,
                         "code_name": code.code_name, "share": 0.0, "score": None})
    return pd.DataFrame(rows, columns=["action", "theme_id", "theme_label", "keywords", "size",
                                       "code_id", "code_name", "share", "score"])


def agreement_frame(report: AgreementReport):  # noqa: ANN201 - pandas.DataFrame
    """One row per group of coders and code (overall rows have code_id empty)."""
    import pandas as pd

    return pd.DataFrame([{"coders": " & ".join(r.coders), "code_id": r.code_id,
                          "code_name": r.code_name, "n_segments": r.n_segments,
                          "n_applied": r.n_applied, "percent": r.percent, "kappa": r.kappa,
                          "alpha": r.alpha} for r in report.rows],
                        columns=["coders", "code_id", "code_name", "n_segments", "n_applied",
                                 "percent", "kappa", "alpha"])


def disagreements_frame(report: AgreementReport):  # noqa: ANN201 - pandas.DataFrame
    """One row per disagreement, one column per coder."""
    import pandas as pd

    rows = []
    for d in report.disagreements:
        row = {"segment_id": d.segment_id, "transcript": d.transcript,
               "turn_index": d.turn_index, "speaker_name": d.speaker_name, "role": d.role,
               "code_id": d.code_id, "code_name": d.code_name, "text": d.text}
        row.update(dict(d.values))
        rows.append(row)
    columns = ["segment_id", "transcript", "turn_index", "speaker_name", "role", "code_id",
               "code_name", "text", *report.coders]
    return pd.DataFrame(rows, columns=columns)
