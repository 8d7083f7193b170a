"""Agreement between coders, people and the model, per code and overall, and the list of
disagreements to walk.

The unit is the segment (see ``domain.agreement``): a person has coded the segments they made any
decision about, and on those a code is applied (confirmed) or not; the model has coded every
segment of its latest suggestion run and applied the codes it suggested. Per code, each coder's
values form a nominal variable (applied / not); "overall" pools every segment x code unit.
Between two coders: percent agreement, Cohen's kappa (segments both coded) and Krippendorff's
alpha; among three or more people: percent agreement and alpha (missing data allowed).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Sequence

import numpy as np

from focuscode.domain import DecisionError
from focuscode.domain.agreement import (
    ALL_CODES,
    APPLIED,
    MISSING,
    NOT_APPLIED,
    REJECTED,
    AgreementReport,
    AgreementRow,
    Disagreement,
)
from focuscode.domain.suggestions import MODEL_CODER_PREFIX, SuggestionRun, is_model_coder
from focuscode.pipeline.agreement import cohen_kappa, krippendorff_alpha, percent_agreement
from focuscode.store import DecisionLog, ProjectStore
from focuscode.store.suggestion_store import SuggestionStore
from focuscode.workflows.visibility import Visibility

MODEL_ALIASES = ("model", "the model")


class CoderData:
    """What each coder did: the segments they coded and, per segment, their status per code."""

    def __init__(self) -> None:
        self.coded: dict[str, set[int]] = {}
        self.status: dict[str, dict[tuple[int, int], str]] = {}

    def add(self, coder: str, segment_id: int, code_id: int | None, status: str | None) -> None:
        self.coded.setdefault(coder, set()).add(segment_id)
        if code_id is not None and status is not None:
            self.status.setdefault(coder, {})[(segment_id, code_id)] = status

    def value(self, coder: str, segment_id: int, code_id: int) -> float:
        """1 applied, 0 not applied (on a coded segment), NaN not coded."""
        if segment_id not in self.coded.get(coder, ()):
            return float("nan")
        return 1.0 if self.status.get(coder, {}).get((segment_id, code_id)) == "confirmed" \
            else 0.0

    def label(self, coder: str, segment_id: int, code_id: int) -> str:
        if segment_id not in self.coded.get(coder, ()):
            return MISSING
        status = self.status.get(coder, {}).get((segment_id, code_id))
        return {"confirmed": APPLIED, "rejected": REJECTED}.get(status or "", NOT_APPLIED)


def people(log: DecisionLog) -> list[str]:
    """Every person who made a coding decision, by name."""
    return sorted({c.coder for c in log.codings() if not is_model_coder(c.coder)})


def gather(store: ProjectStore, log: DecisionLog, run: SuggestionRun | None,
           coders: Sequence[str]) -> tuple[CoderData, dict[int, str]]:
    """Decisions of ``coders`` (and the model's suggestions, if it is one of them) on live
    codes; returns the data and the names of the codes involved."""
    live = {int(c.id): c.name for c in log.codes()}
    data = CoderData()
    wanted = set(coders)
    for coding in log.codings():
        if coding.coder in wanted and coding.code_id in live:
            data.add(coding.coder, coding.segment_id, coding.code_id, coding.status.value)
    if run is not None and run.coder in wanted:
        rows = store.db.query("SELECT segment_id, code_id, suggested FROM code_suggestions "
                              "WHERE run_id = ?", (run.id,))
        for row in rows:
            suggested = bool(row["suggested"]) and row["code_id"] in live
            data.add(run.coder, row["segment_id"], row["code_id"] if suggested else None,
                     "confirmed" if suggested else None)
    return data, live


def agreement(store: ProjectStore, log: DecisionLog, *, me: str, blind: bool,
              coders: Sequence[str] | None = None, include_model: bool = True,
              max_disagreements: int | None = None) -> AgreementReport:
    """Agreement per code and overall for every pair of the chosen coders, all people together,
    and each person with the model."""
    everyone = people(log)
    run = SuggestionStore(store.db).latest_run(visible_to=me if blind else None)
    chosen = list(dict.fromkeys(coders)) if coders else list(everyone)
    with_model = include_model and run is not None
    named_model = [c for c in chosen if c in MODEL_ALIASES or is_model_coder(c)]
    if named_model:
        if run is None:
            raise DecisionError("the model has made no suggestions yet",
                                hint="run: focuscode suggest")
        chosen = [c for c in chosen if c not in named_model]
        with_model = True
    unknown = [c for c in chosen if c not in everyone and not (blind and c == me)]
    if unknown:
        raise DecisionError(f"no decisions by {', '.join(unknown)}",
                            hint=f"coders so far: {', '.join(everyone) or 'none'}")
    if blind:
        if coders and [c for c in chosen if c != me]:
            raise DecisionError("blind mode: you can compare yourself with the model only",
                                hint="the project lead turns blind mode off with "
                                     "'focuscode coders --open' to compare coders")
        if not with_model:
            raise DecisionError("blind mode: you can compare yourself with the model only, and "
                                "it has made no suggestions from your decisions alone yet",
                                hint="run: focuscode suggest --blind")
        chosen = [me] if me in everyone else []
    if not chosen:
        raise DecisionError("no coder has made a decision yet",
                            hint="confirm or reject segments first (focuscode code, or the "
                                 "workbench)")
    model = [run.coder] if with_model and run is not None else []
    if len(chosen) + len(model) < 2:
        raise DecisionError("agreement needs two coders",
                            hint="name two with --coders, or run 'focuscode suggest' to compare "
                                 "with the model")
    everybody = [*chosen, *model]
    data, names = gather(store, log, run, everybody)
    code_ids = sorted({k for statuses in data.status.values() for (_, k) in statuses})
    groups: list[tuple[str, ...]] = [pair for pair in combinations(chosen, 2)]
    if len(chosen) > 2:
        groups.append(tuple(chosen))
    groups += [(person, model[0]) for person in chosen for _ in model]
    rows: list[AgreementRow] = []
    for group in groups:
        rows += _group_rows(data, group, code_ids, names)
    walked = tuple(chosen) if len(chosen) >= 2 else tuple(everybody)
    disagreements = _disagreements(store, data, walked, code_ids, names, max_disagreements)
    return AgreementReport(coders=tuple(everybody), rows=tuple(rows),
                           disagreements=disagreements, blind=blind)


def _group_rows(data: CoderData, group: tuple[str, ...], code_ids: Sequence[int],
                names: dict[int, str]) -> list[AgreementRow]:
    coded = defaultdict(int)
    for coder in group:
        for segment_id in data.coded.get(coder, ()):
            coded[segment_id] += 1
    units = sorted(s for s, n in coded.items() if n >= 2)
    rows: list[AgreementRow] = []
    pooled: list[np.ndarray] = []
    for code_id in code_ids:
        matrix = np.array([[data.value(c, s, code_id) for s in units] for c in group]) \
            if units else np.zeros((len(group), 0))
        applied = int(np.nansum(matrix, axis=0).astype(bool).sum()) if units else 0
        if applied == 0:
            continue  # nobody in the group applied it where they overlap: nothing to agree on
        pooled.append(matrix)
        rows.append(_row(group, code_id, names[code_id], matrix, len(units), applied))
    if pooled:
        # segments on which anyone in the group applied any code
        any_code = np.nansum(np.stack(pooled), axis=(0, 1)).astype(bool)
        rows.insert(0, _row(group, None, ALL_CODES, np.hstack(pooled), len(units),
                            int(any_code.sum())))
    return rows


def _row(group: tuple[str, ...], code_id: int | None, name: str, matrix: np.ndarray,
         n_segments: int, n_applied: int) -> AgreementRow:
    kappa = cohen_kappa(matrix[0], matrix[1]) if len(group) == 2 else None
    return AgreementRow(coders=group, code_id=code_id, code_name=name, n_segments=n_segments,
                        n_applied=n_applied, percent=percent_agreement(matrix), kappa=kappa,
                        alpha=krippendorff_alpha(matrix))


def _disagreements(store: ProjectStore, data: CoderData, coders: tuple[str, ...],
                   code_ids: Sequence[int], names: dict[int, str],
                   limit: int | None) -> tuple[Disagreement, ...]:
    """Segment x code units two or more coders coded differently, in transcript order."""
    queries = SuggestionStore(store.db)
    order = queries.segment_order()
    coded = defaultdict(int)
    for coder in coders:
        for segment_id in data.coded.get(coder, ()):
            coded[segment_id] += 1
    found: list[tuple[int, int]] = []
    for segment_id in sorted((s for s, n in coded.items() if n >= 2),
                             key=lambda s: order.get(s, (0, 0))):
        for code_id in sorted(code_ids, key=lambda k: names[k].casefold()):
            values = {data.value(c, segment_id, code_id) for c in coders} - {float("nan")}
            values = {v for v in values if v == v}  # drop NaN
            if len(values) > 1:
                found.append((segment_id, code_id))
                if limit is not None and len(found) >= limit:
                    break
        if limit is not None and len(found) >= limit:
            break
    views = queries.segment_views([s for s, _ in found])
    return tuple(Disagreement(
        segment_id=s, code_id=k, code_name=names[k], transcript=views[s].transcript,
        turn_index=views[s].turn_index, speaker_name=views[s].speaker_name,
        role=views[s].role, text=views[s].text,
        values=tuple((c, data.label(c, s, k)) for c in coders))
        for s, k in found if s in views)


def is_model_name(name: str) -> bool:
    return name in MODEL_ALIASES or name.startswith(MODEL_CODER_PREFIX)


BLIND_SETTING = "blind"


class Coders:
    """The people who code a project, blind mode, and their agreement (``Project.coders``)."""

    def __init__(self, store: ProjectStore, log: DecisionLog, coder: str, *,
                 blind: bool | None = None) -> None:
        self.store = store
        self.log = log
        self.coder = coder
        self._blind = blind

    @property
    def blind(self) -> bool:
        """Whether a coder's views leave out other coders' decisions (the project's setting,
        unless this ``Coders`` was opened with ``blind`` given)."""
        if self._blind is not None:
            return self._blind
        return bool(self.store.get_setting(BLIND_SETTING, False))

    def set_blind(self, blind: bool) -> None:
        """Turn blind mode on or off for the project (every coder)."""
        self.store.set_setting(BLIND_SETTING, bool(blind))

    @property
    def visibility(self) -> Visibility:
        """Whose decisions this coder sees (everyone's, or in blind mode their own)."""
        return Visibility(self.coder, blind=self.blind)

    def names(self) -> list[str]:
        """People who made coding decisions; in blind mode, the coder only."""
        return [c for c in people(self.log) if self.visibility.sees(c)]

    def counts(self) -> dict[str, tuple[int, int]]:
        """Coder -> (confirmed, rejected) codings; in blind mode the coder's own only."""
        result: dict[str, list[int]] = {}
        for coding in self.visibility.codings(self.log):
            pair = result.setdefault(coding.coder, [0, 0])
            pair[0 if coding.status.value == "confirmed" else 1] += 1
        return {coder: (n[0], n[1]) for coder, n in sorted(result.items())}

    def agreement(self, coders: Sequence[str] | None = None, *, include_model: bool = True,
                  max_disagreements: int | None = None) -> AgreementReport:
        """Kappa, alpha and percent agreement per code and overall, and the disagreements."""
        return agreement(self.store, self.log, me=self.coder, blind=self.blind, coders=coders,
                         include_model=include_model, max_disagreements=max_disagreements)

    def disagreements(self, coders: Sequence[str] | None = None, *,
                      include_model: bool = True) -> list[Disagreement]:
        """Segment x code units the coders coded differently, in transcript order: rows the
        workbench walks (``row.key`` opens the code, ``row.segment_id`` the segment)."""
        return list(self.agreement(coders, include_model=include_model).disagreements)

    def agreement_frame(self, coders: Sequence[str] | None = None, *,
                        include_model: bool = True):  # noqa: ANN201 - pandas.DataFrame
        from focuscode.export.coding_tables import agreement_frame

        return agreement_frame(self.agreement(coders, include_model=include_model))

    def disagreements_frame(self, coders: Sequence[str] | None = None, *,
                            include_model: bool = True):  # noqa: ANN201 - pandas.DataFrame
        from focuscode.export.coding_tables import disagreements_frame

        return disagreements_frame(self.agreement(coders, include_model=include_model))
