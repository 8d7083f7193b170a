"""Agreement between coders (people and the model) on segments. Standard library only.

A coder has *coded* a segment when they made any decision about it; on a coded segment a code is
``applied`` (confirmed) or not (rejected, or never applied). The model has coded every segment it
scored, and applied the codes it suggested. Segments a coder has not coded are missing data.
"""

from __future__ import annotations

from dataclasses import dataclass

ALL_CODES = "(all codes)"
APPLIED = "applied"
NOT_APPLIED = "not applied"
REJECTED = "rejected"  # not applied, and said so
MISSING = "not coded"


@dataclass(frozen=True)
class AgreementRow:
    """Agreement of ``coders`` on one code (``code_id`` None: every code pooled, one unit per
    segment x code)."""

    coders: tuple[str, ...]
    code_id: int | None
    code_name: str
    n_segments: int  # segments coded by at least two of the coders
    n_applied: int  # of those, segments where at least one applied the code (overall: any code)
    percent: float | None  # share of units where all the coders who coded it agree
    kappa: float | None  # Cohen's kappa (two coders only; segments both coded)
    alpha: float | None  # Krippendorff's alpha, nominal (missing data allowed)

    @property
    def is_overall(self) -> bool:
        return self.code_id is None


@dataclass(frozen=True)
class Disagreement:
    """A segment and code on which the coders differ; ``key`` opens the code in the workbench."""

    segment_id: int
    code_id: int
    code_name: str
    transcript: str
    turn_index: int
    speaker_name: str
    role: str
    text: str
    values: tuple[tuple[str, str], ...]  # (coder, APPLIED | NOT_APPLIED | REJECTED | MISSING)

    @property
    def key(self) -> str:
        return f"c{self.code_id}"


@dataclass(frozen=True)
class AgreementReport:
    """Per code and overall, for every pair of coders and for all people together."""

    coders: tuple[str, ...]  # people first, then the model (if compared)
    rows: tuple[AgreementRow, ...]
    disagreements: tuple[Disagreement, ...]
    blind: bool = False

    def overall(self, *coders: str) -> AgreementRow | None:
        wanted = tuple(coders) if coders else self.coders
        return next((r for r in self.rows if r.is_overall and set(r.coders) == set(wanted)),
                    None)

    def for_code(self, code_name: str, *coders: str) -> AgreementRow | None:
        wanted = set(coders) if coders else set(self.coders)
        return next((r for r in self.rows if r.code_name == code_name
                     and set(r.coders) == wanted), None)
