"""The Project facade: the one entry point every shell (CLI, TUI, notebooks) uses."""

from __future__ import annotations

import getpass
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from focuscode.domain import ConfigError, Decision, ProjectNotFoundError, Theme, ThemeGroup
from focuscode.domain.review import ReviewEntry
from focuscode.domain.views import AnalysisReport, ImportReport, SegmentRow
from focuscode.export.files import protect
from focuscode.pipeline.embed import Embedder, SentenceTransformerEmbedder
from focuscode.pipeline.ingest.survey import SurveyColumns
from focuscode.store import DecisionLog, ProjectStore
from focuscode.workflows import analysis, coding, exporting, importing, views
from focuscode.workflows.progress import Progress
from focuscode.workflows.settings import AnalysisSettings
from focuscode.workflows.visibility import Visibility

DB_NAME = "focuscode.sqlite"
RUN_PROJECT = Path("exports") / "project"  # where ``focuscode run`` makes its project


def default_coder() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "researcher")


class Project:
    """A project folder holding one SQLite store. Open with ``Project.open`` or ``Project.init``."""

    def __init__(self, folder: Path, store: ProjectStore, *, coder: str | None = None,
                 embedder: Embedder | None = None) -> None:
        self.folder = folder
        self.store = store
        self.log = DecisionLog(store.db)
        if store.db.path != ":memory:":
            protect(Path(store.db.path), store.transcript_sources())
        self.coder = coder or store.get_setting("coder") or default_coder()
        self._embedder = embedder

    # lifecycle ----------------------------------------------------------------------------
    @classmethod
    def init(cls, folder: Path | str, **kwargs: Any) -> "Project":
        """Create the project in ``folder`` (made if missing); open it if it already exists."""
        folder = Path(folder)
        try:
            if folder.exists() and not folder.is_dir():
                raise ConfigError("exists and is not a folder", path=str(folder))
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # /proc/x, a read-only place, a folder that cannot be searched
            raise ConfigError(f"cannot create the project folder: {error.strerror}",
                              path=str(folder), hint="choose a folder you can write to") from None
        return cls(folder, ProjectStore(folder / DB_NAME, create=True), **kwargs)

    @classmethod
    def open(cls, folder: Path | str, **kwargs: Any) -> "Project":
        folder = Path(folder)
        if not (folder / DB_NAME).exists():
            raise ProjectNotFoundError(
                "no focuscode project here", path=str(folder),
                hint=f"run 'focuscode init' there, or pass --project PATH ('focuscode run' "
                     f"makes its project in {RUN_PROJECT}/ of the folder it runs in)")
        return cls(folder, ProjectStore(folder / DB_NAME), **kwargs)

    @classmethod
    def exists(cls, folder: Path | str) -> bool:
        return (Path(folder) / DB_NAME).exists()

    @classmethod
    def locate(cls, folder: Path | str) -> Path:
        """The folder holding the project meant by ``folder``: itself, or, when it holds none,
        the project ``focuscode run`` made in it (``exports/project``) if there is one."""
        folder = Path(folder)
        if not cls.exists(folder) and cls.exists(folder / RUN_PROJECT):
            return folder / RUN_PROJECT
        return folder

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # settings -----------------------------------------------------------------------------
    @property
    def settings(self) -> AnalysisSettings:
        return AnalysisSettings.from_dict(self.store.get_setting("analysis", {}))

    def configure(self, **changes: Any) -> AnalysisSettings:
        """Change and store analysis settings (unknown names are refused)."""
        before = self.settings
        settings = before.updated(**changes)
        if settings.n_themes is not None and settings.n_themes != before.n_themes:
            n = len(self.store.segments(included_only=True))
            if settings.n_themes > n:
                raise ConfigError(f"--themes {settings.n_themes} asks for more themes than the "
                                  f"project has segments to analyse ({n})",
                                  hint=f"choose at most {n}, or 'auto'; nothing was changed")
        self.store.set_setting("analysis", settings.to_dict())
        if settings.include_moderator != before.include_moderator or \
                settings.min_content_words != before.min_content_words:
            importing.refresh_exclusions(self.store, settings)
        return settings

    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = SentenceTransformerEmbedder(self.settings.model)
        return self._embedder

    # use cases ----------------------------------------------------------------------------
    def import_files(self, paths: Sequence[Path], *, speakers_file: Path | None = None,
                     attributes: Mapping[str, Any] | None = None, encoding: str | None = None,
                     progress: Progress | None = None, survey: SurveyColumns | None = None,
                     dry_run: bool = False, allow_duplicate: bool = False) -> ImportReport:
        """Import transcripts (or, with ``survey``, CSV/XLSX answers); ``dry_run`` only reads
        and reports."""
        return importing.import_files(self.store, self.settings, [Path(p) for p in paths],
                                      speakers_file=speakers_file, attributes=attributes,
                                      encoding=encoding, progress=progress, survey=survey,
                                      dry_run=dry_run, allow_duplicate=allow_duplicate)

    def import_refi(self, path: Path | str) -> "RefiImportReport":  # noqa: F821
        """Import a REFI-QDA project (``.qdpx``): transcripts, codes, each coder's codings,
        cases and memos; one decision of the log (see ``workflows.refi_import``)."""
        from focuscode.workflows.refi_import import import_qdpx

        return import_qdpx(self.store, self.log, self.settings, Path(path), coder=self.coder)

    def analyse(self, progress: Progress | None = None, *,
                plan: "analysis.AnalysisPlan | None" = None) -> AnalysisReport:
        """Analyse (or save the ``plan`` a preview showed): a re-analysis keeps every code,
        split, merge, move and decision, and is one decision of the log."""
        if plan is None:
            plan = self.plan_analysis(progress)
        return analysis.save_analysis(self.store, self.log, plan, coder=self.coder,
                                      progress=progress)

    def asks_before_analysing(self) -> bool:
        """Whether an analysis now is a re-analysis of a project with decisions (a shell shows
        its preview and asks first)."""
        return self.store.latest_run() is not None and self.log.last_id() is not None

    def plan_analysis(self, progress: Progress | None = None) -> "analysis.AnalysisPlan":
        """Embed and cluster without saving: ``plan.preview`` says what a re-analysis would
        change, ``plan.needs_confirmation`` whether to ask; ``analyse(plan=plan)`` saves it."""
        return analysis.plan_analysis(self.store, self.settings, self.embedder(), progress,
                                      log=self.log)

    def themes(self) -> list[ReviewEntry]:
        """The themes overview, as the review workbench shows it: codes with their themes,
        themes not yet codes, then the unassigned queue; empty before any analysis."""
        return self.review.entries()

    def theme_tree(self) -> list[tuple[ThemeGroup | None, list[Theme]]]:
        """The latest run's parent themes with their themes (largest first), then the themes
        at the top level on their own (under ``None``); empty before any analysis."""
        run = self.store.latest_run()
        if run is None:
            return []
        themes = []
        for theme in self.store.themes(run.id):  # as the researcher shaped them
            if theme.code_id is None:
                themes.append(theme)
                continue
            code = self.log.code(theme.code_id)
            if code.status != "deleted":  # merged themes show their code's name; a theme
                # holding codings (its row, no code yet) shows as the theme it still is
                themes.append(replace(theme, label=code.name,
                                      code_id=None if code.is_theme_row else theme.code_id))
        tree: list[tuple[ThemeGroup | None, list[Theme]]] = [
            (group, [t for t in themes if t.group_id == group.id])
            for group in self.store.theme_groups(run.id)]
        tree = [(group, children) for group, children in tree if children]
        alone = [t for t in themes if t.group_id is None]
        return tree + ([(None, alone)] if alone else [])

    def accept_parent(self, group_id: int, name: str | None = None) -> Decision:
        return self.decisions.accept_parent(group_id, name)

    def segment_rows(self) -> list[SegmentRow]:
        """One row per segment; coding statuses from the decisions this coder may see."""
        return views.segment_rows(self.store, self.log, self.visibility)

    def segments_frame(self, *, real_names: bool = False):  # noqa: ANN201 - pandas.DataFrame
        """The tidy segment table as a DataFrame (checked against the source)."""
        from focuscode.export.segments import segments_frame

        rows = self.segment_rows()
        exporting.verify_offsets(self.store, rows)
        return segments_frame(rows, real_names=real_names,
                              shown=exporting.deidentifier(self.store, real_names))

    def export_segments(self, path: Path | str, *, real_names: bool = False,
                        fmt: str | None = None) -> Path:
        return exporting.export_segments(self.store, self.segment_rows(), Path(path),
                                         real_names=real_names, fmt=fmt,
                                         blind_coder=self.visibility.blind_coder)

    def accept_theme(self, theme_id: int, name: str | None = None) -> int:
        return coding.accept_theme(self.store, self.log, theme_id, coder=self.coder, name=name)

    def confirm(self, segment_id: int, theme_id: int) -> int:
        return coding.set_segment_status(self.store, self.log, segment_id, theme_id, "confirmed",
                                         coder=self.coder)

    def reject(self, segment_id: int, theme_id: int) -> int:
        return coding.set_segment_status(self.store, self.log, segment_id, theme_id, "rejected",
                                         coder=self.coder)

    def check(self) -> list[str]:
        """Problems of the project's file and decision log, one line each (none: consistent):
        SQLite's integrity and reference checks, then the log replayed over the state."""
        return self.store.db.integrity_problems() + self.log.verify()

    def undo(self) -> int | None:
        return self.log.undo(coder=self.coder, reveal=not self.blind)

    def redo(self) -> int | None:
        return self.log.redo(coder=self.coder)

    # reports (issue 4) --------------------------------------------------------------------
    @property
    def reports(self) -> "Reports":  # noqa: F821 - imported below, lazily
        """Theme-quote tables, role comparison, perspectives, plots, the HTML report and
        REFI-QDA exchange, each also as pandas DataFrames (see ``workflows.reporting``)."""
        from focuscode.workflows.reporting import Reports

        return Reports(self.store, self.log, project=self.name, visibility=self.visibility)

    @property
    def name(self) -> str:
        """The project's name (``focuscode init --name``), else its folder's."""
        return str(self.store.get_setting("name") or self.folder.resolve().name)

    @property
    def names(self) -> "Names":  # noqa: F821 - imported below, lazily
        """Names taken out of de-identified quotes, and the review of candidates."""
        from focuscode.workflows.names import Names

        return Names(self.store)

    # review workbench (issue 3) -----------------------------------------------------------
    @property
    def review(self) -> "Review":  # noqa: F821 - imported below, lazily
        """Read models of the workbench: entries, segments, context, queue, search (the
        coder's own statuses; others' quotes as ``visibility`` allows)."""
        from focuscode.workflows.review import Review

        return Review(self.store, self.log, self.visibility)

    @property
    def decisions(self) -> "Decisions":  # noqa: F821
        """Segment and codebook decisions (confirm, move, accept, merge, split, ...)."""
        from focuscode.workflows.coding import Decisions

        return Decisions(self.store, self.log, self.coder)

    @property
    def quotes(self) -> "Quotes":  # noqa: F821
        """Quotes per code: mark, star, reorder, and the ranked suggestions (in blind mode the
        coder's own quotes only)."""
        from focuscode.workflows.quoting import Quotes

        return Quotes(self.store, self.log, self.visibility)

    @property
    def preferences(self) -> "Preferences":  # noqa: F821
        """This coder's workbench preferences (the themes overview's sort order), kept across
        restarts."""
        from focuscode.workflows.preferences import Preferences

        return Preferences(self.store, self.coder)

    def can_undo(self) -> bool:
        return self.log.can_undo(self.coder)

    def can_redo(self) -> bool:
        return self.log.can_redo(self.coder)

    # codebooks and coders (issue 5) -------------------------------------------------------
    @property
    def codebook(self) -> "Codebooks":  # noqa: F821 - imported below, lazily
        """The codebook: import (one undoable decision) and export as YAML, CSV, XLSX, .qdc."""
        from focuscode.workflows.codebooks import Codebooks

        return Codebooks(self.store, self.log, self.coder,
                         identity=self.store.identity() or self.folder.resolve().name)

    @property
    def suggestions(self) -> "Suggestions":  # noqa: F821
        """Deductive suggestions of codebook codes for segments: run, review, decide, align
        with the discovered themes (see ``workflows.suggesting``)."""
        from focuscode.workflows.suggesting import Suggestions

        return Suggestions(self.store, self.log, self.coder, embedder=self.embedder,
                           blind=self.blind)

    @property
    def coders(self) -> "Coders":  # noqa: F821
        """Coders, blind mode and agreement (kappa, alpha, disagreements)."""
        from focuscode.workflows.agreement import Coders

        return Coders(self.store, self.log, self.coder,
                      blind=self.__dict__.get("_blind_override"))

    @property
    def blind(self) -> bool:
        """Whether this coder's views leave out other coders' decisions: set for this session
        (``project.blind = True``), else the project's setting (``coders.set_blind``)."""
        return self.coders.blind

    @blind.setter
    def blind(self, value: bool | None) -> None:
        self.__dict__["_blind_override"] = value

    @property
    def visibility(self) -> Visibility:
        """Whose decisions this coder's tables, reports and files use (``workflows.visibility``):
        everyone's, or in blind mode their own."""
        return Visibility(self.coder, blind=self.blind)
