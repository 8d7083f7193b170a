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


def two_coders_decide(project: Project, key: str, s: list[int]) -> None:
    """On segments s0..s5 of the code behind ``key``: ana confirms s0 s1 and rejects s2; bea
    rejects s0, confirms s2 and s3 and quotes s4; nobody decides s5."""
    ana, bea = as_coder(project, ANA), as_coder(project, BEA)
    ana.suggestions.confirm([(s[0], CODE), (s[1], CODE)])
    ana.suggestions.reject([(s[2], CODE)])
    bea.suggestions.reject([(s[0], CODE)])
    bea.suggestions.confirm([(s[2], CODE), (s[3], CODE)])
    bea.quotes.mark(key, s[4])
