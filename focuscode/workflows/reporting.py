"""Report use cases: read the project once into ``ReportData``, then tables, statistics, plots,
the HTML report and REFI-QDA files from it. Every export checks its quotes against the source.

``Reports`` is what ``Project.reports`` returns; notebook users get pandas DataFrames from it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from focuscode.domain import Coding, ConfigError, Theme
from focuscode.domain.quoting import MIN_QUOTE_WORDS
from focuscode.domain.reports import (
    ACCEPTED,
    BY_CODEBOOK,
    BY_THEME,
    CONFIRMED,
    MODEL_CODER,
    SUGGESTED,
    CoderActivity,
    Comparison,
    PerspectiveContrast,
    ReportCode,
    ReportCoding,
    ReportData,
    ReportQuote,
    ReportSegment,
    tree_order,
)
from focuscode.domain.review import Quote, entry_keywords
from focuscode.domain.suggestions import Suggestion
from focuscode.domain.tokens import name_words
from focuscode.export import quotes as quote_rules
from focuscode.store import DecisionLog, ProjectStore, utc_now
from focuscode.store.suggestion_store import SuggestionStore
from focuscode.workflows.analysis import current_memberships
from focuscode.workflows.names import Names
from focuscode.workflows.quoting import suggest_report_quotes
from focuscode.workflows.visibility import Visibility

QUOTE_FORMATS = ("csv", "xlsx", "md", "docx")


def gather(store: ProjectStore, log: DecisionLog, *, project: str, visibility: Visibility,
           n_quotes: int = quote_rules.N_QUOTES,
           min_quote_words: int = MIN_QUOTE_WORDS) -> ReportData:
    """Codes (accepted codes, then the latest run's suggested themes), segments, codings
    (confirmed, or suggested and not rejected by a coder ``visibility`` shows) and quotes,
    checked against the source."""
    run_id, members = current_memberships(store)
    run = store.latest_run()
    themes = store.themes(run_id) if run_id is not None else []
    report_codes, key_of_theme, key_of_code = _report_codes(log, themes)
    segments = _segments(store)
    decided_at = {d.id: d.created_at for d in log.history()}
    ran_at = (run.finished_at or run.started_at) if run is not None else ""
    codings = _codings(visibility.codings(log), members, key_of_theme, key_of_code,
                       codebook_suggestions(store, visibility), decided_at=decided_at,
                       ran_at=ran_at)
    report_codes = tree_order(report_codes)
    picked = _researcher_quotes(visibility.quotes(store), report_codes)
    with_picks = {q.code_key for q in picked}
    suggested = suggest_report_quotes(store, [c for c in report_codes if c.key not in with_picks],
                                      segments, codings, n_quotes=n_quotes,
                                      min_words=min_quote_words) if n_quotes else []
    quotes = picked + suggested
    quote_source = ("selected" if picked and not suggested else
                    "mixed" if picked else "suggested")
    data = ReportData(project=project, generated_at=utc_now(), codes=tuple(report_codes),
                      segments=tuple(segments), codings=tuple(codings), quotes=tuple(quotes),
                      transcripts=tuple(store.transcripts()), speakers=tuple(store.speakers()),
                      run=run, coders=_coders(log, visibility),
                      n_decisions=len(visibility.decisions(log)), quote_source=quote_source,
                      n_unassigned=sum(1 for m in members.values() if m.theme_id is None),
                      blind_coder=visibility.blind_coder, identity=store.identity())
    quote_rules.check_fidelity(data)
    return data


def _report_codes(log: DecisionLog, themes: Sequence[Theme]
                  ) -> tuple[list[ReportCode], dict[int, str], dict[int, str]]:
    """The accepted codes, then the latest run's themes not (yet) codes: a theme whose row
    holds codings, quotes or a definition (``entries.coding_row``) is reported as a suggested
    theme with them. Also the report key of each theme and of each code row."""
    rows = {int(code.id): code for code in log.codes()}
    codes = [code for code in rows.values() if code.status == ACCEPTED]
    themes_of_code: dict[int | None, list[Theme]] = defaultdict(list)
    for theme in themes:
        themes_of_code[theme.code_id].append(theme)
    report_codes: list[ReportCode] = []
    key_of_theme: dict[int, str] = {}
    key_of_code: dict[int, str] = {}
    for code in codes:
        linked = themes_of_code.get(code.id, [])
        theme = linked[-1] if linked else None
        key = key_of_code[int(code.id)] = f"code-{code.id}"
        report_codes.append(ReportCode(
            key=key, name=code.name, status=ACCEPTED, definition=code.definition,
            include=code.include, exclude=code.exclude, keywords=entry_keywords(code, linked),
            code_id=code.id, theme_id=theme.id if theme else None, parent=code.parent,
            color=code.color, examples=code.examples, memo=code.memo, codable=code.codable,
            stability=theme.stability if theme else None))
        key_of_theme.update({t.id: key for t in linked})
    for theme in themes:
        if theme.id in key_of_theme:
            continue
        row = rows.get(theme.code_id) if theme.code_id is not None else None
        key = key_of_theme[theme.id] = f"theme-{theme.id}"
        if row is not None:
            key_of_code.setdefault(int(row.id), key)
        report_codes.append(ReportCode(
            key=key, name=row.name if row else theme.label, status=SUGGESTED,
            definition=row.definition if row else "", keywords=theme.keywords,
            code_id=row.id if row else None, theme_id=theme.id, stability=theme.stability))
    return report_codes, key_of_theme, key_of_code


def _segments(store: ProjectStore) -> list[ReportSegment]:
    speakers = {s.label: s for s in store.speakers()}
    transcripts = {t.id: t for t in store.transcripts()}
    rows = []
    for segment in store.segments():
        speaker = speakers.get(segment.speaker or "")
        transcript = transcripts[segment.transcript_id]
        rows.append(ReportSegment(
            segment_id=int(segment.id), transcript_id=int(segment.transcript_id),
            transcript=transcript.name, turn_index=segment.turn_index,
            speaker=segment.speaker or "",
            pseudonym=speaker.display_name if speaker else (segment.speaker or ""),
            role=segment.role or "unknown", start_char=segment.start, end_char=segment.end,
            text=segment.text, start_time=segment.start_time,
            excluded=segment.excluded.value if segment.excluded else None,
            speaker_attributes=dict(speaker.attributes) if speaker else {},
            transcript_attributes=dict(transcript.attributes)))
    return rows


def codebook_suggestions(store: ProjectStore, visibility: Visibility) -> list[Suggestion]:
    """The latest codebook suggestion run's suggestions (in blind mode the latest run that used
    no other coder's confirmations), or none before any ``suggest``."""
    run_id = visibility.suggestion_run(store)
    return SuggestionStore(store.db).suggestions(run_id) if run_id is not None else []


def _codings(visible: Sequence[Coding], members: dict, key_of_theme: dict[int, str],
             key_of_code: dict[int, str], suggested: Sequence[Suggestion] = (), *,
             decided_at: dict[int, str] | None = None, ran_at: str = "") -> list[ReportCoding]:
    """The codings that count (see ``domain.reports.BASES``): confirmed ones, then the theme's
    members and the codebook's suggestions that no visible coder decided either way. A code
    row's codings count for its report key (``key_of_code``: an accepted code, or the theme
    whose row it is)."""
    decided_at = decided_at or {}
    similarity: dict[int, float] = {}
    for segment_id, member in members.items():
        similarity[segment_id] = next((s for t, s in member.nearest if t == member.theme_id),
                                      member.probability)
    decided: dict[tuple[int, str], set[str]] = defaultdict(set)
    result: list[ReportCoding] = []
    for coding in visible:
        if coding.code_id not in key_of_code:
            continue
        key = key_of_code[coding.code_id]
        decided[(coding.segment_id, key)].add(coding.status.value)
        if coding.status.value == CONFIRMED:
            result.append(ReportCoding(segment_id=coding.segment_id, code_key=key,
                                       status=CONFIRMED, coder=coding.coder,
                                       rank=similarity.get(coding.segment_id, 0.0),
                                       created_at=decided_at.get(coding.decision_id or -1, ""),
                                       basis=CONFIRMED))
    for segment_id, member in sorted(members.items()):
        if member.theme_id is None or member.theme_id not in key_of_theme:
            continue
        key = key_of_theme[member.theme_id]
        if decided.get((segment_id, key)):  # confirmed (listed above) or rejected
            continue
        decided[(segment_id, key)].add(BY_THEME)
        result.append(ReportCoding(segment_id=segment_id, code_key=key, status=SUGGESTED,
                                   coder=MODEL_CODER, rank=similarity.get(segment_id, 0.0),
                                   created_at=ran_at, basis=BY_THEME))
    for suggestion in suggested:
        key = key_of_code.get(suggestion.code_id, "")
        if not key.startswith("code-") or decided.get((suggestion.segment_id, key)):
            continue
        decided[(suggestion.segment_id, key)].add(BY_CODEBOOK)
        result.append(ReportCoding(segment_id=suggestion.segment_id, code_key=key,
                                   status=SUGGESTED, coder=MODEL_CODER,
                                   rank=suggestion.similarity, basis=BY_CODEBOOK))
    return result


def _researcher_quotes(picked: Sequence[Quote],
                       codes: Sequence[ReportCode]) -> list[ReportQuote]:
    """Quotes researchers picked in the review workbench, in their order (starred first)."""
    key_of_code = {c.code_id: c.key for c in codes if c.code_id is not None}
    quotes: list[ReportQuote] = []
    ranks: Counter[str] = Counter()
    for quote in picked:
        key = key_of_code.get(quote.code_id)
        if key is None:
            continue
        ranks[key] += 1
        quotes.append(ReportQuote(code_key=key, rank=ranks[key], segment_id=quote.segment_id,
                                  start_char=quote.start, end_char=quote.end, text=quote.text,
                                  source="selected"))
    return quotes


def _coders(log: DecisionLog, visibility: Visibility) -> tuple[CoderActivity, ...]:
    confirmed: Counter[str] = Counter()
    rejected: Counter[str] = Counter()
    for coding in visibility.codings(log):
        (confirmed if coding.status.value == CONFIRMED else rejected)[coding.coder] += 1
    live = {code.id for code in log.codes() if code.status == ACCEPTED}
    created: Counter[str] = Counter()
    for decision in visibility.decisions(log):
        code = decision.payload.get("code") if decision.action == "create_code" else None
        if code and code.get("id") in live:
            created[decision.coder] += 1
    names = sorted(set(confirmed) | set(rejected) | set(created))
    return tuple(CoderActivity(coder=name, n_confirmed=confirmed[name], n_rejected=rejected[name],
                               n_codes_created=created[name]) for name in names)


class Reports:
    """Tables (DataFrames), statistics, plots, the HTML report and REFI-QDA for one project.

    Speakers appear as pseudonyms unless ``real_names=True``; "codes" are the accepted codes
    plus the latest analysis' suggested themes, marked ``accepted`` / ``suggested``. In blind
    mode (``visibility``) everything is made from the coder's own decisions, and files say so.
    """

    def __init__(self, store: ProjectStore, log: DecisionLog, *, project: str,
                 visibility: Visibility, stop_words: Sequence[str] = ()) -> None:
        self.store = store
        self.log = log
        self.project = project
        self.visibility = visibility
        self.stop_words = stop_words

    def data(self, *, n_quotes: int = quote_rules.N_QUOTES,
             real_names: bool = False) -> ReportData:
        """Everything reports need, read once and checked against the source; de-identified
        (names in quoted text replaced, after the check) unless ``real_names``."""
        data = gather(self.store, self.log, project=self.project, visibility=self.visibility,
                      n_quotes=n_quotes)
        if real_names:
            return data
        return replace(data, deidentifier=Names(self.store).deidentifier())

    # tables ---------------------------------------------------------------------------------
    def quotes_frame(self, *, real_names: bool = False,
                     n_quotes: int = quote_rules.N_QUOTES):  # noqa: ANN201
        """One row per code: definition, segments and speakers per role, shares, quotes."""
        from focuscode.export.quote_tables import theme_quotes_frame

        return theme_quotes_frame(self.data(n_quotes=n_quotes, real_names=real_names),
                                  real_names=real_names)

    def quotes_long_frame(self, *, real_names: bool = False,
                          n_quotes: int = quote_rules.N_QUOTES):  # noqa: ANN201
        """The tidy table: one row per code x quote."""
        from focuscode.export.quote_tables import quotes_long_frame

        return quotes_long_frame(self.data(n_quotes=n_quotes, real_names=real_names),
                                 real_names=real_names)

    def matrix_frame(self, *, real_names: bool = False,
                     confirmed_only: bool = False):  # noqa: ANN201
        """The wide 0/1 segment x code matrix."""
        from focuscode.export.quote_tables import code_matrix_frame

        return code_matrix_frame(self.data(), real_names=real_names,
                                 confirmed_only=confirmed_only)

    def export_quotes(self, path: Path | str, *, fmt: str | None = None,
                      real_names: bool = False, n_quotes: int = quote_rules.N_QUOTES,
                      long: bool = False) -> Path:
        from focuscode.export.quote_tables import write_quotes

        return write_quotes(self.data(n_quotes=n_quotes, real_names=real_names), Path(path),
                            fmt=fmt, real_names=real_names, long=long)

    def export_matrix(self, path: Path | str, *, real_names: bool = False,
                      confirmed_only: bool = False) -> Path:
        from focuscode.export.quote_tables import write_matrix

        return write_matrix(self.data(), Path(path), real_names=real_names,
                            confirmed_only=confirmed_only)

    # comparison -----------------------------------------------------------------------------
    def compare(self, by: str = "role", *, groups: Sequence[str] | None = None,
                unit: str = "segment", confirmed_only: bool = False, alpha: float = 0.05,
                random_state: int = 0) -> Comparison:
        from focuscode.pipeline.comparison import compare

        return compare(self.data(), by=by, groups=groups, unit=unit,
                       confirmed_only=confirmed_only, alpha=alpha, random_state=random_state)

    def comparison_frame(self, by: str = "role", **options: Any):  # noqa: ANN201
        """One row per code: counts and the three rates per group, test, q-value, effect."""
        from focuscode.export.comparison import comparison_frame

        return comparison_frame(self.compare(by, **options))

    def export_comparison(self, path: Path | str, comparison: Comparison | None = None, *,
                          by: str = "role", **options: Any) -> Path:
        from focuscode.export.comparison import write_comparison

        return write_comparison(comparison or self.compare(by, **options), Path(path))

    def comparison_text(self, comparison: Comparison, fmt: str = "md") -> str:
        """The comparison as Markdown (one full row per code, parents as headings) or CSV."""
        from focuscode.export.comparison import comparison_csv, comparison_markdown

        return comparison_markdown(comparison) if fmt == "md" else comparison_csv(comparison)

    # framework matrix -------------------------------------------------------------------------
    def framework_frame(self, by: str = "speaker", *, real_names: bool = False):  # noqa: ANN201
        """The Framework Method's chart: rows (speakers, roles or transcripts) x codes, each
        cell that row's coded segments with their references (de-identified by default)."""
        from focuscode.export.framework import framework, framework_frame

        return framework_frame(framework(self.data(real_names=real_names), by=by,
                                         real_names=real_names))

    def export_framework(self, path: Path | str, *, by: str = "speaker",
                         real_names: bool = False) -> Path:
        """The framework matrix as .xlsx (one sheet) or .docx (one chart per parent code)."""
        from focuscode.export.framework import write_framework

        return write_framework(self.data(real_names=real_names), Path(path), by=by,
                               real_names=real_names)

    # perspectives ---------------------------------------------------------------------------
    def contrast(self, by: str = "role", groups: Sequence[str] = ("patient", "physician"), *,
                 real_names: bool = False, n_words: int = 6) -> list[PerspectiveContrast]:
        from focuscode.pipeline.contrast import contrast

        return contrast(self.data(real_names=real_names), by=by, groups=groups,
                        real_names=real_names, n_words=n_words,
                        stop_words=self.contrast_stop_words())

    def contrast_frame(self, by: str = "role", groups: Sequence[str] = ("patient", "physician"),
                       **options: Any):  # noqa: ANN201
        from focuscode.export.contrast import contrast_frame

        return contrast_frame(self.contrast(by, groups, **options))

    def export_contrast(self, path: Path | str,
                        contrasts: Sequence[PerspectiveContrast] | None = None, *,
                        by: str = "role", groups: Sequence[str] = ("patient", "physician"),
                        **options: Any) -> Path:
        """The perspectives as .xlsx, or else .csv (computed unless ``contrasts`` are given)."""
        from focuscode.export.contrast import write_contrast

        return write_contrast(contrasts if contrasts is not None else
                              self.contrast(by, groups, **options), Path(path),
                              blind_coder=self.visibility.blind_coder)

    def contrast_stop_words(self) -> list[str]:
        """Words left out of distinctive words: the labeller's stop words and speakers' names."""
        from focuscode.pipeline.label import stop_words

        names = name_words([*(speaker.label for speaker in self.store.speakers()),
                            *Names(self.store).listed()])
        return sorted(set(stop_words()) | names | set(self.stop_words))

    # plots and the report -------------------------------------------------------------------
    def export_plots(self, folder: Path | str, *, by: str = "role",
                     normalisation: str = "segments", order: str = "import",
                     cooccurrence_unit: str = "segment") -> list[Path]:
        """Frequency by group, co-occurrence heat map and saturation curve, as PNG and SVG."""
        from focuscode.export import plots
        from focuscode.pipeline.comparison import compare

        data = self.data(n_quotes=0)  # plots draw counts: no quotes to rank
        comparison = compare(data, by=by, tests=False)  # nor tests
        folder = Path(folder)
        return [*plots.write_frequency(comparison, folder / "theme_frequency", normalisation),
                *plots.write_cooccurrence(data, folder / "theme_cooccurrence",
                                          unit=cooccurrence_unit),
                *plots.write_saturation(data, folder / "saturation", order=order)]

    def export_report(self, path: Path | str, *, by: str = "role",
                      groups: Sequence[str] = ("patient", "physician"),
                      real_names: bool = False, normalisation: str = "segments",
                      order: str = "import") -> Path:
        """One self-contained HTML file: codebook, theme-quote table, role comparison,
        perspectives, plots and a methods paragraph."""
        from focuscode.export.html_report import write_report
        from focuscode.pipeline.comparison import compare
        from focuscode.pipeline.contrast import contrast

        data = self.data(real_names=real_names)
        every_group = compare(data, by=by, tests=False)  # the frequency plot: every group
        groups = [g for g in groups if g in every_group.groups]
        if len(groups) < 2:  # e.g. no physicians here: the two largest groups
            groups = list(every_group.groups[:2])
        comparison = compare(data, by=by, groups=groups)
        contrasts = contrast(data, by=by, groups=groups, real_names=real_names,
                             stop_words=self.contrast_stop_words())
        return write_report(data, comparison, contrasts, Path(path), real_names=real_names,
                            normalisation=normalisation, order=order, every_group=every_group)

    # REFI-QDA ---------------------------------------------------------------------------------
    def export_refi(self, path: Path | str, *, real_names: bool = False,
                    include_suggestions: bool = False) -> Path:
        """The project as a REFI-QDA ``.qdpx`` (sources, codes, codings, cases, users): the
        researchers' codings, and the analysis' unreviewed suggestions only if asked for."""
        from focuscode.export.refi import write_qdpx

        path = Path(path)
        if path.suffix.lower() != ".qdpx":
            raise ConfigError("a REFI-QDA project file ends in .qdpx", path=str(path))
        return write_qdpx(self.data(), path, real_names=real_names,
                          include_suggestions=include_suggestions)
