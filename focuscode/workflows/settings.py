"""Analysis settings: stored in the project, recorded with every run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Mapping

from focuscode.domain import ConfigError
from focuscode.pipeline.embed import DEFAULT_MODEL
from focuscode.pipeline.reduce import REDUCERS


@dataclass(frozen=True)
class AnalysisSettings:
    model: str = DEFAULT_MODEL
    reducer: str = "umap"
    n_components: int | None = 5
    n_neighbors: int = 15
    min_cluster_size: int | None = None  # None: scaled to the number of segments
    n_themes: int | None = None  # top-level themes of the tree; None: about sqrt(2 x themes)
    min_samples: int | None = 1
    cluster_selection_method: str = "eom"
    reassign_quantile: float | None = 0.0
    reassign_margin: float = 0.05
    random_state: int = 42
    # HDBSCAN reruns on 90% resamples behind theme stability; None: 10 up to 20,000 segments,
    # none above (each rerun costs one more HDBSCAN fit).
    stability_runs: int | None = None
    n_keywords: int = 8
    include_moderator: bool = False
    max_words: int = 80
    window_words: int = 50
    min_content_words: int = 5

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "AnalysisSettings":
        known = {f.name for f in fields(cls)}
        data = dict(data)
        if "reducer" not in data:
            # Stored before UMAP: n_components was PCA's; the old default (10) moves to UMAP's.
            if data.get("n_components", 10) == 10:
                data.pop("n_components", None)
            else:
                data["reducer"] = "pca"
        return cls(**{k: v for k, v in data.items() if k in known})

    def updated(self, **changes: Any) -> "AnalysisSettings":
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}",
                              hint=f"known settings: {', '.join(sorted(known))}")
        if "n_themes" in changes:
            changes = {**changes, "n_themes": _top_level(changes["n_themes"])}
        result = replace(self, **{k: v for k, v in changes.items() if v is not None})
        if changes.get("n_themes", 0) is AUTO:
            result = replace(result, n_themes=None)
        # 0 means "automatic" (scaled to the data) or "no reduction": a way back from a number.
        if result.min_cluster_size == 0:
            result = replace(result, min_cluster_size=None)
        if result.n_components == 0:
            result = replace(result, n_components=None)
        if result.reducer not in REDUCERS:
            raise ConfigError(f"reducer must be one of {', '.join(REDUCERS)}, not "
                              f"{result.reducer!r}")
        if result.n_neighbors < 2:
            raise ConfigError("UMAP neighbours must be at least 2")
        if result.cluster_selection_method not in ("eom", "leaf"):
            raise ConfigError("cluster selection must be 'eom' or 'leaf'")
        if result.stability_runs is not None and not 0 <= result.stability_runs <= 50:
            raise ConfigError("stability reruns must be between 0 (none) and 50")
        if result.min_cluster_size is not None and result.min_cluster_size < 2:
            raise ConfigError("min cluster size must be at least 2")
        return result


AUTO = object()  # "auto": back to the measured default


def _top_level(value: Any) -> Any:
    """``--themes``: a whole number of at least 2, or "auto"; anything else is refused."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == "auto":
        return AUTO
    text = str(value).strip()
    if isinstance(value, bool) or not text.lstrip("-").isdigit() or int(text) < 2:
        raise ConfigError(f"--themes must be a whole number of at least 2 (top-level themes) "
                          f"or 'auto', not {value!r}",
                          hint="for example --themes 10; nothing was changed")
    return int(text)
