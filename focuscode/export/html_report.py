"""The HTML report: one self-contained file (styles inline, plots embedded as SVG, no script)
with the codebook, theme-quote tables, role comparison, perspectives and a methods paragraph."""

from __future__ import annotations

import base64
from collections import Counter
from html import escape
from pathlib import Path
from typing import Sequence

from focuscode.domain.counting import (
    bases,
    basis_counts,
    coded_segments,
    confirmed_segments,
    outline,
    roles,
)
from focuscode.domain.model import UNSTABLE
from focuscode.domain.reports import (
    BASES,
    SUGGESTED,
    Comparison,
    PerspectiveContrast,
    ReportData,
    basis_summary,
    reader_date,
)
from focuscode.export import plots
from focuscode.export.comparison import comparison_notes
from focuscode.export.files import atomic_path
from focuscode.export.framework import framework, framework_html
from focuscode.export.provenance import blind_notes
from focuscode.export.quote_tables import notes, suggestion_mark
from focuscode.export.quotes import check_fidelity, citation

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;
margin:2rem auto;padding:0 1rem;color:#1d232b;line-height:1.45}
h1{font-size:1.7rem}h3.group{margin-top:1.8rem;color:#34495e;text-transform:uppercase;
font-size:.95rem;letter-spacing:.04em}h4{font-size:1.05rem;margin:.6rem 0 .2rem}
h2{margin-top:2.4rem;border-bottom:2px solid #dde4ee;padding-bottom:.2rem}
tr.group th{background:#dde4ee;text-transform:uppercase;font-size:.8rem;letter-spacing:.04em}
table{border-collapse:collapse;width:100%;margin:.8rem 0;font-size:.88rem}
th,td{border:1px solid #d4dae3;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#eef2f7}td.n{text-align:right;white-space:nowrap}
.badge{display:inline-block;font-size:.72rem;padding:.05rem .45rem;border-radius:.6rem;
margin-left:.4rem;vertical-align:middle}
.accepted{background:#dff0df;color:#22562a}.suggested{background:#fbead4;color:#7a4a0c}
blockquote{margin:.5rem 0 .5rem 0;padding:.3rem .8rem;border-left:4px solid #9fb6d3;
background:#f7f9fc}blockquote cite{display:block;color:#5a6472;font-size:.82rem;font-style:normal}
.theme{margin:1.2rem 0 1.8rem}.muted{color:#5a6472;font-size:.88rem}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:.8rem}
.words{font-size:.82rem;color:#34495e}figure{margin:1rem 0}figure img{max-width:100%}
.caution{color:#8a4b08}table.framework td{font-size:.8rem;min-width:11rem}
table.framework td p{margin:.1rem 0 .4rem}
"""


def methods_paragraph(data: ReportData, comparison: Comparison | None = None) -> str:
    """A methods paragraph generated from the project: data, model, parameters, seeds,
    versions, counts, and who confirmed what."""
    segments = data.segments
    excluded = Counter(s.excluded for s in segments if s.excluded)
    role_counts = Counter(s.role for s in data.speakers)
    n_included = sum(1 for s in segments if s.excluded is None)
    parts = [
        f"The project holds {len(data.transcripts)} transcript(s) "
        f"({', '.join(t.name for t in data.transcripts)}) with {len(data.speakers)} speakers "
        f"({', '.join(f'{n} {r}' for r, n in sorted(role_counts.items()))}), cut into "
        f"{len(segments)} segments (whole turns, or windows of whole sentences of long turns; "
        f"a segment never crosses a turn). {n_included} segments were analysed; the others were "
        "kept as context only ("
        + (", ".join(f"{n} {reason.replace('_', ' ')}" for reason, n in sorted(excluded.items()))
           or "none") + ")."]
    run = data.run
    if run is not None:
        p = run.params
        size = p.get("min_cluster_size_used", p.get("min_cluster_size", "?"))
        versions = ", ".join(f"{name} {version}" for name, version in sorted(run.versions.items()))
        parts.append(
            f"Segments were embedded with the sentence-transformers model {run.model_id}, "
            f"{_reduction(p)} and clustered with "
            f"HDBSCAN (minimum cluster size {size}, minimum samples "
            f"{p.get('min_samples', '?')}, '{p.get('cluster_selection_method', '?')}' "
            f"cluster selection, random state {run.random_state}); themes were labelled by "
            f"class-based TF-IDF keywords{_reruns(p)}. Analysis run {run.id} finished "
            f"{reader_date(run.finished_at)} "
            f"(input hash {run.input_sha256[:12]}) and found {run.n_themes} themes in "
            f"{run.n_segments} segments, leaving {data.n_unassigned} unassigned. "
            f"Software: {versions}.")
    else:
        parts.append("No automatic analysis has been run.")
    n_codes = sum(1 for c in data.codes if c.status != SUGGESTED)
    n_suggested = len(data.codes) - n_codes
    confirmed = sum(len(v) for v in confirmed_segments(data).values())
    coders = "; ".join(
        f"{c.coder}: {c.n_confirmed} confirmed, {c.n_rejected} rejected, "
        f"{c.n_codes_created} code(s) created" for c in data.coders) or "none yet"
    codebook = (f"The codebook holds {n_codes} code(s); {n_suggested} suggested theme(s) are "
                "not yet reviewed.")
    if data.blind_coder is None:
        parts.append(
            f"{codebook} Researchers confirmed {confirmed} segment-code pair(s) ({coders}); "
            f"{data.n_decisions} decision(s) are kept in the project's append-only log. Counts "
            "include the suggestions of the analysis (themes) and of the codebook that no "
            "researcher rejected, each marked as suggested.")
    else:
        parts.append(
            f"{codebook} This report was made in blind mode for {data.blind_coder}, from their "
            f"decisions only: they confirmed {confirmed} segment-code pair(s) ({coders}) in "
            f"{data.n_decisions} decision(s) of the project's append-only log; other coders' "
            "decisions are left out. Counts include the suggestions of the analysis and of "
            f"the codebook that {data.blind_coder} did not reject, marked as suggested.")
    if comparison is not None:
        parts.append(" ".join(comparison_notes(comparison)[1:4]))
    return " ".join(parts)


def render_report(data: ReportData, comparison: Comparison,
                  contrasts: Sequence[PerspectiveContrast], *, real_names: bool = False,
                  normalisation: str = "segments", order: str = "import",
                  every_group: Comparison | None = None) -> str:
    """``comparison`` is tabled; ``every_group`` (default: the same) is plotted."""
    check_fidelity(data)
    figures = {
        f"Themes by {comparison.by}": plots.frequency_figure(every_group or comparison,
                                                             normalisation),
        "Co-occurrence": plots.cooccurrence_figure(data),
        "Saturation": plots.saturation_figure(data, order),
    }
    title = data.project
    body = [f"<h1>{escape(title)}</h1>",
            '<p class="muted">Qualitative analysis report made with focuscode</p>',
            *(f'<p class="caution"><strong>{escape(note)}</strong></p>'
              for note in blind_notes(data.blind_coder)),
            f'<p class="muted">Generated {escape(reader_date(data.generated_at))}. '
            + escape(notes(data, real_names=real_names)[5]) + "</p>",
            "<h2 id=\"methods\">Methods</h2>",
            f"<p>{escape(methods_paragraph(data, comparison))}</p>",
            _codebook(data), _themes(data, real_names), _comparison(comparison),
            _perspectives(data, contrasts, real_names), _framework(data, real_names),
            "<h2 id=\"plots\">Plots</h2>"]
    for caption, figure in figures.items():
        svg = base64.b64encode(plots.figure_bytes(figure, "svg")).decode("ascii")
        body.append(f'<figure><img alt="{escape(caption)}" src="data:image/svg+xml;base64,'
                    f'{svg}"><figcaption class="muted">{escape(caption)}</figcaption></figure>')
    body.append("<h2 id=\"notes\">About these numbers</h2><ul>"
                + "".join(f"<li>{escape(n)}</li>" for n in [*blind_notes(data.blind_coder),
                                                            *notes(data, real_names=real_names)])
                + "</ul>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def _badge(status: str) -> str:
    text = "suggested theme" if status == SUGGESTED else "code"
    return f'<span class="badge {escape(status)}">{text}</span>'


def _codebook(data: ReportData) -> str:
    coded = coded_segments(data)
    counted = basis_counts(data)
    rows = "".join(
        f"<tr><td>{escape(c.name)}{_badge(c.status)}</td><td>{escape(c.definition)}"
        + (f"<br><span class=\"muted\">Include: {escape(c.include)}</span>" if c.include else "")
        + (f"<br><span class=\"muted\">Exclude: {escape(c.exclude)}</span>" if c.exclude else "")
        + f"</td><td>{escape(', '.join(data.shown_keywords(c.keywords)))}"
        f"{_stability(c.stability)}</td>"
        f'<td class="n">{len(coded[c.key])}'
        + "".join(f'</td><td class="n">{counted[c.key][b]}' for b in BASES)
        + "</td></tr>" for c in data.codes)
    return ("<h2 id=\"codebook\">Codebook</h2><table><thead><tr><th>Code</th><th>Definition"
            "</th><th>Keywords</th><th>Segments</th><th>Confirmed</th><th>Suggested by theme</th>"
            "<th>Suggested by codebook</th></tr></thead><tbody>" + rows
            + "</tbody></table>")


def _themes(data: ReportData, real_names: bool) -> str:
    coded = coded_segments(data)
    counted = basis_counts(data)
    basis = bases(data)
    segments = {s.segment_id: s for s in data.segments}
    role_names = roles(data)
    quotes = sorted(data.quotes, key=lambda q: (q.code_key, q.rank))
    parts = ["<h2 id=\"themes\">Themes and quotes</h2>"]
    shown, empty = outline(data, coded)
    for code, heading in shown:
        ids = coded[code.key]
        if heading:
            parts.append(f'<h3 class="group" id="{escape(code.key)}">{escape(code.name)}</h3>')
            if not ids:
                continue
        by_role = Counter(segments[i].role for i in ids)
        speakers = {r: len({segments[i].speaker for i in ids if segments[i].role == r})
                    for r in role_names}
        counts = ", ".join(f"{r} {by_role.get(r, 0)} ({speakers[r]} speakers)"
                           for r in role_names)
        anchor = "" if heading else f' id="{escape(code.key)}"'
        parts.append(f'<section class="theme"{anchor}><h4>{escape(code.name)}'
                     f"{_badge(code.status)}</h4><p class=\"muted\">"
                     f"{escape(basis_summary(counted[code.key]))}. By role: "
                     f"{escape(counts)}</p>")
        for quote in (q for q in quotes if q.code_key == code.key):
            segment = segments[quote.segment_id]
            mark = suggestion_mark(basis[code.key].get(quote.segment_id))
            parts.append(f"<blockquote>“{escape(data.shown(quote.text))}”<cite>— "
                         f"{escape(citation(segment, real_names=real_names))}"
                         + (f' <span class="badge suggested">{escape(mark.strip(" []"))}</span>'
                            if mark else "") + "</cite></blockquote>")
        parts.append("</section>")
    parts.append(_empty_codes(empty))
    return "".join(parts)


def _empty_codes(empty: Sequence) -> str:
    """The codes with no coded segment yet, named once."""
    if not empty:
        return ""
    return ('<p class="muted" id="empty-codes">Codes with no coded segment yet: '
            + escape("; ".join(c.name for c in empty)) + ".</p>")


def _comparison(comparison: Comparison) -> str:
    head = "".join(f"<th>{escape(g)}</th>" for g in comparison.groups)
    rows = []
    _, empty = comparison.outline()
    width = len(comparison.groups) + 6
    for theme, heading in comparison.rows():
        if heading:
            rows.append(f'<tr class="group"><th colspan="{width}">{escape(theme.code_name)}'
                        "</th></tr>")
            continue
        r = theme.result
        cells = "".join(
            f'<td class="n">{c.n_segments}/{c.n_group_segments} ({c.rate_per_segment:.0%})<br>'
            f"{c.rate_per_1000_words:.2f} per 1,000 words<br>{c.n_speakers}/{c.n_group_speakers}"
            " speakers</td>" for c in theme.counts)
        effect = r.effect_text
        rows.append(
            f"<tr><td>{escape(theme.code_name)}{_badge(theme.code_status)}"
            f'<br><span class="muted">{escape(basis_summary(theme.basis))}</span></td>{cells}'
            f"<td>{escape(r.test or '-')}</td><td class=\"n\">{_p(r.p_value)}</td>"
            f"<td class=\"n\">{_p(r.p_adjusted)}</td><td>{escape(r.effect_measure)} "
            f"{escape(effect)}</td><td>{escape(theme.finding)}"
            + (f'<br><span class="caution">{escape(r.caution)}</span>' if r.caution else "")
            + "</td></tr>")
    notes_html = "".join(f"<li>{escape(n)}</li>" for n in comparison_notes(comparison))
    groups = " vs ".join(comparison.groups)
    return (f"<h2 id=\"comparison\">Comparison by {escape(comparison.by)}: {escape(groups)}</h2>"
            "<table><thead>"
            f"<tr><th>Theme</th>{head}<th>Test</th><th>p</th><th>q (BH)</th><th>Effect [95% CI]"
            "</th><th>Finding</th></tr></thead><tbody>" + "".join(rows)
            + f"</tbody></table>{_empty_codes(empty)}<ul class=\"muted\">{notes_html}</ul>")


def _p(value: float | None) -> str:
    if value is None:
        return "-"
    return "&lt;0.001" if value < 0.001 else f"{value:.3f}"


def _perspectives(data: ReportData, contrasts: Sequence[PerspectiveContrast],
                  real_names: bool) -> str:
    segments = {s.segment_id: s for s in data.segments}
    parts = ["<h2 id=\"perspectives\">Perspectives: where you stand is where you sit</h2>"]
    for item in contrasts:
        parts.append(f"<h3>{escape(item.code_name)}{_badge(item.code_status)}</h3>"
                     '<div class="pair">')
        for p in item.perspectives:
            words = ", ".join(w for w, _ in p.words) or "no distinctive words"
            quote = (f"<blockquote>“{escape(p.quote_text)}”<cite>— "
                     f"{escape(citation(segments[p.quote.segment_id], real_names=real_names))}"
                     "</cite></blockquote>" if p.quote else
                     f'<p class="muted">No {escape(p.group)} segments.</p>' if not p.n_segments
                     else f'<p class="muted">No {escape(p.group)} quote of 8 words or more.</p>')
            parts.append(f"<div><strong>{escape(p.group)}</strong> "
                         f'<span class="muted">({p.n_segments} segments)</span>{quote}'
                         f'<p class="words">Distinctive words: {escape(words)}</p></div>')
        parts.append("</div>")
    return "".join(parts)


def _framework(data: ReportData, real_names: bool) -> str:
    chart = framework(data, by="speaker", real_names=real_names)
    return ('<h2 id="framework">Framework matrix: speakers by codes</h2><p class="muted">'
            "One chart per parent code: each cell a speaker's coded segments (the first two; "
            "all of them in <code>focuscode export framework</code>) with their references."
            "</p>" + framework_html(chart))


def write_report(data: ReportData, comparison: Comparison,
                 contrasts: Sequence[PerspectiveContrast], path: Path, *,
                 real_names: bool = False, normalisation: str = "segments",
                 order: str = "import", every_group: Comparison | None = None) -> Path:
    html = render_report(data, comparison, contrasts, real_names=real_names,
                         normalisation=normalisation, order=order, every_group=every_group)
    with atomic_path(path) as temporary:
        temporary.write_text(html, encoding="utf-8")
    return path


def _reduction(params: dict) -> str:
    """How the run reduced the embeddings (runs stored before UMAP used PCA)."""
    method = params.get("reducer", "pca")
    if method == "none" or not params.get("n_components"):
        return "not reduced"
    if method == "umap":
        return (f"reduced by UMAP ({params.get('n_neighbors', 15)} neighbours, cosine) to "
                f"{params['n_components']} dimensions")
    return f"reduced by PCA to {params['n_components']} dimensions"


def _stability(value: float | None) -> str:
    if value is None:
        return ""
    mark = " (unstable)" if value < UNSTABLE else ""
    return f'<br><span class="muted">stability {value:.2f}{mark}</span>'


def _reruns(params: dict) -> str:
    runs = params.get("stability_runs_used")
    if not runs:
        return ""
    return (f"; each theme's stability is its mean best Jaccard overlap with the themes of {runs} "
            "HDBSCAN reruns on 90% resamples of the segments")
