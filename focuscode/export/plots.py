"""Plots (matplotlib, PNG and SVG): theme frequency by group, co-occurrence heat map, saturation.

Figures are built with ``matplotlib.figure.Figure`` (no pyplot, no global state) and written by
:mod:`focuscode.export.figures`. Every plot has a ``*_frame`` function giving the numbers it
draws as a pandas DataFrame; the figures draw the same numbers without pandas (importing it
would be a sizeable part of the plots' time).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable

from focuscode.domain import ConfigError
from focuscode.domain.counting import coded_segments
from focuscode.domain.reports import SUGGESTED, Comparison, GroupCount, ReportData
from focuscode.export.figures import figure_bytes, freeze_layout, new_figure, write_figure

__all__ = ["figure_bytes", "freeze_layout", "write_figure"]  # re-exported for the callers

NORMALISATIONS: dict[str, tuple[str, Callable[[GroupCount], float]]] = {
    "segments": ("% of the group's segments", lambda c: 100 * c.rate_per_segment),
    "words": ("coded segments per 1,000 words spoken", lambda c: c.rate_per_1000_words),
    "speakers": ("% of the group's speakers who raised it", lambda c: 100 * c.speaker_share),
    "count": ("coded segments", lambda c: float(c.n_segments)),
}
COOCCURRENCE_UNITS = ("speaker", "turn", "segment", "transcript")
ORDERS = ("import", "date")
PALETTE = ("#1f5f99", "#d9822b", "#5b8c5a", "#8e5ea2", "#c44e52", "#7f7f7f")
LABEL_CHARS = 34
SATURATION_MIN_SEGMENTS = 2  # one stray segment does not make a theme "found" in a transcript
SATURATION_COLUMNS = ["position", "transcript", "date", "n_codes_present", "n_new",
                      "n_cumulative", "new_codes"]


def _label(name: str, status: str) -> str:
    short = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    return short + (" *" if status == SUGGESTED else "")


# frequency by group ---------------------------------------------------------------------------
def _frequency_values(comparison: Comparison, normalisation: str
                      ) -> tuple[list[str], list[str], list[list[float]]]:
    """Code labels, groups and the value each bar shows (codes x groups)."""
    if normalisation not in NORMALISATIONS:
        raise ConfigError(f"unknown normalisation '{normalisation}'",
                          hint=f"use one of {', '.join(NORMALISATIONS)}")
    _, value = NORMALISATIONS[normalisation]
    themes = [t for t in comparison.themes if t.n_coded]  # empty codes draw no bar
    return ([_label(t.code_name, t.code_status) for t in themes], list(comparison.groups),
            [[value(c) for c in theme.counts] for theme in themes])


def frequency_frame(comparison: Comparison, normalisation: str = "segments"):  # noqa: ANN201
    """Codes x groups: the value each bar shows."""
    import pandas as pd

    labels, groups, values = _frequency_values(comparison, normalisation)
    return pd.DataFrame(values, index=labels, columns=groups)


def frequency_figure(comparison: Comparison, normalisation: str = "segments"):  # noqa: ANN201
    labels, groups, values = _frequency_values(comparison, normalisation)
    n_codes, n_groups = len(labels), len(groups)
    figure = new_figure(8.5, max(3.0, 0.5 * n_codes * max(1, n_groups / 2) + 1.4))
    axes = figure.add_subplot()
    height = 0.8 / max(n_groups, 1)
    for g, group in enumerate(groups):
        positions = [i + (g - (n_groups - 1) / 2) * height for i in range(n_codes)]
        axes.barh(positions, [row[g] for row in values], height=height, label=group,
                  color=PALETTE[g % len(PALETTE)])
    axes.set_yticks(range(n_codes), labels)
    axes.invert_yaxis()
    axes.set_xlabel(NORMALISATIONS[normalisation][0])
    axes.set_title(f"Themes by {comparison.by}" + (" (confirmed codings only)"
                                                  if comparison.confirmed_only else ""))
    axes.grid(axis="x", alpha=0.3)
    axes.legend(title=comparison.by, loc="lower right")
    if any(t.code_status == SUGGESTED for t in comparison.themes):
        figure.text(0.01, 0.005, "* suggested theme, not yet reviewed", fontsize=8,
                    color="#555555")
    return _mark_blind(figure, comparison.blind_coder)


def _mark_blind(figure, coder: str | None):  # a matplotlib Figure, returned
    """A figure made in blind mode says so in its top right corner."""
    if coder is not None:
        figure.text(0.99, 0.995, f"blind mode: {coder}'s decisions only", fontsize=8,
                    color="#8a4b08", ha="right", va="top")
    return figure


# co-occurrence ---------------------------------------------------------------------------------
def _cooccurrence_counts(data: ReportData, unit: str):  # noqa: ANN202 - (labels, ndarray)
    """Code labels and the codes x codes counts of units carrying both."""
    import numpy as np

    if unit not in COOCCURRENCE_UNITS:
        raise ConfigError(f"unknown co-occurrence unit '{unit}'",
                          hint=f"use one of {', '.join(COOCCURRENCE_UNITS)}")
    segments = {s.segment_id: s for s in data.segments}
    key = {"speaker": lambda s: s.speaker, "turn": lambda s: (s.transcript_id, s.turn_index),
           "segment": lambda s: s.segment_id, "transcript": lambda s: s.transcript_id}[unit]
    units: dict[str, set] = {code: {key(segments[i]) for i in ids}
                             for code, ids in coded_segments(data).items()}
    labels = [_label(c.name, c.status) for c in data.codes]
    matrix = [[len(units[a.key] & units[b.key]) for b in data.codes] for a in data.codes]
    return labels, np.array(matrix, dtype=np.int64).reshape(len(labels), len(labels))


def cooccurrence_frame(data: ReportData, unit: str = "segment"):  # noqa: ANN201
    """Codes x codes: how many units (speakers, turns, segments or transcripts) carry both;
    the diagonal counts the units that carry the code at all."""
    import pandas as pd

    labels, matrix = _cooccurrence_counts(data, unit)
    return pd.DataFrame(matrix, index=labels, columns=labels)


MAX_COOCCURRING = 20  # codes in the heat map: readable on an A4 page


def _heat_map_codes(matrix, max_codes: int) -> list[int]:  # noqa: ANN001 - ndarray
    """Rows of the codes that share a unit with another code (the ``max_codes`` that share
    most), in the order of an average-linkage clustering of their Jaccard distances."""
    import numpy as np

    shared = matrix.sum(axis=1) - np.diag(matrix)
    keep = [int(i) for i in np.flatnonzero(shared > 0)]
    if len(keep) > max_codes:
        keep = sorted(sorted(keep, key=lambda i: (-shared[i], i))[:max_codes])
    if len(keep) <= 2:
        return keep
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
    from scipy.spatial.distance import squareform

    sub = matrix[np.ix_(keep, keep)].astype(float)
    size = np.diag(sub)
    union = size[:, None] + size[None, :] - sub
    distance = 1.0 - np.divide(sub, union, out=np.zeros_like(sub), where=union > 0)
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    tree = optimal_leaf_ordering(linkage(condensed, "average"), condensed)
    return [keep[i] for i in leaves_list(tree)]


def cooccurrence_plot_frame(data: ReportData, unit: str = "segment",
                            max_codes: int = MAX_COOCCURRING):  # noqa: ANN201
    """The heat map's numbers: only codes that share a unit with another code (the
    ``max_codes`` that share most), in the order of an average-linkage clustering of their
    Jaccard distances, so codes found together sit together."""
    frame = cooccurrence_frame(data, unit)
    keep = _heat_map_codes(frame.to_numpy(), max_codes)
    return frame.iloc[keep, keep]


def cooccurrence_figure(data: ReportData, unit: str = "segment"):  # noqa: ANN201
    import numpy as np

    labels, matrix = _cooccurrence_counts(data, unit)
    keep = _heat_map_codes(matrix, MAX_COOCCURRING)
    n = len(keep)
    left_out = len(data.codes) - n
    side = min(7.6, max(3.8, 0.3 * n + 2.6))
    figure = new_figure(min(8.2, side + 1.6), side)
    axes = figure.add_subplot()
    if n < 2:
        axes.set_axis_off()
        axes.text(0.5, 0.5, f"No two codes share a {unit} yet", ha="center", va="center")
        return _mark_blind(figure, data.blind_coder)
    values = matrix[np.ix_(keep, keep)]
    lower = np.ma.masked_where(np.triu(np.ones_like(values, dtype=bool)), values)
    image = axes.imshow(lower, cmap="Blues", vmin=0)
    ticks = [f"{labels[k]} ({int(values[i, i])})" for i, k in enumerate(keep)]
    axes.set_xticks(range(n), ticks, rotation=60, ha="right", fontsize=7)
    axes.set_yticks(range(n), ticks, fontsize=7)
    axes.tick_params(length=0)
    for side_name in ("top", "right"):
        axes.spines[side_name].set_visible(False)
    peak = lower.max() or 1
    for i in range(n):
        for j in range(i):
            if values[i, j]:
                axes.text(j, i, str(int(values[i, j])), ha="center", va="center", fontsize=6,
                          color="white" if values[i, j] > 0.6 * peak else "#222222",
                          in_layout=False)  # inside the axes: nothing for the layout to fit
    axes.set_title(f"Codes found together: {unit}s carrying both (in brackets: carrying it)",
                   fontsize=9)
    if left_out:
        figure.text(0.01, 0.005, f"{left_out} code(s) left out: sharing no {unit} with another, "
                    f"or beyond the {MAX_COOCCURRING} sharing most; * suggested theme; codes "
                    "ordered by clustering", fontsize=7, color="#555555")
    figure.colorbar(image, ax=axes, shrink=0.6, label=f"{unit}s")
    return _mark_blind(figure, data.blind_coder)


# saturation ------------------------------------------------------------------------------------
def _saturation_records(data: ReportData, order: str, min_segments: int) -> list[dict]:
    """One record a transcript, with the columns of :data:`SATURATION_COLUMNS`."""
    if order not in ORDERS:
        raise ConfigError(f"unknown order '{order}'", hint=f"use one of {', '.join(ORDERS)}")
    transcripts = list(data.transcripts)
    if order == "date":
        transcripts.sort(key=lambda t: (str(t.attributes.get("date", "")) or "9999", t.id))
    per_transcript: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    segments = {s.segment_id: s for s in data.segments}
    for code, ids in coded_segments(data).items():
        for i in ids:
            per_transcript[segments[i].transcript_id][code] += 1
    names = {c.key: c.name for c in data.codes}
    seen: set[str] = set()
    records = []
    for position, transcript in enumerate(transcripts, start=1):
        found = {c for c, n in per_transcript[transcript.id].items() if n >= min_segments}
        new = [c.key for c in data.codes if c.key in found - seen]
        seen |= found
        records.append({"position": position, "transcript": transcript.name,
                        "date": str(transcript.attributes.get("date", "")),
                        "n_codes_present": len(found), "n_new": len(new),
                        "n_cumulative": len(seen), "new_codes": "; ".join(names[k] for k in new)})
    return records


def saturation_frame(data: ReportData, order: str = "import",
                     min_segments: int = SATURATION_MIN_SEGMENTS):  # noqa: ANN201
    """Transcripts in import (or ``date`` attribute) order: the codes seen for the first time in
    each, and the running total, counting a code once it has ``min_segments`` there."""
    import pandas as pd

    return pd.DataFrame.from_records(_saturation_records(data, order, min_segments),
                                     columns=SATURATION_COLUMNS)


def saturation_figure(data: ReportData, order: str = "import",
                      min_segments: int = SATURATION_MIN_SEGMENTS):  # noqa: ANN201
    records = _saturation_records(data, order, min_segments)
    figure = new_figure(7.5, 4.4)
    axes = figure.add_subplot()
    x = [r["position"] for r in records]
    totals = [r["n_cumulative"] for r in records]
    axes.bar(x, [r["n_new"] for r in records], width=0.5, color=PALETTE[1], alpha=0.75,
             label="new themes in this transcript")
    axes.plot([0, *x], [0, *totals], marker="o", color=PALETTE[0], label="themes found so far")
    for xi, total in zip(x, totals):
        axes.annotate(str(total), (xi, total), textcoords="offset points", xytext=(0, 7),
                      ha="center", fontsize=8)
    axes.set_xticks([0, *x], ["start", *(f"{r['position']}. {r['transcript']}"
                                          for r in records)],
                    rotation=20, ha="right", fontsize=8)
    axes.set_ylabel("themes")
    axes.set_ylim(0, max([*totals, 1]) * 1.25)
    axes.set_title(f"Thematic saturation ({order} order; a theme counts once a transcript "
                   f"has {min_segments}+ of its segments)", fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper left", fontsize=8)  # the curve rises from the lower left
    return _mark_blind(figure, data.blind_coder)


# files -----------------------------------------------------------------------------------------
def write_frequency(comparison: Comparison, stem: Path, normalisation: str = "segments"
                    ) -> list[Path]:
    return write_figure(frequency_figure(comparison, normalisation), stem)


def write_cooccurrence(data: ReportData, stem: Path, *, unit: str = "segment") -> list[Path]:
    return write_figure(cooccurrence_figure(data, unit), stem)


def write_saturation(data: ReportData, stem: Path, *, order: str = "import") -> list[Path]:
    return write_figure(saturation_figure(data, order), stem)
