"""What the blind-mode tests share: two coders and a way to open the project as either."""

from __future__ import annotations

from focuscode.pipeline.embed import HashingEmbedder
from focuscode.workflows import Project

ANA, BEA = "ana", "bea_b2"  # a name no transcript holds: any trace of her in a file is a leak
CODE = "Care coordination"


def as_coder(project: Project, coder: str, *, blind: bool | None = None) -> Project:
    """The same open project, deciding as ``coder`` (``blind``: None follows the setting)."""
    opened = Project(project.folder, project.store, coder=coder, embedder=HashingEmbedder())
    opened.blind = blind
    return opened
