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
from focuscode.pipeline.embed import Embedder, SentenceTransformerEmbedder
from focuscode.store import DecisionLog, ProjectStore
from focuscode.workflows import analysis, coding, exporting, importing, views
from focuscode.workflows.progress import Progress
from focuscode.workflows.settings import AnalysisSettings
from focuscode.workflows.visibility import Visibility

DB_NAME = "focuscode.sqlite"


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
        self.coder = coder or store.get_setting("coder") or default_coder()
        self._embedder = embedder

    # lifecycle ----------------------------------------------------------------------------
    @classmethod
    def init(cls, folder: Path | str, **kwargs: Any) -> "Project":
        """Create the project in ``folder`` (made if missing); open it if it already exists."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise ConfigError("exists and is not a folder", path=str(folder))
        folder.mkdir(parents=True, exist_ok=True)
        return cls(folder, ProjectStore(folder / DB_NAME, create=True), **kwargs)

    @classmethod
    def open(cls, folder: Path | str, **kwargs: Any) -> "Project":
        folder = Path(folder)
        if not (folder / DB_NAME).exists():
            raise ProjectNotFoundError("no focuscode project here", path=str(folder),
                                       hint="run 'focuscode init' there, or pass --project PATH")
        return cls(folder, ProjectStore(folder / DB_NAME), **kwargs)

    @classmethod
    def exists(cls, folder: Path | str) -> bool:
        return (Path(folder) / DB_NAME).exists()

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
                     progress: Progress | None = None) -> ImportReport:
        return importing.import_files(self.store, self.settings, [Path(p) for p in paths],
                                      speakers_file=speakers_file, attributes=attributes,
                                      encoding=encoding, progress=progress)

    def analyse(self, progress: Progress | None = None) -> AnalysisReport:
        return analysis.analyse(self.store, self.settings, self.embedder(), progress)

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
            if code.status != "deleted":  # merged themes show their code's name
                themes.append(replace(theme, label=code.name))
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
        return segments_frame(rows, real_names=real_names)

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

    def undo(self) -> int | None:
        return self.log.undo(coder=self.coder)

    def redo(self) -> int | None:
        return self.log.redo(coder=self.coder)

    # reports (issue 4) --------------------------------------------------------------------
    @property
    def reports(self) -> "Reports":  # noqa: F821 - imported below, lazily
        """Theme-quote tables, role comparison, perspectives, plots, the HTML report and
        REFI-QDA exchange, each also as pandas DataFrames (see ``workflows.reporting``)."""
        from focuscode.workflows.reporting import Reports

        return Reports(self.store, self.log, project=self.folder.resolve().name,
                       visibility=self.visibility)

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

    def can_undo(self) -> bool:
        return self.log.can_undo()

    def can_redo(self) -> bool:
        return self.log.can_redo()

    # codebooks and coders (issue 5) -------------------------------------------------------
    @property
    def codebook(self) -> "Codebooks":  # noqa: F821 - imported below, lazily
        """The codebook: import (one undoable decision) and export as YAML, CSV, XLSX, .qdc."""
        from focuscode.workflows.codebooks import Codebooks

        return Codebooks(self.store, self.log, self.coder,
                         identity=self.folder.resolve().name)

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
