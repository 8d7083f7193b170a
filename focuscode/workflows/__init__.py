"""Use cases over the store and the pipeline; the ``Project`` facade is what shells call."""

from focuscode.workflows.progress import Cancelled, NullProgress, Progress
from focuscode.workflows.project import DB_NAME, Project
from focuscode.workflows.settings import AnalysisSettings

__all__ = ["DB_NAME", "AnalysisSettings", "Cancelled", "NullProgress", "Progress", "Project"]
