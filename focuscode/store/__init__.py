"""The project store: one SQLite file per project. Rows in, domain objects out."""

from focuscode.domain.changes import NEW_CODE
from focuscode.store.database import Database, utc_now
from focuscode.store.decision_log import DecisionLog
from focuscode.store.project_store import GroupRecord, Membership, ProjectStore, ThemeRecord

__all__ = ["NEW_CODE", "Database", "DecisionLog", "GroupRecord", "Membership", "ProjectStore",
           "ThemeRecord", "utc_now"]
